//===--- TaskFate.h - corotidy ---------------------------------*- C++ -*-===//
//
// Who owns a task and when it is finished. A task is an object: whoever holds
// it decides when its coroutine runs. Its fate follows ownership: consumed in
// the full-expression that makes it, held by locals and run where they await
// or join it, moved into another object (a combinator's result, a wrapper, a
// container, a handle) whose fate it then shares, or kept beyond the
// function (returned, stored elsewhere, detached). What a callee does with a
// task it receives is read from its body when this translation unit has it
// (library combinators are header templates); only invisible callees fall
// back to the caller's policy and then to their result type.
//
// Also: how long each object a task borrows lives.
//
//===----------------------------------------------------------------------===//

#ifndef COROTIDY_MODEL_TASKFATE_H
#define COROTIDY_MODEL_TASKFATE_H

#include "model/Borrows.h"
#include "model/Model.h"
#include "llvm/ADT/SmallVector.h"

namespace corotidy::model {

/// What the caller's options say about callees whose bodies decide nothing
/// (not visible here, or too deep). Its address identifies it: callee
/// summaries computed under it are kept for the translation unit.
class TaskPolicy {
public:
  virtual ~TaskPolicy() = default;
  /// Runs every task argument to completion before the call's own result is
  /// done with (`when_all`, `sync_wait`).
  virtual bool isStructured(const clang::FunctionDecl &Callee) const = 0;
  /// Runs a task argument, or the task the callee or method makes of it,
  /// detached (`co_spawn`, `start_detached`, `Task::detach`).
  virtual bool isDetaching(const clang::FunctionDecl &Callee) const = 0;
};

/// Where the task an expression produces ends up.
struct TaskFate {
  enum Kind {
    Consumed, ///< Done with within its full-expression (awaited, yielded, or
              ///< run to completion by the call it is given to).
    Joined,   ///< Held by locals and run at the latest at one of Runs.
    Dropped,  ///< Held by locals and destroyed without being run.
    Escapes,  ///< Kept beyond the function: returned, stored elsewhere,
              ///< detached, or given to a callee that may keep it.
    Discarded, ///< Destroyed at the end of its full-expression.
    Unknown,
  };
  Kind K = Unknown;
  /// Joined: where it may run (awaits, joins, calls that may run it). An
  /// eagerly started task may also run until its last holder dies (Scope).
  llvm::SmallVector<const clang::Stmt *, 2> Runs;
  /// Joined, Dropped: the statement at whose end the last holder dies.
  const clang::Stmt *Scope = nullptr;
  /// Where it escapes, or is first stored.
  clang::SourceLocation Evidence;
  /// Escapes into something that runs it detached.
  bool Detached = false;
  /// Escapes by being returned from the function.
  bool Returned = false;
  /// Held by the range of a range-based `for` whose temporaries live as long
  /// as the loop (C++23): a temporary argument is still alive when it runs.
  bool TemporariesExtended = false;

  /// The call that was judged to keep, detach or run the task, and how.
  enum Reason {
    NoCall,     ///< Nothing was decided by a call.
    Body,       ///< From the callee's body.
    ResultType, ///< Its body is not visible; its result owns the task.
    Option,     ///< StructuredCallees or DetachingCallees name it.
    NotVisible, ///< Its body is not visible and nothing says what it does.
  };
  const clang::CallExpr *Decider = nullptr;
  Reason DecidedBy = NoCall;
};

/// Where the task produced by \p Task, an expression of \p Where's body,
/// ends up.
TaskFate fateOfTask(const clang::Expr &Task, const FunctionAnalysis &Where,
                    const TaskPolicy &Policy);

/// How long what an argument refers to lives.
struct ArgLifetime {
  enum Kind {
    Temporary, ///< A temporary of the caller's full-expression.
    Local,     ///< A local or parameter of the caller: lives until Scope ends.
    Unknown,   ///< Static storage, a member, or not known: assumed to outlive.
  };
  Kind K = Unknown;
  const clang::VarDecl *Var = nullptr;
  const clang::Stmt *Scope = nullptr;
};

/// What a borrowing parameter of type \p ParamType refers to when \p Arg is
/// passed to it: the object a reference binds, a pointer's `&x`, the
/// string or container a view is made from.
ArgLifetime lifetimeOfBorrowedArgument(const clang::Expr &Arg,
                                       clang::QualType ParamType, Model &M,
                                       const ViewPolicy &Views);

/// What the object expression of a member call (or the closure of a lambda
/// call) is: a temporary, a local object, or unknown.
ArgLifetime lifetimeOfObject(const clang::Expr &Object, Model &M);

/// The lifetime of a local variable or parameter: until its scope ends.
/// A structured binding lives as long as the object it decomposes.
ArgLifetime lifetimeOfVariable(const clang::ValueDecl &Var, Model &M);

/// Whether what \p Arg refers to may be destroyed while a task with \p Fate
/// may still run.
/// A task runs once: when one of its runs lies in straight-line code of the
/// argument's scope after it was stored (no branch, loop or lambda in
/// between), it has run there, and later runs find it done. \p F is the
/// function the task's fate was computed in.
bool diesBeforeTaskFinishes(const ArgLifetime &Arg, const TaskFate &Fate,
                            const FunctionAnalysis &F);

/// Whether \p Scope, after \p After, waits until work detached before it
/// is done: a blocking call (an event loop's run, a join, a structured
/// callee), a loop that only waits (`while (!done) yield();`), or a wait on
/// (or an await of) an object the detached work shares (\p Shared: what it
/// borrows, captured by reference, or was spawned on). Names, not bodies:
/// `run`, `join`, `shutdown`, `sync_wait`...; `wait`, `get`, `acquire`...
bool blocksUntilDoneAfter(const clang::Stmt *Scope, clang::SourceLocation After,
                          llvm::ArrayRef<const clang::ValueDecl *> Shared,
                          const TaskPolicy &Callees, const FunctionAnalysis &F);

} // namespace corotidy::model

#endif // COROTIDY_MODEL_TASKFATE_H
