// Library shapes for the task-ownership tests of coro-dangling-reference:
// written for these tests in the way coroutine libraries write theirs
// (header templates whose bodies show what they do with a task), under
// invented names so that no name list can decide for the check.
#pragma once
#include "task.h"
#include <coroutine>
#include <future>
#include <utility>
#include <vector>

namespace lib {

// An awaitable that owns a task and runs it when awaited: what spawn(),
// fork() and the awaitable operators return.
template <class T> struct Owning {
  test::Task<T> Work;
  bool await_ready() const noexcept { return false; }
  std::coroutine_handle<> await_suspend(std::coroutine_handle<> H) {
    return Work.await_suspend(H);
  }
  T await_resume() { return Work.await_resume(); }
  // Runs it now, returning a handle that is awaited later.
  Owning fork() && { return std::move(*this); }
};

// Combinators whose bodies show that the task ends up in their result.
template <class T> Owning<T> launch(test::Task<T> Work) {
  return Owning<T>{std::move(Work)};
}
template <class T> test::Task<T> retry(test::Task<T> Work) {
  co_return co_await std::move(Work);
}
// Awaits every task of a container the caller keeps.
struct AwaitAll {
  bool await_ready() const noexcept { return false; }
  void await_suspend(std::coroutine_handle<>) const noexcept {}
  void await_resume() const noexcept {}
};
template <class T> AwaitAll awaitAll(std::vector<test::Task<T>> &Tasks) {
  (void)Tasks;
  return {};
}

// Blocks until the task is done: it runs it here, before returning.
template <class T> T block(test::Task<T> Work) {
  Work.Handle.resume();
  return {};
}

// A queue that outlives every caller: a task put there runs detached.
inline std::vector<test::Task<void>> &queue() {
  static std::vector<test::Task<void>> Q;
  return Q;
}
inline void post(test::Task<void> Work) { queue().push_back(std::move(Work)); }

// Posts the task and returns a future its completion sets.
inline std::future<void> postWaitable(test::Task<void> Work) {
  queue().push_back(std::move(Work));
  return std::future<void>();
}

// Posts a task that sets a flag when done, and blocks until it is set (a
// test's or a main's "run this to completion" helper).
inline test::Task<void> setWhenDone(test::Task<void> Work, bool *Done) {
  co_await std::move(Work);
  *Done = true;
}
inline void runToCompletion(test::Task<void> Work) {
  bool Done = false;
  post(setWhenDone(std::move(Work), &Done));
  while (!Done) {
  }
}
// Near miss: posts it the same way and returns at once.
inline void postAndForget(test::Task<void> Work) {
  static bool Done = false;
  post(setWhenDone(std::move(Work), &Done));
}

// Forks tasks onto the queue and is awaited until they are done (a fork
// group, a task group, a nursery).
struct Group {
  int Pending = 0;
  void fork(test::Task<void> Work) {
    ++Pending;
    post(std::move(Work));
  }
  bool await_ready() const noexcept { return Pending == 0; }
  void await_suspend(std::coroutine_handle<>) noexcept {}
  void await_resume() noexcept {}
};

// Runs a coroutine callable detached, keeping a copy of it (asio's shape).
struct Executor {};
struct Detached {};
inline constexpr Detached detached;
template <class F> void spawnDetached(Executor &, F &&Fn, Detached) {
  (void)Fn;
}

// A generator.
template <class T> struct Generator {
  struct promise_type {
    Generator get_return_object() {
      return Generator{std::coroutine_handle<promise_type>::from_promise(*this)};
    }
    std::suspend_always initial_suspend() noexcept { return {}; }
    std::suspend_always final_suspend() noexcept { return {}; }
    std::suspend_always yield_value(T) { return {}; }
    void return_void() {}
    void unhandled_exception() {}
  };
  struct iterator {
    bool operator!=(std::default_sentinel_t) const { return false; }
    iterator &operator++() { return *this; }
    T operator*() const { return {}; }
  };
  iterator begin() { return {}; }
  std::default_sentinel_t end() { return {}; }
  std::coroutine_handle<promise_type> Handle;
};

} // namespace lib

namespace test {
// An awaitable operator found by argument-dependent lookup, as asio's are.
template <class T> lib::Owning<T> operator&&(Task<T> A, Task<T> B) {
  (void)B;
  return lib::Owning<T>{std::move(A)};
}
} // namespace test
