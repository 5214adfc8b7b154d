//===--- ConceptMigration.cpp - corotidy -----------------------*- C++ -*-===//

#include "fixits/ConceptMigration.h"
#include "clang/AST/ASTContext.h"
#include "clang/AST/Attr.h"
#include "clang/AST/TypeLoc.h"
#include "clang/Basic/SourceManager.h"
#include "clang/Lex/Lexer.h"

namespace clang::tidy::coro::fixits {

namespace {

bool inMainFile(SourceLocation Loc, const SourceManager &SM) {
  return Loc.isValid() && Loc.isFileID() && SM.isInMainFile(Loc);
}

std::optional<std::string> textOf(SourceRange Range, ASTContext &Ctx) {
  const SourceManager &SM = Ctx.getSourceManager();
  if (!inMainFile(Range.getBegin(), SM) || !inMainFile(Range.getEnd(), SM))
    return std::nullopt;
  bool Invalid = false;
  StringRef Text = Lexer::getSourceText(CharSourceRange::getTokenRange(Range), SM,
                                        Ctx.getLangOpts(), &Invalid);
  if (Invalid || Text.empty())
    return std::nullopt;
  return Text.str();
}

// The interface can become a concept: pure virtual functions and a virtual
// destructor, nothing else.
bool isPureInterface(const CXXRecordDecl &RD) {
  if (RD.getNumBases() || !RD.field_empty() || RD.getDescribedClassTemplate())
    return false;
  for (const Decl *D : RD.decls()) {
    if (D->isImplicit() || isa<AccessSpecDecl>(D))
      continue;
    if (const auto *Dtor = dyn_cast<CXXDestructorDecl>(D)) {
      // A destructor that does nothing: the concept needs none.
      const Stmt *Body = Dtor->getBody();
      if (!Dtor->isDefaulted() && !(Body && Body->children().empty()))
        return false;
      continue;
    }
    const auto *Method = dyn_cast<CXXMethodDecl>(D);
    if (!Method || !Method->isPureVirtual() || Method->isStatic())
      return false;
  }
  return true;
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

// Removes `override`, `final` and a leading `virtual` from a method.
void dropVirtualSpelling(const CXXMethodDecl &Method, ASTContext &Ctx,
                         llvm::SmallVectorImpl<FixItHint> &Hints) {
  const SourceManager &SM = Ctx.getSourceManager();
  for (const Attr *A : Method.attrs())
    if (isa<OverrideAttr, FinalAttr>(A) && !A->isImplicit() &&
        inMainFile(A->getLocation(), SM))
      Hints.push_back(FixItHint::CreateRemoval(CharSourceRange::getCharRange(
          A->getLocation().getLocWithOffset(-1),
          Lexer::getLocForEndOfToken(A->getLocation(), 0, SM, Ctx.getLangOpts()))));
  SourceLocation Begin = Method.getBeginLoc();
  if (std::optional<std::string> First = textOf(SourceRange(Begin, Begin), Ctx);
      First && *First == "virtual")
    Hints.push_back(FixItHint::CreateRemoval(
        CharSourceRange::getCharRange(Begin, Begin.getLocWithOffset(8))));
}

} // namespace

llvm::SmallVector<FixItHint, 16>
migrateToConcept(const CXXRecordDecl &Interface,
                 llvm::ArrayRef<const CXXRecordDecl *> Implementations,
                 llvm::ArrayRef<const FunctionDecl *> Dispatchers,
                 ASTContext &Ctx) {
  const SourceManager &SM = Ctx.getSourceManager();
  const LangOptions &LangOpts = Ctx.getLangOpts();
  if (!LangOpts.CPlusPlus20 || !isPureInterface(Interface) ||
      !inMainFile(Interface.getBeginLoc(), SM) || Implementations.empty())
    return {};
  llvm::SmallVector<FixItHint, 16> Hints;

  // 1. The interface becomes a concept of the same name.
  std::string Parameters, Requirements;
  unsigned Index = 0;
  for (const CXXMethodDecl *Method : Interface.methods()) {
    if (Method->isImplicit() || isa<CXXDestructorDecl>(Method))
      continue;
    std::optional<std::string> Requirement =
        requirementFor(*Method, Index++, Parameters, Ctx);
    if (!Requirement)
      return {};
    Requirements += *Requirement;
  }
  std::optional<Token> Semi = Lexer::findNextToken(Interface.getEndLoc(), SM, LangOpts);
  if (!Semi || !Semi->is(tok::semi))
    return {};
  std::string Name = Interface.getNameAsString();
  Hints.push_back(FixItHint::CreateReplacement(
      CharSourceRange::getTokenRange(Interface.getBeginLoc(), Semi->getLocation()),
      "template <class T>\nconcept " + Name + " = requires(T &self, const T &cself" +
          Parameters + ") {\n" + Requirements + "};"));

  // 2. Implementations lose the base and the virtual spelling.
  for (const CXXRecordDecl *Impl : Implementations) {
    if (Impl->getNumBases() != 1 || !inMainFile(Impl->getLocation(), SM))
      return {};
    const CXXBaseSpecifier &Base = *Impl->bases_begin();
    if (!inMainFile(Base.getEndLoc(), SM))
      return {};
    SourceLocation AfterName =
        Lexer::getLocForEndOfToken(Impl->getLocation(), 0, SM, LangOpts);
    SourceLocation AfterBase =
        Lexer::getLocForEndOfToken(Base.getEndLoc(), 0, SM, LangOpts);
    Hints.push_back(FixItHint::CreateRemoval(
        CharSourceRange::getCharRange(AfterName, AfterBase)));
    for (const CXXMethodDecl *Method : Impl->methods())
      if (!Method->isImplicit() && Method->size_overridden_methods())
        dropVirtualSpelling(*Method, Ctx, Hints);
  }

  // 3. Dispatch functions take `Name auto &` (every declaration).
  for (const FunctionDecl *Fn : Dispatchers)
    for (const FunctionDecl *Redecl : Fn->redecls())
      for (const ParmVarDecl *Param : Redecl->parameters()) {
        TypeSourceInfo *Info = Param->getTypeSourceInfo();
        if (!Info)
          return {};
        TypeLoc Loc = Info->getTypeLoc();
        if (auto Ref = Loc.getAs<ReferenceTypeLoc>())
          Loc = Ref.getPointeeLoc();
        else if (auto Ptr = Loc.getAs<PointerTypeLoc>())
          Loc = Ptr.getPointeeLoc();
        else
          continue;
        Loc = Loc.getUnqualifiedLoc();
        const CXXRecordDecl *Named = Loc.getType()->getAsCXXRecordDecl();
        if (!Named || Named->getCanonicalDecl() != Interface.getCanonicalDecl())
          continue;
        if (!inMainFile(Loc.getEndLoc(), SM))
          return {};
        Hints.push_back(FixItHint::CreateInsertion(
            Lexer::getLocForEndOfToken(Loc.getEndLoc(), 0, SM, LangOpts), " auto"));
      }

  // 4. std::same_as needs <concepts>.
  FileID Main = SM.getMainFileID();
  StringRef Buffer = SM.getBufferData(Main);
  if (!Buffer.contains("#include <concepts>")) {
    size_t Include = Buffer.find("#include");
    SourceLocation At = SM.getLocForStartOfFile(Main).getLocWithOffset(
        Include == StringRef::npos ? 0 : Include);
    Hints.push_back(FixItHint::CreateInsertion(At, "#include <concepts>\n"));
  }
  return Hints;
}

} // namespace clang::tidy::coro::fixits
