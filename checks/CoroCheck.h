//===--- CoroCheck.h - corotidy --------------------------------*- C++ -*-===//
//
// What every coro-* check shares: the C++20 gate, reporting option values it
// cannot use, and how the safety checks see templates.
//
//===----------------------------------------------------------------------===//

#ifndef COROTIDY_CHECKS_COROCHECK_H
#define COROTIDY_CHECKS_COROCHECK_H

#include "clang-tidy/ClangTidyCheck.h"
#include "checks/RegexList.h"
#include "llvm/ADT/DenseMap.h"
#include "llvm/ADT/MapVector.h"
#include "llvm/ADT/SmallPtrSet.h"
#include <functional>
#include <initializer_list>
#include <map>
#include <string>

namespace clang::tidy::coro {

/// The base of every coro-* check: it needs C++20, and it reports option
/// values it cannot use instead of silently matching nothing.
class CoroCheck : public ClangTidyCheck {
public:
  CoroCheck(StringRef Name, ClangTidyContext *Context)
      : ClangTidyCheck(Name, Context), CheckName(Name.str()) {}
  bool isLanguageVersionSupported(const LangOptions &LangOpts) const override {
    return LangOpts.CPlusPlus20;
  }

protected:
  void reportInvalidEntries(std::initializer_list<const RegexList *> Lists);

private:
  const std::string CheckName;
};

/// A check that analyses function bodies one at a time, templates included.
///
/// Template code is analysed where its calls resolve: each instantiation
/// (up to MaxInstantiations of one template in a translation unit), and a
/// template as written only when this translation unit instantiates it
/// nowhere. A finding is reported once at its written location however many
/// instantiations find it, and carries its fix-its only when every analysed
/// instantiation of its template found it with the same fix-its.
class FunctionCheck : public CoroCheck {
public:
  using CoroCheck::CoroCheck;
  void check(const ast_matchers::MatchFinder::MatchResult &Result) final;
  void onEndOfTranslationUnit() override;

  /// Instantiations of one template analysed per translation unit.
  static constexpr unsigned MaxInstantiations = 8;

protected:
  /// Analyses one function definition (an instantiation, a plain function,
  /// or a template nothing instantiates). The matcher binds it as "fn".
  virtual void analyse(const FunctionDecl &Fn, ASTContext &Ctx) = 0;

  /// Reports a finding of the function being analysed. \p Key tells
  /// findings at one location apart; \p Hints are all the fix-its the
  /// finding would carry (on its warning and its notes). \p Emit issues the
  /// diagnostic and its notes at the end of the translation unit, with the
  /// fix-its when \p FixesAgreed, without them otherwise.
  void report(SourceLocation Loc, StringRef Key,
              llvm::ArrayRef<FixItHint> Hints,
              std::function<void(bool FixesAgreed)> Emit);

  /// The function being analysed.
  const FunctionDecl *analysing() const { return Current; }

private:
  struct Finding {
    const FunctionDecl *Pattern = nullptr;
    llvm::SmallPtrSet<const FunctionDecl *, 4> Reporters;
    llvm::SmallVector<FixItHint, 4> Hints;
    bool HintsAgree = true;
    std::function<void(bool)> Emit;
  };
  void analyseNow(const FunctionDecl &Fn, ASTContext &Ctx);

  const FunctionDecl *Current = nullptr;
  const FunctionDecl *CurrentPattern = nullptr;
  ASTContext *Context = nullptr;
  /// Per template (its pattern): how many instantiations were analysed.
  llvm::DenseMap<const FunctionDecl *, unsigned> Analysed;
  /// Templates seen as written, analysed at the end if never instantiated.
  llvm::SmallVector<const FunctionDecl *, 8> Uninstantiated;
  llvm::MapVector<std::string, Finding, std::map<std::string, unsigned>>
      Findings;
};

} // namespace clang::tidy::coro

#endif // COROTIDY_CHECKS_COROCHECK_H
