//===--- HeldResources.cpp - corotidy --------------------------*- C++ -*-===//

#include "model/HeldResources.h"
#include "model/Dataflow.h"
#include "clang/AST/DeclCXX.h"
#include "clang/AST/ExprCXX.h"
#include "llvm/ADT/DenseMap.h"
#include "llvm/ADT/DenseSet.h"
#include "llvm/ADT/StringMap.h"
#include "llvm/ADT/StringSet.h"

using namespace clang;

namespace corotidy::model {

namespace {

// A resource's possible states on the paths reaching a point.
enum : uint8_t { MaybeHeld = 1, MaybeFree = 2 };

// The variable an expression denotes, through the wrappers of a move.
const VarDecl *referencedVar(const Expr *E) {
  const auto *Ref = dyn_cast_or_null<DeclRefExpr>(E ? strip(E) : nullptr);
  return Ref ? dyn_cast<VarDecl>(Ref->getDecl()) : nullptr;
}

// `a.b.c` and `this->m` as a path of declarations, so that two spellings of
// the same mutex compare equal; empty for anything else.
std::string mutexPath(const Expr *E) {
  std::string Path;
  E = E->IgnoreParenImpCasts();
  while (true) {
    if (const auto *Member = dyn_cast<MemberExpr>(E)) {
      Path = "." + Member->getMemberDecl()->getNameAsString() + Path;
      E = Member->getBase()->IgnoreParenImpCasts();
      continue;
    }
    if (const auto *Ref = dyn_cast<DeclRefExpr>(E))
      return Ref->getDecl()->getNameAsString() + Path;
    if (isa<CXXThisExpr>(E))
      return Path.empty() ? "" : Path.substr(1);
    return "";
  }
}

StringRef methodName(const CXXMemberCallExpr &Call) {
  const CXXMethodDecl *Method = Call.getMethodDecl();
  return Method && Method->getIdentifier() ? Method->getName() : "";
}

enum class LockEffect { None, Acquire, TryAcquire, Release };

// What a call does to the lock it is made on, by name (the std spellings)
// or by clang's thread-safety attributes.
LockEffect lockEffectOf(const CXXMemberCallExpr &Call) {
  const CXXMethodDecl *Method = Call.getMethodDecl();
  if (!Method)
    return LockEffect::None;
  if (Method->hasAttr<ReleaseCapabilityAttr>())
    return LockEffect::Release;
  if (Method->hasAttr<TryAcquireCapabilityAttr>())
    return LockEffect::TryAcquire;
  if (Method->hasAttr<AcquireCapabilityAttr>())
    return LockEffect::Acquire;
  StringRef Name = methodName(Call);
  if (Name == "lock" || Name == "lock_shared")
    return LockEffect::Acquire;
  if (Name.starts_with("try_lock"))
    return LockEffect::TryAcquire;
  if (Name == "unlock" || Name == "unlock_shared" || Name == "release")
    return LockEffect::Release;
  return LockEffect::None;
}

// The state a guard starts in, from how it is constructed.
uint8_t initialGuardState(const Expr *Init) {
  const auto *Construct =
      dyn_cast_or_null<CXXConstructExpr>(Init ? Init->IgnoreImplicit() : nullptr);
  if (!Construct)
    return MaybeHeld; // Returned by a function or awaited: it owns a lock.
  if (Construct->getNumArgs() == 0)
    return MaybeFree;
  for (const Expr *Arg : Construct->arguments()) {
    const CXXRecordDecl *Tag = Arg->getType()->getAsCXXRecordDecl();
    if (!Tag || !Tag->getIdentifier())
      continue;
    if (Tag->getName() == "defer_lock_t")
      return MaybeFree;
    if (Tag->getName() == "try_to_lock_t")
      return MaybeHeld | MaybeFree;
  }
  return MaybeHeld;
}

// A copy or move construction and the variable it copies or moves from.
const CXXConstructExpr *copyOrMove(const Expr *E) {
  const auto *Construct =
      dyn_cast_or_null<CXXConstructExpr>(E ? E->IgnoreImplicit() : nullptr);
  const CXXConstructorDecl *Ctor = Construct ? Construct->getConstructor() : nullptr;
  return Ctor && Ctor->isCopyOrMoveConstructor() && Construct->getNumArgs() >= 1
             ? Construct
             : nullptr;
}

class Analysis {
public:
  using State = llvm::SmallVector<uint8_t, 8>;

  Analysis(const FunctionAnalysis &F, const HeldResourceRules &Rules,
           std::vector<HeldResource> &Resources)
      : F(F), Rules(Rules), Resources(Resources) {
    auto Points = F.suspensions();
    for (size_t I = 0; I < Points.size(); ++I)
      PointIndex[Points[I].E] = I;
  }

  void discoverResources(const CFG &Graph) {
    for (const CFGBlock *Block : Graph)
      for (const CFGElement &Element : *Block)
        if (auto S = Element.getAs<CFGStmt>())
          discover(S->getStmt());
  }

  State entry() const { return State(Resources.size(), MaybeFree); }

