//===--- RegexList.h - corotidy --------------------------------*- C++ -*-===//
//
// The options that name types and functions: a semicolon-separated list of
// regular expressions, each matched against the whole qualified name with a
// leading `::` (`::std::unique_lock`, `.*::schedule`).
//
//===----------------------------------------------------------------------===//

#ifndef COROTIDY_CHECKS_REGEXLIST_H
#define COROTIDY_CHECKS_REGEXLIST_H

#include "clang/AST/Decl.h"
#include "llvm/ADT/StringRef.h"
#include "llvm/Support/Regex.h"
#include <string>
#include <vector>

namespace clang::tidy::coro {

class RegexList {
public:
  /// Invalid entries are dropped; invalidEntries() lists them so the check
  /// can say so instead of silently matching nothing.
  explicit RegexList(llvm::StringRef SemicolonSeparated);

  /// True when some entry matches all of \p QualifiedName.
  bool matches(llvm::StringRef QualifiedName) const;
  /// True when some entry matches `::` + the qualified name of \p D.
  bool matches(const NamedDecl &D) const;
  bool empty() const { return Patterns.empty(); }
  const std::vector<std::string> &invalidEntries() const { return Invalid; }

private:
  std::vector<llvm::Regex> Patterns;
  std::vector<std::string> Invalid;
};

/// `::` + the qualified name, without template arguments.
std::string qualifiedNameForMatching(const NamedDecl &D);

} // namespace clang::tidy::coro

#endif // COROTIDY_CHECKS_REGEXLIST_H
