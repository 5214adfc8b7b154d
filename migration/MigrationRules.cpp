//===--- MigrationRules.cpp - corotidy -------------------------*- C++ -*-===//

#include "migration/MigrationRules.h"
#include "model/TaskTypes.h"
#include "clang/AST/DeclTemplate.h"
#include "clang/AST/RecursiveASTVisitor.h"
#include "clang/Basic/SourceManager.h"
#include "llvm/ADT/SmallPtrSet.h"
#include "llvm/Support/Path.h"

using namespace clang;

namespace corotidy::migration {

bool isCoroutineInterface(const CXXRecordDecl &RD, const ASTContext &Ctx) {
  if (!RD.isThisDeclarationADefinition() || !RD.isPolymorphic() ||
      RD.getDescribedClassTemplate() || RD.isDependentType())
    return false;
  // It introduces the virtual function: overriding one makes a class an
  // implementation, not an interface of its own.
  for (const CXXMethodDecl *M : RD.methods())
    if (M->isVirtual() && M->size_overridden_methods() == 0 &&
        corotidy::model::isCoroutineReturnType(M->getReturnType(), Ctx))
      return true;
  return false;
}

bool editable(SourceLocation Loc, const SourceManager &SM) {
  return Loc.isValid() && Loc.isFileID() && !SM.isInSystemHeader(Loc);
}

// The whole declaration is in a file: the migration can edit it.
bool editable(const Decl &D, const SourceManager &SM) {
  return editable(D.getBeginLoc(), SM) && editable(D.getEndLoc(), SM);
}

bool isInterface(const CXXRecordDecl *RD, const CXXRecordDecl &Interface) {
  return RD && RD->getCanonicalDecl() == Interface.getCanonicalDecl();
}

// The class a base specifier names, when it is a class.
static const CXXRecordDecl *baseClass(const CXXBaseSpecifier &Base) {
  return Base.getType()->getAsCXXRecordDecl();
}

const CXXBaseSpecifier *interfaceBase(const CXXRecordDecl &Impl,
                                      const CXXRecordDecl &Interface) {
  for (const CXXBaseSpecifier &Base : Impl.bases())
    if (isInterface(baseClass(Base), Interface))
      return &Base;
  return nullptr;
}

// The methods of an implementation that override only the interfaces': they
// lose `override`, `final` and `virtual`.
bool overridesOnlyInterfaces(const CXXMethodDecl &Method,
                             llvm::ArrayRef<const CXXRecordDecl *> Interfaces) {
  if (Method.size_overridden_methods() == 0)
    return false;
  for (const CXXMethodDecl *Overridden : Method.overridden_methods())
    if (llvm::none_of(Interfaces, [&](const CXXRecordDecl *I) {
          return isInterface(Overridden->getParent(), *I);
        }))
      return false;
  return true;
}

bool overridesOnlyInterface(const CXXMethodDecl &Method,
                            const CXXRecordDecl &Interface) {
  return overridesOnlyInterfaces(Method, {&Interface});
}

// Whether \p Method overrides a function \p Interface declares.
static bool overridesFrom(const CXXMethodDecl &Method,
                          const CXXRecordDecl &Interface) {
  return llvm::any_of(Method.overridden_methods(), [&](const CXXMethodDecl *O) {
    return isInterface(O->getParent(), Interface);
  });
}

// How a note names what else a lookup of the name finds.
static std::string describeFound(const NamedDecl &D) {
  const NamedDecl *Target = &D;
  std::string What;
  if (const auto *Shadow = dyn_cast<UsingShadowDecl>(&D)) {
    Target = Shadow->getTargetDecl();
    What = "a using-declaration of ";
  } else if (isa<FunctionTemplateDecl>(D)) {
    What = "a template ";
  } else if (const auto *Using = dyn_cast<UsingDecl>(&D)) {
    What = "a using-declaration of ";
    if (Using->shadow_size())
      Target = (*Using->shadow_begin())->getTargetDecl();
  }
  std::string Name = "'" + Target->getQualifiedNameAsString();
  if (const auto *Fn = Target->getAsFunction(); Fn && !isa<FunctionTemplateDecl>(Target)) {
    Name += "(";
    for (const ParmVarDecl *P : Fn->parameters())
      Name += (P == Fn->parameters().front() ? "" : ", ") + P->getType().getAsString();
    Name += ")";
  }
  return What + Name + "'";
}

// The declarations a lookup of \p Name in \p RD's bases other than
// \p Interface finds, as member name lookup would (a class that declares
// the name hides its own bases).
static void findInBases(const CXXRecordDecl &RD, DeclarationName Name,
                        const CXXRecordDecl &Interface,
                        llvm::SmallVectorImpl<const NamedDecl *> &Out) {
  for (const CXXBaseSpecifier &Base : RD.bases()) {
    const CXXRecordDecl *Class = Base.getType()->getAsCXXRecordDecl();
    if (!Class || !Class->hasDefinition() || isInterface(Class, Interface))
      continue;
    Class = Class->getDefinition();
    auto Found = Class->lookup(Name);
    if (!Found.empty())
      Out.append(Found.begin(), Found.end());
    else
      findInBases(*Class, Name, Interface, Out);
  }
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

static void block(std::vector<MigrationBlocker> &Out, std::string Kind, std::string Detail,
           SourceLocation Where) {
  Out.push_back({std::move(Kind), std::move(Detail), Where});
}

std::vector<MigrationBlocker> interfaceBlockers(const CXXRecordDecl &Interface,
                                                ASTContext &Ctx) {
  const SourceManager &SM = Ctx.getSourceManager();
  std::vector<MigrationBlocker> Out;
  std::string Name = "'" + Interface.getNameAsString() + "'";
  if (!editable(Interface, SM))
    block(Out, "macro", Name + " is written by a macro", Interface.getLocation());
  if (const auto *Spec = dyn_cast<ClassTemplateSpecializationDecl>(&Interface)) {
    // Each specialization is judged on its own; the rewrite would have to
    // make one concept of the template for all of them.
    std::string Template = Spec->getSpecializedTemplate()->getNameAsString();
    block(Out, "class-template",
          "'" + Template + "' is a class template; the migration does not rewrite "
          "class templates",
          Interface.getLocation());
    return Out;
  }
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
  // Through the interface, a call of `load` finds the interface's `load`s;
  // on the class it finds every `load` the class declares or brings in. Any
  // other candidate (an overload, a template, a using-declaration, a member
  // inherited from another base) could take the call after the migration.
  llvm::SmallVector<DeclarationName, 4> Names;
  for (const CXXMethodDecl *M : Interface.methods())
    if (M->isVirtual() && !isa<CXXDestructorDecl>(M) &&
        !llvm::is_contained(Names, M->getDeclName()))
      Names.push_back(M->getDeclName());
  for (DeclarationName Member : Names) {
    llvm::SmallVector<const NamedDecl *, 4> Found;
    auto Own = Impl.lookup(Member);
    Found.append(Own.begin(), Own.end());
    if (Found.empty())
      findInBases(Impl, Member, Interface, Found);
    for (const NamedDecl *D : Found) {
      const auto *Method = dyn_cast<CXXMethodDecl>(D);
      if (Method && overridesFrom(*Method, Interface))
        continue;
      block(Out, "lookup",
            Name + " has " + describeFound(*D) + " besides the override of '" +
                Member.getAsString() +
                "'; calls through the concept could resolve to it",
            D->getLocation());
      break;
    }
  }
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
  // A template has a static local per specialization: one counter would
  // become one per class.
  struct StaticLocals : RecursiveASTVisitor<StaticLocals> {
    const VarDecl *Found = nullptr;
    bool VisitVarDecl(VarDecl *Var) {
      if (Var->isStaticLocal() && !Found)
        Found = Var;
      return true;
    }
  } Statics;
  if (const Stmt *Body = Fn.getBody())
    Statics.TraverseStmt(const_cast<Stmt *>(Body));
  if (Statics.Found)
    block(Out, "static-local",
          Name + " has a static local '" + Statics.Found->getNameAsString() +
              "'; as a template it would have one per class it receives",
          Statics.Found->getLocation());
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

// ---- Moving a definition into its header -----------------------------------

const FunctionDecl *headerDeclaration(const FunctionDecl &Definition,
                                      const SourceManager &SM) {
  for (const FunctionDecl *R : Definition.getFirstDecl()->redecls())
    if (R != &Definition && !SM.isInMainFile(SM.getExpansionLoc(R->getLocation())))
      return R;
  return nullptr;
}

namespace {

// Whether `::` is written right before \p NameLoc (a qualified name).
bool writtenQualified(SourceLocation NameLoc, const SourceManager &SM) {
  if (NameLoc.isInvalid() || NameLoc.isMacroID())
    return false;
  bool Invalid = false;
  const char *At = SM.getCharacterData(NameLoc, &Invalid);
  if (Invalid)
    return false;
  std::pair<FileID, unsigned> Offset = SM.getDecomposedLoc(NameLoc);
  unsigned Back = 0;
  while (Back < Offset.second && (At[-1 - (int)Back] == ' ' || At[-1 - (int)Back] == '\t'))
    ++Back;
  return Back + 2 <= Offset.second && At[-1 - (int)Back] == ':' &&
         At[-2 - (int)Back] == ':';
}

class ReferenceFinder : public RecursiveASTVisitor<ReferenceFinder> {
public:
  ReferenceFinder(const FunctionDecl &Fn, ASTContext &Ctx)
      : Fn(Fn), SM(Ctx.getSourceManager()) {}

  bool VisitDeclRefExpr(DeclRefExpr *Ref) {
    add(Ref->getDecl(), Ref->getFoundDecl(), Ref->hasQualifier(), false,
        Ref->getLocation());
    return true;
  }
  bool VisitTagTypeLoc(TagTypeLoc TL) {
    add(TL.getDecl(), TL.getDecl(), writtenQualified(TL.getNameLoc(), SM), true,
        TL.getNameLoc());
    return true;
  }
  bool VisitTypedefTypeLoc(TypedefTypeLoc TL) {
    add(TL.getDecl(), TL.getDecl(), writtenQualified(TL.getNameLoc(), SM), false,
        TL.getNameLoc());
    return true;
  }
  bool VisitUsingTypeLoc(UsingTypeLoc TL) {
    const NamedDecl *Shadow = TL.getDecl();
    const NamedDecl *Target = Shadow;
    if (const auto *S = dyn_cast<UsingShadowDecl>(Shadow))
      Target = S->getTargetDecl();
    add(Target, Shadow, writtenQualified(TL.getNameLoc(), SM), false,
        TL.getNameLoc());
    return true;
  }
  bool VisitTemplateSpecializationTypeLoc(TemplateSpecializationTypeLoc TL) {
    if (const TemplateDecl *T =
            TL.getTypePtr()->getTemplateName().getAsTemplateDecl())
      add(T, T, writtenQualified(TL.getTemplateNameLoc(), SM), false,
          TL.getTemplateNameLoc());
    return true;
  }
  bool VisitMemberExpr(MemberExpr *Member) {
    // A member is reached through its object, whose class must be complete.
    if (const CXXRecordDecl *RD = recordBehindType(Member->getBase()->getType()))
      add(RD, RD, true, true, Member->getMemberLoc());
    return true;
  }

  std::vector<Reference> Found;

private:
  static const CXXRecordDecl *recordBehindType(QualType T) {
    if (T.isNull() || T->isDependentType())
      return nullptr;
    if (const auto *Ptr = T->getAs<PointerType>())
      T = Ptr->getPointeeType();
    return T->getAsCXXRecordDecl();
  }

  void add(const NamedDecl *D, const NamedDecl *FoundDecl, bool Qualified,
           bool NeedsDefinition, SourceLocation Where) {
    if (!D || isa<ParmVarDecl, TemplateTypeParmDecl, NonTypeTemplateParmDecl,
                  TemplateTemplateParmDecl, BindingDecl>(D))
      return;
    // Declared inside the function (locals, local classes, lambdas).
    for (const DeclContext *DC = D->getDeclContext(); DC; DC = DC->getParent())
      if (DC == &Fn)
        return;
    if (const auto *Var = dyn_cast<VarDecl>(D); Var && Var->isLocalVarDeclOrParm())
      return;
    // A class member is reached through its class.
    if (D->isCXXClassMember() && !isa<CXXRecordDecl>(D)) {
      const auto *RD = dyn_cast<CXXRecordDecl>(D->getDeclContext());
      if (!RD)
        return;
      D = FoundDecl = RD;
      Qualified = true;
    }
    if (const auto *RD = dyn_cast<CXXRecordDecl>(D); RD && RD->isLambda())
      return;
    Found.push_back({D, FoundDecl ? FoundDecl : D, Qualified, NeedsDefinition, Where});
  }

  const FunctionDecl &Fn;
  const SourceManager &SM;
};

// The using-directives of the main file at namespace scope.
void mainFileUsingDirectives(const DeclContext &DC, const SourceManager &SM,
                             std::vector<const UsingDirectiveDecl *> &Out) {
  for (const Decl *D : DC.decls()) {
    if (!SM.isInMainFile(SM.getExpansionLoc(D->getLocation())))
      continue;
    if (const auto *Directive = dyn_cast<UsingDirectiveDecl>(D))
      Out.push_back(Directive);
    else if (const auto *NS = dyn_cast<NamespaceDecl>(D))
      mainFileUsingDirectives(*NS, SM, Out);
  }
}

// The namespace \p D belongs to.
const DeclContext *namespaceOf(const Decl &D) {
  const DeclContext *DC = D.getDeclContext();
  while (DC && !DC->isFileContext())
    DC = DC->getParent();
  return DC;
}

} // namespace

std::vector<Reference> referencesOf(const FunctionDecl &Definition, ASTContext &Ctx) {
  ReferenceFinder Finder(Definition, Ctx);
  if (Stmt *Body = Definition.getBody())
    Finder.TraverseStmt(Body);
  return std::move(Finder.Found);
}

std::vector<MigrationBlocker> moveBlockers(const FunctionDecl &Definition,
                                           ASTContext &Ctx) {
  const SourceManager &SM = Ctx.getSourceManager();
  std::vector<MigrationBlocker> Out;
  std::string Name = "'" + Definition.getNameAsString() + "'";
  std::string File =
      llvm::sys::path::filename(SM.getFilename(SM.getExpansionLoc(Definition.getLocation())))
          .str();
  const FunctionDecl *Header = headerDeclaration(Definition, SM);
  if (!Header)
    return Out;
  if (!editable(Definition, SM) || !editable(*Header, SM))
    block(Out, "macro", Name + " is declared or defined by a macro",
          Definition.getLocation());
  if (isa_and_nonnull<CXXTryStmt>(Definition.getBody()))
    block(Out, "move", Name + " has a function-try-block", Definition.getLocation());
  for (unsigned I = 0; I < Definition.getNumParams() && I < Header->getNumParams(); ++I) {
    StringRef Here = Definition.getParamDecl(I)->getName();
    StringRef There = Header->getParamDecl(I)->getName();
    if (!Here.empty() && Here != There)
      block(Out, "move",
            Name + " names a parameter '" + Here.str() + "' here and '" +
                There.str() + "' in its header declaration",
            Definition.getParamDecl(I)->getLocation());
  }
  std::vector<const UsingDirectiveDecl *> Directives;
  mainFileUsingDirectives(*Ctx.getTranslationUnitDecl(), SM, Directives);
  llvm::SmallPtrSet<const NamedDecl *, 8> Reported;
  for (const Reference &R : referencesOf(Definition, Ctx)) {
    if (!Reported.insert(R.D).second)
      continue;
    std::string Entity = "'" + R.D->getNameAsString() + "'";
    if (const auto *Shadow = dyn_cast<UsingShadowDecl>(R.Found);
        Shadow && SM.isInMainFile(SM.getExpansionLoc(Shadow->getLocation())) &&
        !Definition.Encloses(Shadow->getDeclContext())) {
      block(Out, "file-local",
            Name + " uses " + Entity + " through a using-declaration of " + File,
            R.Where);
      continue;
    }
    // Every declaration, or the definition it needs, is in this file.
    bool Local = true;
    if (const auto *Tag = dyn_cast<TagDecl>(R.D); Tag && R.NeedsDefinition &&
                                                  Tag->getDefinition())
      Local = SM.isInMainFile(SM.getExpansionLoc(Tag->getDefinition()->getLocation()));
    else
      for (const Decl *Redecl : R.D->redecls())
        if (!SM.isInMainFile(SM.getExpansionLoc(Redecl->getLocation())))
          Local = false;
    if (Local || R.D->isInAnonymousNamespace()) {
      block(Out, "file-local",
            Name + " uses " + Entity + ", " +
                (R.D->isInAnonymousNamespace()
                     ? "in an anonymous namespace of " + File
                     : R.D->getFormalLinkage() == Linkage::Internal
                           ? "a static entity of " + File
                           : "which only " + File + " declares"),
            R.Where);
      continue;
    }
    // Found through a using-directive of this file: its namespace does not
    // enclose the function and the name was written unqualified.
    if (R.Qualified || Directives.empty())
      continue;
    const DeclContext *Home = namespaceOf(*R.D);
    if (!Home || Home->Encloses(Definition.getDeclContext()))
      continue;
    for (const UsingDirectiveDecl *Directive : Directives) {
      const NamespaceDecl *Nominated = Directive->getNominatedNamespace();
      if (Nominated && Nominated->Encloses(Home)) {
        block(Out, "file-local",
              Name + " uses " + Entity + " through 'using namespace " +
                  Nominated->getQualifiedNameAsString() + "' of " + File,
              R.Where);
        break;
      }
    }
  }
  return Out;
}

// ---- The rewrite -----------------------------------------------------------

} // namespace corotidy::migration
