//===--- CoroutineModel.h - corotidy ---------------------------*- C++ -*-===//
//
// The facts about C++20 coroutines that every corotidy check needs, computed
// in one place: what a coroutine and a task type are, how a coroutine starts,
// where it can really suspend, and whether a task is consumed by the
// full-expression that creates it.
//
//===----------------------------------------------------------------------===//

#ifndef COROTIDY_CHECKS_COROUTINEMODEL_H
#define COROTIDY_CHECKS_COROUTINEMODEL_H

#include "clang/AST/ASTContext.h"
#include "clang/AST/Decl.h"
#include "clang/AST/ExprCXX.h"
#include "clang/AST/StmtCXX.h"
#include "clang/Analysis/CFG.h"
#include "clang/Analysis/CFGStmtMap.h"
#include "clang/AST/ParentMap.h"
#include "clang/AST/ParentMapContext.h"
#include "llvm/ADT/SmallVector.h"
#include <memory>
#include <optional>

namespace clang::tidy::coro {

/// The class \p T is, or refers or points to; null for other types.
const CXXRecordDecl *recordBehind(QualType T);

/// True when \p FD was instantiated from a template (a function template, a
/// member of a class template, a lambda inside either): checks analyse the
/// template's own definition once instead. Unlike the statement matcher
/// isInTemplateInstantiation(), it does not need the parent map.
bool isInstantiated(const FunctionDecl &FD);

/// The calls in \p Body, nested lambdas excluded (they are functions of
/// their own, matched separately).
llvm::SmallVector<const CallExpr *, 16> collectCalls(const Stmt *Body);

/// The coroutine body of \p FD, or null when \p FD is not a coroutine (its
/// body is not a CoroutineBodyStmt) or has no body in this TU.
const CoroutineBodyStmt *getCoroutineBody(const FunctionDecl *FD);

/// The promise type of a coroutine returning \p TaskType: the nested
/// `promise_type`, or that of a `std::coroutine_traits` specialization whose
/// first argument is \p TaskType. Null when there is none (or it is unknown,
/// e.g. a dependent type).
QualType getPromiseType(QualType TaskType, const ASTContext &Ctx);

/// True when a function returning \p T is a coroutine: \p T has a promise type.
bool isCoroutineReturnType(QualType T, const ASTContext &Ctx);

/// True when \p T can be the operand of `co_await`: it has a member
/// `operator co_await`, a free `operator co_await` in its namespace, or the
/// three awaiter members `await_ready`, `await_suspend` and `await_resume`.
bool isAwaitableType(QualType T);

/// True when \p T (a task type) carries `[[clang::coro_await_elidable]]`.
bool isAwaitElidableType(QualType T);

/// How the promise's `initial_suspend()` behaves.
enum class StartMode {
  Eager,  ///< Never suspends: the body runs until its first real suspension.
  Lazy,   ///< Suspends: nothing in the body runs before the task is resumed.
  Unknown ///< Not visible here (dependent or undefined awaiter).
};

/// How a coroutine returning \p TaskType starts, from its promise type.
StartMode getStartMode(QualType TaskType, const ASTContext &Ctx);

/// True when a coroutine returning \p TaskType frees its own frame when it
/// finishes (its promise's `final_suspend()` never suspends): a
/// fire-and-forget coroutine that keeps running after its caller drops it.
bool destroysItselfWhenDone(QualType TaskType, const ASTContext &Ctx);

/// How the coroutine \p Body starts, from its analysed initial suspend.
StartMode getStartMode(const CoroutineBodyStmt &Body, const ASTContext &Ctx);

/// A `co_await` or `co_yield` written in a coroutine body.
struct SuspensionPoint {
  /// A CoawaitExpr, CoyieldExpr or DependentCoawaitExpr.
  const Expr *E = nullptr;
  /// The awaited operand as written.
  const Expr *Operand = nullptr;
  /// False when the awaiter provably never suspends (`await_ready()` is
  /// constant true, or a bool `await_suspend()` is constant false).
  bool MaySuspend = true;
};

/// True when the awaiter of \p E provably never suspends. Dependent and
/// opaque awaiters are assumed to suspend.
bool neverSuspends(const Expr *SuspendExpr);

/// The suspension points written in the user body of \p Body, in source
/// order. Suspensions inside nested lambdas belong to those lambdas and are
/// not included; the implicit initial and final suspends are not included.
llvm::SmallVector<SuspensionPoint, 8>
collectSuspensionPoints(const CoroutineBodyStmt &Body);

/// The control-flow graph of a coroutine's user body with its suspension
/// points located in it.
class CoroutineCFG {
public:
  /// Builds the CFG of \p Body's user-written body. Returns null when clang
  /// cannot build one (e.g. unsupported statements in a dependent context).
  static std::unique_ptr<CoroutineCFG> build(const CoroutineBodyStmt &Body,
                                             const Decl *Fn, ASTContext &Ctx);

