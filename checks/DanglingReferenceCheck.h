//===--- DanglingReferenceCheck.h - corotidy -------------------*- C++ -*-===//

#ifndef COROTIDY_CHECKS_DANGLINGREFERENCECHECK_H
#define COROTIDY_CHECKS_DANGLINGREFERENCECHECK_H

#include "checks/CoroCheck.h"
#include "checks/RegexList.h"
#include "model/Borrows.h"
#include "model/Model.h"
#include "model/TaskFate.h"
#include "llvm/ADT/DenseMap.h"
#include "llvm/ADT/SmallPtrSet.h"

namespace clang::tidy::coro {

/// Finds references that a coroutine frame keeps across a suspension point
/// while the object they refer to may be destroyed: temporaries and locals
/// passed to a task that outlives them, temporary objects of member
/// coroutines, closures of coroutine lambdas, and local references into
/// storage the frame does not own.
///
/// For the user-facing documentation see:
/// docs/checks/coro-dangling-reference.md
class DanglingReferenceCheck : public FunctionCheck {
public:
  DanglingReferenceCheck(StringRef Name, ClangTidyContext *Context);
  void storeOptions(ClangTidyOptions::OptionMap &Opts) override;
  void registerMatchers(ast_matchers::MatchFinder *Finder) override;
  void onEndOfTranslationUnit() override;

private:
  using FunctionAnalysis = corotidy::model::FunctionAnalysis;
  using BorrowAtRisk = corotidy::model::BorrowAtRisk;
  using TaskFate = corotidy::model::TaskFate;
  using ArgLifetime = corotidy::model::ArgLifetime;

  /// StructuredCallees and DetachingCallees as the model's task policy.
  class CalleePolicy final : public corotidy::model::TaskPolicy {
  public:
    CalleePolicy(const RegexList &Structured, const RegexList &Detaching)
        : Structured(Structured), Detaching(Detaching) {}
    bool isStructured(const FunctionDecl &Callee) const override;
    bool isDetaching(const FunctionDecl &Callee) const override;

  private:
    bool cached(llvm::DenseMap<const FunctionDecl *, bool> &Cache,
                const RegexList &List, const FunctionDecl &Callee) const;
    const RegexList &Structured;
    const RegexList &Detaching;
    mutable llvm::DenseMap<const FunctionDecl *, bool> StructuredCache;
    mutable llvm::DenseMap<const FunctionDecl *, bool> DetachingCache;
  };

  void analyse(const FunctionDecl &Fn, ASTContext &Ctx) override;
  void checkCallSite(const CallExpr &Call, const FunctionAnalysis &F);
  void checkDetachedLambdas(const CallExpr &Call, const FunctionAnalysis &F);
  void checkLocalReferences(const FunctionAnalysis &F);
  void checkDeclaration(const FunctionDecl &Fn, const FunctionAnalysis &F);
  void reportDeadArgument(const Expr &Where, const BorrowAtRisk &Borrow,
                          const ArgLifetime &Life, const TaskFate &Fate,
                          const FunctionDecl &Callee, const CallExpr &Call,
                          const FunctionAnalysis &F);
  void reportForwardedReference(const Expr &Where, const BorrowAtRisk &Borrow,
                                const TaskFate &Fate, const FunctionDecl &Callee);
  void noteEvidence(const BorrowAtRisk &Borrow, const FunctionDecl &Callee);
  void noteFate(const TaskFate &Fate, const ArgLifetime &Life,
                const SourceManager &SM);
  void noteMoveAtLastUse(const ParmVarDecl &Param);
  llvm::SmallVector<FixItHint, 4> offerPassByValue(const ParmVarDecl &Param,
                                                   const FunctionDecl &Fn,
                                                   ASTContext &Ctx);
  const corotidy::model::BorrowSummary &summaryOf(const FunctionDecl &Callee,
                                                  corotidy::model::Model &M);

  const std::string ViewTypesText;
  const std::string StructuredCalleesText;
  const std::string DetachingCalleesText;
  const bool DiagnoseDeclarations;
  /// Parameters whose by-value rewrite was offered: once per TU, since the
  /// same edit from several call sites would overlap.
  llvm::SmallPtrSet<const ParmVarDecl *, 8> OfferedByValue;
  const RegexList ViewTypes;
  const RegexList StructuredCallees;
  const RegexList DetachingCallees;
  const RegexViewPolicy Views{ViewTypes};
  const CalleePolicy Callees{StructuredCallees, DetachingCallees};
};

} // namespace clang::tidy::coro

#endif // COROTIDY_CHECKS_DANGLINGREFERENCECHECK_H
