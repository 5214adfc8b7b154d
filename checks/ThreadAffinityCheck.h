//===--- ThreadAffinityCheck.h - corotidy ----------------------*- C++ -*-===//

#ifndef COROTIDY_CHECKS_THREADAFFINITYCHECK_H
#define COROTIDY_CHECKS_THREADAFFINITYCHECK_H

#include "checks/CoroCheck.h"
#include "checks/RegexList.h"
#include "model/Model.h"

namespace clang::tidy::coro {

/// Finds state that a coroutine carries across a suspension point and that
/// breaks when it resumes on another thread: held locks, references into
/// `thread_local` objects, remembered thread identities, thread-affine
/// objects, and references to the frame handed to detached threads.
///
/// For the user-facing documentation see:
/// docs/checks/coro-thread-affinity.md
class ThreadAffinityCheck : public FunctionCheck {
public:
  ThreadAffinityCheck(StringRef Name, ClangTidyContext *Context);
  void storeOptions(ClangTidyOptions::OptionMap &Opts) override;
  void registerMatchers(ast_matchers::MatchFinder *Finder) override;

private:
  void analyse(const FunctionDecl &Fn, ASTContext &Ctx) override;
  enum class ResumeMode { Any, Hopping };
  using SuspensionPoint = corotidy::model::SuspensionPoint;
  using FunctionAnalysis = corotidy::model::FunctionAnalysis;

  bool hopsThreads(const SuspensionPoint &Point) const;
  bool movesThreads(const SuspensionPoint &Point) const;
  bool isSafeAwaitable(const Expr *Operand) const;
  bool isLockGuard(const VarDecl &Var) const;
  bool isMutex(const Expr &Object) const;
  bool isThreadAffine(QualType T) const;

  void checkHeldResources(const FunctionAnalysis &F);
  void checkThreadLocalReferences(const FunctionAnalysis &F);
  void checkThreadIdentities(const FunctionAnalysis &F);
  void checkThreadAffineReferences(const FunctionAnalysis &F);
  void checkThreadSpawns(const FunctionAnalysis &F);
  void noteSuspension(const SuspensionPoint *Point);

  const std::string LockTypesText;
  const std::string MutexTypesText;
  const std::string ThreadIdentityFunctionsText;
  const std::string ThreadAffineTypesText;
  const std::string ThreadSpawningCalleesText;
  const std::string ThreadHoppingAwaitablesText;
  const std::string SafeAwaitablesText;
  const ResumeMode ResumeThread;
  const RegexList LockTypes;
  const RegexList MutexTypes;
  const RegexList ThreadIdentityFunctions;
  const RegexList ThreadAffineTypes;
  const RegexList ThreadSpawningCallees;
  const RegexList ThreadHoppingAwaitables;
  const RegexList SafeAwaitables;
};

} // namespace clang::tidy::coro

#endif // COROTIDY_CHECKS_THREADAFFINITYCHECK_H
