// RUN: %check_coro_tidy --check-suffixes=ALL %s coro-missed-frame-elision %t.all
// RUN: %check_coro_tidy --check-suffixes=ELIDABLE %s coro-missed-frame-elision %t.elidable \
// RUN:   --config="{CheckOptions: {coro-missed-frame-elision.OnlyElidableTasks: true}}"

#include "task.h"

test::Task<int> plain();
test::ElidableTask<int> elidable();

test::Task<int> both() {
  auto a = plain();
  // CHECK-MESSAGES-ALL: :[[@LINE-1]]:8: warning: task 'a' is awaited right after it is created; co_await the call directly so temporaries in its arguments outlive it [[_:.*]][coro-missed-frame-elision]
  int x = co_await std::move(a);
  // CHECK-FIXES-ALL: {{^}}  int x = co_await plain();{{$}}
  // CHECK-FIXES-ELIDABLE: {{^}}  int x = co_await std::move(a);{{$}}
  auto b = elidable();
  // CHECK-MESSAGES-ALL: :[[@LINE-1]]:8: warning: task 'b' is awaited right after it is created; co_await the call directly so its coroutine frame can be elided into the awaiting one [coro-missed-frame-elision]
  // CHECK-MESSAGES-ELIDABLE: :[[@LINE-2]]:8: warning: task 'b' is awaited right after it is created; co_await the call directly so its coroutine frame can be elided into the awaiting one [coro-missed-frame-elision]
  int y = co_await std::move(b);
  // CHECK-FIXES-ALL: {{^}}  int y = co_await elidable();{{$}}
  // CHECK-FIXES-ELIDABLE: {{^}}  int y = co_await elidable();{{$}}
  co_return x + y;
}
