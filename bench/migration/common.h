// Shared by every configuration of the migration benchmark
// (bench/migration.py): the task type, the per-call work, the allocation
// counter and the timing harness. Only the interface, its implementations and
// the dispatch coroutine `serve` differ between configurations, and `serve`'s
// loop is the same text in all of them. The program's main file also
// includes alloc_counter.h, which counts the allocations.
#pragma once
#include <chrono>
#include <coroutine>
#include <cstdio>
#include <cstdlib>
#include <exception>
#include <new>
#include <optional>
#include <utility>
#include <vector>

namespace bench {

// Heap allocations made through the global operator new (every coroutine
// frame that is not elided).
inline long allocations = 0;

// A lazily started task with symmetric transfer. Elidable: clang puts the
// frame of a directly awaited call into the awaiting coroutine's frame when
// it can see the callee.
template <class T> class [[clang::coro_await_elidable]] Task {
public:
  struct promise_type {
    std::coroutine_handle<> continuation;
    std::optional<T> value;
    Task get_return_object() { return Task(Handle::from_promise(*this)); }
    std::suspend_always initial_suspend() noexcept { return {}; }
    struct FinalAwaiter {
      bool await_ready() noexcept { return false; }
      std::coroutine_handle<>
      await_suspend(std::coroutine_handle<promise_type> h) noexcept {
        auto next = h.promise().continuation;
        return next ? next : std::noop_coroutine();
      }
      void await_resume() noexcept {}
    };
    FinalAwaiter final_suspend() noexcept { return {}; }
    void return_value(T v) { value = std::move(v); }
    void unhandled_exception() { std::terminate(); }
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
  T await_resume() { return std::move(*handle_.promise().value); }

  // Runs the task to completion on this thread.
  T syncWait() && {
    handle_.resume();
    return await_resume();
  }

private:
  explicit Task(Handle h) : handle_(h) {}
  Handle handle_;
};

// The work of one handler call: a few rounds of a 64-bit mixer over the
// handler's state and the request, a few dozen instructions.
inline long mix(long state, long request, unsigned long salt) {
  unsigned long h = static_cast<unsigned long>(state) ^
                    (static_cast<unsigned long>(request) * 0x9E3779B97F4A7C15ul);
  for (unsigned long round = 0; round < 4; ++round) {
    h ^= h >> 31;
    h *= 0xBF58476D1CE4E5B9ul ^ salt;
    h ^= h >> 27;
    h += round + salt;
  }
  return static_cast<long>(h >> 1);
}

// The work of one handler call in the chosen workload: the mixer above
// (a few dozen instructions), or with BENCH_LIGHT one addition, so light
// that the cost of the call itself is what a row measures.
inline long work(long state, long request, unsigned long salt) {
#ifdef BENCH_LIGHT
  return state + static_cast<long>(static_cast<unsigned long>(request) ^ salt);
#else
  return mix(state, request, salt);
#endif
}

inline volatile long sink;

// Runs `start(calls, seed)` (a task that makes `calls` handler calls) once to
// warm up, then `reps` times, and prints one JSON line: the nanoseconds per
// call and the allocations of each timed repetition. The task's own frame is
// allocated by `start`, before the counter is read, so only the allocations
// of the calls are counted. argv: calls per repetition, repetitions, seed.
template <class Start> int run(int argc, char **argv, Start start) {
  long calls = argc > 1 ? std::atol(argv[1]) : 10'000'000;
  int reps = argc > 2 ? std::atoi(argv[2]) : 7;
  long seed = argc > 3 ? std::atol(argv[3]) : 12345;
  std::vector<double> nanos;
  std::vector<long> allocs;
  for (int rep = 0; rep <= reps; ++rep) {
    Task<long> task = start(calls, seed + rep);
    long allocsBefore = allocations;
    auto begin = std::chrono::steady_clock::now();
    sink = std::move(task).syncWait();
    auto end = std::chrono::steady_clock::now();
    long made = allocations - allocsBefore;
    if (rep == 0)
      continue;
    nanos.push_back(std::chrono::duration<double, std::nano>(end - begin).count() /
                    static_cast<double>(calls));
    allocs.push_back(made);
  }
  std::printf("{\"calls\": %ld, \"ns_per_call\": [", calls);
  for (std::size_t i = 0; i < nanos.size(); ++i)
    std::printf("%s%.4f", i ? ", " : "", nanos[i]);
  std::printf("], \"allocations\": [");
  for (std::size_t i = 0; i < allocs.size(); ++i)
    std::printf("%s%ld", i ? ", " : "", allocs[i]);
  std::printf("]}\n");
  return 0;
}

} // namespace bench
