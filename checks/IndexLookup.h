//===--- IndexLookup.h - corotidy ------------------------------*- C++ -*-===//
//
// How a check finds and reads the corotidy index of a translation unit,
// shared by the checks that read it (coro-devirtualize,
// coro-missed-frame-elision).
//
//===----------------------------------------------------------------------===//

#ifndef COROTIDY_CHECKS_INDEXLOOKUP_H
#define COROTIDY_CHECKS_INDEXLOOKUP_H

#include "index/Facts.h"
#include "clang/Basic/SourceManager.h"
#include "llvm/ADT/StringSet.h"
#include <memory>
#include <string>
#include <vector>

namespace clang::tidy::coro {

/// The index file to read for the translation unit \p SM holds, from an
/// `IndexFile` option: the option itself when set, nothing for `-`, else the
/// nearest `corotidy-index.yaml` or `build/corotidy-index.yaml` above the
/// main file. Empty when there is none.
std::string indexPathFor(llvm::StringRef Option, const SourceManager &SM);

/// The main file's path as the index records files.
std::string mainFilePath(const SourceManager &SM);

/// The stored index for one translation unit, from the process's
/// IndexStore (read once per process, checked by digests).
struct StoredIndex {
  std::string Path;
  /// Null when there is none or it cannot be used.
  std::shared_ptr<const corotidy::index::Facts> Facts;
  /// Files the index cites that changed since it was built, other than the
  /// main file (whose facts the translation unit provides afresh).
  llvm::StringSet<> Stale;
  /// Configuration problems to report (each once per process, see
  /// firstReport): an index that cannot be read, a stale one.
  std::vector<std::string> Problems;
};
StoredIndex storedIndexFor(llvm::StringRef Option, const SourceManager &SM);

/// True the first time this process asks about \p Message: configuration
/// problems are reported once per run (and once per clangd process), not
/// once per file.
bool firstReport(llvm::StringRef Message);

} // namespace clang::tidy::coro

#endif // COROTIDY_CHECKS_INDEXLOOKUP_H
