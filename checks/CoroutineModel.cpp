//===--- CoroutineModel.cpp - corotidy -------------------------*- C++ -*-===//

#include "checks/CoroutineModel.h"
#include "clang/AST/Attr.h"
#include "clang/AST/DeclCXX.h"
#include "clang/AST/DeclTemplate.h"
#include "clang/AST/ParentMapContext.h"
#include "clang/Basic/SourceManager.h"
#include "clang/Lex/Lexer.h"
#include "llvm/ADT/SmallPtrSet.h"
#include "llvm/Support/Regex.h"

namespace clang::tidy::coro {

const CXXRecordDecl *recordBehind(QualType T) {
  if (T.isNull())
    return nullptr;
  T = T.getNonReferenceType();
  if (T->isPointerType())
    T = T->getPointeeType();
  return T->getAsCXXRecordDecl();
}

bool isInstantiated(const FunctionDecl &FD) {
  if (FD.getTemplateInstantiationPattern())
    return true;
  // A lambda in an instantiated function: its class is instantiated too.
  if (const auto *Method = dyn_cast<CXXMethodDecl>(&FD))
    return Method->getParent()->getTemplateInstantiationPattern() != nullptr;
  return false;
}

static void collectCallsIn(const Stmt *S,
                           llvm::SmallVectorImpl<const CallExpr *> &Out) {
  if (!S)
    return;
  if (const auto *Lambda = dyn_cast<LambdaExpr>(S)) {
    for (const Expr *Init : Lambda->capture_inits())
      collectCallsIn(Init, Out);
    return;
  }
  if (const auto *Call = dyn_cast<CallExpr>(S))
    Out.push_back(Call);
  for (const Stmt *Child : S->children())
    collectCallsIn(Child, Out);
}

llvm::SmallVector<const CallExpr *, 16> collectCalls(const Stmt *Body) {
  llvm::SmallVector<const CallExpr *, 16> Calls;
  collectCallsIn(Body, Calls);
  return Calls;
}

const CoroutineBodyStmt *getCoroutineBody(const FunctionDecl *FD) {
  if (!FD)
    return nullptr;
  return dyn_cast_or_null<CoroutineBodyStmt>(FD->getBody());
}

// A member type named `Name` of `RD` or of one of its bases.
static QualType findMemberType(const CXXRecordDecl *RD, StringRef Name,
                               const ASTContext &Ctx) {
  RD = RD ? RD->getDefinition() : nullptr;
  if (!RD)
    return {};
  for (const NamedDecl *D : RD->lookup(&Ctx.Idents.get(Name)))
    if (const auto *TD = dyn_cast<TypeDecl>(D))
      return Ctx.getTypeDeclType(TD);
  for (const CXXBaseSpecifier &Base : RD->bases())
    if (QualType T = findMemberType(Base.getType()->getAsCXXRecordDecl(), Name,
                                    Ctx);
        !T.isNull())
      return T;
  return {};
}

// Lookup in `std` also finds what its inline namespaces declare (libstdc++
// puts coroutine_traits in one): clang makes those names visible there.
static const ClassTemplateDecl *findStdCoroutineTraits(const ASTContext &Ctx) {
  const DeclContext *TU = Ctx.getTranslationUnitDecl();
  for (const NamedDecl *Std : TU->lookup(&Ctx.Idents.get("std")))
    if (const auto *NS = dyn_cast<NamespaceDecl>(Std))
      for (const NamedDecl *D : NS->lookup(&Ctx.Idents.get("coroutine_traits")))
        if (const auto *CTD = dyn_cast<ClassTemplateDecl>(D))
          return CTD;
  return nullptr;
}

// The promise of a `std::coroutine_traits<TaskType, ...>` specialization
// that this TU declared or instantiated.
static QualType promiseFromCoroutineTraits(QualType TaskType,
                                           const ASTContext &Ctx) {
  const ClassTemplateDecl *Traits = findStdCoroutineTraits(Ctx);
  if (!Traits)
    return {};
  QualType Wanted = TaskType.getCanonicalType().getUnqualifiedType();
  for (const ClassTemplateSpecializationDecl *Spec : Traits->specializations()) {
    const TemplateArgumentList &Args = Spec->getTemplateArgs();
    if (Args.size() == 0 || Args[0].getKind() != TemplateArgument::Type)
      continue;
    if (Args[0].getAsType().getCanonicalType().getUnqualifiedType() != Wanted)
      continue;
    if (QualType P = findMemberType(Spec, "promise_type", Ctx); !P.isNull())
      return P;
  }
  return {};
}

QualType getPromiseType(QualType TaskType, const ASTContext &Ctx) {
  if (TaskType.isNull() || TaskType->isDependentType() ||
      TaskType->isReferenceType())
    return {};
  if (QualType P = findMemberType(TaskType->getAsCXXRecordDecl(),
                                  "promise_type", Ctx);
      !P.isNull())
    return P;
  return promiseFromCoroutineTraits(TaskType, Ctx);
}

static bool hasMemberNamed(const CXXRecordDecl *RD, DeclarationName Name);

// A specialization named only in declarations (`virtual Task<void> f();`)
// is never instantiated: its template still says whether it has a promise.
static const CXXRecordDecl *uninstantiatedPattern(QualType T) {
  const auto *Spec = dyn_cast_or_null<ClassTemplateSpecializationDecl>(
      T.isNull() ? nullptr : T->getAsCXXRecordDecl());
  if (!Spec || Spec->hasDefinition())
    return nullptr;
  return Spec->getSpecializedTemplate()->getTemplatedDecl();
}

bool isCoroutineReturnType(QualType T, const ASTContext &Ctx) {
  if (!getPromiseType(T, Ctx).isNull())
    return true;
  const CXXRecordDecl *Pattern = uninstantiatedPattern(T);
  return Pattern &&
         hasMemberNamed(Pattern, &Ctx.Idents.get("promise_type"));
}

// The record a base specifier names, also when it depends on a template
// parameter (`struct Task : BasicTask<T>`): then the base's template.
static const CXXRecordDecl *baseRecord(const CXXBaseSpecifier &Base) {
  if (const CXXRecordDecl *RD = Base.getType()->getAsCXXRecordDecl())
    return RD;
  if (const auto *Spec = Base.getType()->getAs<TemplateSpecializationType>())
    if (const auto *Template = dyn_cast_or_null<ClassTemplateDecl>(
            Spec->getTemplateName().getAsTemplateDecl()))
      return Template->getTemplatedDecl();
  return nullptr;
}

static bool hasMemberNamed(const CXXRecordDecl *RD, DeclarationName Name) {
  RD = RD ? RD->getDefinition() : nullptr;
  if (!RD)
    return false;
  if (!RD->lookup(Name).empty())
    return true;
  for (const CXXBaseSpecifier &Base : RD->bases())
    if (hasMemberNamed(baseRecord(Base), Name))
      return true;
  return false;
}

// A free `operator co_await` that applies to `RD`, declared in its namespace
// (where argument-dependent lookup finds it).
static bool hasFreeCoawaitOperator(const CXXRecordDecl *RD) {
  const ASTContext &Ctx = RD->getASTContext();
  DeclarationName OpName =
      Ctx.DeclarationNames.getCXXOperatorName(OO_Coawait);
  const DeclContext *NS = RD->getEnclosingNamespaceContext();
  QualType Self = Ctx.getCanonicalTagType(RD);
  for (const NamedDecl *D : NS->lookup(OpName)) {
    if (isa<FunctionTemplateDecl>(D))
      return true;
    const auto *FD = dyn_cast<FunctionDecl>(D);
    if (!FD || FD->getNumParams() != 1)
      continue;
    QualType Param = FD->getParamDecl(0)->getType().getNonReferenceType();
    if (Param.getCanonicalType().getUnqualifiedType() == Self)
      return true;
  }
  return false;
}

bool isAwaitableType(QualType T) {
  if (T.isNull())
    return false;
  const CXXRecordDecl *RD = T.getNonReferenceType()->getAsCXXRecordDecl();
  if (!RD || !RD->getDefinition())
    return false;
  const ASTContext &Ctx = RD->getASTContext();
  if (hasMemberNamed(RD, Ctx.DeclarationNames.getCXXOperatorName(OO_Coawait)))
    return true;
  auto Has = [&](StringRef Name) {
    return hasMemberNamed(RD, &Ctx.Idents.get(Name));
  };
  if (Has("await_ready") && Has("await_suspend") && Has("await_resume"))
    return true;
  return hasFreeCoawaitOperator(RD);
}

bool isAwaitElidableType(QualType T) {
  if (T.isNull())
    return false;
  const CXXRecordDecl *RD = T.getNonReferenceType()->getAsCXXRecordDecl();
  if (!RD)
    return false;
  if (RD->hasAttr<CoroAwaitElidableAttr>())
    return true;
  const CXXRecordDecl *Pattern = RD->getTemplateInstantiationPattern();
  return Pattern && Pattern->hasAttr<CoroAwaitElidableAttr>();
}

// clangd's preamble skips the bodies of functions in headers (constexpr ones
// excepted), so an awaiter's `{ return true; }` is gone from its AST. The
// tokens are still in the file: read the one shape that matters here.
static std::optional<bool> constantBoolFromSkippedBody(const FunctionDecl &Fn) {
  if (!Fn.hasSkippedBody())
    return std::nullopt;
  // The declaration's range ends before the skipped body; the body follows.
  const SourceManager &SM = Fn.getASTContext().getSourceManager();
  SourceLocation End = Fn.getSourceRange().getEnd();
  if (End.isInvalid() || End.isMacroID())
    return std::nullopt;
  SourceLocation AfterDecl = Lexer::getLocForEndOfToken(
      End, 0, SM, Fn.getASTContext().getLangOpts());
  bool Invalid = false;
  const char *Text = SM.getCharacterData(AfterDecl, &Invalid);
  if (Invalid || !Text)
    return std::nullopt;
  llvm::SmallVector<StringRef, 2> Groups;
  static const llvm::Regex ConstantBody(
      "^[[:space:]]*\\{[[:space:]]*return[[:space:]]+(true|false)[[:space:]]*;"
      "[[:space:]]*\\}");
  if (!ConstantBody.match(StringRef(Text).take_front(256), &Groups))
    return std::nullopt;
  return Groups[1] == "true";
}

// The constant a function returns when its body is a single `return` of a
// constant boolean (`{ return true; }`), as awaiters are written.
static std::optional<bool> constantBoolReturnedBy(const FunctionDecl *Fn) {
  if (!Fn)
    return std::nullopt;
  const FunctionDecl *Def = nullptr;
  if (!Fn->hasBody(Def))
    if (const FunctionDecl *Pattern = Fn->getTemplateInstantiationPattern())
      Pattern->hasBody(Def);
  if (!Def)
    return constantBoolFromSkippedBody(*Fn);
  const auto *Body = dyn_cast_or_null<CompoundStmt>(Def ? Def->getBody()
                                                        : nullptr);
  if (!Body || Body->size() != 1)
    return std::nullopt;
  const auto *Ret = dyn_cast<ReturnStmt>(Body->body_front());
  const Expr *Value = Ret ? Ret->getRetValue() : nullptr;
  if (!Value || Value->isValueDependent())
    return std::nullopt;
  bool Result = false;
  if (!Value->EvaluateAsBooleanCondition(Result, Def->getASTContext()))
    return std::nullopt;
  return Result;
}

static std::optional<bool> constantBoolReturnedByCall(const Expr *Call) {
  const auto *CE = dyn_cast_or_null<CallExpr>(Call ? Call->IgnoreImplicit()
                                                   : nullptr);
  return constantBoolReturnedBy(CE ? CE->getDirectCallee() : nullptr);
}

// The `await_suspend` call inside the suspend expression; clang wraps the
// handle-returning form, so look through single-child wrappers.
static const Expr *findAwaitSuspendCall(const Expr *Suspend) {
  const Stmt *S = Suspend;
  while (S) {
    if (const auto *ME = dyn_cast<CXXMemberCallExpr>(S))
      if (const CXXMethodDecl *MD = ME->getMethodDecl();
          MD && MD->getIdentifier() && MD->getName() == "await_suspend")
        return ME;
    auto Children = S->children();
    if (std::distance(Children.begin(), Children.end()) != 1)
      return nullptr;
    S = *Children.begin();
  }
  return nullptr;
}

bool neverSuspends(const Expr *SuspendExpr) {
  const auto *S = dyn_cast_or_null<CoroutineSuspendExpr>(
      SuspendExpr ? SuspendExpr->IgnoreImplicit() : nullptr);
  if (!S || S->isTypeDependent() || !S->getReadyExpr())
    return false;
  if (std::optional<bool> Ready = constantBoolReturnedByCall(S->getReadyExpr());
      Ready && *Ready)
    return true;
  const Expr *Suspend = S->getSuspendExpr();
  if (!Suspend || S->getSuspendReturnType() !=
                      CoroutineSuspendExpr::SuspendReturnType::SuspendBool)
    return false;
  std::optional<bool> Suspends =
      constantBoolReturnedByCall(findAwaitSuspendCall(Suspend));
  return Suspends && !*Suspends;
}

static StartMode startModeOfAwaiter(QualType Awaiter) {
  const CXXRecordDecl *RD =
      Awaiter.isNull() ? nullptr : Awaiter->getAsCXXRecordDecl();
  RD = RD ? RD->getDefinition() : nullptr;
  if (!RD)
    return StartMode::Unknown;
  const ASTContext &Ctx = RD->getASTContext();
  for (const NamedDecl *D : RD->lookup(&Ctx.Idents.get("await_ready")))
    if (const auto *MD = dyn_cast<CXXMethodDecl>(D)) {
      std::optional<bool> Ready = constantBoolReturnedBy(MD);
      if (!Ready)
        return StartMode::Unknown;
      return *Ready ? StartMode::Eager : StartMode::Lazy;
    }
  return StartMode::Unknown;
}

// How the awaiter returned by the promise member \p Member behaves: Eager
// when it never suspends.
static StartMode promiseAwaiterMode(QualType TaskType, StringRef Member,
                                    const ASTContext &Ctx) {
  QualType Promise = getPromiseType(TaskType, Ctx);
  const CXXRecordDecl *RD =
      Promise.isNull() ? nullptr : Promise->getAsCXXRecordDecl();
  RD = RD ? RD->getDefinition() : nullptr;
  if (!RD)
    return StartMode::Unknown;
  for (const NamedDecl *D : RD->lookup(&Ctx.Idents.get(Member)))
    if (const auto *MD = dyn_cast<CXXMethodDecl>(D))
      return startModeOfAwaiter(MD->getReturnType());
  return StartMode::Unknown;
}

StartMode getStartMode(QualType TaskType, const ASTContext &Ctx) {
  return promiseAwaiterMode(TaskType, "initial_suspend", Ctx);
}

bool destroysItselfWhenDone(QualType TaskType, const ASTContext &Ctx) {
  return promiseAwaiterMode(TaskType, "final_suspend", Ctx) == StartMode::Eager;
}

StartMode getStartMode(const CoroutineBodyStmt &Body, const ASTContext &Ctx) {
  const auto *Initial = dyn_cast_or_null<Expr>(Body.getInitSuspendStmt());
  const auto *Suspend = dyn_cast_or_null<CoroutineSuspendExpr>(
      Initial ? Initial->IgnoreImplicit() : nullptr);
  if (!Suspend || Suspend->isTypeDependent() || !Suspend->getReadyExpr())
    return StartMode::Unknown;
  return neverSuspends(Suspend) ? StartMode::Eager : StartMode::Lazy;
}

// Suspensions evaluate their operand first, so nested ones come first.
static void collectIn(const Stmt *S, llvm::SmallVectorImpl<SuspensionPoint> &Out) {
  if (!S)
    return;
  if (const auto *Lambda = dyn_cast<LambdaExpr>(S)) {
    // The body is another function; only the captures run here.
    for (const Expr *Init : Lambda->capture_inits())
      collectIn(Init, Out);
    return;
  }
  if (isa<BlockExpr>(S))
    return;
  if (const auto *Suspend = dyn_cast<CoroutineSuspendExpr>(S)) {
    collectIn(Suspend->getOperand(), Out);
    Out.push_back({Suspend, Suspend->getOperand(), !neverSuspends(Suspend)});
    return;
  }
  if (const auto *Dependent = dyn_cast<DependentCoawaitExpr>(S)) {
    collectIn(Dependent->getOperand(), Out);
    Out.push_back({Dependent, Dependent->getOperand(), true});
    return;
  }
  if (const auto *Return = dyn_cast<CoreturnStmt>(S)) {
    // The promise call repeats the operand; visit it once.
    collectIn(Return->getOperand(), Out);
    return;
  }
  for (const Stmt *Child : S->children())
    collectIn(Child, Out);
}

llvm::SmallVector<SuspensionPoint, 8>
collectSuspensionPoints(const CoroutineBodyStmt &Body) {
  llvm::SmallVector<SuspensionPoint, 8> Points;
  collectIn(Body.getBody(), Points);
  return Points;
}

std::unique_ptr<CoroutineCFG> CoroutineCFG::build(const CoroutineBodyStmt &Body,
                                                  const Decl *Fn,
                                                  ASTContext &Ctx) {
  CFG::BuildOptions Options;
  Options.AddImplicitDtors = true;
  Options.AddTemporaryDtors = true;
  Options.setAllAlwaysAdd();
  Stmt *UserBody = Body.getBody();
  if (!UserBody)
    return nullptr;
  std::unique_ptr<CFG> Graph = CFG::buildCFG(Fn, UserBody, &Ctx, Options);
  if (!Graph)
    return nullptr;
  std::unique_ptr<CoroutineCFG> Result(new CoroutineCFG());
  Result->Ctx = &Ctx;
  Result->Parents = std::make_unique<ParentMap>(UserBody);
  Result->StmtToBlock = std::make_unique<CFGStmtMap>(*Graph, *Result->Parents);
  Result->Graph = std::move(Graph);
  Result->Points = collectSuspensionPoints(Body);
  return Result;
}

const CFGBlock *CoroutineCFG::blockOf(const Stmt *S) const {
  return StmtToBlock->getBlock(S);
}

bool isStdMoveOrForward(const CallExpr &Call) {
  const FunctionDecl *Callee = Call.getDirectCallee();
  if (!Callee || Call.getNumArgs() != 1 || !Callee->isInStdNamespace() ||
      !Callee->getIdentifier())
    return false;
  return Callee->getName() == "move" || Callee->getName() == "forward";
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
    else
      return nullptr;
  }
  return nullptr;
}

