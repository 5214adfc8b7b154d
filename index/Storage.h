//===--- Storage.h - corotidy ----------------------------------*- C++ -*-===//
//
// Fact files on disk: atomic writes, reading with clear errors, staleness.
//
//===----------------------------------------------------------------------===//

#ifndef COROTIDY_INDEX_STORAGE_H
#define COROTIDY_INDEX_STORAGE_H

#include "index/Facts.h"
#include "llvm/Support/Error.h"
#include <string>
#include <vector>

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

} // namespace corotidy::index

#endif // COROTIDY_INDEX_STORAGE_H
