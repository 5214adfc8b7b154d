//===--- Borrows.h - corotidy ----------------------------------*- C++ -*-===//
//
// What a coroutine's frame borrows from its caller (reference, pointer and
// view parameters, the object of a member coroutine, a lambda's closure) and
// which of those borrows it uses after a suspension that can really suspend.
//
//===----------------------------------------------------------------------===//

#ifndef COROTIDY_MODEL_BORROWS_H
#define COROTIDY_MODEL_BORROWS_H

#include "model/Model.h"
#include "llvm/ADT/SmallVector.h"

namespace corotidy::model {

/// Which class types are views (non-owning references to storage
/// elsewhere). `std::basic_string_view` and `std::span` always are; a
/// policy adds the project's own. Its address identifies it, so the
/// summaries computed under it are kept for the translation unit.
class ViewPolicy {
public:
  virtual ~ViewPolicy() = default;
  /// Whether \p RD (a class or a specialization) is one of the extra views.
  virtual bool isExtraView(const clang::CXXRecordDecl &RD) const = 0;
};

/// Whether \p T is a view: std::basic_string_view, std::span, or one the
/// policy names.
bool isViewType(clang::QualType T, const ViewPolicy &Views);

/// Whether a parameter of type \p T borrows from the caller: a reference, a
/// pointer or a view.
bool isBorrowingType(clang::QualType T, const ViewPolicy &Views);

/// A borrow the coroutine uses after a suspension, with the evidence.
struct BorrowAtRisk {
  enum Kind {
    Parameter,      ///< A reference, pointer or view parameter.
    ImplicitObject, ///< `this` of a member coroutine.
    Closure,        ///< The closure of a coroutine lambda (its captures).
  };
  Kind K;
  /// The parameter (Parameter), or the first capture used (Closure).
  const clang::ValueDecl *Decl = nullptr;
  /// The first use after a suspension; null when the body is not visible.
  const clang::Expr *Use = nullptr;
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

  const BorrowAtRisk *parameter(const clang::ParmVarDecl *P) const;
  const BorrowAtRisk *implicitObject() const;
  const BorrowAtRisk *closure() const;
};

/// The borrows \p Fn (a function returning a task) puts at risk, computed
/// once per translation unit and policy. For a lambda's call operator the
/// closure is a borrow unless the lambda takes an explicit object parameter
/// by value (`this auto`), which copies it into the frame.
const BorrowSummary &borrowsOf(const clang::FunctionDecl &Fn, Model &M,
                               const ViewPolicy &Views);

} // namespace corotidy::model

#endif // COROTIDY_MODEL_BORROWS_H
