//===--- TaskFate.cpp - corotidy -------------------------------*- C++ -*-===//

#include "model/TaskFate.h"
#include "clang/AST/DeclCXX.h"
#include "clang/AST/ExprCXX.h"
#include "clang/AST/StmtCXX.h"
#include "clang/Basic/SourceManager.h"

using namespace clang;

namespace corotidy::model {

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

class Fates {
public:
  Fates(const FunctionAnalysis &F, const TaskCallees &Callees)
      : F(F), Callees(Callees), SM(F.context().getSourceManager()) {}

  TaskFate from(const Expr &Start, int Depth) {
    if (Depth > 4)
      return {};
    if (F.isConsumedInFullExpression(Start))
      return {TaskFate::Consumed, nullptr, {}, false};
    FunctionAnalysis::User U = F.userOf(Start);
    if (U.Initialized)
      return ofHolder(*U.Initialized, Depth);
    const Stmt *P = U.S;
    const Expr *Cur = U.Child;
    if (!P)
      return {};
    if (isa<ReturnStmt, CoreturnStmt>(P))
      return {TaskFate::Escapes, nullptr, P->getBeginLoc()};
    if (!isa<Expr>(P))
      return {TaskFate::Discarded, nullptr, Cur->getBeginLoc()};
    if (const auto *Assign = dyn_cast<BinaryOperator>(P);
        Assign && Assign->isAssignmentOp() && Assign->getRHS() == Cur)
      return assignedTo(Assign->getLHS(), *P);
    if (const auto *Assign = dyn_cast<CXXOperatorCallExpr>(P);
        Assign && Assign->getOperator() == OO_Equal && Assign->getNumArgs() == 2 &&
        Assign->getArg(1) == Cur)
      return assignedTo(Assign->getArg(0), *P);
    if (const auto *Call = dyn_cast<CallExpr>(P))
      return asArgument(*Call, *Cur, Depth);
    return {};
  }

private:
  TaskFate assignedTo(const Expr *Target, const Stmt &Where) {
    if (const VarDecl *Var = localObjectRoot(Target))
      return {TaskFate::HeldInScope, F.scopeOf(*Var), Where.getBeginLoc()};
    return {TaskFate::Escapes, nullptr, Where.getBeginLoc()};
  }

  // A task held by a local variable: held until the variable's scope ends,
  // unless a later use moves it somewhere that keeps it longer.
  TaskFate ofHolder(const VarDecl &Holder, int Depth) {
    if (!Holder.hasLocalStorage() || Holder.getType()->isReferenceType())
      return {TaskFate::Escapes, nullptr, Holder.getLocation()};
    TaskFate Fate{TaskFate::HeldInScope, F.scopeOf(Holder), Holder.getLocation()};
    const Stmt *Scope = Fate.Scope;
    if (!Scope)
      return {};
    llvm::SmallVector<const Stmt *, 16> Work = {Scope};
    while (!Work.empty()) {
      const Stmt *S = Work.pop_back_val();
      if (!S)
        continue;
      if (const auto *Ref = dyn_cast<DeclRefExpr>(S);
          Ref && Ref->getDecl() == &Holder) {
        TaskFate Later = from(*Ref, Depth + 1);
        if (Later.K == TaskFate::Escapes)
          return Later;
        if (Later.K == TaskFate::HeldInScope && Later.Scope &&
            !SM.isPointWithin(Later.Scope->getBeginLoc(), Scope->getBeginLoc(),
                              Scope->getEndLoc()))
          Fate = Later; // Moved into something that lives longer.
        continue;
      }
      for (const Stmt *Child : S->children())
        Work.push_back(Child);
    }
    return Fate;
  }

