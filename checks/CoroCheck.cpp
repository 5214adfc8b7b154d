//===--- CoroCheck.cpp - corotidy ------------------------------*- C++ -*-===//

#include "checks/CoroCheck.h"
#include "clang/AST/DeclCXX.h"
#include "clang/ASTMatchers/ASTMatchFinder.h"

namespace clang::tidy::coro {

void CoroCheck::reportInvalidEntries(
    std::initializer_list<const RegexList *> Lists) {
  for (const RegexList *List : Lists)
    for (const std::string &Entry : List->invalidEntries())
      configurationDiag("invalid regular expression '%0' in an option of "
                        "%1; it is ignored")
          << Entry << CheckName;
}

// The function as written: the template pattern an instantiation (or a
// lambda inside one) comes from, else the function itself.
static const FunctionDecl *writtenFunction(const FunctionDecl &Fn) {
  const FunctionDecl *Pattern = &Fn;
  for (int Depth = 0; Depth < 8; ++Depth) {
    const FunctionDecl *Next = Pattern->getTemplateInstantiationPattern();
    if (!Next || Next == Pattern)
      break;
    Pattern = Next;
  }
  return Pattern->getCanonicalDecl();
}

static bool sameHint(const FixItHint &A, const FixItHint &B) {
  return A.RemoveRange.getBegin() == B.RemoveRange.getBegin() &&
         A.RemoveRange.getEnd() == B.RemoveRange.getEnd() &&
         A.RemoveRange.isTokenRange() == B.RemoveRange.isTokenRange() &&
         A.CodeToInsert == B.CodeToInsert &&
         A.InsertFromRange.getBegin() == B.InsertFromRange.getBegin() &&
         A.InsertFromRange.getEnd() == B.InsertFromRange.getEnd() &&
         A.BeforePreviousInsertions == B.BeforePreviousInsertions;
}

void FunctionCheck::check(const ast_matchers::MatchFinder::MatchResult &Result) {
  const auto *Fn = Result.Nodes.getNodeAs<FunctionDecl>("fn");
  if (!Fn || !Fn->getBody())
    return;
  Context = Result.Context;
  if (Fn->isDependentContext()) {
    // Its calls may not resolve; its instantiations will tell, if any.
    Uninstantiated.push_back(Fn);
    return;
  }
  const FunctionDecl *Pattern = writtenFunction(*Fn);
  if (Pattern != Fn->getCanonicalDecl() &&
      ++Analysed[Pattern] > MaxInstantiations)
    return;
  analyseNow(*Fn, *Result.Context);
}

void FunctionCheck::analyseNow(const FunctionDecl &Fn, ASTContext &Ctx) {
  Current = &Fn;
  CurrentPattern = writtenFunction(Fn);
  if (CurrentPattern == Fn.getCanonicalDecl())
    Analysed[CurrentPattern] = 1;
  analyse(Fn, Ctx);
  Current = CurrentPattern = nullptr;
}

void FunctionCheck::report(SourceLocation Loc, StringRef Key,
                           llvm::ArrayRef<FixItHint> Hints,
                           std::function<void(bool)> Emit) {
  auto [It, Inserted] =
      Findings.try_emplace(std::to_string(Loc.getRawEncoding()) + ":" + Key.str(),
                           Finding());
  Finding &F = It->second;
  if (Inserted) {
    F.Pattern = CurrentPattern;
    F.Hints.assign(Hints.begin(), Hints.end());
    F.Emit = std::move(Emit);
  } else if (F.Hints.size() != Hints.size() ||
             !std::equal(F.Hints.begin(), F.Hints.end(), Hints.begin(), sameHint)) {
    F.HintsAgree = false;
  }
  F.Reporters.insert(Current);
}

void FunctionCheck::onEndOfTranslationUnit() {
  // Templates that nothing instantiated are analysed as written.
  for (const FunctionDecl *Fn : Uninstantiated)
    if (!Analysed.count(writtenFunction(*Fn)) && Context)
      analyseNow(*Fn, *Context);
  for (auto &Entry : Findings) {
    Finding &F = Entry.second;
    F.Emit(F.HintsAgree && F.Reporters.size() >= Analysed.lookup(F.Pattern));
  }
  Findings.clear();
  Analysed.clear();
  Uninstantiated.clear();
  Context = nullptr;
}

} // namespace clang::tidy::coro
