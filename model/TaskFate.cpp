//===--- TaskFate.cpp - corotidy -------------------------------*- C++ -*-===//

#include "model/TaskFate.h"
#include "clang/AST/DeclCXX.h"
#include "clang/AST/ExprCXX.h"
#include "clang/AST/StmtCXX.h"
#include "clang/Basic/SourceManager.h"
#include "llvm/ADT/SmallPtrSet.h"

using namespace clang;

namespace corotidy::model {

namespace {

/// How deep callee summaries and holders are followed.
constexpr int MaxDepth = 6;

// Containers that keep what is put into them.
bool isContainerInsertion(const CXXMethodDecl &Method) {
  if (!Method.getIdentifier())
    return false;
  StringRef Name = Method.getName();
  return Name == "push_back" || Name == "emplace_back" || Name == "push" ||
         Name == "emplace" || Name == "insert" || Name == "push_front" ||
         Name == "emplace_front" || Name == "append" || Name == "add";
}

bool isLocalObject(const VarDecl &Var) {
  return Var.hasLocalStorage() && !Var.getType()->isReferenceType();
}

// Whether \p RD or one of its bases declares a member named \p Name.
bool hasMethod(const CXXRecordDecl &RD, StringRef Name, int Depth = 0) {
  if (!RD.lookup(&RD.getASTContext().Idents.get(Name)).empty())
    return true;
  if (Depth > 8)
    return false;
  for (const CXXBaseSpecifier &Base : RD.bases())
    if (const CXXRecordDecl *B = Base.getType()->getAsCXXRecordDecl())
      if ((B = B->getDefinition()) && hasMethod(*B, Name, Depth + 1))
        return true;
  return false;
}

// A type whose object stands for a task's completion or owns its coroutine:
// a task, an awaitable, a future, a coroutine handle.
bool ownsOrAwaitsTask(QualType T, const ASTContext &Ctx) {
  T = T.getNonReferenceType();
  if (T->isVoidType())
    return false;
  if (isCoroutineReturnType(T, Ctx) || isAwaitableType(T))
    return true;
  const CXXRecordDecl *RD = T->getAsCXXRecordDecl();
  RD = RD ? RD->getDefinition() : nullptr;
  if (!RD)
    return false;
  if (isNamed(RD, "::std::coroutine_handle"))
    return true;
  return hasMethod(*RD, "wait") || (hasMethod(*RD, "get") && hasMethod(*RD, "valid"));
}

// A future: the task's completion, not its owner. Dropping it leaves the
// task running; waiting on it joins the task.
bool isFutureLike(QualType T) {
  const CXXRecordDecl *RD = T.getNonReferenceType()->getAsCXXRecordDecl();
  RD = RD ? RD->getDefinition() : nullptr;
  if (!RD || isAwaitableType(T.getNonReferenceType()))
    return false;
  return hasMethod(*RD, "wait") || (hasMethod(*RD, "get") && hasMethod(*RD, "valid"));
}

bool isJoinName(const CXXMethodDecl &Method) {
  return Method.getIdentifier() &&
         llvm::is_contained({"wait", "get", "wait_for", "wait_until", "join"},
                            Method.getName());
}

bool isCoroutineHandle(QualType T) {
  return isNamed(T.getNonReferenceType()->getAsCXXRecordDecl(),
                 "::std::coroutine_handle");
}

// The variable a reference extends the life of a temporary for: `auto &&r =
// make();`, the range of a range-based `for`.
bool extendsTemporary(const VarDecl &Var) {
  const Expr *Init = Var.getInit();
  while (Init) {
    Init = Init->IgnoreImplicitAsWritten();
    if (const auto *Temp = dyn_cast<MaterializeTemporaryExpr>(Init))
      return Temp->getExtendingDecl() == &Var;
    const Expr *Inner = stripOne(Init, Strip::SameObject);
    if (Inner == Init)
      return false;
    Init = Inner;
  }
  return false;
}

TaskFate make(TaskFate::Kind K, SourceLocation Evidence = {}) {
  TaskFate F;
  F.K = K;
  F.Evidence = Evidence;
  return F;
}

// Whether \p E denotes a named object (a holder) rather than a temporary
// of the full-expression.
bool isNamedObject(const Expr *E) {
  return E && isa<DeclRefExpr, MemberExpr>(strip(E));
}

TaskFate ranAt(const Stmt &Where) {
  TaskFate F = make(TaskFate::Joined, Where.getBeginLoc());
  F.Runs.push_back(&Where);
  return F;
}

TaskFate decided(TaskFate F, const CallExpr &Call, TaskFate::Reason Why) {
  if (!F.Decider) {
    F.Decider = &Call;
    F.DecidedBy = Why;
  }
  return F;
}

/// What a function does with a task parameter it receives by value.
enum class Summary { Completes, FollowsResult, Escapes, Detaches, Unknown };

/// Summaries computed under one policy, for the translation unit.
struct SummaryCache {
  llvm::DenseMap<std::pair<const FunctionDecl *, unsigned>, Summary> Params;
  llvm::DenseMap<const FunctionDecl *, Summary> Objects;
};
const char SummaryCacheKey = 0;

class Fates {
public:
  Fates(Model &M, const TaskPolicy &Policy)
      : M(M), Policy(Policy),
        Cache(M.remember<SummaryCache>(&Policy, &SummaryCacheKey,
                                       [] { return SummaryCache(); })) {}

