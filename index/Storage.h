//===--- Storage.h - corotidy ----------------------------------*- C++ -*-===//
//
// Fact files on disk: atomic writes, reading with clear errors, staleness;
// which files a run leaves out; what a translation unit read (the cache's
// dependencies, and how far a failed translation unit reaches).
//
//===----------------------------------------------------------------------===//

#ifndef COROTIDY_INDEX_STORAGE_H
#define COROTIDY_INDEX_STORAGE_H

#include "index/Facts.h"
#include "clang/Lex/PPCallbacks.h"
#include "llvm/ADT/StringMap.h"
#include "llvm/Support/Chrono.h"
#include "llvm/Support/Error.h"
#include "llvm/Support/Regex.h"
#include <cstdint>
#include <memory>
#include <mutex>
#include <string>
#include <vector>

namespace clang {
class Preprocessor;
class SourceManager;
} // namespace clang

namespace corotidy::index {

/// The hash the index records for a file's contents.
std::string contentHash(llvm::StringRef Contents);

/// Writes \p Text to \p Path through a temporary file in the same directory
/// and a rename, so readers and concurrent writers never see half a file.
llvm::Error writeAtomically(llvm::StringRef Path, llvm::StringRef Text);

/// Reads and checks one fact file (a per-TU file or a merged index).
llvm::Expected<Facts> readFactsFile(llvm::StringRef Path);

/// The files \p F cites whose contents changed (or vanished) since the facts
/// were collected: a non-empty answer means the facts are stale.
std::vector<std::string> changedFiles(const Facts &F);

/// Source files left out of the index (`corotidy-index --exclude`): a file
/// is excluded when any of the regular expressions (POSIX extended, as
/// llvm::Regex) matches somewhere in its absolute path; anchor with `^`/`$`
/// to match all of it.
class FileFilter {
public:
  FileFilter() = default;
  /// An invalid pattern is an error naming it.
  static llvm::Expected<FileFilter> create(const std::vector<std::string> &Patterns);
  bool matches(llvm::StringRef AbsolutePath) const;
  bool empty() const { return Patterns.empty(); }

private:
  std::vector<std::shared_ptr<llvm::Regex>> Patterns;
};

/// Something a translation unit's facts depend on: a file it read (reused
/// while its contents are the same), or a path where a header it could not
/// find would have been (reused while nothing appears there).
struct Dependency {
  std::string Path;
  bool MustBeMissing = false;
  std::string Hash;  ///< contentHash of the contents read.
  uint64_t Size = 0;
  int64_t MTime = 0; ///< Nanoseconds since the epoch; 0: compare the hash.
};

/// The cache's dependency file: `corotidy-deps 1`, then one line per
/// dependency (`f <hash> <size> <mtime> <path>` or `m <path>`). Write it
/// after the facts it guards: a run stopped between the two leaves the old
/// dependencies, which the changed files no longer match, so the entry is
/// analysed again rather than trusted.
llvm::Error writeDependencies(llvm::StringRef Path,
                              const std::vector<Dependency> &Deps);
llvm::Expected<std::vector<Dependency>> readDependencies(llvm::StringRef Path);

/// Answers whether dependencies are unchanged, with one `stat` per path and
/// run: a file is read and hashed only when its size or modification time
/// differs from the recorded ones, and then once. Thread-safe.
class DependencyChecker {
public:
  bool unchanged(const Dependency &D);

private:
  struct Seen {
    bool Exists = false;
    uint64_t Size = 0;
    int64_t MTime = 0;
    bool Hashed = false;
    std::string Hash;
  };
  std::mutex Lock;
  llvm::StringMap<Seen> Paths;
};

/// Records the include directives a translation unit could not resolve
/// (attach to its Preprocessor before parsing).
class IncludeRecorder : public clang::PPCallbacks {
public:
  explicit IncludeRecorder(clang::Preprocessor &PP) : PP(PP) {}
  void InclusionDirective(clang::SourceLocation HashLoc, const clang::Token &IncludeTok,
                          llvm::StringRef FileName, bool IsAngled,
                          clang::CharSourceRange FilenameRange,
                          clang::OptionalFileEntryRef File, llvm::StringRef SearchPath,
                          llvm::StringRef RelativePath,
                          const clang::Module *SuggestedModule, bool ModuleImported,
                          clang::SrcMgr::CharacteristicKind FileType) override;

  /// The spellings of the headers that were not found (`gtest/gtest.h`).
  std::vector<std::string> Missing;
  /// Every path where one of them would have been found: the including
  /// file's directory (for `"..."`) and each search directory.
  std::vector<std::string> Candidates;

private:
  clang::Preprocessor &PP;
};

/// Every file the translation unit in \p SM read, with its contents' hash,
/// size and modification time (0 for files changed after \p Start, so that
/// the next check compares their contents), plus the must-be-missing
/// candidates of \p Includes.
std::vector<Dependency> readFiles(const clang::SourceManager &SM,
                                  const IncludeRecorder *Includes,
                                  llvm::sys::TimePoint<> Start);

/// Fills in how far a translation unit that failed to parse reaches
/// (docs/index-format.md): the non-system files it read and the headers it
/// could not find.
void recordReach(TranslationUnit &TU, const clang::SourceManager &SM,
                 const IncludeRecorder &Includes);

} // namespace corotidy::index

#endif // COROTIDY_INDEX_STORAGE_H
