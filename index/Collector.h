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
#include "llvm/ADT/StringMap.h"

namespace corotidy::index {

/// The declarations behind the USRs of a translation unit's facts: class
/// definitions and functions' first declarations.
using DeclMap = llvm::StringMap<const clang::Decl *>;

/// Collects the facts of the translation unit \p Ctx holds. Declarations in
/// system headers are not interfaces, and their uses are not recorded. When
/// \p ParsedCleanly is false every interface seen is marked incomplete.
/// Files cited get the hash of their contents as this translation unit read
/// them. \p Decls, when given, receives the declaration of every USR the
/// facts name, so that a check need not find them again.
Facts collectFacts(clang::ASTContext &Ctx, bool ParsedCleanly,
                   DeclMap *Decls = nullptr);

} // namespace corotidy::index

#endif // COROTIDY_INDEX_COLLECTOR_H
