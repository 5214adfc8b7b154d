//===--- Collector.cpp - corotidy ------------------------------*- C++ -*-===//

#include "index/Collector.h"
#include "index/Storage.h"
#include "migration/MigrationRules.h"
#include "model/Syntax.h"
#include "model/TaskTypes.h"
#include "clang/AST/DeclCXX.h"
#include "clang/AST/DeclTemplate.h"
#include "clang/AST/RecursiveASTVisitor.h"
#include "clang/Basic/SourceManager.h"
#include "clang/Index/USRGeneration.h"
#include "llvm/ADT/DenseMap.h"
#include "llvm/ADT/StringMap.h"
#include "llvm/Support/Format.h"
#include "llvm/Support/xxhash.h"

using namespace clang;
using namespace corotidy::model;
using namespace corotidy::migration;

namespace corotidy::index {

namespace {

// How notes name a function: qualified, and a lambda as such.
std::string functionName(const FunctionDecl &FD) {
  if (const auto *Method = dyn_cast<CXXMethodDecl>(&FD); Method && Method->getParent()->isLambda())
    return "lambda";
  return FD.getQualifiedNameAsString();
}

std::string usrOf(const Decl *D) {
  llvm::SmallString<128> Buf;
  if (clang::index::generateUSRForDecl(D, Buf))
    return "";
  return Buf.str().str();
}

// Interfaces are keyed by their canonical declaration.
const CXXRecordDecl *classBehind(QualType T) {
  const CXXRecordDecl *RD = recordBehind(T);
  return RD ? RD->getCanonicalDecl() : nullptr;
}

// How a type that mentions an interface inside a template argument keeps it.
std::string holderKind(const CXXRecordDecl &Holder) {
  std::string Name = qualifiedName(Holder);
  if (Name == "::std::unique_ptr" || Name == "::std::shared_ptr" ||
      Name == "::std::weak_ptr")
    return "smart-pointer";
  if (Name == "::std::function" || Name == "::std::move_only_function")
    return "std-function";
  return "container";
}

class FactsVisitor : public RecursiveASTVisitor<FactsVisitor> {
public:
  FactsVisitor(ASTContext &Ctx, Facts &Out, DeclMap *Decls)
      : Ctx(Ctx), SM(Ctx.getSourceManager()), Out(Out), Decls(Decls) {}

  // A declaration's USR, remembered (the class's definition, the function's
  // first declaration) for the caller that asked for the declarations.
  std::string usr(const Decl *D) {
    std::string Usr = usrOf(D);
    if (Decls && !Usr.empty()) {
      const Decl *Kept = D;
      if (const auto *RD = dyn_cast<CXXRecordDecl>(D))
        Kept = RD->getDefinition();
      else if (const auto *FD = dyn_cast<FunctionDecl>(D))
        Kept = FD->getCanonicalDecl();
      if (Kept)
        Decls->try_emplace(Usr, Kept);
    }
    return Usr;
  }

  bool shouldVisitTemplateInstantiations() const { return true; }

  // Pass 1: the interfaces.
  void findInterfaces() {
    Pass = 1;
    traverseOwnCode();
  }
  // Pass 2: implementations and uses.
  void findUses() {
    Pass = 2;
    if (!Interfaces.empty())
      traverseOwnCode();
  }

  // Nothing in system headers is recorded, so do not walk them (the
  // standard library is most of a translation unit).
  void traverseOwnCode() {
    for (Decl *D : Ctx.getTranslationUnitDecl()->decls())
      if (!inSystemHeader(D->getLocation()))
        TraverseDecl(D);
  }

  // Pre-order bookkeeping instead of parent lookups: a member access and a
  // call are visited before the expressions they contain.
  bool VisitMemberExpr(MemberExpr *Member) {
    ImplicitObjects.insert(Member->getBase()->IgnoreParens());
    return true;
  }

