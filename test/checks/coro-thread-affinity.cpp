// RUN: %check_coro_tidy %s coro-thread-affinity %t

#include "threads.h"
#include <cassert>
#include <future>
#include <shared_mutex>
#include <thread>
#include <utility>

using test::Task;

std::mutex M;
std::shared_mutex SM;
test::AnnotatedMutex AM;
test::AsyncMutex Async;
test::Pool ThePool;
thread_local int TLCounter;
thread_local int TLTable[8];
int Shared;
Task<void> step();
Task<int> child();
bool flag();
void use(int &);

// --- 1. Locks held at a suspension point -----------------------------------

Task<void> guardAcrossAwait() {
  std::lock_guard<std::mutex> G(M);
  // CHECK-MESSAGES: :[[@LINE-1]]:31: warning: lock 'G' is held across a suspension point: the coroutine may resume on another thread, which would unlock a mutex it does not own, and while suspended it blocks every other user of the mutex; release it before suspending [coro-thread-affinity]
  co_await step();
  // CHECK-MESSAGES: :[[@LINE-1]]:3: note: suspension point here
  ++Shared;
}

Task<void> deducedSharedLock() {
  std::shared_lock Reader(SM);
  // CHECK-MESSAGES: :[[@LINE-1]]:20: warning: lock 'Reader' is held across a suspension point
  co_await step();
  (void)Shared;
}

Task<int> suspendsInAnInitializer() {
  std::unique_lock<std::mutex> L(M);
  // CHECK-MESSAGES: :[[@LINE-1]]:32: warning: lock 'L' is held across a suspension point
  int V = co_await child();
  // CHECK-MESSAGES: :[[@LINE-1]]:11: note: suspension point here
  co_return V + Shared;
}

test::Generator yieldsUnderALock() {
  std::scoped_lock Both(M);
  // CHECK-MESSAGES: :[[@LINE-1]]:20: warning: lock 'Both' is held across a suspension point
  co_yield Shared;
  // CHECK-MESSAGES: :[[@LINE-1]]:3: note: suspension point here
}

Task<void> manualLock() {
  M.lock();
  // CHECK-MESSAGES: :[[@LINE-1]]:3: warning: mutex 'M' is locked across a suspension point
  co_await step();
  M.unlock();
}

Task<void> tryLockSuccessPath() {
  if (M.try_lock()) {
    // CHECK-MESSAGES: :[[@LINE-1]]:7: warning: mutex 'M' is locked across a suspension point
    co_await step();
    M.unlock();
  }
}

Task<void> tryToLockThatSucceeded() {
  std::unique_lock L(M, std::try_to_lock);
  // CHECK-MESSAGES: :[[@LINE-1]]:20: warning: lock 'L' is held across a suspension point
  if (!L)
    co_return;
  co_await step();
}
// CHECK-FIXES:      {{^}}Task<void> tryToLockThatSucceeded() {{{$}}
// CHECK-FIXES-NEXT: {{^}}  {{{$}}
// CHECK-FIXES-NEXT: {{^}}    std::unique_lock L(M, std::try_to_lock);{{$}}
// CHECK-FIXES:      {{^}}      co_return;{{$}}
// CHECK-FIXES-NEXT: {{^}}  }{{$}}
// CHECK-FIXES-NEXT: {{^}}  co_await step();{{$}}

Task<void> unlockedOnOnlyOneBranch() {
  std::unique_lock L(M);
  // CHECK-MESSAGES: :[[@LINE-1]]:20: warning: lock 'L' is held across a suspension point
  if (flag())
    L.unlock();
  co_await step();
}
// CHECK-FIXES:      {{^}}      L.unlock();{{$}}
// CHECK-FIXES-NEXT: {{^}}  }{{$}}

Task<void> annotatedTypes() {
  test::AnnotatedGuard G(AM);
  // CHECK-MESSAGES: :[[@LINE-1]]:24: warning: lock 'G' is held across a suspension point
  co_await step();
}

Task<void> annotatedManualLock() {
  AM.acquire();
  // CHECK-MESSAGES: :[[@LINE-1]]:3: warning: mutex 'AM' is locked across a suspension point
  co_await step();
  AM.letGo();
}

Task<void> guardMovedToAnother() {
  std::unique_lock First(M);
  std::unique_lock Second(std::move(First));
  // CHECK-MESSAGES: :[[@LINE-1]]:20: warning: lock 'Second' is held across a suspension point
  co_await step();
}

