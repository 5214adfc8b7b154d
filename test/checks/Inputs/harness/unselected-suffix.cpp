// The RUN lines below select A; the B expectation is never checked.
// RUN: %check_coro_tidy --check-suffixes=A %s coro-missed-frame-elision %t
#include "task.h"
test::Task<int> fetch(int);
test::Task<int> f() {
  auto t = fetch(1);
  // CHECK-MESSAGES-A: :[[@LINE-1]]:8: warning: task 't' is awaited right after it is created{{.*}} [coro-missed-frame-elision]
  // CHECK-MESSAGES-B: :[[@LINE-2]]:8: warning: a warning nobody checks
  co_return co_await std::move(t);
  // CHECK-FIXES-A: {{^}}  co_return co_await fetch(1);{{$}}
}

// Kept, not awaited: the task type is not always awaited directly.
test::Task<int> kept() {
  auto Later = fetch(2);
  co_return 0;
}
