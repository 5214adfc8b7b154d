// A third-party library's coroutine interface, included as a system header:
// corotidy never rewrites it.
#pragma once
#include "task.h"
namespace vendor {
struct Plugin {
  virtual test::Task<int> load() = 0;
  virtual ~Plugin() = default;
};
struct Tracer {
  virtual void trace(const char *) {}
  virtual ~Tracer() = default;
};
} // namespace vendor