  const CFG &cfg() const { return *Graph; }
  ASTContext &context() const { return *Ctx; }
  /// The block that evaluates \p S, or null when \p S is not in the graph.
  const CFGBlock *blockOf(const Stmt *S) const;
  const llvm::SmallVector<SuspensionPoint, 8> &suspensionPoints() const {
    return Points;
  }

private:
  CoroutineCFG() = default;
  ASTContext *Ctx = nullptr;
  std::unique_ptr<CFG> Graph;
  std::unique_ptr<ParentMap> Parents;
  std::unique_ptr<CFGStmtMap> StmtToBlock;
  llvm::SmallVector<SuspensionPoint, 8> Points;
};

/// A call of `std::move` or `std::forward` with its one argument.
bool isStdMoveOrForward(const CallExpr &Call);

/// The variable whose storage \p E refers into: `v`, `v.x`, `v[3]`, `&v`,
/// `*p`, `v.front()`, `v->next`; null when it is not rooted in a variable.
/// \p ThroughElement, when given, is set when a step selects an element of a
/// container (`[]`, `*`/`->` of an iterator, `at`, `front`, `back`, `top`,
/// `value`).
const VarDecl *storageRoot(const Expr *E, bool *ThroughElement = nullptr);

/// The first parent of \p E that is not a conversion, copy or temporary
/// wrapper around it: what the value is really used by. Needs the parent map.
DynTypedNode userOf(const Expr &E, ASTContext &Ctx);

/// The variable the value of \p E initializes, if any.
const VarDecl *initializedVariable(const Expr &E, ASTContext &Ctx);

/// Strips what does not change which object an awaited operand denotes:
/// parentheses, implicit casts, temporaries' materialization and binding,
/// full-expression cleanups, opaque values, `std::move`/`std::forward`, and
/// an rvalue `static_cast` to the operand's own type.
const Expr *ignoreAwaitOperandWrappers(const Expr *E);

/// An argument without the conversions to its parameter: a lambda turned
/// into a std::function is still that lambda; a temporary is its value.
const Expr *ignoreArgumentConversions(const Expr *Arg);

/// The calls in \p Body that are the direct operand of a `co_await` (through
/// the wrappers above): the top-down form of isConsumedInFullExpression, for
/// callers that would otherwise ask it of every call (it needs the parent
/// map, which costs a walk of the whole translation unit).
llvm::SmallVector<const CallExpr *, 8>
collectAwaitedCalls(const CoroutineBodyStmt &Body);

/// True when the task produced by \p TaskExpr is the direct operand of a
/// `co_await` (through the wrappers above), so that the task, and every
/// temporary of the full-expression that creates it, lives until it
/// completes. This is also the condition under which clang's
/// `[[clang::coro_await_elidable]]` can place the callee's frame in the
/// awaiting coroutine's frame.
bool isConsumedInFullExpression(const Expr *TaskExpr, ASTContext &Ctx);

} // namespace clang::tidy::coro

#endif // COROTIDY_CHECKS_COROUTINEMODEL_H
