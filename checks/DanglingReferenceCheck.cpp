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

// Library combinators are read from their bodies; these are for what the
// bodies do not show (declared only, or too deep to follow).
constexpr char DefaultStructuredCallees[] =
    ".*::when_all;.*::when_all_ready;.*::when_any;.*::collectAll;"
    ".*::collectAllRange;.*::collectAny;.*::collectAllTry;"
    ".*::collectAllPara;.*::collectAllWindowed;.*::sync_wait;.*::syncAwait;"
    ".*::blockingWait;.*::block_on;.*::run_sync;.*::async_main";
constexpr char DefaultDetachingCallees[] =
    ".*::co_spawn;.*::start_detached;.*::spawn_detached;.*::fire_and_forget;"
    ".*::detach";

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

// How a message names a function: quoted; a lambda as the enclosing lambda;
// one that a macro defines (a test framework's) by the macro's name, never
// by the name the macro generates.
std::string describeFunction(const FunctionDecl &Fn) {
  if (const auto *Method = dyn_cast<CXXMethodDecl>(&Fn);
      Method && Method->getParent()->isLambda())
    return "the enclosing lambda";
  SourceLocation Loc = Fn.getLocation();
  if (Loc.isMacroID()) {
    StringRef Macro = writtenMacroName(Loc, Fn.getASTContext().getSourceManager(),
                                       Fn.getASTContext().getLangOpts());
    return Macro.empty() ? "the enclosing function"
                         : "the enclosing '" + Macro.str() + "'";
  }
  return "'" + Fn.getNameAsString() + "'";
}

// The function a local or parameter belongs to.
const FunctionDecl *ownerOf(const VarDecl &Var, Model &M) {
  const FunctionAnalysis *Owner = M.ownerOf(Var);
  return Owner ? &Owner->function() : nullptr;
}

// Whether a local lives until its function returns (a parameter, or a
// local of the function's outermost block).
bool diesWithFunction(const VarDecl &Var, Model &M) {
  if (isa<ParmVarDecl>(Var))
    return true;
  const FunctionAnalysis *Owner = M.ownerOf(Var);
  return Owner && Owner->scopeOf(Var) == Owner->userBody();
}

// "local 'x'", "parameter 'x'", or for a variable of an enclosing function,
// "'x', a local of the enclosing function".
std::string describeVar(const VarDecl &Var, const FunctionDecl &Here, Model &M) {
  const char *Kind = isa<ParmVarDecl>(Var) ? "parameter" : "local";
  const FunctionDecl *Owner = ownerOf(Var, M);
  if (Owner && Owner != &Here && Owner->getCanonicalDecl() != Here.getCanonicalDecl())
    return "'" + Var.getNameAsString() + "', a " + Kind + " of " +
           (describeFunction(*Owner) == "the enclosing lambda"
                ? std::string("an enclosing lambda")
                : describeFunction(*Owner));
  return std::string(Kind) + " '" + Var.getNameAsString() + "'";
}

// When a variable is destroyed, for messages.
std::string whenDestroyed(const VarDecl &Var, Model &M) {
  const FunctionDecl *Owner = ownerOf(Var, M);
  if (Owner && diesWithFunction(Var, M))
    return "when " + describeFunction(*Owner) + " returns";
  return "at the end of its scope";
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

// What a task shares with the scope that makes it: the locals its
// arguments refer to, and what a coroutine lambda captured by reference.
llvm::SmallVector<const ValueDecl *, 4>
sharedWithTask(const CallExpr &Call, const FunctionDecl &Callee, Model &M,
               const ViewPolicy &Views) {
  llvm::SmallVector<const ValueDecl *, 4> Shared;
  forEachArgument(Call, [&](const Expr &Arg, const ParmVarDecl *Param) {
    if (const VarDecl *Root = storageRoot(&Arg))
      Shared.push_back(Root);
    if (Param) {
      ArgLifetime Life =
          lifetimeOfBorrowedArgument(Arg, Param->getType(), M, Views);
      if (Life.Var)
        Shared.push_back(Life.Var);
    }
  });
  if (const auto *Method = dyn_cast<CXXMethodDecl>(&Callee);
      Method && Method->getParent()->isLambda())
    for (const LambdaCapture &Capture : Method->getParent()->captures())
      if (Capture.capturesVariable() && Capture.getCaptureKind() == LCK_ByRef)
        Shared.push_back(Capture.getCapturedVar());
  return Shared;
}

bool capturesPinnedOwner(const CXXRecordDecl &Closure) {
  for (const LambdaCapture &Capture : Closure.captures())
    if (Capture.capturesVariable())
      if (const auto *Var = dyn_cast<VarDecl>(Capture.getCapturedVar()))
        if (isNamed(Var->getType()->getAsCXXRecordDecl(), "::std::shared_ptr"))
          return true;
  return false;
}

// The variable a view (or pointer) captured by value looks into: `sv` made
// from a local buffer.
const VarDecl *viewedVariable(const VarDecl &View, Model &M,
                              const ViewPolicy &Views) {
  if (!View.getInit() ||
      !(isViewType(View.getType(), Views) || View.getType()->isPointerType()))
    return nullptr;
  ArgLifetime Life =
      lifetimeOfBorrowedArgument(*View.getInit(), View.getType(), M, Views);
  return Life.K == ArgLifetime::Local ? Life.Var : nullptr;
}

} // namespace

