//===--- SuspensionFlow.cpp - corotidy -------------------------*- C++ -*-===//

#include "checks/SuspensionFlow.h"
#include "checks/ForwardDataflow.h"
#include "clang/AST/ParentMapContext.h"
#include "llvm/ADT/DenseMap.h"
#include "llvm/ADT/DenseSet.h"
#include "llvm/ADT/SmallPtrSet.h"

namespace clang::tidy::coro {

namespace {

// Per tracked variable: 0 while no counted suspension has happened since it
// was bound, otherwise 1 + the index of such a suspension (the initial
// suspension is index Points.size()).
using FlowState = llvm::SmallVector<unsigned, 8>;

void joinInto(FlowState &Into, const FlowState &From) {
  for (size_t I = 0; I < Into.size(); ++I)
    if (From[I] && (!Into[I] || From[I] < Into[I]))
      Into[I] = From[I];
}

class UseFlow {
public:
  UseFlow(const CoroutineCFG &Graph, llvm::ArrayRef<const VarDecl *> Vars,
          llvm::function_ref<bool(const SuspensionPoint &)> Counts,
          SuspensionFlowOptions Options)
      : Graph(Graph), Vars(Vars), Counts(Counts), Options(Options) {
    for (size_t I = 0; I < Vars.size(); ++I)
      Index[Vars[I]] = I;
    const auto &Points = Graph.suspensionPoints();
    for (size_t I = 0; I < Points.size(); ++I)
      PointIndex[Points[I].E] = I;
  }

  std::vector<UseAfterSuspension> run() {
    solve();
    Recording = true;
    for (const CFGBlock *Block : Graph.cfg()) {
      FlowState State = In.lookup(Block);
      if (State.empty())
        continue; // Unreachable.
      transferBlock(*Block, State);
    }
    std::vector<UseAfterSuspension> Result;
    for (const VarDecl *Var : Vars)
      if (auto It = Found.find(Var); It != Found.end())
        Result.push_back(It->second);
    return Result;
  }

private:
  FlowState entryState() const {
    // The initial suspension has index Points.size(); locals are reset to
    // "not suspended" when their declarations bind them.
    return FlowState(Vars.size(), Options.StartsLazily
                                      ? Graph.suspensionPoints().size() + 1
                                      : 0);
  }

  void solve() {
    In = solveForward(
        Graph.cfg(), entryState(),
        [this](const CFGBlock &Block, FlowState &State) {
          transferBlock(Block, State);
        },
        [](const CFGBlock &, unsigned, FlowState &) {}, joinInto);
  }

  void transferBlock(const CFGBlock &Block, FlowState &State) {
    for (const CFGElement &Element : Block)
      if (auto S = Element.getAs<CFGStmt>())
        transfer(S->getStmt(), State);
  }

  void rebind(const Expr *Target, FlowState &State) {
    const auto *Ref = dyn_cast<DeclRefExpr>(Target->IgnoreParenImpCasts());
    if (!Ref)
      return;
    if (auto It = Index.find(Ref->getDecl()); It != Index.end()) {
      State[It->second] = 0;
      AssignedRefs.insert(Ref);
    }
  }

  void transfer(const Stmt *S, FlowState &State) {
    if (const auto *Decl = dyn_cast<DeclStmt>(S)) {
      for (const clang::Decl *D : Decl->decls())
        if (auto It = Index.find(D); It != Index.end())
          State[It->second] = 0;
      return;
    }
    if (const auto *Assign = dyn_cast<BinaryOperator>(S);
        Assign && Assign->isAssignmentOp()) {
      rebind(Assign->getLHS(), State);
      return;
    }
    if (const auto *Ref = dyn_cast<DeclRefExpr>(S)) {
      auto It = Index.find(Ref->getDecl());
      if (It == Index.end() || !State[It->second] || !Recording ||
          isAssignmentTarget(Ref) ||
          (Options.CountsAsUse && !Options.CountsAsUse(*Ref)))
        return;
      record(Vars[It->second], Ref, State[It->second] - 1);
      return;
    }
    if (auto It = PointIndex.find(S); It != PointIndex.end()) {
      const SuspensionPoint &Point = Graph.suspensionPoints()[It->second];
      if (!Point.MaySuspend || !Counts(Point))
        return;
      for (unsigned &Value : State)
        if (!Value)
          Value = It->second + 1;
    }
  }

  // The left side of `p = ...` appears in the CFG before the assignment; it
  // rebinds the variable rather than using it.
  bool isAssignmentTarget(const DeclRefExpr *Ref) {
    if (AssignedRefs.contains(Ref))
      return true;
    for (const DynTypedNode &Parent :
         Graph.context().getParents(*static_cast<const Expr *>(Ref))) {
      const auto *Assign = Parent.get<BinaryOperator>();
      if (Assign && Assign->isAssignmentOp() &&
          Assign->getLHS()->IgnoreParenImpCasts() == Ref)
        return true;
    }
    return false;
  }

