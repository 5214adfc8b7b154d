// Structured and detaching combinators, declared as a library would, for the
// coro-dangling-reference tests.
#pragma once
#include "task.h"
#include <functional>
#include <memory>

namespace test {

// Awaits every argument; the result is a task of its own.
template <class... Ts> Task<void> when_all(Ts &&...Tasks);
// Blocks until the task is done.
template <class T> T sync_wait(Task<T> &&Work);
// Runs the task (or the coroutine the callable returns) detached.
void co_spawn(Task<void> Work);
void co_spawn(std::function<Task<void>()> Make);
// Keeps the task somewhere: an unknown callee taking it by value.
void keep(Task<int> Work);
// Uses the task synchronously, by reference.
void inspect(const Task<int> &Work);

// A detached, self-destroying coroutine type.
struct FireAndForget {
  struct promise_type {
    FireAndForget get_return_object() { return {}; }
    std::suspend_never initial_suspend() noexcept { return {}; }
    std::suspend_never final_suspend() noexcept { return {}; }
    void return_void() {}
    void unhandled_exception() {}
  };
};

} // namespace test

// The shape of asio's API: co_spawn copies the callable and runs it detached;
// run() blocks until the work is done.
namespace asio {
struct io_context {
  void run();
};
struct detached_t {};
inline constexpr detached_t detached;
template <class F> void co_spawn(io_context &, F &&, detached_t) {}
} // namespace asio
