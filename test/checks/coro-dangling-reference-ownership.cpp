// RUN: %check_coro_tidy %s coro-dangling-reference %t
//
// Who owns a task and when it is finished: combinators, handles, containers,
// futures and generators (quiet when the borrowed object outlives the task,
// reported when it does not), and the shapes of real bugs in templates.

#include "ownership.h"
#include <memory>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

using test::Task;

Task<void> step();
void use(int);

// Borrow views: used after a suspension, and lazily started.
Task<int> fetch(std::string_view Url) {
  co_await step();
  co_return static_cast<int>(Url.size());
}
Task<void> log(std::string_view Line) {
  co_await step();
  use(static_cast<int>(Line.size()));
}

// --- 1. Awaited in the same full-expression, through what owns the task ----

Task<int> combinatorAwaited() {
  co_return co_await lib::launch(fetch(std::string("combined")));
}
Task<int> coroutineCombinator() {
  co_return co_await lib::retry(fetch(std::string("retried")));
}
Task<int> awaitableOperator() {
  std::string Tmp = "both";
  co_return co_await (fetch(std::string("a")) && fetch(Tmp));
}
void blocksUntilDone() { (void)lib::block(fetch(std::string("blocking"))); }
void futureWaitedAtOnce() { lib::postWaitable(log(std::string("waited"))).wait(); }

// A helper that posts the task and waits until it is done.
void postedAndWaitedFor() {
  std::string Line = "waited for";
  lib::runToCompletion(log(Line));
}
// Near miss: the same helper shape without the wait.
void postedAndForgotten() {
  std::string Line = "forgotten";
  lib::postAndForget(log(Line));
  // CHECK-MESSAGES: :[[@LINE-1]]:26: warning: 'Line' refers to local 'Line', which is destroyed when 'postedAndForgotten' returns, before the coroutine finishes [coro-dangling-reference]
}

// A group local to a coroutine lambda joins what it forks before the
// lambda finishes, and the enclosing function runs the lambda to the end.
void groupJoinedInTheLambda() {
  int Ran = 0;
  lib::runToCompletion([&]() -> Task<void> {
    lib::Group G;
    for (int I = 0; I < 3; ++I)
      G.fork([](int &V) -> Task<void> { co_await step(); ++V; }(Ran));
    co_await G;
  }());
}
// Near miss: forked and never awaited.
void groupNeverJoined() {
  int Ran = 0;
  lib::runToCompletion([&]() -> Task<void> {
    lib::Group G;
    G.fork([](int &V) -> Task<void> { co_await step(); ++V; }(Ran));
    // CHECK-MESSAGES: :[[@LINE-1]]:63: warning: 'V' refers to 'Ran', a local of 'groupNeverJoined', which is destroyed when 'groupNeverJoined' returns, before the coroutine finishes [coro-dangling-reference]
    co_return;
  }());
}

// --- 2. Held by a local and awaited before the borrowed object dies ---------

Task<int> forkedThenAwaited() {
  std::string Name = "forked";
  auto T = lib::launch(fetch(Name)).fork();
  use(1);
  co_return co_await std::move(T);
}
Task<void> containerAwaited() {
  std::string Name = "pooled";
  std::vector<Task<int>> Tasks;
  Tasks.push_back(fetch(Name));
  co_await lib::awaitAll(Tasks);
}
// A container of the enclosing function, captured by reference, filled and
// then awaited by the coroutine lambda: the tasks finish before its locals
// die.
int containerOfTheEnclosingFunction() {
  std::vector<Task<int>> Tasks;
  auto Body = [&]() -> Task<int> {
    std::string Name = "captured";
    Tasks.push_back(fetch(Name));
    co_await lib::awaitAll(Tasks);
    co_return 0;
  };
  return lib::block(Body());
}
// Near miss: filled and left to the enclosing function, which outlives the
// lambda's local.
int containerLeftToTheEnclosingFunction() {
  std::vector<Task<int>> Tasks;
  auto Body = [&]() -> Task<int> {
    std::string Name = "left";
    Tasks.push_back(fetch(Name));
    // CHECK-MESSAGES: :[[@LINE-1]]:27: warning: 'Url' refers to local 'Name', which is destroyed when the enclosing lambda returns, before the coroutine finishes [coro-dangling-reference]
    co_return 0;
  };
  return lib::block(Body());
}
Task<void> loopAwaitsEach() {
  std::string Name = "each";
  std::vector<Task<int>> Tasks;
  for (int I = 0; I < 3; ++I)
    Tasks.push_back(fetch(Name));
  for (auto &T : Tasks)
    (void)co_await std::move(T);
}
void futureWaitedLater() {
  std::string Name = "later";
  auto Done = lib::postWaitable(log(Name));
  use(2);
  Done.wait();
}
// A lazy task nothing runs never uses what it borrows.
void neverRun() { auto T = fetch(std::string("dropped")); }

