//===--- DanglingReferenceCheck.cpp - corotidy -----------------*- C++ -*-===//

#include "checks/DanglingReferenceCheck.h"
#include "fixits/AwaitCallDirectly.h"
#include "fixits/BorrowFixes.h"
#include "model/SuspensionFlow.h"
#include "clang/AST/DeclCXX.h"
#include "clang/ASTMatchers/ASTMatchFinder.h"

using namespace clang::ast_matchers;
using namespace corotidy::model;
namespace fixits = corotidy::fixits;

namespace clang::tidy::coro {

namespace {

constexpr char DefaultStructuredCallees[] =
    ".*::when_all;.*::when_all_ready;.*::when_any;.*::collectAll;"
    ".*::collectAllRange;.*::collectAny;.*::collectAllTry;.*::sync_wait;"
    ".*::blockingWait;.*::block_on;.*::run_sync";
constexpr char DefaultDetachingCallees[] =
    ".*::co_spawn;.*::spawn;.*::start_detached;.*::spawn_detached;"
    ".*::fire_and_forget;.*::detach";

// The argument of \p Call that binds the parameter at \p Index of the
// callee (counted as in the callee's own declaration).
const Expr *argumentFor(const CallExpr &Call, unsigned Index) {
  const Expr *Found = nullptr;
  forEachArgument(Call, [&](const Expr &Arg, const ParmVarDecl *Param) {
    if (Param && Param->getFunctionScopeIndex() == Index)
      Found = &Arg;
  });
  return Found;
}

// Whether a local lives until its function returns (a parameter, or a
// local of the function's outermost block).
bool diesWithFunction(const VarDecl &Var, Model &M) {
  ArgLifetime Life = lifetimeOfVariable(Var, M);
  const auto *Fn = dyn_cast_or_null<FunctionDecl>(Var.getDeclContext());
  return isa<ParmVarDecl>(Var) || (Fn && Life.Scope == Fn->getBody());
}

std::string describeVar(const VarDecl &Var) {
  return (isa<ParmVarDecl>(Var) ? "parameter '" : "local '") +
         Var.getNameAsString() + "'";
}

// The task variable a call initializes, when the statement after its
// declaration awaits it: the stored-then-awaited rewrite applies.
std::optional<fixits::StoredThenAwaited>
storedThenAwaited(const CallExpr &Call, const FunctionAnalysis &F) {
  const VarDecl *Holder = F.userOf(Call).Initialized;
  const DeclStmt *Decl = Holder ? F.declarationOf(*Holder) : nullptr;
  const auto *Block = Decl ? dyn_cast_or_null<CompoundStmt>(F.parent(*Decl)) : nullptr;
  if (!Block)
    return std::nullopt;
  const auto *It = llvm::find(Block->body(), Decl);
  if (It == Block->body_end() || std::next(It) == Block->body_end())
    return std::nullopt;
  return fixits::findStoredThenAwaited(*Decl, **std::next(It), F);
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
  bool Blocks = false;
  forEachInBody(Scope, [&](const Stmt &S) {
    const auto *Call = dyn_cast<CallExpr>(&S);
    if (Blocks || !Call || !SM.isBeforeInTranslationUnit(After, Call->getBeginLoc()))
      return !Blocks;
    const FunctionDecl *Callee = Call->getDirectCallee();
    Blocks = Callee && Callee->getIdentifier() &&
             (llvm::is_contained({"run", "run_for", "run_until", "join", "wait",
                                  "sync_wait", "blockingWait", "block_on"},
                                 Callee->getName()) ||
              Structured.matches(*Callee));
    return !Blocks;
  });
  return Blocks;
}

bool capturesPinnedOwner(const CXXRecordDecl &Closure) {
  for (const LambdaCapture &Capture : Closure.captures())
    if (Capture.capturesVariable())
      if (const auto *Var = dyn_cast<VarDecl>(Capture.getCapturedVar()))
        if (const CXXRecordDecl *RD = Var->getType()->getAsCXXRecordDecl())
          if (isNamed(RD, "::std::shared_ptr"))
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
                                                       Model &M) {
  return borrowsOf(Callee, M, Views);
}

void DanglingReferenceCheck::check(const MatchFinder::MatchResult &Result) {
  const auto *Fn = Result.Nodes.getNodeAs<FunctionDecl>("fn");
  if (!Fn || isInstantiated(*Fn) || !Fn->getBody())
    return;
  Model &M = Model::of(*Result.Context);
  const FunctionAnalysis *F = M.function(*Fn);
  if (!F)
    return;
  for (const CallExpr *Call : F->calls()) {
    // A task is made by a callee that returns one (`std::move(task)` has the
    // task's type too, as an xvalue). Consumed in its full-expression, it
    // outlives nothing it borrows.
    const FunctionDecl *Callee = Call->getDirectCallee();
    if (Call->isPRValue() && Callee && !F->isConsumedInFullExpression(*Call) &&
        isCoroutineReturnType(Callee->getReturnType(), M.context()))
      checkCallSite(*Call, *F);
    checkDetachedLambdas(*Call, *F);
  }
  if (!F->isCoroutine())
    return;
  checkLocalReferences(*F);
  if (DiagnoseDeclarations)
    checkDeclaration(*Fn, M);
}

void DanglingReferenceCheck::checkCallSite(const CallExpr &Call,
                                           const FunctionAnalysis &F) {
  const FunctionDecl *Callee = Call.getDirectCallee();
  if (!Callee || Call.getBeginLoc().isInvalid())
    return;
  Model &M = F.model();
  ASTContext &Ctx = M.context();
  const BorrowSummary &Summary = summaryOf(*Callee, M);
  if (Summary.AtRisk.empty())
    return;
  auto IsStructured = [this](const FunctionDecl &Fn) {
    return StructuredCallees.matches(Fn);
  };
  auto IsDetaching = [this](const FunctionDecl &Fn) { return isDetaching(Fn); };
  TaskFate Fate = fateOfTask(Call, F, {IsStructured, IsDetaching});
  // A fire-and-forget coroutine dropped by its caller runs on by itself.
  if (Fate.K == TaskFate::Discarded && Summary.Start == StartMode::Eager &&
      destroysItselfWhenDone(Call.getType(), Ctx)) {
    Fate.K = TaskFate::Escapes;
    Fate.Detached = true;
  }
  if (Fate.K != TaskFate::HeldInScope && Fate.K != TaskFate::Escapes)
    return;

  const Expr *Object = objectArgument(Call);
  const SourceManager &SM = Ctx.getSourceManager();
  for (const BorrowAtRisk &Borrow : Summary.AtRisk) {
    const Expr *Where = nullptr;
    ArgLifetime Life;
    if (Borrow.K == BorrowAtRisk::Parameter) {
      const auto *Param = cast<ParmVarDecl>(Borrow.Decl);
      Where = argumentFor(Call, Param->getFunctionScopeIndex());
      if (!Where)
        continue;
      Life = lifetimeOfBorrowedArgument(*Where, Param->getType(), M, Views);
    } else if (Object) {
      Where = Object;
      Life = lifetimeOfObject(*Where, M);
    }
    if (!Where || !diesBeforeTaskFinishes(Life, Fate, SM))
      continue;
    if (Life.K == ArgLifetime::Local && Fate.Detached &&
        blocksLaterInScope(Life.Scope, Call.getEndLoc(), StructuredCallees, SM))
      continue;
    reportDeadArgument(*Where, Borrow, Life, Fate, *Callee, Call, F);
  }
}

void DanglingReferenceCheck::reportDeadArgument(
    const Expr &Where, const BorrowAtRisk &Borrow, const ArgLifetime &Life,
    const TaskFate &Fate, const FunctionDecl &Callee, const CallExpr &Call,
    const FunctionAnalysis &F) {
  ASTContext &Ctx = F.context();
  SourceLocation Loc = Where.getExprLoc();
  if (isa<CXXDefaultArgExpr>(Where))
    Loc = Call.getRParenLoc();
  bool Temporary = Life.K == ArgLifetime::Temporary;
  const FunctionDecl *Caller = &F.function();
  // How the referenced object dies: 0 at the end of its scope, 1 when the
  // caller returns.
  unsigned When = Life.Var && diesWithFunction(*Life.Var, F.model()) ? 1 : 0;
  const ParmVarDecl *ByValue = nullptr;
  llvm::SmallVector<FixItHint, 2> AwaitDirectly;
  SourceLocation StoredAt;
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
    // A task stored and then awaited at once: awaiting the call directly
    // keeps its temporaries alive. That edit goes on a note (below), since
    // coro-missed-frame-elision's warning carries the same edit and two
    // diagnostics with one edit would cancel each other out in --fix.
    if (std::optional<fixits::StoredThenAwaited> Stored = storedThenAwaited(Call, F)) {
      AwaitDirectly = fixits::awaitCallDirectly(*Stored, Ctx.getSourceManager(),
                                                Ctx.getLangOpts());
      StoredAt = Stored->Var->getLocation();
    }
    bool Fixed = !AwaitDirectly.empty();
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
  if (!AwaitDirectly.empty()) {
    auto Note = diag(StoredAt,
                     "await the call directly, so that what it borrows lives "
                     "until it completes",
                     DiagnosticIDs::Note);
    for (const FixItHint &Hint : AwaitDirectly)
      Note << Hint;
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
                                                  const FunctionAnalysis &F) {
  const FunctionDecl *Callee = Call.getDirectCallee();
  if (!Callee || !isDetaching(*Callee))
    return;
  Model &M = F.model();
  ASTContext &Ctx = M.context();
  const FunctionDecl *Caller = &F.function();
  for (const Expr *Arg : Call.arguments()) {
    const auto *Lambda = dyn_cast<LambdaExpr>(strip(Arg, Strip::Conversions));
    if (!Lambda || !isCoroutineReturnType(Lambda->getCallOperator()->getReturnType(), Ctx))
      continue;
    const BorrowSummary &Summary = summaryOf(*Lambda->getCallOperator(), M);
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
      ArgLifetime Life = Var ? lifetimeOfVariable(*Var, M) : ArgLifetime{};
      if (Life.K != ArgLifetime::Local ||
          blocksLaterInScope(Life.Scope, Call.getEndLoc(), StructuredCallees,
                             Ctx.getSourceManager()))
        continue;
      diag(Capture.isImplicit() ? Lambda->getCaptureDefaultLoc()
                                : Capture.getLocation(),
           "%0 is captured by reference by a coroutine lambda that %1 runs "
           "detached; it is destroyed %select{at the end of its scope|when %3 "
           "returns}2, before the coroutine finishes; capture it by value")
          << Var << Callee->getDeclName() << diesWithFunction(*Var, M)
          << Caller;
      noteEvidence(*Closure, *Lambda->getCallOperator());
    }
  }
}

void DanglingReferenceCheck::checkLocalReferences(const FunctionAnalysis &F) {
  llvm::SmallVector<const VarDecl *, 8> Foreign;
  llvm::DenseMap<const VarDecl *, ForeignReferent> Referents;
  for (const VarDecl *Var : F.locals()) {
    ForeignReferent Referent = foreignReferentOf(*Var);
    if (Referent.K != ForeignReferent::None) {
      Foreign.push_back(Var);
      Referents[Var] = Referent;
    }
  }
  if (Foreign.empty())
    return;
  auto RealSuspension = [](const SuspensionPoint &) { return true; };
  for (const UseAfterSuspension &Use :
       findUsesAfterSuspension(F, Foreign, RealSuspension)) {
    const ForeignReferent &Referent = Referents[Use.Var];
    if (Referent.K == ForeignReferent::PartOfTemporary)
      diag(Use.Use->getExprLoc(),
           "%0 refers into a temporary that was destroyed at the end of its "
           "declaration, and is used after a suspension point; store a copy "
           "instead")
          << Use.Var;
    else
      diag(Use.Use->getExprLoc(),
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
                                              Model &M) {
  ASTContext &Ctx = M.context();
  if (const auto *Method = dyn_cast<CXXMethodDecl>(&Fn);
      Method && Method->getParent()->isLambda())
    return;
  const BorrowSummary &Summary = summaryOf(Fn, M);
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
