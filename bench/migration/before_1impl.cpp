// The "before" source of the migration benchmark, one implementation: a
// virtual coroutine interface, only ever used with statically known types.
// bench/migration.py compiles it as is (`virtual-1impl`, `wpd-1impl`) and
// after coro-devirtualize's fix has migrated it (`migrated-1impl`).
#include "alloc_counter.h"
#include "common.h"

using bench::Task;

// Handles one request.
struct Handler {
  virtual Task<long> handle(long request) = 0;
  virtual ~Handler() = default;
};

struct Checksum : Handler {
  long state = 1;
  Task<long> handle(long request) override {
    state = bench::work(state, request, 0x51);
    co_return state & 0xffff;
  }
};

// The hot loop: every call goes to the one handler.
Task<long> serve(Handler &handler, long calls, long seed) {
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