  bool VisitCXXRecordDecl(CXXRecordDecl *RD) {
    if (inSystemHeader(RD->getLocation()))
      return true;
    if (Pass == 1) {
      if (isCoroutineInterface(*RD, Ctx))
        addInterface(*RD);
      return true;
    }
    if (std::optional<size_t> I = interfaceOf(RD);
        I && !RD->isThisDeclarationADefinition() && !RD->isImplicit() &&
        !RD->getFriendObjectKind())
      blocked(*I, "forward-declaration",
              "'" + RD->getNameAsString() + "' is declared again here; the "
              "declaration would clash with the concept",
              RD->getLocation());
    if (!RD->isThisDeclarationADefinition() || RD->isDependentType())
      return true;
    for (const CXXBaseSpecifier &Base : RD->bases())
      if (TypeSourceInfo *Info = Base.getTypeSourceInfo())
        RewrittenMentions.insert(Info->getTypeLoc().getBeginLoc());
    for (auto &[Key, Index] : Interfaces) {
      if (RD->getCanonicalDecl() == Key || !RD->isDerivedFrom(Key))
        continue;
      Out.Interfaces[Index].Implementations.push_back(
          {usr(RD), RD->getQualifiedNameAsString(), where(RD->getLocation())});
      for (const MigrationBlocker &B :
           implementationBlockers(*RD, *Key, Ctx))
        blocked(Index, B.Kind, B.Detail, B.Where);
    }
    return true;
  }

  // Every other place that names an interface as a type would still name it
  // after the class became a concept: `sizeof(I)`, `using L = I`, `I::f()`.
  bool VisitRecordTypeLoc(RecordTypeLoc TL) {
    if (Pass != 2)
      return true;
    std::optional<size_t> I = interfaceOf(TL.getType()->getAsCXXRecordDecl());
    SourceLocation Begin = TL.getBeginLoc();
    if (!I || Begin.isInvalid() || inSystemHeader(Begin) ||
        RewrittenMentions.contains(Begin))
      return true;
    const CXXRecordDecl *Interface = Keys[*I]->getDefinition();
    if (Interface && SM.isPointWithin(SM.getExpansionLoc(Begin),
                                      Interface->getBeginLoc(), Interface->getEndLoc()))
      return true;
    blocked(*I, "mention",
            "'" + Keys[*I]->getNameAsString() +
                "' is named here as a type, which the migration does not rewrite",
            Begin);
    return true;
  }

  bool VisitFunctionDecl(FunctionDecl *FD) {
    if (Pass == 1)
      recordSourceCoroutine(*FD);
    recordFunction(FD);
    return true;
  }

  // A coroutine this source file defines and a header declares: calls from
  // other files cannot have its frame elided.
  void recordSourceCoroutine(const FunctionDecl &FD) {
    if (!FD.isThisDeclarationADefinition() || FD.isTemplated() ||
        FD.isTemplateInstantiation() || !FD.isExternallyVisible() ||
        !SM.isInMainFile(SM.getExpansionLoc(FD.getLocation())) ||
        !getCoroutineBody(&FD) || !headerDeclaration(FD, SM))
      return;
    SourceCoroutine Coroutine{usr(FD.getCanonicalDecl()),
                              FD.getQualifiedNameAsString(),
                              where(FD.getLocation()),
                              {}};
    for (const MigrationBlocker &B : moveBlockers(FD, Ctx))
      Coroutine.MoveBlockers.push_back({B.Kind, B.Detail, where(B.Where)});
    Out.Coroutines.push_back(std::move(Coroutine));
  }

  // A lambda's call operator is not traversed as a declaration.
  bool VisitLambdaExpr(LambdaExpr *Lambda) {
    recordFunction(Lambda->getCallOperator());
    return true;
  }

