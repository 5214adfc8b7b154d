//===--- RegexList.cpp - corotidy ------------------------------*- C++ -*-===//

#include "checks/RegexList.h"
#include "model/Syntax.h"
#include "clang-tidy/utils/OptionsUtils.h"

namespace clang::tidy::coro {

RegexList::RegexList(llvm::StringRef SemicolonSeparated) {
  for (llvm::StringRef Entry :
       utils::options::parseStringList(SemicolonSeparated)) {
    Entry = Entry.trim();
    if (Entry.empty())
      continue;
    llvm::Regex Pattern(("^(" + Entry + ")$").str());
    std::string Error;
    if (Pattern.isValid(Error))
      Patterns.push_back(std::move(Pattern));
    else
      Invalid.push_back(Entry.str());
  }
}

bool RegexList::matches(llvm::StringRef QualifiedName) const {
  for (const llvm::Regex &Pattern : Patterns)
    if (Pattern.match(QualifiedName))
      return true;
  return false;
}

bool RegexList::matches(const NamedDecl &D) const {
  return !Patterns.empty() && matches(corotidy::model::qualifiedName(D));
}

} // namespace clang::tidy::coro
