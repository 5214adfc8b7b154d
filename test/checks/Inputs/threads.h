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
