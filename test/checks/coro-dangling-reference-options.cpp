// C++23: the closure fix, and deducing this.
// RUN: %check_coro_tidy --std=c++23 --check-suffixes=CXX23 %s coro-dangling-reference %t.cxx23
// Declarations mode, and the library spellings given as options. Each
// option changes other lines than the others: DiagnoseDeclarations the
// declarations, ViewTypes 'viewOfATemporary', StructuredCallees
// 'structuredByOption', DetachingCallees 'launchedByOption'.
// RUN: %check_coro_tidy --std=c++23 --check-suffixes=DECL %s coro-dangling-reference %t.decl \
// RUN:   --config="{CheckOptions: {coro-dangling-reference.DiagnoseDeclarations: true, coro-dangling-reference.ViewTypes: '::lib::StrRef', coro-dangling-reference.StructuredCallees: '::lib::join', coro-dangling-reference.DetachingCallees: '::lib::launch'}}"

#include "combinators.h"
#include <string>

using test::Task;
Task<void> step();

namespace lib {
// A view type of a library, and the library's own combinators.
struct StrRef {
  const char *Data;
  unsigned long Size;
  StrRef(const std::string &S) : Data(S.data()), Size(S.size()) {}
};
template <class T> T join(Task<T> &&Work);
void spawn(Task<int> Work);
void launch(std::function<Task<void>()> Make);
} // namespace lib

Task<int> length(lib::StrRef Text) {
  // CHECK-MESSAGES-DECL: :[[@LINE-1]]:30: warning: 'Text' is borrowed by coroutine 'length' and used after a suspension point; every caller must keep its argument alive until the task completes [coro-dangling-reference]
  co_await step();
  co_return static_cast<int>(Text.Size);
}

Task<int> count(const std::string &Text) {
  // CHECK-MESSAGES-DECL: :[[@LINE-1]]:36: warning: 'Text' is borrowed by coroutine 'count' and used after a suspension point
  co_return static_cast<int>(Text.size());
}
// CHECK-FIXES-DECL: {{^}}Task<int> count(std::string Text) {{{$}}

test::EagerTask<int> eagerUsesFirst(const std::string &Text) {
  // Used only before the first real suspension: quiet in both modes.
  int N = static_cast<int>(Text.size());
  co_await step();
  co_return N;
}

Task<int> neverUsed(const std::string &Unused) {
  co_await step();
  co_return 0;
}

Task<int> temporaryClosureStored(int X) {
  auto T = [X]() -> Task<int> {
    // CHECK-MESSAGES-CXX23: :[[@LINE-1]]:12: warning: the closure of this coroutine lambda is a temporary
    // CHECK-MESSAGES-DECL: :[[@LINE-2]]:12: warning: the closure of this coroutine lambda is a temporary
    co_await step();
    co_return X;
  }();
  int Before = 0;
  co_return Before + co_await std::move(T);
}
// CHECK-FIXES-CXX23: {{^}}  auto T = [X](this auto) -> Task<int> {{{$}}

Task<int> deducingThisByValue(int X) {
  auto T = [X](this auto) -> Task<int> { co_await step(); co_return X; }();
  int Before = 0;
  co_return Before + co_await std::move(T);
}

Task<int> deducingThisByReference(int X) {
  auto T = [X](this auto &&) -> Task<int> { co_await step(); co_return X; }();
  // CHECK-MESSAGES-CXX23: :[[@LINE-1]]:12: warning: the closure of this coroutine lambda is a temporary
  // CHECK-MESSAGES-DECL: :[[@LINE-2]]:12: warning: the closure of this coroutine lambda is a temporary
  int Before = 0;
  co_return Before + co_await std::move(T);
}

int viewOfATemporary() {
  auto T = length(std::string("tmp"));
  // CHECK-MESSAGES-DECL: :[[@LINE-1]]:19: warning: 'Text' refers to a temporary that is destroyed before the coroutine resumes
  return lib::join(std::move(T));
}

int structuredByOption() {
  // With StructuredCallees naming lib::join, the task is awaited in its
  // full-expression: quiet.
  return lib::join(count(std::string("joined")));
  // CHECK-MESSAGES-CXX23: :[[@LINE-1]]:26: warning: 'Text' refers to a temporary that is destroyed before the coroutine resumes
}

void keptBySpawn() {
  // A task passed by value is kept, whether or not the callee is known to
  // detach it (the default DetachingCallees match lib::spawn, DECL's do not).
  lib::spawn(count(std::string("spawned")));
  // CHECK-MESSAGES-CXX23: :[[@LINE-1]]:20: warning: 'Text' refers to a temporary that is destroyed before the coroutine resumes
  // CHECK-MESSAGES-DECL: :[[@LINE-2]]:20: warning: 'Text' refers to a temporary that is destroyed before the coroutine resumes
}

void launchedByOption() {
  // With DetachingCallees naming lib::launch, the coroutine lambda runs
  // detached and outlives the local it captures; unknown callees taking a
  // callable are not assumed to detach it.
  for (int I = 0; I < 3; ++I) {
    std::string Line = "launched";
    lib::launch([&]() -> Task<void> { co_await step(); (void)Line.size(); });
    // CHECK-MESSAGES-DECL: :[[@LINE-1]]:18: warning: 'Line' is captured by reference by a coroutine lambda that 'launch' runs detached; it is destroyed at the end of its scope, before the coroutine finishes; capture it by value [coro-dangling-reference]
  }
}
