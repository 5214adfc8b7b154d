// The hand-written static version of before.cpp (two implementations): what
// an expert would write without the virtual interface, the ceiling for the
// migrated version.
#include "alloc_counter.h"
#include "common.h"
#include <concepts>

using bench::Task;

// Handles one request.
template <class T>
concept Handler = requires(T &handler, long request) {
  { handler.handle(request) } -> std::same_as<Task<long>>;
};

struct Checksum {
  long state = 1;
  Task<long> handle(long request) {
    state = bench::work(state, request, 0x51);
    co_return state & 0xffff;
  }
};

struct Scrambler {
  long state = 2;
  Task<long> handle(long request) {
    state = bench::work(state ^ request, request >> 3, 0xa7);
    co_return (state >> 8) & 0xffff;
  }
};

// The hot loop: the calls alternate between the two handlers.
template <Handler First, Handler Second>
Task<long> serve(First &first, Second &second, long calls, long seed) {
  long total = 0;
  for (long i = 0; i < calls; ++i) {
    if (i & 1)
      total += co_await second.handle(i ^ seed);
    else
      total += co_await first.handle(i ^ seed);
  }
  co_return total;
}

int main(int argc, char **argv) {
  Checksum checksum;
  Scrambler scrambler;
  return bench::run(argc, argv, [&](long calls, long seed) {
    return serve(checksum, scrambler, calls, seed);
  });
}
