// async::Task<T>: a lazily started coroutine task with symmetric transfer,
// and async::syncWait to drive one from ordinary code.
#pragma once
#include <coroutine>
#include <cstddef>
#include <new>
#include <exception>
#include <optional>
#include <utility>

namespace async {

template <class T> class [[clang::coro_await_elidable]] Task;

// Coroutine frames allocated on the heap so far: a frame clang elides into
// its caller's is not counted. (The example is single-threaded.)
inline long framesAllocated = 0;

namespace detail {
template <class T> struct PromiseBase {
  static void *operator new(std::size_t size) {
    ++framesAllocated;
    return ::operator new(size);
  }
  static void operator delete(void *frame, std::size_t size) noexcept {
    ::operator delete(frame, size);
  }
  std::coroutine_handle<> continuation;
  std::exception_ptr error;
  std::suspend_always initial_suspend() noexcept { return {}; }
  struct FinalAwaiter {
    bool await_ready() noexcept { return false; }
    template <class P>
    std::coroutine_handle<> await_suspend(std::coroutine_handle<P> h) noexcept {
      auto next = h.promise().continuation;
      return next ? next : std::noop_coroutine();
    }
    void await_resume() noexcept {}
  };
  FinalAwaiter final_suspend() noexcept { return {}; }
  void unhandled_exception() { error = std::current_exception(); }
};
} // namespace detail

template <class T> class [[clang::coro_await_elidable]] Task {
public:
  struct promise_type : detail::PromiseBase<T> {
    std::optional<T> value;
    Task get_return_object() { return Task(Handle::from_promise(*this)); }
    void return_value(T v) { value = std::move(v); }
  };
  using Handle = std::coroutine_handle<promise_type>;

  Task(Task &&other) noexcept : handle_(std::exchange(other.handle_, {})) {}
  Task &operator=(Task &&) = delete;
  ~Task() {
    if (handle_)
      handle_.destroy();
  }

  bool await_ready() const noexcept { return false; }
  std::coroutine_handle<> await_suspend(std::coroutine_handle<> awaiting) noexcept {
    handle_.promise().continuation = awaiting;
    return handle_;
  }
  T await_resume() {
    if (handle_.promise().error)
      std::rethrow_exception(handle_.promise().error);
    return std::move(*handle_.promise().value);
  }

  // Runs the task to completion on the calling thread (the example's tasks
  // never wait for anything external).
  T syncWait() && {
    handle_.resume();
    return await_resume();
  }

private:
  explicit Task(Handle h) : handle_(h) {}
  Handle handle_;
};

} // namespace async
