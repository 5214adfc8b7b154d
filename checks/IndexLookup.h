//===--- IndexLookup.h - corotidy ------------------------------*- C++ -*-===//
//
// Where a check finds the corotidy index of a translation unit, shared by
// the checks that read it (coro-devirtualize, coro-missed-frame-elision).
//
//===----------------------------------------------------------------------===//

#ifndef COROTIDY_CHECKS_INDEXLOOKUP_H
#define COROTIDY_CHECKS_INDEXLOOKUP_H

#include "clang/Basic/SourceManager.h"
#include <string>

namespace clang::tidy::coro {

/// The index file to read for the translation unit \p SM holds, from an
/// `IndexFile` option: the option itself when set, nothing for `-`, else the
/// nearest `corotidy-index.yaml` or `build/corotidy-index.yaml` above the
/// main file. Empty when there is none.
std::string indexPathFor(llvm::StringRef Option, const SourceManager &SM);

} // namespace clang::tidy::coro

#endif // COROTIDY_CHECKS_INDEXLOOKUP_H
