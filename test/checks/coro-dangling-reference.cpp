// RUN: %check_coro_tidy %s coro-dangling-reference %t

#include "combinators.h"
#include <string>
#include <string_view>
#include <vector>

using test::EagerTask;
using test::Task;

Task<void> step();
std::string GlobalName = "global";

// Borrowing coroutines, defined here so their bodies are analysed.
Task<int> fetch(const std::string &Url) {
// CHECK-FIXES: {{^}}Task<int> fetch(std::string Url) {{{$}}
  co_await step();
  co_return static_cast<int>(Url.size());
}
Task<int> measure(std::string_view Text) {
  co_return static_cast<int>(Text.size());
}
Task<int> twice(const int &N) { co_return N * 2; }
// CHECK-FIXES: {{^}}Task<int> twice(int N) { co_return N * 2; }{{$}}
EagerTask<int> countFirst(const std::string &S) {
  int N = static_cast<int>(S.size());
  co_await step();
  co_return N;
}
EagerTask<int> readsAfterNoSuspension(const std::string &S) {
  co_await std::suspend_never{};
  co_return static_cast<int>(S.size());
}
test::FireAndForget logLater(const std::string &Line) {
// CHECK-FIXES: {{^}}test::FireAndForget logLater(std::string Line) {{{$}}
  co_await step();
  (void)Line.size();
}

struct Session {
  std::string Name;
  Task<int> run() {
    co_await step();
    co_return static_cast<int>(Name.size());
  }
  Task<int> wrapper() { return fetch(Name); }
};

// --- 1. Tasks that outlive what they borrow --------------------------------

Task<int> storedWithATemporary() {
  auto T = fetch(std::string("x"));
  // CHECK-MESSAGES: :[[@LINE-1]]:18: warning: 'Url' refers to a temporary that is destroyed before the coroutine resumes [coro-dangling-reference]
  // CHECK-MESSAGES: :[[@LINE-2]]:8: note: task is stored here
  int Other = 1;
  co_return co_await std::move(T) + Other;
}

Task<int> wrapperReturnsTheTask(int A) { return twice(A); }
// CHECK-MESSAGES: :[[@LINE-1]]:55: warning: 'N' refers to parameter 'A', which is destroyed when 'wrapperReturnsTheTask' returns, before the coroutine finishes [coro-dangling-reference]

Task<int> viewOfATemporaryString() {
  return measure(std::string("temporary"));
  // CHECK-MESSAGES: :[[@LINE-1]]:18: warning: 'Text' refers to a temporary that is destroyed before the coroutine resumes
}

Task<void> localOfAnInnerScope() {
  std::vector<Task<int>> Pending;
  {
    std::string Url = "inner";
    Pending.push_back(fetch(Url));
    // CHECK-MESSAGES: :[[@LINE-1]]:29: warning: 'Url' refers to local 'Url', which is destroyed at the end of its scope, before the coroutine finishes
  }
  co_await test::when_all(std::move(Pending));
}

void unknownCalleeKeepsIt() {
  test::keep(fetch(std::string("kept")));
  // CHECK-MESSAGES: :[[@LINE-1]]:20: warning: 'Url' refers to a temporary that is destroyed before the coroutine resumes
}

// --- 2. Closures of coroutine lambdas ---------------------------------------

// The edit that awaits the call directly is on a note (clang-tidy applies it
// with --fix-notes, clangd offers it as a quick fix): the warning of
// coro-missed-frame-elision carries the same edit, and two warnings with one
// edit would cancel each other out.
Task<int> immediatelyInvokedAndStored(int X) {
  auto T = [X]() -> Task<int> {
    // CHECK-MESSAGES: :[[@LINE-1]]:12: warning: the closure of this coroutine lambda is a temporary that is destroyed before the coroutine resumes, and the coroutine uses its captures after a suspension point
    // CHECK-MESSAGES: :[[@LINE-2]]:8: note: await the call directly, so that what it borrows lives until it completes
    co_await step();
    co_return X;
  }();
  co_return co_await std::move(T);
}
// CHECK-FIXES: {{^}}  co_return co_await [X]() -> Task<int> {{{$}}

