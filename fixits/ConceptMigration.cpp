//===--- ConceptMigration.cpp - corotidy -----------------------*- C++ -*-===//

#include "fixits/ConceptMigration.h"
#include "migration/MigrationRules.h"
#include "clang/AST/ASTContext.h"
#include "clang/AST/Attr.h"
#include "clang/AST/DeclTemplate.h"
#include "clang/AST/TypeLoc.h"
#include "clang/Basic/CharInfo.h"
#include "clang/Basic/SourceManager.h"
#include "clang/Lex/HeaderSearch.h"
#include "clang/Lex/Lexer.h"
#include "clang/Lex/Preprocessor.h"
#include "llvm/ADT/StringSet.h"
#include "llvm/Support/Path.h"

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


// Whether a by-value parameter of type \p T can be passed an lvalue of
// it: its class has a usable copy constructor. Unknown classes are not.
bool isCopyable(QualType T) {
  const CXXRecordDecl *RD = T->getAsCXXRecordDecl();
  if (!RD)
    return true;
  RD = RD->getDefinition();
  if (!RD)
    return false;
  if (RD->needsImplicitCopyConstructor())
    return !RD->defaultedCopyConstructorIsDeleted();
  for (const CXXConstructorDecl *Ctor : RD->ctors())
    if (Ctor->isCopyConstructor() && !Ctor->isDeleted() &&
        Ctor->getAccess() == AS_public)
      return true;
  return false;
}

// A name for an unnamed parameter, from its type as written: `const
// Request &` -> `request`; `value` when the type names no class.
std::string nameFromType(StringRef Type) {
  static const llvm::StringSet<> Keywords = {
      "const", "volatile", "unsigned", "signed", "long", "short", "int", "char",
      "bool", "float", "double", "void", "auto", "std", "struct", "class",
      "enum", "typename", "wchar_t", "char8_t", "char16_t", "char32_t"};
  StringRef Rest = Type.take_until([](char C) { return C == '<'; });
  std::string Found;
  while (!Rest.empty()) {
    Rest = Rest.drop_until([](char C) { return isAsciiIdentifierStart(C); });
    StringRef Word = Rest.take_while([](char C) { return isAsciiIdentifierContinue(C); });
    Rest = Rest.drop_front(Word.size());
    if (!Word.empty() && !Keywords.contains(Word) && !Rest.starts_with("::"))
      Found = Word.str();
  }
  if (Found.empty())
    return "value";
  Found[0] = toLowercase(Found[0]);
  if (Keywords.contains(Found))
    return "value";
  return Found;
}

// The comment lines right above \p D, as written (the method's doc
// comment), each ending in a line break.
std::string commentAbove(const Decl &D, const SourceManager &SM) {
  bool Invalid = false;
  SourceLocation Begin = SM.getExpansionLoc(D.getBeginLoc());
  StringRef Buffer = SM.getBufferData(SM.getFileID(Begin), &Invalid);
  if (Invalid)
    return "";
  StringRef Before = Buffer.take_front(SM.getFileOffset(Begin));
  // Drop the method's own line's indentation, then walk up line by line.
  Before = Before.rtrim(" \t");
  if (!Before.ends_with("\n"))
    return "";
  Before = Before.drop_back();
  llvm::SmallVector<StringRef, 4> Lines;
  while (!Before.empty()) {
    size_t Break = Before.rfind('\n');
    StringRef Line = Break == StringRef::npos ? Before : Before.substr(Break + 1);
    StringRef Trimmed = Line.trim();
    if (!Trimmed.starts_with("//") && !Trimmed.starts_with("/*") &&
        !Trimmed.starts_with("*"))
      break;
    Lines.push_back(Trimmed);
    if (Break == StringRef::npos)
      break;
    Before = Before.take_front(Break);
  }
  // Lines with nothing after `//` at either end of the block are not part
  // of what it says.
  auto Empty = [](StringRef Line) { return Line.ltrim('/').trim().empty(); };
  while (!Lines.empty() && Empty(Lines.back()))
    Lines.pop_back();
  while (!Lines.empty() && Empty(Lines.front()))
    Lines.erase(Lines.begin());
  std::string Out;
  for (auto It = Lines.rbegin(); It != Lines.rend(); ++It)
    Out += (It->starts_with("*") ? " " + It->str() : It->str()) + "\n";
  return Out;
}

