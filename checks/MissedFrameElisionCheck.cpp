//===--- MissedFrameElisionCheck.cpp - corotidy ----------------*- C++ -*-===//

#include "checks/MissedFrameElisionCheck.h"
#include "checks/CoroutineModel.h"
#include "fixits/AwaitCallDirectly.h"
#include "clang/AST/DeclCXX.h"
#include "clang/ASTMatchers/ASTMatchFinder.h"

using namespace clang::ast_matchers;

namespace clang::tidy::coro {

namespace {

void collectCompoundStmts(const Stmt *S,
                          llvm::SmallVectorImpl<const CompoundStmt *> &Out) {
  if (!S || isa<LambdaExpr, BlockExpr>(S))
    return; // Nested coroutine lambdas are matched on their own.
  if (const auto *Compound = dyn_cast<CompoundStmt>(S))
    Out.push_back(Compound);
  for (const Stmt *Child : S->children())
    collectCompoundStmts(Child, Out);
}

} // namespace

MissedFrameElisionCheck::MissedFrameElisionCheck(StringRef Name,
                                                 ClangTidyContext *Context)
    : CoroCheck(Name, Context),
      OnlyElidableTasks(Options.get("OnlyElidableTasks", false)) {}

void MissedFrameElisionCheck::storeOptions(ClangTidyOptions::OptionMap &Opts) {
  Options.store(Opts, "OnlyElidableTasks", OnlyElidableTasks);
}

void MissedFrameElisionCheck::registerMatchers(MatchFinder *Finder) {
  Finder->addMatcher(
      coroutineBodyStmt(unless(isExpansionInSystemHeader()),
                        unless(isInTemplateInstantiation()))
          .bind("body"),
      this);
}

void MissedFrameElisionCheck::check(const MatchFinder::MatchResult &Result) {
  const auto *Body = Result.Nodes.getNodeAs<CoroutineBodyStmt>("body");
  if (!Body || !Body->getBody())
    return;
  llvm::SmallVector<const CompoundStmt *, 16> Blocks;
  collectCompoundStmts(Body->getBody(), Blocks);
  for (const CompoundStmt *Block : Blocks) {
    for (auto It = Block->body_begin(), End = Block->body_end();
         It != End && std::next(It) != End; ++It)
      if (const auto *Decl = dyn_cast<DeclStmt>(*It))
        checkAdjacentStatements(*Decl, **std::next(It), *Body->getBody(),
                                *Result.Context);
  }
}

void MissedFrameElisionCheck::checkAdjacentStatements(const DeclStmt &Decl,
                                                      const Stmt &Next,
                                                      const Stmt &Body,
                                                      ASTContext &Ctx) {
  std::optional<fixits::StoredThenAwaited> Found =
      fixits::findStoredThenAwaited(Decl, Next, Body, Ctx);
  if (!Found)
    return;
  const VarDecl *Var = Found->Var;
  QualType Task = Found->TaskType;
  if (Var->getLocation().isMacroID() && Found->Await->getBeginLoc().isMacroID())
    return;
  bool Elidable = isAwaitElidableType(Task);
  if (OnlyElidableTasks && !Elidable)
    return;
  {
    auto Diag = diag(Var->getLocation(),
                     "task %0 is awaited right after it is created; co_await "
                     "the call directly so %select{temporaries in its "
                     "arguments outlive it and its frame can be elided once "
                     "%2 is [[clang::coro_await_elidable]]|its coroutine "
                     "frame can be elided into the awaiting one}1")
                << Var << Elidable << Task.getUnqualifiedType()
                // Editors underline this range rather than the fix's.
                << SourceRange(Var->getLocation());
    for (const FixItHint &Hint :
         fixits::awaitCallDirectly(*Found, Ctx.getSourceManager(),
                                   Ctx.getLangOpts()))
      Diag << Hint;
  }
  diag(Found->Await->getBeginLoc(), "%0 is awaited here", DiagnosticIDs::Note)
      << Var;
}

} // namespace clang::tidy::coro
