#include "task.h"
test::Task<int> fetch(int);
test::Task<int> f() {
  auto t = fetch(1);
  co_return co_await std::move(t);
}
