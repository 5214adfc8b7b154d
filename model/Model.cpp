//===--- Model.cpp - corotidy ----------------------------------*- C++ -*-===//

#include "model/Model.h"
#include "clang/AST/DeclCXX.h"
#include "clang/AST/ExprCXX.h"
#include "clang/AST/StmtCXX.h"
#include "llvm/ADT/SmallPtrSet.h"
#include <mutex>

using namespace clang;

namespace corotidy::model {

// ---- Structure --------------------------------------------------------------

struct FunctionAnalysis::Structure {
  std::unique_ptr<ParentMap> Parents;
  llvm::DenseMap<const VarDecl *, const DeclStmt *> Declarations;
};

FunctionAnalysis::FunctionAnalysis(const FunctionDecl &Fn, Model &Owner)
    : Fn(Fn), Owner(Owner), Coroutine(getCoroutineBody(&Fn)) {}

FunctionAnalysis::~FunctionAnalysis() = default;

ASTContext &FunctionAnalysis::context() const { return Owner.context(); }

const Stmt *FunctionAnalysis::userBody() const {
  return Coroutine ? Coroutine->getBody() : Fn.getBody();
}

const FunctionAnalysis::Structure &FunctionAnalysis::structure() const {
  if (Struct)
    return *Struct;
  Struct = std::make_unique<Structure>();
  Stmt *Body = Fn.getBody();
  if (!Body)
    return *Struct;
  Struct->Parents = std::make_unique<ParentMap>(Body);
  // Every declaration statement of the body, nested lambdas included (their
  // locals are found through the function that owns them, see ownerOf()).
  llvm::SmallVector<const Stmt *, 64> Work = {Body};
  while (!Work.empty()) {
    const Stmt *S = Work.pop_back_val();
    if (!S)
      continue;
    if (const auto *Decl = dyn_cast<DeclStmt>(S))
      for (const clang::Decl *D : Decl->decls())
        if (const auto *Var = dyn_cast<VarDecl>(D))
          Struct->Declarations.try_emplace(Var, Decl);
    for (const Stmt *Child : S->children())
      Work.push_back(Child);
  }
  return *Struct;
}

llvm::ArrayRef<const CallExpr *> FunctionAnalysis::calls() const {
  if (!Calls) {
    Calls.emplace();
    forEachInBody(Fn.getBody(), [&](const Stmt &S) {
      if (const auto *Call = dyn_cast<CallExpr>(&S))
        Calls->push_back(Call);
      return true;
    });
  }
  return *Calls;
}

llvm::ArrayRef<const VarDecl *> FunctionAnalysis::locals() const {
  if (!Locals) {
    Locals.emplace();
    forEachInBody(Fn.getBody(), [&](const Stmt &S) {
      if (const auto *Decl = dyn_cast<DeclStmt>(&S))
        for (const clang::Decl *D : Decl->decls())
          if (const auto *Var = dyn_cast<VarDecl>(D); Var && Var->hasLocalStorage())
            Locals->push_back(Var);
      return true;
    });
  }
  return *Locals;
}

const Stmt *FunctionAnalysis::parent(const Stmt &S) const {
  const Structure &Str = structure();
  return Str.Parents ? Str.Parents->getParent(&S) : nullptr;
}

const DeclStmt *FunctionAnalysis::declarationOf(const VarDecl &Var) const {
  return structure().Declarations.lookup(&Var);
}

const Stmt *FunctionAnalysis::scopeOf(const VarDecl &Var) const {
  if (isa<ParmVarDecl>(Var))
    return Var.getDeclContext() == &Fn ? Fn.getBody() : nullptr;
  const Stmt *S = declarationOf(Var);
  for (int Depth = 0; S && Depth < 256; ++Depth) {
    S = parent(*S);
    if (isa_and_nonnull<CompoundStmt, ForStmt, CXXForRangeStmt, IfStmt,
                        WhileStmt, SwitchStmt, CoroutineBodyStmt>(S))
      return S;
  }
  return nullptr;
}

FunctionAnalysis::User FunctionAnalysis::userOf(const Expr &E, Strip Mode) const {
  const Expr *Cur = &E;
  while (true) {
    const Stmt *P = parent(*Cur);
    if (!P)
      return {nullptr, nullptr, Cur};
    if (const auto *Outer = dyn_cast<Expr>(P); Outer && stripOne(Outer, Mode) == Cur) {
      Cur = Outer;
      continue;
    }
    User Result{P, nullptr, Cur};
    if (const auto *Decl = dyn_cast<DeclStmt>(P))
      for (const clang::Decl *D : Decl->decls())
        if (const auto *Var = dyn_cast<VarDecl>(D); Var && Var->getInit() == Cur)
          Result.Initialized = Var;
    return Result;
  }
}

// ---- Order of evaluation ---------------------------------------------------

namespace {
/// How one child of a statement is evaluated relative to another.
enum class Relation { Before, After, Unsequenced, Exclusive };

Relation flip(Relation R) {
  if (R == Relation::Before)
    return Relation::After;
  if (R == Relation::After)
    return Relation::Before;
  return R;
}

unsigned childIndex(const Stmt &Parent, const Stmt &Child) {
  unsigned I = 0;
  for (const Stmt *C : Parent.children()) {
    if (C == &Child)
      return I;
    ++I;
  }
  return I;
}

Relation inChildOrder(const Stmt &P, const Stmt &X, const Stmt &Y) {
  return childIndex(P, X) < childIndex(P, Y) ? Relation::Before : Relation::After;
}

// Operators whose left operand is sequenced before the right one (C++17),
// also when overloaded ([over.match.oper]).
bool leftToRight(OverloadedOperatorKind Op) {
  switch (Op) {
  case OO_Comma:
  case OO_AmpAmp:
  case OO_PipePipe:
  case OO_LessLess:
  case OO_GreaterGreater:
  case OO_Subscript:
  case OO_ArrowStar:
  case OO_Call:
    return true;
  default:
    return false;
  }
}

bool rightToLeft(OverloadedOperatorKind Op) {
  switch (Op) {
  case OO_Equal:
  case OO_PlusEqual:
  case OO_MinusEqual:
  case OO_StarEqual:
  case OO_SlashEqual:
  case OO_PercentEqual:
  case OO_CaretEqual:
  case OO_AmpEqual:
  case OO_PipeEqual:
  case OO_LessLessEqual:
  case OO_GreaterGreaterEqual:
    return true;
  default:
    return false;
  }
}

// How child X of P is evaluated relative to its child Y (X != Y).
Relation relate(const Stmt &P, const Stmt &X, const Stmt &Y) {
  if (const auto *If = dyn_cast<IfStmt>(&P)) {
    bool XBranch = &X == If->getThen() || &X == If->getElse();
    bool YBranch = &Y == If->getThen() || &Y == If->getElse();
    if (XBranch && YBranch)
      return Relation::Exclusive;
    return inChildOrder(P, X, Y);
  }
  if (isa<ForStmt, WhileStmt, DoStmt, CXXForRangeStmt>(P)) {
    // One iteration runs the condition, the body and the increment; the
    // next one runs them again. Only what precedes the loop is ordered.
    const Stmt *Init = nullptr;
    if (const auto *For = dyn_cast<ForStmt>(&P))
      Init = For->getInit();
    else if (const auto *Range = dyn_cast<CXXForRangeStmt>(&P))
      Init = Range->getRangeStmt();
    if (&X == Init)
      return Relation::Before;
    if (&Y == Init)
      return Relation::After;
    return Relation::Unsequenced;
  }
  if (const auto *Cond = dyn_cast<AbstractConditionalOperator>(&P)) {
    if (&X == Cond->getCond())
      return Relation::Before;
    if (&Y == Cond->getCond())
      return Relation::After;
    if (const auto *Binary = dyn_cast<BinaryConditionalOperator>(&P)) {
      if (&X == Binary->getCommon())
        return Relation::Before;
      if (&Y == Binary->getCommon())
        return Relation::After;
    }
    return Relation::Exclusive;
  }
  if (const auto *Op = dyn_cast<BinaryOperator>(&P)) {
    bool XLeft = &X == Op->getLHS();
    switch (Op->getOpcode()) {
    case BO_Comma:
    case BO_LAnd:
    case BO_LOr:
    case BO_Shl:
    case BO_Shr:
    case BO_PtrMemD:
    case BO_PtrMemI:
      return XLeft ? Relation::Before : Relation::After;
    default:
      if (Op->isAssignmentOp())
        return XLeft ? Relation::After : Relation::Before;
      return Relation::Unsequenced;
    }
  }
  if (const auto *Op = dyn_cast<CXXOperatorCallExpr>(&P)) {
    // Child 0 is the operator function itself: evaluated first.
    if (&X == Op->getCallee())
      return Relation::Before;
    if (&Y == Op->getCallee())
      return Relation::After;
    OverloadedOperatorKind Kind = Op->getOperator();
    bool XFirstArg = Op->getNumArgs() > 0 && &X == Op->getArg(0);
    bool YFirstArg = Op->getNumArgs() > 0 && &Y == Op->getArg(0);
    if (Kind == OO_Call)
      return XFirstArg ? Relation::Before
                       : YFirstArg ? Relation::After : Relation::Unsequenced;
    if (leftToRight(Kind))
      return inChildOrder(P, X, Y);
    if (rightToLeft(Kind))
      return flip(inChildOrder(P, X, Y));
    return Relation::Unsequenced;
  }
  if (const auto *Call = dyn_cast<CallExpr>(&P)) {
    if (&X == Call->getCallee())
      return Relation::Before;
    if (&Y == Call->getCallee())
      return Relation::After;
    return Relation::Unsequenced;
  }
  if (const auto *Construct = dyn_cast<CXXConstructExpr>(&P))
    return Construct->isListInitialization() ? inChildOrder(P, X, Y)
                                             : Relation::Unsequenced;
  if (isa<InitListExpr, CXXParenListInitExpr, ArraySubscriptExpr>(P))
    return inChildOrder(P, X, Y);
  if (isa<LambdaExpr>(P) || isa<Expr>(P))
    return Relation::Unsequenced;
  // Other statements run their children in order.
  return inChildOrder(P, X, Y);
}
} // namespace

// How A is evaluated relative to B, from their lowest common ancestor.
static Relation relateIn(const FunctionAnalysis &F, const Stmt &A, const Stmt &B) {
  llvm::SmallPtrSet<const Stmt *, 32> AncestorsOfA;
  llvm::SmallVector<const Stmt *, 32> PathA;
  for (const Stmt *S = &A; S; S = F.parent(*S)) {
    AncestorsOfA.insert(S);
    PathA.push_back(S);
  }
  const Stmt *BelowB = nullptr;
  const Stmt *Common = &B;
  while (Common && !AncestorsOfA.contains(Common)) {
    BelowB = Common;
    Common = F.parent(*Common);
  }
  if (!Common)
    return Relation::Unsequenced; // Not in one body: nothing is known.
  if (Common == &B)
    return Relation::Before; // A is part of B: evaluated first.
  if (Common == &A)
    return Relation::After;
  const Stmt *BelowA = nullptr;
  for (const Stmt *S : PathA) {
    if (S == Common)
      break;
    BelowA = S;
  }
  return relate(*Common, *BelowA, *BelowB);
}

bool FunctionAnalysis::sequencedBefore(const Stmt &A, const Stmt &B) const {
  return &A != &B && relateIn(*this, A, B) == Relation::Before;
}

bool FunctionAnalysis::mayRunAfter(const Stmt &Later, const Stmt &Earlier) const {
  if (&Later == &Earlier)
    return false;
  Relation R = relateIn(*this, Later, Earlier);
  return R == Relation::After || R == Relation::Unsequenced;
}

// ---- Coroutine facts ----------------------------------------------------------

StartMode FunctionAnalysis::startMode() const {
  if (!Start) {
    StartMode Mode = Coroutine ? getStartMode(*Coroutine) : StartMode::Unknown;
    if (Mode == StartMode::Unknown)
      Mode = getStartMode(Fn.getReturnType(), context());
    Start = Mode;
  }
  return *Start;
}

static SuspensionPoint pointFor(const Expr &Suspend) {
  SuspensionPoint P;
  P.E = &Suspend;
  P.Operand = writtenOperand(Suspend);
  if (const auto *S = dyn_cast<CoroutineSuspendExpr>(&Suspend)) {
    P.K = isa<CoyieldExpr>(S) ? SuspensionPoint::Yield : SuspensionPoint::Await;
    P.MaySuspend = !neverSuspends(S);
  }
  P.Consumed = strip(P.Operand);
  const auto *Direct =
      dyn_cast_or_null<CallExpr>(P.Operand ? P.Operand->IgnoreImplicit() : nullptr);
  P.ElidablePosition = P.K == SuspensionPoint::Await && Direct && Direct->isPRValue();
  return P;
}

// Suspensions evaluate their operand first, so nested ones come first.
static void collectPoints(const Stmt *Root,
                          llvm::SmallVectorImpl<SuspensionPoint> &Out) {
  forEachInBody(Root, [&](const Stmt &S) {
    if (!isa<CoroutineSuspendExpr, DependentCoawaitExpr>(S))
      return true;
    const auto &Suspend = cast<Expr>(S);
    collectPoints(writtenOperand(Suspend), Out);
    Out.push_back(pointFor(Suspend));
    return false;
  });
}

void FunctionAnalysis::computeSuspensions() const {
  if (Points)
    return;
  Points.emplace();
  if (!Coroutine)
    return;
  collectPoints(Coroutine->getBody(), *Points);
  for (unsigned I = 0; I < Points->size(); ++I) {
    // A conditional operand consumes whichever branch runs: the task a
    // branch makes is the conditional's result object.
    llvm::SmallVector<const Expr *, 2> Work = {(*Points)[I].Consumed};
    while (!Work.empty()) {
      const Expr *Consumed = Work.pop_back_val();
      if (!Consumed)
        continue;
      PointByConsumed.try_emplace(Consumed, I);
      if (const auto *Cond = dyn_cast<AbstractConditionalOperator>(Consumed);
          Cond && Cond->isPRValue()) {
        Work.push_back(strip(Cond->getTrueExpr()));
        Work.push_back(strip(Cond->getFalseExpr()));
      }
    }
  }
}

llvm::ArrayRef<SuspensionPoint> FunctionAnalysis::suspensions() const {
  computeSuspensions();
  return *Points;
}

const SuspensionPoint *FunctionAnalysis::consumerOf(const Expr &E) const {
  computeSuspensions();
  auto It = PointByConsumed.find(strip(&E));
  return It == PointByConsumed.end() ? nullptr : &(*Points)[It->second];
}

// ---- Control flow ---------------------------------------------------------------

void FunctionAnalysis::computeCFG() const {
  if (CFGBuilt)
    return;
  CFGBuilt = true;
  Stmt *Body = const_cast<Stmt *>(userBody());
  if (!Body)
    return;
  CFG::BuildOptions Options;
  Options.AddImplicitDtors = true;
  Options.AddTemporaryDtors = true;
  Options.setAllAlwaysAdd();
  Graph = CFG::buildCFG(&Fn, Body, &context(), Options);
  if (!Graph)
    return;
  const Structure &Str = structure();
  if (Str.Parents)
    StmtToBlock = std::make_unique<CFGStmtMap>(*Graph, *Str.Parents);
}

const CFG *FunctionAnalysis::cfg() const {
  computeCFG();
  return Graph.get();
}

const CFGBlock *FunctionAnalysis::blockOf(const Stmt &S) const {
  computeCFG();
  return StmtToBlock ? StmtToBlock->getBlock(&S) : nullptr;
}

// ---- The translation unit's model ----------------------------------------------

namespace {
// One model per live ASTContext. clangd builds several ASTs on different
// threads; each model is used by the one thread that owns its AST.
std::mutex RegistryMutex;
llvm::DenseMap<const ASTContext *, std::unique_ptr<Model>> &registry() {
  static llvm::DenseMap<const ASTContext *, std::unique_ptr<Model>> Models;
  return Models;
}
void forget(void *Ctx) {
  std::unique_ptr<Model> Dead;
  {
    std::lock_guard<std::mutex> Lock(RegistryMutex);
    auto It = registry().find(static_cast<const ASTContext *>(Ctx));
    if (It == registry().end())
      return;
    Dead = std::move(It->second);
    registry().erase(It);
  }
}
} // namespace

Model &Model::of(ASTContext &Ctx) {
  std::lock_guard<std::mutex> Lock(RegistryMutex);
  auto &Slot = registry()[&Ctx];
  if (!Slot) {
    Slot = std::make_unique<Model>(Ctx);
    // Dies with the context, so a new context at the same address starts
    // afresh.
    Ctx.AddDeallocation(forget, &Ctx);
  }
  return *Slot;
}

const FunctionAnalysis *Model::function(const FunctionDecl &Fn) {
  const FunctionDecl *Def = nullptr;
  if (!Fn.hasBody(Def) || !Def || !Def->getBody())
    return nullptr;
  auto &Slot = Functions[Def];
  if (!Slot)
    Slot = std::make_unique<FunctionAnalysis>(*Def, *this);
  return Slot.get();
}

const FunctionAnalysis *Model::ownerOf(const VarDecl &Var) {
  const auto *Fn = dyn_cast_or_null<FunctionDecl>(Var.getParentFunctionOrMethod());
  return Fn ? function(*Fn) : nullptr;
}

} // namespace corotidy::model