bool DanglingReferenceCheck::CalleePolicy::cached(
    llvm::DenseMap<const FunctionDecl *, bool> &Cache, const RegexList &List,
    const FunctionDecl &Callee) const {
  auto [It, Inserted] = Cache.try_emplace(Callee.getCanonicalDecl());
  if (Inserted)
    It->second = List.matches(Callee);
  return It->second;
}

bool DanglingReferenceCheck::CalleePolicy::isStructured(
    const FunctionDecl &Callee) const {
  return cached(StructuredCache, Structured, Callee);
}

bool DanglingReferenceCheck::CalleePolicy::isDetaching(
    const FunctionDecl &Callee) const {
  return cached(DetachingCache, Detaching, Callee);
}

DanglingReferenceCheck::DanglingReferenceCheck(StringRef Name,
                                               ClangTidyContext *Context)
    : FunctionCheck(Name, Context),
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
      functionDecl(isDefinition(), unless(isExpansionInSystemHeader()))
          .bind("fn"),
      this);
}

void DanglingReferenceCheck::onEndOfTranslationUnit() {
  FunctionCheck::onEndOfTranslationUnit();
  OfferedByValue.clear();
}

const BorrowSummary &DanglingReferenceCheck::summaryOf(const FunctionDecl &Callee,
                                                       Model &M) {
  return borrowsOf(Callee, M, Views);
}

