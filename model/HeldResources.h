//===--- HeldResources.h - corotidy ----------------------------*- C++ -*-===//
//
// What a coroutine holds at each of its suspension points: lock guards that
// own their mutex, mutexes locked by hand, and objects that are alive. Tracked
// along the CFG, so an `unlock()`, a `release()`, a move, `std::defer_lock`, a
// failed `try_lock` or the end of a scope is seen where it happens.
//
//===----------------------------------------------------------------------===//

#ifndef COROTIDY_MODEL_HELDRESOURCES_H
#define COROTIDY_MODEL_HELDRESOURCES_H

#include "model/Model.h"
#include "llvm/ADT/STLFunctionalExtras.h"
#include <string>
#include <vector>

namespace corotidy::model {

struct HeldResource {
  enum Kind {
    LockGuard,   ///< A guard variable that may own a mutex.
    LockedMutex, ///< A mutex locked by hand (`m.lock()`), keyed by its path.
    LiveObject,  ///< An object that is held while it is alive.
  };
  Kind K;
  /// The guard or object variable; null for a mutex locked by hand.
  const clang::VarDecl *Var = nullptr;
  /// For a mutex locked by hand: the first `lock()`-like call on it.
  const clang::CXXMemberCallExpr *FirstLock = nullptr;
  /// How to name it in a message (`lk`, `mutex_`, `state.mu`).
  std::string Name;
};

/// A resource held at a suspension point that may really suspend.
struct HeldAtSuspension {
  size_t Resource; ///< Index into HeldResources::resources().
  const SuspensionPoint *Point;
};

/// What the caller considers a guard, a mutex and a live object.
struct HeldResourceRules {
  /// A local variable that is a lock guard.
  llvm::function_ref<bool(const clang::VarDecl &)> IsLockGuard;
  /// The object of a `lock()`/`unlock()` call that is a mutex.
  llvm::function_ref<bool(const clang::Expr &)> IsMutex;
  /// A local variable that is held while it is alive (has a destructor).
  llvm::function_ref<bool(const clang::VarDecl &)> IsLiveObject;
};

/// Runs the analysis over \p F's body and returns every (resource,
/// suspension point) pair where the resource may be held on some path
/// reaching the suspension.
///
/// A lock handed to the awaited call of a suspension (the guard, or the
/// mutex it guards, is one of the call's arguments: `co_await cv.wait(lk)`)
/// is not counted as held there: the callee decides what happens to it while
/// suspended, and an asynchronous condition variable releases it.
///
/// Approximations: what a call does to a lock is known from its name (the
/// std spellings) or clang's thread-safety attributes; a guard moved into a
/// function argument is released; two spellings of a mutex are the same
/// mutex only when they name the same path of members (`a.b.m`, `this->m`);
/// the order of unsequenced operands is the CFG's.
class HeldResources {
public:
  HeldResources(const FunctionAnalysis &F, const HeldResourceRules &Rules);

  const std::vector<HeldResource> &resources() const { return Resources; }
  const std::vector<HeldAtSuspension> &heldAtSuspensions() const {
    return Held;
  }

private:
  std::vector<HeldResource> Resources;
  std::vector<HeldAtSuspension> Held;
};

} // namespace corotidy::model

#endif // COROTIDY_MODEL_HELDRESOURCES_H