DynTypedNode userOf(const Expr &E, ASTContext &Ctx) {
  const Expr *Cur = &E;
  while (true) {
    auto Parents = Ctx.getParents(*Cur);
    if (Parents.empty())
      return {};
    const auto *Next = Parents[0].get<Expr>();
    bool Wrapper =
        Next && (isa<ImplicitCastExpr, MaterializeTemporaryExpr,
                     CXXBindTemporaryExpr, ExprWithCleanups, ParenExpr,
                     CXXFunctionalCastExpr>(Next) ||
                 (isa<CXXConstructExpr>(Next) &&
                  cast<CXXConstructExpr>(Next)->getNumArgs() == 1));
    if (!Wrapper)
      return Parents[0];
    Cur = Next;
  }
}

const VarDecl *initializedVariable(const Expr &E, ASTContext &Ctx) {
  return userOf(E, Ctx).get<VarDecl>();
}

static const Expr *stripOneWrapper(const Expr *E) {
  if (const auto *P = dyn_cast<ParenExpr>(E))
    return P->getSubExpr();
  if (const auto *IC = dyn_cast<ImplicitCastExpr>(E))
    return IC->getSubExpr();
  if (const auto *FE = dyn_cast<FullExpr>(E))
    return FE->getSubExpr();
  if (const auto *MT = dyn_cast<MaterializeTemporaryExpr>(E))
    return MT->getSubExpr();
  if (const auto *BT = dyn_cast<CXXBindTemporaryExpr>(E))
    return BT->getSubExpr();
  if (const auto *OV = dyn_cast<OpaqueValueExpr>(E))
    return OV->getSourceExpr() ? OV->getSourceExpr() : E;
  if (const auto *Call = dyn_cast<CallExpr>(E); Call && isStdMoveOrForward(*Call))
    return Call->getArg(0);
  if (const auto *Cast = dyn_cast<CXXStaticCastExpr>(E)) {
    QualType To = Cast->getType().getNonReferenceType().getCanonicalType();
    QualType From = Cast->getSubExpr()->getType().getCanonicalType();
    if (Cast->getTypeAsWritten()->isRValueReferenceType() &&
        To.getUnqualifiedType() == From.getUnqualifiedType())
      return Cast->getSubExpr();
  }
  if (const auto *Construct = dyn_cast<CXXConstructExpr>(E);
      Construct && Construct->isElidable() && Construct->getNumArgs() == 1)
    return Construct->getArg(0);
  return E;
}