  // The task is an argument of \p Call.
  TaskFate asArgument(const CallExpr &Call, const Expr &Arg, int Depth) {
    const FunctionDecl *Callee = Call.getDirectCallee();
    if (!Callee)
      return {TaskFate::Escapes, nullptr, Call.getBeginLoc()};
    if (Callees.IsDetaching(*Callee)) {
      TaskFate Fate{TaskFate::Escapes, nullptr, Call.getBeginLoc()};
      Fate.Detached = true;
      return Fate;
    }
    if (Callees.IsStructured(*Callee)) {
      QualType Result = Call.getType();
      if (isCoroutineReturnType(Result, F.context()) || isAwaitableType(Result))
        return from(Call, Depth + 1);
      return {TaskFate::Consumed, nullptr, {}, false};
    }
    // The task is the object of a call on it (`task.start()`): unknown.
    if (const Expr *Object = objectArgument(Call);
        Object && strip(Object) == strip(&Arg))
      return {};
    if (const auto *Member = dyn_cast<CXXMemberCallExpr>(&Call))
      if (const CXXMethodDecl *Method = Member->getMethodDecl();
          Method && isContainerInsertion(*Method)) {
        if (const VarDecl *Container =
                localObjectRoot(Member->getImplicitObjectArgument()))
          return {TaskFate::HeldInScope, F.scopeOf(*Container),
                  Call.getBeginLoc()};
        return {TaskFate::Escapes, nullptr, Call.getBeginLoc()};
      }
    // A callee taking the task by value or by rvalue reference may keep it;
    // by lvalue reference it only uses it.
    const ParmVarDecl *Param = parameterOf(Call, Arg);
    if (Param && Param->getType()->isLValueReferenceType())
      return {TaskFate::Consumed, nullptr, {}, false};
    return {TaskFate::Escapes, nullptr, Call.getBeginLoc()};
  }

  const FunctionAnalysis &F;
  const TaskCallees &Callees;
  const SourceManager &SM;
};

// The object a borrowed expression denotes: a temporary, a local object, or
// something that outlives the caller as far as we can tell.
ArgLifetime lifetimeOfReferent(const Expr *E, Model &M) {
  if (!E)
    return {};
  E = E->IgnoreParenImpCasts();
  if (isa<MaterializeTemporaryExpr, CXXBindTemporaryExpr, CXXTemporaryObjectExpr,
          LambdaExpr>(E) ||
      (E->isPRValue() && E->getType()->isRecordType()))
    return {ArgLifetime::Temporary};
  if (const VarDecl *Var = localObjectRoot(E))
    return lifetimeOfVariable(*Var, M);
  return {};
}

} // namespace

TaskFate fateOfTask(const Expr &Task, const FunctionAnalysis &Where,
                    const TaskCallees &Callees) {
  return Fates(Where, Callees).from(Task, 0);
}

ArgLifetime lifetimeOfVariable(const VarDecl &Var, Model &M) {
  if (!isLocalObject(Var))
    return {};
  const FunctionAnalysis *Owner = M.ownerOf(Var);
  return {ArgLifetime::Local, &Var, Owner ? Owner->scopeOf(Var) : nullptr};
}

ArgLifetime lifetimeOfObject(const Expr &Object, Model &M) {
  if (isa<CXXThisExpr>(Object.IgnoreParenImpCasts()))
    return {};
  return lifetimeOfReferent(&Object, M);
}

ArgLifetime lifetimeOfBorrowedArgument(const Expr &Arg, QualType ParamType,
                                       Model &M, const ViewPolicy &Views) {
  const Expr *E = &Arg;
  if (const auto *Default = dyn_cast<CXXDefaultArgExpr>(E))
    E = Default->getExpr();
  E = E->IgnoreParenImpCasts();
  if (ParamType->isReferenceType())
    return lifetimeOfReferent(E, M);
  if (ParamType->isPointerType()) {
    if (const auto *AddrOf = dyn_cast<UnaryOperator>(E);
        AddrOf && AddrOf->getOpcode() == UO_AddrOf)
      return lifetimeOfReferent(AddrOf->getSubExpr(), M);
    if (const auto *Data = dyn_cast<CXXMemberCallExpr>(E))
      if (const CXXMethodDecl *Method = Data->getMethodDecl();
          Method && Method->getIdentifier() &&
          (Method->getName() == "data" || Method->getName() == "c_str"))
        return lifetimeOfReferent(Data->getImplicitObjectArgument(), M);
    return {};
  }
  if (!isViewType(ParamType, Views))
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
        Construct && isViewType(Construct->getType(), Views)) {
      if (Construct->getNumArgs() == 0)
        return {};
      const Expr *Source = Construct->getArg(0)->IgnoreParenImpCasts();
      if (isa<StringLiteral>(Source) || Source->getType()->isPointerType())
        return {};
      return lifetimeOfReferent(Source, M);
    }
    if (const auto *Conversion = dyn_cast<CXXMemberCallExpr>(E);
        Conversion && isa_and_nonnull<CXXConversionDecl>(Conversion->getMethodDecl()))
      return lifetimeOfReferent(Conversion->getImplicitObjectArgument(), M);
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

} // namespace corotidy::model
