//===--- HeldResources.h - corotidy ----------------------------*- C++ -*-===//
//
// What a coroutine holds at each of its suspension points: lock guards that
// own their mutex, mutexes locked by hand, and objects that are alive. Tracked
// along the CFG, so an `unlock()`, a `release()`, a move, `std::defer_lock`, a
// failed `try_lock` or the end of a scope is seen where it happens.
//
//===----------------------------------------------------------------------===//

#ifndef COROTIDY_CHECKS_HELDRESOURCES_H
#define COROTIDY_CHECKS_HELDRESOURCES_H

#include "checks/CoroutineModel.h"
#include "llvm/ADT/STLFunctionalExtras.h"
#include <string>
#include <vector>

namespace clang::tidy::coro {

struct HeldResource {
  enum Kind {
    LockGuard,   ///< A guard variable that may own a mutex.
    LockedMutex, ///< A mutex locked by hand (`m.lock()`), keyed by its path.
    LiveObject,  ///< An object that is held while it is alive.
  };
  Kind K;
  /// The guard or object variable; null for a mutex locked by hand.
  const VarDecl *Var = nullptr;
  /// For a mutex locked by hand: the first `lock()`-like call on it.
  const CXXMemberCallExpr *FirstLock = nullptr;
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
  llvm::function_ref<bool(const VarDecl &)> IsLockGuard;
  /// The object of a `lock()`/`unlock()` call that is a mutex.
  llvm::function_ref<bool(const Expr &)> IsMutex;
  /// A local variable that is held while it is alive (has a destructor).
  llvm::function_ref<bool(const VarDecl &)> IsLiveObject;
};

/// Runs the analysis over \p Graph (built for the coroutine whose body holds
/// the variables) and returns every (resource, suspension point) pair where
/// the resource may be held on some path reaching the suspension.
class HeldResources {
public:
  HeldResources(const CoroutineCFG &Graph, const HeldResourceRules &Rules);

  const std::vector<HeldResource> &resources() const { return Resources; }
  const std::vector<HeldAtSuspension> &heldAtSuspensions() const {
    return Held;
  }

private:
  std::vector<HeldResource> Resources;
  std::vector<HeldAtSuspension> Held;
};

} // namespace clang::tidy::coro

#endif // COROTIDY_CHECKS_HELDRESOURCES_H
