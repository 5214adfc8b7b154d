#include "checksum.h"

bench::Task<long> Checksum::handle(long request) {
  state = bench::work(state, request, 0x51);
  co_return state & 0xffff;
}
