//===--- CoroCheck.h - corotidy --------------------------------*- C++ -*-===//

#ifndef COROTIDY_CHECKS_COROCHECK_H
#define COROTIDY_CHECKS_COROCHECK_H

#include "clang-tidy/ClangTidyCheck.h"
#include "checks/RegexList.h"
#include <initializer_list>

namespace clang::tidy::coro {

/// What every coro-* check shares: it needs C++20, and it reports option
/// values it cannot use instead of silently matching nothing.
class CoroCheck : public ClangTidyCheck {
public:
  CoroCheck(StringRef Name, ClangTidyContext *Context)
      : ClangTidyCheck(Name, Context), CheckName(Name.str()) {}
  bool isLanguageVersionSupported(const LangOptions &LangOpts) const override {
    return LangOpts.CPlusPlus20;
  }

protected:
  void reportInvalidEntries(std::initializer_list<const RegexList *> Lists) {
    for (const RegexList *List : Lists)
      for (const std::string &Entry : List->invalidEntries())
        configurationDiag("invalid regular expression '%0' in an option of "
                          "%1; it is ignored")
            << Entry << CheckName;
  }

private:
  const std::string CheckName;
};

} // namespace clang::tidy::coro

#endif // COROTIDY_CHECKS_COROCHECK_H
