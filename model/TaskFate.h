//===--- TaskFate.h - corotidy ---------------------------------*- C++ -*-===//
//
// Lifetimes at a call that creates a task: how long the task is kept
// (consumed in its full-expression, held by a local until a scope ends, or
// gone beyond the function) and how long each object it borrows lives.
//
//===----------------------------------------------------------------------===//

#ifndef COROTIDY_MODEL_TASKFATE_H
#define COROTIDY_MODEL_TASKFATE_H

#include "model/Borrows.h"
#include "model/Model.h"
#include "llvm/ADT/STLFunctionalExtras.h"

namespace corotidy::model {

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
  const clang::Stmt *Scope = nullptr;
  /// Where the task is stored or escapes (a declaration or an expression).
  clang::SourceLocation Evidence;
  /// Escapes into a callee that runs it detached.
  bool Detached = false;
};

/// The callees that decide where a task goes, as the caller's options say.
struct TaskCallees {
  /// Await every task argument before their full-expression ends
  /// (`when_all`, `sync_wait`): a task argument is consumed when their own
  /// result is (or when that result is not a task).
  llvm::function_ref<bool(const clang::FunctionDecl &)> IsStructured;
  /// Run a task argument detached (`co_spawn`, `start_detached`).
  llvm::function_ref<bool(const clang::FunctionDecl &)> IsDetaching;
};

/// Where the task produced by \p Task, an expression of \p Where's body,
/// ends up.
TaskFate fateOfTask(const clang::Expr &Task, const FunctionAnalysis &Where,
                    const TaskCallees &Callees);

/// How long what an argument refers to lives.
struct ArgLifetime {
  enum Kind {
    Temporary, ///< A temporary of the caller's full-expression.
    Local,     ///< A local or parameter of the caller: lives until Scope ends.
    Unknown,   ///< Static storage, a member, or not known: assumed to outlive.
  };
  Kind K = Unknown;
  const clang::VarDecl *Var = nullptr;
  const clang::Stmt *Scope = nullptr;
};

/// What a borrowing parameter of type \p ParamType refers to when \p Arg is
/// passed to it: the object a reference binds, a pointer's `&x`, the
/// string or container a view is made from.
ArgLifetime lifetimeOfBorrowedArgument(const clang::Expr &Arg,
                                       clang::QualType ParamType, Model &M,
                                       const ViewPolicy &Views);

/// What the object expression of a member call (or the closure of a lambda
/// call) is: a temporary, a local object, or unknown.
ArgLifetime lifetimeOfObject(const clang::Expr &Object, Model &M);

/// The lifetime of a local variable or parameter: until its scope ends.
ArgLifetime lifetimeOfVariable(const clang::VarDecl &Var, Model &M);

/// Whether what \p Arg refers to is destroyed while a task with \p Fate may
/// still use it.
bool diesBeforeTaskFinishes(const ArgLifetime &Arg, const TaskFate &Fate,
                            const clang::SourceManager &SM);

} // namespace corotidy::model

#endif // COROTIDY_MODEL_TASKFATE_H
