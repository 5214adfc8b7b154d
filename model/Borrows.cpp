//===--- Borrows.cpp - corotidy --------------------------------*- C++ -*-===//

#include "model/Borrows.h"
#include "model/SuspensionFlow.h"
#include "clang/AST/DeclCXX.h"
#include "clang/AST/ExprCXX.h"

using namespace clang;

namespace corotidy::model {

const BorrowAtRisk *BorrowSummary::parameter(const ParmVarDecl *P) const {
  for (const BorrowAtRisk &B : AtRisk)
    if (B.K == BorrowAtRisk::Parameter && B.Decl == P)
      return &B;
  return nullptr;
}

const BorrowAtRisk *BorrowSummary::implicitObject() const {
  for (const BorrowAtRisk &B : AtRisk)
    if (B.K == BorrowAtRisk::ImplicitObject)
      return &B;
  return nullptr;
}

const BorrowAtRisk *BorrowSummary::closure() const {
  for (const BorrowAtRisk &B : AtRisk)
    if (B.K == BorrowAtRisk::Closure)
      return &B;
  return nullptr;
}

bool isViewType(QualType T, const ViewPolicy &Views) {
  const CXXRecordDecl *RD = T.isNull() ? nullptr : T->getAsCXXRecordDecl();
  if (!RD)
    return false;
  return isNamed(RD, "::std::basic_string_view") || isNamed(RD, "::std::span") ||
         Views.isExtraView(*RD);
}

bool isBorrowingType(QualType T, const ViewPolicy &Views) {
  // A function lives as long as the program: a reference or pointer to one
  // (`void (&)()` forwarded to a template) borrows nothing that can die.
  if ((T->isReferenceType() || T->isPointerType()) &&
      T->getPointeeType()->isFunctionType())
    return false;
  return T->isReferenceType() || T->isPointerType() || isViewType(T, Views);
}

static bool isLambdaCallOperator(const FunctionDecl &Fn) {
  const auto *Method = dyn_cast<CXXMethodDecl>(&Fn);
  return Method && Method->getParent()->isLambda();
}

// The closure reaches the frame by copy when the lambda takes its explicit
// object parameter by value.
static bool closureCopiedIntoFrame(const FunctionDecl &Fn) {
  const auto *Method = dyn_cast<CXXMethodDecl>(&Fn);
  return Method && Method->isExplicitObjectMemberFunction() &&
         !Method->getParamDecl(0)->getType()->isReferenceType();
}

static void summarizeDeclarationOnly(const FunctionDecl &Fn,
                                     const ViewPolicy &Views,
                                     BorrowSummary &Summary) {
  if (Summary.Start == StartMode::Eager)
    return; // Unknown which borrows it uses after its first suspension.
  // A task taken by reference is usually taken over (moved from) by a
  // function that is not a coroutine at all: without the body, that is
  // not counted as a borrow.
  for (const ParmVarDecl *P : Fn.parameters())
    if (isBorrowingType(P->getType(), Views) &&
        !(P->getType()->isReferenceType() &&
          (isCoroutineReturnType(P->getType().getNonReferenceType(),
                                 Fn.getASTContext()) ||
           isAwaitableType(P->getType().getNonReferenceType()))))
      Summary.AtRisk.push_back({BorrowAtRisk::Parameter, P});
  if (const auto *Method = dyn_cast<CXXMethodDecl>(&Fn);
      Method && Method->isImplicitObjectMemberFunction() &&
      !isLambdaCallOperator(Fn))
    Summary.AtRisk.push_back({BorrowAtRisk::ImplicitObject});
}

static BorrowSummary summarize(const FunctionDecl &Fn, Model &M,
                               const ViewPolicy &Views) {
  BorrowSummary Summary;
  Summary.Start = getStartMode(Fn.getReturnType(), M.context());
  const FunctionAnalysis *F = M.function(Fn);
  if (!F || !F->isCoroutine()) {
    // A wrapper that returns another coroutine's task borrows nothing itself.
    if (!F)
      summarizeDeclarationOnly(Fn, Views, Summary);
    return Summary;
  }
  const FunctionDecl &Def = F->function();
  Summary.Start = F->startMode();
  Summary.BodyVisible = true;

  SuspensionFlowOptions Options;
  Options.StartsLazily = Summary.Start != StartMode::Eager;
  auto RealSuspension = [](const SuspensionPoint &) { return true; };

  llvm::SmallVector<const VarDecl *, 8> Borrowed;
  for (const ParmVarDecl *P : Def.parameters())
    if (isBorrowingType(P->getType(), Views))
      Borrowed.push_back(P);
  const auto *Method = dyn_cast<CXXMethodDecl>(&Def);
  bool IsLambda = isLambdaCallOperator(Def);
  Options.TrackThis = Method && Method->isImplicitObjectMemberFunction() && !IsLambda;
  for (const UseAfterSuspension &Use :
       findUsesAfterSuspension(*F, Borrowed, RealSuspension, Options)) {
    if (Use.Var)
      Summary.AtRisk.push_back(
          {BorrowAtRisk::Parameter, Use.Var, Use.Use, Use.Suspension});
    else
      Summary.AtRisk.push_back(
          {BorrowAtRisk::ImplicitObject, nullptr, Use.Use, Use.Suspension});
  }

  if (IsLambda && !closureCopiedIntoFrame(Def)) {
    llvm::SmallVector<const VarDecl *, 8> Captured;
    for (const LambdaCapture &Capture : Method->getParent()->captures())
      if (Capture.capturesVariable())
        if (const auto *Var = dyn_cast<VarDecl>(Capture.getCapturedVar()))
          Captured.push_back(Var);
    SuspensionFlowOptions CaptureOptions = Options;
    CaptureOptions.TrackThis =
        llvm::any_of(Method->getParent()->captures(),
                     [](const LambdaCapture &C) { return C.capturesThis(); });
    const UseAfterSuspension *First = nullptr;
    auto Uses = findUsesAfterSuspension(*F, Captured, RealSuspension, CaptureOptions);
    // The first captured variable used, else a use of the captured `this`.
    for (const UseAfterSuspension &Use : Uses)
      if (Use.Var && (!First || Use.Use->getBeginLoc() < First->Use->getBeginLoc()))
        First = &Use;
    for (const UseAfterSuspension &Use : Uses)
      if (!First && !Use.Var)
        First = &Use;
    if (First)
      Summary.AtRisk.push_back(
          {BorrowAtRisk::Closure, First->Var, First->Use, First->Suspension});
  }
  return Summary;
}

const BorrowSummary &borrowsOf(const FunctionDecl &Fn, Model &M,
                               const ViewPolicy &Views) {
  return M.remember<BorrowSummary>(&Views, Fn.getCanonicalDecl(),
                                   [&] { return summarize(Fn, M, Views); });
}

} // namespace corotidy::model