Task<int> namedLambdaReturned(int X) {
  auto L = [X]() -> Task<int> { co_return X; };
  return L();
  // CHECK-MESSAGES: :[[@LINE-1]]:10: warning: lambda 'L' is destroyed when 'namedLambdaReturned' returns, before the coroutine finishes, and the coroutine uses its captures after a suspension point
}

// --- 3. Objects of member coroutines ----------------------------------------

Task<int> memberOfATemporary() {
  auto T = Session{"tmp"}.run();
  // CHECK-MESSAGES: :[[@LINE-1]]:12: warning: the object of member coroutine 'run' is a temporary that is destroyed before the coroutine resumes
  // CHECK-MESSAGES: :[[@LINE-2]]:8: note: await the call directly, so that what it borrows lives until it completes
  co_return co_await std::move(T);
  // CHECK-FIXES: {{^}}  co_return co_await Session{"tmp"}.run();{{$}}
}

Task<void> memberOfAnInnerLocal() {
  std::vector<Task<int>> Pending;
  {
    Session S{"scoped"};
    Pending.push_back(S.run());
    // CHECK-MESSAGES: :[[@LINE-1]]:23: warning: local 'S', the object of member coroutine 'run', is destroyed at the end of its scope, before the coroutine finishes
  }
  co_await test::when_all(std::move(Pending));
}

struct Server {
  int Port = 0;
  void startDetached() {
    test::co_spawn([this]() -> Task<void> {
      // CHECK-MESSAGES: :[[@LINE-1]]:21: warning: 'this' is captured by a coroutine lambda that 'co_spawn' runs detached; nothing keeps the object alive until the coroutine finishes; capture a shared_ptr to it (shared_from_this()) instead
      co_await step();
      (void)Port;
    });
  }
};

void detachedWithLoopLocals() {
  for (int I = 0; I < 3; ++I) {
    std::string Buffer = "line";
    test::co_spawn([&]() -> Task<void> {
      // CHECK-MESSAGES: :[[@LINE-1]]:21: warning: 'Buffer' is captured by reference by a coroutine lambda that 'co_spawn' runs detached; it is destroyed at the end of its scope, before the coroutine finishes; capture it by value
      co_await step();
      (void)Buffer.size();
    });
  }
}

void fireAndForgetWithATemporary() {
  logLater(std::string("hello"));
  // CHECK-MESSAGES: :[[@LINE-1]]:12: warning: 'Line' refers to a temporary that is destroyed before the coroutine resumes
}

struct Listener {
  asio::io_context &Ctx;
  void acceptLoop() {
    for (int I = 0; I < 3; ++I) {
      std::string Peer = "peer";
      asio::co_spawn(Ctx, [&]() -> Task<void> { co_await step(); (void)Peer; }, asio::detached);
      // CHECK-MESSAGES: :[[@LINE-1]]:28: warning: 'Peer' is captured by reference by a coroutine lambda that 'co_spawn' runs detached; it is destroyed at the end of its scope, before the coroutine finishes; capture it by value
    }
  }
};

Task<int> childrenMadeFromTemporaryClosures() {
  std::vector<Task<int>> Children;
  std::string Shared = "parent";
  for (int I = 0; I < 3; ++I)
    Children.push_back([&Shared, I]() -> Task<int> { co_await step(); co_return static_cast<int>(Shared.size()) + I; }());
    // CHECK-MESSAGES: :[[@LINE-1]]:24: warning: the closure of this coroutine lambda is a temporary that is destroyed before the coroutine resumes
  co_await test::when_all(std::move(Children));
  co_return 0;
}

// --- 4. Local references into storage the frame does not own ---------------

struct User {
  std::string Name;
  const std::string &name() const { return Name; }
};
Task<User> loadUser();

Task<void> elementThroughAReference(std::vector<int> &Items) {
  int &First = Items[0];
  co_await step();
  ++First;
  // CHECK-MESSAGES: :[[@LINE-1]]:5: warning: 'First' refers to an element of 'Items', which the coroutine frame does not own, and is used after a suspension point; the element may be gone or moved by then; copy it, or look it up again after resuming
}