void DanglingReferenceCheck::analyse(const FunctionDecl &Fn, ASTContext &Ctx) {
  Model &M = Model::of(Ctx);
  const FunctionAnalysis *F = M.function(Fn);
  if (!F)
    return;
  for (const CallExpr *Call : F->calls()) {
    // A task is made by a callee that returns one (`std::move(task)` has the
    // task's type too, as an xvalue). Consumed in its full-expression, it
    // outlives nothing it borrows.
    const FunctionDecl *Callee = Call->getDirectCallee();
    if (Call->isPRValue() && Callee && !F->isConsumedInFullExpression(*Call) &&
        isCoroutineReturnType(Callee->getReturnType(), Ctx))
      checkCallSite(*Call, *F);
    checkDetachedLambdas(*Call, *F);
  }
  if (!F->isCoroutine())
    return;
  checkLocalReferences(*F);
  if (DiagnoseDeclarations)
    checkDeclaration(Fn, *F);
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
  TaskFate Fate = fateOfTask(Call, F, Callees);
  // A fire-and-forget coroutine dropped by its caller runs on by itself.
  if (Fate.K == TaskFate::Discarded && Summary.Start == StartMode::Eager &&
      destroysItselfWhenDone(Call.getType(), Ctx)) {
    Fate.K = TaskFate::Escapes;
    Fate.Detached = true;
  }
  if (Fate.K != TaskFate::Joined && Fate.K != TaskFate::Escapes)
    return;

  const Expr *Object = objectArgument(Call);
  for (const BorrowAtRisk &Borrow : Summary.AtRisk) {
    const Expr *Where = nullptr;
    ArgLifetime Life;
    if (Borrow.K == BorrowAtRisk::Parameter) {
      const auto *Param = cast<ParmVarDecl>(Borrow.Decl);
      Where = argumentFor(Call, Param->getFunctionScopeIndex());
      if (!Where)
        continue;
      Life = lifetimeOfBorrowedArgument(*Where, Param->getType(), M, Views);
      if (Life.K == ArgLifetime::Unknown && Fate.K == TaskFate::Escapes)
        reportForwardedReference(*Where, Borrow, Fate, *Callee);
    } else if (Object) {
      Where = Object;
      Life = lifetimeOfObject(*Where, M);
    }
    if (!Where || !diesBeforeTaskFinishes(Life, Fate, F))
      continue;
    // Returned to the caller of a lambda (or local function) from what it
    // captured of an enclosing function: that caller runs inside the
    // enclosing scope, which keeps the variable alive.
    if (Fate.Returned && Life.K == ArgLifetime::Local && Life.Var &&
        ownerOf(*Life.Var, M) != &F.function() &&
        ownerOf(*Life.Var, M) != F.function().getCanonicalDecl())
      continue;
    // Detached, or kept by a callee (a group's fork keeps it in the group):
    // done once the scope waits for what it shares with the task.
    bool KeptByCallee = Fate.K == TaskFate::Escapes && !Fate.Returned &&
                        Fate.Decider;
    if (Life.K == ArgLifetime::Local && (Fate.Detached || KeptByCallee)) {
      llvm::SmallVector<const ValueDecl *, 4> Shared =
          sharedWithTask(Call, *Callee, M, Views);
      // The object it was spawned on (`group.fork(f(x))`; `co_await group`).
      if (Fate.Decider)
        if (const Expr *Object = objectArgument(*Fate.Decider))
          if (const VarDecl *Root = storageRoot(Object))
            Shared.push_back(Root);
      if (blocksUntilDoneAfter(Life.Scope, Call.getEndLoc(), Shared, Callees, F))
        continue;
      // Borrowed from an enclosing function and waited for before this body
      // finishes: done before the enclosing scope ends whenever this body
      // is (whether it is, the closure's own capture decides).
      const FunctionDecl *Owner = Life.Var ? ownerOf(*Life.Var, M) : nullptr;
      if (Owner && Owner != &F.function() &&
          Owner != F.function().getCanonicalDecl() &&
          blocksUntilDoneAfter(F.body(), Call.getEndLoc(), Shared, Callees, F))
        continue;
    }
    reportDeadArgument(*Where, Borrow, Life, Fate, *Callee, Call, F);
  }
}