  void recordFunction(FunctionDecl *FD) {
    if (Pass != 2 || FD->isImplicit() || inSystemHeader(FD->getLocation()) ||
        FD->isDependentContext())
      return;
    if (const auto *Method = dyn_cast<CXXMethodDecl>(FD);
        Method && (isa<CXXConstructorDecl, CXXDestructorDecl>(Method) ||
                   Method->isCopyAssignmentOperator() ||
                   Method->isMoveAssignmentOperator()))
      return;
    for (const ParmVarDecl *P : FD->parameters()) {
      if (std::optional<size_t> I = interfaceReferencedBy(P->getType())) {
        bool Virtual = isa<CXXMethodDecl>(FD) && cast<CXXMethodDecl>(FD)->isVirtual();
        if (Virtual) {
          dynamic(*I, "virtual-dispatcher", describe(*FD), FD->getLocation());
          continue;
        }
        for (TypeLoc Named : interfaceParameterTypes(*FD, *Keys[*I]))
          RewrittenMentions.insert(Named.getBeginLoc());
        for (const MigrationBlocker &B :
             dispatcherBlockers(*FD, *Keys[*I], Ctx))
          blocked(*I, B.Kind, B.Detail, B.Where);
        Location Definition;
        if (FD->isThisDeclarationADefinition())
          Definition = where(FD->getLocation());
        if (needsExplicitInstantiations(*FD) && interfaceParameterCount(*FD) > 1)
          blocked(*I, "instantiation",
                  "'" + FD->getQualifiedNameAsString() +
                      "' takes several interface parameters and is defined in a "
                      "source file; its explicit instantiations are not generated",
                  FD->getLocation());
        if (FD->isThisDeclarationADefinition() || !FD->isDefined())
          Out.Interfaces[*I].ParameterUses.push_back(
              {usr(FD->getCanonicalDecl()), functionName(*FD),
               where(FD->getLocation()), {}, Definition, {}});
      } else if (std::optional<HeldBy> Held = interfaceHeldBy(P->getType())) {
        dynamic(Held->Interface, Held->Kind, describe(*P), P->getLocation());
      }
    }
    // A function returning the interface; an `extern "C"` one is a plugin's
    // factory, the evidence a reader recognises first.
    QualType Result = FD->getReturnType();
    std::string Kind = FD->isExternC() ? "factory" : "return";
    if (std::optional<size_t> I = interfaceReferencedBy(Result))
      dynamic(*I, Kind, describe(*FD), FD->getLocation());
    else if (std::optional<HeldBy> Held = interfaceHeldBy(Result))
      dynamic(Held->Interface, FD->isExternC() ? Kind : Held->Kind, describe(*FD),
              FD->getLocation());
    return;
  }

  bool VisitVarDecl(VarDecl *VD) {
    if (Pass != 2 || isa<ParmVarDecl>(VD) || inSystemHeader(VD->getLocation()) ||
        VD->isImplicit())
      return true;
    if (std::optional<size_t> I = interfaceReferencedBy(VD->getType()))
      dynamic(*I, VD->hasGlobalStorage() ? "global" : "variable", describe(*VD),
              VD->getLocation());
    else if (std::optional<HeldBy> Held = interfaceHeldBy(VD->getType()))
      dynamic(Held->Interface, Held->Kind, describe(*VD), VD->getLocation());
    return true;
  }

  bool VisitFieldDecl(FieldDecl *FD) {
    if (Pass != 2 || inSystemHeader(FD->getLocation()))
      return true;
    if (std::optional<size_t> I = interfaceReferencedBy(FD->getType()))
      dynamic(*I, "member", describe(*FD), FD->getLocation());
    else if (std::optional<HeldBy> Held = interfaceHeldBy(FD->getType()))
      dynamic(Held->Interface, Held->Kind, describe(*FD), FD->getLocation());
    return true;
  }

  bool VisitCallExpr(CallExpr *Call) {
    Callees.insert(Call->getCallee()->IgnoreParenImpCasts());
    if (Pass != 2 || inSystemHeader(Call->getBeginLoc()))
      return true;
    const FunctionDecl *Callee = Call->getDirectCallee();
    if (!Callee)
      return true;
    forEachArgument(*Call, [&](const Expr &Arg, const ParmVarDecl *Param) {
      std::optional<size_t> Interface =
          Param ? interfaceReferencedBy(Param->getType()) : std::nullopt;
      if (!Interface)
        return;
      BoundArguments.insert(Arg.IgnoreParens());
      recordArgument(*Interface, *Callee, Arg);
    });
    return true;
  }

