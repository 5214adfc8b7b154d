// The "before" source of the migration benchmark, two implementations: a
// virtual coroutine interface, only ever used with statically known types.
// bench/migration.py compiles it as is (`virtual`, `wpd-2impl`) and after
// coro-devirtualize's fix has migrated it (`migrated`).
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

struct Scrambler : Handler {
  long state = 2;
  Task<long> handle(long request) override {
    state = bench::work(state ^ request, request >> 3, 0xa7);
    co_return (state >> 8) & 0xffff;
  }
};

// The hot loop: the calls alternate between the two handlers.
Task<long> serve(Handler &first, Handler &second, long calls, long seed) {
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
