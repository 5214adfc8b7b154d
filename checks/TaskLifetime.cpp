//===--- TaskLifetime.cpp - corotidy ---------------------------*- C++ -*-===//

#include "checks/TaskLifetime.h"
#include "checks/CoroutineBorrows.h"
#include "checks/CoroutineModel.h"
#include "clang/AST/DeclCXX.h"
#include "clang/AST/ExprCXX.h"
#include "clang/AST/ParentMapContext.h"
#include "clang/AST/StmtCXX.h"
#include "clang/Basic/SourceManager.h"

namespace clang::tidy::coro {

namespace {

// Containers that keep what is put into them.
bool isContainerInsertion(const CXXMethodDecl &Method) {
  if (!Method.getIdentifier())
    return false;
  StringRef Name = Method.getName();
  return Name == "push_back" || Name == "emplace_back" || Name == "push" ||
         Name == "emplace" || Name == "insert" || Name == "push_front" ||
         Name == "emplace_front" || Name == "append" || Name == "add";
}

bool isTransparentWrapper(const Stmt &S) {
  if (isa<ImplicitCastExpr, MaterializeTemporaryExpr, CXXBindTemporaryExpr,
          ParenExpr, ExprWithCleanups, CXXFunctionalCastExpr,
          CXXStaticCastExpr>(S))
    return true;
  if (const auto *Construct = dyn_cast<CXXConstructExpr>(&S))
    return Construct->getNumArgs() == 1 &&
           Construct->getConstructor()->isCopyOrMoveConstructor();
  if (const auto *Call = dyn_cast<CallExpr>(&S))
    return isStdMoveOrForward(*Call);
  return false;
}

// The statement whose end destroys a local variable.
const Stmt *scopeOf(const VarDecl &Var, ASTContext &Ctx) {
  if (const auto *Param = dyn_cast<ParmVarDecl>(&Var)) {
    const auto *Fn = dyn_cast_or_null<FunctionDecl>(Param->getDeclContext());
    return Fn ? Fn->getBody() : nullptr;
  }
  DynTypedNode Node = DynTypedNode::create(Var);
  for (int Depth = 0; Depth < 64; ++Depth) {
    auto Parents = Ctx.getParents(Node);
    if (Parents.empty())
      return nullptr;
    Node = Parents[0];
    const auto *S = Node.get<Stmt>();
    if (!S)
      continue;
    if (isa<CompoundStmt, ForStmt, CXXForRangeStmt, IfStmt, WhileStmt,
            SwitchStmt, CoroutineBodyStmt>(S))
      return S;
  }
  return nullptr;
}

bool isLocalObject(const VarDecl &Var) {
  return Var.hasLocalStorage() && !Var.getType()->isReferenceType();
}

const VarDecl *localObjectRoot(const Expr *E) {
  while (E) {
    E = E->IgnoreParenImpCasts();
    if (const auto *Ref = dyn_cast<DeclRefExpr>(E)) {
      const auto *Var = dyn_cast<VarDecl>(Ref->getDecl());
      return Var && isLocalObject(*Var) ? Var : nullptr;
    }
    if (const auto *Member = dyn_cast<MemberExpr>(E)) {
      if (Member->isArrow())
        return nullptr;
      E = Member->getBase();
    } else if (const auto *Subscript = dyn_cast<ArraySubscriptExpr>(E)) {
      if (!Subscript->getBase()->IgnoreParenImpCasts()->getType()->isArrayType())
        return nullptr;
      E = Subscript->getBase();
    } else {
      return nullptr;
    }
  }
  return nullptr;
}

TaskFate fateFrom(const Expr &Start, ASTContext &Ctx, const TaskCallees &Callees,
                  int Depth);

// A task held by a local variable: held until the variable's scope ends,
// unless a later use moves it somewhere that keeps it longer.
TaskFate fateOfHolder(const VarDecl &Holder, ASTContext &Ctx,
                      const TaskCallees &Callees, int Depth) {
  if (!Holder.hasLocalStorage() || Holder.getType()->isReferenceType())
    return {TaskFate::Escapes, nullptr, Holder.getLocation()};
  TaskFate Fate{TaskFate::HeldInScope, scopeOf(Holder, Ctx), Holder.getLocation()};
  const Stmt *Scope = Fate.Scope;
  if (!Scope)
    return {};
  const SourceManager &SM = Ctx.getSourceManager();
  llvm::SmallVector<const Stmt *, 16> Work = {Scope};
  while (!Work.empty()) {
    const Stmt *S = Work.pop_back_val();
    if (!S)
      continue;
    if (const auto *Ref = dyn_cast<DeclRefExpr>(S); Ref && Ref->getDecl() == &Holder) {
      TaskFate Later = fateFrom(*Ref, Ctx, Callees, Depth + 1);
      if (Later.K == TaskFate::Escapes)
        return Later;
      if (Later.K == TaskFate::HeldInScope && Later.Scope &&
          !SM.isPointWithin(Later.Scope->getBeginLoc(), Fate.Scope->getBeginLoc(),
                            Fate.Scope->getEndLoc()))
        Fate = Later; // Moved into something that lives longer.
      continue;
    }
    for (const Stmt *Child : S->children())
      Work.push_back(Child);
  }
  return Fate;
}

// The task is an argument of \p Call.
TaskFate fateAsArgument(const CallExpr &Call, const Expr &Arg, ASTContext &Ctx,
                        const TaskCallees &Callees, int Depth) {
  const FunctionDecl *Callee = Call.getDirectCallee();
  if (!Callee)
    return {TaskFate::Escapes, nullptr, Call.getBeginLoc()};
  std::string Name = qualifiedNameForMatching(*Callee);
  if (Callees.Detaching.matches(Name)) {
    TaskFate Fate{TaskFate::Escapes, nullptr, Call.getBeginLoc()};
    Fate.Detached = true;
    return Fate;
  }
  if (Callees.Structured.matches(Name)) {
    QualType Result = Call.getType();
    if (isCoroutineReturnType(Result, Ctx) || isAwaitableType(Result))
      return fateFrom(Call, Ctx, Callees, Depth + 1);
    return {TaskFate::Consumed, nullptr, {}, false};
  }
  // The task is the object of a call on it (`task.start()`): unknown.
  if (const auto *Member = dyn_cast<CXXMemberCallExpr>(&Call)) {
    if (Member->getImplicitObjectArgument() &&
        Member->getImplicitObjectArgument()->IgnoreParenImpCasts() ==
            Arg.IgnoreParenImpCasts())
      return {};
    if (const CXXMethodDecl *Method = Member->getMethodDecl();
        Method && isContainerInsertion(*Method)) {
      const VarDecl *Container =
          localObjectRoot(Member->getImplicitObjectArgument());
      if (Container)
        return {TaskFate::HeldInScope, scopeOf(*Container, Ctx),
                Call.getBeginLoc()};
      return {TaskFate::Escapes, nullptr, Call.getBeginLoc()};
    }
  }
  // Find the parameter: a callee taking the task by value or by rvalue
  // reference may keep it; by lvalue reference it only uses it.
  unsigned Index = 0;
  for (; Index < Call.getNumArgs(); ++Index)
    if (Call.getArg(Index) == &Arg)
      break;
  unsigned Offset = isa<CXXOperatorCallExpr>(Call) && isa<CXXMethodDecl>(Callee) &&
                            cast<CXXMethodDecl>(Callee)->isImplicitObjectMemberFunction()
                        ? 1
                        : 0;
  if (Index >= Call.getNumArgs() || Index < Offset ||
      Index - Offset >= Callee->getNumParams())
    return {TaskFate::Escapes, nullptr, Call.getBeginLoc()};
  QualType Param = Callee->getParamDecl(Index - Offset)->getType();
  if (Param->isLValueReferenceType())
    return {TaskFate::Consumed, nullptr, {}, false};
  return {TaskFate::Escapes, nullptr, Call.getBeginLoc()};
}

TaskFate fateFrom(const Expr &Start, ASTContext &Ctx, const TaskCallees &Callees,
                  int Depth) {
  if (Depth > 4)
    return {};
  const Expr *Cur = &Start;
  while (true) {
    auto Parents = Ctx.getParents(*Cur);
    if (Parents.empty())
      return {};
    // An awaited operand also appears inside the awaiter expression, so it
    // can have two parents: the co_await is the one that matters.
    for (const DynTypedNode &Parent : Parents)
      if (isa_and_nonnull<CoawaitExpr, DependentCoawaitExpr, CoyieldExpr>(
              Parent.get<Stmt>()))
        return {TaskFate::Consumed, nullptr, {}, false};
    const DynTypedNode &Parent = Parents[0];
    if (const auto *Var = Parent.get<VarDecl>())
      return fateOfHolder(*Var, Ctx, Callees, Depth);
    const auto *P = Parent.get<Stmt>();
    if (!P)
      return {};
    if (isa<ReturnStmt, CoreturnStmt>(P))
      return {TaskFate::Escapes, nullptr, P->getBeginLoc()};
    if (isa<CompoundStmt>(P))
      return {TaskFate::Discarded, nullptr, Cur->getBeginLoc()};
    if (isTransparentWrapper(*P)) {
      Cur = cast<Expr>(P);
      continue;
    }
    if (const auto *Assign = dyn_cast<BinaryOperator>(P);
        Assign && Assign->isAssignmentOp() && Assign->getRHS() == Cur) {
      if (const VarDecl *Var = localObjectRoot(Assign->getLHS()))
        return {TaskFate::HeldInScope, scopeOf(*Var, Ctx), P->getBeginLoc()};
      return {TaskFate::Escapes, nullptr, P->getBeginLoc()};
    }
    if (const auto *Assign = dyn_cast<CXXOperatorCallExpr>(P);
        Assign && Assign->getOperator() == OO_Equal && Assign->getNumArgs() == 2 &&
        Assign->getArg(1) == Cur) {
      if (const VarDecl *Var = localObjectRoot(Assign->getArg(0)))
        return {TaskFate::HeldInScope, scopeOf(*Var, Ctx), P->getBeginLoc()};
      return {TaskFate::Escapes, nullptr, P->getBeginLoc()};
    }
    if (const auto *Call = dyn_cast<CallExpr>(P))
      return fateAsArgument(*Call, *Cur, Ctx, Callees, Depth);
    return {};
  }
}

// The object a borrowed expression denotes: a temporary, a local object, or
// something that outlives the caller as far as we can tell.
ArgLifetime lifetimeOfReferent(const Expr *E, ASTContext &Ctx) {
  if (!E)
    return {};
  E = E->IgnoreParenImpCasts();
  if (isa<MaterializeTemporaryExpr, CXXBindTemporaryExpr, CXXTemporaryObjectExpr,
          LambdaExpr>(E) ||
      (E->isPRValue() && E->getType()->isRecordType()))
    return {ArgLifetime::Temporary};
  if (const VarDecl *Var = localObjectRoot(E))
    return lifetimeOfVariable(*Var, Ctx);
  return {};
}

} // namespace

TaskFate fateOfTask(const Expr &Task, ASTContext &Ctx,
                    const TaskCallees &Callees) {
  return fateFrom(Task, Ctx, Callees, 0);
}

ArgLifetime lifetimeOfVariable(const VarDecl &Var, ASTContext &Ctx) {
  if (!isLocalObject(Var))
    return {};
  return {ArgLifetime::Local, &Var, scopeOf(Var, Ctx)};
}

ArgLifetime lifetimeOfObject(const Expr &Object, ASTContext &Ctx) {
  if (isa<CXXThisExpr>(Object.IgnoreParenImpCasts()))
    return {};
  return lifetimeOfReferent(&Object, Ctx);
}

ArgLifetime lifetimeOfBorrowedArgument(const Expr &Arg, QualType ParamType,
                                       ASTContext &Ctx,
                                       const RegexList &ViewTypes) {
  const Expr *E = &Arg;
  if (const auto *Default = dyn_cast<CXXDefaultArgExpr>(E))
    E = Default->getExpr();
  E = E->IgnoreParenImpCasts();
  if (ParamType->isReferenceType())
    return lifetimeOfReferent(E, Ctx);
  if (ParamType->isPointerType()) {
    if (const auto *AddrOf = dyn_cast<UnaryOperator>(E);
        AddrOf && AddrOf->getOpcode() == UO_AddrOf)
      return lifetimeOfReferent(AddrOf->getSubExpr(), Ctx);
    if (const auto *Data = dyn_cast<CXXMemberCallExpr>(E))
      if (const CXXMethodDecl *Method = Data->getMethodDecl();
          Method && Method->getIdentifier() &&
          (Method->getName() == "data" || Method->getName() == "c_str"))
        return lifetimeOfReferent(Data->getImplicitObjectArgument(), Ctx);
    return {};
  }
  if (!isViewType(ParamType, ViewTypes))
    return {};
  // A view is made from the object it looks into: through a converting
  // constructor or a conversion operator of that object.
  for (int Depth = 0; Depth < 4 && E; ++Depth) {
    E = E->IgnoreParenImpCasts();
    if (const auto *Temp = dyn_cast<MaterializeTemporaryExpr>(E)) {
      E = Temp->getSubExpr();
      continue;
    }
    if (const auto *Bind = dyn_cast<CXXBindTemporaryExpr>(E)) {
      E = Bind->getSubExpr();
      continue;
    }
    if (const auto *Construct = dyn_cast<CXXConstructExpr>(E);
        Construct && isViewType(Construct->getType(), ViewTypes)) {
      if (Construct->getNumArgs() == 0)
        return {};
      const Expr *Source = Construct->getArg(0)->IgnoreParenImpCasts();
      if (isa<StringLiteral>(Source) || Source->getType()->isPointerType())
        return {};
      return lifetimeOfReferent(Source, Ctx);
    }
    if (const auto *Conversion = dyn_cast<CXXMemberCallExpr>(E);
        Conversion && isa_and_nonnull<CXXConversionDecl>(Conversion->getMethodDecl()))
      return lifetimeOfReferent(Conversion->getImplicitObjectArgument(), Ctx);
    return {};
  }
  return {};
}

bool diesBeforeTaskFinishes(const ArgLifetime &Arg, const TaskFate &Fate,
                            const SourceManager &SM) {
  if (Fate.K != TaskFate::HeldInScope && Fate.K != TaskFate::Escapes)
    return false;
  switch (Arg.K) {
  case ArgLifetime::Temporary:
    return true;
  case ArgLifetime::Local:
    if (Fate.K == TaskFate::Escapes)
      return true;
    // Held by a local: fine while that local's scope lies inside the
    // argument's.
    return Arg.Scope && Fate.Scope &&
           !SM.isPointWithin(Fate.Scope->getBeginLoc(), Arg.Scope->getBeginLoc(),
                             Arg.Scope->getEndLoc());
  case ArgLifetime::Unknown:
    return false;
  }
  return false;
}

} // namespace clang::tidy::coro
