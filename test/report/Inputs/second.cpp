#include "shared.h"

namespace report {
test::Task<int> byReference(const int &n) {
  co_await fetch("/second");
  co_return n;
}
} // namespace report
