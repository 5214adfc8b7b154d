//===--- Syntax.cpp - corotidy ---------------------------------*- C++ -*-===//

#include "model/Syntax.h"
#include "clang/AST/ASTContext.h"
#include "clang/AST/ExprConcepts.h"
#include "clang/AST/StmtCXX.h"
#include "clang/Basic/SourceManager.h"
#include "clang/Lex/Lexer.h"
#include "llvm/Support/raw_ostream.h"

using namespace clang;

namespace corotidy::model {

bool isStdMoveOrForward(const CallExpr &Call) {
  const FunctionDecl *Callee = Call.getDirectCallee();
  if (!Callee || Call.getNumArgs() != 1 || !Callee->isInStdNamespace() ||
      !Callee->getIdentifier())
    return false;
  return Callee->getName() == "move" || Callee->getName() == "forward";
}

static bool sameType(QualType A, QualType B) {
  return A.getNonReferenceType().getCanonicalType().getUnqualifiedType() ==
         B.getNonReferenceType().getCanonicalType().getUnqualifiedType();
}

// A constructor call with one argument of its own (the rest defaulted).
static const Expr *soleArgument(const CXXConstructExpr &Construct) {
  if (Construct.getNumArgs() == 0)
    return nullptr;
  for (unsigned I = 1; I < Construct.getNumArgs(); ++I)
    if (!isa<CXXDefaultArgExpr>(Construct.getArg(I)))
      return nullptr;
  return Construct.getArg(0);
}

const Expr *stripOne(const Expr *E, Strip Mode) {
  if (!E)
    return E;
  if (const auto *P = dyn_cast<ParenExpr>(E))
    return P->getSubExpr();
  if (const auto *Cast = dyn_cast<ImplicitCastExpr>(E))
    return Cast->getSubExpr();
  if (const auto *Full = dyn_cast<FullExpr>(E))
    return Full->getSubExpr();
  if (const auto *Temp = dyn_cast<MaterializeTemporaryExpr>(E))
    return Temp->getSubExpr();
  if (const auto *Bind = dyn_cast<CXXBindTemporaryExpr>(E))
    return Bind->getSubExpr();
  if (const auto *Opaque = dyn_cast<OpaqueValueExpr>(E))
    return Opaque->getSourceExpr() ? Opaque->getSourceExpr() : E;
  if (const auto *Call = dyn_cast<CallExpr>(E); Call && isStdMoveOrForward(*Call))
    return Call->getArg(0);
  if (isa<CXXStaticCastExpr, CXXFunctionalCastExpr, CStyleCastExpr>(E)) {
    const Expr *Sub = cast<ExplicitCastExpr>(E)->getSubExpr();
    if (sameType(E->getType(), Sub->getType()) ||
        (Mode == Strip::Conversions && isa<CXXFunctionalCastExpr>(E)))
      return Sub;
    return E;
  }
  if (const auto *Construct = dyn_cast<CXXConstructExpr>(E)) {
    const Expr *Arg = soleArgument(*Construct);
    if (!Arg)
      return E;
    const CXXConstructorDecl *Ctor = Construct->getConstructor();
    if (Construct->isElidable() || (Ctor && Ctor->isCopyOrMoveConstructor()))
      return Arg;
    if (Mode == Strip::Conversions && !isa<CXXTemporaryObjectExpr>(Construct) &&
        !Construct->isListInitialization())
      return Arg;
  }
  return E;
}

const Expr *strip(const Expr *E, Strip Mode) {
  while (E) {
    const Expr *Inner = stripOne(E, Mode);
    if (Inner == E)
      break;
    E = Inner;
  }
  return E;
}

const Expr *writtenOperand(const Expr &Suspend) {
  if (const auto *Dependent = dyn_cast<DependentCoawaitExpr>(&Suspend))
    return Dependent->getOperand();
  const auto *S = dyn_cast<CoroutineSuspendExpr>(&Suspend);
  if (!S)
    return nullptr;
  const Expr *Operand = S->getOperand();
  if (isa<CoyieldExpr>(S) && Operand)
    if (const auto *Yield = dyn_cast<CXXMemberCallExpr>(Operand->IgnoreImplicit());
        Yield && Yield->getNumArgs() == 1 && Yield->getMethodDecl() &&
        Yield->getMethodDecl()->getIdentifier() &&
        Yield->getMethodDecl()->getName() == "yield_value")
      return Yield->getArg(0);
  return Operand;
}

static void walk(const Stmt *S, llvm::function_ref<bool(const Stmt &)> Visit) {
  if (!S || !Visit(*S))
    return;
  if (const auto *Lambda = dyn_cast<LambdaExpr>(S)) {
    for (const Expr *Init : Lambda->capture_inits())
      walk(Init, Visit);
    return;
  }
  if (isa<BlockExpr, UnaryExprOrTypeTraitExpr, CXXNoexceptExpr, RequiresExpr>(S))
    return;
  if (isa<CoroutineSuspendExpr, DependentCoawaitExpr>(S))
    return walk(writtenOperand(cast<Expr>(*S)), Visit);
  if (const auto *Return = dyn_cast<CoreturnStmt>(S))
    return walk(Return->getOperand(), Visit);
  if (const auto *Body = dyn_cast<CoroutineBodyStmt>(S))
    return walk(Body->getBody(), Visit);
  for (const Stmt *Child : S->children())
    walk(Child, Visit);
}

void forEachInBody(const Stmt *Root, llvm::function_ref<bool(const Stmt &)> Visit) {
  walk(Root, Visit);
}

StringRef writtenMacroName(SourceLocation Loc, const SourceManager &SM,
                           const LangOptions &LangOpts) {
  if (!Loc.isMacroID())
    return {};
  SourceLocation Written = SM.getExpansionLoc(Loc);
  unsigned Length = Lexer::MeasureTokenLength(Written, SM, LangOpts);
  bool Invalid = false;
  const char *Text = SM.getCharacterData(Written, &Invalid);
  if (Invalid || !Text || Length == 0)
    return {};
  return StringRef(Text, Length);
}

const Expr *objectArgument(const CallExpr &Call) {
  if (const auto *Member = dyn_cast<CXXMemberCallExpr>(&Call))
    return Member->getImplicitObjectArgument();
  const auto *Method = dyn_cast_or_null<CXXMethodDecl>(Call.getDirectCallee());
  if (!Method || Call.getNumArgs() == 0 || Method->isStatic())
    return nullptr;
  if (Method->isExplicitObjectMemberFunction() || isa<CXXOperatorCallExpr>(Call))
    return Call.getArg(0);
  return nullptr;
}

void forEachArgument(
    const CallExpr &Call,
    llvm::function_ref<void(const Expr &, const ParmVarDecl *)> Visit) {
  const FunctionDecl *Callee = Call.getDirectCallee();
  const auto *Method = dyn_cast_or_null<CXXMethodDecl>(Callee);
  // Arguments before the first one that binds a parameter: the object of a
  // member operator written as an operator call.
  unsigned FirstArg = 0;
  // Parameters before the first one an argument binds: the explicit object
  // parameter of a member call written with `.`.
  unsigned FirstParam = 0;
  if (Method && isa<CXXOperatorCallExpr>(Call) &&
      !Method->isExplicitObjectMemberFunction())
    FirstArg = 1;
  if (Method && isa<CXXMemberCallExpr>(Call) &&
      Method->isExplicitObjectMemberFunction()) {
    FirstParam = 1;
    if (const Expr *Object = cast<CXXMemberCallExpr>(Call).getImplicitObjectArgument())
      Visit(*Object, Method->getParamDecl(0));
  }
  for (unsigned I = FirstArg; I < Call.getNumArgs(); ++I) {
    unsigned P = I - FirstArg + FirstParam;
    const ParmVarDecl *Param =
        Callee && P < Callee->getNumParams() ? Callee->getParamDecl(P) : nullptr;
    Visit(*Call.getArg(I), Param);
  }
}

void forEachArgument(
    const CXXConstructExpr &Construct,
    llvm::function_ref<void(const Expr &, const ParmVarDecl *)> Visit) {
  const CXXConstructorDecl *Ctor = Construct.getConstructor();
  for (unsigned I = 0; I < Construct.getNumArgs(); ++I)
    Visit(*Construct.getArg(I),
          Ctor && I < Ctor->getNumParams() ? Ctor->getParamDecl(I) : nullptr);
}

const ParmVarDecl *parameterOf(const CallExpr &Call, const Expr &Arg) {
  const ParmVarDecl *Found = nullptr;
  forEachArgument(Call, [&](const Expr &A, const ParmVarDecl *Param) {
    if (&A == &Arg)
      Found = Param;
  });
  return Found;
}

const CXXRecordDecl *recordBehind(QualType T) {
  if (T.isNull())
    return nullptr;
  T = T.getNonReferenceType();
  if (T->isPointerType())
    T = T->getPointeeType();
  return T->getAsCXXRecordDecl();
}

static bool isElementAccess(const Expr &E) {
  if (isa<ArraySubscriptExpr>(E))
    return true;
  if (const auto *Op = dyn_cast<CXXOperatorCallExpr>(&E))
    return Op->getOperator() == OO_Subscript || Op->getOperator() == OO_Star ||
           Op->getOperator() == OO_Arrow;
  if (const auto *Call = dyn_cast<CXXMemberCallExpr>(&E))
    if (const CXXMethodDecl *Method = Call->getMethodDecl();
        Method && Method->getIdentifier())
      return llvm::is_contained({"at", "front", "back", "top", "value"},
                                Method->getName());
  return false;
}

const VarDecl *storageRoot(const Expr *E, bool *ThroughElement) {
  if (ThroughElement)
    *ThroughElement = false;
  while (E) {
    E = E->IgnoreParenImpCasts();
    if (ThroughElement && isElementAccess(*E))
      *ThroughElement = true;
    if (const auto *Ref = dyn_cast<DeclRefExpr>(E))
      return dyn_cast<VarDecl>(Ref->getDecl());
    if (const auto *Member = dyn_cast<MemberExpr>(E))
      E = Member->getBase();
    else if (const auto *Subscript = dyn_cast<ArraySubscriptExpr>(E))
      E = Subscript->getBase();
    else if (const auto *Unary = dyn_cast<UnaryOperator>(E);
             Unary && (Unary->getOpcode() == UO_AddrOf ||
                       Unary->getOpcode() == UO_Deref))
      E = Unary->getSubExpr();
    else if (const auto *Op = dyn_cast<CXXOperatorCallExpr>(E);
             Op && Op->getNumArgs() >= 1)
      E = Op->getArg(0);
    else if (const auto *Call = dyn_cast<CXXMemberCallExpr>(E))
      E = Call->getImplicitObjectArgument();
    else if (const auto *Temp = dyn_cast<MaterializeTemporaryExpr>(E))
      E = Temp->getSubExpr();
    else if (const auto *Cast = dyn_cast<CXXStaticCastExpr>(E))
      E = Cast->getSubExpr(); // `static_cast<T &&>(x)`
    else if (const auto *Call = dyn_cast<CallExpr>(E);
             Call && Call->getNumArgs() == 1 && Call->getDirectCallee() &&
             Call->getDirectCallee()->isInStdNamespace() &&
             Call->getDirectCallee()->getIdentifier() &&
             (Call->getDirectCallee()->getName() == "move" ||
              Call->getDirectCallee()->getName() == "forward"))
      E = Call->getArg(0); // `std::move(x)` is still x
    else
      return nullptr;
  }
  return nullptr;
}

std::string qualifiedName(const NamedDecl &D) {
  std::string Name;
  llvm::raw_string_ostream OS(Name);
  PrintingPolicy Policy(D.getASTContext().getLangOpts());
  Policy.SuppressInlineNamespace =
      llvm::to_underlying(PrintingPolicy::SuppressInlineNamespaceMode::All);
  Policy.SuppressUnwrittenScope = true;
  D.printQualifiedName(OS, Policy);
  return "::" + Name;
}

bool isNamed(const NamedDecl *D, llvm::StringRef QualifiedName) {
  if (!D || !D->getIdentifier() ||
      D->getName() != QualifiedName.rsplit("::").second)
    return false;
  return qualifiedName(*D) == QualifiedName;
}

} // namespace corotidy::model
