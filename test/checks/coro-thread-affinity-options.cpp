// Each option against a run without it: the DEFAULT run sets nothing, so
// every spelling the other runs configure is unknown to it.
// RUN: %check_coro_tidy --check-suffixes=DEFAULT %s coro-thread-affinity %t.default
// Default mode (every real suspension may resume elsewhere), with this
// file's library types and functions configured.
// RUN: %check_coro_tidy --check-suffixes=ANY %s coro-thread-affinity %t.any \
// RUN:   --config="{CheckOptions: {coro-thread-affinity.ThreadAffineTypes: '::ui::Widget', coro-thread-affinity.LockTypes: '::spin::Guard', coro-thread-affinity.ThreadSpawningCallees: '::pool::submit', coro-thread-affinity.MutexTypes: '::spin::Lock', coro-thread-affinity.ThreadIdentityFunctions: '::os::threadId', coro-thread-affinity.SafeAwaitables: '::lib::acquire'}}"
// Hopping mode: only awaits listed in ThreadHoppingAwaitables move threads.
// RUN: %check_coro_tidy --check-suffixes=HOP %s coro-thread-affinity %t.hop \
// RUN:   --config="{CheckOptions: {coro-thread-affinity.ResumeThread: Hopping, coro-thread-affinity.ThreadAffineTypes: '::ui::Widget', coro-thread-affinity.LockTypes: '::spin::Guard', coro-thread-affinity.ThreadSpawningCallees: '::pool::submit'}}"
// Hopping mode with another list of awaitables that hop: exec::transfer()
// instead of the defaults (.*::schedule among them).
// RUN: %check_coro_tidy --check-suffixes=HOPTO %s coro-thread-affinity %t.hopto \
// RUN:   --config="{CheckOptions: {coro-thread-affinity.ResumeThread: Hopping, coro-thread-affinity.ThreadHoppingAwaitables: '::exec::transfer'}}"
// Bad option values are reported, not silently ignored.
// RUN: %clang_tidy --load %plugin --checks='-*,coro-thread-affinity' %s \
// RUN:   --config="{CheckOptions: {coro-thread-affinity.ResumeThread: Sometimes, coro-thread-affinity.LockTypes: '::spin::(Guard'}}" \
// RUN:   -- -std=c++20 -I%inputs 2>&1 | FileCheck %s --check-prefix=BAD
// BAD-DAG: invalid value 'Sometimes' for coro-thread-affinity.ResumeThread; expected 'Any' or 'Hopping', using 'Any'
// BAD-DAG: invalid regular expression '::spin::(Guard' in an option of coro-thread-affinity; it is ignored

#include "threads.h"
#include <functional>
#include <memory>
#include <mutex>

using test::Task;

namespace spin {
struct Lock { void lock(); void unlock(); };
struct Guard { explicit Guard(Lock &); ~Guard(); };
} // namespace spin
namespace ui {
struct Object { virtual ~Object(); };
struct Widget : Object { void repaint(); };
struct Button : Widget {};
} // namespace ui
namespace pool {
void submit(std::function<void()>);
} // namespace pool
namespace os {
unsigned long threadId();
} // namespace os
namespace lib {
// An async mutex whose guard is meant to be held while suspended.
struct AcquireAwaiter {
  bool await_ready() const noexcept { return false; }
  void await_suspend(std::coroutine_handle<>) const noexcept {}
  std::unique_lock<std::mutex> await_resume() const noexcept;
};
AcquireAwaiter acquire(std::mutex &);
} // namespace lib
namespace exec {
// Resumes the coroutine on another executor's thread.
struct TransferAwaiter {
  bool await_ready() const noexcept { return false; }
  void await_suspend(std::coroutine_handle<>) const noexcept {}
  void await_resume() const noexcept {}
};
TransferAwaiter transfer();
} // namespace exec

spin::Lock SpinLock;
std::mutex M;
test::Pool ThePool;
thread_local int TLCounter;
Task<void> step();
ui::Widget &mainWindow();

// LockTypes: spin::Guard is a lock only when listed (DEFAULT, HOPTO: quiet).
Task<void> customGuard() {
  spin::Guard G(SpinLock);
  // CHECK-MESSAGES-ANY: :[[@LINE-1]]:15: warning: lock 'G' is held across a suspension point: the coroutine may resume on another thread
  // CHECK-MESSAGES-HOP: :[[@LINE-2]]:15: warning: lock 'G' is held across a suspension point: while suspended it blocks every other user of the mutex and can deadlock; release it before suspending
  co_await step();
}

Task<void> lockAcrossAHop() {
  std::lock_guard G(M);
  // CHECK-MESSAGES-ANY: :[[@LINE-1]]:19: warning: lock 'G' is held across a suspension point: the coroutine may resume on another thread
  // CHECK-MESSAGES-HOP: :[[@LINE-2]]:19: warning: lock 'G' is held across a suspension point that resumes on another thread, which would unlock a mutex it does not own; release it before suspending
  // CHECK-MESSAGES-DEFAULT: :[[@LINE-3]]:19: warning: lock 'G' is held across a suspension point: the coroutine may resume on another thread
  // CHECK-MESSAGES-HOPTO: :[[@LINE-4]]:19: warning: lock 'G' is held across a suspension point: while suspended it blocks every other user of the mutex and can deadlock; release it before suspending
  co_await ThePool.schedule();
  // CHECK-MESSAGES-HOP: :[[@LINE-1]]:3: note: suspension point here; it resumes on another thread
  // CHECK-MESSAGES-HOPTO: :[[@LINE-2]]:3: note: suspension point here{{$}}
}

