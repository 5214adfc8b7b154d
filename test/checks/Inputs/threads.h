// Locks, awaiters and schedulers for the coro-thread-affinity tests.
#pragma once
#include "task.h"
#include <coroutine>
#include <mutex>

namespace test {

// A mutex and guard annotated for clang's thread-safety analysis, with names
// that no option lists.
struct __attribute__((capability("mutex"))) AnnotatedMutex {
  void acquire() __attribute__((acquire_capability()));
  void letGo() __attribute__((release_capability()));
};
struct __attribute__((scoped_lockable)) AnnotatedGuard {
  explicit AnnotatedGuard(AnnotatedMutex &M) __attribute__((acquire_capability(M)));
  ~AnnotatedGuard() __attribute__((release_capability()));
};

// An awaiter that completes at once.
struct Ready {
  bool await_ready() const noexcept { return true; }
  void await_suspend(std::coroutine_handle<>) const noexcept {}
  void await_resume() const noexcept {}
};

// A thread pool whose schedule() resumes the coroutine on one of its threads.
struct Pool {
  struct ScheduleAwaiter {
    bool await_ready() const noexcept { return false; }
    void await_suspend(std::coroutine_handle<>) const noexcept {}
    void await_resume() const noexcept {}
  };
  ScheduleAwaiter schedule();
};

// An async mutex: its guard is meant to be held while suspended.
struct AsyncMutex {
  void lock();
  void unlock();
  struct LockAwaiter {
    bool await_ready() const noexcept { return false; }
    void await_suspend(std::coroutine_handle<>) const noexcept {}
    std::unique_lock<AsyncMutex> await_resume() const noexcept;
  };
  LockAwaiter scoped_lock_async();
};

// An async mutex spelled as async_simple spells it: its guard too is meant
// to be held while suspended.
struct CamelMutex {
  void lock();
  void unlock();
  AsyncMutex::LockAwaiter coScopedLock();
};

// An asynchronous condition variable: wait() releases the lock it is given
// while the coroutine is suspended, and takes it again before resuming.
struct AsyncConditionVariable {
  struct WaitAwaiter {
    bool await_ready() const noexcept { return false; }
    void await_suspend(std::coroutine_handle<>) const noexcept {}
    void await_resume() const noexcept {}
  };
  template <class Lock, class Pred> WaitAwaiter wait(Lock &, Pred) { return {}; }
};

// Test assertions the way gtest and Catch2 expand them: the comparison is
// behind the framework's own helpers.
template <class A, class B> bool expectEq(const A &, const B &) { return true; }
struct Decomposed {
  template <class T> bool operator==(const T &) const { return true; }
};
struct Decomposer {
  template <class T> Decomposed operator<=(const T &) const { return {}; }
};
#define EXPECT_EQ(A, B) (void)::test::expectEq(A, B)
#define REQUIRE(E) (void)(::test::Decomposer() <= E)

// A generator, for co_yield.
struct Generator {
  struct promise_type {
    Generator get_return_object() { return {}; }
    std::suspend_always initial_suspend() noexcept { return {}; }
    std::suspend_always final_suspend() noexcept { return {}; }
    std::suspend_always yield_value(int) { return {}; }
    void return_void() {}
    void unhandled_exception() {}
  };
};

} // namespace test
