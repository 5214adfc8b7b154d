//===--- RegexList.h - corotidy --------------------------------*- C++ -*-===//
//
// The options that name types and functions: a semicolon-separated list of
// regular expressions (split by clang-tidy's own option-list parser), each
// matched against the whole qualified name with a leading `::`
// (`::std::unique_lock`, `.*::schedule`).
//
// clang-tidy's matchesAnyListedRegexName() is not used: it searches for the
// pattern anywhere in the name and spells inline namespaces (`std::__1::`),
// which would change what the existing option values match.
//
//===----------------------------------------------------------------------===//

#ifndef COROTIDY_CHECKS_REGEXLIST_H
#define COROTIDY_CHECKS_REGEXLIST_H

#include "model/Borrows.h"
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
  /// True when some entry matches corotidy::model::qualifiedName(D).
  bool matches(const NamedDecl &D) const;
  bool empty() const { return Patterns.empty(); }
  const std::vector<std::string> &invalidEntries() const { return Invalid; }

private:
  std::vector<llvm::Regex> Patterns;
  std::vector<std::string> Invalid;
};

/// The ViewTypes option as the model's view policy.
class RegexViewPolicy : public corotidy::model::ViewPolicy {
public:
  explicit RegexViewPolicy(const RegexList &Views) : Views(Views) {}
  bool isExtraView(const CXXRecordDecl &RD) const override {
    return Views.matches(RD);
  }

private:
  const RegexList &Views;
};

} // namespace clang::tidy::coro

#endif // COROTIDY_CHECKS_REGEXLIST_H
