// Nothing to report: a test with no expectations that passes only when the
// check really ran over it.
#include "task.h"
test::Task<int> fetch(int);
test::Task<int> f() { co_return co_await fetch(1); }
