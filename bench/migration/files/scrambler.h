#pragma once
#include "handler.h"

struct Scrambler : Handler {
  long state = 2;
  bench::Task<long> handle(long request) override;
};