// One requires-parameter: `const Request &request`.
struct RequiresParameter {
  std::string Type;
  std::string Name;
};

// One requirement: the comment above the interface's function, and
// `{ Call } -> std::same_as<Result>;`.
struct Requirement {
  std::string Comment; ///< Lines without indentation, each ending in \n.
  std::string Call;
  std::string Result;
};

// \p Parameters after \p Head, wrapped at 80 columns and aligned after it.
std::vector<std::string> wrapParameters(StringRef Head,
                                        llvm::ArrayRef<std::string> Parameters) {
  std::vector<std::string> Lines{Head.str()};
  std::string Indent(Head.size(), ' ');
  for (size_t I = 0; I < Parameters.size(); ++I) {
    StringRef Tail = I + 1 == Parameters.size() ? ") {" : ",";
    bool First = Lines.back().size() == Head.size() && Lines.size() == 1;
    bool Fresh = First || Lines.back() == Indent;
    if (!Fresh && Lines.back().size() + 1 + Parameters[I].size() + Tail.size() > 80) {
      Lines.push_back(Indent);
      Fresh = true;
    }
    Lines.back() += (Fresh ? "" : " ") + Parameters[I] + Tail.str();
  }
  if (Parameters.empty())
    Lines.back() += ") {";
  return Lines;
}

