//===--- DanglingReferenceCheck.cpp - corotidy -----------------*- C++ -*-===//

#include "checks/DanglingReferenceCheck.h"
#include "checks/SuspensionFlow.h"
#include "fixits/AwaitCallDirectly.h"
#include "fixits/BorrowFixes.h"
#include "clang/AST/DeclCXX.h"
#include "clang/AST/ParentMapContext.h"
#include "clang/ASTMatchers/ASTMatchFinder.h"

using namespace clang::ast_matchers;

namespace clang::tidy::coro {

namespace {

constexpr char DefaultStructuredCallees[] =
    ".*::when_all;.*::when_all_ready;.*::when_any;.*::collectAll;"
    ".*::collectAllRange;.*::collectAny;.*::collectAllTry;.*::sync_wait;"
    ".*::blockingWait;.*::block_on;.*::run_sync";
constexpr char DefaultDetachingCallees[] =
    ".*::co_spawn;.*::spawn;.*::start_detached;.*::spawn_detached;"
    ".*::fire_and_forget;.*::detach";

// The call's object (a member call's object, a lambda's closure) and the
// offset from argument to parameter index.
struct CallShape {
  const Expr *Object = nullptr;
  unsigned ArgOffset = 0;
};
CallShape shapeOf(const CallExpr &Call, const FunctionDecl &Callee) {
  if (const auto *Member = dyn_cast<CXXMemberCallExpr>(&Call))
    return {Member->getImplicitObjectArgument(), 0};
  const auto *Method = dyn_cast<CXXMethodDecl>(&Callee);
  if (!Method || Call.getNumArgs() == 0)
    return {};
  if (Method->isExplicitObjectMemberFunction())
    return {Call.getArg(0), 0};
  if (isa<CXXOperatorCallExpr>(Call) && Method->isImplicitObjectMemberFunction())
    return {Call.getArg(0), 1};
  return {};
}

// Whether a local lives until its function returns (a parameter, or a
// local of the function's outermost block).
bool diesWithFunction(const VarDecl &Var, ASTContext &Ctx) {
  ArgLifetime Life = lifetimeOfVariable(Var, Ctx);
  const auto *Fn = dyn_cast_or_null<FunctionDecl>(Var.getDeclContext());
  return isa<ParmVarDecl>(Var) || (Fn && Life.Scope == Fn->getBody());
}

std::string describeVar(const VarDecl &Var) {
  return (isa<ParmVarDecl>(Var) ? "parameter '" : "local '") +
         Var.getNameAsString() + "'";
}

// The declaration statement and the block holding a task variable, to try
// the stored-then-awaited rewrite.
const DeclStmt *declStmtOf(const VarDecl &Var, ASTContext &Ctx) {
  auto Parents = Ctx.getParents(Var);
  return Parents.empty() ? nullptr : Parents[0].get<DeclStmt>();
}

std::optional<fixits::StoredThenAwaited>
storedThenAwaited(const CallExpr &Call, ASTContext &Ctx) {
  const VarDecl *Holder = initializedVariable(Call, Ctx);
  const DeclStmt *Decl = Holder ? declStmtOf(*Holder, Ctx) : nullptr;
  if (!Decl)
    return std::nullopt;
  auto Parents = Ctx.getParents(*Decl);
  const auto *Block = Parents.empty() ? nullptr : Parents[0].get<CompoundStmt>();
  if (!Block)
    return std::nullopt;
  const auto *It = llvm::find(Block->body(), Decl);
  if (It == Block->body_end() || std::next(It) == Block->body_end())
    return std::nullopt;
  return fixits::findStoredThenAwaited(*Decl, **std::next(It), *Block, Ctx);
}

// The enclosing function of a statement, for messages.
const FunctionDecl *enclosingFunction(const Stmt &S, ASTContext &Ctx) {
  DynTypedNode Node = DynTypedNode::create(S);
  for (int Depth = 0; Depth < 128; ++Depth) {
    auto Parents = Ctx.getParents(Node);
    if (Parents.empty())
      return nullptr;
    Node = Parents[0];
    if (const auto *Fn = Node.get<FunctionDecl>())
      return Fn;
    if (const auto *Lambda = Node.get<LambdaExpr>())
      return Lambda->getCallOperator();
  }
  return nullptr;
}

// What a local reference is bound to, when that is not the frame's own.
struct ForeignReferent {
  enum Kind { None, PartOfTemporary, ElementThroughReference } K = None;
  /// ElementThroughReference: the reference the element is reached through.
  const VarDecl *Through = nullptr;
};
ForeignReferent foreignReferentOf(const VarDecl &Ref) {
  if (!Ref.getType()->isReferenceType() || !Ref.getInit())
    return {};
  const Expr *E = Ref.getInit()->IgnoreImplicit();
  // An accessor called on a temporary: the temporary dies with the
  // declaration (a member of a temporary would have its lifetime extended).
  if (const auto *Call = dyn_cast<CXXMemberCallExpr>(E);
      Call && Call->getMethodDecl() &&
      Call->getMethodDecl()->getReturnType()->isReferenceType()) {
    const Expr *Object = Call->getImplicitObjectArgument()->IgnoreParenImpCasts();
    if (isa<MaterializeTemporaryExpr>(Object) || Object->isPRValue())
      return {ForeignReferent::PartOfTemporary};
  }
  // Through a non-const reference: a container the coroutine or its caller
  // is expected to change while it is suspended.
  bool ThroughElement = false;
  const VarDecl *Root = storageRoot(E, &ThroughElement);
  if (ThroughElement && Root && Root->getType()->isReferenceType() &&
      !Root->getType().getNonReferenceType().isConstQualified() &&
      Root->hasLocalStorage())
    return {ForeignReferent::ElementThroughReference, Root};
  return {};
}

// Whether \p Scope, after \p After, blocks until detached work is done: an
// event loop run (`ctx.run()`), a join or wait, or a structured callee. A
// local of that scope then outlives what was detached before it.
bool blocksLaterInScope(const Stmt *Scope, SourceLocation After,
                        const RegexList &Structured, const SourceManager &SM) {
  if (!Scope)
    return false;
  llvm::SmallVector<const Stmt *, 32> Work = {Scope};
  while (!Work.empty()) {
    const Stmt *S = Work.pop_back_val();
    if (!S || isa<LambdaExpr>(S))
      continue;
    if (const auto *Call = dyn_cast<CallExpr>(S);
        Call && SM.isBeforeInTranslationUnit(After, Call->getBeginLoc())) {
      const FunctionDecl *Callee = Call->getDirectCallee();
      if (Callee && Callee->getIdentifier() &&
          (llvm::is_contained({"run", "run_for", "run_until", "join", "wait",
                               "sync_wait", "blockingWait", "block_on"},
                              Callee->getName()) ||
           Structured.matches(*Callee)))
        return true;
    }
    for (const Stmt *Child : S->children())
      Work.push_back(Child);
  }
  return false;
}

bool capturesPinnedOwner(const CXXRecordDecl &Closure) {
  for (const LambdaCapture &Capture : Closure.captures())
    if (Capture.capturesVariable())
      if (const auto *Var = dyn_cast<VarDecl>(Capture.getCapturedVar()))
        if (const CXXRecordDecl *RD = Var->getType()->getAsCXXRecordDecl())
          if (qualifiedNameForMatching(*RD) == "::std::shared_ptr")
            return true;
  return false;
}

} // namespace

DanglingReferenceCheck::DanglingReferenceCheck(StringRef Name,
                                               ClangTidyContext *Context)
    : CoroCheck(Name, Context),
      ViewTypesText(Options.get("ViewTypes", "")),
      StructuredCalleesText(
          Options.get("StructuredCallees", DefaultStructuredCallees)),
      DetachingCalleesText(
          Options.get("DetachingCallees", DefaultDetachingCallees)),
      DiagnoseDeclarations(Options.get("DiagnoseDeclarations", false)),
      FrameElisionCheckEnabled(
          Context->isCheckEnabled("coro-missed-frame-elision")),
      ViewTypes(ViewTypesText), StructuredCallees(StructuredCalleesText),
      DetachingCallees(DetachingCalleesText) {
  reportInvalidEntries({&ViewTypes, &StructuredCallees, &DetachingCallees});
}

void DanglingReferenceCheck::storeOptions(ClangTidyOptions::OptionMap &Opts) {
  Options.store(Opts, "ViewTypes", ViewTypesText);
  Options.store(Opts, "StructuredCallees", StructuredCalleesText);
  Options.store(Opts, "DetachingCallees", DetachingCalleesText);
  Options.store(Opts, "DiagnoseDeclarations", DiagnoseDeclarations);
}

void DanglingReferenceCheck::registerMatchers(MatchFinder *Finder) {

  Finder->addMatcher(
      functionDecl(isDefinition(), unless(isExpansionInSystemHeader()),
                   optionally(hasBody(coroutineBodyStmt().bind("body"))))
          .bind("fn"),
      this);
}

bool DanglingReferenceCheck::isDetaching(const FunctionDecl &Callee) {
  auto [It, Inserted] = DetachingCache.try_emplace(Callee.getCanonicalDecl());
  if (Inserted)
    It->second = DetachingCallees.matches(Callee);
  return It->second;
}

const BorrowSummary &DanglingReferenceCheck::summaryOf(const FunctionDecl &Callee,
                                                       ASTContext &Ctx) {
  const FunctionDecl *Key = Callee.getCanonicalDecl();
  auto It = Summaries.find(Key);
  if (It == Summaries.end())
    It = Summaries.try_emplace(Key, summarizeBorrows(Callee, Ctx, ViewTypes)).first;
  return It->second;
}

void DanglingReferenceCheck::check(const MatchFinder::MatchResult &Result) {
  ASTContext &Ctx = *Result.Context;
  const auto *Fn = Result.Nodes.getNodeAs<FunctionDecl>("fn");
  if (!Fn || isInstantiated(*Fn) || !Fn->getBody())
    return;
  const auto *Body = Result.Nodes.getNodeAs<CoroutineBodyStmt>("body");
  // Calls awaited directly are consumed: known top-down, so the common case
  // never needs the parent walk that finding a task's fate takes.
  llvm::SmallPtrSet<const CallExpr *, 16> Awaited;
  if (Body)
    for (const CallExpr *Call : collectAwaitedCalls(*Body))
      Awaited.insert(Call);
  for (const CallExpr *Call : collectCalls(Fn->getBody())) {
    // A task is made by a callee that returns one (`std::move(task)` has the
    // task's type too, as an xvalue).
    const FunctionDecl *Callee = Call->getDirectCallee();
    if (Call->isPRValue() && Callee && !Awaited.contains(Call) &&
        isCoroutineReturnType(Callee->getReturnType(), Ctx))
      checkCallSite(*Call, Ctx);
    checkDetachedLambdas(*Call, Ctx);
  }
  if (!Body)
    return;
  checkLocalReferences(*Body, *Fn, Ctx);
  if (DiagnoseDeclarations)
    checkDeclaration(*Fn, Ctx);
}

void DanglingReferenceCheck::checkCallSite(const CallExpr &Call, ASTContext &Ctx) {
  const FunctionDecl *Callee = Call.getDirectCallee();
  if (!Callee || Call.getBeginLoc().isInvalid())
    return;
  const BorrowSummary &Summary = summaryOf(*Callee, Ctx);
  if (Summary.AtRisk.empty())
    return;
  TaskFate Fate = fateOfTask(Call, Ctx, {StructuredCallees, DetachingCallees});
  // A fire-and-forget coroutine dropped by its caller runs on by itself.
  if (Fate.K == TaskFate::Discarded && Summary.Start == StartMode::Eager &&
      destroysItselfWhenDone(Call.getType(), Ctx)) {
    Fate.K = TaskFate::Escapes;
    Fate.Detached = true;
  }
  if (Fate.K != TaskFate::HeldInScope && Fate.K != TaskFate::Escapes)
    return;

  CallShape Shape = shapeOf(Call, *Callee);
  const SourceManager &SM = Ctx.getSourceManager();
  for (const BorrowAtRisk &Borrow : Summary.AtRisk) {
    const Expr *Where = nullptr;
    ArgLifetime Life;
    if (Borrow.K == BorrowAtRisk::Parameter) {
      const auto *Param = cast<ParmVarDecl>(Borrow.Decl);
      unsigned Index = Param->getFunctionScopeIndex() + Shape.ArgOffset;
      if (Index >= Call.getNumArgs())
        continue;
      Where = Call.getArg(Index);
      Life = lifetimeOfBorrowedArgument(*Where, Param->getType(), Ctx, ViewTypes);
    } else if (Shape.Object) {
      Where = Shape.Object;
      Life = lifetimeOfObject(*Where, Ctx);
    }
    if (!Where || !diesBeforeTaskFinishes(Life, Fate, SM))
      continue;
    if (Life.K == ArgLifetime::Local && Fate.Detached &&
        blocksLaterInScope(Life.Scope, Call.getEndLoc(), StructuredCallees, SM))
      continue;
    reportDeadArgument(*Where, Borrow, Life, Fate, *Callee, Call, Ctx);
  }
}

void DanglingReferenceCheck::reportDeadArgument(
    const Expr &Where, const BorrowAtRisk &Borrow, const ArgLifetime &Life,
    const TaskFate &Fate, const FunctionDecl &Callee, const CallExpr &Call,
    ASTContext &Ctx) {
  SourceLocation Loc = Where.getExprLoc();
  if (isa<CXXDefaultArgExpr>(Where))
    Loc = Call.getRParenLoc();
  bool Temporary = Life.K == ArgLifetime::Temporary;
  const FunctionDecl *Caller = enclosingFunction(Call, Ctx);
  // How the referenced object dies: 0 at the end of its scope, 1 when the
  // caller returns.
  unsigned When = Life.Var && diesWithFunction(*Life.Var, Ctx) ? 1 : 0;
  const ParmVarDecl *ByValue = nullptr;
  {
    auto Diag = [&]() {
      switch (Borrow.K) {
      case BorrowAtRisk::Parameter:
        if (Temporary)
          return diag(Loc, "%0 refers to a temporary that is destroyed before "
                           "the coroutine resumes")
                 << Borrow.Decl;
        return diag(Loc, "%0 refers to %1, which is destroyed %select{at the "
                         "end of its scope|when %3 returns}2, before the "
                         "coroutine finishes")
               << Borrow.Decl << describeVar(*Life.Var) << When << Caller;
      case BorrowAtRisk::ImplicitObject:
        if (Temporary)
          return diag(Loc, "the object of member coroutine %0 is a temporary "
                           "that is destroyed before the coroutine resumes")
                 << &Callee;
        return diag(Loc, "%1, the object of member coroutine %0, is destroyed "
                         "%select{at the end of its scope|when %3 returns}2, "
                         "before the coroutine finishes")
               << &Callee << describeVar(*Life.Var) << When << Caller;
      case BorrowAtRisk::Closure:
        if (Temporary)
          return diag(Loc, "the closure of this coroutine lambda is a "
                           "temporary that is destroyed before the coroutine "
                           "resumes, and the coroutine uses its captures "
                           "after a suspension point");
        return diag(Loc, "lambda %0 is destroyed %select{at the end of its "
                         "scope|when %2 returns}1, before the coroutine "
                         "finishes, and the coroutine uses its captures "
                         "after a suspension point")
               << Life.Var << When << Caller;
      }
      llvm_unreachable("covered switch");
    }();
    Diag << SourceRange(Loc);
    bool Fixed = false;
    std::optional<fixits::StoredThenAwaited> Stored = storedThenAwaited(Call, Ctx);
    if (Stored && !FrameElisionCheckEnabled) {
      auto Hints = fixits::awaitCallDirectly(*Stored, Ctx.getSourceManager(),
                                             Ctx.getLangOpts());
      Fixed = !Hints.empty();
      for (const FixItHint &Hint : Hints)
        Diag << Hint;
    }
    // The frame-elision check carries the same rewrite: offer nothing that
    // would overlap with it.
    Fixed |= Stored && Stored->Rewritable && FrameElisionCheckEnabled;
    if (!Fixed && Borrow.K == BorrowAtRisk::Closure && Temporary)
      for (const FixItHint &Hint : fixits::copyClosureIntoFrame(Where, Ctx)) {
        Diag << Hint;
        Fixed = true;
      }
    if (!Fixed && Borrow.K == BorrowAtRisk::Parameter)
      for (const FixItHint &Hint :
           offerPassByValue(*cast<ParmVarDecl>(Borrow.Decl), Callee, Ctx)) {
        Diag << Hint;
        ByValue = cast<ParmVarDecl>(Borrow.Decl);
      }
  }
  if (ByValue)
    noteMoveAtLastUse(*ByValue);
  noteEvidence(Borrow, Callee);
  if (Fate.Evidence.isValid())
    diag(Fate.Evidence, "task %select{escapes|is stored}0 here",
         DiagnosticIDs::Note)
        << (Fate.K == TaskFate::HeldInScope);
}

llvm::SmallVector<FixItHint, 4>
DanglingReferenceCheck::offerPassByValue(const ParmVarDecl &Param,
                                         const FunctionDecl &Fn, ASTContext &Ctx) {
  // Parameters have no redeclarations; key by the canonical function's.
  const FunctionDecl *CanonicalFn = Fn.getCanonicalDecl();
  unsigned Index = Param.getFunctionScopeIndex();
  if (Index >= CanonicalFn->getNumParams())
    return {};
  const ParmVarDecl *Canonical = CanonicalFn->getParamDecl(Index);
  if (OfferedByValue.contains(Canonical))
    return {};
  llvm::SmallVector<FixItHint, 4> Hints = fixits::passByValue(Param, Fn, Ctx);
  if (!Hints.empty())
    OfferedByValue.insert(Canonical);
  return Hints;
}

// Moving from the new by-value parameter is a judgement call left to the
// user: it is only right at the last use.
void DanglingReferenceCheck::noteMoveAtLastUse(const ParmVarDecl &Param) {
  diag(Param.getLocation(),
       "the fix takes %0 by value; if it is expensive to copy, move it "
       "(std::move) at its last use",
       DiagnosticIDs::Note)
      << &Param;
}

void DanglingReferenceCheck::noteEvidence(const BorrowAtRisk &Borrow,
                                          const FunctionDecl &Callee) {
  if (!Borrow.Use) {
    diag(Callee.getLocation(),
         "%0 starts suspended, so everything it borrows is used after its "
         "caller has moved on",
         DiagnosticIDs::Note)
        << &Callee;
    return;
  }
  if (Borrow.Suspension)
    diag(Borrow.Suspension->E->getBeginLoc(), "suspension point here",
         DiagnosticIDs::Note);
  else
    diag(Callee.getLocation(),
         "%0 starts suspended, so its body runs after its caller has moved on",
         DiagnosticIDs::Note)
        << &Callee;
  diag(Borrow.Use->getBeginLoc(), "%select{%1|the object|the captures}0 %select{is|is|are}0 "
                                  "used here",
       DiagnosticIDs::Note)
      << static_cast<unsigned>(Borrow.K) << Borrow.Decl;
}

void DanglingReferenceCheck::checkDetachedLambdas(const CallExpr &Call,
                                                  ASTContext &Ctx) {
  const FunctionDecl *Callee = Call.getDirectCallee();
  if (!Callee || !isDetaching(*Callee))
    return;
  const FunctionDecl *Caller = enclosingFunction(Call, Ctx);
  for (const Expr *Arg : Call.arguments()) {
    const auto *Lambda = dyn_cast<LambdaExpr>(ignoreArgumentConversions(Arg));
    if (!Lambda || !isCoroutineReturnType(Lambda->getCallOperator()->getReturnType(), Ctx))
      continue;
    const BorrowSummary &Summary = summaryOf(*Lambda->getCallOperator(), Ctx);
    const BorrowAtRisk *Closure = Summary.closure();
    if (!Closure)
      continue;
    // The callee keeps a copy of the closure: what dies is what it captured
    // by reference, and the object behind a captured `this`.
    for (const LambdaCapture &Capture : Lambda->captures()) {
      if (Capture.capturesThis()) {
        if (capturesPinnedOwner(*Lambda->getLambdaClass()))
          continue;
        diag(Capture.getLocation(),
             "'this' is captured by a coroutine lambda that %0 runs detached; "
             "nothing keeps the object alive until the coroutine finishes; "
             "capture a shared_ptr to it (shared_from_this()) instead")
            << Callee->getDeclName();
        noteEvidence(*Closure, *Lambda->getCallOperator());
        continue;
      }
      if (Capture.getCaptureKind() != LCK_ByRef || !Capture.capturesVariable())
        continue;
      const auto *Var = dyn_cast<VarDecl>(Capture.getCapturedVar());
      ArgLifetime Life = Var ? lifetimeOfVariable(*Var, Ctx) : ArgLifetime{};
      if (Life.K != ArgLifetime::Local ||
          blocksLaterInScope(Life.Scope, Call.getEndLoc(), StructuredCallees,
                             Ctx.getSourceManager()))
        continue;
      diag(Capture.isImplicit() ? Lambda->getCaptureDefaultLoc()
                                : Capture.getLocation(),
           "%0 is captured by reference by a coroutine lambda that %1 runs "
           "detached; it is destroyed %select{at the end of its scope|when %3 "
           "returns}2, before the coroutine finishes; capture it by value")
          << Var << Callee->getDeclName() << diesWithFunction(*Var, Ctx)
          << Caller;
      noteEvidence(*Closure, *Lambda->getCallOperator());
    }
  }
}

void DanglingReferenceCheck::checkLocalReferences(const CoroutineBodyStmt &Body,
                                                  const Decl &Fn, ASTContext &Ctx) {
  std::unique_ptr<CoroutineCFG> Graph = CoroutineCFG::build(Body, &Fn, Ctx);
  if (!Graph)
    return;
  llvm::SmallVector<const VarDecl *, 8> Foreign;
  llvm::DenseMap<const VarDecl *, ForeignReferent> Referents;
  llvm::SmallVector<const Stmt *, 32> Work = {Body.getBody()};
  while (!Work.empty()) {
    const Stmt *S = Work.pop_back_val();
    if (!S || isa<LambdaExpr>(S))
      continue;
    if (const auto *Decl = dyn_cast<DeclStmt>(S))
      for (const clang::Decl *D : Decl->decls())
        if (const auto *Var = dyn_cast<VarDecl>(D)) {
          ForeignReferent Referent = foreignReferentOf(*Var);
          if (Referent.K != ForeignReferent::None) {
            Foreign.push_back(Var);
            Referents[Var] = Referent;
          }
        }
    for (const Stmt *Child : S->children())
      Work.push_back(Child);
  }
  if (Foreign.empty())
    return;
  auto RealSuspension = [](const SuspensionPoint &) { return true; };
  for (const UseAfterSuspension &Use :
       findUsesAfterSuspension(*Graph, Foreign, RealSuspension)) {
    const ForeignReferent &Referent = Referents[Use.Var];
    if (Referent.K == ForeignReferent::PartOfTemporary)
      diag(Use.Use->getLocation(),
           "%0 refers into a temporary that was destroyed at the end of its "
           "declaration, and is used after a suspension point; store a copy "
           "instead")
          << Use.Var;
    else
      diag(Use.Use->getLocation(),
           "%0 refers to an element of %1, which the coroutine frame does not "
           "own, and is used after a suspension point; the element may be "
           "gone or moved by then; copy it, or look it up again after "
           "resuming")
          << Use.Var << Referent.Through;
    if (Use.Suspension)
      diag(Use.Suspension->E->getBeginLoc(), "suspension point here",
           DiagnosticIDs::Note);
    diag(Use.Var->getLocation(), "%0 bound here", DiagnosticIDs::Note) << Use.Var;
  }
}

void DanglingReferenceCheck::checkDeclaration(const FunctionDecl &Fn,
                                              ASTContext &Ctx) {
  if (const auto *Method = dyn_cast<CXXMethodDecl>(&Fn);
      Method && Method->getParent()->isLambda())
    return;
  const BorrowSummary &Summary = summaryOf(Fn, Ctx);
  for (const BorrowAtRisk &Borrow : Summary.AtRisk) {
    if (Borrow.K != BorrowAtRisk::Parameter || !Borrow.Use)
      continue;
    const ParmVarDecl *ByValue = nullptr;
    {
      auto Diag = diag(Borrow.Decl->getLocation(),
                       "%0 is borrowed by coroutine %1 and used after a "
                       "suspension point; every caller must keep its argument "
                       "alive until the task completes")
                  << Borrow.Decl << &Fn;
      for (const FixItHint &Hint :
           offerPassByValue(*cast<ParmVarDecl>(Borrow.Decl), Fn, Ctx)) {
        Diag << Hint;
        ByValue = cast<ParmVarDecl>(Borrow.Decl);
      }
    }
    if (ByValue)
      noteMoveAtLastUse(*ByValue);
    noteEvidence(Borrow, Fn);
  }
}

} // namespace clang::tidy::coro
