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
class DanglingReferenceCheck : public CoroCheck {
public:
  DanglingReferenceCheck(StringRef Name, ClangTidyContext *Context);
  void storeOptions(ClangTidyOptions::OptionMap &Opts) override;
  void registerMatchers(ast_matchers::MatchFinder *Finder) override;
  void check(const ast_matchers::MatchFinder::MatchResult &Result) override;
  void onEndOfTranslationUnit() override {
    OfferedByValue.clear();
    DetachingCache.clear();
  }

private:
  using FunctionAnalysis = corotidy::model::FunctionAnalysis;
  using BorrowAtRisk = corotidy::model::BorrowAtRisk;

  const corotidy::model::BorrowSummary &summaryOf(const FunctionDecl &Callee,
                                                  corotidy::model::Model &M);
  void checkCallSite(const CallExpr &Call, const FunctionAnalysis &F);
  void checkDetachedLambdas(const CallExpr &Call, const FunctionAnalysis &F);
  void checkLocalReferences(const FunctionAnalysis &F);
  void checkDeclaration(const FunctionDecl &Fn, corotidy::model::Model &M);
  void reportDeadArgument(const Expr &Where, const BorrowAtRisk &Borrow,
                          const corotidy::model::ArgLifetime &Life,
                          const corotidy::model::TaskFate &Fate,
                          const FunctionDecl &Callee, const CallExpr &Call,
                          const FunctionAnalysis &F);
  void noteEvidence(const BorrowAtRisk &Borrow, const FunctionDecl &Callee);
  void noteMoveAtLastUse(const ParmVarDecl &Param);
  llvm::SmallVector<FixItHint, 4> offerPassByValue(const ParmVarDecl &Param,
                                                   const FunctionDecl &Fn,
                                                   ASTContext &Ctx);

  const std::string ViewTypesText;
  const std::string StructuredCalleesText;
  const std::string DetachingCalleesText;
  const bool DiagnoseDeclarations;
  /// Parameters whose by-value rewrite was offered: once per TU, since the
  /// same edit from several call sites would overlap too.
  llvm::SmallPtrSet<const ParmVarDecl *, 8> OfferedByValue;
  const RegexList ViewTypes;
  const RegexList StructuredCallees;
  const RegexList DetachingCallees;
  const RegexViewPolicy Views{ViewTypes};
  /// Per callee: whether it is in DetachingCallees (names are costly to build).
  llvm::DenseMap<const FunctionDecl *, bool> DetachingCache;
  bool isDetaching(const FunctionDecl &Callee);
};

} // namespace clang::tidy::coro

#endif // COROTIDY_CHECKS_DANGLINGREFERENCECHECK_H
