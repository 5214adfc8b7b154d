// The floor of the migration benchmark, one implementation: the handler's
// work as a plain inline member function, no coroutine per call.
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

// The hot loop: every call goes to the one handler.
template <class H> Task<long> serve(H &handler, long calls, long seed) {
  long total = 0;
  for (long i = 0; i < calls; ++i)
    total += handler.handle(i ^ seed);
  co_return total;
}

int main(int argc, char **argv) {
  Checksum checksum;
  return bench::run(argc, argv, [&](long calls, long seed) {
    return serve(checksum, calls, seed);
  });
}
