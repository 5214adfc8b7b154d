// Expects a warning the check does not give: the call is awaited directly.
#include "task.h"
test::Task<int> fetch(int);
test::Task<int> f() {
  co_return co_await fetch(1);
  // CHECK-MESSAGES: :[[@LINE-1]]:22: warning: task 't' is awaited right after it is created{{.*}} [coro-missed-frame-elision]
}
// Kept, not awaited: the task type is not always awaited directly.
test::Task<int> g() {
  auto Later = fetch(2);
  co_return 0;
}
