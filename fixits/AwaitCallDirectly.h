//===--- AwaitCallDirectly.h - corotidy ------------------------*- C++ -*-===//

#ifndef COROTIDY_FIXITS_AWAITCALLDIRECTLY_H
#define COROTIDY_FIXITS_AWAITCALLDIRECTLY_H

#include "clang/AST/Expr.h"
#include "clang/AST/Stmt.h"
#include "clang/Basic/Diagnostic.h"
#include "llvm/ADT/SmallVector.h"
#include <optional>

namespace clang::tidy::coro::fixits {

/// Moves the call that creates a task into the `co_await` that consumes it,
/// deleting the declaration that stored it.
///
/// Before:
///   auto t = fetch(url, std::string("hdr"));
///   co_await std::move(t);
/// After:
///   co_await fetch(url, std::string("hdr"));
///
/// \p TaskDecl is the declaration of the task variable, \p Call its
/// initializer and \p AwaitedOperand the operand of the `co_await` as written
/// (`std::move(t)`, `t`, `(t)`). The caller must have established that the
/// rewrite preserves behaviour (the variable has no other use and the await
/// is the first thing the next statement evaluates). Returns std::nullopt
/// when the text cannot be edited safely: an end of a range comes from a
/// macro expansion, or the pieces are not in one file.
std::optional<llvm::SmallVector<FixItHint, 2>>
awaitCallDirectly(const DeclStmt &TaskDecl, const Expr &Call,
                  const Expr &AwaitedOperand, const SourceManager &SM,
                  const LangOptions &LangOpts);

} // namespace clang::tidy::coro::fixits

#endif // COROTIDY_FIXITS_AWAITCALLDIRECTLY_H
