#include "task.h"
test::Task<int> fetch(int);
test::Task<int> f() {
  auto t = fetch(1);
  co_return co_await std::move(t);
}

// Kept, not awaited: the task type is not always awaited directly.
test::Task<int> kept() {
  auto Later = fetch(2);
  co_return 0;
}
