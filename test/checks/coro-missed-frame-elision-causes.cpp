// RUN: %check_coro_tidy --check-suffixes=DEFAULT %s coro-missed-frame-elision %t
// RUN: %check_coro_tidy --check-suffixes=MACRO %s coro-missed-frame-elision %t.macro \
// RUN:   --config="{CheckOptions: {coro-missed-frame-elision.ElidableMacro: CORO_AWAIT_ELIDABLE}}"
// RUN: %check_coro_tidy --check-suffixes=IGNORED %s coro-missed-frame-elision %t.ignored \
// RUN:   --config="{CheckOptions: {coro-missed-frame-elision.IgnoredHeaders: '.*causes.*'}}"

#include "task.h"
#include <coroutine>
#include <exception>
#include <functional>

#define CORO_AWAIT_ELIDABLE [[clang::coro_await_elidable]]

// --- A task type that is always awaited directly ---------------------------

template <class T> struct Job : test::BasicTask<T, false, Job<T>> {
  // CHECK-MESSAGES-DEFAULT: :[[@LINE-1]]:27: warning: task type 'Job' is always awaited directly in this translation unit, but it is not {{\[\[}}clang::coro_await_elidable{{\]\]}}, so every call allocates a coroutine frame that clang could place in the awaiting coroutine's frame [coro-missed-frame-elision]
  // CHECK-MESSAGES-MACRO: :[[@LINE-2]]:27: warning: task type 'Job' is always awaited directly
  using test::BasicTask<T, false, Job<T>>::BasicTask;
};
// CHECK-FIXES-DEFAULT: {{^}}template <class T> struct {{\[\[}}clang::coro_await_elidable{{\]\]}} Job : test::BasicTask<T, false, Job<T>> {{{$}}
// CHECK-FIXES-MACRO: {{^}}template <class T> struct CORO_AWAIT_ELIDABLE Job : test::BasicTask<T, false, Job<T>> {{{$}}

// Sometimes stored: its tasks may outlive their awaiter, so not reported.
struct Sometimes : test::BasicTask<int, false, Sometimes> {
  using BasicTask::BasicTask;
};

struct CORO_AWAIT_ELIDABLE Pipe : test::BasicTask<int, false, Pipe> {
  using BasicTask::BasicTask;
};

Job<int> makeJob();
Job<long> makeLongJob();
Sometimes sometimes();
Pipe pipe(int);

Pipe usesJobs() {
  int A = co_await makeJob();
  long B = co_await makeLongJob();
  // CHECK-MESSAGES-DEFAULT: :[[@LINE-2]]:20: note: awaited directly here
  auto Kept = sometimes();
  int C = co_await sometimes();
  co_return A + static_cast<int>(B) + C + co_await std::move(Kept);
}

// --- An elidable task awaited from a coroutine whose type is not ----------

struct Driver {
  struct promise_type {
    Driver get_return_object() { return {}; }
    std::suspend_never initial_suspend() noexcept { return {}; }
    std::suspend_never final_suspend() noexcept { return {}; }
    void return_void() {}
    void unhandled_exception() { std::terminate(); }
  };
};

Driver drive() {
  co_await pipe(1);
  // CHECK-MESSAGES-DEFAULT: :[[@LINE-1]]:12: warning: the frame of this awaited 'Pipe' is not elided because the awaiting coroutine returns 'Driver', which is not {{\[\[}}clang::coro_await_elidable{{\]\]}}; clang elides only inside coroutines whose type is [coro-missed-frame-elision]
  // CHECK-MESSAGES-MACRO: :[[@LINE-2]]:12: warning: the frame of this awaited 'Pipe' is not elided
  // CHECK-MESSAGES-IGNORED: :[[@LINE-3]]:12: warning: the frame of this awaited 'Pipe' is not elided
  co_await pipe(2); // One report per coroutine.
}

Pipe elidableAwaitingElidable() { co_return co_await pipe(3); }

// --- Indirect calls ---------------------------------------------------------

struct Handler {
  virtual Pipe handle(int) = 0;
  virtual ~Handler() = default;
};
struct FinalHandler final : Handler {
  Pipe handle(int) override;
};

Pipe indirect(Handler &H, FinalHandler &F, Pipe (*Fn)(int),
              std::function<Pipe(int)> &Callback) {
  int A = co_await H.handle(1);
  // CHECK-MESSAGES-DEFAULT: :[[@LINE-1]]:20: warning: the awaited call is virtual, so clang cannot elide its coroutine frame although 'Pipe' is {{\[\[}}clang::coro_await_elidable{{\]\]}}; each call allocates [coro-missed-frame-elision]
  // CHECK-MESSAGES-DEFAULT: :[[@LINE-12]]:8: note: if nothing uses 'Handler' dynamically, coro-devirtualize can make this call direct by turning the interface into a concept
  // CHECK-MESSAGES-MACRO: :[[@LINE-3]]:20: warning: the awaited call is virtual
  // CHECK-MESSAGES-IGNORED: :[[@LINE-4]]:20: warning: the awaited call is virtual
  int B = co_await Fn(2);
  // CHECK-MESSAGES-DEFAULT: :[[@LINE-1]]:20: warning: the awaited call is made through a function pointer
  // CHECK-MESSAGES-MACRO: :[[@LINE-2]]:20: warning: the awaited call is made through a function pointer
  // CHECK-MESSAGES-IGNORED: :[[@LINE-3]]:20: warning: the awaited call is made through a function pointer
  int C = co_await Callback(3);
  // CHECK-MESSAGES-DEFAULT: :[[@LINE-1]]:20: warning: the awaited call is made through std::function
  // CHECK-MESSAGES-MACRO: :[[@LINE-2]]:20: warning: the awaited call is made through std::function
  // CHECK-MESSAGES-IGNORED: :[[@LINE-3]]:20: warning: the awaited call is made through std::function
  // Devirtualized by the compiler: a final class, a qualified call.
  int D = co_await F.handle(4);
  int E = co_await F.FinalHandler::handle(5);
  co_return A + B + C + D + E;
}
