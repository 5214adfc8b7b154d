//===--- DevirtualizeCheck.h - corotidy ------------------------*- C++ -*-===//

#ifndef COROTIDY_CHECKS_DEVIRTUALIZECHECK_H
#define COROTIDY_CHECKS_DEVIRTUALIZECHECK_H

#include "checks/CoroCheck.h"
#include "index/Facts.h"
#include <optional>

namespace clang::tidy::coro {

/// Finds virtual coroutine interfaces that the whole program (the corotidy
/// index) or the translation unit shows are only used with statically known
/// types: each call through them allocates a coroutine frame that a
/// concept-constrained template would let clang elide.
///
/// For the user-facing documentation see:
/// docs/checks/coro-devirtualize.md
class DevirtualizeCheck : public CoroCheck {
public:
  DevirtualizeCheck(StringRef Name, ClangTidyContext *Context);
  void storeOptions(ClangTidyOptions::OptionMap &Opts) override;
  void registerMatchers(ast_matchers::MatchFinder *Finder) override;
  void check(const ast_matchers::MatchFinder::MatchResult &Result) override;

private:
  /// The whole-program facts, or nothing (with the reason reported) when no
  /// usable index is found.
  std::optional<corotidy::index::Facts> loadIndex(ASTContext &Ctx);
  void exportFacts(const corotidy::index::Facts &Local, ASTContext &Ctx);
  void judge(const corotidy::index::Interface &Local,
             const corotidy::index::Interface *Whole, ASTContext &Ctx);
  /// The one-file migration to a concept, when the interface, its
  /// implementations and its dispatch functions are all in the main file.
  llvm::SmallVector<FixItHint, 16> migration(const corotidy::index::Interface &Facts,
                                             ASTContext &Ctx);
  SourceLocation locate(const corotidy::index::Location &Where, ASTContext &Ctx,
                        StringRef Name = "") const;

  const std::string IndexFile;
  const bool ReportDynamicUses;
  const std::string ExportFactsDir;
};

} // namespace clang::tidy::coro

#endif // COROTIDY_CHECKS_DEVIRTUALIZECHECK_H
