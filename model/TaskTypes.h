//===--- TaskTypes.h - corotidy --------------------------------*- C++ -*-===//
//
// What a coroutine type is and how it behaves: whether a type is a task (it
// has a promise), an awaitable, `[[clang::coro_await_elidable]]`; how a
// coroutine of it starts and ends; whether an awaiter can suspend at all.
//
//===----------------------------------------------------------------------===//

#ifndef COROTIDY_MODEL_TASKTYPES_H
#define COROTIDY_MODEL_TASKTYPES_H

#include "clang/AST/ASTContext.h"
#include "clang/AST/Decl.h"
#include "clang/AST/StmtCXX.h"

namespace corotidy::model {

/// The coroutine body of \p FD, or null when \p FD is not a coroutine (its
/// body is not a CoroutineBodyStmt) or has no body in this TU.
const clang::CoroutineBodyStmt *getCoroutineBody(const clang::FunctionDecl *FD);

/// True when \p FD was instantiated from a template (a function template, a
/// member of a class template, a lambda inside either).
bool isInstantiated(const clang::FunctionDecl &FD);

/// The promise type of a coroutine returning \p TaskType: the nested
/// `promise_type` (a type member of the class or a base), or that of a
/// `std::coroutine_traits` specialization whose first argument is
/// \p TaskType. Null when there is none or it is not known (dependent).
clang::QualType getPromiseType(clang::QualType TaskType,
                               const clang::ASTContext &Ctx);

/// True when \p T is a task: a function returning it is a coroutine, because
/// it has a promise type (see getPromiseType). A specialization named only in
/// declarations, and so never instantiated, is a task when its template
/// declares a `promise_type` type member. Awaitables without a promise are
/// not tasks.
bool isCoroutineReturnType(clang::QualType T, const clang::ASTContext &Ctx);

/// True when \p T can be the operand of `co_await`: it has a member
/// `operator co_await`, a free `operator co_await` in its namespace, or the
/// three awaiter members `await_ready`, `await_suspend` and `await_resume`.
bool isAwaitableType(clang::QualType T);

/// True when \p T (a task type) carries `[[clang::coro_await_elidable]]`, on
/// the class or on the template it was instantiated from.
bool isAwaitElidableType(clang::QualType T);

/// How a coroutine starts, from its initial suspension.
enum class StartMode {
  Eager,  ///< Never suspends: the body runs until its first real suspension.
  Lazy,   ///< Suspends: nothing in the body runs before the task is resumed.
  Unknown ///< Not visible here, or decided at run time.
};

/// How a coroutine returning \p TaskType starts: the awaiter returned by its
/// promise's `initial_suspend()`, judged by the same rule as neverSuspends()
/// (the only non-template `await_ready`/`await_suspend` members are read).
StartMode getStartMode(clang::QualType TaskType, const clang::ASTContext &Ctx);

/// How the coroutine \p Body starts: its analysed initial suspension, judged
/// by neverSuspends() on the members clang selected.
StartMode getStartMode(const clang::CoroutineBodyStmt &Body);

/// True when a coroutine returning \p TaskType frees its own frame when it
/// finishes (the promise's `final_suspend()` never suspends): a
/// fire-and-forget coroutine that keeps running after its caller drops it.
bool destroysItselfWhenDone(clang::QualType TaskType,
                            const clang::ASTContext &Ctx);

/// True when the suspension \p SuspendExpr (a CoroutineSuspendExpr) provably
/// never suspends: `await_ready()` returns constant true, or a bool
/// `await_suspend()` returns constant false. Dependent and opaque awaiters
/// are assumed to suspend. Bodies that clangd's preamble skipped are read
/// from their tokens (`{ return true; }`).
bool neverSuspends(const clang::Expr *SuspendExpr);

} // namespace corotidy::model

#endif // COROTIDY_MODEL_TASKTYPES_H