  // A derived pointer or reference converted to the interface's (implicitly
  // or by a cast) and kept: `I *P = &D;`, `I &R = D;`, `{&A, &B}`.
  bool VisitCastExpr(CastExpr *Cast) {
    if (Pass != 2 || inSystemHeader(Cast->getBeginLoc()) ||
        (Cast->getCastKind() != CK_DerivedToBase &&
         Cast->getCastKind() != CK_UncheckedDerivedToBase))
      return true;
    // A reference conversion is a glvalue of the class type itself.
    std::optional<size_t> I = Cast->isGLValue()
                                  ? interfaceOf(classBehind(Cast->getType()))
                                  : interfaceReferencedBy(Cast->getType());
    if (!I || BoundArguments.contains(Cast) || ImplicitObjects.contains(Cast))
      return true;
    dynamic(*I, "conversion",
            "converts '" + Cast->getSubExpr()->getType().getAsString() + "' to '" +
                Cast->getType().getAsString() + "'",
            Cast->getBeginLoc());
    return true;
  }

  // A braced list's conversions live in its semantic form, which the
  // traversal does not visit (it walks the list as written):
  // `const Sink *Sinks[] = {&A, &B};` converts each element to the base.
  bool VisitInitListExpr(InitListExpr *List) {
    if (Pass != 2 || List->isSemanticForm())
      return true;
    if (InitListExpr *Semantic = List->getSemanticForm())
      visitConversionsIn(*Semantic);
    return true;
  }

  void visitConversionsIn(InitListExpr &List) {
    for (Expr *Init : List.inits()) {
      if (!Init)
        continue;
      if (auto *Nested = dyn_cast<InitListExpr>(Init->IgnoreParens())) {
        visitConversionsIn(*Nested);
        continue;
      }
      for (Expr *E = Init; auto *Cast = dyn_cast<CastExpr>(E->IgnoreParens());
           E = Cast->getSubExpr())
        VisitCastExpr(Cast);
    }
  }

  bool VisitCXXDynamicCastExpr(CXXDynamicCastExpr *Cast) {
    if (Pass != 2 || inSystemHeader(Cast->getBeginLoc()))
      return true;
    std::optional<size_t> I = interfaceReferencedBy(Cast->getSubExpr()->getType());
    if (!I)
      I = interfaceReferencedBy(Cast->getType());
    if (I)
      dynamic(*I, "dynamic-cast", "dynamic_cast<" + Cast->getType().getAsString() + ">",
              Cast->getBeginLoc());
    return true;
  }

  bool VisitCXXTypeidExpr(CXXTypeidExpr *Typeid) {
    if (Pass != 2 || Typeid->isTypeOperand() || inSystemHeader(Typeid->getBeginLoc()))
      return true;
    if (std::optional<size_t> I =
            interfaceReferencedBy(Typeid->getExprOperand()->getType()))
      dynamic(*I, "typeid", "typeid of a polymorphic object", Typeid->getBeginLoc());
    return true;
  }

  // A dispatch function whose address is taken can be called with anything.
  bool VisitDeclRefExpr(DeclRefExpr *Ref) {
    const auto *FD = dyn_cast<FunctionDecl>(Ref->getDecl());
    if (Pass != 2 || !FD || inSystemHeader(Ref->getLocation()) ||
        Callees.contains(Ref))
      return true;
    for (const ParmVarDecl *P : FD->parameters())
      if (std::optional<size_t> I = interfaceReferencedBy(P->getType()))
        dynamic(*I, "address-taken",
                "the address of '" + FD->getQualifiedNameAsString() + "' is taken",
                Ref->getLocation());
    return true;
  }

  // What a dispatch function receives: a concrete class, or the interface
  // parameter of another dispatch function (which forwards whatever it
  // receives), or something the migration cannot follow.
  void recordArgument(size_t I, const FunctionDecl &Callee, const Expr &Arg) {
    ParameterUse Use{usr(Callee.getCanonicalDecl()), functionName(Callee),
                     where(Callee.getLocation()), {}, {}, {}};
    const CXXRecordDecl *Concrete = classBehind(Arg.IgnoreParenImpCasts()->getType());
    if (Concrete && Concrete != Keys[I]) {
      Use.ConcreteArguments.push_back(usr(Concrete));
    } else if (const FunctionDecl *Forwarder = forwardingDispatcher(I, Arg)) {
      Use.ForwardedBy.push_back(usr(Forwarder->getCanonicalDecl()));
    } else {
      bool Null = Arg.isNullPointerConstant(Ctx, Expr::NPC_ValueDependentIsNotNull) !=
                  Expr::NPCK_NotNull;
      blocked(I, "unknown-argument",
              "'" + Callee.getNameAsString() +
                  (Null ? "' receives nullptr, which has no class to instantiate it for"
                        : "' receives an argument whose class is not known here"),
              Arg.getBeginLoc());
      return;
    }
    Out.Interfaces[I].ParameterUses.push_back(std::move(Use));
  }

