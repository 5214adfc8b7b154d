// Two functions whose fixed lines would be identical. Only 'later' is fixed
// ('early' awaits its task conditionally), but the CHECK-FIXES is written
// under 'early': a runner that looks for the line anywhere below the
// comment finds the fixed line of 'later' and passes.
#include "task.h"
test::Task<int> fetch(int);
bool ready();

test::Task<int> early() {
  auto t = fetch(1);
  if (ready())
    co_return co_await std::move(t);
  co_return 0;
}
// CHECK-FIXES: {{^}}  co_return co_await fetch(1);{{$}}

test::Task<int> later() {
  auto t = fetch(1);
  // CHECK-MESSAGES: :[[@LINE-1]]:8: warning: task 't' is awaited right after it is created{{.*}} [coro-missed-frame-elision]
  co_return co_await std::move(t);
}

// Kept, not awaited: the task type is not always awaited directly.
test::Task<int> kept() {
  auto Later = fetch(2);
  co_return 0;
}