  // The fate of the object \p E (an expression of \p F's body) denotes.
  TaskFate of(const Expr &E, const FunctionAnalysis &F) {
    if (++Depth > 8 * MaxDepth) {
      --Depth;
      return {};
    }
    TaskFate Result = ofUnguarded(E, F);
    --Depth;
    return Result;
  }

  Summary summarize(const FunctionDecl &Callee, unsigned Index);

private:
  TaskFate ofUnguarded(const Expr &E, const FunctionAnalysis &F);
  TaskFate ofHolder(const VarDecl &Holder, const FunctionAnalysis &F);
  TaskFate assignedTo(const Expr &Target, const Stmt &Where,
                      const FunctionAnalysis &F);
  TaskFate asArgument(const CallExpr &Call, const Expr &Arg,
                      const FunctionAnalysis &F);
  TaskFate asObject(const CallExpr &Call, const FunctionAnalysis &F);
  TaskFate ownedByResult(const CallExpr &Call, const FunctionAnalysis &F,
                         TaskFate::Reason Why);
  Summary summarizeThis(const CXXMethodDecl &Method);

  Model &M;
  const TaskPolicy &Policy;
  SummaryCache &Cache;
  int Depth = 0;        ///< Expressions followed.
  int SummaryDepth = 0; ///< Callee bodies entered.
  /// Set when a summary was cut short (depth, recursion): it is not kept.
  bool Truncated = false;
  llvm::SmallPtrSet<const VarDecl *, 8> HoldersInProgress;
  llvm::SmallPtrSet<const FunctionDecl *, 8> SummariesInProgress;
};

TaskFate Fates::ofUnguarded(const Expr &E, const FunctionAnalysis &F) {
  if (F.isConsumedInFullExpression(E))
    return make(TaskFate::Consumed);
  FunctionAnalysis::User U = F.userOf(E);
  if (const VarDecl *Var = U.Initialized) {
    if (!Var->getType()->isReferenceType() || extendsTemporary(*Var)) {
      TaskFate Held = ofHolder(*Var, F);
      // C++23 keeps the temporaries of a range-for's range alive.
      const DeclStmt *Decl = F.declarationOf(*Var);
      if (Decl && isa_and_nonnull<CXXForRangeStmt>(F.parent(*Decl)) &&
          F.context().getLangOpts().CPlusPlus23)
        Held.TemporariesExtended = true;
      return Held;
    }
    // Another name for an object held elsewhere; a range-based `for` runs
    // what it iterates.
    const DeclStmt *Decl = F.declarationOf(*Var);
    const Stmt *Loop = Decl ? F.parent(*Decl) : nullptr;
    return ranAt(Loop && isa<CXXForRangeStmt>(Loop) ? *Loop : *Var->getInit());
  }
  const Stmt *P = U.S;
  const Expr *Cur = U.Child;
  if (!P)
    return {};
  // `co_return t;`: clang hands the operand to the promise's return_value.
  if (const auto *Return = dyn_cast_or_null<CoreturnStmt>(F.parent(*P));
      Return && Return->getPromiseCall() == P)
    P = Return;
  if (isa<ReturnStmt, CoreturnStmt>(P)) {
    TaskFate Out = make(TaskFate::Escapes, P->getBeginLoc());
    Out.Returned = true;
    return Out;
  }
  if (!isa<Expr>(P))
    return make(TaskFate::Discarded, Cur->getBeginLoc());
  if (const auto *Assign = dyn_cast<BinaryOperator>(P);
      Assign && Assign->isAssignmentOp() && Assign->getRHS() == Cur)
    return assignedTo(*Assign->getLHS(), *P, F);
  if (const auto *Assign = dyn_cast<CXXOperatorCallExpr>(P);
      Assign && Assign->getOperator() == OO_Equal && Assign->getNumArgs() == 2 &&
      Assign->getArg(1) == Cur)
    return assignedTo(*Assign->getArg(0), *P, F);
  if (const auto *Member = dyn_cast<MemberExpr>(P)) {
    const auto *Call = dyn_cast_or_null<CXXMemberCallExpr>(F.parent(*Member));
    if (Call && Call->getCallee() == Member)
      return asObject(*Call, F);
    return {};
  }
  if (const auto *Call = dyn_cast<CallExpr>(P)) {
    if (const Expr *Object = objectArgument(*Call); Object && strip(Object) == strip(Cur))
      return asObject(*Call, F);
    return asArgument(*Call, *Cur, F);
  }
  // Moved into an object that is built from it: that object's fate.
  if (isa<CXXConstructExpr, InitListExpr, CXXParenListInitExpr, LambdaExpr,
          AbstractConditionalOperator>(P))
    return of(*cast<Expr>(P), F);
  // A coroutine handle taken from the task (`static_cast<handle>(task)`).
  if (isa<ExplicitCastExpr>(P))
    return of(*cast<Expr>(P), F);
  return {};
}

TaskFate Fates::assignedTo(const Expr &Target, const Stmt &Where,
                           const FunctionAnalysis &F) {
  const VarDecl *Root = storageRoot(&Target);
  if (Root && isLocalObject(*Root) && M.ownerOf(*Root) == &F) {
    TaskFate Held = ofHolder(*Root, F);
    if (Held.K != TaskFate::Escapes)
      Held.Evidence = Where.getBeginLoc();
    return Held;
  }
  // A local of an enclosing function, captured by reference: it outlives
  // this body, so the task escapes unless this body runs it first
  // (`tasks.push_back(f(x)); co_await collectAll(std::move(tasks));`).
  if (Root && isLocalObject(*Root) && M.ownerOf(*Root) != &F) {
    TaskFate Held = ofHolder(*Root, F);
    if (Held.K == TaskFate::Joined) {
      Held.Evidence = Where.getBeginLoc();
      return Held;
    }
  }
  return make(TaskFate::Escapes, Where.getBeginLoc());
}

// A task (or a container of tasks) held by a local: run where its uses run
// it, kept as long as the local unless a use moves it somewhere longer.
TaskFate Fates::ofHolder(const VarDecl &Holder, const FunctionAnalysis &F) {
  if (!Holder.hasLocalStorage())
    return make(TaskFate::Escapes, Holder.getLocation());
  if (!HoldersInProgress.insert(&Holder).second)
    return make(TaskFate::Dropped); // Met again through its own uses.
  TaskFate Held = make(TaskFate::Dropped, Holder.getLocation());
  Held.Scope = F.scopeOf(Holder);
  bool Escaped = false;
  forEachInBody(F.body(), [&](const Stmt &S) {
    const auto *Ref = dyn_cast<DeclRefExpr>(&S);
    if (Escaped || !Ref || Ref->getDecl() != &Holder)
      return !Escaped;
    TaskFate Use = of(*Ref, F);
    switch (Use.K) {
    case TaskFate::Escapes:
      Held = Use;
      Escaped = true;
      break;
    case TaskFate::Joined:
      Held.K = TaskFate::Joined;
      Held.Runs.append(Use.Runs.begin(), Use.Runs.end());
      if (!Held.Decider) {
        Held.Decider = Use.Decider;
        Held.DecidedBy = Use.DecidedBy;
      }
      break;
    case TaskFate::Consumed:
    case TaskFate::Unknown:
      Held.K = TaskFate::Joined;
      Held.Runs.push_back(Ref);
      break;
    case TaskFate::Dropped:
    case TaskFate::Discarded:
      break;
    }
    return !Escaped;
  });
  // Uses inside nested lambdas run when the lambda is called: somewhere in
  // this scope as far as we can tell.
  HoldersInProgress.erase(&Holder);
  if (Escaped)
    return Held;
  // An eagerly started task runs on its own until its holder destroys it.
  if (getStartMode(Holder.getType().getNonReferenceType(), F.context()) ==
          StartMode::Eager &&
      Held.Scope) {
    Held.K = TaskFate::Joined;
    Held.Runs.push_back(Held.Scope);
  }
  return Held;
}

TaskFate Fates::ownedByResult(const CallExpr &Call, const FunctionAnalysis &F,
                              TaskFate::Reason Why) {
  TaskFate Result = of(Call, F);
  // A future that nobody waits on leaves the task running.
  if (isFutureLike(Call.getType()) &&
      (Result.K == TaskFate::Dropped || Result.K == TaskFate::Discarded ||
       Result.K == TaskFate::Unknown)) {
    Result = make(TaskFate::Escapes, Call.getBeginLoc());
    Result.Detached = true;
  }
  // A coroutine handle given to anyone is a detached coroutine.
  if (Result.K == TaskFate::Escapes && isCoroutineHandle(Call.getType()) &&
      !Result.Returned)
    Result.Detached = true;
  return decided(Result, Call, Why);
}

TaskFate Fates::asArgument(const CallExpr &Call, const Expr &Arg,
                           const FunctionAnalysis &F) {
  const FunctionDecl *Callee = Call.getDirectCallee();
  if (!Callee) {
    // A call a template's pattern cannot resolve (`when_all(f(x))` with a
    // dependent argument): only an instantiation can say; unknown here.
    if (Call.isTypeDependent() || Call.isValueDependent() ||
        isa<UnresolvedLookupExpr, UnresolvedMemberExpr, CXXDependentScopeMemberExpr>(
            Call.getCallee()->IgnoreParenImpCasts()))
      return {};
    return decided(make(TaskFate::Escapes, Call.getBeginLoc()), Call,
                   TaskFate::NotVisible);
  }
  if (Policy.isDetaching(*Callee)) {
    TaskFate Out = make(TaskFate::Escapes, Call.getBeginLoc());
    Out.Detached = true;
    return decided(Out, Call, TaskFate::Option);
  }
  if (Policy.isStructured(*Callee)) {
    if (ownsOrAwaitsTask(Call.getType(), F.context()))
      return ownedByResult(Call, F, TaskFate::Option);
    return decided(make(TaskFate::Consumed), Call, TaskFate::Option);
  }
  // A task handed to a container local to this function stays here.
  if (const auto *Member = dyn_cast<CXXMemberCallExpr>(&Call))
    if (const CXXMethodDecl *Method = Member->getMethodDecl();
        Method && isContainerInsertion(*Method))
      return assignedTo(*Member->getImplicitObjectArgument(), Call, F);
  const ParmVarDecl *Param = parameterOf(Call, Arg);
  // Lent: the callee uses it while the call runs; a temporary is still alive.
  if (Param && Param->getType()->isLValueReferenceType())
    return decided(isNamedObject(&Arg) ? ranAt(Call) : make(TaskFate::Consumed),
                   Call, TaskFate::Body);
  switch (Param ? summarize(*Callee, Param->getFunctionScopeIndex())
                : Summary::Unknown) {
  case Summary::Completes:
    return decided(make(TaskFate::Consumed), Call, TaskFate::Body);
  case Summary::FollowsResult:
    return ownedByResult(Call, F, TaskFate::Body);
  case Summary::Escapes:
  case Summary::Detaches: {
    // Kept elsewhere, but the future it returns joins it where it is
    // waited on.
    if (isFutureLike(Call.getType())) {
      TaskFate Waited = of(Call, F);
      if (Waited.K == TaskFate::Joined || Waited.K == TaskFate::Consumed)
        return decided(Waited, Call, TaskFate::Body);
    }
    TaskFate Out = make(TaskFate::Escapes, Call.getBeginLoc());
    Out.Detached = true;
    return decided(Out, Call, TaskFate::Body);
  }
  case Summary::Unknown:
    break;
  }
  if (ownsOrAwaitsTask(Call.getType(), F.context()))
    return ownedByResult(Call, F, TaskFate::ResultType);
  return decided(make(TaskFate::Escapes, Call.getBeginLoc()), Call,
                 TaskFate::NotVisible);
}

// The task is the object of \p Call (`task.start(cb)`, `task.via(ex)`), or
// a container of tasks is.
TaskFate Fates::asObject(const CallExpr &Call, const FunctionAnalysis &F) {
  const auto *Method = dyn_cast_or_null<CXXMethodDecl>(Call.getDirectCallee());
  if (!Method)
    return {};
  const Expr *Object = objectArgument(Call);
  QualType ObjectType = Object ? Object->getType().getNonReferenceType() : QualType();
  if (!ObjectType.isNull() && !ownsOrAwaitsTask(ObjectType, F.context())) {
    // A container's members do not run what it holds; what they hand out
    // (an element, an iterator) is followed.
    if (Call.getType()->isVoidType())
      return make(TaskFate::Dropped);
    return of(Call, F);
  }
  if (Policy.isDetaching(*Method)) {
    TaskFate Out = make(TaskFate::Escapes, Call.getBeginLoc());
    Out.Detached = true;
    return decided(Out, Call, TaskFate::Option);
  }
  // Waiting on a future joins the task it stands for.
  if (isFutureLike(ObjectType)) {
    if (isJoinName(*Method))
      return isNamedObject(Object) ? ranAt(Call) : make(TaskFate::Consumed);
    return make(TaskFate::Discarded);
  }
  switch (summarizeThis(*Method)) {
  case Summary::Escapes:
  case Summary::Detaches: {
    TaskFate Out = make(TaskFate::Escapes, Call.getBeginLoc());
    Out.Detached = true;
    return decided(Out, Call, TaskFate::Body);
  }
  case Summary::FollowsResult:
    return ownedByResult(Call, F, TaskFate::Body);
  case Summary::Completes:
    return decided(isNamedObject(Object) ? ranAt(Call) : make(TaskFate::Consumed),
                   Call, TaskFate::Body);
  case Summary::Unknown:
    break;
  }
  // A const member (`done()`, `is_ready()`) neither runs nor keeps it.
  if (Method->isConst() && !isa<CXXConversionDecl>(Method))
    return make(TaskFate::Discarded);
  if (ownsOrAwaitsTask(Call.getType(), F.context()))
    return ownedByResult(Call, F, TaskFate::ResultType);
  return decided(isNamedObject(Object) ? ranAt(Call) : make(TaskFate::Consumed),
                 Call, TaskFate::ResultType);
}

// Calls that block until work they do not own is done: an event loop's run,
// a join, a blocking wait for a task.
bool blocksByName(StringRef Name) {
  return llvm::is_contained({"run", "run_for", "run_until", "join", "shutdown",
                             "sync_wait", "syncAwait", "blockingWait",
                             "block_on"},
                            Name);
}
// Calls that wait on the object they are made on (a latch, a semaphore, a
// future, an event): a join when the detached work shares that object.
bool waitsByName(StringRef Name) {
  return llvm::is_contained({"wait", "wait_for", "wait_until", "get", "acquire",
                             "arrive_and_wait", "try_acquire_for"},
                            Name);
}

// Whether \p S is a loop that only waits: its body does nothing, or only
// sleeps or yields (`while (count) {}`, `while (!done) yield();`).
bool isSpinLoop(const Stmt &S) {
  const Stmt *Body = nullptr;
  if (const auto *While = dyn_cast<WhileStmt>(&S))
    Body = While->getBody();
  else if (const auto *Do = dyn_cast<DoStmt>(&S))
    Body = Do->getBody();
  else
    return false;
  if (isa<NullStmt>(Body))
    return true;
  const auto *Block = dyn_cast<CompoundStmt>(Body);
  if (!Block)
    return false;
  return llvm::all_of(Block->body(), [](const Stmt *Inner) {
    const auto *Call = dyn_cast<CallExpr>(Inner->IgnoreContainers());
    const FunctionDecl *Callee = Call ? Call->getDirectCallee() : nullptr;
    return isa<NullStmt>(Inner) ||
           (Callee && Callee->getIdentifier() &&
            (Callee->getName().contains("yield") ||
             Callee->getName().contains("sleep") ||
             Callee->getName().contains("pause")));
  });
}

Summary Fates::summarize(const FunctionDecl &Callee, unsigned Index) {
  const FunctionAnalysis *C = M.function(Callee);
  if (!C)
    return Summary::Unknown;
  const FunctionDecl &Def = C->function();
  auto Key = std::make_pair(Def.getCanonicalDecl(), Index);
  if (auto It = Cache.Params.find(Key); It != Cache.Params.end())
    return It->second;
  if (Index >= Def.getNumParams())
    return Summary::Unknown;
  if (SummaryDepth >= MaxDepth ||
      !SummariesInProgress.insert(Def.getCanonicalDecl()).second) {
    Truncated = true;
    return Summary::Unknown;
  }
  bool OuterTruncated = std::exchange(Truncated, false);
  ++SummaryDepth;
  TaskFate Inside = ofHolder(*Def.getParamDecl(Index), *C);
  --SummaryDepth;
  SummariesInProgress.erase(Def.getCanonicalDecl());
  Summary Result = Summary::Unknown;
  if (Inside.K == TaskFate::Escapes && !Inside.Returned)
    Result = Inside.Detached ? Summary::Detaches : Summary::Escapes;
  else if (Inside.K == TaskFate::Escapes || C->isCoroutine())
    Result = Summary::FollowsResult; // Returned, or kept in its frame.
  else if (Inside.K == TaskFate::Joined || Inside.K == TaskFate::Dropped ||
           Inside.K == TaskFate::Consumed)
    Result = Summary::Completes;
  // Detached, then waited for before returning (`post(ex, work(&done));
  // done.wait();`): the callee completes it.
  if (Result == Summary::Detaches && Inside.Decider) {
    llvm::SmallVector<const ValueDecl *, 4> Shared;
    forEachInBody(Inside.Decider, [&](const Stmt &S) {
      if (const auto *Ref = dyn_cast<DeclRefExpr>(&S))
        if (const auto *Var = dyn_cast<VarDecl>(Ref->getDecl());
            Var && Var->hasLocalStorage() && !isa<ParmVarDecl>(Var))
          Shared.push_back(Var);
      return true;
    });
    if (!Shared.empty() &&
        blocksUntilDoneAfter(C->body(), Inside.Decider->getEndLoc(), Shared,
                             Policy, *C))
      Result = Summary::Completes;
  }
  if (!Truncated)
    Cache.Params[Key] = Result;
  Truncated |= OuterTruncated;
  return Result;
}

// What a member function does with its object: moves `*this` somewhere,
// into its result, or runs it in place.
Summary Fates::summarizeThis(const CXXMethodDecl &Method) {
  const FunctionAnalysis *C = M.function(Method);
  if (!C)
    return Summary::Unknown;
  if (auto It = Cache.Objects.find(Method.getCanonicalDecl());
      It != Cache.Objects.end())
    return It->second;
  if (SummaryDepth >= MaxDepth ||
      !SummariesInProgress.insert(Method.getCanonicalDecl()).second) {
    Truncated = true;
    return Summary::Unknown;
  }
  bool OuterTruncated = std::exchange(Truncated, false);
  ++SummaryDepth;
  Summary Result = Summary::Unknown;
  forEachInBody(C->body(), [&](const Stmt &S) {
    const auto *This = dyn_cast<CXXThisExpr>(&S);
    if (!This || Result == Summary::Escapes || Result == Summary::Detaches)
      return true;
    // `*this` moved or copied into something.
    const auto *Deref = dyn_cast_or_null<UnaryOperator>(C->parent(*This));
    if (!Deref || Deref->getOpcode() != UO_Deref)
      return true;
    FunctionAnalysis::User U = C->userOf(*Deref);
    if (!U.S || isa<MemberExpr>(U.S))
      return true; // A member access: runs it in place at most.
    TaskFate Moved = of(*Deref, *C);
    if (Moved.K == TaskFate::Escapes && !Moved.Returned)
      Result = Moved.Detached ? Summary::Detaches : Summary::Escapes;
    else if (Moved.K == TaskFate::Escapes)
      Result = Summary::FollowsResult;
    return true;
  });
  --SummaryDepth;
  SummariesInProgress.erase(Method.getCanonicalDecl());
  if (!Truncated)
    Cache.Objects[Method.getCanonicalDecl()] = Result;
  Truncated |= OuterTruncated;
  return Result;
}

// The object a borrowed expression denotes: a temporary, a local object, or
// something that outlives the caller as far as we can tell.
ArgLifetime lifetimeOfReferent(const Expr *E, Model &M) {
  if (!E)
    return {};
  // A temporary materialized to bind the reference (a scalar's too).
  for (const Expr *Step = E; Step;) {
    if (const auto *Temp = dyn_cast<MaterializeTemporaryExpr>(Step))
      if (!Temp->getExtendingDecl())
        return {ArgLifetime::Temporary};
    const Expr *Next = Step->IgnoreParens();
    if (const auto *Cast = dyn_cast<ImplicitCastExpr>(Next))
      Next = Cast->getSubExpr();
    else if (const auto *Full = dyn_cast<FullExpr>(Next))
      Next = Full->getSubExpr();
    if (Next == Step)
      break;
    Step = Next;
  }
  E = E->IgnoreParenImpCasts();
  if (isa<MaterializeTemporaryExpr, CXXBindTemporaryExpr, CXXTemporaryObjectExpr,
          LambdaExpr>(E) ||
      (E->isPRValue() && E->getType()->isRecordType()))
    return {ArgLifetime::Temporary};
  if (const auto *Ref = dyn_cast<DeclRefExpr>(E))
    if (const auto *Binding = dyn_cast<BindingDecl>(Ref->getDecl()))
      return lifetimeOfVariable(*Binding, M);
  const VarDecl *Root = storageRoot(E);
  if (Root && isLocalObject(*Root)) {
    // Through a pointer or an iterator: what it points to, not the local.
    for (const Expr *Step = E; Step;) {
      Step = Step->IgnoreParenImpCasts();
      if (isa<DeclRefExpr>(Step))
        break;
      if (const auto *Member = dyn_cast<MemberExpr>(Step)) {
        if (Member->isArrow())
          return {};
        Step = Member->getBase();
      } else if (const auto *Subscript = dyn_cast<ArraySubscriptExpr>(Step)) {
        if (!Subscript->getBase()->IgnoreParenImpCasts()->getType()->isArrayType())
          return {};
        Step = Subscript->getBase();
      } else {
        return {};
      }
    }
    return lifetimeOfVariable(*Root, M);
  }
  return {};
}

} // namespace

// Whether \p Scope, after \p After, waits until detached work is done: a
// blocking call (by name, or a structured callee), a loop that only waits,
// or a wait on, or an await of, an object the detached work shares
// (\p Shared: what it borrows or captured by reference, the object it was
// spawned on). A local of that scope then outlives what was detached
// before it.
bool blocksUntilDoneAfter(const Stmt *Scope, SourceLocation After,
                        llvm::ArrayRef<const ValueDecl *> Shared,
                        const TaskPolicy &Callees, const FunctionAnalysis &F) {
  const SourceManager &SM = F.context().getSourceManager();
  auto IsShared = [&](const Expr *E) {
    const VarDecl *Root = E ? storageRoot(E) : nullptr;
    return Root && llvm::is_contained(Shared, Root);
  };
  bool Blocks = false;
  forEachInBody(Scope, [&](const Stmt &S) {
    if (Blocks)
      return false;
    if (!SM.isBeforeInTranslationUnit(After, S.getBeginLoc()))
      return true;
    if (isSpinLoop(S)) {
      Blocks = true;
      return false;
    }
    if (const auto *Await = dyn_cast<CoawaitExpr>(&S)) {
      Blocks = IsShared(Await->getOperand());
      return !Blocks;
    }
    const auto *Call = dyn_cast<CallExpr>(&S);
    const FunctionDecl *Callee = Call ? Call->getDirectCallee() : nullptr;
    if (!Callee)
      return true;
    if (Callees.isStructured(*Callee)) {
      // `sync_wait(e)` blocks on its argument: a join when it is shared,
      // or when it is a task (the waited work).
      Blocks = true;
      return false;
    }
    if (!Callee->getIdentifier())
      return true;
    const Expr *Object = objectArgument(*Call);
    if (blocksByName(Callee->getName()))
      Blocks = true;
    else if (waitsByName(Callee->getName()))
      Blocks = (Object && IsShared(Object)) ||
               llvm::any_of(Call->arguments(), IsShared);
    return !Blocks;
  });
  return Blocks;
}

TaskFate fateOfTask(const Expr &Task, const FunctionAnalysis &Where,
                    const TaskPolicy &Policy) {
  return Fates(Where.model(), Policy).of(Task, Where);
}

ArgLifetime lifetimeOfVariable(const ValueDecl &Value, Model &M) {
  const auto *Var = dyn_cast<VarDecl>(&Value);
  // A structured binding lives as long as the object it decomposes.
  if (const auto *Binding = dyn_cast<BindingDecl>(&Value))
    Var = dyn_cast_or_null<VarDecl>(Binding->getDecomposedDecl());
  if (!Var)
    return {};
  // A structured binding of a reference (`auto &[k, v] = *it`) refers to
  // storage elsewhere.
  if (!isLocalObject(*Var))
    return {};
  const FunctionAnalysis *Owner = M.ownerOf(*Var);
  return {ArgLifetime::Local, Var, Owner ? Owner->scopeOf(*Var) : nullptr};
}

ArgLifetime lifetimeOfObject(const Expr &Object, Model &M) {
  const Expr *E = Object.IgnoreParenImpCasts();
  if (isa<CXXThisExpr>(E))
    return {};
  // `p->run()`: the object is what `p` points to, not the pointer.
  if (E->getType()->isPointerType()) {
    if (const auto *AddrOf = dyn_cast<UnaryOperator>(E);
        AddrOf && AddrOf->getOpcode() == UO_AddrOf)
      return lifetimeOfReferent(AddrOf->getSubExpr(), M);
    return {};
  }
  return lifetimeOfReferent(&Object, M);
}

ArgLifetime lifetimeOfBorrowedArgument(const Expr &Arg, QualType ParamType,
                                       Model &M, const ViewPolicy &Views) {
  const Expr *E = &Arg;
  if (const auto *Default = dyn_cast<CXXDefaultArgExpr>(E))
    E = Default->getExpr();
  if (ParamType->isReferenceType())
    return lifetimeOfReferent(E, M);
  E = E->IgnoreParenImpCasts();
  if (ParamType->isPointerType()) {
    if (const auto *AddrOf = dyn_cast<UnaryOperator>(E);
        AddrOf && AddrOf->getOpcode() == UO_AddrOf)
      return lifetimeOfReferent(AddrOf->getSubExpr(), M);
    if (const auto *Data = dyn_cast<CXXMemberCallExpr>(E))
      if (const CXXMethodDecl *Method = Data->getMethodDecl();
          Method && Method->getIdentifier() &&
          (Method->getName() == "data" || Method->getName() == "c_str"))
        return lifetimeOfReferent(Data->getImplicitObjectArgument(), M);
    return {};
  }
  if (!isViewType(ParamType, Views))
    return {};
  // A view is made from the object it looks into: through a converting
  // constructor or a conversion operator of that object.
  for (int Depth = 0; Depth < 4 && E; ++Depth) {
    E = E->IgnoreParenImpCasts();
    if (const auto *Temp = dyn_cast<MaterializeTemporaryExpr>(E)) {
      E = Temp->getSubExpr();
      continue;
    }
    if (const auto *Bind = dyn_cast<CXXBindTemporaryExpr>(E)) {
      E = Bind->getSubExpr();
      continue;
    }
    if (const auto *Construct = dyn_cast<CXXConstructExpr>(E);
        Construct && isViewType(Construct->getType(), Views)) {
      if (Construct->getNumArgs() == 0)
        return {};
      const Expr *Source = Construct->getArg(0)->IgnoreParenImpCasts();
      if (isa<StringLiteral>(Source) || Source->getType()->isPointerType())
        return {};
      // Copying a view: what the copied view looks into.
      if (isViewType(Source->getType(), Views))
        if (const auto *Ref = dyn_cast<DeclRefExpr>(Source))
          if (const auto *Var = dyn_cast<VarDecl>(Ref->getDecl());
              Var && Var->getInit())
            return lifetimeOfBorrowedArgument(*Var->getInit(), ParamType, M, Views);
      return lifetimeOfReferent(Source, M);
    }
    if (const auto *Conversion = dyn_cast<CXXMemberCallExpr>(E);
        Conversion && isa_and_nonnull<CXXConversionDecl>(Conversion->getMethodDecl()))
      return lifetimeOfReferent(Conversion->getImplicitObjectArgument(), M);
    return {};
  }
  return {};
}

// Whether \p Inner lies within \p Outer in the source.
static bool within(const Stmt &Inner, const Stmt &Outer, const SourceManager &SM) {
  return SM.isPointWithin(Inner.getBeginLoc(), Outer.getBeginLoc(),
                          Outer.getEndLoc()) &&
         SM.isPointWithin(Inner.getEndLoc(), Outer.getBeginLoc(),
                          Outer.getEndLoc());
}

// Whether \p S always runs when \p Scope does: nothing between them
// branches, loops or defers.
static bool unconditionallyIn(const Stmt &S, const Stmt &Scope,
                              const FunctionAnalysis &F) {
  for (const Stmt *P = F.parent(S); P; P = F.parent(*P)) {
    if (P == &Scope)
      return true;
    if (isa<IfStmt, ForStmt, WhileStmt, DoStmt, SwitchStmt, CXXForRangeStmt,
            CaseStmt, DefaultStmt, ConditionalOperator,
            BinaryConditionalOperator, LambdaExpr, CXXCatchStmt, CXXTryStmt>(P))
      return false;
    if (const auto *Op = dyn_cast<BinaryOperator>(P); Op && Op->isLogicalOp())
      return false;
  }
  return false;
}

bool diesBeforeTaskFinishes(const ArgLifetime &Arg, const TaskFate &Fate,
                            const FunctionAnalysis &F) {
  const SourceManager &SM = F.context().getSourceManager();
  if (Arg.K == ArgLifetime::Unknown)
    return false;
  switch (Fate.K) {
  case TaskFate::Escapes:
    return true;
  case TaskFate::Joined:
    if (Arg.K == ArgLifetime::Temporary)
      return !Fate.TemporariesExtended;
    if (!Arg.Scope)
      return false;
    // Run for sure before the scope ends.
    if (Fate.Evidence.isValid())
      for (const Stmt *Run : Fate.Runs)
        if (within(*Run, *Arg.Scope, SM) &&
            SM.isBeforeInTranslationUnit(Fate.Evidence, Run->getBeginLoc()) &&
            unconditionallyIn(*Run, *Arg.Scope, F))
          return false;
    // Alive wherever the task may run.
    for (const Stmt *Run : Fate.Runs)
      if (!within(*Run, *Arg.Scope, SM))
        return true;
    return false;
  default:
    return false;
  }
}

} // namespace corotidy::model