  void join(State &Into, const State &From) const {
    for (size_t I = 0; I < Into.size(); ++I)
      Into[I] |= From[I];
  }

  // `if (lk)`, `if (lk.owns_lock())`, `if (m.try_lock())` and their negations
  // tell which branch holds the lock.
  void refine(const CFGBlock &Block, unsigned Edge, State &S) const {
    if (Block.succ_size() != 2)
      return;
    const Expr *Cond = dyn_cast_or_null<Expr>(Block.getTerminatorCondition());
    if (!Cond)
      return;
    bool WhenTrue = Edge == 0;
    while (true) {
      Cond = Cond->IgnoreParenImpCasts();
      if (const auto *Not = dyn_cast<UnaryOperator>(Cond);
          Not && Not->getOpcode() == UO_LNot) {
        WhenTrue = !WhenTrue;
        Cond = Not->getSubExpr();
        continue;
      }
      break;
    }
    const auto *Call = dyn_cast<CXXMemberCallExpr>(Cond);
    if (!Call)
      return;
    bool Tests = isa_and_nonnull<CXXConversionDecl>(Call->getMethodDecl()) ||
                 methodName(*Call) == "owns_lock" ||
                 lockEffectOf(*Call) == LockEffect::TryAcquire;
    std::optional<size_t> R = Tests ? lockedObject(*Call) : std::nullopt;
    if (!R)
      return;
    S[*R] = WhenTrue ? (S[*R] & MaybeHeld) : MaybeFree;
    if (!S[*R])
      S[*R] = MaybeFree;
  }

  void transfer(const CFGElement &Element, State &S) const {
    if (auto Stmt = Element.getAs<CFGStmt>())
      transferStmt(Stmt->getStmt(), S);
    else if (auto Dtor = Element.getAs<CFGAutomaticObjDtor>())
      if (auto It = VarIndex.find(Dtor->getVarDecl()); It != VarIndex.end())
        S[It->second] = MaybeFree;
  }

  // What is held at a suspension that may really suspend.
  void visit(const CFGElement &Element, const State &S,
             std::vector<HeldAtSuspension> &Held) {
    auto Stmt = Element.getAs<CFGStmt>();
    auto Point = Stmt ? PointIndex.find(Stmt->getStmt()) : PointIndex.end();
    if (Point == PointIndex.end())
      return;
    const SuspensionPoint &P = F.suspensions()[Point->second];
    if (!P.MaySuspend)
      return;
    llvm::StringSet<> Handed = handedTo(P);
    for (size_t I = 0; I < S.size(); ++I)
      if ((S[I] & MaybeHeld) && !isHandedOver(Resources[I], Handed) &&
          Reported.insert({I, Point->second}).second)
        Held.push_back({I, &P});
  }

private:
  // The paths of what the awaited call is given (its arguments and its
  // object): `cv.wait(lk, pred)`, `cv.wait(mutex)`.
  llvm::StringSet<> handedTo(const SuspensionPoint &P) const {
    llvm::StringSet<> Paths;
    const auto *Call = dyn_cast_or_null<CallExpr>(P.Consumed);
    if (!Call)
      return Paths;
    for (const Expr *Arg : Call->arguments())
      if (std::string Path = mutexPath(strip(Arg)); !Path.empty())
        Paths.insert(Path);
    return Paths;
  }

  // A lock the awaited call is given (the guard, or the mutex it guards)
  // is the callee's to release while suspended, as an asynchronous
  // condition variable's wait does.
  bool isHandedOver(const HeldResource &R, const llvm::StringSet<> &Handed) const {
    if (Handed.empty() || R.K == HeldResource::LiveObject)
      return false;
    if (R.K == HeldResource::LockedMutex)
      return Handed.contains(R.Name);
    if (Handed.contains(R.Var->getName()))
      return true;
    const auto *Construct = dyn_cast_or_null<CXXConstructExpr>(
        R.Var->getInit() ? R.Var->getInit()->IgnoreImplicit() : nullptr);
    if (!Construct || Construct->getNumArgs() == 0)
      return false;
    std::string Guarded = mutexPath(Construct->getArg(0));
    return !Guarded.empty() && Handed.contains(Guarded);
  }

public:

private:
  void discover(const Stmt *S) {
    if (const auto *Decl = dyn_cast<DeclStmt>(S)) {
      for (const clang::Decl *D : Decl->decls()) {
        const auto *Var = dyn_cast<VarDecl>(D);
        if (!Var || !Var->hasLocalStorage() || VarIndex.count(Var))
          continue;
        if (Rules.IsLockGuard(*Var)) {
          add({HeldResource::LockGuard, Var, nullptr, Var->getNameAsString()},
              Var);
          // A guard made from another one takes its state over at its
          // declaration (see transferStmt).
          if (const CXXConstructExpr *From = copyOrMove(Var->getInit()))
            GuardInits.insert(From);
        } else if (Rules.IsLiveObject(*Var)) {
          add({HeldResource::LiveObject, Var, nullptr, Var->getNameAsString()},
              Var);
        }
      }
      return;
    }
    const auto *Call = dyn_cast<CXXMemberCallExpr>(S);
    LockEffect Effect = Call ? lockEffectOf(*Call) : LockEffect::None;
    if (Effect != LockEffect::Acquire && Effect != LockEffect::TryAcquire)
      return;
    const Expr *Object = Call->getImplicitObjectArgument();
    if (!Object || referencedGuard(Object) || !Rules.IsMutex(*Object))
      return;
    std::string Path = mutexPath(Object);
    if (Path.empty())
      return;
    // Blocks are visited in no source order: keep the earliest acquisition.
    if (auto It = MutexIndex.find(Path); It != MutexIndex.end()) {
      HeldResource &R = Resources[It->second];
      if (Call->getBeginLoc() < R.FirstLock->getBeginLoc())
        R.FirstLock = Call;
      return;
    }
    MutexIndex[Path] = Resources.size();
    Resources.push_back({HeldResource::LockedMutex, nullptr, Call, Path});
  }

