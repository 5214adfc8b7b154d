//===--- HeldResources.cpp - corotidy --------------------------*- C++ -*-===//

#include "checks/HeldResources.h"
#include "checks/ForwardDataflow.h"
#include "clang/AST/DeclCXX.h"
#include "clang/AST/ExprCXX.h"
#include "llvm/ADT/DenseMap.h"
#include "llvm/ADT/DenseSet.h"

namespace clang::tidy::coro {

namespace {

// A resource's possible states on the paths reaching a point.
enum : uint8_t { MaybeHeld = 1, MaybeFree = 2 };
using State = llvm::SmallVector<uint8_t, 8>;

void joinInto(State &Into, const State &From) {
  for (size_t I = 0; I < Into.size(); ++I)
    Into[I] |= From[I];
}

// The variable an expression denotes, through the wrappers of a move.
const VarDecl *referencedVar(const Expr *E) {
  const auto *Ref = dyn_cast_or_null<DeclRefExpr>(
      E ? ignoreAwaitOperandWrappers(E) : nullptr);
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

class Analysis {
public:
  Analysis(const CoroutineCFG &Graph, const HeldResourceRules &Rules,
           std::vector<HeldResource> &Resources,
           std::vector<HeldAtSuspension> &Held)
      : Graph(Graph), Rules(Rules), Resources(Resources), Held(Held) {
    for (size_t I = 0; I < Graph.suspensionPoints().size(); ++I)
      PointIndex[Graph.suspensionPoints()[I].E] = I;
  }

  void run() {
    discoverResources();
    if (Resources.empty())
      return;
    solve();
    Recording = true;
    for (const CFGBlock *Block : Graph.cfg())
      if (auto It = In.find(Block); It != In.end()) {
        State S = It->second;
        transferBlock(*Block, S);
      }
  }

private:
  void discoverResources() {
    for (const CFGBlock *Block : Graph.cfg())
      for (const CFGElement &Element : *Block)
        if (auto S = Element.getAs<CFGStmt>())
          discover(S->getStmt());
  }

  void discover(const Stmt *S) {
    if (const auto *Decl = dyn_cast<DeclStmt>(S)) {
      for (const clang::Decl *D : Decl->decls()) {
        const auto *Var = dyn_cast<VarDecl>(D);
        if (!Var || !Var->hasLocalStorage() || VarIndex.count(Var))
          continue;
        if (Rules.IsLockGuard(*Var))
          add({HeldResource::LockGuard, Var, nullptr, Var->getNameAsString()},
              Var);
        else if (Rules.IsLiveObject(*Var))
          add({HeldResource::LiveObject, Var, nullptr, Var->getNameAsString()},
              Var);
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

  State freshState() const { return State(Resources.size(), MaybeFree); }

  void solve() {
    In = solveForward(
        Graph.cfg(), freshState(),
        [this](const CFGBlock &Block, State &S) { transferBlock(Block, S); },
        [this](const CFGBlock &Block, unsigned Edge, State &S) {
          refineAlongBranch(Block, Edge, S);
        },
        joinInto);
  }

  // `if (lk)`, `if (lk.owns_lock())`, `if (m.try_lock())` and their negations
  // tell which branch holds the lock.
  void refineAlongBranch(const CFGBlock &Block, unsigned Edge, State &S) const {
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

  void transferBlock(const CFGBlock &Block, State &S) {
    for (const CFGElement &Element : Block) {
      if (auto Stmt = Element.getAs<CFGStmt>())
        transfer(Stmt->getStmt(), S);
      else if (auto Dtor = Element.getAs<CFGAutomaticObjDtor>())
        if (auto It = VarIndex.find(Dtor->getVarDecl()); It != VarIndex.end())
          S[It->second] = MaybeFree;
    }
  }

  void transfer(const Stmt *St, State &S) {
    if (const auto *Construct = dyn_cast<CXXConstructExpr>(St)) {
      // Moving a guard hands its lock to the new object.
      const CXXConstructorDecl *Ctor = Construct->getConstructor();
      if (Ctor && Ctor->isCopyOrMoveConstructor() && Construct->getNumArgs() >= 1)
        if (auto From = referencedGuard(Construct->getArg(0))) {
          MovedState = S[*From];
          MovedBy = Construct;
          S[*From] = MaybeFree;
        }
      return;
    }
    if (const auto *Decl = dyn_cast<DeclStmt>(St)) {
      for (const clang::Decl *D : Decl->decls())
        if (auto It = VarIndex.find(D); It != VarIndex.end())
          S[It->second] = initialState(Resources[It->second]);
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
    if (const auto *Call = dyn_cast<CXXMemberCallExpr>(St)) {
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
      return;
    }
    auto Point = PointIndex.find(St);
    if (!Recording || Point == PointIndex.end())
      return;
    const SuspensionPoint &P = Graph.suspensionPoints()[Point->second];
    if (!P.MaySuspend)
      return;
    for (size_t I = 0; I < S.size(); ++I)
      if ((S[I] & MaybeHeld) && Reported.insert({I, Point->second}).second)
        Held.push_back({I, &P});
  }

  uint8_t initialState(const HeldResource &R) {
    if (R.K == HeldResource::LiveObject)
      return MaybeHeld;
    const Expr *Init = R.Var->getInit();
    const Expr *Bare = Init ? Init->IgnoreImplicit() : nullptr;
    if (Bare && Bare == MovedBy)
      return MovedState;
    return initialGuardState(Init);
  }

  const CoroutineCFG &Graph;
  const HeldResourceRules &Rules;
  std::vector<HeldResource> &Resources;
  std::vector<HeldAtSuspension> &Held;
  llvm::DenseMap<const clang::Decl *, size_t> VarIndex;
  llvm::StringMap<size_t> MutexIndex;
  llvm::DenseMap<const Stmt *, size_t> PointIndex;
  llvm::DenseMap<const CFGBlock *, State> In;
  llvm::DenseSet<std::pair<size_t, size_t>> Reported;
  const Expr *MovedBy = nullptr;
  uint8_t MovedState = MaybeFree;
  bool Recording = false;
};

} // namespace

HeldResources::HeldResources(const CoroutineCFG &Graph,
                             const HeldResourceRules &Rules) {
  Analysis(Graph, Rules, Resources, Held).run();
}

} // namespace clang::tidy::coro