Task<void> shrinkable() {
  std::lock_guard G(M);
  // CHECK-MESSAGES: :[[@LINE-1]]:19: warning: lock 'G' is held across a suspension point
  ++Shared;
  Shared *= 2;
  co_await step();
  co_return;
}
// CHECK-FIXES:      {{^}}Task<void> shrinkable() {{{$}}
// CHECK-FIXES-NEXT: {{^}}  {{{$}}
// CHECK-FIXES-NEXT: {{^}}    std::lock_guard G(M);{{$}}
// CHECK-FIXES-NEXT: {{^}}    //{{$}}
// CHECK-FIXES-NEXT: {{^}}    ++Shared;{{$}}
// CHECK-FIXES-NEXT: {{^}}    Shared *= 2;{{$}}
// CHECK-FIXES-NEXT: {{^}}  }{{$}}
// CHECK-FIXES-NEXT: {{^}}  co_await step();{{$}}
// CHECK-FIXES-NEXT: {{^}}  co_return;{{$}}

Task<void> notShrinkableWorkAfterTheAwait() {
  std::lock_guard G(M);
  // CHECK-MESSAGES: :[[@LINE-1]]:19: warning: lock 'G' is held across a suspension point
  ++Shared;
  co_await step();
  ++Shared; // may rely on the lock: no fix
}
// CHECK-FIXES: {{^}}  std::lock_guard G(M);{{$}}

void coroutineLambda() {
  auto L = []() -> Task<void> {
    std::lock_guard G(M);
    // CHECK-MESSAGES: :[[@LINE-1]]:21: warning: lock 'G' is held across a suspension point
    co_await step();
  };
  (void)L;
}

// --- 2. References into thread_local storage -------------------------------

Task<void> threadLocalReference() {
  int &Count = TLCounter;
  ++Count;
  co_await step();
  ++Count;
  // CHECK-MESSAGES: :[[@LINE-1]]:5: warning: 'Count' refers into thread_local 'TLCounter' and is used after a suspension point that may resume on another thread, where it would still refer to the first thread's 'TLCounter'; read 'TLCounter' again after resuming [coro-thread-affinity]
  // CHECK-MESSAGES: :[[@LINE-3]]:3: note: suspension point here
  // CHECK-MESSAGES: :[[@LINE-6]]:8: note: 'Count' bound here
}

Task<int> pointerIntoThreadLocalArray(int I) {
  int *Slot = &TLTable[I];
  co_await step();
  co_return *Slot;
  // CHECK-MESSAGES: :[[@LINE-1]]:14: warning: 'Slot' refers into thread_local 'TLTable'
}

// --- 3. Thread identities compared after a suspension ----------------------

Task<bool> sameThreadAfterAwait() {
  auto Before = std::this_thread::get_id();
  co_await step();
  co_return Before == std::this_thread::get_id();
  // CHECK-MESSAGES: :[[@LINE-1]]:13: warning: 'Before' identifies the thread the coroutine ran on before a suspension point that may resume on another thread; comparing it afterwards tests the wrong thread, so take the identity again after resuming [coro-thread-affinity]
}

// --- 5. References handed to other threads ---------------------------------

Task<void> detachedTemporaryThread() {
  int Local = 0;
  std::thread([&] { use(Local); }).detach();
  // CHECK-MESSAGES: :[[@LINE-1]]:16: warning: 'Local' is handed by reference to std::thread, and the thread is detached; it may still be used after the coroutine has moved on or its frame is gone [coro-thread-affinity]
  // CHECK-MESSAGES: :[[@LINE-2]]:3: note: detached here
  co_await step();
}

Task<void> detachedNamedThread(int Param) {
  std::thread Worker([&Param] { use(Param); });
  // CHECK-MESSAGES: :[[@LINE-1]]:24: warning: 'Param' is handed by reference to std::thread, and the thread is detached
  Worker.detach();
  co_return;
}

Task<void> asyncFutureDropped() {
  int Local = 0;
  std::async(std::launch::async, [&Local] { ++Local; });
  // CHECK-MESSAGES: :[[@LINE-1]]:36: warning: 'Local' is handed by reference to std::async, and its future is discarded
  co_await step();
}

Task<void> asyncFutureNeverWaited() {
  int Local = 0;
  auto F = std::async(std::launch::async, [&] { ++Local; });
  // CHECK-MESSAGES: :[[@LINE-1]]:44: warning: 'Local' is handed by reference to std::async, and its future is never waited on
  co_await step();
}

// --- Must not be flagged ---------------------------------------------------

Task<void> guardInAnInnerScope() {
  {
    std::lock_guard G(M);
    ++Shared;
  }
  co_await step();
}

Task<void> unlockedBeforeAwait() {
  std::unique_lock L(M);
  ++Shared;
  L.unlock();
  co_await step();
}

Task<void> deferredLockTakenAfter() {
  std::unique_lock L(M, std::defer_lock);
  co_await step();
  L.lock();
  ++Shared;
}

Task<void> tryToLockFailurePath() {
  std::unique_lock L(M, std::try_to_lock);
  if (!L.owns_lock()) {
    co_await step();
    co_return;
  }
  ++Shared;
}

Task<void> movedAwayAndReleased() {
  std::unique_lock L(M);
  {
    auto Other = std::move(L);
    ++Shared;
  }
  co_await step();
}