const Expr *ignoreAwaitOperandWrappers(const Expr *E) {
  while (E) {
    const Expr *Inner = stripOneWrapper(E);
    if (Inner == E)
      break;
    E = Inner;
  }
  return E;
}

const Expr *ignoreArgumentConversions(const Expr *Arg) {
  while (Arg) {
    const Expr *Inner = ignoreAwaitOperandWrappers(Arg);
    if (const auto *Cast = dyn_cast<CXXFunctionalCastExpr>(Inner))
      Inner = Cast->getSubExpr();
    if (const auto *Construct = dyn_cast<CXXConstructExpr>(Inner);
        Construct && Construct->getNumArgs() == 1 &&
        !isa<CXXTemporaryObjectExpr>(Construct))
      Inner = Construct->getArg(0);
    if (Inner == Arg)
      break;
    Arg = Inner;
  }
  return Arg;
}

llvm::SmallVector<const CallExpr *, 8>
collectAwaitedCalls(const CoroutineBodyStmt &Body) {
  llvm::SmallVector<const CallExpr *, 8> Calls;
  for (const SuspensionPoint &Point : collectSuspensionPoints(Body))
    if (isa<CoawaitExpr, DependentCoawaitExpr>(Point.E))
      if (const auto *Call =
              dyn_cast_or_null<CallExpr>(ignoreAwaitOperandWrappers(Point.Operand)))
        Calls.push_back(Call);
  return Calls;
}

