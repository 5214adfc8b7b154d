//===--- TaskLifetime.h - corotidy -----------------------------*- C++ -*-===//
//
// Lifetimes at a call that creates a task: how long the task is kept (awaited
// in its full-expression, held by a local until a scope ends, or gone beyond
// the function) and how long each object it borrows lives.
//
//===----------------------------------------------------------------------===//

#ifndef COROTIDY_CHECKS_TASKLIFETIME_H
#define COROTIDY_CHECKS_TASKLIFETIME_H

#include "checks/RegexList.h"
#include "clang/AST/ASTContext.h"
#include "clang/AST/Expr.h"

namespace clang::tidy::coro {

/// Where the task an expression produces ends up.
struct TaskFate {
  enum Kind {
    Consumed,    ///< Awaited or run to completion within its full-expression.
    HeldInScope, ///< Kept by a local (variable, container) until Scope ends.
    Escapes,     ///< Kept beyond the function: returned, stored elsewhere,
                 ///< detached, or given to a callee that may keep it.
    Discarded,   ///< Dropped at the end of its full-expression.
    Unknown,
  };
  Kind K = Unknown;
  /// HeldInScope: the statement at whose end the holder is destroyed.
  const Stmt *Scope = nullptr;
  /// Where the task is stored or escapes (a declaration or an expression).
  SourceLocation Evidence;
  /// Escapes into a callee that runs it detached.
  bool Detached = false;
};

/// The callees that decide where a task goes.
struct TaskCallees {
  /// Await every task argument before their full-expression ends
  /// (`when_all`, `sync_wait`): a task argument is consumed when their own
  /// result is (or when that result is not a task).
  const RegexList &Structured;
  /// Run a task argument detached (`co_spawn`, `spawn`, `start_detached`).
  const RegexList &Detaching;
};

/// Where the task produced by \p Task ends up.
TaskFate fateOfTask(const Expr &Task, ASTContext &Ctx, const TaskCallees &Callees);

/// How long what an argument refers to lives.
struct ArgLifetime {
  enum Kind {
    Temporary, ///< A temporary of the caller's full-expression.
    Local,     ///< A local or parameter of the caller: lives until Scope ends.
    Unknown,   ///< Static storage, a member, or not known: assumed to outlive.
  };
  Kind K = Unknown;
  const VarDecl *Var = nullptr;
  const Stmt *Scope = nullptr;
};

/// What a borrowing parameter of type \p ParamType refers to when \p Arg is
/// passed to it: the object a reference binds, a pointer's `&x`, the
/// string or container a view is made from.
ArgLifetime lifetimeOfBorrowedArgument(const Expr &Arg, QualType ParamType,
                                       ASTContext &Ctx,
                                       const RegexList &ViewTypes);

/// What the object expression of a member call (or the closure of a lambda
/// call) is: a temporary, a local object, or unknown.
ArgLifetime lifetimeOfObject(const Expr &Object, ASTContext &Ctx);

/// The lifetime of a local variable or parameter: until its scope ends.
ArgLifetime lifetimeOfVariable(const VarDecl &Var, ASTContext &Ctx);

/// Whether what \p Arg refers to is destroyed while a task with \p Fate may
/// still use it.
bool diesBeforeTaskFinishes(const ArgLifetime &Arg, const TaskFate &Fate,
                            const SourceManager &SM);

} // namespace clang::tidy::coro

#endif // COROTIDY_CHECKS_TASKLIFETIME_H
