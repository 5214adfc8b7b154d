#include "serve.h"

bench::Task<long> serve(Handler &first, Handler &second, long calls, long seed) {
  long total = 0;
  for (long i = 0; i < calls; ++i) {
    if (i & 1)
      total += co_await second.handle(i ^ seed);
    else
      total += co_await first.handle(i ^ seed);
  }
  co_return total;
}
