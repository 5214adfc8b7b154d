//===--- ForwardDataflow.h - corotidy --------------------------*- C++ -*-===//
//
// The worklist solver behind corotidy's flow-sensitive analyses: a forward
// may-analysis over a CFG, run to a fixpoint.
//
//===----------------------------------------------------------------------===//

#ifndef COROTIDY_CHECKS_FORWARDDATAFLOW_H
#define COROTIDY_CHECKS_FORWARDDATAFLOW_H

#include "clang/Analysis/CFG.h"
#include "llvm/ADT/DenseMap.h"
#include "llvm/ADT/SmallVector.h"

namespace clang::tidy::coro {

/// The state on entry to every block reachable from the entry of \p Graph.
/// \p Transfer(Block, State&) runs a block; \p AlongEdge(Block, SuccIndex,
/// State&) refines the state sent to one successor (e.g. the two sides of a
/// branch); \p Join(Into, From) merges two states into \p Into. States must
/// be comparable with `!=` and the analysis monotone.
template <class State, class TransferFn, class EdgeFn, class JoinFn>
llvm::DenseMap<const CFGBlock *, State>
solveForward(const CFG &Graph, State Entry, TransferFn Transfer,
             EdgeFn AlongEdge, JoinFn Join) {
  llvm::DenseMap<const CFGBlock *, State> In;
  const CFGBlock &Start = Graph.getEntry();
  In[&Start] = std::move(Entry);
  llvm::SmallVector<const CFGBlock *, 16> Work = {&Start};
  while (!Work.empty()) {
    const CFGBlock *Block = Work.pop_back_val();
    State Out = In[Block];
    Transfer(*Block, Out);
    unsigned Edge = 0;
    for (const CFGBlock *Succ : Block->succs()) {
      unsigned ThisEdge = Edge++;
      if (!Succ)
        continue;
      State Along = Out;
      AlongEdge(*Block, ThisEdge, Along);
      auto [It, Inserted] = In.try_emplace(Succ, Along);
      if (Inserted) {
        Work.push_back(Succ);
        continue;
      }
      State Before = It->second;
      Join(It->second, Along);
      if (It->second != Before)
        Work.push_back(Succ);
    }
  }
  return In;
}

} // namespace clang::tidy::coro

#endif // COROTIDY_CHECKS_FORWARDDATAFLOW_H
