//===--- CoroutineBorrows.cpp - corotidy -----------------------*- C++ -*-===//

#include "checks/CoroutineBorrows.h"
#include "checks/SuspensionFlow.h"
#include "clang/AST/DeclCXX.h"
#include "clang/AST/ExprCXX.h"

namespace clang::tidy::coro {

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

bool isViewType(QualType T, const RegexList &ViewTypes) {
  const CXXRecordDecl *RD = T.isNull() ? nullptr : T->getAsCXXRecordDecl();
  if (!RD)
    return false;
  std::string Name = qualifiedNameForMatching(*RD);
  return Name == "::std::basic_string_view" || Name == "::std::span" ||
         ViewTypes.matches(Name);
}

bool isBorrowingType(QualType T, const RegexList &ViewTypes) {
  return T->isReferenceType() || T->isPointerType() || isViewType(T, ViewTypes);
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
                                     const RegexList &ViewTypes,
                                     BorrowSummary &Summary) {
  if (Summary.Start == StartMode::Eager)
    return; // Unknown which borrows it uses after its first suspension.
  for (const ParmVarDecl *P : Fn.parameters())
    if (isBorrowingType(P->getType(), ViewTypes))
      Summary.AtRisk.push_back({BorrowAtRisk::Parameter, P});
  if (const auto *Method = dyn_cast<CXXMethodDecl>(&Fn);
      Method && Method->isInstance() && !isLambdaCallOperator(Fn))
    Summary.AtRisk.push_back({BorrowAtRisk::ImplicitObject});
}

BorrowSummary summarizeBorrows(const FunctionDecl &Fn, ASTContext &Ctx,
                               const RegexList &ViewTypes) {
  BorrowSummary Summary;
  Summary.Start = getStartMode(Fn.getReturnType(), Ctx);
  const FunctionDecl *Def = nullptr;
  if (!Fn.hasBody(Def) || !getCoroutineBody(Def)) {
    // A wrapper that returns another coroutine's task borrows nothing itself.
    if (!Def)
      summarizeDeclarationOnly(Fn, ViewTypes, Summary);
    return Summary;
  }
  const CoroutineBodyStmt &Body = *getCoroutineBody(Def);
  StartMode Start = getStartMode(Body, Ctx);
  if (Start != StartMode::Unknown)
    Summary.Start = Start;
  Summary.BodyVisible = true;
  std::shared_ptr<CoroutineCFG> Graph = CoroutineCFG::build(Body, Def, Ctx);
  if (!Graph)
    return Summary;
  Summary.Graph = Graph;

  SuspensionFlowOptions Options;
  Options.StartsLazily = Summary.Start != StartMode::Eager;
  auto RealSuspension = [](const SuspensionPoint &) { return true; };

  llvm::SmallVector<const VarDecl *, 8> Borrowed;
  for (const ParmVarDecl *P : Def->parameters())
    if (isBorrowingType(P->getType(), ViewTypes))
      Borrowed.push_back(P);
  for (const UseAfterSuspension &Use :
       findUsesAfterSuspension(*Graph, Borrowed, RealSuspension, Options))
    Summary.AtRisk.push_back({BorrowAtRisk::Parameter, Use.Var, Use.Use,
                              Use.Suspension});

  const auto *Method = dyn_cast<CXXMethodDecl>(Def);
  bool IsLambda = isLambdaCallOperator(*Def);
  if (Method && Method->isInstance() && !IsLambda)
    if (auto This = findThisUseAfterSuspension(*Graph, RealSuspension, Options))
      Summary.AtRisk.push_back({BorrowAtRisk::ImplicitObject, nullptr,
                                This->Use, This->Suspension});

  if (IsLambda && !closureCopiedIntoFrame(*Def)) {
    llvm::SmallVector<const VarDecl *, 8> Captured;
    for (const LambdaCapture &Capture : Method->getParent()->captures())
      if (Capture.capturesVariable())
        if (const auto *Var = dyn_cast<VarDecl>(Capture.getCapturedVar()))
          Captured.push_back(Var);
    auto Uses = findUsesAfterSuspension(*Graph, Captured, RealSuspension, Options);
    const UseAfterSuspension *First = nullptr;
    for (const UseAfterSuspension &Use : Uses)
      if (!First || Use.Use->getBeginLoc() < First->Use->getBeginLoc())
        First = &Use;
    if (First)
      Summary.AtRisk.push_back(
          {BorrowAtRisk::Closure, First->Var, First->Use, First->Suspension});
    else if (llvm::any_of(Method->getParent()->captures(),
                          [](const LambdaCapture &C) { return C.capturesThis(); }))
      if (auto This = findThisUseAfterSuspension(*Graph, RealSuspension, Options))
        Summary.AtRisk.push_back(
            {BorrowAtRisk::Closure, nullptr, This->Use, This->Suspension});
  }
  return Summary;
}

} // namespace clang::tidy::coro
