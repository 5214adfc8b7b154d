// The floor of the migration benchmark, two implementations: the same work
// as before.cpp's handlers as plain inline member functions, no coroutine
// per call. The physical limit a migrated call can approach.
#include "alloc_counter.h"
#include "common.h"

using bench::Task;

struct Checksum {
  long state = 1;
  long handle(long request) {
    state = bench::work(state, request, 0x51);
    return state & 0xffff;
  }
};

struct Scrambler {
  long state = 2;
  long handle(long request) {
    state = bench::work(state ^ request, request >> 3, 0xa7);
    return (state >> 8) & 0xffff;
  }
};

// The hot loop: the calls alternate between the two handlers.
template <class First, class Second>
Task<long> serve(First &first, Second &second, long calls, long seed) {
  long total = 0;
  for (long i = 0; i < calls; ++i) {
    if (i & 1)
      total += second.handle(i ^ seed);
    else
      total += first.handle(i ^ seed);
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