  void record(const VarDecl *Var, const DeclRefExpr *Use, unsigned Point) {
    const auto &Points = Graph.suspensionPoints();
    const SuspensionPoint *Suspension =
        Point < Points.size() ? &Points[Point] : nullptr;
    auto [It, Inserted] = Found.try_emplace(Var, UseAfterSuspension{Var, Use, Suspension});
    if (!Inserted && Use->getBeginLoc() < It->second.Use->getBeginLoc())
      It->second = {Var, Use, Suspension};
  }

  const CoroutineCFG &Graph;
  llvm::ArrayRef<const VarDecl *> Vars;
  llvm::function_ref<bool(const SuspensionPoint &)> Counts;
  SuspensionFlowOptions Options;
  llvm::DenseMap<const clang::Decl *, size_t> Index;
  llvm::DenseMap<const Stmt *, size_t> PointIndex;
  llvm::DenseMap<const CFGBlock *, FlowState> In;
  llvm::DenseSet<const DeclRefExpr *> AssignedRefs;
  llvm::DenseMap<const VarDecl *, UseAfterSuspension> Found;
  bool Recording = false;
};

} // namespace

std::vector<UseAfterSuspension>
findUsesAfterSuspension(const CoroutineCFG &Graph,
                        llvm::ArrayRef<const VarDecl *> Vars,
                        llvm::function_ref<bool(const SuspensionPoint &)> Counts,
                        SuspensionFlowOptions Options) {
  if (Vars.empty())
    return {};
  return UseFlow(Graph, Vars, Counts, Options).run();
}

std::optional<ThisUseAfterSuspension>
findThisUseAfterSuspension(const CoroutineCFG &Graph,
                           llvm::function_ref<bool(const SuspensionPoint &)> Counts,
                           SuspensionFlowOptions Options) {
  const auto &Points = Graph.suspensionPoints();
  llvm::DenseMap<const Stmt *, size_t> PointIndex;
  for (size_t I = 0; I < Points.size(); ++I)
    if (Points[I].MaySuspend && Counts(Points[I]))
      PointIndex[Points[I].E] = I;
  // 0: no counted suspension yet; otherwise 1 + its index (Points.size() for
  // the initial suspension).
  using State = unsigned;
  std::optional<ThisUseAfterSuspension> Found;
  bool Recording = false;
  auto Transfer = [&](const CFGBlock &Block, State &S) {
    for (const CFGElement &Element : Block) {
      auto Stmt = Element.getAs<CFGStmt>();
      if (!Stmt)
        continue;
      if (auto It = PointIndex.find(Stmt->getStmt()); It != PointIndex.end()) {
        if (!S)
          S = It->second + 1;
        continue;
      }
      const auto *This = dyn_cast<CXXThisExpr>(Stmt->getStmt());
      if (!This || !S || !Recording)
        continue;
      if (!Found || This->getBeginLoc() < Found->Use->getBeginLoc())
        Found = ThisUseAfterSuspension{
            This, S - 1 < Points.size() ? &Points[S - 1] : nullptr};
    }
  };
  auto Join = [](State &Into, const State &From) {
    if (From && (!Into || From < Into))
      Into = From;
  };
  auto In = solveForward(Graph.cfg(),
                         State(Options.StartsLazily ? Points.size() + 1 : 0),
                         Transfer, [](const CFGBlock &, unsigned, State &) {},
                         Join);
  Recording = true;
  for (const CFGBlock *Block : Graph.cfg())
    if (auto It = In.find(Block); It != In.end()) {
      State S = It->second;
      Transfer(*Block, S);
    }
  return Found;
}

llvm::SmallVector<const SuspensionPoint *, 4>
suspensionsReachableFrom(const CoroutineCFG &Graph, const Stmt *From,
                         llvm::function_ref<bool(const SuspensionPoint &)> Counts) {
  llvm::SmallVector<const SuspensionPoint *, 4> Result;
  const CFGBlock *Start = Graph.blockOf(From);
  if (!Start)
    return Result;
  llvm::DenseMap<const Stmt *, const SuspensionPoint *> Points;
  for (const SuspensionPoint &Point : Graph.suspensionPoints())
    if (Point.MaySuspend && Counts(Point))
      Points[Point.E] = &Point;
  llvm::SmallPtrSet<const SuspensionPoint *, 4> Seen;
  auto Collect = [&](const CFGBlock &Block, bool AfterFrom) {
    bool Past = !AfterFrom;
    for (const CFGElement &Element : Block) {
      auto S = Element.getAs<CFGStmt>();
      if (!S)
        continue;
      if (!Past) {
        Past = S->getStmt() == From;
        continue;
      }
      if (const SuspensionPoint *Point = Points.lookup(S->getStmt()))
        if (Seen.insert(Point).second)
          Result.push_back(Point);
    }
  };
  Collect(*Start, /*AfterFrom=*/true);
  llvm::SmallPtrSet<const CFGBlock *, 16> Visited;
  llvm::SmallVector<const CFGBlock *, 16> Work(Start->succ_begin(),
                                               Start->succ_end());
  while (!Work.empty()) {
    const CFGBlock *Block = Work.pop_back_val();
    if (!Block || !Visited.insert(Block).second)
      continue;
    Collect(*Block, /*AfterFrom=*/false);
    Work.append(Block->succ_begin(), Block->succ_end());
  }
  return Result;
}

} // namespace clang::tidy::coro