  void add(HeldResource R, const VarDecl *Var) {
    VarIndex[Var] = Resources.size();
    Resources.push_back(std::move(R));
  }

  std::optional<size_t> referencedGuard(const Expr *E) const {
    if (const VarDecl *Var = referencedVar(E))
      if (auto It = VarIndex.find(Var);
          It != VarIndex.end() &&
          Resources[It->second].K == HeldResource::LockGuard)
        return It->second;
    return std::nullopt;
  }

  std::optional<size_t> lockedObject(const CXXMemberCallExpr &Call) const {
    const Expr *Object = Call.getImplicitObjectArgument();
    if (!Object)
      return std::nullopt;
    if (auto Guard = referencedGuard(Object))
      return Guard;
    std::string Path = mutexPath(Object);
    if (auto It = MutexIndex.find(Path); !Path.empty() && It != MutexIndex.end())
      return It->second;
    return std::nullopt;
  }

  void transferStmt(const Stmt *St, State &S) const {
    if (const auto *Construct = dyn_cast<CXXConstructExpr>(St)) {
      // Moving a guard into anything but a new guard (an argument, a
      // member) hands its lock away.
      if (!GuardInits.contains(Construct) && copyOrMove(Construct))
        if (auto From = referencedGuard(Construct->getArg(0)))
          S[*From] = MaybeFree;
      return;
    }
    if (const auto *Decl = dyn_cast<DeclStmt>(St)) {
      for (const clang::Decl *D : Decl->decls())
        if (auto It = VarIndex.find(D); It != VarIndex.end())
          S[It->second] = initialState(Resources[It->second], S);
      return;
    }
    if (const auto *Assign = dyn_cast<CXXOperatorCallExpr>(St);
        Assign && Assign->getOperator() == OO_Equal && Assign->getNumArgs() == 2)
      if (auto To = referencedGuard(Assign->getArg(0)))
        if (auto From = referencedGuard(Assign->getArg(1))) {
          S[*To] = S[*From];
          S[*From] = MaybeFree;
          return;
        }
    if (const auto *Call = dyn_cast<CXXMemberCallExpr>(St))
      if (auto R = lockedObject(*Call))
        switch (lockEffectOf(*Call)) {
        case LockEffect::Acquire:
          S[*R] = MaybeHeld;
          break;
        case LockEffect::TryAcquire:
          S[*R] = MaybeHeld | MaybeFree;
          break;
        case LockEffect::Release:
          S[*R] = MaybeFree;
          break;
        case LockEffect::None:
          break;
        }
  }

  // The state a declared resource starts in; a guard made from another
  // guard takes that one's state, which becomes free.
  uint8_t initialState(const HeldResource &R, State &S) const {
    if (R.K == HeldResource::LiveObject)
      return MaybeHeld;
    if (const CXXConstructExpr *Construct = copyOrMove(R.Var->getInit()))
      if (auto From = referencedGuard(Construct->getArg(0))) {
        uint8_t Taken = S[*From];
        S[*From] = MaybeFree;
        return Taken;
      }
    return initialGuardState(R.Var->getInit());
  }

  const FunctionAnalysis &F;
  const HeldResourceRules &Rules;
  std::vector<HeldResource> &Resources;
  llvm::DenseMap<const clang::Decl *, size_t> VarIndex;
  llvm::StringMap<size_t> MutexIndex;
  llvm::DenseMap<const Stmt *, size_t> PointIndex;
  llvm::DenseSet<const CXXConstructExpr *> GuardInits;
  llvm::DenseSet<std::pair<size_t, size_t>> Reported;
};

} // namespace

HeldResources::HeldResources(const FunctionAnalysis &F,
                             const HeldResourceRules &Rules) {
  const CFG *Graph = F.cfg();
  if (!Graph)
    return;
  Analysis A(F, Rules, Resources);
  A.discoverResources(*Graph);
  if (Resources.empty())
    return;
  runForward(*Graph, A,
             [&](const CFGElement &E, const Analysis::State &S, const CFGBlock &,
                 unsigned) { A.visit(E, S, Held); });
}

} // namespace corotidy::model
