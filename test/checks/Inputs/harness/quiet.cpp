// Nothing to report: a test with no expectations that passes only when the
// check really ran over it.
#include "task.h"
test::Task<int> fetch(int);
// Awaited here, kept there: the task type is not always awaited directly.
test::Task<int> f() { co_return co_await fetch(1); }
test::Task<int> g() {
  auto Later = fetch(2);
  co_return 0;
}
