//===--- DanglingReferenceCheck.h - corotidy -------------------*- C++ -*-===//

#ifndef COROTIDY_CHECKS_DANGLINGREFERENCECHECK_H
#define COROTIDY_CHECKS_DANGLINGREFERENCECHECK_H

#include "checks/CoroCheck.h"
#include "checks/CoroutineBorrows.h"
#include "checks/RegexList.h"
#include "checks/TaskLifetime.h"
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
    Summaries.clear();
    OfferedByValue.clear();
    DetachingCache.clear();
  }

private:
  const BorrowSummary &summaryOf(const FunctionDecl &Callee, ASTContext &Ctx);
  void checkCallSite(const CallExpr &Call, ASTContext &Ctx);
  void checkDetachedLambdas(const CallExpr &Call, ASTContext &Ctx);
  void checkLocalReferences(const CoroutineBodyStmt &Body, const Decl &Fn,
                            ASTContext &Ctx);
  void checkDeclaration(const FunctionDecl &Fn, ASTContext &Ctx);
  void reportDeadArgument(const Expr &Where, const BorrowAtRisk &Borrow,
                          const ArgLifetime &Life, const TaskFate &Fate,
                          const FunctionDecl &Callee, const CallExpr &Call,
                          ASTContext &Ctx);
  void noteEvidence(const BorrowAtRisk &Borrow, const FunctionDecl &Callee);
  void noteMoveAtLastUse(const ParmVarDecl &Param);
  llvm::SmallVector<FixItHint, 4> offerPassByValue(const ParmVarDecl &Param,
                                                   const FunctionDecl &Fn,
                                                   ASTContext &Ctx);

  const std::string ViewTypesText;
  const std::string StructuredCalleesText;
  const std::string DetachingCalleesText;
  const bool DiagnoseDeclarations;
  /// coro-missed-frame-elision offers the same await-the-call rewrite; two
  /// identical fixes from two checks overlap and clang-tidy applies neither.
  const bool FrameElisionCheckEnabled;
  /// Parameters whose by-value rewrite was offered: once per TU, since the
  /// same edit from several call sites would overlap too.
  llvm::SmallPtrSet<const ParmVarDecl *, 8> OfferedByValue;
  const RegexList ViewTypes;
  const RegexList StructuredCallees;
  const RegexList DetachingCallees;
  llvm::DenseMap<const FunctionDecl *, BorrowSummary> Summaries;
  /// Per callee: whether it is in DetachingCallees (names are costly to build).
  llvm::DenseMap<const FunctionDecl *, bool> DetachingCache;
  bool isDetaching(const FunctionDecl &Callee);
};

} // namespace clang::tidy::coro

#endif // COROTIDY_CHECKS_DANGLINGREFERENCECHECK_H
