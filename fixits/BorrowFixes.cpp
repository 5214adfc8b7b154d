//===--- BorrowFixes.cpp - corotidy ----------------------------*- C++ -*-===//

#include "fixits/BorrowFixes.h"
#include "model/Syntax.h"
#include "clang/AST/DeclCXX.h"
#include "clang/AST/ExprCXX.h"
#include "clang/AST/RecursiveASTVisitor.h"
#include "clang/AST/TypeLoc.h"
#include "clang/Basic/SourceManager.h"
#include "clang/Lex/Lexer.h"
#include "llvm/ADT/SmallPtrSet.h"

namespace corotidy::fixits {

using namespace corotidy::model;

namespace {

bool canBeCopied(const CXXRecordDecl &RD) {
  for (const CXXConstructorDecl *Ctor : RD.ctors())
    if (Ctor->isCopyConstructor() && !Ctor->isDeleted())
      return true;
  return RD.needsImplicitCopyConstructor() &&
         !RD.defaultedCopyConstructorIsDeleted();
}

bool canBeMoved(const CXXRecordDecl &RD) {
  for (const CXXConstructorDecl *Ctor : RD.ctors())
    if ((Ctor->isMoveConstructor() || Ctor->isCopyConstructor()) &&
        !Ctor->isDeleted())
      return true;
  return (RD.needsImplicitMoveConstructor() &&
          !RD.defaultedMoveConstructorIsDeleted()) ||
         (RD.needsImplicitCopyConstructor() &&
          !RD.defaultedCopyConstructorIsDeleted());
}

// Every use of the parameter is `std::move(p)` (or `std::forward`).
class OnlyMovedFrom : public RecursiveASTVisitor<OnlyMovedFrom> {
public:
  explicit OnlyMovedFrom(const ParmVarDecl &Param) : Param(Param) {}
  bool VisitCallExpr(CallExpr *Call) {
    if (isStdMoveOrForward(*Call))
      if (const auto *Ref =
              dyn_cast<DeclRefExpr>(Call->getArg(0)->IgnoreParenImpCasts());
          Ref && Ref->getDecl() == &Param)
        Moved.insert(Ref);
    return true;
  }
  bool VisitDeclRefExpr(DeclRefExpr *Ref) {
    if (Ref->getDecl() == &Param)
      All.push_back(Ref);
    return true;
  }
  bool onlyMoved() const {
    return llvm::all_of(All, [&](const DeclRefExpr *R) { return Moved.contains(R); });
  }

private:
  const ParmVarDecl &Param;
  llvm::SmallPtrSet<const DeclRefExpr *, 4> Moved;
  llvm::SmallVector<const DeclRefExpr *, 4> All;
};

bool isEditable(SourceLocation Loc, const SourceManager &SM) {
  return Loc.isValid() && Loc.isFileID() && !SM.isInSystemHeader(Loc);
}

// The by-value spelling of one declaration's `const T &` / `T &&`.
std::optional<FixItHint> byValueHint(const ParmVarDecl &Param, ASTContext &Ctx) {
  const SourceManager &SM = Ctx.getSourceManager();
  const LangOptions &LangOpts = Ctx.getLangOpts();
  TypeSourceInfo *Info = Param.getTypeSourceInfo();
  if (!Info)
    return std::nullopt;
  auto Ref = Info->getTypeLoc().getAs<ReferenceTypeLoc>();
  if (!Ref)
    return std::nullopt;
  // Qualifiers have no locations in a TypeLoc: the written type starts where
  // the parameter's declaration does (`const T &name`).
  SourceRange Whole(Param.getBeginLoc(), Ref.getSourceRange().getEnd());
  SourceRange Spelled(Param.getBeginLoc(),
                      Ref.getPointeeLoc().getSourceRange().getEnd());
  if (!isEditable(Whole.getBegin(), SM) || !isEditable(Whole.getEnd(), SM) ||
      !isEditable(Spelled.getBegin(), SM) || !isEditable(Spelled.getEnd(), SM))
    return std::nullopt;
  bool Invalid = false;
  StringRef Text = Lexer::getSourceText(CharSourceRange::getTokenRange(Spelled),
                                        SM, LangOpts, &Invalid);
  if (Invalid || Text.empty())
    return std::nullopt;
  // The user's own spelling of T, without its top-level const
  // (`const T`, `T const`).
  Text = Text.trim();
  if (Text.consume_front("const") && !Text.empty() &&
      !isAsciiIdentifierContinue(Text.front()))
    Text = Text.ltrim();
  else if (Text.ends_with("const") &&
           !isAsciiIdentifierContinue(Text.drop_back(5).back()))
    Text = Text.drop_back(5).rtrim();
  if (Text.empty() || Text.contains("const ") || Text.starts_with("[["))
    return std::nullopt;
  // `const T &name` loses its `&`; keep the name apart from the type.
  SourceLocation After = Lexer::getLocForEndOfToken(Whole.getEnd(), 0, SM, LangOpts);
  const char *Next = SM.getCharacterData(After, &Invalid);
  std::string Replacement = Text.str();
  if (!Invalid && Next && (isAsciiIdentifierContinue(*Next)))
    Replacement += " ";
  return FixItHint::CreateReplacement(CharSourceRange::getTokenRange(Whole),
                                      Replacement);
}

} // namespace

llvm::SmallVector<FixItHint, 4> passByValue(const ParmVarDecl &Param,
                                            const FunctionDecl &Fn,
                                            ASTContext &Ctx) {
  QualType T = Param.getType();
  if (!T->isReferenceType())
    return {};
  QualType Pointee = T.getNonReferenceType();
  if (T->isLValueReferenceType() && !Pointee.isConstQualified())
    return {};
  if (Pointee.isVolatileQualified() || Pointee->isDependentType() ||
      Pointee->isArrayType() || Pointee->isFunctionType() ||
      Pointee->isIncompleteType() || Pointee->isTemplateTypeParmType())
    return {};
  // Without the definition here, editing the declarations would leave the
  // definition elsewhere with the old signature: a link error.
  if (Fn.getTemplatedKind() != FunctionDecl::TK_NonTemplate || Fn.isDeleted() ||
      !Fn.isDefined())
    return {};
  if (const auto *Method = dyn_cast<CXXMethodDecl>(&Fn);
      Method && (Method->isVirtual() || Method->getParent()->isLambda()))
    return {};
  if (const CXXRecordDecl *RD = Pointee->getAsCXXRecordDecl()) {
    RD = RD->getDefinition();
    if (!RD || RD->isAbstract())
      return {};
    if (T->isLValueReferenceType() ? !canBeCopied(*RD) : !canBeMoved(*RD))
      return {};
  }
  if (T->isRValueReferenceType()) {
    const FunctionDecl *Def = nullptr;
    if (!Fn.hasBody(Def))
      return {};
    OnlyMovedFrom Uses(*Def->getParamDecl(Param.getFunctionScopeIndex()));
    Uses.TraverseStmt(Def->getBody());
    if (!Uses.onlyMoved())
      return {};
  }
  llvm::SmallVector<FixItHint, 4> Hints;
  unsigned Index = Param.getFunctionScopeIndex();
  for (const FunctionDecl *Redecl : Fn.redecls()) {
    if (Index >= Redecl->getNumParams())
      return {};
    std::optional<FixItHint> Hint = byValueHint(*Redecl->getParamDecl(Index), Ctx);
    if (!Hint)
      return {};
    Hints.push_back(*Hint);
  }
  return Hints;
}

llvm::SmallVector<FixItHint, 1> copyClosureIntoFrame(const Expr &Closure,
                                                     ASTContext &Ctx) {
  if (!Ctx.getLangOpts().CPlusPlus23)
    return {};
  const auto *Lambda = dyn_cast<LambdaExpr>(
      strip(&Closure)->IgnoreImplicit());
  if (!Lambda || Lambda->isMutable())
    return {};
  const CXXMethodDecl *Op = Lambda->getCallOperator();
  if (Op->isExplicitObjectMemberFunction())
    return {};
  for (const LambdaCapture &Capture : Lambda->captures())
    if (Capture.getCaptureKind() == LCK_ByRef)
      return {};
  const SourceManager &SM = Ctx.getSourceManager();
  if (Lambda->hasExplicitParameters()) {
    auto Proto = Op->getTypeSourceInfo()->getTypeLoc().getAsAdjusted<FunctionProtoTypeLoc>();
    if (!Proto || !isEditable(Proto.getLParenLoc(), SM))
      return {};
    SourceLocation After = Lexer::getLocForEndOfToken(Proto.getLParenLoc(), 0, SM,
                                                      Ctx.getLangOpts());
    return {FixItHint::CreateInsertion(
        After, Op->getNumParams() ? "this auto, " : "this auto")};
  }
  SourceLocation Bracket = Lambda->getIntroducerRange().getEnd();
  if (!isEditable(Bracket, SM))
    return {};
  return {FixItHint::CreateInsertion(
      Lexer::getLocForEndOfToken(Bracket, 0, SM, Ctx.getLangOpts()),
      "(this auto)")};
}

} // namespace corotidy::fixits