// --- 3. Generators consumed by a range-for ----------------------------------

lib::Generator<int> letters(std::string_view Text) {
  for (char C : Text)
    co_yield C;
}
void consumedByTheLoop() {
  std::string Text = "abc";
  for (int C : letters(Text))
    use(C);
}

// --- 4. What dies first -------------------------------------------------------

// Posted to a queue that outlives the function.
void postsALocal() {
  std::string Line = "posted";
  lib::post(log(Line));
  // CHECK-MESSAGES: :[[@LINE-1]]:17: warning: 'Line' refers to local 'Line', which is destroyed when 'postsALocal' returns, before the coroutine finishes [coro-dangling-reference]
  // CHECK-MESSAGES: :[[@LINE-2]]:3: note: 'post' runs the task detached
}
// Awaited after the loop whose iteration owned the borrowed string.
Task<void> awaitedAfterTheLoop() {
  std::vector<Task<int>> Tasks;
  for (int I = 0; I < 3; ++I) {
    std::string Name = "item";
    Tasks.push_back(fetch(Name));
    // CHECK-MESSAGES: :[[@LINE-1]]:27: warning: 'Url' refers to local 'Name', which is destroyed at the end of its scope, before the coroutine finishes [coro-dangling-reference]
  }
  co_await lib::awaitAll(Tasks);
}
// A container reused by two blocks: each block's task runs, once, in its
// block; the second await finds the first task done.
Task<void> containerReusedAcrossBlocks() {
  std::vector<Task<int>> Tasks;
  {
    std::string Name = "first";
    Tasks.push_back(fetch(Name));
    co_await lib::awaitAll(Tasks);
  }
  {
    std::string Name = "second";
    Tasks.push_back(fetch(Name));
    co_await lib::awaitAll(Tasks);
  }
}
// Near miss: in its block it runs only on one branch.
Task<void> containerRunOnOneBranch(bool Now) {
  std::vector<Task<int>> Tasks;
  {
    std::string Name = "maybe";
    Tasks.push_back(fetch(Name));
    // CHECK-MESSAGES: :[[@LINE-1]]:27: warning: 'Url' refers to local 'Name', which is destroyed at the end of its scope, before the coroutine finishes [coro-dangling-reference]
    if (Now)
      co_await lib::awaitAll(Tasks);
  }
  co_await lib::awaitAll(Tasks);
}
// A function a test framework's macro defines is named by the macro as
// written, not by the name it generates.
#define MY_TEST(Name) void Name##_test_body()
#define MY_TEST_F(Name) MY_TEST(Name)
MY_TEST_F(postsInATest) {
  std::string Line = "in a test";
  lib::post(log(Line));
  // CHECK-MESSAGES: :[[@LINE-1]]:17: warning: 'Line' refers to local 'Line', which is destroyed when the enclosing 'MY_TEST_F' returns, before the coroutine finishes [coro-dangling-reference]
}
// A future nobody waits on: the task runs on.
void futureDropped() {
  std::string Line = "forgotten";
  auto Done = lib::postWaitable(log(Line));
  // CHECK-MESSAGES: :[[@LINE-1]]:37: warning: 'Line' refers to local 'Line', which is destroyed when 'futureDropped' returns, before the coroutine finishes [coro-dangling-reference]
}
// A temporary bound to a stored lambda's reference parameter.
Task<int> lambdaOnATemporary() {
  auto T = [](const int &A) -> Task<int> {
    co_await step();
    co_return A;
  }(1);
  // CHECK-MESSAGES: :[[@LINE-1]]:5: warning: 'A' refers to a temporary that is destroyed before the coroutine resumes [coro-dangling-reference]
  use(0);
  co_return co_await std::move(T);
}
// Read only before its first co_await, but lazily started: every read comes
// after the initial suspension.
Task<int> readsFirst(const std::string &S) {
// CHECK-FIXES: {{^}}Task<int> readsFirst(std::string S) {{{$}}
  int N = static_cast<int>(S.size());
  co_await step();
  co_return N;
}
Task<int> storedLazyCall() {
  auto T = readsFirst(std::string("early"));
  // CHECK-MESSAGES: :[[@LINE-1]]:23: warning: 'S' refers to a temporary that is destroyed before the coroutine resumes [coro-dangling-reference]
  use(0);
  co_return co_await std::move(T);
}

