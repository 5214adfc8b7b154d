//===--- ThreadAffinityCheck.cpp - corotidy --------------------*- C++ -*-===//

#include "checks/ThreadAffinityCheck.h"
#include "fixits/ShrinkGuardScope.h"
#include "model/HeldResources.h"
#include "model/SuspensionFlow.h"
#include "clang/AST/DeclCXX.h"
#include "clang/ASTMatchers/ASTMatchFinder.h"

using namespace clang::ast_matchers;
using namespace corotidy::model;

namespace clang::tidy::coro {

namespace {

// Always recognised; the options of the same names add to these.
constexpr char BuiltinLockTypes[] =
    "::std::lock_guard;::std::scoped_lock;::std::unique_lock;::std::shared_lock";
constexpr char BuiltinMutexTypes[] =
    "::std::mutex;::std::recursive_mutex;::std::timed_mutex;"
    "::std::recursive_timed_mutex;::std::shared_mutex;::std::shared_timed_mutex";
constexpr char BuiltinThreadIdentityFunctions[] =
    "::std::this_thread::get_id;::pthread_self;::gettid";
// Only asio's post/dispatch are known to hop; other functions of those names
// (a server's own dispatch()) need not.
constexpr char DefaultThreadHoppingAwaitables[] =
    ".*::schedule;::boost::asio::post;::boost::asio::dispatch;::asio::post;"
    "::asio::dispatch;.*::resume_background;.*::resume_on";
constexpr char DefaultSafeAwaitables[] =
    ".*::co_scoped_lock;.*::co_scoped_lock_shared;.*::scoped_lock_async;"
    ".*::scoped_lock_shared_async;.*::lock_async;.*::async_lock;"
    ".*::coScopedLock;.*::coScopedLockShared;.*::scopedLock;.*::scoped_lock";

bool hasAttrOnRecordOrPattern(const CXXRecordDecl *RD, attr::Kind Kind) {
  for (const CXXRecordDecl *D = RD; D; D = D->getTemplateInstantiationPattern()) {
    for (const Attr *A : D->attrs())
      if (A->getKind() == Kind)
        return true;
    if (D == D->getTemplateInstantiationPattern())
      break;
  }
  return false;
}

// Whether \p Ref is written in an argument of an assertion macro
// (`EXPECT_EQ`, `ASSERT_NE`, `REQUIRE`, `CHECK`, `assert`): a test that
// compares a thread identity there checks on purpose where the coroutine
// resumed.
bool isInAssertion(const Expr &Ref, ASTContext &Ctx) {
  const SourceManager &SM = Ctx.getSourceManager();
  SourceLocation Loc = Ref.getBeginLoc();
  if (!Loc.isMacroID() || !SM.isMacroArgExpansion(Loc))
    return false;
  StringRef Name = writtenMacroName(Loc, SM, Ctx.getLangOpts());
  if (Name == "assert")
    return true;
  for (StringRef Prefix : {"EXPECT_", "ASSERT_", "REQUIRE", "CHECK", "VERIFY",
                           "GTEST_", "BOOST_CHECK", "BOOST_REQUIRE", "DCHECK"})
    if (Name.starts_with(Prefix))
      return true;
  return false;
}

// Whether \p Ref is an operand of `==` or `!=`.
bool isComparedAt(const Expr &Ref, const FunctionAnalysis &F) {
  if (isInAssertion(Ref, F.context()))
    return false;
  const Stmt *User = F.userOf(Ref, Strip::Conversions).S;
  if (const auto *Op = dyn_cast_or_null<BinaryOperator>(User);
      Op && Op->isEqualityOp())
    return true;
  if (const auto *Op = dyn_cast_or_null<CXXOperatorCallExpr>(User);
      Op && (Op->getOperator() == OO_EqualEqual ||
             Op->getOperator() == OO_ExclaimEqual))
    return true;
  if (const auto *Rewritten = dyn_cast_or_null<CXXRewrittenBinaryOperator>(User);
      Rewritten && (Rewritten->getOperator() == BO_EQ ||
                    Rewritten->getOperator() == BO_NE))
    return true;
  return false;
}

// The first local or parameter a lambda captures by reference, and where.
struct ReferenceCapture {
  const ValueDecl *Var = nullptr;
  SourceLocation Loc;
};
std::optional<ReferenceCapture> referenceCaptureOf(const Expr *Arg) {
  Arg = strip(Arg, Strip::Conversions);
  if (const auto *Lambda = dyn_cast_or_null<LambdaExpr>(Arg)) {
    for (const LambdaCapture &Capture : Lambda->captures()) {
      if (Capture.getCaptureKind() != LCK_ByRef || !Capture.capturesVariable())
        continue;
      const auto *Var = dyn_cast<VarDecl>(Capture.getCapturedVar());
      if (!Var || !Var->hasLocalStorage())
        continue;
      return ReferenceCapture{Var, Capture.isImplicit()
                                       ? Lambda->getCaptureDefaultLoc()
                                       : Capture.getLocation()};
    }
    return std::nullopt;
  }
  // std::ref(local) / std::cref(local) handed to the thread.
  const auto *Call = dyn_cast_or_null<CallExpr>(Arg);
  const FunctionDecl *Callee = Call ? Call->getDirectCallee() : nullptr;
  if (!Callee || !Callee->isInStdNamespace() || !Callee->getIdentifier() ||
      (Callee->getName() != "ref" && Callee->getName() != "cref") ||
      Call->getNumArgs() != 1)
    return std::nullopt;
  const VarDecl *Var = storageRoot(Call->getArg(0));
  if (!Var || !Var->hasLocalStorage())
    return std::nullopt;
  return ReferenceCapture{Var, Call->getBeginLoc()};
}

std::optional<ReferenceCapture>
referenceCaptureIn(llvm::ArrayRef<const Expr *> Args) {
  for (const Expr *Arg : Args)
    if (auto Capture = referenceCaptureOf(Arg))
      return Capture;
  return std::nullopt;
}

// A call `Var.<one of Names>()` in the body, if any.
const CXXMemberCallExpr *findMemberCall(const FunctionAnalysis &F,
                                        const VarDecl *Var,
                                        llvm::ArrayRef<StringRef> Names) {
  const CXXMemberCallExpr *Found = nullptr;
  forEachInBody(F.body(), [&](const Stmt &S) {
    const auto *Call = dyn_cast<CXXMemberCallExpr>(&S);
    if (Found || !Call || !Call->getMethodDecl() ||
        !Call->getMethodDecl()->getIdentifier())
      return !Found;
    const auto *Ref = dyn_cast_or_null<DeclRefExpr>(
        Call->getImplicitObjectArgument()
            ? Call->getImplicitObjectArgument()->IgnoreParenImpCasts()
            : nullptr);
    if (Ref && Ref->getDecl() == Var &&
        llvm::is_contained(Names, Call->getMethodDecl()->getName()))
      Found = Call;
    return !Found;
  });
  return Found;
}

// `std::thread(...).detach()`: the member call \p Name made on a temporary.
const CXXMemberCallExpr *calledOnTemporary(const Expr &E,
                                           const FunctionAnalysis &F,
                                           StringRef Name) {
  const auto *Member = dyn_cast_or_null<MemberExpr>(F.userOf(E, Strip::Conversions).S);
  if (!Member)
    return nullptr;
  const auto *Call = dyn_cast_or_null<CXXMemberCallExpr>(F.parent(*Member));
  const CXXMethodDecl *Method = Call ? Call->getMethodDecl() : nullptr;
  return Method && Method->getIdentifier() && Method->getName() == Name
             ? Call
             : nullptr;
}

} // namespace

ThreadAffinityCheck::ThreadAffinityCheck(StringRef Name,
                                         ClangTidyContext *Context)
    : FunctionCheck(Name, Context),
      LockTypesText(Options.get("LockTypes", "")),
      MutexTypesText(Options.get("MutexTypes", "")),
      ThreadIdentityFunctionsText(Options.get("ThreadIdentityFunctions", "")),
      ThreadAffineTypesText(Options.get("ThreadAffineTypes", "")),
      ThreadSpawningCalleesText(Options.get("ThreadSpawningCallees", "")),
      ThreadHoppingAwaitablesText(Options.get("ThreadHoppingAwaitables",
                                              DefaultThreadHoppingAwaitables)),
      SafeAwaitablesText(Options.get("SafeAwaitables", DefaultSafeAwaitables)),
      ResumeThread(Options.get("ResumeThread", "Any") == "Hopping"
                       ? ResumeMode::Hopping
                       : ResumeMode::Any),
      LockTypes(std::string(BuiltinLockTypes) + ";" + LockTypesText),
      MutexTypes(std::string(BuiltinMutexTypes) + ";" + MutexTypesText),
      ThreadIdentityFunctions(std::string(BuiltinThreadIdentityFunctions) + ";" +
                              ThreadIdentityFunctionsText),
      ThreadAffineTypes(ThreadAffineTypesText),
      ThreadSpawningCallees(ThreadSpawningCalleesText),
      ThreadHoppingAwaitables(ThreadHoppingAwaitablesText),
      SafeAwaitables(SafeAwaitablesText) {
  StringRef Mode = Options.get("ResumeThread", "Any");
  if (Mode != "Any" && Mode != "Hopping")
    configurationDiag("invalid value '%0' for %1.ResumeThread; expected 'Any' "
                      "or 'Hopping', using 'Any'")
        << Mode << Name;
  reportInvalidEntries({&LockTypes, &MutexTypes, &ThreadIdentityFunctions,
                        &ThreadAffineTypes, &ThreadSpawningCallees,
                        &ThreadHoppingAwaitables, &SafeAwaitables});
}

void ThreadAffinityCheck::storeOptions(ClangTidyOptions::OptionMap &Opts) {
  Options.store(Opts, "LockTypes", LockTypesText);
  Options.store(Opts, "MutexTypes", MutexTypesText);
  Options.store(Opts, "ThreadIdentityFunctions", ThreadIdentityFunctionsText);
  Options.store(Opts, "ThreadAffineTypes", ThreadAffineTypesText);
  Options.store(Opts, "ThreadSpawningCallees", ThreadSpawningCalleesText);
  Options.store(Opts, "ResumeThread",
                ResumeThread == ResumeMode::Hopping ? "Hopping" : "Any");
  Options.store(Opts, "ThreadHoppingAwaitables", ThreadHoppingAwaitablesText);
  Options.store(Opts, "SafeAwaitables", SafeAwaitablesText);
}

void ThreadAffinityCheck::registerMatchers(MatchFinder *Finder) {
  Finder->addMatcher(
      functionDecl(isDefinition(), unless(isExpansionInSystemHeader()),
                   hasBody(coroutineBodyStmt()))
          .bind("fn"),
      this);
}

// The names an awaited operand goes by: the function called to produce it
// and the type of the awaitable.
static llvm::SmallVector<std::string, 2> awaitableNames(const Expr *Operand) {
  llvm::SmallVector<std::string, 2> Names;
  const Expr *Bare = strip(Operand);
  if (!Bare)
    return Names;
  if (const auto *Call = dyn_cast<CallExpr>(Bare))
    if (const FunctionDecl *Callee = Call->getDirectCallee())
      Names.push_back(qualifiedName(*Callee));
  if (const CXXRecordDecl *RD = recordBehind(Bare->getType()))
    Names.push_back(qualifiedName(*RD));
  return Names;
}

bool ThreadAffinityCheck::hopsThreads(const SuspensionPoint &Point) const {
  for (const std::string &Name : awaitableNames(Point.Operand))
    if (ThreadHoppingAwaitables.matches(Name))
      return true;
  return false;
}

bool ThreadAffinityCheck::movesThreads(const SuspensionPoint &Point) const {
  return Point.MaySuspend &&
         (ResumeThread == ResumeMode::Any || hopsThreads(Point));
}

bool ThreadAffinityCheck::isSafeAwaitable(const Expr *Operand) const {
  for (const std::string &Name : awaitableNames(Operand))
    if (SafeAwaitables.matches(Name))
      return true;
  return false;
}

bool ThreadAffinityCheck::isLockGuard(const VarDecl &Var) const {
  if (Var.getType()->isReferenceType() || Var.getType()->isPointerType())
    return false;
  const CXXRecordDecl *RD = Var.getType()->getAsCXXRecordDecl();
  if (!RD || !(LockTypes.matches(*RD) ||
               hasAttrOnRecordOrPattern(RD, attr::ScopedLockable)))
    return false;
  // A guard an async mutex hands out is designed to be held while suspended.
  const Expr *Init = Var.getInit() ? Var.getInit()->IgnoreImplicit() : nullptr;
  if (const auto *Await = dyn_cast_or_null<CoawaitExpr>(Init))
    return !isSafeAwaitable(Await->getOperand());
  return true;
}

bool ThreadAffinityCheck::isMutex(const Expr &Object) const {
  const CXXRecordDecl *RD = recordBehind(Object.getType());
  return RD && (MutexTypes.matches(*RD) ||
                hasAttrOnRecordOrPattern(RD, attr::Capability));
}

bool ThreadAffinityCheck::isThreadAffine(QualType T) const {
  if (ThreadAffineTypes.empty())
    return false;
  const CXXRecordDecl *RD = recordBehind(T);
  RD = RD ? RD->getDefinition() : nullptr;
  if (!RD)
    return false;
  if (ThreadAffineTypes.matches(*RD))
    return true;
  // Smart pointers and other owners: the type they hold.
  if (const auto *Spec = dyn_cast<ClassTemplateSpecializationDecl>(RD)) {
    const TemplateArgumentList &Args = Spec->getTemplateArgs();
    if (Args.size() >= 1 && Args[0].getKind() == TemplateArgument::Type)
      if (const CXXRecordDecl *Held = recordBehind(Args[0].getAsType());
          Held && Held != RD && isThreadAffine(Args[0].getAsType()))
        return true;
  }
  bool AffineBase = false;
  RD->forallBases([&](const CXXRecordDecl *Base) {
    AffineBase |= ThreadAffineTypes.matches(*Base);
    return true;
  });
  return AffineBase;
}

void ThreadAffinityCheck::analyse(const FunctionDecl &Fn, ASTContext &Ctx) {
  const FunctionAnalysis *F = Model::of(Ctx).function(Fn);
  if (!F || !F->isCoroutine() || !F->cfg())
    return;
  checkHeldResources(*F);
  checkThreadLocalReferences(*F);
  checkThreadIdentities(*F);
  checkThreadAffineReferences(*F);
  checkThreadSpawns(*F);
}

void ThreadAffinityCheck::noteSuspension(const SuspensionPoint *Point) {
  if (!Point)
    return;
  diag(Point->E->getBeginLoc(), "suspension point here%select{|; it resumes on "
                                "another thread}0",
       DiagnosticIDs::Note)
      << hopsThreads(*Point);
}

void ThreadAffinityCheck::checkHeldResources(const FunctionAnalysis &F) {
  // function_ref does not own its callee: keep the lambdas alive here.
  auto IsGuard = [this](const VarDecl &Var) { return isLockGuard(Var); };
  auto IsMutexObject = [this](const Expr &Object) { return isMutex(Object); };
  auto IsAffineObject = [this](const VarDecl &Var) {
    const CXXRecordDecl *RD = Var.getType()->getAsCXXRecordDecl();
    return !Var.getType()->isReferenceType() && RD && RD->hasDefinition() &&
           !RD->hasTrivialDestructor() && isThreadAffine(Var.getType());
  };
  HeldResourceRules Rules{IsGuard, IsMutexObject, IsAffineObject};
  HeldResources Held(F, Rules);
  std::vector<llvm::SmallVector<const SuspensionPoint *, 4>> Points(
      Held.resources().size());
  for (const HeldAtSuspension &H : Held.heldAtSuspensions()) {
    bool IsObject = Held.resources()[H.Resource].K == HeldResource::LiveObject;
    if (!IsObject || movesThreads(*H.Point))
      Points[H.Resource].push_back(H.Point);
  }
  for (size_t I = 0; I < Points.size(); ++I) {
    if (Points[I].empty())
      continue;
    const HeldResource &R = Held.resources()[I];
    bool AnyHop = llvm::any_of(Points[I], [&](const SuspensionPoint *P) {
      return hopsThreads(*P);
    });
    llvm::SmallVector<const SuspensionPoint *, 4> At = Points[I];
    if (R.K == HeldResource::LiveObject) {
      const VarDecl *Var = R.Var;
      QualType Type = Var->getType().getCanonicalType().getUnqualifiedType();
      report(Var->getLocation(), "live", {}, [=](bool) {
        diag(Var->getLocation(),
             "%0 of thread-affine type %1 is alive across a suspension point "
             "that %select{may resume|resumes}2 on another thread, where it "
             "must not be used or destroyed; destroy or hand it back before "
             "suspending")
            << Var << Type << AnyHop;
        for (const SuspensionPoint *P : At)
          noteSuspension(P);
      });
      continue;
    }
    // 0: may resume anywhere, 1: known to hop, 2: known to stay.
    unsigned Why = ResumeThread == ResumeMode::Any ? 0 : AnyHop ? 1 : 2;
    SourceLocation Loc = R.K == HeldResource::LockGuard
                             ? R.Var->getLocation()
                             : R.FirstLock->getBeginLoc();
    llvm::SmallVector<FixItHint, 8> Hints;
    if (R.K == HeldResource::LockGuard)
      Hints = corotidy::fixits::shrinkGuardScope(*R.Var, Points[I], F);
    bool Mutex = R.K == HeldResource::LockedMutex;
    std::string Name = R.Name;
    report(Loc, "lock", Hints, [=](bool FixesAgreed) {
      {
        auto Diag =
            diag(Loc, "%select{lock '%1' is held|mutex '%1' is locked}0 "
                      "across a suspension point%select{: the coroutine may "
                      "resume on another thread, which would unlock a mutex "
                      "it does not own, and while suspended it blocks every "
                      "other user of the mutex| that resumes on another "
                      "thread, which would unlock a mutex it does not own|: "
                      "while suspended it blocks every other user of the "
                      "mutex and can deadlock}2; release it before suspending")
            << Mutex << Name << Why;
        if (FixesAgreed)
          for (const FixItHint &Hint : Hints)
            Diag << Hint;
      }
      for (const SuspensionPoint *P : At)
        noteSuspension(P);
    });
  }
}

void ThreadAffinityCheck::checkThreadLocalReferences(const FunctionAnalysis &F) {
  llvm::SmallVector<const VarDecl *, 8> Vars;
  llvm::DenseMap<const VarDecl *, const VarDecl *> ThreadLocalOf;
  for (const VarDecl *Var : F.locals()) {
    if (!Var->getType()->isReferenceType() && !Var->getType()->isPointerType())
      continue;
    const VarDecl *Root = storageRoot(Var->getInit());
    if (Root && Root->getTLSKind() != VarDecl::TLS_None) {
      Vars.push_back(Var);
      ThreadLocalOf[Var] = Root;
    }
  }
  for (const UseAfterSuspension &Use : findUsesAfterSuspension(
           F, Vars, [this](const SuspensionPoint &P) { return movesThreads(P); })) {
    const VarDecl *Root = ThreadLocalOf.lookup(Use.Var);
    report(Use.Use->getExprLoc(), "thread-local", {}, [=](bool) {
      diag(Use.Use->getExprLoc(),
           "%0 refers into thread_local %1 and is used after a suspension "
           "point that %select{may resume|resumes}2 on another thread, where "
           "it would still refer to the first thread's %1; read %1 again "
           "after resuming")
          << Use.Var << Root << (Use.Suspension && hopsThreads(*Use.Suspension));
      noteSuspension(Use.Suspension);
      diag(Use.Var->getLocation(), "%0 bound here", DiagnosticIDs::Note)
          << Use.Var;
    });
  }
}

void ThreadAffinityCheck::checkThreadIdentities(const FunctionAnalysis &F) {
  llvm::SmallVector<const VarDecl *, 4> Vars;
  for (const VarDecl *Var : F.locals()) {
    const auto *Call = dyn_cast_or_null<CallExpr>(strip(Var->getInit()));
    const FunctionDecl *Callee = Call ? Call->getDirectCallee() : nullptr;
    if (Callee && ThreadIdentityFunctions.matches(*Callee))
      Vars.push_back(Var);
  }
  auto IsComparison = [&F](const Expr &Ref) { return isComparedAt(Ref, F); };
  SuspensionFlowOptions Options;
  Options.CountsAsUse = IsComparison;
  for (const UseAfterSuspension &Use : findUsesAfterSuspension(
           F, Vars, [this](const SuspensionPoint &P) { return movesThreads(P); },
           Options)) {
    report(Use.Use->getExprLoc(), "thread-id", {}, [=](bool) {
      diag(Use.Use->getExprLoc(),
           "%0 identifies the thread the coroutine ran on before a suspension "
           "point that %select{may resume|resumes}1 on another thread; "
           "comparing it afterwards tests the wrong thread, so take the "
           "identity again after resuming")
          << Use.Var << (Use.Suspension && hopsThreads(*Use.Suspension));
      noteSuspension(Use.Suspension);
    });
  }
}

void ThreadAffinityCheck::checkThreadAffineReferences(const FunctionAnalysis &F) {
  if (ThreadAffineTypes.empty())
    return;
  llvm::SmallVector<const VarDecl *, 4> Vars;
  for (const VarDecl *Var : F.locals())
    if ((Var->getType()->isReferenceType() || Var->getType()->isPointerType()) &&
        isThreadAffine(Var->getType()))
      Vars.push_back(Var);
  for (const UseAfterSuspension &Use : findUsesAfterSuspension(
           F, Vars, [this](const SuspensionPoint &P) { return movesThreads(P); })) {
    report(Use.Use->getExprLoc(), "thread-affine", {}, [=](bool) {
      diag(Use.Use->getExprLoc(),
           "%0 refers to an object of thread-affine type %1 and is used after "
           "a suspension point that %select{may resume|resumes}2 on another "
           "thread; resume on the object's thread before using it")
          << Use.Var
          << Use.Var->getType().getNonReferenceType().getCanonicalType()
          << (Use.Suspension && hopsThreads(*Use.Suspension));
      noteSuspension(Use.Suspension);
    });
  }
}

void ThreadAffinityCheck::checkThreadSpawns(const FunctionAnalysis &F) {
  auto Report = [&](const ReferenceCapture &Capture, StringRef SpawnerName,
                    unsigned Fate, const Stmt *Evidence) {
    std::string Spawner = SpawnerName.str();
    report(Capture.Loc, "spawn", {}, [=](bool) {
      diag(Capture.Loc,
           "%0 is handed by reference to %1, %select{and the thread is "
           "detached|and its future is discarded|and its future is never "
           "waited on|which may run it on another thread}2; it may still be "
           "used after the coroutine has moved on or its frame is gone")
          << Capture.Var << Spawner << Fate;
      if (Evidence)
        diag(Evidence->getBeginLoc(),
             Fate == 0 ? "detached here" : "the task is started here",
             DiagnosticIDs::Note);
    });
  };
  // Handles one statement; returns nothing useful (the walk goes on).
  auto Visit = [&](const Stmt *S) {
    if (const auto *Construct = dyn_cast<CXXConstructExpr>(S)) {
      const CXXRecordDecl *RD = Construct->getType()->getAsCXXRecordDecl();
      if (!RD || !isNamed(RD, "::std::thread"))
        return;
      auto Capture = referenceCaptureIn(
          llvm::ArrayRef(Construct->getArgs(), Construct->getNumArgs()));
      if (!Capture)
        return;
      if (const VarDecl *Thread = F.userOf(*Construct, Strip::Conversions).Initialized) {
        if (findMemberCall(F, Thread, {"join"}))
          return;
        if (const auto *Detach = findMemberCall(F, Thread, {"detach"}))
          Report(*Capture, "std::thread", 0, Detach);
        return;
      }
      if (const auto *Detach = calledOnTemporary(*Construct, F, "detach"))
        Report(*Capture, "std::thread", 0, Detach);
      return;
    }
    const auto *Call = dyn_cast<CallExpr>(S);
    const FunctionDecl *Callee = Call ? Call->getDirectCallee() : nullptr;
    if (!Callee)
      return;
    std::string Name = qualifiedName(*Callee);
    bool IsAsync = Name == "::std::async";
    if (!IsAsync && !ThreadSpawningCallees.matches(Name))
      return;
    auto Capture =
        referenceCaptureIn(llvm::ArrayRef(Call->getArgs(), Call->getNumArgs()));
    if (!Capture)
      return;
    if (!IsAsync) {
      Report(*Capture, Name.substr(2), 3, nullptr);
      return;
    }
    const VarDecl *Future = F.userOf(*Call, Strip::Conversions).Initialized;
    if (!Future)
      Report(*Capture, "std::async", 1, nullptr);
    else if (!findMemberCall(F, Future,
                             {"get", "wait", "wait_for", "wait_until", "share"}))
      Report(*Capture, "std::async", 2, nullptr);
  };
  forEachInBody(F.body(), [&](const Stmt &S) {
    Visit(&S);
    return true;
  });
}

} // namespace clang::tidy::coro