// The concept, laid out as clang-format (LLVM style) lays it out: the
// requires-expression after `=` when its parameters fit in two lines
// aligned after the parenthesis, else on a line of its own, indented; a
// requirement that does not fit in 80 columns gets its expression on a line
// of its own.
std::string conceptText(StringRef Name, StringRef Param,
                        llvm::ArrayRef<std::string> Parameters,
                        llvm::ArrayRef<Requirement> Requirements) {
  std::string Head = "concept " + Name.str() + " = requires(";
  std::vector<std::string> Lines = wrapParameters(Head, Parameters);
  std::string Body = "  ";
  if (Lines.size() > 2) {
    Lines = wrapParameters("    requires(", Parameters);
    Lines.insert(Lines.begin(), "concept " + Name.str() + " =");
    Body = "      ";
  }
  std::string Out = "template <class " + Param.str() + ">\n";
  for (const std::string &Line : Lines)
    Out += Line + "\n";
  for (const Requirement &R : Requirements) {
    StringRef Comment = R.Comment;
    while (!Comment.empty()) {
      auto [Line, Rest] = Comment.split('\n');
      Out += Body + Line.str() + "\n";
      Comment = Rest;
    }
    std::string Line = Body + "{ " + R.Call + " } -> std::same_as<" + R.Result + ">;";
    if (Line.size() <= 80)
      Out += Line + "\n";
    else
      Out += Body + "{\n" + Body + "  " + R.Call + "\n" + Body +
             "} -> std::same_as<" + R.Result + ">;\n";
  }
  return Out + Body.substr(2) + "};";
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
  // The interface's methods, their parameters, and what the signatures
  // mention (a parameter must not take a name a type uses).
  llvm::SmallVector<const CXXMethodDecl *, 8> Methods;
  std::string Signatures;
  bool AnyConst = false, AnyMutable = false;
  for (const CXXMethodDecl *Method : Interface.methods()) {
    if (Method->isImplicit() || isa<CXXDestructorDecl>(Method))
      continue;
    Methods.push_back(Method);
    (Method->isConst() ? AnyConst : AnyMutable) = true;
    std::optional<std::string> Result = textOf(Method->getReturnTypeSourceRange(), Ctx);
    if (!Result)
      return fail("cannot read the declaration of '" + Method->getNameAsString() + "'");
    Signatures += " " + *Result;
    for (const ParmVarDecl *Param : Method->parameters())
      if (TypeSourceInfo *Info = Param->getTypeSourceInfo())
        if (std::optional<std::string> Type = textOf(
                SourceRange(Param->getBeginLoc(),
                            Info->getTypeLoc().getSourceRange().getEnd()),
                Ctx))
          Signatures += " " + *Type;
  }
  // The template parameter must not hide a name the signatures use.
  std::string Param = "T";
  for (const char *Candidate : {"T", "Impl", "Self", "ConceptImpl"}) {
    Param = Candidate;
    if (!mentionsIdentifier(Signatures, Param))
      break;
  }
  // The object parameters the requirements use: `self` for non-const
  // functions, `const T &self` when all are const, `cself` for the const
  // ones beside non-const ones.
  std::vector<std::string> Parameters;
  if (AnyMutable)
    Parameters.push_back(Param + " &self");
  if (AnyConst)
    Parameters.push_back("const " + Param + " &" + (AnyMutable ? "cself" : "self"));
  std::string ConstObject = AnyMutable ? "cself" : "self";
  std::vector<RequiresParameter> Declared;
  std::vector<Requirement> Requirements;
  bool NeedsUtility = false;
  for (const CXXMethodDecl *Method : Methods) {
    std::optional<std::string> Result = textOf(Method->getReturnTypeSourceRange(), Ctx);
    std::string Call = (Method->isConst() ? ConstObject : std::string("self")) + "." +
                       Method->getNameAsString() + "(";
    for (unsigned P = 0; P < Method->getNumParams(); ++P) {
      const ParmVarDecl *Parm = Method->getParamDecl(P);
      TypeSourceInfo *Info = Parm->getTypeSourceInfo();
      std::optional<std::string> Type =
          Info ? textOf(SourceRange(Parm->getBeginLoc(),
                                    Info->getTypeLoc().getSourceRange().getEnd()),
                        Ctx)
               : std::nullopt;
      if (!Type)
        return fail("cannot read the declaration of '" + Method->getNameAsString() + "'");
      // `const Request &` `request`, or `std::string body`: the type as
      // written, and the interface's name for the parameter.
      std::string Wanted = Parm->getName().empty() ? nameFromType(*Type)
                                                   : Parm->getName().str();
      std::string Chosen = Wanted;
      for (unsigned Suffix = 2;; ++Suffix) {
        auto Same = llvm::find_if(Declared, [&](const RequiresParameter &D) {
          return D.Name == Chosen;
        });
        bool Clash = Chosen == "self" || Chosen == "cself" || Chosen == Param ||
                     mentionsIdentifier(Signatures, Chosen);
        if (!Clash && Same == Declared.end()) {
          Declared.push_back({*Type, Chosen});
          std::string Spelled = *Type;
          if (!Spelled.empty() && Spelled.back() != '&' && Spelled.back() != '*')
            Spelled += " ";
          Parameters.push_back(Spelled + Chosen);
          break;
        }
        if (!Clash && Same->Type == *Type)
          break; // One parameter serves both requirements.
        Chosen = Wanted + std::to_string(Suffix);
      }
      // An rvalue reference, or a class that cannot be copied, is moved
      // into the call; everything else is passed as it is.
      QualType T = Parm->getType();
      bool Move = T->isRValueReferenceType() ||
                  (!T->isReferenceType() && !isCopyable(T));
      NeedsUtility |= Move;
      Call += (P ? ", " : "") + (Move ? "std::move(" + Chosen + ")" : Chosen);
    }
    Requirements.push_back({commentAbove(*Method, SM), Call + ")", *Result});
  }
  std::optional<Token> Semi =
      Lexer::findNextToken(Interface.getEndLoc(), SM, Ctx.getLangOpts());
  if (!Semi || !Semi->is(tok::semi) || !editable(Interface.getBeginLoc(), SM))
    return fail("cannot find the end of '" + Name + "'");
  Hints.push_back(FixItHint::CreateReplacement(
      CharSourceRange::getTokenRange(Interface.getBeginLoc(), Semi->getLocation()),
      conceptText(Name, Param, Parameters, Requirements)));
  // std::same_as needs <concepts>, std::move <utility>.
  FileID File = SM.getFileID(Interface.getBeginLoc());
  return addInclude(File, "<concepts>") &&
         (!NeedsUtility || addInclude(File, "<utility>"));
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
  size_t LineStart = Buffer.rfind('\n', Offset);
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
  // A comment on the header declaration that says where the definition was
  // (`// Defined in auth.cpp.`) would be wrong now: it goes.
  StringRef DefinitionFile = llvm::sys::path::filename(
      SM.getFilename(SM.getExpansionLoc(Definition.getLocation())));
  {
    bool Invalid = false;
    StringRef Header = SM.getBufferData(HeaderFile, &Invalid);
    size_t LineStart = Header.rfind('\n', HeaderOffset);
    if (!Invalid && LineStart != StringRef::npos && LineStart > 0) {
      size_t Above = Header.rfind('\n', LineStart);
      Above = Above == StringRef::npos ? 0 : Above + 1;
      StringRef Line = Header.slice(Above, LineStart).trim();
      if (Line.starts_with("//") && !DefinitionFile.empty() &&
          mentionsIdentifier(Line, DefinitionFile.take_until([](char C) {
            return C == '.';
          })) &&
          Line.contains(DefinitionFile)) {
        SourceLocation Start = SM.getLocForStartOfFile(HeaderFile);
        Hints.push_back(FixItHint::CreateRemoval(CharSourceRange::getCharRange(
            Start.getLocWithOffset(Above), Start.getLocWithOffset(LineStart + 1))));
      }
    }
  }
  // The definition goes, with its line, and a blank line it would leave
  // doubled; so does a namespace of the source file that held only it.
  bool Invalid = false;
  StringRef Source = SM.getBufferData(SM.getFileID(DefinitionBegin), &Invalid);
  if (Invalid)
    return fail("cannot read the definition of " + Name);
  unsigned Begin = SM.getFileOffset(DefinitionBegin);
  unsigned End = SM.getFileOffset(endOfToken(Body->getEndLoc(), Ctx));
  if (const auto *NS = dyn_cast<NamespaceDecl>(Definition.getLexicalDeclContext());
      NS && !NS->isAnonymousNamespace() && editable(*NS, SM) &&
      SM.isInMainFile(NS->getBeginLoc()) &&
      llvm::count_if(NS->decls(), [](const Decl *D) { return !D->isImplicit(); }) == 1) {
    Begin = SM.getFileOffset(NS->getBeginLoc());
    End = SM.getFileOffset(endOfToken(NS->getRBraceLoc(), Ctx));
    // The closing comment, `} // namespace server`.
    StringRef Rest = Source.substr(End).take_until([](char C) { return C == '\n'; });
    if (Rest.trim().starts_with("//"))
      End += Rest.size();
  }
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

bool ConceptMigration::firstIncludeIsOwnHeader(StringRef Text) {
  if (OwnHeader)
    return *OwnHeader;
  OwnHeader = false;
  // The first `#include "x.h"` of the main file.
  StringRef Spelled;
  for (StringRef Rest = Text; !Rest.empty();) {
    auto [Line, Next] = Rest.split('\n');
    Rest = Next;
    StringRef L = Line.ltrim();
    if (!L.consume_front("#"))
      continue;
    L = L.ltrim();
    if (!L.consume_front("include") && !L.consume_front("import"))
      continue;
    L = L.ltrim();
    if (L.consume_front("\""))
      Spelled = L.take_until([](char C) { return C == '"'; });
    break;
  }
  if (Spelled.empty())
    return false;
  const SourceManager &SM = Ctx.getSourceManager();
  auto Names = [&](const Decl *D) {
    SourceLocation Loc = SM.getExpansionLoc(D->getLocation());
    if (SM.isWrittenInMainFile(Loc))
      return false;
    OptionalFileEntryRef Entry = SM.getFileEntryRefForID(SM.getFileID(Loc));
    if (!Entry)
      return false;
    StringRef Path = Entry->getName();
    return Path == Spelled || (Path.ends_with(Spelled) &&
                               llvm::sys::path::is_separator(
                                   Path[Path.size() - Spelled.size() - 1]));
  };
  // Something defined here and declared there: a function or a member
  // defined out of line, or a class whose forward declaration is there.
  std::function<bool(const DeclContext *)> Visit = [&](const DeclContext *DC) {
    for (const Decl *D : DC->decls()) {
      if (!SM.isWrittenInMainFile(SM.getExpansionLoc(D->getLocation()))) {
        if (const auto *NS = dyn_cast<NamespaceDecl>(D); NS && Visit(NS))
          return true;
        continue;
      }
      if (const auto *NS = dyn_cast<NamespaceDecl>(D)) {
        if (Visit(NS))
          return true;
        continue;
      }
      const Decl *Defined = D;
      if (const auto *T = dyn_cast<FunctionTemplateDecl>(D))
        Defined = T->getTemplatedDecl();
      if (const auto *FD = dyn_cast<FunctionDecl>(Defined);
          FD && FD->isThisDeclarationADefinition())
        for (const Decl *Prev = FD->getPreviousDecl(); Prev;
             Prev = cast<FunctionDecl>(Prev)->getPreviousDecl())
          if (Names(Prev))
            return true;
      if (const auto *RD = dyn_cast<CXXRecordDecl>(Defined);
          RD && RD->isThisDeclarationADefinition())
        for (const Decl *Prev = RD->getPreviousDecl(); Prev;
             Prev = cast<CXXRecordDecl>(Prev)->getPreviousDecl())
          if (Names(Prev))
            return true;
    }
    return false;
  };
  OwnHeader = Visit(Ctx.getTranslationUnitDecl());
  return *OwnHeader;
}

bool ConceptMigration::addInclude(FileID File, StringRef Spelling) {
  const SourceManager &SM = Ctx.getSourceManager();
  if (!SM.getFileEntryRefForID(File))
    return fail("cannot add an include to a file without a name");
  std::optional<FixItHint> Hint = AddInclude(File, Spelling);
  if (!Hint)
    return true;
  // A source file's first include, when it is the file's own header (it
  // declares something the file defines), stays first whatever its name:
  // another header never goes above it.
  bool Invalid = false;
  StringRef Text = SM.getBufferData(File, &Invalid);
  if (!Invalid && File == SM.getMainFileID() && firstIncludeIsOwnHeader(Text)) {
    size_t First = 0;
    while (First < Text.size()) {
      StringRef Line = Text.substr(First).take_until([](char C) { return C == '\n'; });
      if (Line.ltrim().starts_with("#include") || Line.ltrim().starts_with("#import"))
        break;
      First += Line.size() + 1;
    }
    unsigned At = SM.getFileOffset(Hint->RemoveRange.getBegin());
    size_t End = Text.find('\n', First);
    if (First < Text.size() && At <= First && End != StringRef::npos &&
        Text.substr(First).ltrim().drop_front(8).ltrim().starts_with("\"")) {
      StringRef Code = StringRef(Hint->CodeToInsert).trim('\n');
      Hint = FixItHint::CreateInsertion(
          SM.getLocForStartOfFile(File).getLocWithOffset(End + 1), Code.str() + "\n");
    }
  }
  Hints.push_back(*Hint);
  return true;
}

} // namespace corotidy::fixits
