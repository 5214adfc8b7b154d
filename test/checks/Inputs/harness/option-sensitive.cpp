// With the check's defaults, one warning: the task outlives the temporary it
// borrows. DiagnoseDeclarations would add one at 'length' itself, and
// WarningsAsErrors would make both errors; the self-tests put such a
// .clang-tidy (and .clangd) above the runners' copies of this file.
#include "task.h"
#include <string>
test::Task<void> step();
test::Task<int> length(const std::string &Text) {
// CHECK-FIXES: {{^}}test::Task<int> length(std::string Text) {{{$}}
  co_await step();
  co_return static_cast<int>(Text.size());
}
test::Task<int> caller() {
  auto T = length(std::string("tmp"));
  // CHECK-MESSAGES: :[[@LINE-1]]:19: warning: 'Text' refers to a temporary that is destroyed before the coroutine resumes [coro-dangling-reference]
  int Other = 1;
  co_return co_await std::move(T) + Other;
}
