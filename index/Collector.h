//===--- Collector.h - corotidy --------------------------------*- C++ -*-===//
//
// One translation unit's facts: the coroutine interfaces it declares or uses,
// their implementations, and every use of them.
//
//===----------------------------------------------------------------------===//

#ifndef COROTIDY_INDEX_COLLECTOR_H
#define COROTIDY_INDEX_COLLECTOR_H

#include "index/Facts.h"
#include "clang/AST/ASTContext.h"

namespace corotidy::index {

/// Collects the facts of the translation unit \p Ctx holds. Declarations in
/// system headers are not interfaces, and their uses are not recorded. When
/// \p ParsedCleanly is false every interface seen is marked incomplete.
/// Files cited get the hash of their contents as this translation unit read
/// them.
Facts collectFacts(clang::ASTContext &Ctx, bool ParsedCleanly);

} // namespace corotidy::index

#endif // COROTIDY_INDEX_COLLECTOR_H