void DanglingReferenceCheck::reportDeadArgument(
    const Expr &Where, const BorrowAtRisk &Borrow, const ArgLifetime &Life,
    const TaskFate &Fate, const FunctionDecl &Callee, const CallExpr &Call,
    const FunctionAnalysis &F) {
  Model &M = F.model();
  ASTContext &Ctx = M.context();
  SourceLocation Loc = Where.getExprLoc();
  if (isa<CXXDefaultArgExpr>(Where))
    Loc = Call.getRParenLoc();
  bool Temporary = Life.K == ArgLifetime::Temporary;
  std::string Victim, When;
  if (Life.Var) {
    Victim = describeVar(*Life.Var, F.function(), M);
    When = whenDestroyed(*Life.Var, M);
  }

  // A task stored and then awaited at once: awaiting the call directly
  // keeps its temporaries alive. That edit goes on a note, since
  // coro-missed-frame-elision's warning carries the same edit and two
  // warnings with one edit would cancel each other out in --fix.
  llvm::SmallVector<FixItHint, 2> AwaitDirectly;
  SourceLocation StoredAt;
  if (std::optional<fixits::StoredThenAwaited> Stored = storedThenAwaited(Call, F)) {
    AwaitDirectly = fixits::awaitCallDirectly(*Stored, Ctx.getSourceManager(),
                                              Ctx.getLangOpts());
    StoredAt = Stored->Var->getLocation();
  }
  llvm::SmallVector<FixItHint, 4> Hints;
  const ParmVarDecl *ByValue = nullptr;
  if (AwaitDirectly.empty() && Borrow.K == BorrowAtRisk::Closure && Temporary)
    Hints = fixits::copyClosureIntoFrame(Where, Ctx);
  if (AwaitDirectly.empty() && Hints.empty() && Borrow.K == BorrowAtRisk::Parameter) {
    Hints = offerPassByValue(*cast<ParmVarDecl>(Borrow.Decl), Callee, Ctx);
    if (!Hints.empty())
      ByValue = cast<ParmVarDecl>(Borrow.Decl);
  }
  llvm::SmallVector<FixItHint, 4> All(Hints.begin(), Hints.end());
  All.append(AwaitDirectly.begin(), AwaitDirectly.end());

  const FunctionDecl *CalleePtr = &Callee;
  const unsigned Kind = static_cast<unsigned>(Borrow.K);
  report(Loc, "arg:" + std::to_string(Kind), All, [=, &Ctx](bool FixesAgreed) {
    {
      auto Diag = [&]() {
        switch (Borrow.K) {
        case BorrowAtRisk::Parameter:
          if (Temporary)
            return diag(Loc, "%0 refers to a temporary that is destroyed "
                             "before the coroutine resumes")
                   << Borrow.Decl;
          return diag(Loc, "%0 refers to %1, which is destroyed %2, before "
                           "the coroutine finishes")
                 << Borrow.Decl << Victim << When;
        case BorrowAtRisk::ImplicitObject:
          if (Temporary)
            return diag(Loc, "the object of member coroutine %0 is a "
                             "temporary that is destroyed before the "
                             "coroutine resumes")
                   << CalleePtr;
          return diag(Loc, "%1, the object of member coroutine %0, is "
                           "destroyed %2, before the coroutine finishes")
                 << CalleePtr << Victim << When;
        case BorrowAtRisk::Closure:
          if (Temporary)
            return diag(Loc, "the closure of this coroutine lambda is a "
                             "temporary that is destroyed before the "
                             "coroutine resumes, and the coroutine uses its "
                             "captures after a suspension point");
          return diag(Loc, "lambda %0 is destroyed %1, before the coroutine "
                           "finishes, and the coroutine uses its captures "
                           "after a suspension point")
                 << Life.Var << When;
        }
        llvm_unreachable("covered switch");
      }();
      Diag << SourceRange(Loc);
      if (FixesAgreed)
        for (const FixItHint &Hint : Hints)
          Diag << Hint;
    }
    if (!AwaitDirectly.empty()) {
      auto Note = diag(StoredAt,
                       "await the call directly, so that what it borrows "
                       "lives until it completes",
                       DiagnosticIDs::Note);
      if (FixesAgreed)
        for (const FixItHint &Hint : AwaitDirectly)
          Note << Hint;
    }
    if (ByValue && FixesAgreed)
      noteMoveAtLastUse(*ByValue);
    noteEvidence(Borrow, *CalleePtr);
    noteFate(Fate, Life, Ctx.getSourceManager());
  });
}

// In an instantiation where a forwarding `F` became a reference (`F = Fn &`
// for an lvalue), a coroutine that takes `F` by value keeps a reference to
// what its caller passed, and the task escapes with it.
void DanglingReferenceCheck::reportForwardedReference(const Expr &Where,
                                                      const BorrowAtRisk &Borrow,
                                                      const TaskFate &Fate,
                                                      const FunctionDecl &Callee) {
  const auto *Param = cast<ParmVarDecl>(Borrow.Decl);
  const FunctionDecl *Pattern = Callee.getTemplateInstantiationPattern();
  if (!Pattern || !Param->getType()->isReferenceType() ||
      Param->getFunctionScopeIndex() >= Pattern->getNumParams())
    return;
  QualType Written = Pattern->getParamDecl(Param->getFunctionScopeIndex())->getType();
  if (!Written->getAs<TemplateTypeParmType>())
    return; // Written as a reference, or not by a template parameter.
  QualType Actual = Param->getType();
  SourceLocation Loc = Where.getExprLoc();
  const SourceManager &SM = Callee.getASTContext().getSourceManager();
  report(Loc, "forwarded", {}, [=, &SM](bool) {
    diag(Loc, "%0 is declared '%1' but is a reference here (%1 = %2): the "
              "lazily started task %select{is returned|is detached|escapes}3 "
              "with a reference to what its caller passed")
        << Param << Written.getAsString() << Actual
        << (Fate.Returned ? 0u : Fate.Detached ? 1u : 2u);
    diag(Param->getLocation(),
         "take it as 'std::decay_t<%0>' to keep a copy in the frame",
         DiagnosticIDs::Note)
        << Written.getAsString();
    noteFate(Fate, ArgLifetime(), SM);
  });
}

