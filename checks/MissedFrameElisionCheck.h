//===--- MissedFrameElisionCheck.h - corotidy ------------------*- C++ -*-===//

#ifndef COROTIDY_CHECKS_MISSEDFRAMEELISIONCHECK_H
#define COROTIDY_CHECKS_MISSEDFRAMEELISIONCHECK_H

#include "checks/CoroCheck.h"

namespace clang::tidy::coro {

/// Finds tasks that are stored in a variable and then awaited once by the
/// next statement, which keeps clang from eliding the callee's coroutine
/// frame and destroys the call's temporaries before the task runs.
///
/// For the user-facing documentation see:
/// docs/checks/coro-missed-frame-elision.md
class MissedFrameElisionCheck : public CoroCheck {
public:
  MissedFrameElisionCheck(StringRef Name, ClangTidyContext *Context);
  void storeOptions(ClangTidyOptions::OptionMap &Opts) override;
  void registerMatchers(ast_matchers::MatchFinder *Finder) override;
  void check(const ast_matchers::MatchFinder::MatchResult &Result) override;

private:
  /// Report only tasks whose type is [[clang::coro_await_elidable]], where
  /// awaiting the call directly removes a heap allocation.
  const bool OnlyElidableTasks;

  void checkAdjacentStatements(const DeclStmt &Decl, const Stmt &Next,
                               const Stmt &Body, ASTContext &Ctx);
};

} // namespace clang::tidy::coro

#endif // COROTIDY_CHECKS_MISSEDFRAMEELISIONCHECK_H
