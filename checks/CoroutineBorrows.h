//===--- CoroutineBorrows.h - corotidy -------------------------*- C++ -*-===//
//
// What a coroutine's frame borrows from its caller (reference, pointer and
// view parameters, the object of a member coroutine, a lambda's closure) and
// which of those borrows it uses after a suspension that can really suspend.
//
//===----------------------------------------------------------------------===//

#ifndef COROTIDY_CHECKS_COROUTINEBORROWS_H
#define COROTIDY_CHECKS_COROUTINEBORROWS_H

#include "checks/CoroutineModel.h"
#include "checks/RegexList.h"
#include "llvm/ADT/SmallVector.h"

namespace clang::tidy::coro {

/// A borrow the coroutine uses after a suspension, with the evidence.
struct BorrowAtRisk {
  enum Kind {
    Parameter,      ///< A reference, pointer or view parameter.
    ImplicitObject, ///< `this` of a member coroutine.
    Closure,        ///< The closure of a coroutine lambda (its captures).
  };
  Kind K;
  /// The parameter (Parameter), or the first capture used (Closure).
  const ValueDecl *Decl = nullptr;
  /// The first use after a suspension; null when the body is not visible.
  const Stmt *Use = nullptr;
  /// The suspension before that use; null for the initial suspension of a
  /// lazily started coroutine (or when the body is not visible).
  const SuspensionPoint *Suspension = nullptr;
};

/// The at-risk borrows of one coroutine.
struct BorrowSummary {
  StartMode Start = StartMode::Unknown;
  /// False when only the declaration is visible: then every borrow of a
  /// coroutine that does not start eagerly is assumed to be used.
  bool BodyVisible = false;
  llvm::SmallVector<BorrowAtRisk, 4> AtRisk;
  /// The CFG the evidence points into; kept alive for the notes.
  std::shared_ptr<CoroutineCFG> Graph;

  const BorrowAtRisk *parameter(const ParmVarDecl *P) const;
  const BorrowAtRisk *implicitObject() const;
  const BorrowAtRisk *closure() const;
};

/// Whether \p T is a view: std::basic_string_view, std::span, or a type in
/// \p ViewTypes.
bool isViewType(QualType T, const RegexList &ViewTypes);

/// Whether a parameter of type \p T borrows from the caller: a reference, a
/// pointer or a view.
bool isBorrowingType(QualType T, const RegexList &ViewTypes);

/// The borrows \p Fn (a function returning a task) puts at risk. For a
/// lambda's call operator the closure is a borrow unless the lambda takes an
/// explicit object parameter by value (`this auto`), which copies it into the
/// frame.
BorrowSummary summarizeBorrows(const FunctionDecl &Fn, ASTContext &Ctx,
                               const RegexList &ViewTypes);

} // namespace clang::tidy::coro

#endif // COROTIDY_CHECKS_COROUTINEBORROWS_H
