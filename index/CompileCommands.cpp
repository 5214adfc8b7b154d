//===--- CompileCommands.cpp - corotidy ------------------------*- C++ -*-===//

#include "index/CompileCommands.h"
#include "clang/Tooling/JSONCompilationDatabase.h"
#include "llvm/Support/FileSystem.h"
#include "llvm/Support/Path.h"
#include "llvm/Support/Regex.h"
#include <algorithm>

namespace corotidy::index {

llvm::Expected<std::unique_ptr<clang::tooling::CompilationDatabase>>
loadCompileCommands(llvm::StringRef BuildDir) {
  llvm::SmallString<256> Path(BuildDir);
  llvm::sys::path::append(Path, "compile_commands.json");
  if (!llvm::sys::fs::exists(Path))
    return llvm::createStringError(
        "no compilation database at '" + Path.str().str() +
        "'; configure the project with -DCMAKE_EXPORT_COMPILE_COMMANDS=ON "
        "(or run `bear -- make`) and pass its build directory with -p");
  std::string Error;
  auto DB = clang::tooling::JSONCompilationDatabase::loadFromFile(
      Path, Error, clang::tooling::JSONCommandLineSyntax::AutoDetect);
  if (!DB)
    return llvm::createStringError("malformed compilation database '" +
                                   Path.str().str() + "': " + Error);
  return std::unique_ptr<clang::tooling::CompilationDatabase>(std::move(DB));
}

llvm::Expected<std::vector<std::string>>
selectSources(const clang::tooling::CompilationDatabase &DB,
              const std::vector<std::string> &Patterns) {
  std::vector<llvm::Regex> Filters;
  for (const std::string &Pattern : Patterns) {
    llvm::Regex Filter(Pattern);
    std::string Error;
    if (!Filter.isValid(Error))
      return llvm::createStringError("invalid source regex '" + Pattern +
                                     "': " + Error);
    Filters.push_back(std::move(Filter));
  }
  std::vector<std::string> Sources;
  for (const std::string &File : DB.getAllFiles())
    if (Filters.empty() ||
        std::any_of(Filters.begin(), Filters.end(),
                    [&](const llvm::Regex &F) { return F.match(File); }))
      Sources.push_back(File);
  std::sort(Sources.begin(), Sources.end());
  return Sources;
}

} // namespace corotidy::index