  // The function whose own interface parameter `Arg` is (`l`, `*l`, `&l`).
  const FunctionDecl *forwardingDispatcher(size_t I, const Expr &Arg) const {
    const Expr *E = Arg.IgnoreParenImpCasts();
    while (const auto *Unary = dyn_cast<UnaryOperator>(E)) {
      if (Unary->getOpcode() != UO_Deref && Unary->getOpcode() != UO_AddrOf)
        break;
      E = Unary->getSubExpr()->IgnoreParenImpCasts();
    }
    const auto *Ref = dyn_cast<DeclRefExpr>(E);
    const auto *Param = Ref ? dyn_cast<ParmVarDecl>(Ref->getDecl()) : nullptr;
    if (!Param || interfaceReferencedBy(Param->getType()) != I)
      return nullptr;
    return dyn_cast<FunctionDecl>(Param->getDeclContext());
  }

  // A definition in this source file that other files declare and call:
  // after the migration it needs explicit instantiations.
  bool needsExplicitInstantiations(const FunctionDecl &FD) const {
    return FD.isThisDeclarationADefinition() && FD.isExternallyVisible() &&
           SM.isInMainFile(SM.getExpansionLoc(FD.getLocation())) &&
           llvm::any_of(FD.redecls(), [&](const FunctionDecl *R) {
             return !SM.isInMainFile(SM.getExpansionLoc(R->getLocation()));
           });
  }

  unsigned interfaceParameterCount(const FunctionDecl &FD) const {
    return llvm::count_if(FD.parameters(), [&](const ParmVarDecl *P) {
      return interfaceReferencedBy(P->getType()).has_value();
    });
  }

  void markIncomplete() {
    for (Interface &I : Out.Interfaces)
      I.Incomplete = true;
  }

  void recordFileHashes() {
    for (const auto &Entry : CitedFiles) {
      std::optional<llvm::MemoryBufferRef> Buffer =
          SM.getBufferOrNone(Entry.second);
      if (Buffer)
        Out.Files.push_back({Entry.first().str(), contentHash(Buffer->getBuffer())});
    }
  }

private:
  struct HeldBy {
    size_t Interface;
    std::string Kind;
  };

  bool inSystemHeader(SourceLocation Loc) const {
    return Loc.isValid() && SM.isInSystemHeader(SM.getExpansionLoc(Loc));
  }

  Location where(SourceLocation Loc) {
    // A name passed to a macro is where it is spelled in the invocation;
    // anything else a macro makes is at the invocation.
    Loc = SM.getFileLoc(Loc);
    FileID File = SM.getFileID(Loc);
    OptionalFileEntryRef Entry = SM.getFileEntryRefForID(File);
    if (!Entry)
      return {"<unknown>", 0, 0};
    llvm::StringRef Real = Entry->getFileEntry().tryGetRealPathName();
    std::string Path = Real.empty() ? Entry->getName().str() : Real.str();
    CitedFiles.try_emplace(Path, File);
    return {Path, SM.getSpellingLineNumber(Loc), SM.getSpellingColumnNumber(Loc)};
  }

  std::string describe(const NamedDecl &D) {
    if (const auto *Value = dyn_cast<ValueDecl>(&D))
      return Value->getType().getAsString() + " " + D.getQualifiedNameAsString();
    return D.getQualifiedNameAsString();
  }

