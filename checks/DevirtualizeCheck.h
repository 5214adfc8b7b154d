//===--- DevirtualizeCheck.h - corotidy ------------------------*- C++ -*-===//

#ifndef COROTIDY_CHECKS_DEVIRTUALIZECHECK_H
#define COROTIDY_CHECKS_DEVIRTUALIZECHECK_H

#include "checks/CoroCheck.h"
#include "index/Facts.h"
#include "clang-tidy/utils/IncludeInserter.h"
#include "index/Collector.h"
#include "llvm/ADT/DenseMap.h"
#include <memory>
#include <optional>
#include <vector>

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
  /// The whole-program facts: the stored index (kept for the process) with
  /// this translation unit's fresh facts \p Local laid over it; nothing
  /// when no usable index is found (the reason is reported once per run as
  /// a configuration problem). \p Stale receives the changed files other
  /// than the main file: interfaces with facts there are judged alone.
  std::optional<corotidy::index::Facts>
  loadIndex(ASTContext &Ctx, const corotidy::index::Facts &Local,
            llvm::StringSet<> &Stale);
  void exportFacts(const corotidy::index::Facts &Local, ASTContext &Ctx);
  /// How one interface this translation unit sees is judged: only used
  /// statically (with what blocks the automatic migration), or nothing when
  /// it is not reported or was reported as needing dynamic dispatch.
  struct Verdict {
    const corotidy::index::Interface *Facts = nullptr;
    SourceLocation Loc;
    std::vector<corotidy::index::Blocker> Blockers;
  };
  /// Interfaces migrated by one fix, because they share implementations.
  struct Group {
    std::vector<size_t> Members; ///< Indices of verdicts; the first leads.
    llvm::SmallVector<FixItHint, 16> Hints;
    std::string Failure;
    /// Dispatch functions that keep their definition in this source file
    /// and get explicit instantiations.
    std::vector<std::string> Instantiated;
  };
  std::optional<Verdict> assess(const corotidy::index::Interface &Local,
                                const corotidy::index::Facts *Whole,
                                ASTContext &Ctx);
  /// This translation unit's share of the migration of a group to concepts
  /// (its hints), or the failure saying why there is none.
  void migrate(Group &G, const std::vector<Verdict> &Verdicts, ASTContext &Ctx);
  void report(const Verdict &V, const Group *G, size_t Index,
              const std::vector<Verdict> &Verdicts, ASTContext &Ctx);
  SourceLocation locate(const corotidy::index::Location &Where, ASTContext &Ctx,
                        StringRef Name = "") const;

  /// Whether a coroutine defined in a source file will be moved into its
  /// header by this migration (the options and its move blockers), by USR.
  bool willMove(const corotidy::index::SourceCoroutine &C,
                bool Member) const;
  /// The coroutines of the migration that stay defined in a source file:
  /// callers in other files still allocate their frames.
  struct StillAllocating {
    const corotidy::index::SourceCoroutine *Coroutine;
    bool Member;
    corotidy::index::Location Where; ///< Where a note can point.
  };
  std::vector<StillAllocating>
  stillAllocating(const corotidy::index::Interface &Facts) const;

  const std::string IndexFile;
  const bool ReportDynamicUses;
  const std::string ExportFactsDir;
  /// Move migrated dispatch functions defined in a source file into their
  /// header, so that callers in other files get their frames elided.
  const bool MoveDefinitionsToHeader;
  /// Files left out of the judgement, as `corotidy-index --exclude` leaves
  /// them out of the index (semicolon-separated regular expressions matched
  /// against absolute paths): their failures and facts do not count.
  const std::string ExcludeText;
  /// Also move the implementations' member coroutines defined out of line
  /// in a source file into their classes.
  const bool MoveMemberDefinitionsToHeader;
  /// This translation unit's coroutines defined in source files (the
  /// index's, or its own without one).
  const std::vector<corotidy::index::SourceCoroutine> *Coroutines = nullptr;
  /// The declarations behind this translation unit's USRs (from the
  /// collector, for the translation unit being checked).
  const corotidy::index::DeclMap *Decls = nullptr;
  /// Which files include which (for the includes a moved body needs).
  std::shared_ptr<llvm::DenseMap<const FileEntry *,
                                 llvm::SmallVector<const FileEntry *, 8>>>
      Includes;
  Preprocessor *PP = nullptr;
  /// Adds the `#include`s a migration needs, in the file's own include
  /// order (IncludeStyle), each once per file.
  utils::IncludeInserter Inserter;
};

} // namespace clang::tidy::coro

#endif // COROTIDY_CHECKS_DEVIRTUALIZECHECK_H
