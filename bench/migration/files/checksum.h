#pragma once
#include "handler.h"

struct Checksum : Handler {
  long state = 1;
  bench::Task<long> handle(long request) override;
};
