//===--- CompileCommands.h - corotidy --------------------------*- C++ -*-===//

#ifndef COROTIDY_INDEX_COMPILECOMMANDS_H
#define COROTIDY_INDEX_COMPILECOMMANDS_H

#include "clang/Tooling/CompilationDatabase.h"
#include "llvm/Support/Error.h"
#include <memory>
#include <string>
#include <vector>

namespace corotidy::index {

/// Loads `<BuildDir>/compile_commands.json`. The error says what is missing
/// or malformed and how to produce the file, in one line.
llvm::Expected<std::unique_ptr<clang::tooling::CompilationDatabase>>
loadCompileCommands(llvm::StringRef BuildDir);

/// The source files of \p DB whose path matches any of \p Patterns (all of
/// them when \p Patterns is empty), sorted. An invalid pattern is an error.
llvm::Expected<std::vector<std::string>>
selectSources(const clang::tooling::CompilationDatabase &DB,
              const std::vector<std::string> &Patterns);

} // namespace corotidy::index

#endif // COROTIDY_INDEX_COMPILECOMMANDS_H
