//===--- Dataflow.h - corotidy ---------------------------------*- C++ -*-===//
//
// The one solver behind corotidy's flow-sensitive analyses: a forward
// analysis over a CFG, run to a fixpoint with a reverse-post-order worklist,
// then a single visit of every element with the state that holds before it
// (the shape of clang's FlowSensitive framework: solve once, then let one
// visitor read the solution instead of re-running each analysis by hand).
//
//===----------------------------------------------------------------------===//

#ifndef COROTIDY_MODEL_DATAFLOW_H
#define COROTIDY_MODEL_DATAFLOW_H

#include "clang/Analysis/Analyses/PostOrderCFGView.h"
#include "clang/Analysis/CFG.h"
#include "clang/Analysis/FlowSensitive/DataflowWorklist.h"
#include "llvm/ADT/DenseMap.h"

namespace corotidy::model {

/// What an analysis provides (a class, used through templates):
///
///   using State = ...;  // copyable; `==` compares; the lattice element
///   State entry();      // the state at the function's entry
///   void transfer(const clang::CFGElement &, State &);  // one element
///   void refine(const clang::CFGBlock &From, unsigned SuccIndex, State &);
///                       // the state sent along one edge (a branch's side)
///   void join(State &Into, const State &From);  // least upper bound
///
/// `transfer` and `join` must be monotone, so the fixpoint exists and the
/// worklist terminates.
template <class Analysis>
using BlockStates = llvm::DenseMap<const clang::CFGBlock *, typename Analysis::State>;

/// The state on entry to every block reachable from the entry of \p Graph.
template <class Analysis>
BlockStates<Analysis> solveForward(const clang::CFG &Graph, Analysis &A) {
  using State = typename Analysis::State;
  BlockStates<Analysis> In;
  clang::PostOrderCFGView Order(&Graph);
  clang::ForwardDataflowWorklist Work(Graph, &Order);
  const clang::CFGBlock &Entry = Graph.getEntry();
  In.try_emplace(&Entry, A.entry());
  Work.enqueueBlock(&Entry);
  while (const clang::CFGBlock *Block = Work.dequeue()) {
    State Out = In.find(Block)->second;
    for (const clang::CFGElement &Element : *Block)
      A.transfer(Element, Out);
    unsigned Index = 0;
    for (const clang::CFGBlock *Succ : Block->succs()) {
      unsigned ThisEdge = Index++;
      if (!Succ)
        continue;
      State Along = Out;
      A.refine(*Block, ThisEdge, Along);
      auto [It, Inserted] = In.try_emplace(Succ, Along);
      if (Inserted) {
        Work.enqueueBlock(Succ);
        continue;
      }
      State Before = It->second;
      A.join(It->second, Along);
      if (!(It->second == Before))
        Work.enqueueBlock(Succ);
    }
  }
  return In;
}

/// After the fixpoint: calls \p Visit(Element, StateBefore, Block, Index)
/// once for every element of every reachable block (Index is the element's
/// position in Block), in reverse post-order of the blocks.
template <class Analysis, class VisitFn>
void visitSolution(const clang::CFG &Graph, Analysis &A,
                   const BlockStates<Analysis> &In, VisitFn Visit) {
  clang::PostOrderCFGView Order(&Graph);
  for (const clang::CFGBlock *Block : Order) {
    auto It = In.find(Block);
    if (It == In.end())
      continue; // Unreachable.
    typename Analysis::State S = It->second;
    unsigned Index = 0;
    for (const clang::CFGElement &Element : *Block) {
      Visit(Element, static_cast<const typename Analysis::State &>(S), *Block,
            Index++);
      A.transfer(Element, S);
    }
  }
}

/// solveForward() and then visitSolution().
template <class Analysis, class VisitFn>
void runForward(const clang::CFG &Graph, Analysis &A, VisitFn Visit) {
  BlockStates<Analysis> In = solveForward(Graph, A);
  visitSolution(Graph, A, In, Visit);
}

} // namespace corotidy::model

#endif // COROTIDY_MODEL_DATAFLOW_H
