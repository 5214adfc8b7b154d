//===--- ConceptMigration.cpp - corotidy -----------------------*- C++ -*-===//

#include "fixits/ConceptMigration.h"
#include "clang/AST/ASTContext.h"
#include "clang/AST/Attr.h"
#include "clang/AST/DeclTemplate.h"
#include "clang/AST/TypeLoc.h"
#include "clang/Basic/SourceManager.h"
#include "clang/Lex/HeaderSearch.h"
#include "clang/Lex/Lexer.h"
#include "clang/Lex/Preprocessor.h"

namespace clang::tidy::coro::fixits {

namespace {

// Code the migration may edit: written in a file (not produced by a macro)
// that is not a system header.
bool editable(SourceLocation Loc, const SourceManager &SM) {
  return Loc.isValid() && Loc.isFileID() && !SM.isInSystemHeader(Loc);
}

// The whole declaration is in a file: the migration can edit it.
bool editable(const Decl &D, const SourceManager &SM) {
  return editable(D.getBeginLoc(), SM) && editable(D.getEndLoc(), SM);
}

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

bool isInterface(const CXXRecordDecl *RD, const CXXRecordDecl &Interface) {
  return RD && RD->getCanonicalDecl() == Interface.getCanonicalDecl();
}

// The class a base specifier names, when it is a class.
const CXXRecordDecl *baseClass(const CXXBaseSpecifier &Base) {
  return Base.getType()->getAsCXXRecordDecl();
}

const CXXBaseSpecifier *interfaceBase(const CXXRecordDecl &Impl,
                                      const CXXRecordDecl &Interface) {
  for (const CXXBaseSpecifier &Base : Impl.bases())
    if (isInterface(baseClass(Base), Interface))
      return &Base;
  return nullptr;
}

// The methods of an implementation that override only the interface's: they
// lose `override`, `final` and `virtual`.
bool overridesOnlyInterface(const CXXMethodDecl &Method,
                            const CXXRecordDecl &Interface) {
  if (Method.size_overridden_methods() == 0)
    return false;
  for (const CXXMethodDecl *Overridden : Method.overridden_methods())
    if (!isInterface(Overridden->getParent(), Interface))
      return false;
  return true;
}

// `Loader` in `const Loader &l` or `Loader *l`.
std::optional<TypeLoc> interfaceNamedBy(const ParmVarDecl &Param,
                                        const CXXRecordDecl &Interface) {
  TypeSourceInfo *Info = Param.getTypeSourceInfo();
  if (!Info)
    return std::nullopt;
  TypeLoc Loc = Info->getTypeLoc();
  if (auto Ref = Loc.getAs<ReferenceTypeLoc>())
    Loc = Ref.getPointeeLoc();
  else if (auto Ptr = Loc.getAs<PointerTypeLoc>())
    Loc = Ptr.getPointeeLoc();
  else
    return std::nullopt;
  Loc = Loc.getUnqualifiedLoc();
  if (!isInterface(Loc.getType()->getAsCXXRecordDecl(), Interface))
    return std::nullopt;
  return Loc;
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

// Where a new `#include` goes: before the file's first one, else after its
// `#pragma once`, else at the top.
SourceLocation includeInsertionPoint(FileID File, const SourceManager &SM) {
  StringRef Buffer = SM.getBufferData(File);
  size_t At = 0;
  for (size_t Line = 0; Line < Buffer.size();) {
    StringRef Text = Buffer.substr(Line).take_until([](char C) { return C == '\n'; });
    StringRef Trimmed = Text.ltrim();
    if (Trimmed.starts_with("#include") || Trimmed.starts_with("# include"))
      return SM.getLocForStartOfFile(File).getLocWithOffset(Line);
    if (At == 0 && Trimmed.starts_with("#pragma once"))
      At = std::min(Buffer.size(), Line + Text.size() + 1);
    Line += Text.size() + 1;
  }
  return SM.getLocForStartOfFile(File).getLocWithOffset(At);
}

void block(std::vector<MigrationBlocker> &Out, std::string Kind, std::string Detail,
           SourceLocation Where) {
  Out.push_back({std::move(Kind), std::move(Detail), Where});
}

} // namespace

// ---- What blocks the migration ---------------------------------------------

std::vector<MigrationBlocker> interfaceBlockers(const CXXRecordDecl &Interface,
                                                ASTContext &Ctx) {
  const SourceManager &SM = Ctx.getSourceManager();
  std::vector<MigrationBlocker> Out;
  std::string Name = "'" + Interface.getNameAsString() + "'";
  if (!editable(Interface, SM))
    block(Out, "macro", Name + " is written by a macro", Interface.getLocation());
  if (Interface.getNumBases())
    block(Out, "interface-shape", Name + " has a base class",
          Interface.bases_begin()->getBeginLoc());
  for (const Decl *D : Interface.decls()) {
    if (D->isImplicit() || isa<AccessSpecDecl>(D))
      continue;
    if (const auto *Field = dyn_cast<FieldDecl>(D)) {
      block(Out, "interface-shape",
            Name + " has data member '" + Field->getNameAsString() + "'",
            Field->getLocation());
      continue;
    }
    if (const auto *Dtor = dyn_cast<CXXDestructorDecl>(D)) {
      // A destructor that does nothing: the concept needs none.
      const Stmt *Body = Dtor->getBody();
      if (!Dtor->isDefaulted() && !(Body && Body->children().empty()))
        block(Out, "interface-shape", Name + " has a destructor that does work",
              Dtor->getLocation());
      continue;
    }
    const auto *Method = dyn_cast<CXXMethodDecl>(D);
    if (!Method || isa<CXXConstructorDecl>(Method)) {
      const auto *Named = dyn_cast<NamedDecl>(D);
      block(Out, "interface-shape",
            Name + " declares " +
                (Named && !Named->getName().empty()
                     ? "'" + Named->getNameAsString() + "'"
                     : std::string("a member")) +
                ", which a concept cannot hold",
            D->getLocation());
      continue;
    }
    std::string Member = "'" + Method->getNameAsString() + "'";
    if (!Method->isPureVirtual())
      block(Out, "interface-shape",
            Name + " has " + Member + ", which is not pure virtual",
            Method->getLocation());
    else if (Method->isVariadic() || Method->getRefQualifier() != RQ_None ||
             Method->isVolatile())
      block(Out, "interface-shape", Member + " is variadic or ref- or volatile-qualified",
            Method->getLocation());
    else if (llvm::any_of(Method->parameters(),
                          [](const ParmVarDecl *P) { return P->hasDefaultArg(); }))
      block(Out, "interface-shape",
            Member + " has a default argument, which calls would lose",
            Method->getLocation());
    else if (!editable(*Method, SM))
      block(Out, "macro", Member + " is written by a macro", Method->getLocation());
  }
  return Out;
}

std::vector<MigrationBlocker>
implementationBlockers(const CXXRecordDecl &Impl, const CXXRecordDecl &Interface,
                       ASTContext &Ctx) {
  const SourceManager &SM = Ctx.getSourceManager();
  std::vector<MigrationBlocker> Out;
  std::string Name = "'" + Impl.getQualifiedNameAsString() + "'";
  if (isa<ClassTemplateSpecializationDecl>(Impl) || Impl.getDescribedClassTemplate()) {
    block(Out, "implementation-shape", Name + " is a class template", Impl.getLocation());
    return Out;
  }
  const CXXBaseSpecifier *Base = interfaceBase(Impl, Interface);
  if (!Base) {
    block(Out, "implementation-shape",
          Name + " derives from '" + Interface.getNameAsString() +
              "' through another class, which may be used polymorphically",
          Impl.getLocation());
    return Out;
  }
  if (Base->isVirtual() || Base->getAccessSpecifier() != AS_public)
    block(Out, "implementation-shape",
          Name + " derives from '" + Interface.getNameAsString() +
              "' virtually or not publicly",
          Base->getBeginLoc());
  if (!editable(Base->getBeginLoc(), SM) || !editable(Base->getEndLoc(), SM) ||
      !editable(Impl.getLocation(), SM))
    block(Out, "macro", Name + " names its base in a macro", Impl.getLocation());
  for (const CXXMethodDecl *Method : Impl.methods()) {
    if (Method->isImplicit() || !overridesOnlyInterface(*Method, Interface) ||
        isa<CXXDestructorDecl>(Method))
      continue;
    std::string Member = "'" + Method->getQualifiedNameAsString() + "'";
    if (Method->getAccess() != AS_public)
      block(Out, "implementation-shape",
            Member + " is not public; callers reach it only through the interface",
            Method->getLocation());
    for (const CXXMethodDecl *Overridden : Method->overridden_methods())
      if (!Ctx.hasSameType(Overridden->getReturnType(), Method->getReturnType()))
        block(Out, "implementation-shape",
              Member + " returns another type than the interface's",
              Method->getLocation());
    if (!editable(*Method, SM))
      block(Out, "macro", Member + " is written by a macro", Method->getLocation());
  }
  return Out;
}

std::vector<MigrationBlocker>
dispatcherBlockers(const FunctionDecl &Fn, const CXXRecordDecl &Interface,
                   ASTContext &Ctx) {
  const SourceManager &SM = Ctx.getSourceManager();
  std::vector<MigrationBlocker> Out;
  std::string Name = "'" + Fn.getQualifiedNameAsString() + "'";
  if (Fn.isTemplated() || Fn.isTemplateInstantiation() ||
      Fn.getTemplateSpecializationKind() != TSK_Undeclared)
    block(Out, "template-dispatcher", Name + " is a template", Fn.getLocation());
  else if (isa<CXXConstructorDecl>(Fn))
    block(Out, "template-dispatcher",
          Name + " is a constructor taking the interface", Fn.getLocation());
  for (TypeLoc Loc : interfaceParameterTypes(Fn, Interface))
    if (!editable(Loc.getBeginLoc(), SM) || !editable(Loc.getEndLoc(), SM))
      block(Out, "macro", Name + " names the interface in a macro", Loc.getBeginLoc());
  return Out;
}

llvm::SmallVector<TypeLoc, 2> interfaceParameterTypes(const FunctionDecl &Fn,
                                                      const CXXRecordDecl &Interface) {
  llvm::SmallVector<TypeLoc, 2> Out;
  for (const ParmVarDecl *Param : Fn.parameters())
    if (std::optional<TypeLoc> Loc = interfaceNamedBy(*Param, Interface))
      Out.push_back(*Loc);
  return Out;
}

// ---- The rewrite -----------------------------------------------------------

ConceptMigration::ConceptMigration(ASTContext &Ctx, Preprocessor *PP,
                                   llvm::StringSet<> &IncludesAdded)
    : Ctx(Ctx), PP(PP), IncludesAdded(IncludesAdded) {}

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
  FileID File = SM.getFileID(Interface.getBeginLoc());
  if (!SM.getBufferData(File).contains("#include <concepts>"))
    addInclude(File, "<concepts>");
  return true;
}

bool ConceptMigration::removeBase(const CXXRecordDecl &Impl,
                                  const CXXBaseSpecifier &Base) {
  const SourceManager &SM = Ctx.getSourceManager();
  llvm::SmallVector<const CXXBaseSpecifier *, 4> Bases;
  for (const CXXBaseSpecifier &B : Impl.bases())
    Bases.push_back(&B);
  size_t At = std::find(Bases.begin(), Bases.end(), &Base) - Bases.begin();
  if (Bases.size() > 1) {
    // `: Loader, Other` -> `: Other`; `: Other, Loader` -> `: Other`.
    CharSourceRange Range =
        At == 0 ? CharSourceRange::getCharRange(Base.getBeginLoc(),
                                                Bases[1]->getBeginLoc())
                : CharSourceRange::getCharRange(
                      endOfToken(Bases[At - 1]->getEndLoc(), Ctx),
                      endOfToken(Base.getEndLoc(), Ctx));
    Hints.push_back(FixItHint::CreateRemoval(Range));
    return true;
  }
  // `struct Disk final : Loader {` -> `struct Disk final {`: from the end of
  // the token before the colon to the end of the base.
  SourceLocation Previous = Impl.getLocation();
  for (int Step = 0; Step < 32; ++Step) {
    std::optional<Token> Next = Lexer::findNextToken(Previous, SM, Ctx.getLangOpts());
    if (!Next || Next->is(tok::l_brace) || Next->is(tok::eof))
      break;
    if (Next->is(tok::colon)) {
      Hints.push_back(FixItHint::CreateRemoval(CharSourceRange::getCharRange(
          endOfToken(Previous, Ctx), endOfToken(Base.getEndLoc(), Ctx))));
      return true;
    }
    Previous = Next->getLocation();
  }
  return fail("cannot find the base list of '" + Impl.getNameAsString() + "'");
}

bool ConceptMigration::rewriteImplementation(const CXXRecordDecl &Impl,
                                             const CXXRecordDecl &Interface) {
  const SourceManager &SM = Ctx.getSourceManager();
  const CXXBaseSpecifier *Base = interfaceBase(Impl, Interface);
  if (!Base || !editable(Base->getEndLoc(), SM))
    return fail("cannot edit the bases of '" + Impl.getNameAsString() + "'");
  if (!removeBase(Impl, *Base))
    return false;
  for (const CXXMethodDecl *Method : Impl.methods()) {
    if (Method->isImplicit() || !overridesOnlyInterface(*Method, Interface))
      continue;
    for (const Attr *A : Method->attrs())
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
                    Angled ? "<" + Spelling + ">" : "\"" + Spelling + "\""))
      return false;
  }
  if (!Text.empty())
    Hints.push_back(
        FixItHint::CreateInsertion(endOfToken(Definition.getEndLoc(), Ctx), Text));
  return true;
}

bool ConceptMigration::addInclude(FileID File, StringRef Spelling) {
  const SourceManager &SM = Ctx.getSourceManager();
  OptionalFileEntryRef Entry = SM.getFileEntryRefForID(File);
  if (!Entry)
    return fail("cannot add an include to a file without a name");
  std::string Key = Entry->getName().str() + "\n" + Spelling.str();
  if (!IncludesAdded.insert(Key).second)
    return true;
  Hints.push_back(FixItHint::CreateInsertion(includeInsertionPoint(File, SM),
                                             "#include " + Spelling.str() + "\n"));
  return true;
}

} // namespace clang::tidy::coro::fixits
