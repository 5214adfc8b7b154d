//===--- DevirtualizeCheck.h - corotidy ------------------------*- C++ -*-===//

#ifndef COROTIDY_CHECKS_DEVIRTUALIZECHECK_H
#define COROTIDY_CHECKS_DEVIRTUALIZECHECK_H

#include "checks/CoroCheck.h"
#include "index/Facts.h"
#include "clang-tidy/utils/IncludeInserter.h"
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
  void registerPPCallbacks(const SourceManager &SM, Preprocessor *PP,
                           Preprocessor *ModuleExpanderPP) override;
  void registerMatchers(ast_matchers::MatchFinder *Finder) override;
  void check(const ast_matchers::MatchFinder::MatchResult &Result) override;

private:
  /// The whole-program facts, or nothing (with the reason reported) when no
  /// usable index is found.
  std::optional<corotidy::index::Facts> loadIndex(ASTContext &Ctx);
  void exportFacts(const corotidy::index::Facts &Local, ASTContext &Ctx);
  void judge(const corotidy::index::Interface &Local,
             const corotidy::index::Facts *Whole, ASTContext &Ctx);
  /// This translation unit's share of the migration to a concept, or no
  /// hints with a note saying why.
  llvm::SmallVector<FixItHint, 16>
  migration(const corotidy::index::Interface &Facts, ASTContext &Ctx,
            std::string &Failure, std::string &ElisionNote);
  SourceLocation locate(const corotidy::index::Location &Where, ASTContext &Ctx,
                        StringRef Name = "") const;

  const std::string IndexFile;
  const bool ReportDynamicUses;
  const std::string ExportFactsDir;
  Preprocessor *PP = nullptr;
  /// Adds the `#include`s a migration needs, in the file's own include
  /// order (IncludeStyle), each once per file.
  utils::IncludeInserter Inserter;
};

} // namespace clang::tidy::coro

#endif // COROTIDY_CHECKS_DEVIRTUALIZECHECK_H