Task<void> threadLocalAcrossPlainAwait() {
  int &Count = TLCounter;
  co_await step();
  ++Count;
  // CHECK-MESSAGES-ANY: :[[@LINE-1]]:5: warning: 'Count' refers into thread_local 'TLCounter' and is used after a suspension point that may resume on another thread
  // CHECK-MESSAGES-DEFAULT: :[[@LINE-2]]:5: warning: 'Count' refers into thread_local 'TLCounter' and is used after a suspension point that may resume on another thread
}

// ThreadHoppingAwaitables: without .*::schedule in the list (HOPTO), this
// await does not hop.
Task<void> threadLocalAcrossAHop() {
  int &Count = TLCounter;
  co_await ThePool.schedule();
  ++Count;
  // CHECK-MESSAGES-ANY: :[[@LINE-1]]:5: warning: 'Count' refers into thread_local 'TLCounter' and is used after a suspension point that resumes on another thread
  // CHECK-MESSAGES-HOP: :[[@LINE-2]]:5: warning: 'Count' refers into thread_local 'TLCounter' and is used after a suspension point that resumes on another thread
  // CHECK-MESSAGES-DEFAULT: :[[@LINE-3]]:5: warning: 'Count' refers into thread_local 'TLCounter' and is used after a suspension point that resumes on another thread
}

// ThreadAffineTypes: empty (DEFAULT, HOPTO), nothing is thread-affine.
Task<void> threadAffineObjectAlive() {
  ui::Button Local;
  // CHECK-MESSAGES-ANY: :[[@LINE-1]]:14: warning: 'Local' of thread-affine type 'ui::Button' is alive across a suspension point that resumes on another thread, where it must not be used or destroyed; destroy or hand it back before suspending
  // CHECK-MESSAGES-HOP: :[[@LINE-2]]:14: warning: 'Local' of thread-affine type 'ui::Button' is alive across a suspension point that resumes on another thread
  co_await step();
  co_await ThePool.schedule();
}

Task<void> ownedThreadAffineObject() {
  auto Owned = std::make_unique<ui::Widget>();
  // CHECK-MESSAGES-ANY: :[[@LINE-1]]:8: warning: 'Owned' of thread-affine type 'std::unique_ptr<ui::Widget>' is alive across a suspension point
  co_await step();
}

Task<void> threadAffineReference() {
  ui::Widget &Window = mainWindow();
  co_await step();
  Window.repaint();
  // CHECK-MESSAGES-ANY: :[[@LINE-1]]:3: warning: 'Window' refers to an object of thread-affine type 'ui::Widget' and is used after a suspension point that may resume on another thread; resume on the object's thread before using it
}

// ThreadSpawningCallees: pool::submit spawns only when listed.
Task<void> submittedToAPool() {
  int Local = 0;
  pool::submit([&Local] { ++Local; });
  // CHECK-MESSAGES-ANY: :[[@LINE-1]]:18: warning: 'Local' is handed by reference to pool::submit, which may run it on another thread; it may still be used after the coroutine has moved on or its frame is gone
  // CHECK-MESSAGES-HOP: :[[@LINE-2]]:18: warning: 'Local' is handed by reference to pool::submit, which may run it on another thread
  co_await step();
}

Task<void> widgetDestroyedBeforeAwait() {
  {
    ui::Widget Local;
    Local.repaint();
  }
  co_await ThePool.schedule();
}

// MutexTypes: spin::Lock's lock() and unlock() are tracked only when listed.
Task<void> customMutexLocked() {
  SpinLock.lock();
  // CHECK-MESSAGES-ANY: :[[@LINE-1]]:3: warning: mutex 'SpinLock' is locked across a suspension point: the coroutine may resume on another thread
  co_await step();
  SpinLock.unlock();
}

// ThreadIdentityFunctions: os::threadId() names a thread only when listed.
Task<bool> customThreadIdentity() {
  auto Before = os::threadId();
  co_await step();
  co_return Before == os::threadId();
  // CHECK-MESSAGES-ANY: :[[@LINE-1]]:13: warning: 'Before' identifies the thread the coroutine ran on before a suspension point that may resume on another thread
}

// SafeAwaitables: the guard lib::acquire() hands out is meant to be held
// while suspended only when listed (ANY: quiet).
Task<void> guardOfAnAsyncMutex() {
  auto Guard = co_await lib::acquire(M);
  // CHECK-MESSAGES-DEFAULT: :[[@LINE-1]]:8: warning: lock 'Guard' is held across a suspension point: the coroutine may resume on another thread
  // CHECK-MESSAGES-HOP: :[[@LINE-2]]:8: warning: lock 'Guard' is held across a suspension point: while suspended it blocks every other user of the mutex
  // CHECK-MESSAGES-HOPTO: :[[@LINE-3]]:8: warning: lock 'Guard' is held across a suspension point: while suspended it blocks every other user of the mutex
  co_await step();
}

// ThreadHoppingAwaitables: exec::transfer() hops only when listed (HOPTO);
// in Any mode every suspension may resume elsewhere anyway.
Task<void> threadLocalAcrossATransfer() {
  int &Count = TLCounter;
  co_await exec::transfer();
  ++Count;
  // CHECK-MESSAGES-HOPTO: :[[@LINE-1]]:5: warning: 'Count' refers into thread_local 'TLCounter' and is used after a suspension point that resumes on another thread
  // CHECK-MESSAGES-ANY: :[[@LINE-2]]:5: warning: 'Count' refers into thread_local 'TLCounter' and is used after a suspension point that may resume on another thread
  // CHECK-MESSAGES-DEFAULT: :[[@LINE-3]]:5: warning: 'Count' refers into thread_local 'TLCounter' and is used after a suspension point that may resume on another thread
}
