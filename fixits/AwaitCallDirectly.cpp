//===--- AwaitCallDirectly.cpp - corotidy ----------------------*- C++ -*-===//

#include "fixits/AwaitCallDirectly.h"
#include "clang/Basic/SourceManager.h"
#include "clang/Lex/Lexer.h"

namespace clang::tidy::coro::fixits {

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

std::optional<llvm::SmallVector<FixItHint, 2>>
awaitCallDirectly(const DeclStmt &TaskDecl, const Expr &Call,
                  const Expr &AwaitedOperand, const SourceManager &SM,
                  const LangOptions &LangOpts) {
  std::optional<CharSourceRange> DeclRange =
      fileRangeOf(TaskDecl.getSourceRange(), SM, LangOpts);
  std::optional<CharSourceRange> CallRange =
      fileRangeOf(Call.getSourceRange(), SM, LangOpts);
  std::optional<CharSourceRange> OperandRange =
      fileRangeOf(AwaitedOperand.getSourceRange(), SM, LangOpts);
  if (!DeclRange || !CallRange || !OperandRange)
    return std::nullopt;
  FileID File = SM.getFileID(DeclRange->getBegin());
  if (SM.getFileID(OperandRange->getBegin()) != File ||
      SM.getFileID(CallRange->getBegin()) != File)
    return std::nullopt;

  bool Invalid = false;
  StringRef CallText = Lexer::getSourceText(*CallRange, SM, LangOpts, &Invalid);
  if (Invalid || CallText.empty())
    return std::nullopt;

  SourceLocation AfterDecl = skipWhitespace(DeclRange->getEnd(), SM);
  llvm::SmallVector<FixItHint, 2> Hints;
  Hints.push_back(FixItHint::CreateRemoval(
      CharSourceRange::getCharRange(DeclRange->getBegin(), AfterDecl)));
  Hints.push_back(FixItHint::CreateReplacement(*OperandRange, CallText));
  return Hints;
}

} // namespace clang::tidy::coro::fixits
