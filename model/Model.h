//===--- Model.h - corotidy ------------------------------------*- C++ -*-===//
//
// The coroutine model: one analysis object per function, computed lazily,
// once per translation unit, and shared by every check, fix and the index
// collector through Model::of(ASTContext). Each fact has one definition
// here; the flow analyses (SuspensionFlow.h, HeldResources.h), what a frame
// borrows (Borrows.h) and where a task goes (TaskFate.h) are built on it.
//
// The per-function structure (parents, declarations, scopes, the CFG and the
// order of evaluation) is built from the function's own body, never from
// clang's whole-translation-unit parent map, which costs a walk of every
// declaration the first time anyone asks it a question.
//
//===----------------------------------------------------------------------===//

#ifndef COROTIDY_MODEL_MODEL_H
#define COROTIDY_MODEL_MODEL_H

#include "model/Syntax.h"
#include "model/TaskTypes.h"
#include "clang/AST/ASTContext.h"
#include "clang/AST/ParentMap.h"
#include "clang/Analysis/CFG.h"
#include "clang/Analysis/CFGStmtMap.h"
#include "llvm/ADT/ArrayRef.h"
#include "llvm/ADT/DenseMap.h"
#include "llvm/ADT/SmallVector.h"
#include <map>
#include <memory>
#include <optional>

namespace corotidy::model {

/// A `co_await` or `co_yield` written in a coroutine body.
struct SuspensionPoint {
  enum Kind { Await, Yield };
  Kind K = Await;
  /// A CoawaitExpr, CoyieldExpr or DependentCoawaitExpr.
  const clang::Expr *E = nullptr;
  /// The operand as written (writtenOperand()).
  const clang::Expr *Operand = nullptr;
  /// The object the suspension consumes: the operand through the wrappers
  /// strip(SameObject) sees through (a call, a variable, a temporary).
  const clang::Expr *Consumed = nullptr;
  /// False when the awaiter provably never suspends (neverSuspends()).
  bool MaySuspend = true;
  /// The operand is a prvalue call in the exact position where clang
  /// elides a `[[clang::coro_await_elidable]]` callee's frame: a `co_await`
  /// whose operand, without implicit nodes, is the call. Parentheses,
  /// `std::move` and a conditional operator defeat the elision (measured
  /// with clang 22) although the task is still awaited in place.
  bool ElidablePosition = false;

  /// The call whose task this suspension consumes, if it consumes one.
  const clang::CallExpr *consumedCall() const {
    return llvm::dyn_cast_or_null<clang::CallExpr>(Consumed);
  }
};

class Model;

/// One function's facts. Everything is computed on first use and kept for
/// the translation unit. Statements of nested lambdas belong to the
/// lambdas' own analyses, except where a method says otherwise.
class FunctionAnalysis {
public:
  FunctionAnalysis(const clang::FunctionDecl &Fn, Model &Owner);
  ~FunctionAnalysis();
  FunctionAnalysis(const FunctionAnalysis &) = delete;
  FunctionAnalysis &operator=(const FunctionAnalysis &) = delete;

  const clang::FunctionDecl &function() const { return Fn; }
  clang::ASTContext &context() const;
  Model &model() const { return Owner; }
  /// The whole body (a CoroutineBodyStmt for a coroutine).
  const clang::Stmt *body() const { return Fn.getBody(); }
  /// The body as the user wrote it.
  const clang::Stmt *userBody() const;
  const clang::CoroutineBodyStmt *coroutineBody() const { return Coroutine; }
  bool isCoroutine() const { return Coroutine != nullptr; }

  /// The calls the body makes (forEachInBody()), in pre-order.
  llvm::ArrayRef<const clang::CallExpr *> calls() const;
  /// The local variables the body declares (forEachInBody()), in order.
  llvm::ArrayRef<const clang::VarDecl *> locals() const;

  // ---- Structure, from the function's own body --------------------------

  /// The parent of \p S within the body (nested lambdas included), or null.
  const clang::Stmt *parent(const clang::Stmt &S) const;
  /// The declaration statement of a local of this function (or of a lambda
  /// nested in it), or null.
  const clang::DeclStmt *declarationOf(const clang::VarDecl &Var) const;
  /// The statement at whose end the local or parameter \p Var is destroyed:
  /// its block, or the `for`/`if`/`while`/`switch` that declares it; the
  /// function body for a parameter. Null when not known.
  const clang::Stmt *scopeOf(const clang::VarDecl &Var) const;

  /// What uses the value of \p E: its nearest ancestor that is not a
  /// wrapper strip(\p Mode) sees through, and for an initializer, the
  /// variable it initializes. \p Child is the outermost wrapper of \p E.
  struct User {
    const clang::Stmt *S = nullptr;
    const clang::VarDecl *Initialized = nullptr;
    const clang::Expr *Child = nullptr;
  };
  User userOf(const clang::Expr &E, Strip Mode = Strip::SameObject) const;