Task<void> accessorOfAnAwaitedTemporary() {
  const std::string &Name = (co_await loadUser()).name();
  co_await step();
  (void)Name.size();
  // CHECK-MESSAGES: :[[@LINE-1]]:9: warning: 'Name' refers into a temporary that was destroyed at the end of its declaration, and is used after a suspension point; store a copy instead
}

// --- Must not be flagged ----------------------------------------------------

Task<int> consumedInTheFullExpression() {
  int A = co_await fetch(std::string("x"));
  int B = co_await Session{"tmp"}.run();
  int X = 3;
  int C = co_await [X]() -> Task<int> { co_await step(); co_return X; }();
  co_return A + B + C;
}

Task<int> structuredCombinators() {
  co_await test::when_all(fetch(std::string("a")), fetch(std::string("b")));
  co_return test::sync_wait(fetch(std::string("c")));
}

Task<int> argumentsThatOutliveTheTask() {
  std::string Url = "same scope";
  auto T = fetch(Url);
  static std::string Cached = "static";
  auto U = fetch(Cached);
  auto V = fetch(GlobalName);
  co_return co_await std::move(T) + co_await std::move(U) + co_await std::move(V);
}

Task<int> memberOfThisOutlivesIt(Session &S) { return S.wrapper(); }

Task<int> eagerUsesBeforeSuspending() {
  auto T = countFirst(std::string("eager"));
  auto U = readsAfterNoSuspension(std::string("ready"));
  co_return co_await std::move(T) + co_await std::move(U);
}

Task<int> ordinaryAndCaptureFreeLambdas() {
  auto Add = [](const int &A) { return A + 1; };
  auto T = []() -> Task<int> { co_await step(); co_return 1; }();
  co_return Add(co_await std::move(T));
}

Task<int> namedLambdaOutlivesItsTask(int X) {
  auto L = [X]() -> Task<int> { co_await step(); co_return X; };
  auto T = L();
  co_return co_await std::move(T);
}

struct Pinned : std::enable_shared_from_this<Pinned> {
  int Count = 0;
  void start() {
    test::co_spawn([self = shared_from_this()]() -> Task<void> {
      co_await step();
      ++self->Count;
    });
  }
};

// Local references that stay valid, or whose container is not expected to
// change: finding 4 stays quiet.
User userNow();
Task<void> elementThroughAConstReference(const std::vector<int> &Items) {
  const int &First = Items[0];
  co_await step();
  (void)First;
}
Task<void> rangeForOverAReference(std::vector<int> &Items) {
  for (int &Item : Items) {
    co_await step();
    ++Item;
  }
}
Task<void> memberOfALifetimeExtendedTemporary() {
  const std::string &Name = userNow().Name;
  co_await step();
  (void)Name.size();
}

void lazyTaskDropped() { fetch(std::string("dropped")); }

int runsTheLoopAfterSpawning() {
  // run() blocks until the detached coroutine is done: Port outlives it.
  asio::io_context Ctx;
  int Port = 80;
  asio::co_spawn(Ctx, [&]() -> Task<void> { co_await step(); (void)Port; }, asio::detached);
  Ctx.run();
  return 0;
}

void passedByReference() { test::inspect(fetch(std::string("sync"))); }

int notAReference(int V);
Task<int> byValueParameter(std::string S) {
  co_await step();
  co_return static_cast<int>(S.size());
}
Task<int> byValueIsSafe() {
  auto T = byValueParameter(std::string("copied"));
  co_return co_await std::move(T);
}

// Analysed once, on the template's definition.
template <class T> Task<int> generic(T Value) {
  auto Pending = fetch(std::string("tmpl"));
  // CHECK-MESSAGES: :[[@LINE-1]]:24: warning: 'Url' refers to a temporary that is destroyed before the coroutine resumes
  (void)Value;
  co_return co_await std::move(Pending);
}
template Task<int> generic<int>(int);
template Task<int> generic<long>(long);
