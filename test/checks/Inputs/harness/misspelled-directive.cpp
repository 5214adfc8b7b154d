// 'CHECK-MESSAGE' (no S) is read by no runner: the expectation would be
// silently dropped.
#include "task.h"
test::Task<int> fetch(int);
test::Task<int> f() {
  co_return co_await fetch(1);
  // CHECK-MESSAGE: :[[@LINE-1]]:22: warning: a warning that never comes
}

// Kept, not awaited: the task type is not always awaited directly.
test::Task<int> kept() {
  auto Later = fetch(2);
  co_return 0;
}