// A plain lambda makes a task from what it captured by reference: the task
// returns to the lambda's caller, which runs inside the capturing scope.
Task<int> makerLambda() {
  std::string Name = "made";
  auto Make = [&](int) { return fetch(Name); };
  co_return co_await Make(1);
}
// Near miss: the lambda posts that task detached instead.
void makerPosts() {
  std::string Name = "posted";
  auto Post = [&] { lib::post(log(Name)); };
  // CHECK-MESSAGES: :[[@LINE-1]]:35: warning: 'Line' refers to 'Name', a local of 'makerPosts', which is destroyed when 'makerPosts' returns, before the coroutine finishes [coro-dangling-reference]
  Post();
}

// --- 5. Templates: analysed through their instantiations --------------------

namespace net {
struct io_context {
  void run();
};
struct detached_t {};
inline constexpr detached_t detached;
// Copies the callable and runs the coroutine it returns detached.
template <class F> void co_spawn(io_context &, F &&, detached_t) {}
} // namespace net

// A member template of a class template spawning, per loop iteration, a
// detached coroutine lambda that captures the iteration's locals.
template <class Conn> struct Server {
  net::io_context Ctx;
  template <class Handler> void serve(Handler &H, std::vector<std::pair<int, int>> Items) {
    for (int I = 0; I < 2; ++I) {
      std::string Buffer = "request";
      std::string_view View = Buffer;
      auto [Key, Value] = Items[I];
      auto Owner = std::make_shared<int>(I);
      net::co_spawn(Ctx, [&, View]() -> Task<void> {
        // CHECK-MESSAGES: :[[@LINE-1]]:27: warning: 'Buffer' is captured by reference by a coroutine lambda that 'co_spawn' runs detached; it is destroyed at the end of its scope, before the coroutine finishes; capture it by value [coro-dangling-reference]
        // CHECK-MESSAGES: :[[@LINE-2]]:27: warning: 'Key' is captured by reference by a coroutine lambda that 'co_spawn' runs detached
        // CHECK-MESSAGES: :[[@LINE-3]]:27: warning: 'Owner' is captured by reference by a coroutine lambda that 'co_spawn' runs detached
        // CHECK-MESSAGES: :[[@LINE-4]]:27: warning: 'Value' is captured by reference by a coroutine lambda that 'co_spawn' runs detached
        // CHECK-MESSAGES: :[[@LINE-5]]:30: warning: 'View', captured by a coroutine lambda that 'co_spawn' runs detached, looks into local 'Buffer', which is destroyed at the end of its scope, before the coroutine finishes; capture an owning copy [coro-dangling-reference]
        co_await step();
        use(static_cast<int>(Buffer.size() + View.size()) + Key + Value + *Owner);
        H(Conn{});
      }, net::detached);
    }
  }
};
struct Tcp {};
void handle(Tcp);
void serveAll(std::vector<std::pair<int, int>> Items) {
  Server<Tcp> S;
  auto H = [](Tcp C) { handle(C); };
  S.serve(H, Items);
}

// A guard object, local to a coroutine, whose member detaches a coroutine
// capturing `this`: the guard dies when the coroutine returns.
template <class T> struct Guard {
  net::io_context &Ctx;
  T Value;
  void release() {
    net::co_spawn(Ctx, [this]() -> Task<void> {
      // CHECK-MESSAGES: :[[@LINE-1]]:25: warning: 'this' is captured by a coroutine lambda that 'co_spawn' runs detached; nothing keeps the object alive until the coroutine finishes; capture a shared_ptr to it (shared_from_this()) instead [coro-dangling-reference]
      co_await step();
      use(Value);
    }, net::detached);
  }
};
Task<void> withAGuard(net::io_context &Ctx) {
  Guard<int> G{Ctx, 1};
  G.release();
  co_await step();
}

// A wrapper taking a forwarding reference and posting a lazily started
// coroutine that takes the callable as `F`: for an lvalue, `F` is a
// reference, and the posted task keeps it.
template <class F> void postWork(F &&Fn) {
  lib::post([](F Work) -> Task<void> {
    co_await step();
    Work();
  }(std::forward<F>(Fn)));
  // CHECK-MESSAGES: :[[@LINE-1]]:5: warning: 'Work' is declared 'F' but is a reference here (F = {{.*}}): the lazily started task is detached with a reference to what its caller passed [coro-dangling-reference]
}
void postsACallable() {
  auto Job = [] { use(3); };
  postWork(Job);
  postWork([] { use(4); }); // F is the lambda's type: a copy in the frame.
}
// F is a reference to a function, which lives as long as the program.
void runsAFunction() { use(5); }
template <class F> void postFunction(F &&Fn) {
  lib::post([](F Work) -> Task<void> {
    co_await step();
    Work();
  }(std::forward<F>(Fn)));
}
void postsAFunction() { postFunction(runsAFunction); }
