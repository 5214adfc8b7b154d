//===--- MissedFrameElisionCheck.cpp - corotidy ----------------*- C++ -*-===//

#include "checks/MissedFrameElisionCheck.h"
#include "checks/IndexLookup.h"
#include "fixits/AwaitCallDirectly.h"
#include "index/Facts.h"
#include "clang/Index/USRGeneration.h"
#include "llvm/Support/Path.h"
#include "clang/AST/DeclCXX.h"
#include "clang/ASTMatchers/ASTMatchFinder.h"
#include "clang/AST/DeclTemplate.h"
#include "clang/Basic/SourceManager.h"
#include "clang/Lex/Lexer.h"

using namespace clang::ast_matchers;
using namespace corotidy::model;
namespace fixits = corotidy::fixits;

namespace clang::tidy::coro {

namespace {

// The record a task type's uses are counted on: the class template for its
// specializations, since the attribute goes on the template.
const CXXRecordDecl *taskTypeKey(QualType T) {
  const CXXRecordDecl *RD = T->getAsCXXRecordDecl();
  if (!RD)
    return nullptr;
  if (const auto *Spec = dyn_cast<ClassTemplateSpecializationDecl>(RD))
    RD = Spec->getSpecializedTemplate()->getTemplatedDecl();
  return RD->getDefinition() ? RD->getDefinition() : RD;
}

// How an awaited call reaches its callee when clang cannot see which
// coroutine it calls: 0 virtual, 1 function pointer, 2 std::function; none
// for a direct call.
std::optional<unsigned> indirection(const CallExpr &Call) {
  if (const auto *Member = dyn_cast<CXXMemberCallExpr>(&Call)) {
    const CXXMethodDecl *Method = Member->getMethodDecl();
    const auto *Callee = dyn_cast<MemberExpr>(Member->getCallee()->IgnoreParens());
    bool Qualified = Callee && Callee->hasQualifier();
    if (Method && Method->isVirtual() && !Qualified &&
        !Method->hasAttr<FinalAttr>() && !Method->getParent()->hasAttr<FinalAttr>())
      return 0;
    return std::nullopt;
  }
  if (const auto *Op = dyn_cast<CXXOperatorCallExpr>(&Call);
      Op && Op->getOperator() == OO_Call && Op->getNumArgs() >= 1)
    if (const CXXRecordDecl *RD = Op->getArg(0)->getType()->getAsCXXRecordDecl()) {
      if (isNamed(RD, "::std::function") ||
          isNamed(RD, "::std::move_only_function"))
        return 2;
    }
  // Through a pointer: the callee is a variable, not a function.
  if (!Call.getDirectCallee())
    return 1;
  return std::nullopt;
}

// The class that declares the virtual function a member call reaches (the
// interface, for coro-devirtualize).
const CXXRecordDecl *introducingClass(const CallExpr &Call) {
  const auto *Member = dyn_cast<CXXMemberCallExpr>(&Call);
  const CXXMethodDecl *Method = Member ? Member->getMethodDecl() : nullptr;
  while (Method && Method->size_overridden_methods() == 1)
    Method = *Method->begin_overridden_methods();
  return Method && Method->size_overridden_methods() == 0 ? Method->getParent()
                                                           : nullptr;
}

} // namespace

MissedFrameElisionCheck::MissedFrameElisionCheck(StringRef Name,
                                                 ClangTidyContext *Context)
    : CoroCheck(Name, Context),
      OnlyElidableTasks(Options.get("OnlyElidableTasks", false)),
      IgnoredHeadersText(Options.get("IgnoredHeaders", "")),
      IgnoredHeaders(IgnoredHeadersText),
      ElidableMacro(Options.get("ElidableMacro", "")),
      IndexFile(Options.get("IndexFile", "")) {
  reportInvalidEntries({&IgnoredHeaders});
}

void MissedFrameElisionCheck::storeOptions(ClangTidyOptions::OptionMap &Opts) {
  Options.store(Opts, "OnlyElidableTasks", OnlyElidableTasks);
  Options.store(Opts, "IgnoredHeaders", IgnoredHeadersText);
  Options.store(Opts, "ElidableMacro", ElidableMacro);
  Options.store(Opts, "IndexFile", IndexFile);
}

void MissedFrameElisionCheck::registerMatchers(MatchFinder *Finder) {
  // Functions, not statements: the statement matcher
  // isInTemplateInstantiation() walks ancestors, which builds the parent map
  // of the whole translation unit.
  Finder->addMatcher(
      functionDecl(isDefinition(), unless(isExpansionInSystemHeader())).bind("fn"),
      this);
}

void MissedFrameElisionCheck::recordTaskCall(const CallExpr &Call,
                                             const FunctionAnalysis &F) {
  const FunctionDecl *Callee = Call.getDirectCallee();
  QualType Task = Callee ? Callee->getReturnType() : Call.getType();
  if (!Call.isPRValue() || !isCoroutineReturnType(Task, F.context()) ||
      isAwaitElidableType(Task))
    return;
  const CXXRecordDecl *Key = taskTypeKey(Task);
  if (!Key)
    return;
  TaskTypeUses &Uses = TaskCalls[Key];
  if (!F.isAwaitedInFullExpression(Call)) {
    ++Uses.Other;
    return;
  }
  if (!Uses.Awaited++ || Call.getBeginLoc() < Uses.FirstAwait)
    Uses.FirstAwait = Call.getBeginLoc();
}

void MissedFrameElisionCheck::check(const MatchFinder::MatchResult &Result) {
  Context = Result.Context;
  const auto *Fn = Result.Nodes.getNodeAs<FunctionDecl>("fn");
  if (!Fn || isInstantiated(*Fn) || !Fn->getBody())
    return;
  const FunctionAnalysis *F = Model::of(*Result.Context).function(*Fn);
  if (!F)
    return;
  for (const CallExpr *Call : F->calls())
    recordTaskCall(*Call, *F);
  if (!F->isCoroutine())
    return;
  checkAwaitedCalls(*F);
  recordCrossFileCalls(*F);
  forEachInBody(F->userBody(), [&](const Stmt &S) {
    if (const auto *Block = dyn_cast<CompoundStmt>(&S))
      for (auto It = Block->body_begin(), End = Block->body_end();
           It != End && std::next(It) != End; ++It)
        if (const auto *Decl = dyn_cast<DeclStmt>(*It))
          checkAdjacentStatements(*Decl, **std::next(It), *F);
    return true;
  });
}

// The awaited calls of one coroutine whose frames clang cannot elide for a
// reason other than the task type.
void MissedFrameElisionCheck::checkAwaitedCalls(const FunctionAnalysis &F) {
  ASTContext &Ctx = F.context();
  const Expr *ReturnObject = F.coroutineBody()->getReturnValueInit();
  QualType Awaiting = ReturnObject ? ReturnObject->getType() : QualType();
  bool AwaitingElidable = !Awaiting.isNull() && isAwaitElidableType(Awaiting);
  bool ReportedAwaiting = false;
  for (const SuspensionPoint &Point : F.suspensions()) {
    // Only a call in the position clang elides from can lose its frame.
    const CallExpr *Call = Point.consumedCall();
    if (!Point.ElidablePosition || !isa<CoawaitExpr>(Point.E) || !Call ||
        Call->getBeginLoc().isMacroID())
      continue;
    const FunctionDecl *Callee = Call->getDirectCallee();
    QualType Task = Callee ? Callee->getReturnType() : Call->getType();
    if (!isCoroutineReturnType(Task, Ctx) || !isAwaitElidableType(Task))
      continue;
    if (std::optional<unsigned> How = indirection(*Call)) {
      // An operator() call begins at its object, not at the parenthesis.
      const auto *Op = dyn_cast<CXXOperatorCallExpr>(Call);
      diag(Op ? Op->getArg(0)->getBeginLoc() : Call->getBeginLoc(),
           "the awaited call is %select{virtual|made through a function "
           "pointer|made through std::function}0, so clang cannot elide its "
           "coroutine frame although %1 is [[clang::coro_await_elidable]]; "
           "each call allocates")
          << *How << Task.getUnqualifiedType();
      if (const CXXRecordDecl *Interface = *How == 0 ? introducingClass(*Call) : nullptr)
        diag(Interface->getLocation(),
             "if nothing uses %0 dynamically, coro-devirtualize can make this "
             "call direct by turning the interface into a concept",
             DiagnosticIDs::Note)
            << Interface;
      continue;
    }
    // clang elides only inside a coroutine whose own type is elidable; one
    // report per coroutine is enough.
    if (!AwaitingElidable && !ReportedAwaiting && !Awaiting.isNull()) {
      ReportedAwaiting = true;
      diag(Call->getBeginLoc(),
           "the frame of this awaited %0 is not elided because the awaiting "
           "coroutine returns %1, which is not [[clang::coro_await_elidable]]; "
           "clang elides only inside coroutines whose type is")
          << Task.getUnqualifiedType() << Awaiting.getUnqualifiedType();
    }
  }
}

// The awaited calls, in the position clang elides from, of coroutines that
// another translation unit defines: clang cannot elide their frames here.
void MissedFrameElisionCheck::recordCrossFileCalls(const FunctionAnalysis &F) {
  ASTContext &Ctx = F.context();
  for (const SuspensionPoint &Point : F.suspensions()) {
    const CallExpr *Call = Point.consumedCall();
    if (!Point.ElidablePosition || !isa<CoawaitExpr>(Point.E) || !Call ||
        Call->getBeginLoc().isMacroID() || indirection(*Call))
      continue;
    const FunctionDecl *Callee = Call->getDirectCallee();
    if (!Callee || Callee->isDefined())
      continue; // Its body is here: clang sees it.
    QualType Task = Callee->getReturnType();
    if (!isCoroutineReturnType(Task, Ctx) ||
        (OnlyElidableTasks && !isAwaitElidableType(Task)))
      continue;
    if (!SourceCoroutines) {
      SourceCoroutines.emplace();
      StoredIndex Stored = storedIndexFor(IndexFile, Ctx.getSourceManager());
      for (const std::string &Problem : Stored.Problems)
        if (firstReport(Problem))
          configurationDiag(Problem);
      // A coroutine whose file changed since the index was built may have
      // moved into its header.
      if (Stored.Facts)
        for (const corotidy::index::SourceCoroutine &C : Stored.Facts->Coroutines)
          if (!Stored.Stale.contains(C.Where.File))
            (*SourceCoroutines)[C.Usr] = C.Where.File;
    }
    llvm::SmallString<128> Usr;
    if (clang::index::generateUSRForDecl(Callee->getCanonicalDecl(), Usr))
      continue;
    auto It = SourceCoroutines->find(Usr);
    if (It == SourceCoroutines->end())
      continue;
    FileID File = Ctx.getSourceManager().getFileID(
        Ctx.getSourceManager().getExpansionLoc(Call->getBeginLoc()));
    CrossFileCalls &Calls = CrossFile[{Callee->getCanonicalDecl(), File}];
    if (!Calls.Count++)
      Calls.First = Call->getBeginLoc();
    Calls.DefinedIn = llvm::sys::path::filename(It->second).str();
  }
}

void MissedFrameElisionCheck::onEndOfTranslationUnit() {
  for (const auto &[Task, Uses] : TaskCalls)
    if (Uses.Awaited && !Uses.Other)
      reportNonElidableTaskType(*Task, Uses);
  TaskCalls.clear();
  // Once per callee, at its first awaited call, with the count.
  for (const auto &[Key, Calls] : CrossFile)
    diag(Calls.First,
         "%select{the awaited call|%0 awaited calls}1 of %2 in this file "
         "allocate%select{s|}1 its coroutine frame: it is defined in %3, "
         "another translation unit, and clang elides only the frames of "
         "callees whose body it sees")
        << Calls.Count << (Calls.Count > 1) << Key.first << Calls.DefinedIn;
  CrossFile.clear();
  SourceCoroutines.reset();
  Context = nullptr;
}

// A task type every call of which is awaited at once can promise what the
// attribute requires: the awaited task never outlives the awaiting coroutine.
void MissedFrameElisionCheck::reportNonElidableTaskType(
    const CXXRecordDecl &Task, const TaskTypeUses &Uses) {
  if (!Context)
    return;
  const SourceManager &SM = Context->getSourceManager();
  SourceLocation Keyword = Task.getInnerLocStart();
  if (Keyword.isInvalid() || SM.isInSystemHeader(Task.getLocation()))
    return;
  StringRef File = SM.getFilename(SM.getSpellingLoc(Task.getLocation()));
  if (IgnoredHeaders.matches(File))
    return;
  {
    auto Diag = diag(Task.getLocation(),
                     "task type %0 is always awaited directly in this "
                     "translation unit, but it is not "
                     "[[clang::coro_await_elidable]], so every call allocates "
                     "a coroutine frame that clang could place in the "
                     "awaiting coroutine's frame")
                << &Task;
    if (Keyword.isFileID() && !Task.getLocation().isMacroID()) {
      SourceLocation After =
          Lexer::getLocForEndOfToken(Keyword, 0, SM, Context->getLangOpts());
      Diag << FixItHint::CreateInsertion(
          After, ElidableMacro.empty() ? " [[clang::coro_await_elidable]]"
                                       : " " + ElidableMacro);
    }
  }
  diag(Task.getLocation(),
       "the attribute promises that a task of this type, when awaited "
       "directly, never outlives the coroutine that awaits it",
       DiagnosticIDs::Note);
  diag(Uses.FirstAwait, "awaited directly here", DiagnosticIDs::Note);
}

void MissedFrameElisionCheck::checkAdjacentStatements(
    const DeclStmt &Decl, const Stmt &Next, const FunctionAnalysis &F) {
  ASTContext &Ctx = F.context();
  std::optional<fixits::StoredThenAwaited> Found =
      fixits::findStoredThenAwaited(Decl, Next, F);
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
