//===--- TaskTypes.cpp - corotidy ------------------------------*- C++ -*-===//

#include "model/TaskTypes.h"
#include "clang/AST/Attr.h"
#include "clang/AST/DeclCXX.h"
#include "clang/AST/DeclTemplate.h"
#include "clang/AST/ExprCXX.h"
#include "clang/Basic/SourceManager.h"
#include "clang/Lex/Lexer.h"
#include "llvm/Support/Regex.h"
#include <optional>

using namespace clang;

namespace corotidy::model {

const CoroutineBodyStmt *getCoroutineBody(const FunctionDecl *FD) {
  if (!FD)
    return nullptr;
  return dyn_cast_or_null<CoroutineBodyStmt>(FD->getBody());
}

bool isInstantiated(const FunctionDecl &FD) {
  if (FD.getTemplateInstantiationPattern())
    return true;
  // A lambda in an instantiated function: its class is instantiated too.
  if (const auto *Method = dyn_cast<CXXMethodDecl>(&FD))
    return Method->getParent()->getTemplateInstantiationPattern() != nullptr;
  return false;
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

// Whether `RD` or a base declares a member named `Name`; with `TypesOnly`,
// only type members count.
static bool hasMemberNamed(const CXXRecordDecl *RD, DeclarationName Name,
                           bool TypesOnly = false) {
  RD = RD ? RD->getDefinition() : nullptr;
  if (!RD)
    return false;
  for (const NamedDecl *D : RD->lookup(Name))
    if (!TypesOnly || isa<TypeDecl, TypeAliasTemplateDecl, ClassTemplateDecl>(D))
      return true;
  for (const CXXBaseSpecifier &Base : RD->bases())
    if (hasMemberNamed(baseRecord(Base), Name, TypesOnly))
      return true;
  return false;
}

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
  return Pattern && hasMemberNamed(Pattern, &Ctx.Idents.get("promise_type"),
                                   /*TypesOnly=*/true);
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
  const auto *Body = dyn_cast_or_null<CompoundStmt>(Def->getBody());
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

namespace {
/// Whether an awaiter suspends, from what its `await_ready()` and (when it
/// returns bool) its `await_suspend()` are known to return. The one rule
/// behind neverSuspends() and both getStartMode()s.
enum class Suspends { Never, Maybe, Unknown };
Suspends judgeAwaiter(std::optional<bool> Ready,
                      std::optional<bool> BoolSuspend) {
  if ((Ready && *Ready) || (BoolSuspend && !*BoolSuspend))
    return Suspends::Never;
  if (Ready)
    return Suspends::Maybe;
  return Suspends::Unknown;
}
} // namespace

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

static Suspends judgeSuspendExpr(const Expr *SuspendExpr) {
  const auto *S = dyn_cast_or_null<CoroutineSuspendExpr>(
      SuspendExpr ? SuspendExpr->IgnoreImplicit() : nullptr);
  if (!S || S->isTypeDependent() || !S->getReadyExpr())
    return Suspends::Unknown;
  std::optional<bool> BoolSuspend;
  if (S->getSuspendExpr() &&
      S->getSuspendReturnType() ==
          CoroutineSuspendExpr::SuspendReturnType::SuspendBool)
    BoolSuspend =
        constantBoolReturnedByCall(findAwaitSuspendCall(S->getSuspendExpr()));
  return judgeAwaiter(constantBoolReturnedByCall(S->getReadyExpr()),
                      BoolSuspend);
}

bool neverSuspends(const Expr *SuspendExpr) {
  return judgeSuspendExpr(SuspendExpr) == Suspends::Never;
}

// The one non-template member function named `Name` of `RD`, if there is
// exactly one.
static const CXXMethodDecl *soleMethod(const CXXRecordDecl &RD, StringRef Name) {
  const CXXMethodDecl *Found = nullptr;
  for (const NamedDecl *D : RD.lookup(&RD.getASTContext().Idents.get(Name))) {
    const auto *MD = dyn_cast<CXXMethodDecl>(D);
    if (!MD || Found)
      return nullptr;
    Found = MD;
  }
  return Found;
}

static Suspends judgeAwaiterType(QualType Awaiter) {
  const CXXRecordDecl *RD =
      Awaiter.isNull() ? nullptr : Awaiter->getAsCXXRecordDecl();
  RD = RD ? RD->getDefinition() : nullptr;
  if (!RD)
    return Suspends::Unknown;
  const CXXMethodDecl *Ready = soleMethod(*RD, "await_ready");
  const CXXMethodDecl *Suspend = soleMethod(*RD, "await_suspend");
  std::optional<bool> BoolSuspend;
  if (Suspend && Suspend->getReturnType()->isBooleanType())
    BoolSuspend = constantBoolReturnedBy(Suspend);
  return judgeAwaiter(Ready ? constantBoolReturnedBy(Ready) : std::nullopt,
                      BoolSuspend);
}

static StartMode startModeOf(Suspends S) {
  switch (S) {
  case Suspends::Never:
    return StartMode::Eager;
  case Suspends::Maybe:
    return StartMode::Lazy;
  case Suspends::Unknown:
    return StartMode::Unknown;
  }
  return StartMode::Unknown;
}

// How the awaiter returned by the promise member \p Member behaves.
static Suspends promiseAwaiter(QualType TaskType, StringRef Member,
                               const ASTContext &Ctx) {
  QualType Promise = getPromiseType(TaskType, Ctx);
  const CXXRecordDecl *RD =
      Promise.isNull() ? nullptr : Promise->getAsCXXRecordDecl();
  RD = RD ? RD->getDefinition() : nullptr;
  const CXXMethodDecl *Method = RD ? soleMethod(*RD, Member) : nullptr;
  return Method ? judgeAwaiterType(Method->getReturnType()) : Suspends::Unknown;
}

StartMode getStartMode(QualType TaskType, const ASTContext &Ctx) {
  return startModeOf(promiseAwaiter(TaskType, "initial_suspend", Ctx));
}

StartMode getStartMode(const CoroutineBodyStmt &Body) {
  return startModeOf(
      judgeSuspendExpr(dyn_cast_or_null<Expr>(Body.getInitSuspendStmt())));
}

bool destroysItselfWhenDone(QualType TaskType, const ASTContext &Ctx) {
  return promiseAwaiter(TaskType, "final_suspend", Ctx) == Suspends::Never;
}

} // namespace corotidy::model
