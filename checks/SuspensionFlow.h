//===--- SuspensionFlow.h - corotidy ---------------------------*- C++ -*-===//
//
// Flow-sensitive questions about suspension points, answered on a
// coroutine's CFG: which uses of a variable can be reached from where it was
// bound by a path that passes through a suspension point.
//
//===----------------------------------------------------------------------===//

#ifndef COROTIDY_CHECKS_SUSPENSIONFLOW_H
#define COROTIDY_CHECKS_SUSPENSIONFLOW_H

#include "checks/CoroutineModel.h"
#include "llvm/ADT/ArrayRef.h"
#include "llvm/ADT/STLFunctionalExtras.h"
#include <optional>
#include <vector>

namespace clang::tidy::coro {

/// A use of a variable that some path reaches from the variable's binding
/// through a suspension point.
struct UseAfterSuspension {
  const VarDecl *Var = nullptr;
  /// The first such use in source order.
  const DeclRefExpr *Use = nullptr;
  /// A suspension point on the way, or null for the initial suspension of a
  /// lazily started coroutine (see StartsLazily).
  const SuspensionPoint *Suspension = nullptr;
};

struct SuspensionFlowOptions {
  /// The coroutine starts suspended: whatever is bound before its body runs
  /// (parameters, a lambda's captures) is only used after that suspension.
  /// Locals are bound again by their declarations.
  bool StartsLazily = false;
  /// Which uses count (e.g. only comparisons); all of them when empty.
  llvm::function_ref<bool(const DeclRefExpr &)> CountsAsUse;
};

/// For each of \p Vars, the first use reached after a suspension point that
/// \p Counts accepts, on some path from where the variable was bound: its
/// declaration, an assignment to it (pointers are rebound by assignment), or
/// for parameters and captures the function's entry. Variables with no such
/// use are left out. Uses inside nested lambdas are not seen (they are other
/// functions).
std::vector<UseAfterSuspension>
findUsesAfterSuspension(const CoroutineCFG &Graph,
                        llvm::ArrayRef<const VarDecl *> Vars,
                        llvm::function_ref<bool(const SuspensionPoint &)> Counts,
                        SuspensionFlowOptions Options = {});

/// The first use of `this` (explicit, or implicit as in a member access)
/// reached after a suspension point \p Counts accepts.
struct ThisUseAfterSuspension {
  const CXXThisExpr *Use = nullptr;
  const SuspensionPoint *Suspension = nullptr;
};
std::optional<ThisUseAfterSuspension>
findThisUseAfterSuspension(const CoroutineCFG &Graph,
                           llvm::function_ref<bool(const SuspensionPoint &)> Counts,
                           SuspensionFlowOptions Options = {});

/// The suspension points \p Counts accepts that can be reached from \p From
/// without leaving the CFG, i.e. that may run after \p From. \p From must be
/// an element of the graph.
llvm::SmallVector<const SuspensionPoint *, 4>
suspensionsReachableFrom(const CoroutineCFG &Graph, const Stmt *From,
                         llvm::function_ref<bool(const SuspensionPoint &)> Counts);

} // namespace clang::tidy::coro

#endif // COROTIDY_CHECKS_SUSPENSIONFLOW_H
