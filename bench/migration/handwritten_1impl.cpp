// The hand-written static version of before_1impl.cpp (one implementation):
// the ceiling for the migrated version.
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

// The hot loop: every call goes to the one handler.
template <Handler H> Task<long> serve(H &handler, long calls, long seed) {
  long total = 0;
  for (long i = 0; i < calls; ++i)
    total += co_await handler.handle(i ^ seed);
  co_return total;
}

int main(int argc, char **argv) {
  Checksum checksum;
  return bench::run(argc, argv, [&](long calls, long seed) {
    return serve(checksum, calls, seed);
  });
}
