// A coroutine interface declared in a header: without an index, a single
// translation unit cannot see all its uses.
#pragma once
#include "task.h"
struct HeaderLoader {
  virtual test::Task<int> get() = 0;
  virtual ~HeaderLoader() = default;
};
