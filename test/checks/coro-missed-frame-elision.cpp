// RUN: %check_coro_tidy %s coro-missed-frame-elision %t

#include "task.h"
#include <string>
#include <utility>

using test::EagerTask;
using test::ElidableTask;
using test::Task;

Task<int> fetch(const std::string &Url);
ElidableTask<int> fetchFast(int N);
EagerTask<int> startNow(int N);
Task<void> step();
int other();
bool ready();

struct Client {
  Task<int> get(int Id);
};

// --- Positives, with the fix -----------------------------------------------

Task<int> storesThenAwaitsByMove() {
  auto t = fetch(std::string("x"));
  // CHECK-MESSAGES: :[[@LINE-1]]:8: warning: task 't' is awaited right after it is created; co_await the call directly so temporaries in its arguments outlive it and its frame can be elided once 'Task<int>' is {{\[\[}}clang::coro_await_elidable{{\]\]}} [coro-missed-frame-elision]
  int v = co_await std::move(t);
  // CHECK-MESSAGES: :[[@LINE-1]]:11: note: 't' is awaited here
  // CHECK-FIXES: {{^}}  int v = co_await fetch(std::string("x"));{{$}}
  co_return v;
}

Task<int> elidableAwaitedAsLvalue() {
  auto u = fetchFast(3);
  // CHECK-MESSAGES: :[[@LINE-1]]:8: warning: task 'u' is awaited right after it is created; co_await the call directly so its coroutine frame can be elided into the awaiting one [coro-missed-frame-elision]
  co_await u;
  // CHECK-FIXES: {{^}}  co_await fetchFast(3);{{$}}
  co_return 1;
}

Task<int> returnsTheAwait() {
  Task<int> t = fetch("y");
  // CHECK-MESSAGES: :[[@LINE-1]]:13: warning: task 't' is awaited right after it is created
  co_return co_await std::move(t);
  // CHECK-FIXES: {{^}}  co_return co_await fetch("y");{{$}}
}

Task<int> assignsTheResult() {
  int v = 0;
  auto &&t = fetch("z");
  // CHECK-MESSAGES: :[[@LINE-1]]:10: warning: task 't' is awaited right after
  v = co_await (std::move(t));
  // CHECK-FIXES: {{^}}  v = co_await fetch("z");{{$}}
  co_return v;
}

Task<int> memberCallAndCast(Client &C) {
  auto t = C.get(7);
  // CHECK-MESSAGES: :[[@LINE-1]]:8: warning: task 't' is awaited right after
  // A comment between the two statements is kept.
  co_return co_await static_cast<Task<int> &&>(t);
  // CHECK-FIXES: {{^}}  // A comment between the two statements is kept.{{$}}
  // CHECK-FIXES-NEXT: {{^}}  co_return co_await C.get(7);{{$}}
}

Task<int> eagerTaskToo() {
  auto t = startNow(1);
  // CHECK-MESSAGES: :[[@LINE-1]]:8: warning: task 't' is awaited right after
  co_return co_await std::move(t);
  // CHECK-FIXES: {{^}}  co_return co_await startNow(1);{{$}}
}

void coroutineLambda() {
  auto L = []() -> Task<void> {
    auto s = step();
    // CHECK-MESSAGES: :[[@LINE-1]]:10: warning: task 's' is awaited right after
    co_await std::move(s);
    // CHECK-FIXES: {{^}}    co_await step();{{$}}
  };
  (void)L;
}

// Analysed once per template definition, not once per instantiation.
template <class T> Task<T> generic(T Value) {
  auto t = fetch("tmpl");
  // CHECK-MESSAGES: :[[@LINE-1]]:8: warning: task 't' is awaited right after
  co_await std::move(t);
  // CHECK-FIXES: {{^}}  co_await fetch("tmpl");{{$}}
  co_return Value;
}
template Task<int> generic<int>(int);
template Task<long> generic<long>(long);

// --- Positives that get no fix ---------------------------------------------

Task<int> notFirstInTheStatement() {
  auto t = fetch("a");
  // CHECK-MESSAGES: :[[@LINE-1]]:8: warning: task 't' is awaited right after
  // Moving fetch() after other() would reorder the two calls: no fix.
  int v = other() + co_await std::move(t);
  // CHECK-FIXES: {{^}}  auto t = fetch("a");{{$}}
  // CHECK-FIXES: {{^}}  int v = other() + co_await std::move(t);{{$}}
  co_return v;
}

#define AWAIT(x) co_await x
Task<int> awaitedInAMacro() {
  auto t = fetch("m");
  // CHECK-MESSAGES: :[[@LINE-1]]:8: warning: task 't' is awaited right after
  co_return AWAIT(std::move(t));
  // CHECK-FIXES: {{^}}  co_return AWAIT(std::move(t));{{$}}
}

// Awaiting the prvalue would not compile: operator co_await is &-qualified.
struct LvalueAwaitTask : test::BasicTask<int, false, LvalueAwaitTask> {
  using BasicTask::BasicTask;
  LvalueAwaitTask &operator co_await() & { return *this; }
};
LvalueAwaitTask lvalueOnly();
Task<int> lvalueOnlyAwait() {
  auto t = lvalueOnly();
  // CHECK-MESSAGES: :[[@LINE-1]]:8: warning: task 't' is awaited right after
  co_return co_await t;
  // CHECK-FIXES: {{^}}  co_return co_await t;{{$}}
}

// --- Near misses: no diagnostic --------------------------------------------

Task<int> usedTwice() {
  auto t = fetch("twice");
  int v = co_await std::move(t);
  (void)t;
  co_return v;
}

Task<int> awaitedConditionally() {
  auto t = fetch("if");
  if (ready())
    co_return co_await std::move(t);
  co_return 0;
}

Task<int> awaitedAfterAShortCircuit() {
  auto t = fetch("and");
  bool B = ready() && co_await std::move(t) > 0;
  co_return B;
}

Task<int> awaitedInALoop() {
  auto t = fetch("loop");
  int v = 0;
  for (int I = 0; I < 1; ++I)
    v += co_await std::move(t);
  co_return v;
}

Task<int> notTheNextStatement() {
  auto t = fetch("later");
  other();
  co_return co_await std::move(t);
}

Task<int> initializedFromAnotherTask(Task<int> Other) {
  auto t = std::move(Other);
  co_return co_await std::move(t);
}

Task<int> capturedByALambda() {
  auto t = fetch("lambda");
  auto Peek = [&] { return t.Handle.done(); };
  co_return co_await std::move(t) + Peek();
}

struct Sleep {
  bool await_ready() const noexcept { return false; }
  void await_suspend(std::coroutine_handle<>) const noexcept {}
  void await_resume() const noexcept {}
};
Sleep sleepFor(int Ms);

Task<int> awaitableThatIsNotATask() {
  // No coroutine frame to elide: an awaiter returned by a plain function.
  auto s = sleepFor(10);
  co_await s;
  co_return 0;
}

Task<int> twoDeclarationsInOneStatement() {
  auto t = fetch("1"), u = fetch("2");
  co_await std::move(u);
  co_return co_await std::move(t);
}

template <class T> Task<T> fetchAs();
template <class T> Task<T> dependentTask() {
  auto t = fetchAs<T>();
  co_return co_await std::move(t);
}
template Task<int> dependentTask<int>();

int notACoroutine() {
  auto t = fetch("plain");
  (void)t;
  return 0;
}
