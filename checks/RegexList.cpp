//===--- RegexList.cpp - corotidy ------------------------------*- C++ -*-===//

#include "checks/RegexList.h"
#include "clang/AST/ASTContext.h"
#include "llvm/ADT/SmallVector.h"
#include "llvm/ADT/StringExtras.h"

namespace clang::tidy::coro {

RegexList::RegexList(llvm::StringRef SemicolonSeparated) {
  llvm::SmallVector<llvm::StringRef, 8> Entries;
  SemicolonSeparated.split(Entries, ';', -1, /*KeepEmpty=*/false);
  for (llvm::StringRef Entry : Entries) {
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
  return !Patterns.empty() && matches(qualifiedNameForMatching(D));
}

std::string qualifiedNameForMatching(const NamedDecl &D) {
  // Inline namespaces (std::__1, std::__n4861) are not part of the name a
  // user writes.
  std::string Name;
  llvm::raw_string_ostream OS(Name);
  PrintingPolicy Policy(D.getASTContext().getLangOpts());
  Policy.SuppressInlineNamespace =
      llvm::to_underlying(PrintingPolicy::SuppressInlineNamespaceMode::All);
  Policy.SuppressUnwrittenScope = true;
  D.printQualifiedName(OS, Policy);
  return "::" + Name;
}

} // namespace clang::tidy::coro
