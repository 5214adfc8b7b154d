//===--- SuspensionFlow.cpp - corotidy -------------------------*- C++ -*-===//

#include "model/SuspensionFlow.h"
#include "model/Dataflow.h"
#include "llvm/ADT/DenseMap.h"

using namespace clang;

namespace corotidy::model {

namespace {

// Per tracked entity: 0 while no counted suspension has happened since it
// was bound, otherwise 1 + the index of the earliest such suspension (the
// initial suspension is index Points.size()).
class UseFlow {
public:
  using State = llvm::SmallVector<unsigned, 8>;

  UseFlow(const FunctionAnalysis &F, llvm::ArrayRef<const VarDecl *> Vars,
          llvm::function_ref<bool(const SuspensionPoint &)> Counts,
          SuspensionFlowOptions Options)
      : F(F), Vars(Vars), Points(F.suspensions()), Options(Options) {
    for (size_t I = 0; I < Vars.size(); ++I)
      Index[Vars[I]] = I;
    for (size_t I = 0; I < Points.size(); ++I)
      if (Points[I].MaySuspend && Counts(Points[I]))
        Counted[Points[I].E] = I;
  }

  size_t tracked() const { return Vars.size() + (Options.TrackThis ? 1 : 0); }

  State entry() const {
    return State(tracked(), Options.StartsLazily ? Points.size() + 1 : 0);
  }

  void join(State &Into, const State &From) const {
    for (size_t I = 0; I < Into.size(); ++I)
      if (From[I] && (!Into[I] || From[I] < Into[I]))
        Into[I] = From[I];
  }

  void refine(const CFGBlock &, unsigned, State &) const {}

  void transfer(const CFGElement &Element, State &S) const {
    auto Stmt = Element.getAs<CFGStmt>();
    if (!Stmt)
      return;
    const clang::Stmt *St = Stmt->getStmt();
    if (const auto *Decl = dyn_cast<DeclStmt>(St)) {
      for (const clang::Decl *D : Decl->decls())
        if (auto It = Index.find(D); It != Index.end())
          S[It->second] = 0;
      return;
    }
    if (const auto *Assign = dyn_cast<BinaryOperator>(St);
        Assign && Assign->isAssignmentOp()) {
      if (const auto *Ref =
              dyn_cast<DeclRefExpr>(Assign->getLHS()->IgnoreParenImpCasts()))
        if (auto It = Index.find(Ref->getDecl()); It != Index.end())
          S[It->second] = 0;
      return;
    }
    if (auto It = Counted.find(St); It != Counted.end())
      for (unsigned &Value : S)
        if (!Value)
          Value = It->second + 1;
  }

  // The tracked entity a use stands for.
  std::optional<size_t> trackedBy(const clang::Stmt &St) const {
    if (const auto *Ref = dyn_cast<DeclRefExpr>(&St)) {
      auto It = Index.find(Ref->getDecl());
      if (It == Index.end() || isAssignmentTarget(*Ref))
        return std::nullopt;
      return It->second;
    }
    if (Options.TrackThis && isa<CXXThisExpr>(St))
      return Vars.size();
    return std::nullopt;
  }

  void visit(const CFGElement &Element, const State &S, const CFGBlock &Block,
             unsigned Position) {
    auto Stmt = Element.getAs<CFGStmt>();
    if (!Stmt)
      return;
    const auto *Use = dyn_cast<Expr>(Stmt->getStmt());
    std::optional<size_t> Which = Use ? trackedBy(*Use) : std::nullopt;
    if (!Which || (Options.CountsAsUse && !Options.CountsAsUse(*Use)))
      return;
    if (unsigned After = S[*Which]) {
      record(*Which, *Use, After - 1);
      return;
    }
    // Not yet suspended on this path, but a suspension later in the same
    // block may be evaluated first: unsequenced operands.
    unsigned I = 0;
    for (const CFGElement &Later : Block) {
      if (I++ <= Position)
        continue;
      auto LaterStmt = Later.getAs<CFGStmt>();
      if (!LaterStmt)
        continue;
      auto It = Counted.find(LaterStmt->getStmt());
      if (It != Counted.end() && F.mayRunAfter(*Use, *LaterStmt->getStmt())) {
        record(*Which, *Use, It->second);
        return;
      }
    }
  }

  std::vector<UseAfterSuspension> results() const {
    std::vector<UseAfterSuspension> Out;
    for (size_t I = 0; I < tracked(); ++I)
      if (auto It = Found.find(I); It != Found.end())
        Out.push_back(It->second);
    return Out;
  }

private:
  // The left side of `p = ...` appears in the CFG before the assignment; it
  // rebinds the variable rather than using it.
  bool isAssignmentTarget(const DeclRefExpr &Ref) const {
    const auto *Assign = dyn_cast_or_null<BinaryOperator>(F.parent(Ref));
    return Assign && Assign->isAssignmentOp() &&
           Assign->getLHS()->IgnoreParenImpCasts() == &Ref;
  }

  void record(size_t Which, const Expr &Use, unsigned Point) {
    const SuspensionPoint *Suspension =
        Point < Points.size() ? &Points[Point] : nullptr;
    const VarDecl *Var = Which < Vars.size() ? Vars[Which] : nullptr;
    auto [It, Inserted] =
        Found.try_emplace(Which, UseAfterSuspension{Var, &Use, Suspension});
    if (!Inserted && Use.getBeginLoc() < It->second.Use->getBeginLoc())
      It->second = {Var, &Use, Suspension};
  }

  const FunctionAnalysis &F;
  llvm::ArrayRef<const VarDecl *> Vars;
  llvm::ArrayRef<SuspensionPoint> Points;
  SuspensionFlowOptions Options;
  llvm::DenseMap<const Decl *, size_t> Index;
  llvm::DenseMap<const clang::Stmt *, size_t> Counted;
  llvm::DenseMap<size_t, UseAfterSuspension> Found;
};

} // namespace

std::vector<UseAfterSuspension>
findUsesAfterSuspension(const FunctionAnalysis &F,
                        llvm::ArrayRef<const VarDecl *> Vars,
                        llvm::function_ref<bool(const SuspensionPoint &)> Counts,
                        SuspensionFlowOptions Options) {
  const CFG *Graph = F.cfg();
  if (!Graph || (Vars.empty() && !Options.TrackThis))
    return {};
  UseFlow Flow(F, Vars, Counts, Options);
  runForward(*Graph, Flow,
             [&](const CFGElement &E, const UseFlow::State &S,
                 const CFGBlock &Block, unsigned Position) {
               Flow.visit(E, S, Block, Position);
             });
  return Flow.results();
}

} // namespace corotidy::model
