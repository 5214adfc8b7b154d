// Does not compile, for clang-tidy too. The ERR run expects the error; the
// run without a suffix expects nothing.
#include "task.h"
test::Task<int> fetch(int);
int broken = ;
// CHECK-MESSAGES-ERR: :[[@LINE-1]]:14: error: expected expression [clang-diagnostic-error]
test::Task<int> f() { co_return co_await fetch(1); }

// Kept, not awaited: the task type is not always awaited directly.
test::Task<int> kept() {
  auto Later = fetch(2);
  co_return 0;
}
