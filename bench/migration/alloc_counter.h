// The migration benchmark's replaced global allocation functions, counting
// into bench::allocations: included by the one translation unit of each
// program that holds main. Default visibility so that they stay the
// program's operator new under -fvisibility=hidden.
#pragma once
#include "common.h"
#include <cstdlib>
#include <new>

__attribute__((visibility("default"))) void *operator new(std::size_t size) {
  ++bench::allocations;
  if (void *p = std::malloc(size ? size : 1))
    return p;
  throw std::bad_alloc();
}
__attribute__((visibility("default"))) void operator delete(void *p) noexcept {
  std::free(p);
}
__attribute__((visibility("default"))) void operator delete(void *p,
                                                            std::size_t) noexcept {
  std::free(p);
}