static const Expr *awaitedOperandOf(const Stmt *S) {
  if (const auto *Suspend = dyn_cast<CoawaitExpr>(S))
    return Suspend->getOperand();
  if (const auto *Dependent = dyn_cast<DependentCoawaitExpr>(S))
    return Dependent->getOperand();
  return nullptr;
}

bool isConsumedInFullExpression(const Expr *TaskExpr, ASTContext &Ctx) {
  const Expr *Core = ignoreAwaitOperandWrappers(TaskExpr);
  llvm::SmallVector<const Expr *, 8> Work = {TaskExpr};
  llvm::SmallPtrSet<const Expr *, 8> Seen;
  while (!Work.empty()) {
    const Expr *Cur = Work.pop_back_val();
    if (!Seen.insert(Cur).second)
      continue;
    for (const DynTypedNode &Parent : Ctx.getParents(*Cur)) {
      const auto *P = Parent.get<Expr>();
      if (!P)
        continue;
      if (const Expr *Operand = awaitedOperandOf(P))
        if (ignoreAwaitOperandWrappers(Operand) == Core)
          return true;
      // Keep climbing only through nodes that still denote the same task.
      if (ignoreAwaitOperandWrappers(P) == Core)
        Work.push_back(P);
    }
  }
  return false;
}

} // namespace clang::tidy::coro