  void addInterface(const CXXRecordDecl &RD) {
    const CXXRecordDecl *Key = RD.getCanonicalDecl();
    if (Interfaces.count(Key))
      return;
    // A specialization is named with its arguments: `Consumer<int>`.
    std::string Name;
    llvm::raw_string_ostream OS(Name);
    RD.getNameForDiagnostic(OS, Ctx.getPrintingPolicy(), /*Qualified=*/true);
    OS.flush();
    Interface I{usr(Key), Name, where(RD.getLocation()),
                {}, {}, {}, {}, {}, false};
    for (const MigrationBlocker &B : interfaceBlockers(RD, Ctx))
      I.Blockers.push_back({B.Kind, B.Detail, where(B.Where)});
    for (const CXXMethodDecl *M : RD.methods())
      if (M->isVirtual() && !isa<CXXDestructorDecl>(M))
        I.Methods.push_back(
            {usr(M), M->getNameAsString(), M->getType().getAsString(),
             isCoroutineReturnType(M->getReturnType(), Ctx),
             M->isPureVirtual(), where(M->getLocation())});
    Interfaces[Key] = Out.Interfaces.size();
    Keys.push_back(Key);
    Out.Interfaces.push_back(std::move(I));
  }

  std::optional<size_t> interfaceOf(const CXXRecordDecl *RD) const {
    if (!RD)
      return std::nullopt;
    auto It = Interfaces.find(RD->getCanonicalDecl());
    return It == Interfaces.end() ? std::nullopt : std::optional<size_t>(It->second);
  }

  // `I&`, `const I&`, `I*`: the type refers to an interface object (so
  // does an array of them, `I *Sinks[2]`).
  std::optional<size_t> interfaceReferencedBy(QualType T) const {
    T = Ctx.getBaseElementType(T);
    if (!T->isReferenceType() && !T->isPointerType())
      return std::nullopt;
    return interfaceOf(classBehind(T));
  }

  // `std::vector<std::unique_ptr<I>>`: an interface in a template argument.
  std::optional<HeldBy> interfaceHeldBy(QualType T) const {
    const auto *Spec = dyn_cast_or_null<ClassTemplateSpecializationDecl>(
        T.getNonReferenceType()->getAsCXXRecordDecl());
    if (!Spec)
      return std::nullopt;
    for (const TemplateArgument &Arg : Spec->getTemplateArgs().asArray()) {
      if (Arg.getKind() != TemplateArgument::Type)
        continue;
      QualType Inner = Arg.getAsType();
      if (const auto *Fn = Inner->getAs<FunctionProtoType>()) {
        for (QualType Param : Fn->getParamTypes())
          if (std::optional<size_t> I = interfaceOf(classBehind(Param)))
            return HeldBy{*I, holderKind(*Spec)};
        continue;
      }
      if (std::optional<size_t> I = interfaceOf(classBehind(Inner)))
        return HeldBy{*I, holderKind(*Spec)};
      if (std::optional<HeldBy> Nested = interfaceHeldBy(Inner))
        return HeldBy{Nested->Interface, holderKind(*Spec)};
    }
    return std::nullopt;
  }

  void dynamic(size_t I, std::string Kind, std::string Detail, SourceLocation Loc) {
    Out.Interfaces[I].DynamicUses.push_back({std::move(Kind), std::move(Detail), where(Loc)});
  }

  void blocked(size_t I, std::string Kind, std::string Detail, SourceLocation Loc) {
    Out.Interfaces[I].Blockers.push_back({std::move(Kind), std::move(Detail), where(Loc)});
  }

  ASTContext &Ctx;
  const SourceManager &SM;
  Facts &Out;
  DeclMap *Decls;
  int Pass = 1;
  llvm::DenseMap<const CXXRecordDecl *, size_t> Interfaces;
  std::vector<const CXXRecordDecl *> Keys;
  llvm::DenseSet<const Expr *> BoundArguments;
  llvm::DenseSet<const Expr *> ImplicitObjects;
  llvm::DenseSet<const Expr *> Callees;
  /// Where the migration rewrites a mention of an interface: dispatch
  /// function parameters and implementations' base specifiers.
  llvm::DenseSet<SourceLocation> RewrittenMentions;
  llvm::StringMap<FileID> CitedFiles;
};

} // namespace

Facts collectFacts(ASTContext &Ctx, bool ParsedCleanly, DeclMap *Decls) {
  Facts Out;
  FactsVisitor Visitor(Ctx, Out, Decls);
  Visitor.findInterfaces();
  Visitor.findUses();
  if (!ParsedCleanly)
    Visitor.markIncomplete();
  Visitor.recordFileHashes();
  normalize(Out);
  return Out;
}

} // namespace corotidy::index
