//===--- AwaitCallDirectly.cpp - corotidy ----------------------*- C++ -*-===//

#include "fixits/AwaitCallDirectly.h"
#include "clang/AST/DeclCXX.h"
#include "clang/AST/RecursiveASTVisitor.h"
#include "clang/Basic/SourceManager.h"
#include "clang/Lex/Lexer.h"

namespace corotidy::fixits {

using namespace corotidy::model;

namespace {

// Counts the references to one variable, lambda bodies included.
class ReferenceCounter : public RecursiveASTVisitor<ReferenceCounter> {
public:
  explicit ReferenceCounter(const VarDecl *Var) : Var(Var) {}
  bool VisitDeclRefExpr(DeclRefExpr *Ref) {
    if (Ref->getDecl() == Var)
      ++Count;
    return true;
  }
  unsigned Count = 0;

private:
  const VarDecl *Var;
};

// Whether \p Child of \p Parent runs at most once and only when some
// condition holds (or repeatedly), rather than exactly once.
bool isConditionalChild(const Stmt &Parent, const Stmt *Child) {
  if (const auto *If = dyn_cast<IfStmt>(&Parent))
    return Child == If->getThen() || Child == If->getElse();
  if (const auto *Cond = dyn_cast<ConditionalOperator>(&Parent))
    return Child != Cond->getCond();
  if (const auto *Cond = dyn_cast<BinaryConditionalOperator>(&Parent))
    return Child == Cond->getFalseExpr();
  if (const auto *Op = dyn_cast<BinaryOperator>(&Parent))
    return Op->isLogicalOp() && Child == Op->getRHS();
  if (const auto *For = dyn_cast<ForStmt>(&Parent))
    return Child != For->getInit();
  if (const auto *Range = dyn_cast<CXXForRangeStmt>(&Parent))
    return Child != Range->getInit() && Child != Range->getRangeStmt();
  if (const auto *Switch = dyn_cast<SwitchStmt>(&Parent))
    return Child == Switch->getBody();
  return isa<WhileStmt, DoStmt, LambdaExpr, CXXCatchStmt>(Parent);
}

// The suspension of \p F that awaits \p Var inside \p Within (a statement
// of F's body), and whether it runs exactly once whenever \p Within runs.
struct AwaitOfVariable {
  const SuspensionPoint *Point = nullptr;
  bool EvaluatedOnce = false;
};
AwaitOfVariable findAwaitOf(const VarDecl &Var, const Stmt &Within,
                            const FunctionAnalysis &F) {
  for (const SuspensionPoint &P : F.suspensions()) {
    const auto *Ref = dyn_cast_or_null<DeclRefExpr>(P.Consumed);
    if (P.K != SuspensionPoint::Await || !Ref || Ref->getDecl() != &Var)
      continue;
    bool Once = true;
    const Stmt *Child = P.E;
    for (const Stmt *S = F.parent(*Child); S; Child = S, S = F.parent(*S)) {
      Once = Once && !isConditionalChild(*S, Child);
      if (S == &Within)
        return {&P, Once};
    }
    if (P.E == &Within)
      return {&P, true};
  }
  return {};
}

// Strips what a statement adds around the expression it evaluates first.
const Expr *firstEvaluated(const Stmt &S) {
  const Expr *E = nullptr;
  if (const auto *Decl = dyn_cast<DeclStmt>(&S)) {
    const auto *Var = Decl->isSingleDecl()
                          ? dyn_cast<VarDecl>(Decl->getSingleDecl())
                          : nullptr;
    E = Var ? Var->getInit() : nullptr;
  } else if (const auto *Return = dyn_cast<CoreturnStmt>(&S)) {
    E = Return->getOperand();
  } else {
    E = dyn_cast<Expr>(&S);
  }
  while (E) {
    const Expr *Inner = E->IgnoreImplicit()->IgnoreParens();
    if (const auto *Construct = dyn_cast<CXXConstructExpr>(Inner);
        Construct && Construct->getNumArgs() == 1)
      Inner = Construct->getArg(0);
    // `x = co_await t`: the right operand is sequenced before the left.
    if (const auto *Assign = dyn_cast<BinaryOperator>(Inner);
        Assign && Assign->isAssignmentOp() &&
        isa<DeclRefExpr>(Assign->getLHS()->IgnoreParenImpCasts()))
      Inner = Assign->getRHS();
    if (Inner == E)
      break;
    E = Inner;
  }
  return E;
}

// Whether awaiting a prvalue of \p Task may not compile where awaiting an
// lvalue did: a non-const `operator co_await() &` is applied to the operand
// as written. (The `await_*` members are always called on an lvalue.)
bool requiresLvalueToAwait(QualType Task) {
  const CXXRecordDecl *RD = Task->getAsCXXRecordDecl();
  RD = RD ? RD->getDefinition() : nullptr;
  if (!RD)
    return true;
  DeclarationName CoAwait =
      RD->getASTContext().DeclarationNames.getCXXOperatorName(OO_Coawait);
  for (const CXXMethodDecl *Method : RD->methods())
    if (Method->getDeclName() == CoAwait &&
        Method->getRefQualifier() == RQ_LValue &&
        !Method->getMethodQualifiers().hasConst())
      return true;
  return false;
}

// The type of the task object a task variable holds: `T t` or `T&& t`
// bound to the temporary; nothing for const tasks or lvalue references.
QualType storedTaskType(const VarDecl &Var) {
  QualType T = Var.getType();
  if (T->isLValueReferenceType())
    return {};
  if (T->isRValueReferenceType())
    T = T.getNonReferenceType();
  if (T.isConstQualified() || T.isVolatileQualified() || T->isDependentType())
    return {};
  return T;
}

} // namespace

std::optional<StoredThenAwaited>
findStoredThenAwaited(const DeclStmt &Decl, const Stmt &Next,
                      const FunctionAnalysis &F) {
  const auto *Var =
      Decl.isSingleDecl() ? dyn_cast<VarDecl>(Decl.getSingleDecl()) : nullptr;
  if (!Var || !Var->hasLocalStorage() ||
      isa<ParmVarDecl, DecompositionDecl>(Var) || !Var->getInit())
    return std::nullopt;
  QualType Task = storedTaskType(*Var);
  if (Task.isNull() || !isCoroutineReturnType(Task, F.context()))
    return std::nullopt;
  const auto *Call = dyn_cast<CallExpr>(strip(Var->getInit()));
  if (!Call || !Call->isPRValue() ||
      Call->getType().getCanonicalType().getUnqualifiedType() !=
          Task.getCanonicalType().getUnqualifiedType())
    return std::nullopt;
  AwaitOfVariable Await = findAwaitOf(*Var, Next, F);
  if (!Await.Point || !Await.EvaluatedOnce)
    return std::nullopt;
  ReferenceCounter Counter(Var);
  Counter.TraverseStmt(const_cast<Stmt *>(F.body()));
  if (Counter.Count != 1)
    return std::nullopt;
  const Expr *WrittenOperand = Await.Point->Operand->IgnoreImplicit();
  StoredThenAwaited Found{&Decl,          Var,  Call, Await.Point->E,
                          WrittenOperand, Task, false};
  Found.Rewritable =
      firstEvaluated(Next) == Await.Point->E &&
      (!WrittenOperand->isLValue() || !requiresLvalueToAwait(Task));
  return Found;
}

// The file range of a token range whose two ends are written in a file, not
// produced by a macro expansion.
static std::optional<CharSourceRange> fileRangeOf(SourceRange Range,
                                                  const SourceManager &SM,
                                                  const LangOptions &LangOpts) {
  if (Range.isInvalid() || Range.getBegin().isMacroID() ||
      Range.getEnd().isMacroID())
    return std::nullopt;
  CharSourceRange File = Lexer::makeFileCharRange(
      CharSourceRange::getTokenRange(Range), SM, LangOpts);
  if (File.isInvalid())
    return std::nullopt;
  return File;
}

// The location just past the whitespace (newlines included) that follows
// \p Loc, so deleting a statement also deletes its line break and the next
// statement keeps its own indentation.
static SourceLocation skipWhitespace(SourceLocation Loc,
                                     const SourceManager &SM) {
  bool Invalid = false;
  const char *Text = SM.getCharacterData(Loc, &Invalid);
  if (Invalid)
    return Loc;
  unsigned Skipped = 0;
  while (Text[Skipped] == ' ' || Text[Skipped] == '\t' ||
         Text[Skipped] == '\n' || Text[Skipped] == '\r')
    ++Skipped;
  return Loc.getLocWithOffset(Skipped);
}

llvm::SmallVector<FixItHint, 2>
awaitCallDirectly(const StoredThenAwaited &Found, const SourceManager &SM,
                  const LangOptions &LangOpts) {
  if (!Found.Rewritable)
    return {};
  std::optional<CharSourceRange> DeclRange =
      fileRangeOf(Found.Decl->getSourceRange(), SM, LangOpts);
  std::optional<CharSourceRange> CallRange =
      fileRangeOf(Found.Call->getSourceRange(), SM, LangOpts);
  std::optional<CharSourceRange> OperandRange =
      fileRangeOf(Found.WrittenOperand->getSourceRange(), SM, LangOpts);
  if (!DeclRange || !CallRange || !OperandRange)
    return {};
  FileID File = SM.getFileID(DeclRange->getBegin());
  if (SM.getFileID(OperandRange->getBegin()) != File ||
      SM.getFileID(CallRange->getBegin()) != File)
    return {};

  bool Invalid = false;
  StringRef CallText = Lexer::getSourceText(*CallRange, SM, LangOpts, &Invalid);
  if (Invalid || CallText.empty())
    return {};

  SourceLocation AfterDecl = skipWhitespace(DeclRange->getEnd(), SM);
  llvm::SmallVector<FixItHint, 2> Hints;
  Hints.push_back(FixItHint::CreateRemoval(
      CharSourceRange::getCharRange(DeclRange->getBegin(), AfterDecl)));
  Hints.push_back(FixItHint::CreateReplacement(*OperandRange, CallText));
  return Hints;
}

} // namespace corotidy::fixits
