//===--- AwaitCallDirectly.h - corotidy ------------------------*- C++ -*-===//

#ifndef COROTIDY_FIXITS_AWAITCALLDIRECTLY_H
#define COROTIDY_FIXITS_AWAITCALLDIRECTLY_H

#include "model/Model.h"
#include "clang/AST/ASTContext.h"
#include "clang/AST/Expr.h"
#include "clang/AST/Stmt.h"
#include "clang/Basic/Diagnostic.h"
#include "llvm/ADT/SmallVector.h"
#include <optional>

namespace corotidy::fixits {

using namespace clang;

/// A task variable that the statement right after its declaration awaits
/// exactly once, unconditionally, and that nothing else uses.
struct StoredThenAwaited {
  const DeclStmt *Decl;
  const VarDecl *Var;
  /// The call that creates the task (the variable's initializer).
  const CallExpr *Call;
  /// The co_await (CoawaitExpr or DependentCoawaitExpr) of the variable.
  const Expr *Await;
  /// Its operand as written: `std::move(t)`, `t`, `(t)`.
  const Expr *WrittenOperand;
  QualType TaskType;
  /// Whether awaiting the call in place of the variable keeps behaviour and
  /// compiles: the await is the first thing its statement evaluates, and the
  /// task can be awaited as a prvalue.
  bool Rewritable;
};

/// Finds the pattern in \p Decl followed by \p Next (both statements of one
/// block of \p F's body).
std::optional<StoredThenAwaited>
findStoredThenAwaited(const DeclStmt &Decl, const Stmt &Next,
                      const corotidy::model::FunctionAnalysis &F);

/// Moves the call that creates a task into the `co_await` that consumes it,
/// deleting the declaration that stored it.
///
/// Before:
///   auto t = fetch(url, std::string("hdr"));
///   co_await std::move(t);
/// After:
///   co_await fetch(url, std::string("hdr"));
///
/// No hints when \p Found is not Rewritable, when an end of a range comes
/// from a macro expansion, or when the pieces are not in one file.
llvm::SmallVector<FixItHint, 2>
awaitCallDirectly(const StoredThenAwaited &Found, const SourceManager &SM,
                  const LangOptions &LangOpts);

} // namespace corotidy::fixits

#endif // COROTIDY_FIXITS_AWAITCALLDIRECTLY_H
