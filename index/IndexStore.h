//===--- IndexStore.h - corotidy -------------------------------*- C++ -*-===//
//
// The merged index as one process sees it over time (an editor, a
// clang-tidy run over many files): read once, kept, invalidated by digests;
// and laid under the facts of the translation unit being analysed.
//
//===----------------------------------------------------------------------===//

#ifndef COROTIDY_INDEX_INDEXSTORE_H
#define COROTIDY_INDEX_INDEXSTORE_H

#include "index/Facts.h"
#include "index/Storage.h"
#include "llvm/ADT/StringMap.h"
#include "llvm/ADT/StringSet.h"
#include <cstdint>
#include <memory>
#include <mutex>
#include <string>
#include <vector>

namespace corotidy::index {

/// Merged indexes kept for the life of the process. An index file is read
/// and checked once, and again only when its size or modification time
/// changes. The files it cites are checked with one `stat` each per
/// question; a file is read and hashed again only when its size or time
/// differs from the last look (as clangd's background index does for its
/// shards). Thread-safe: clangd analyses files on several threads.
class IndexStore {
public:
  struct View {
    /// The index; null when it cannot be used (Problem says why).
    std::shared_ptr<const Facts> Index;
    std::string Problem;
    /// Files the index cites whose contents changed since it was built.
    std::vector<std::string> Changed;
  };

  View get(const std::string &Path);

  /// The store of this process.
  static IndexStore &process();

private:
  struct Stamp {
    bool Exists = false;
    uint64_t Size = 0;
    int64_t MTime = 0;
    bool operator==(const Stamp &O) const {
      return Exists == O.Exists && Size == O.Size && MTime == O.MTime;
    }
  };
  static Stamp stampOf(const std::string &Path);
  /// contentHash of \p Path's contents now ("" when it cannot be read).
  const std::string &hashOf(const std::string &Path);

  struct Loaded {
    Stamp At;
    std::shared_ptr<const Facts> Index;
    std::string Problem;
  };
  struct Hashed {
    Stamp At;
    std::string Hash;
  };
  std::mutex Lock;
  llvm::StringMap<Loaded> Indexes;
  llvm::StringMap<Hashed> Files;
};

/// The whole-program facts as they are with one translation unit analysed
/// again: \p Fresh (its facts as collected now, the main file \p MainFile
/// possibly unsaved) replaces what \p Whole recorded about \p MainFile:
///  - evidence located in the main file (dynamic uses, blockers,
///    implementations, source coroutines) comes from \p Fresh only, so an
///    edit that adds or removes a dynamic use changes the verdict at once;
///  - an interface defined in the main file takes its shape from \p Fresh
///    (and is gone if \p Fresh no longer has it);
///  - the concrete types a dispatch function receives are the union of both
///    (a call removed from the main file may still be counted until the
///    index is rebuilt: a migration then instantiates one type too many,
///    which still compiles);
///  - an interface is incomplete when \p Fresh says so or a failed
///    translation unit other than the main file's could affect it.
Facts overlay(const Facts &Whole, const Facts &Fresh, llvm::StringRef MainFile);

/// \p F as if the files \p Excluded matches had been left out of it
/// (`corotidy-index --exclude`): their translation units and the facts
/// located in them are dropped, and whether an interface is incomplete is
/// decided again from the failures that remain.
void exclude(Facts &F, const FileFilter &Excluded);

/// Whether any fact about \p I cites one of \p Files: evidence that may
/// have changed since the index was built.
bool citesAny(const Interface &I, const llvm::StringSet<> &Files);

} // namespace corotidy::index

#endif // COROTIDY_INDEX_INDEXSTORE_H
