#include "scrambler.h"

bench::Task<long> Scrambler::handle(long request) {
  state = bench::work(state ^ request, request >> 3, 0xa7);
  co_return (state >> 8) & 0xffff;
}