Task<void> releasedThenUnlocked() {
  std::unique_lock L(M);
  L.release()->unlock();
  co_await step();
}

Task<void> manualUnlockBeforeAwait() {
  M.lock();
  ++Shared;
  M.unlock();
  co_await step();
}

Task<void> awaitsThatNeverSuspend() {
  std::lock_guard G(M);
  co_await std::suspend_never{};
  co_await test::Ready{};
  ++Shared;
}

Task<void> asyncMutexGuard() {
  auto Guard = co_await Async.scoped_lock_async();
  co_await step();
  ++Shared;
}

Task<void> freshThreadLocalAccess() {
  ++TLCounter;
  co_await step();
  ++TLCounter;
  int &Again = TLCounter;
  ++Again;
}

Task<void> threadLocalReferenceUsedBeforeOnly() {
  int &Count = TLCounter;
  ++Count;
  co_await step();
}

Task<bool> identityComparedBefore() {
  auto Before = std::this_thread::get_id();
  bool Same = Before == std::this_thread::get_id();
  co_await step();
  co_return Same;
}

Task<void> joinedThread() {
  int Local = 0;
  std::thread Worker([&] { use(Local); });
  Worker.join();
  co_await step();
}

Task<void> waitedFuture() {
  int Local = 0;
  auto F = std::async(std::launch::async, [&] { ++Local; });
  co_await step();
  F.get();
}

Task<void> capturesByValue() {
  int Local = 0;
  std::thread([Local] { (void)Local; }).detach();
  co_await step();
}

void notACoroutine() {
  std::lock_guard G(M);
  ++Shared;
}

// Templates are analysed once, on their definition.
template <class T> Task<T> generic(T Value) {
  std::lock_guard G(M);
  // CHECK-MESSAGES: :[[@LINE-1]]:19: warning: lock 'G' is held across a suspension point
  co_await step();
  co_return Value;
}
template Task<int> generic<int>(int);
template Task<long> generic<long>(long);

// --- Asynchronous locks and condition variables -------------------------------

test::AsyncConditionVariable CV;
test::CamelMutex Camel;

// The condition variable is handed the lock (or its mutex) and releases it
// while suspended.
Task<void> waitsOnAConditionVariable() {
  std::unique_lock<std::mutex> L(M);
  co_await CV.wait(L, [] { return true; });
  ++Shared;
}
Task<void> waitsOnAConditionVariableByMutex() {
  std::unique_lock<std::mutex> L(M);
  co_await CV.wait(M, [] { return true; });
  ++Shared;
}
// Near miss: another suspension under the same guard still holds it.
Task<void> waitsAndThenSuspendsUnderTheLock() {
  std::unique_lock<std::mutex> L(M);
  // CHECK-MESSAGES: :[[@LINE-1]]:32: warning: lock 'L' is held across a suspension point
  co_await CV.wait(L, [] { return true; });
  co_await step();
  // CHECK-MESSAGES: :[[@LINE-1]]:3: note: suspension point here
}
// CHECK-FIXES: {{^}}  {{{$}}
// CHECK-FIXES-NEXT: {{^}}    std::unique_lock<std::mutex> L(M);{{$}}
// CHECK-FIXES: {{^}}    co_await CV.wait(L, [] { return true; });{{$}}
// CHECK-FIXES-NEXT: {{^}}  }{{$}}
// CHECK-FIXES-NEXT: {{^}}  co_await step();{{$}}

// A guard an async mutex hands out, spelled camelCase.
Task<void> camelCaseAsyncGuard() {
  auto G = co_await Camel.coScopedLock();
  co_await step();
  ++Shared;
}

// --- Thread identities compared inside test assertions ------------------------
// A test that asserts where the coroutine resumed compares on purpose.

Task<void> comparedInAssertions() {
  auto Id = std::this_thread::get_id();
  co_await step();
  EXPECT_EQ(Id, std::this_thread::get_id());
  auto Id2 = std::this_thread::get_id();
  co_await step();
  REQUIRE(Id2 == std::this_thread::get_id());
  auto Id3 = std::this_thread::get_id();
  co_await step();
  assert(Id3 != std::this_thread::get_id());
}
// Near miss: the same comparison deciding what the code does.
Task<void> comparedToDecide() {
  auto Id = std::this_thread::get_id();
  co_await step();
  if (Id == std::this_thread::get_id())
    // CHECK-MESSAGES: :[[@LINE-1]]:7: warning: 'Id' identifies the thread the coroutine ran on before a suspension point
    ++Shared;
}
// Near miss: handed to an assertion that does not compare.
template <class T> bool valid(const T &) { return true; }
#define CHECK_VALID(X) (void)valid(X)
Task<void> notComparedInAnAssertion() {
  auto Id = std::this_thread::get_id();
  co_await step();
  CHECK_VALID(Id);
}