// Why the task outlives what it borrows: the call that kept or detached it,
// or where it runs too late.
void DanglingReferenceCheck::noteFate(const TaskFate &Fate,
                                      const ArgLifetime &Life,
                                      const SourceManager &SM) {
  if (const CallExpr *Decider = Fate.Decider;
      Decider && Fate.K == TaskFate::Escapes && Decider->getDirectCallee()) {
    const FunctionDecl *Callee = Decider->getDirectCallee();
    switch (Fate.DecidedBy) {
    case TaskFate::Option:
      diag(Decider->getBeginLoc(),
           "%0 is in %select{DetachingCallees: it runs the task detached|"
           "StructuredCallees}1",
           DiagnosticIDs::Note)
          << Callee << !Fate.Detached;
      return;
    case TaskFate::Body:
    case TaskFate::ResultType:
      diag(Decider->getBeginLoc(),
           "%0 %select{keeps the task beyond this function|runs the task "
           "detached}1",
           DiagnosticIDs::Note)
          << Callee << Fate.Detached;
      return;
    case TaskFate::NotVisible:
      diag(Decider->getBeginLoc(),
           "%0 takes the task and its body is not visible here, so it may "
           "keep it; if it runs the task to completion, add it to "
           "StructuredCallees",
           DiagnosticIDs::Note)
          << Callee;
      return;
    case TaskFate::NoCall:
      break;
    }
  }
  if (Fate.Evidence.isValid())
    diag(Fate.Evidence, "task %select{escapes|is stored}0 here",
         DiagnosticIDs::Note)
        << (Fate.K == TaskFate::Joined);
  // The first place it runs where the borrowed object may be gone.
  for (const Stmt *Run : Fate.Runs)
    if (Life.K == ArgLifetime::Temporary ||
        (Life.Scope && !SM.isPointWithin(Run->getBeginLoc(),
                                         Life.Scope->getBeginLoc(),
                                         Life.Scope->getEndLoc()))) {
      diag(Run == Fate.Scope ? Run->getEndLoc() : Run->getBeginLoc(),
           "%select{the task runs here|the task may run until here}0",
           DiagnosticIDs::Note)
          << (Run == Fate.Scope);
      break;
    }
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
  diag(Borrow.Use->getBeginLoc(),
       "%select{%1|the object|the captures}0 %select{is|is|are}0 used here",
       DiagnosticIDs::Note)
      << static_cast<unsigned>(Borrow.K) << Borrow.Decl;
}

