// Minimal coroutine task types for the tests: a lazy task, an eager task, an
// elidable lazy task, and a task whose promise is found through
// std::coroutine_traits instead of a nested promise_type.
#pragma once
#include <coroutine>
#include <exception>
#include <utility>

namespace test {

template <class T> struct ValueHolder {
  T Value{};
  void return_value(T V) { Value = std::move(V); }
};
template <> struct ValueHolder<void> {
  void return_void() {}
};

template <class T, bool Eager, class Self> struct BasicPromise : ValueHolder<T> {
  std::coroutine_handle<> Continuation;
  Self get_return_object() {
    return Self{std::coroutine_handle<BasicPromise>::from_promise(*this)};
  }
  auto initial_suspend() noexcept {
    if constexpr (Eager)
      return std::suspend_never{};
    else
      return std::suspend_always{};
  }
  struct FinalAwaiter {
    bool await_ready() noexcept { return false; }
    std::coroutine_handle<> await_suspend(std::coroutine_handle<BasicPromise> H) noexcept {
      auto C = H.promise().Continuation;
      return C ? C : std::noop_coroutine();
    }
    void await_resume() noexcept {}
  };
  FinalAwaiter final_suspend() noexcept { return {}; }
  void unhandled_exception() { std::terminate(); }
};

template <class T, bool Eager, class Self> struct BasicTask {
  using promise_type = BasicPromise<T, Eager, Self>;
  std::coroutine_handle<promise_type> Handle;
  explicit BasicTask(std::coroutine_handle<promise_type> H) : Handle(H) {}
  BasicTask(BasicTask &&Other) noexcept : Handle(std::exchange(Other.Handle, {})) {}
  ~BasicTask() {
    if (Handle)
      Handle.destroy();
  }
  bool await_ready() const noexcept { return Handle.done(); }
  std::coroutine_handle<> await_suspend(std::coroutine_handle<> Awaiting) noexcept {
    Handle.promise().Continuation = Awaiting;
    return Handle;
  }
  T await_resume() {
    if constexpr (!std::is_void_v<T>)
      return std::move(Handle.promise().Value);
  }
};

template <class T = void> struct Task : BasicTask<T, false, Task<T>> {
  using BasicTask<T, false, Task<T>>::BasicTask;
};
template <class T = void> struct EagerTask : BasicTask<T, true, EagerTask<T>> {
  using BasicTask<T, true, EagerTask<T>>::BasicTask;
};
template <class T = void>
struct [[clang::coro_await_elidable]] ElidableTask
    : BasicTask<T, false, ElidableTask<T>> {
  using BasicTask<T, false, ElidableTask<T>>::BasicTask;
};

} // namespace test
