//===--- SuspensionFlow.h - corotidy ---------------------------*- C++ -*-===//
//
// Which uses of a variable (or of `this`) some path reaches from where it was
// bound through a suspension point: the question behind borrowed parameters,
// captures, references into thread_local storage and saved thread ids.
//
//===----------------------------------------------------------------------===//

#ifndef COROTIDY_MODEL_SUSPENSIONFLOW_H
#define COROTIDY_MODEL_SUSPENSIONFLOW_H

#include "model/Model.h"
#include "llvm/ADT/ArrayRef.h"
#include "llvm/ADT/STLFunctionalExtras.h"
#include <vector>

namespace corotidy::model {

/// A use that some path reaches from the binding through a suspension.
struct UseAfterSuspension {
  /// The variable; null for `this`.
  const clang::VarDecl *Var = nullptr;
  /// The first such use in source order: a DeclRefExpr or a CXXThisExpr.
  const clang::Expr *Use = nullptr;
  /// A suspension point on the way, or null for the initial suspension of a
  /// lazily started coroutine (see StartsLazily).
  const SuspensionPoint *Suspension = nullptr;
};

struct SuspensionFlowOptions {
  /// The coroutine starts suspended: what is bound before its body runs
  /// (parameters, captures, `this`) is only used after that suspension.
  /// Locals are bound again by their declarations.
  bool StartsLazily = false;
  /// Also track `this` (explicit, or implicit in a member access).
  bool TrackThis = false;
  /// Which uses count (e.g. only comparisons); all of them when empty.
  llvm::function_ref<bool(const clang::Expr &)> CountsAsUse;
};

/// For each of \p Vars (and `this` when asked), the first use reached after
/// a suspension point that \p Counts accepts (and that may really suspend),
/// on some path from where it was bound: its declaration, an assignment to
/// it (pointers are rebound by assignment), or for parameters, captures and
/// `this` the function's entry. Entities without such a use are left out.
///
/// Approximations: a path is any CFG path (conditions are not correlated);
/// a use evaluated in the same full-expression as a suspension counts as
/// after it unless it is sequenced before it (FunctionAnalysis::
/// mayRunAfter(): `f(x, co_await t)` may read `x` after resuming); uses
/// inside nested lambdas are not seen (they are other functions).
std::vector<UseAfterSuspension>
findUsesAfterSuspension(const FunctionAnalysis &F,
                        llvm::ArrayRef<const clang::VarDecl *> Vars,
                        llvm::function_ref<bool(const SuspensionPoint &)> Counts,
                        SuspensionFlowOptions Options = {});

} // namespace corotidy::model

#endif // COROTIDY_MODEL_SUSPENSIONFLOW_H
