#include "shared.h"

namespace report {
test::Task<int> broken() { co_return undeclared; }
} // namespace report
