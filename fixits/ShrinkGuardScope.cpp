//===--- ShrinkGuardScope.cpp - corotidy -----------------------*- C++ -*-===//

#include "fixits/ShrinkGuardScope.h"
#include "clang/AST/RecursiveASTVisitor.h"
#include "clang/Basic/SourceManager.h"
#include "clang/Lex/Lexer.h"
#include "llvm/ADT/SmallPtrSet.h"

namespace corotidy::fixits {

using namespace corotidy::model;

namespace {

// Collects the declarations a range of statements refers to.
class ReferencedDecls : public RecursiveASTVisitor<ReferencedDecls> {
public:
  bool VisitDeclRefExpr(DeclRefExpr *Ref) {
    Decls.insert(Ref->getDecl());
    return true;
  }
  llvm::SmallPtrSet<const Decl *, 16> Decls;
};

bool contains(const Stmt &S, SourceLocation Loc, const SourceManager &SM) {
  return SM.isPointWithin(Loc, S.getBeginLoc(), S.getEndLoc());
}

// The text of the line holding \p Loc, and the offset of \p Loc's line start.
struct Line {
  SourceLocation Start;
  StringRef Text; // Without the newline.
};
std::optional<Line> lineOf(SourceLocation Loc, const SourceManager &SM) {
  auto [File, Offset] = SM.getDecomposedLoc(Loc);
  bool Invalid = false;
  StringRef Buffer = SM.getBufferData(File, &Invalid);
  if (Invalid)
    return std::nullopt;
  size_t Begin = Buffer.rfind('\n', Offset == 0 ? 0 : Offset - 1);
  Begin = Begin == StringRef::npos || Offset == 0 ? 0 : Begin + 1;
  size_t End = Buffer.find('\n', Offset);
  End = End == StringRef::npos ? Buffer.size() : End;
  return Line{Loc.getLocWithOffset(-static_cast<int>(Offset - Begin)),
              Buffer.slice(Begin, End)};
}

} // namespace

llvm::SmallVector<FixItHint, 8>
shrinkGuardScope(const VarDecl &Guard,
                 llvm::ArrayRef<const SuspensionPoint *> HeldAt,
                 const FunctionAnalysis &F) {
  ASTContext &Ctx = F.context();
  const SourceManager &SM = Ctx.getSourceManager();
  const DeclStmt *GuardStmt = F.declarationOf(Guard);
  if (!GuardStmt || !GuardStmt->isSingleDecl())
    return {};
  const auto *Block = dyn_cast_or_null<CompoundStmt>(F.parent(*GuardStmt));
  if (!Block)
    return {};

  llvm::ArrayRef<Stmt *> Stmts(Block->body_begin(), Block->body_end());
  size_t First = llvm::find(Stmts, GuardStmt) - Stmts.begin();
  size_t Suspending = First + 1;
  while (Suspending < Stmts.size() &&
         llvm::none_of(HeldAt, [&](const SuspensionPoint *P) {
           return contains(*Stmts[Suspending], P->E->getBeginLoc(), SM);
         }))
    ++Suspending;
  if (Suspending >= Stmts.size() || Suspending < First + 2)
    return {};
  for (size_t I = Suspending + 1; I < Stmts.size(); ++I)
    if (!isa<ReturnStmt, CoreturnStmt>(Stmts[I]))
      return {};

  // Nothing from the suspension on may name the guard or what the wrapped
  // statements declare; no labels may move into the new block.
  ReferencedDecls After;
  for (size_t I = Suspending; I < Stmts.size(); ++I)
    After.TraverseStmt(Stmts[I]);
  if (After.Decls.contains(&Guard))
    return {};
  for (size_t I = First + 1; I < Suspending; ++I) {
    if (isa<LabelStmt, SwitchCase>(Stmts[I]))
      return {};
    if (const auto *Decl = dyn_cast<DeclStmt>(Stmts[I]))
      for (const clang::Decl *D : Decl->decls())
        if (!isa<VarDecl>(D) || After.Decls.contains(D))
          return {};
  }

  // Each wrapped statement starts its line; the last one ends its line.
  SourceLocation Begin = Stmts[First]->getBeginLoc();
  SourceLocation End = Stmts[Suspending - 1]->getEndLoc();
  if (Begin.isMacroID() || End.isMacroID() ||
      Stmts[Suspending]->getBeginLoc().isMacroID() ||
      SM.getFileID(Begin) != SM.getFileID(End))
    return {};
  std::optional<Line> FirstLine = lineOf(Begin, SM);
  std::optional<Line> LastLine = lineOf(End, SM);
  if (!FirstLine || !LastLine ||
      !FirstLine->Text.take_front(SM.getFileOffset(Begin) -
                                  SM.getFileOffset(FirstLine->Start))
           .trim()
           .empty())
    return {};
  SourceLocation AfterEnd =
      Lexer::getLocForEndOfToken(End, 0, SM, Ctx.getLangOpts());
  StringRef Rest = LastLine->Text.drop_front(SM.getFileOffset(AfterEnd) -
                                             SM.getFileOffset(LastLine->Start));
  Rest = Rest.ltrim(" \t;");
  if (!Rest.empty() && !Rest.starts_with("//"))
    return {};
  if (SM.getSpellingLineNumber(Stmts[Suspending]->getBeginLoc()) <=
      SM.getSpellingLineNumber(End))
    return {};

  StringRef Indent = FirstLine->Text.take_while(
      [](char C) { return C == ' ' || C == '\t'; });
  llvm::SmallVector<FixItHint, 8> Hints;
  Hints.push_back(FixItHint::CreateInsertion(
      FirstLine->Start, (Indent + "{\n  ").str()));
  unsigned FromLine = SM.getSpellingLineNumber(Begin) + 1;
  unsigned ToLine = SM.getSpellingLineNumber(End);
  FileID File = SM.getFileID(Begin);
  for (unsigned LineNo = FromLine; LineNo <= ToLine; ++LineNo) {
    SourceLocation Start = SM.translateLineCol(File, LineNo, 1);
    std::optional<Line> L = lineOf(Start, SM);
    if (L && !L->Text.trim().empty())
      Hints.push_back(FixItHint::CreateInsertion(Start, "  "));
  }
  SourceLocation LineEnd = LastLine->Start.getLocWithOffset(LastLine->Text.size());
  Hints.push_back(
      FixItHint::CreateInsertion(LineEnd, ("\n" + Indent + "}").str()));
  return Hints;
}

} // namespace corotidy::fixits
