//===--- ConceptMigration.cpp - corotidy -----------------------*- C++ -*-===//

#include "fixits/ConceptMigration.h"
#include "migration/MigrationRules.h"
#include "clang/AST/ASTContext.h"
#include "clang/AST/Attr.h"
#include "clang/AST/DeclTemplate.h"
#include "clang/AST/TypeLoc.h"
#include "clang/Basic/SourceManager.h"
#include "clang/Lex/HeaderSearch.h"
#include "clang/Lex/Lexer.h"
#include "clang/Lex/Preprocessor.h"
#include "llvm/ADT/StringSet.h"

namespace corotidy::fixits {

using namespace corotidy::migration;

namespace {

std::optional<std::string> textOf(SourceRange Range, ASTContext &Ctx) {
  const SourceManager &SM = Ctx.getSourceManager();
  if (!editable(Range.getBegin(), SM) || !editable(Range.getEnd(), SM) ||
      SM.getFileID(Range.getBegin()) != SM.getFileID(Range.getEnd()))
    return std::nullopt;
  bool Invalid = false;
  StringRef Text = Lexer::getSourceText(CharSourceRange::getTokenRange(Range), SM,
                                        Ctx.getLangOpts(), &Invalid);
  if (Invalid || Text.empty())
    return std::nullopt;
  return Text.str();
}

SourceLocation endOfToken(SourceLocation Loc, ASTContext &Ctx) {
  return Lexer::getLocForEndOfToken(Loc, 0, Ctx.getSourceManager(), Ctx.getLangOpts());
}


// `{ self.load(static_cast<decltype(a0_0) &&>(a0_0)) } -> std::same_as<R>;`
// and the requires-parameters it uses. Forwarding each parameter as declared
// keeps move-only by-value parameters working.
std::optional<std::string> requirementFor(const CXXMethodDecl &Method, unsigned Index,
                                          std::string &Parameters, ASTContext &Ctx) {
  std::optional<std::string> Result = textOf(Method.getReturnTypeSourceRange(), Ctx);
  if (!Result)
    return std::nullopt;
  std::string Call = (Method.isConst() ? "cself." : "self.") +
                     Method.getNameAsString() + "(";
  for (unsigned P = 0; P < Method.getNumParams(); ++P) {
    const ParmVarDecl *Param = Method.getParamDecl(P);
    TypeSourceInfo *Info = Param->getTypeSourceInfo();
    std::optional<std::string> Type =
        Info ? textOf(SourceRange(Param->getBeginLoc(),
                                  Info->getTypeLoc().getSourceRange().getEnd()),
                      Ctx)
             : std::nullopt;
    if (!Type)
      return std::nullopt;
    std::string Name = "a" + std::to_string(Index) + "_" + std::to_string(P);
    Parameters += ", " + *Type + " " + Name;
    Call += (P ? ", " : "") + std::string("static_cast<decltype(") + Name +
            ") &&>(" + Name + ")";
  }
  return "  { " + Call + ") } -> std::same_as<" + *Result + ">;\n";
}

// Whether `Word` occurs in `Text` as a whole identifier.
bool mentionsIdentifier(StringRef Text, StringRef Word) {
  for (size_t At = Text.find(Word); At != StringRef::npos; At = Text.find(Word, At + 1)) {
    bool Starts = At == 0 || !isAsciiIdentifierContinue(Text[At - 1]);
    bool Ends = At + Word.size() == Text.size() ||
                !isAsciiIdentifierContinue(Text[At + Word.size()]);
    if (Starts && Ends)
      return true;
  }
  return false;
}

} // namespace

ConceptMigration::ConceptMigration(ASTContext &Ctx, Preprocessor *PP,
                                   IncludeFn AddInclude)
    : Ctx(Ctx), PP(PP), AddInclude(std::move(AddInclude)) {}

bool ConceptMigration::fail(std::string Why) {
  if (Failure.empty())
    Failure = std::move(Why);
  return false;
}

bool ConceptMigration::rewriteInterface(const CXXRecordDecl &Interface) {
  const SourceManager &SM = Ctx.getSourceManager();
  std::string Name = Interface.getNameAsString();
  std::string Parameters, Requirements;
  unsigned Index = 0;
  for (const CXXMethodDecl *Method : Interface.methods()) {
    if (Method->isImplicit() || isa<CXXDestructorDecl>(Method))
      continue;
    std::optional<std::string> Requirement =
        requirementFor(*Method, Index++, Parameters, Ctx);
    if (!Requirement)
      return fail("cannot read the declaration of '" + Method->getNameAsString() + "'");
    Requirements += *Requirement;
  }
  std::optional<Token> Semi =
      Lexer::findNextToken(Interface.getEndLoc(), SM, Ctx.getLangOpts());
  if (!Semi || !Semi->is(tok::semi) || !editable(Interface.getBeginLoc(), SM))
    return fail("cannot find the end of '" + Name + "'");
  // The template parameter must not hide a name the signatures use.
  std::string Param = "T";
  for (const char *Candidate : {"T", "Impl", "Self", "ConceptImpl"}) {
    Param = Candidate;
    if (!mentionsIdentifier(Parameters + Requirements, Param))
      break;
  }
  Hints.push_back(FixItHint::CreateReplacement(
      CharSourceRange::getTokenRange(Interface.getBeginLoc(), Semi->getLocation()),
      "template <class " + Param + ">\nconcept " + Name + " = requires(" + Param +
          " &self, const " + Param + " &cself" + Parameters + ") {\n" +
          Requirements + "};"));
  // std::same_as needs <concepts>.
  return addInclude(SM.getFileID(Interface.getBeginLoc()), "<concepts>");
}

bool ConceptMigration::removeBases(
    const CXXRecordDecl &Impl, llvm::ArrayRef<const CXXRecordDecl *> Interfaces) {
  const SourceManager &SM = Ctx.getSourceManager();
  llvm::SmallVector<const CXXBaseSpecifier *, 4> Bases;
  std::string Kept;
  for (const CXXBaseSpecifier &B : Impl.bases()) {
    Bases.push_back(&B);
    const CXXRecordDecl *Class = B.getType()->getAsCXXRecordDecl();
    if (llvm::any_of(Interfaces,
                     [&](const CXXRecordDecl *I) { return isInterface(Class, *I); }))
      continue;
    std::optional<std::string> Text = textOf(B.getSourceRange(), Ctx);
    if (!Text)
      return fail("cannot read the bases of '" + Impl.getNameAsString() + "'");
    Kept += (Kept.empty() ? "" : ", ") + *Text;
  }
  if (Bases.empty())
    return fail("cannot find the base list of '" + Impl.getNameAsString() + "'");
  SourceLocation End = endOfToken(Bases.back()->getEndLoc(), Ctx);
  if (!Kept.empty()) {
    // `: Loader, Other` -> `: Other`: the whole list in one edit, so that a
    // class dropping two interfaces gets one replacement, not two that
    // overlap.
    Hints.push_back(FixItHint::CreateReplacement(
        CharSourceRange::getCharRange(Bases.front()->getBeginLoc(), End), Kept));
    return true;
  }
  // `struct Disk final : Loader {` -> `struct Disk final {`: from the end of
  // the token before the colon to the end of the last base.
  SourceLocation Previous = Impl.getLocation();
  for (int Step = 0; Step < 32; ++Step) {
    std::optional<Token> Next = Lexer::findNextToken(Previous, SM, Ctx.getLangOpts());
    if (!Next || Next->is(tok::l_brace) || Next->is(tok::eof))
      break;
    if (Next->is(tok::colon)) {
      Hints.push_back(FixItHint::CreateRemoval(
          CharSourceRange::getCharRange(endOfToken(Previous, Ctx), End)));
      return true;
    }
    Previous = Next->getLocation();
  }
  return fail("cannot find the base list of '" + Impl.getNameAsString() + "'");
}

bool ConceptMigration::rewriteImplementation(
    const CXXRecordDecl &Impl, llvm::ArrayRef<const CXXRecordDecl *> Interfaces,
    const llvm::SmallPtrSetImpl<const CXXMethodDecl *> &Moving) {
  const SourceManager &SM = Ctx.getSourceManager();
  for (const CXXRecordDecl *Interface : Interfaces) {
    const CXXBaseSpecifier *Base = interfaceBase(Impl, *Interface);
    if (!Base || !editable(Base->getBeginLoc(), SM) || !editable(Base->getEndLoc(), SM))
      return fail("cannot edit the bases of '" + Impl.getNameAsString() + "'");
  }
  if (!removeBases(Impl, Interfaces))
    return false;
  for (const CXXMethodDecl *Method : Impl.methods()) {
    if (Method->isImplicit() || !overridesOnlyInterfaces(*Method, Interfaces))
      continue;
    for (const Attr *A : Method->attrs())
      if (Moving.contains(Method->getCanonicalDecl()))
        break;
      else
      if (isa<OverrideAttr, FinalAttr>(A) && !A->isImplicit() &&
          editable(A->getLocation(), SM))
        Hints.push_back(FixItHint::CreateRemoval(CharSourceRange::getCharRange(
            A->getLocation().getLocWithOffset(-1), endOfToken(A->getLocation(), Ctx))));
    SourceLocation Begin = Method->getBeginLoc();
    if (std::optional<std::string> First = textOf(SourceRange(Begin, Begin), Ctx);
        First && *First == "virtual")
      Hints.push_back(FixItHint::CreateRemoval(
          CharSourceRange::getCharRange(Begin, Begin.getLocWithOffset(8))));
  }
  return true;
}

bool ConceptMigration::rewriteDispatcher(const FunctionDecl &Fn,
                                         const CXXRecordDecl &Interface) {
  const SourceManager &SM = Ctx.getSourceManager();
  for (const FunctionDecl *Redecl : Fn.redecls())
    for (TypeLoc Loc : interfaceParameterTypes(*Redecl, Interface)) {
      if (!editable(Loc.getEndLoc(), SM))
        return fail("cannot edit the parameters of '" + Fn.getNameAsString() + "'");
      Hints.push_back(
          FixItHint::CreateInsertion(endOfToken(Loc.getEndLoc(), Ctx), " auto"));
    }
  return true;
}

std::optional<std::string>
ConceptMigration::instantiation(const FunctionDecl &Definition,
                                const CXXRecordDecl &Interface,
                                StringRef ConcreteName) {
  std::optional<std::string> Result =
      textOf(Definition.getReturnTypeSourceRange(), Ctx);
  SourceLocation NameBegin = Definition.getQualifierLoc()
                                 ? Definition.getQualifierLoc().getBeginLoc()
                                 : Definition.getLocation();
  std::optional<std::string> Name =
      textOf(SourceRange(NameBegin, Definition.getNameInfo().getEndLoc()), Ctx);
  if (!Result || !Name)
    return std::nullopt;
  std::string Text = "template " + *Result + " " + *Name + "(";
  for (const ParmVarDecl *Param : Definition.parameters()) {
    TypeSourceInfo *Info = Param->getTypeSourceInfo();
    if (!Info)
      return std::nullopt;
    std::optional<std::string> Type = textOf(
        SourceRange(Param->getBeginLoc(), Info->getTypeLoc().getSourceRange().getEnd()),
        Ctx);
    if (!Type)
      return std::nullopt;
    if (std::optional<TypeLoc> Named = interfaceNamedBy(*Param, Interface)) {
      // `const Loader &` -> `const ::Disk &`.
      const SourceManager &SM = Ctx.getSourceManager();
      unsigned Start = SM.getFileOffset(Param->getBeginLoc());
      unsigned From = SM.getFileOffset(Named->getBeginLoc()) - Start;
      unsigned To = SM.getFileOffset(endOfToken(Named->getEndLoc(), Ctx)) - Start;
      if (From > To || To > Type->size())
        return std::nullopt;
      Type = Type->substr(0, From) + ConcreteName.str() + Type->substr(To);
    }
    Text += (Param == Definition.parameters().front() ? "" : ", ") + *Type;
  }
  if (Definition.isVariadic())
    Text += Definition.param_empty() ? "..." : ", ...";
  Text += ")";
  if (const auto *Method = dyn_cast<CXXMethodDecl>(&Definition)) {
    if (Method->isConst())
      Text += " const";
    if (Method->isVolatile())
      Text += " volatile";
    if (Method->getRefQualifier() == RQ_LValue)
      Text += " &";
    else if (Method->getRefQualifier() == RQ_RValue)
      Text += " &&";
  }
  return Text + ";";
}

bool ConceptMigration::instantiate(const FunctionDecl &Definition,
                                   const CXXRecordDecl &Interface,
                                   llvm::ArrayRef<Concrete> Classes) {
  const SourceManager &SM = Ctx.getSourceManager();
  if (!Definition.hasBody() || !editable(Definition.getEndLoc(), SM))
    return fail("cannot edit the definition of '" + Definition.getNameAsString() + "'");
  std::string Text;
  for (const Concrete &Class : Classes) {
    std::string Name = Class.Seen ? "::" + Class.Seen->getQualifiedNameAsString()
                                  : "::" + Class.QualifiedName;
    std::optional<std::string> Line = instantiation(Definition, Interface, Name);
    if (!Line)
      return fail("cannot spell an explicit instantiation of '" +
                  Definition.getNameAsString() + "'");
    Text += "\n" + *Line;
    if (Class.Seen && Class.Seen->hasDefinition())
      continue;
    // The class is defined in a header this file does not include yet.
    if (!PP)
      return fail("cannot include the definition of '" + Class.QualifiedName + "'");
    auto File = SM.getFileManager().getOptionalFileRef(Class.HeaderPath);
    if (!File)
      return fail("cannot find '" + Class.HeaderPath + "'");
    bool Angled = false;
    std::string Spelling = PP->getHeaderSearchInfo().suggestPathToFileForDiagnostics(
        *File, SM.getFileEntryRefForID(SM.getMainFileID())->getDir().getName(), &Angled);
    if (!addInclude(SM.getFileID(Definition.getEndLoc()),
                    Angled ? "<" + Spelling + ">" : Spelling))
      return false;
  }
  if (!Text.empty())
    Hints.push_back(
        FixItHint::CreateInsertion(endOfToken(Definition.getEndLoc(), Ctx), Text));
  return true;
}

namespace {

// The leading whitespace of the line \p Loc is on.
std::string indentOf(SourceLocation Loc, const SourceManager &SM) {
  bool Invalid = false;
  StringRef Buffer = SM.getBufferData(SM.getFileID(Loc), &Invalid);
  if (Invalid)
    return "";
  unsigned Offset = SM.getFileOffset(Loc);
  size_t LineStart = Buffer.rfind('\n', Offset ? Offset - 1 : 0);
  LineStart = LineStart == StringRef::npos ? 0 : LineStart + 1;
  StringRef Line = Buffer.substr(LineStart);
  return Line.take_while([](char C) { return C == ' ' || C == '\t'; }).str();
}

// \p Text with every line after the first moved from indentation \p From to
// \p To.
std::string reindent(StringRef Text, StringRef From, StringRef To) {
  llvm::SmallVector<StringRef, 32> Lines;
  Text.split(Lines, '\n');
  std::string Out;
  for (size_t I = 0; I < Lines.size(); ++I) {
    StringRef Line = Lines[I];
    if (I > 0) {
      Out += "\n";
      if (Line.trim().empty()) {
        continue;
      }
      if (Line.starts_with(From))
        Line = Line.drop_front(From.size());
      Out += To.str();
    }
    Out += Line.str();
  }
  return Out;
}

} // namespace

bool ConceptMigration::moveToHeader(const FunctionDecl &Definition,
                                    const ReachFn &Reaches, bool DropOverride) {
  const SourceManager &SM = Ctx.getSourceManager();
  std::string Name = "'" + Definition.getNameAsString() + "'";
  const FunctionDecl *Header = headerDeclaration(Definition, SM);
  const Stmt *Body = Definition.getBody();
  if (!Header || !Body || !editable(*Header, SM) || !editable(Definition, SM))
    return fail("cannot move " + Name + " into its header");
  std::optional<Token> Semi =
      Lexer::findNextToken(Header->getEndLoc(), SM, Ctx.getLangOpts());
  std::optional<std::string> BodyText = textOf(Body->getSourceRange(), Ctx);
  if (!Semi || !Semi->is(tok::semi) || !BodyText)
    return fail("cannot move " + Name + " into its header");
  FileID HeaderFile = SM.getFileID(Header->getLocation());
  OptionalFileEntryRef HeaderEntry = SM.getFileEntryRefForID(HeaderFile);
  if (!HeaderEntry)
    return fail("cannot move " + Name + " into its header");
  unsigned HeaderOffset = SM.getFileOffset(Header->getBeginLoc());
  // What the body names must be declared where it goes.
  llvm::StringSet<> Added;
  for (const Reference &R : referencesOf(Definition, Ctx)) {
    llvm::SmallVector<const Decl *, 4> Candidates;
    const auto *Tag = dyn_cast<TagDecl>(R.D);
    if (Tag && R.NeedsDefinition && Tag->getDefinition())
      Candidates.push_back(Tag->getDefinition());
    else
      for (const Decl *Redecl : R.D->redecls())
        Candidates.push_back(Redecl);
    bool Reached = false;
    OptionalFileEntryRef Needed;
    for (const Decl *Candidate : Candidates) {
      SourceLocation Loc = SM.getExpansionLoc(Candidate->getLocation());
      if (Loc.isInvalid()) {
        Reached = true; // Built in.
        break;
      }
      FileID File = SM.getFileID(Loc);
      if (File == HeaderFile) {
        Reached |= SM.getFileOffset(Loc) < HeaderOffset;
        continue;
      }
      if (SM.isInMainFile(Loc))
        continue;
      OptionalFileEntryRef Entry = SM.getFileEntryRefForID(File);
      if (!Entry || Reaches(&HeaderEntry->getFileEntry(), &Entry->getFileEntry())) {
        Reached = true;
        break;
      }
      if (!Needed) {
        // A system header's public entry point: the outermost system header
        // on the way from a file of ours to it.
        FileID Public = File;
        while (SM.isInSystemHeader(SM.getLocForStartOfFile(Public))) {
          FileID Includer = SM.getFileID(SM.getIncludeLoc(Public));
          if (Includer.isInvalid() ||
              !SM.isInSystemHeader(SM.getLocForStartOfFile(Includer)))
            break;
          Public = Includer;
        }
        Needed = SM.getFileEntryRefForID(Public);
      }
    }
    if (Reached)
      continue;
    if (!Needed)
      return fail(Name + " uses '" + R.D->getNameAsString() +
                  "', which its header declares later or not at all");
    if (Reaches(&Needed->getFileEntry(), &HeaderEntry->getFileEntry()))
      return fail("including '" + Needed->getName().str() + "' into '" +
                  HeaderEntry->getName().str() + "' would be circular");
    bool Angled = false;
    std::string Spelling = PP ? PP->getHeaderSearchInfo().suggestPathToFileForDiagnostics(
                                    *Needed, HeaderEntry->getDir().getName(), &Angled)
                              : Needed->getName().str();
    std::string Written = Angled ? "<" + Spelling + ">" : Spelling;
    if (!Added.insert(Written).second)
      continue;
    // Only this translation unit knows the body, while every one that sees
    // the header adds <concepts> to it, at the same place when the two sort
    // together: one merged insertion here against a single one elsewhere
    // would conflict when the files' fixes are merged. So this include goes
    // in before the line break that ends the line above, which no other
    // translation unit edits.
    std::optional<FixItHint> Hint = AddInclude(HeaderFile, Written);
    if (!Hint)
      continue;
    SourceLocation At = Hint->RemoveRange.getBegin();
    if (Hint->CodeToInsert.size() > 1 && StringRef(Hint->CodeToInsert).ends_with("\n") &&
        SM.getFileOffset(At) > 0 &&
        *SM.getCharacterData(At.getLocWithOffset(-1)) == '\n') {
      At = At.getLocWithOffset(-1);
      Hint = FixItHint::CreateInsertion(
          At, "\n" + StringRef(Hint->CodeToInsert).rtrim('\n').str());
    }
    Hints.push_back(*Hint);
  }
  // The body replaces the header declaration's `;`, indented as it is.
  SourceLocation DefinitionBegin = Definition.getOuterLocStart();
  // `Task<int> write(int) override;` -> `Task<int> write(int) {...}`: one
  // edit from the end of the declarator, which no other translation unit
  // touches (they leave this declaration's `override` to this one).
  SourceLocation From = Semi->getLocation();
  if (DropOverride)
    for (const Attr *A : Header->attrs())
      if (isa<OverrideAttr, FinalAttr>(A) && !A->isImplicit() &&
          editable(A->getLocation(), SM) &&
          SM.isBeforeInTranslationUnit(A->getLocation(), From))
        From = A->getLocation().getLocWithOffset(-1);
  Hints.push_back(FixItHint::CreateReplacement(
      CharSourceRange::getCharRange(From, Semi->getLocation().getLocWithOffset(1)),
      " " + reindent(*BodyText, indentOf(DefinitionBegin, SM),
                     indentOf(Header->getBeginLoc(), SM))));
  // The definition goes, with its line, and a blank line it would leave
  // doubled.
  bool Invalid = false;
  StringRef Source = SM.getBufferData(SM.getFileID(DefinitionBegin), &Invalid);
  if (Invalid)
    return fail("cannot read the definition of " + Name);
  unsigned Begin = SM.getFileOffset(DefinitionBegin);
  unsigned End = SM.getFileOffset(endOfToken(Body->getEndLoc(), Ctx));
  while (Begin > 0 && (Source[Begin - 1] == ' ' || Source[Begin - 1] == '\t'))
    --Begin;
  while (End < Source.size() && (Source[End] == ' ' || Source[End] == '\t'))
    ++End;
  if (End < Source.size() && Source[End] == '\n')
    ++End;
  bool BlankBefore = Begin >= 2 && Source[Begin - 1] == '\n' && Source[Begin - 2] == '\n';
  if (BlankBefore && End < Source.size() && Source[End] == '\n')
    ++End;
  else if (BlankBefore && End == Source.size())
    --Begin; // No blank line left at the end of the file.
  SourceLocation FileStart = SM.getLocForStartOfFile(SM.getFileID(DefinitionBegin));
  Hints.push_back(FixItHint::CreateRemoval(CharSourceRange::getCharRange(
      FileStart.getLocWithOffset(Begin), FileStart.getLocWithOffset(End))));
  return true;
}

bool ConceptMigration::addInclude(FileID File, StringRef Spelling) {
  if (!Ctx.getSourceManager().getFileEntryRefForID(File))
    return fail("cannot add an include to a file without a name");
  if (std::optional<FixItHint> Hint = AddInclude(File, Spelling))
    Hints.push_back(*Hint);
  return true;
}

} // namespace corotidy::fixits