  /// Whether \p A is sequenced before \p B, both statements of this body,
  /// by the rules of C++17 ([intro.execution], [expr]). Approximations:
  ///  - statements of a block, conditions before their branches, left
  ///    operands of `,` `&&` `||` `<<` `>>` `[]` `->*` and of member access
  ///    before right ones, the right operand of an assignment before the
  ///    left, the callee before the arguments, braced initializers in order,
  ///    an expression's operands before the expression, the operand of a
  ///    suspension before the suspension;
  ///  - arguments of one call, operands of other binary operators and
  ///    lambda captures are unsequenced (either may come first), so neither
  ///    is sequenced before the other;
  ///  - the two branches of a conditional never both run: neither is
  ///    sequenced before the other, and mayRunAfter() between them is false;
  ///  - loops are not unrolled: the CFG's back edges cover later iterations.
  /// The same questions as clang-tidy's utils::ExprSequence, answered from
  /// this function's parent map rather than the translation unit's.
  bool sequencedBefore(const clang::Stmt &A, const clang::Stmt &B) const;
  /// Whether \p Later can be evaluated after \p Earlier in one execution of
  /// their common statement.
  bool mayRunAfter(const clang::Stmt &Later, const clang::Stmt &Earlier) const;

  // ---- Coroutine facts (empty answers for other functions) --------------

  /// The declared return type.
  clang::QualType returnType() const { return Fn.getReturnType(); }
  /// How the coroutine starts: from its analysed initial suspension when
  /// that is conclusive, else from the task type.
  StartMode startMode() const;
  /// The suspension points of the user body, in evaluation order (a nested
  /// suspension before the one whose operand holds it); those of nested
  /// lambdas are theirs.
  llvm::ArrayRef<SuspensionPoint> suspensions() const;
  /// The suspension that consumes the object \p E denotes: the `co_await`
  /// or `co_yield` whose operand is \p E through strip(SameObject), or a
  /// branch of a conditional operator that is. Null when none does.
  const SuspensionPoint *consumerOf(const clang::Expr &E) const;
  /// THE predicate: the task \p E produces is consumed by the
  /// full-expression that creates it, because a suspension of that
  /// full-expression takes it as its operand. A `co_await` runs it to
  /// completion; a `co_yield` hands it to the generator's consumer while
  /// the full-expression (and every temporary of it) is still alive. Either
  /// way the task and its argument temporaries live until it is done with.
  bool isConsumedInFullExpression(const clang::Expr &E) const {
    return consumerOf(E) != nullptr;
  }
  /// Narrower: the task is awaited by a `co_await` of its full-expression
  /// (what `[[clang::coro_await_elidable]]` promises about a task type).
  bool isAwaitedInFullExpression(const clang::Expr &E) const {
    const SuspensionPoint *P = consumerOf(E);
    return P && P->K == SuspensionPoint::Await;
  }

  // ---- Control flow ------------------------------------------------------

  /// The CFG of the user body (implicit and temporary destructors included,
  /// every statement an element), or null when clang cannot build one.
  const clang::CFG *cfg() const;
  /// The block that evaluates \p S, or null.
  const clang::CFGBlock *blockOf(const clang::Stmt &S) const;

private:
  struct Structure;
  const Structure &structure() const;
  void computeSuspensions() const;
  void computeCFG() const;

  const clang::FunctionDecl &Fn;
  Model &Owner;
  const clang::CoroutineBodyStmt *Coroutine;
  mutable std::unique_ptr<Structure> Struct;
  mutable std::optional<llvm::SmallVector<const clang::CallExpr *, 16>> Calls;
  mutable std::optional<llvm::SmallVector<const clang::VarDecl *, 16>> Locals;
  mutable std::optional<llvm::SmallVector<SuspensionPoint, 8>> Points;
  mutable llvm::DenseMap<const clang::Expr *, unsigned> PointByConsumed;
  mutable std::optional<StartMode> Start;
  mutable bool CFGBuilt = false;
  mutable std::unique_ptr<clang::CFG> Graph;
  mutable std::unique_ptr<clang::CFGStmtMap> StmtToBlock;
};

/// The per-translation-unit model: one FunctionAnalysis per function
/// definition, created on first use and destroyed with the ASTContext.
class Model {
public:
  /// The model of \p Ctx's translation unit (created on first use).
  static Model &of(clang::ASTContext &Ctx);

  clang::ASTContext &context() const { return Ctx; }
  /// The analysis of \p Fn's definition, or null when this translation unit
  /// has no body for it.
  const FunctionAnalysis *function(const clang::FunctionDecl &Fn);
  /// The analysis of the function a local variable or parameter belongs to.
  const FunctionAnalysis *ownerOf(const clang::VarDecl &Var);

  /// A result some analysis derived under a policy (the caller's options),
  /// kept for the translation unit: computed by \p Make the first time
  /// (\p Policy, \p Key) is asked for. \p Policy identifies the policy (the
  /// address of the object holding it); \p Key what the result is about.
  template <class T, class MakeFn>
  T &remember(const void *Policy, const void *Key, MakeFn Make) {
    auto &Slot = Results[{Policy, Key}];
    if (!Slot)
      Slot = std::make_shared<Holder<T>>(Make());
    return static_cast<Holder<T> &>(*Slot).Value;
  }

  explicit Model(clang::ASTContext &Ctx) : Ctx(Ctx) {}

private:
  struct HolderBase {
    virtual ~HolderBase() = default;
  };
  template <class T> struct Holder : HolderBase {
    explicit Holder(T V) : Value(std::move(V)) {}
    T Value;
  };

  clang::ASTContext &Ctx;
  llvm::DenseMap<const clang::FunctionDecl *, std::unique_ptr<FunctionAnalysis>>
      Functions;
  std::map<std::pair<const void *, const void *>, std::shared_ptr<HolderBase>>
      Results;
};

} // namespace corotidy::model

#endif // COROTIDY_MODEL_MODEL_H
