#include "task.h"
test::Task<int> fetch(int);
test::Task<int> f() {
  auto t = fetch(1);
  // CHECK-MESSAGES: :[[@LINE-1]]:8: warning: task 't' is awaited right after it is created{{.*}} [coro-missed-frame-elision]
  co_return co_await std::move(t);
  // CHECK-FIXES: co_return co_await fetch(2);
}

// Kept, not awaited: the task type is not always awaited directly.
test::Task<int> kept() {
  auto Later = fetch(2);
  co_return 0;
}