void DanglingReferenceCheck::checkDetachedLambdas(const CallExpr &Call,
                                                  const FunctionAnalysis &F) {
  const FunctionDecl *Callee = Call.getDirectCallee();
  if (!Callee || !Callees.isDetaching(*Callee))
    return;
  Model &M = F.model();
  ASTContext &Ctx = M.context();
  for (const Expr *Arg : Call.arguments()) {
    const auto *Lambda = dyn_cast<LambdaExpr>(strip(Arg, Strip::Conversions));
    if (!Lambda || !isCoroutineReturnType(Lambda->getCallOperator()->getReturnType(), Ctx))
      continue;
    const CXXMethodDecl *Operator = Lambda->getCallOperator();
    const BorrowSummary &Summary = summaryOf(*Operator, M);
    const BorrowAtRisk *Closure = Summary.closure();
    if (!Closure)
      continue;
    // What the detached work shares with this scope: a wait on it later
    // joins the work.
    llvm::SmallVector<const ValueDecl *, 4> Shared;
    for (const LambdaCapture &Capture : Lambda->captures())
      if (Capture.capturesVariable() && Capture.getCaptureKind() == LCK_ByRef)
        Shared.push_back(Capture.getCapturedVar());
    if (const Expr *Object = objectArgument(Call))
      if (const VarDecl *Root = storageRoot(Object))
        Shared.push_back(Root);
    // The callee keeps a copy of the closure: what dies is what it captured
    // by reference, what a captured view looks into, and the object behind a
    // captured `this`.
    for (const LambdaCapture &Capture : Lambda->captures()) {
      SourceLocation Loc = Capture.isImplicit() ? Lambda->getCaptureDefaultLoc()
                                                : Capture.getLocation();
      if (Capture.capturesThis()) {
        if (capturesPinnedOwner(*Lambda->getLambdaClass()))
          continue;
        DeclarationName Spawner = Callee->getDeclName();
        report(Loc, "this", {}, [=](bool) {
          diag(Loc, "'this' is captured by a coroutine lambda that %0 runs "
                    "detached; nothing keeps the object alive until the "
                    "coroutine finishes; capture a shared_ptr to it "
                    "(shared_from_this()) instead")
              << Spawner;
          noteEvidence(*Closure, *Operator);
        });
        continue;
      }
      if (!Capture.capturesVariable())
        continue;
      const ValueDecl *Captured = Capture.getCapturedVar();
      bool ByRef = Capture.getCaptureKind() == LCK_ByRef;
      // A view or pointer captured by value still borrows what it looks into.
      const VarDecl *Viewed = nullptr;
      if (!ByRef) {
        const auto *View = dyn_cast<VarDecl>(Captured);
        Viewed = View ? viewedVariable(*View, M, Views) : nullptr;
        if (!Viewed)
          continue;
      }
      ArgLifetime Life = Viewed ? lifetimeOfVariable(*Viewed, M)
                                : lifetimeOfVariable(*Captured, M);
      if (Life.K != ArgLifetime::Local ||
          blocksUntilDoneAfter(Life.Scope, Call.getEndLoc(), Shared, Callees, F))
        continue;
      std::string Victim = describeVar(*Life.Var, F.function(), M);
      std::string When = whenDestroyed(*Life.Var, M);
      DeclarationName Spawner = Callee->getDeclName();
      report(Loc, "capture:" + Captured->getNameAsString(), {}, [=](bool) {
        if (Viewed)
          diag(Loc, "%0, captured by a coroutine lambda that %1 runs "
                    "detached, looks into %2, which is destroyed %3, before "
                    "the coroutine finishes; capture an owning copy")
              << Captured << Spawner << Victim << When;
        else
          diag(Loc, "%0 is captured by reference by a coroutine lambda that "
                    "%1 runs detached; it is destroyed %2, before the "
                    "coroutine finishes; capture it by value")
              << Captured << Spawner << When;
        noteEvidence(*Closure, *Operator);
      });
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
    ForeignReferent Referent = Referents[Use.Var];
    SourceLocation Loc = Use.Use->getExprLoc();
    report(Loc, "local-reference", {}, [=](bool) {
      if (Referent.K == ForeignReferent::PartOfTemporary)
        diag(Loc, "%0 refers into a temporary that was destroyed at the end "
                  "of its declaration, and is used after a suspension point; "
                  "store a copy instead")
            << Use.Var;
      else
        diag(Loc, "%0 refers to an element of %1, which the coroutine frame "
                  "does not own, and is used after a suspension point; the "
                  "element may be gone or moved by then; copy it, or look it "
                  "up again after resuming")
            << Use.Var << Referent.Through;
      if (Use.Suspension)
        diag(Use.Suspension->E->getBeginLoc(), "suspension point here",
             DiagnosticIDs::Note);
      diag(Use.Var->getLocation(), "%0 bound here", DiagnosticIDs::Note)
          << Use.Var;
    });
  }
}

void DanglingReferenceCheck::checkDeclaration(const FunctionDecl &Fn,
                                              const FunctionAnalysis &F) {
  ASTContext &Ctx = F.context();
  if (const auto *Method = dyn_cast<CXXMethodDecl>(&Fn);
      Method && Method->getParent()->isLambda())
    return;
  const BorrowSummary &Summary = summaryOf(Fn, F.model());
  for (const BorrowAtRisk &Borrow : Summary.AtRisk) {
    if (Borrow.K != BorrowAtRisk::Parameter || !Borrow.Use)
      continue;
    const auto *Param = cast<ParmVarDecl>(Borrow.Decl);
    llvm::SmallVector<FixItHint, 4> Hints = offerPassByValue(*Param, Fn, Ctx);
    const FunctionDecl *FnPtr = &Fn;
    SourceLocation Loc = Param->getLocation();
    report(Loc, "declaration", Hints, [=](bool FixesAgreed) {
      {
        auto Diag = diag(Loc, "%0 is borrowed by coroutine %1 and used after "
                              "a suspension point; every caller must keep its "
                              "argument alive until the task completes")
                    << Param << FnPtr;
        if (FixesAgreed)
          for (const FixItHint &Hint : Hints)
            Diag << Hint;
      }
      if (FixesAgreed && !Hints.empty())
        noteMoveAtLastUse(*Param);
      noteEvidence(Borrow, *FnPtr);
    });
  }
}

} // namespace clang::tidy::coro
