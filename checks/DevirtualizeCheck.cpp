//===--- DevirtualizeCheck.cpp - corotidy ----------------------*- C++ -*-===//

#include "checks/DevirtualizeCheck.h"
#include "checks/IndexLookup.h"
#include "fixits/ConceptMigration.h"
#include "migration/MigrationRules.h"
#include "index/Collector.h"
#include "index/FactsYaml.h"
#include "index/IndexStore.h"
#include "index/Storage.h"
#include "clang-tidy/utils/OptionsUtils.h"
#include "clang/AST/ASTContext.h"
#include "clang/ASTMatchers/ASTMatchFinder.h"
#include "clang/Basic/CharInfo.h"
#include "clang/Basic/SourceManager.h"
#include "clang/Index/USRGeneration.h"
#include "clang/Lex/PPCallbacks.h"
#include "clang/Lex/Preprocessor.h"
#include "llvm/ADT/SmallPtrSet.h"
#include "llvm/ADT/StringSet.h"
#include <map>
#include <set>
#include "llvm/Support/FileSystem.h"
#include "llvm/Support/Path.h"
#include "llvm/Support/xxhash.h"

using namespace clang::ast_matchers;
namespace idx = corotidy::index;

namespace clang::tidy::coro {

namespace {

// `server::Disk` -> `Disk`, `Consumer<int>` -> `Consumer`: what the line
// that declares it spells.
StringRef unqualified(StringRef Name) {
  Name = Name.take_until([](char C) { return C == '<'; });
  size_t Colons = Name.rfind("::");
  return Colons == StringRef::npos ? Name : Name.substr(Colons + 2);
}

std::string describe(const idx::Location &Where) {
  return llvm::sys::path::filename(Where.File).str() + ":" +
         std::to_string(Where.Line);
}

// The concrete classes each dispatch function receives, directly or through
// dispatch functions that forward their own parameter to it.
std::map<std::string, std::set<std::string>>
concreteClassesByFunction(const idx::Interface &Facts) {
  std::map<std::string, std::set<std::string>> Result;
  for (const idx::ParameterUse &Use : Facts.ParameterUses)
    Result[Use.FunctionUsr].insert(Use.ConcreteArguments.begin(),
                                   Use.ConcreteArguments.end());
  for (bool Changed = true; Changed;) {
    Changed = false;
    for (const idx::ParameterUse &Use : Facts.ParameterUses)
      for (const std::string &Forwarder : Use.ForwardedBy) {
        std::set<std::string> Incoming = Result[Forwarder];
        for (const std::string &Usr : Incoming)
          Changed |= Result[Use.FunctionUsr].insert(Usr).second;
      }
  }
  return Result;
}

const idx::Implementation *implementation(const idx::Interface &Facts,
                                          StringRef Usr) {
  for (const idx::Implementation &Impl : Facts.Implementations)
    if (Impl.Usr == Usr)
      return &Impl;
  return nullptr;
}

// What only the whole program shows: a dispatch function no analysed file
// defines, or one defined in a source file that would have to instantiate
// itself for a class another source file defines.
std::vector<idx::Blocker>
crossFileBlockers(const idx::Interface &Facts, const llvm::StringSet<> &SourceFiles,
                  llvm::function_ref<bool(StringRef Usr)> MovesToHeader,
                  llvm::function_ref<const idx::Blocker *(StringRef Usr)> MoveBlocker) {
  std::vector<idx::Blocker> Out;
  auto Concrete = concreteClassesByFunction(Facts);
  for (const idx::ParameterUse &Use : Facts.ParameterUses) {
    if (Use.Definition.File.empty()) {
      Out.push_back({"definition-unseen",
                     "no analysed file defines '" + Use.FunctionName + "'",
                     Use.Where});
      continue;
    }
    if (!SourceFiles.contains(Use.Definition.File) || MovesToHeader(Use.FunctionUsr))
      continue; // Defined in a header (or moving there): every caller instantiates it.
    for (const std::string &Usr : Concrete[Use.FunctionUsr]) {
      const idx::Implementation *Impl = implementation(Facts, Usr);
      bool Elsewhere = Impl && Impl->Where.File != Use.Definition.File;
      if (!Impl || (Elsewhere && (SourceFiles.contains(Impl->Where.File) ||
                                  StringRef(Impl->Name).contains("(anonymous")))) {
        // Asked to move it into its header, which would have solved this:
        // what keeps it in its file comes first.
        if (const idx::Blocker *Move = MoveBlocker(Use.FunctionUsr))
          Out.push_back(*Move);
        std::string Where, Remedy;
        if (Impl) {
          std::string ClassFile = llvm::sys::path::filename(Impl->Where.File).str();
          bool InSource = SourceFiles.contains(Impl->Where.File);
          Where = ", defined in " + ClassFile;
          Remedy = InSource ? ": move the class to a header" : ": give it a name";
          if (InSource && StringRef(Impl->Name).contains("(anonymous"))
            Remedy = ": name the class and move it to a header";
          if (!MoveBlocker(Use.FunctionUsr))
            Remedy += ", or set MoveDefinitionsToHeader";
        }
        Out.push_back({"implementation-in-source",
                       "'" + Use.FunctionName + "' is defined in " +
                           describe(Use.Definition) + " and receives '" +
                           (Impl ? Impl->Name : Usr) + "'" + Where +
                           ", which that file cannot name" + Remedy,
                       Use.Definition});
      }
    }
  }
  return Out;
}

using IncludeMap =
    llvm::DenseMap<const FileEntry *, llvm::SmallVector<const FileEntry *, 8>>;

// Records which file includes which, including the inclusions an include
// guard skips.
class IncludeRecorder : public PPCallbacks {
public:
  IncludeRecorder(const SourceManager &SM, std::shared_ptr<IncludeMap> Map)
      : SM(SM), Map(std::move(Map)) {}
  void InclusionDirective(SourceLocation HashLoc, const Token &, StringRef, bool,
                          CharSourceRange, OptionalFileEntryRef File, StringRef,
                          StringRef, const Module *, bool,
                          SrcMgr::CharacteristicKind) override {
    OptionalFileEntryRef Includer =
        SM.getFileEntryRefForID(SM.getFileID(SM.getExpansionLoc(HashLoc)));
    if (Includer && File)
      (*Map)[&Includer->getFileEntry()].push_back(&File->getFileEntry());
  }

private:
  const SourceManager &SM;
  std::shared_ptr<IncludeMap> Map;
};

bool reaches(const IncludeMap &Map, const FileEntry *From, const FileEntry *To) {
  llvm::SmallPtrSet<const FileEntry *, 32> Seen;
  llvm::SmallVector<const FileEntry *, 32> Work{From};
  while (!Work.empty()) {
    const FileEntry *File = Work.pop_back_val();
    if (File == To)
      return true;
    if (!Seen.insert(File).second)
      continue;
    auto It = Map.find(File);
    if (It != Map.end())
      Work.append(It->second.begin(), It->second.end());
  }
  return false;
}

const idx::SourceCoroutine *
sourceCoroutine(const std::vector<idx::SourceCoroutine> *Coroutines, StringRef Usr) {
  if (Coroutines)
    for (const idx::SourceCoroutine &C : *Coroutines)
      if (C.Usr == Usr)
        return &C;
  return nullptr;
}

// The first class that implements both interfaces, or "".
std::string sharedImplementation(const idx::Interface &A, const idx::Interface &B) {
  for (const idx::Implementation &I : A.Implementations)
    for (const idx::Implementation &J : B.Implementations)
      if (I.Usr == J.Usr)
        return I.Name;
  return "";
}

bool shareImplementation(const idx::Interface &A, const idx::Interface &B) {
  return !sharedImplementation(A, B).empty();
}

} // namespace

DevirtualizeCheck::DevirtualizeCheck(StringRef Name, ClangTidyContext *Context)
    : CoroCheck(Name, Context), IndexFile(Options.get("IndexFile", "")),
      ReportDynamicUses(Options.get("ReportDynamicUses", false)),
      ExportFactsDir(Options.get("ExportFactsDir", "")),
      MoveDefinitionsToHeader(Options.get("MoveDefinitionsToHeader", false)),
      ExcludeText(Options.get("Exclude", "")),
      MoveMemberDefinitionsToHeader(
          Options.get("MoveMemberDefinitionsToHeader", false)),
      Inserter(Options.getLocalOrGlobal("IncludeStyle",
                                        utils::IncludeSorter::IS_LLVM),
               areDiagsSelfContained()) {}

void DevirtualizeCheck::storeOptions(ClangTidyOptions::OptionMap &Opts) {
  Options.store(Opts, "IndexFile", IndexFile);
  Options.store(Opts, "ReportDynamicUses", ReportDynamicUses);
  Options.store(Opts, "ExportFactsDir", ExportFactsDir);
  Options.store(Opts, "Exclude", ExcludeText);
  Options.store(Opts, "MoveDefinitionsToHeader", MoveDefinitionsToHeader);
  Options.store(Opts, "MoveMemberDefinitionsToHeader",
                MoveMemberDefinitionsToHeader);
  Options.store(Opts, "IncludeStyle", Inserter.getStyle());
}

void DevirtualizeCheck::registerPPCallbacks(const SourceManager &SM,
                                            Preprocessor *PP, Preprocessor *) {
  // Header spellings for the includes explicit instantiations need.
  this->PP = PP;
  Inserter.registerPreprocessor(PP);
  Includes = std::make_shared<IncludeMap>();
  PP->addPPCallbacks(std::make_unique<IncludeRecorder>(SM, Includes));
}

bool DevirtualizeCheck::willMove(const idx::SourceCoroutine &C, bool Member) const {
  return (Member ? MoveMemberDefinitionsToHeader : MoveDefinitionsToHeader) &&
         C.MoveBlockers.empty();
}

std::vector<DevirtualizeCheck::StillAllocating>
DevirtualizeCheck::stillAllocating(const idx::Interface &Facts) const {
  std::vector<StillAllocating> Out;
  if (!Coroutines)
    return Out;
  for (const idx::SourceCoroutine &C : *Coroutines) {
    for (const idx::ParameterUse &Use : Facts.ParameterUses)
      if (Use.FunctionUsr == C.Usr && !willMove(C, false))
        Out.push_back({&C, false, Use.Where});
    // A member coroutine of an implementation that overrides the interface's.
    for (const idx::Implementation &Impl : Facts.Implementations) {
      StringRef Usr = C.Usr;
      if (!Usr.consume_front(Impl.Usr + "@F@"))
        continue;
      StringRef Member = Usr.take_until([](char Ch) { return Ch == '#'; });
      if (llvm::any_of(Facts.Methods,
                       [&](const idx::Method &M) { return M.Name == Member; }) &&
          !willMove(C, true))
        Out.push_back({&C, true, Impl.Where});
    }
  }
  return Out;
}

void DevirtualizeCheck::registerMatchers(MatchFinder *Finder) {
  // The judgement is about the whole translation unit at once.
  Finder->addMatcher(translationUnitDecl().bind("tu"), this);
}

void DevirtualizeCheck::check(const MatchFinder::MatchResult &Result) {
  ASTContext &Ctx = *Result.Context;
  idx::DeclMap Found;
  idx::Facts Local =
      idx::collectFacts(Ctx, !Ctx.getDiagnostics().hasErrorOccurred(), &Found);
  Decls = &Found;
  if (!ExportFactsDir.empty())
    exportFacts(Local, Ctx);
  if (Local.Interfaces.empty())
    return;
  llvm::StringSet<> Stale;
  std::optional<idx::Facts> Whole = loadIndex(Ctx, Local, Stale);
  Coroutines = Whole ? &Whole->Coroutines : &Local.Coroutines;
  std::vector<Verdict> Verdicts;
  for (const idx::Interface &I : Local.Interfaces) {
    // Evidence in a file changed since the index was built (other than
    // this one, which the translation unit shows afresh) may be wrong.
    const idx::Facts *Judge = Whole ? &*Whole : nullptr;
    if (Judge && !Stale.empty())
      for (const idx::Interface &Stored : Judge->Interfaces)
        if (Stored.Usr == I.Usr && idx::citesAny(Stored, Stale)) {
          Judge = nullptr;
          break;
        }
    if (std::optional<Verdict> V = assess(I, Judge, Ctx))
      Verdicts.push_back(std::move(*V));
  }
  // Interfaces that share an implementation are migrated by one fix: the
  // class drops both bases in one edit (two overlapping edits would both be
  // dropped by clang-tidy).
  std::vector<Group> Groups;
  std::vector<size_t> GroupOf(Verdicts.size(), SIZE_MAX);
  for (size_t V = 0; V < Verdicts.size(); ++V) {
    if (!Verdicts[V].Blockers.empty())
      continue;
    std::set<size_t> Joined;
    for (size_t W = 0; W < V; ++W)
      if (GroupOf[W] != SIZE_MAX && shareImplementation(*Verdicts[V].Facts,
                                                        *Verdicts[W].Facts))
        Joined.insert(GroupOf[W]);
    if (Joined.empty()) {
      GroupOf[V] = Groups.size();
      Groups.emplace_back();
      Groups.back().Members.push_back(V);
      continue;
    }
    // Join the first group; fold the others into it.
    size_t Into = *Joined.begin();
    for (size_t Other : Joined) {
      if (Other == Into)
        continue;
      for (size_t M : Groups[Other].Members)
        GroupOf[M] = Into;
      Groups[Into].Members.insert(Groups[Into].Members.end(),
                                  Groups[Other].Members.begin(),
                                  Groups[Other].Members.end());
      Groups[Other].Members.clear();
    }
    GroupOf[V] = Into;
    Groups[Into].Members.push_back(V);
  }
  for (Group &G : Groups) {
    if (G.Members.empty())
      continue;
    llvm::sort(G.Members);
    migrate(G, Verdicts, Ctx);
  }
  for (size_t V = 0; V < Verdicts.size(); ++V)
    report(Verdicts[V], GroupOf[V] == SIZE_MAX ? nullptr : &Groups[GroupOf[V]],
           V, Verdicts, Ctx);
  Coroutines = nullptr;
  Decls = nullptr;
}

std::optional<idx::Facts>
DevirtualizeCheck::loadIndex(ASTContext &Ctx, const idx::Facts &Local,
                             llvm::StringSet<> &Stale) {
  const SourceManager &SM = Ctx.getSourceManager();
  StoredIndex Stored = storedIndexFor(IndexFile, SM);
  // Not code findings: a build with WarningsAsErrors must not fail on them,
  // and one message per run is enough.
  for (const std::string &Problem : Stored.Problems)
    if (firstReport(Problem))
      configurationDiag(Problem);
  if (!Stored.Facts)
    return std::nullopt;
  Stale = std::move(Stored.Stale);
  idx::Facts Whole = idx::overlay(*Stored.Facts, Local, mainFilePath(SM));
  if (!ExcludeText.empty()) {
    std::vector<std::string> Patterns;
    for (StringRef Pattern : utils::options::parseStringList(ExcludeText))
      Patterns.push_back(Pattern.str());
    auto Filter = idx::FileFilter::create(Patterns);
    if (!Filter) {
      std::string Problem = "coro-devirtualize.Exclude: " +
                            llvm::toString(Filter.takeError()) + "; ignored";
      if (firstReport(Problem))
        configurationDiag(Problem);
    } else {
      idx::exclude(Whole, *Filter);
    }
  }
  return Whole;
}

void DevirtualizeCheck::exportFacts(const idx::Facts &Local, ASTContext &Ctx) {
  const SourceManager &SM = Ctx.getSourceManager();
  OptionalFileEntryRef Main = SM.getFileEntryRefForID(SM.getMainFileID());
  if (!Main)
    return;
  std::string MainPath = Main->getFileEntry().tryGetRealPathName().str();
  idx::Facts Out = Local;
  Out.TranslationUnits.push_back(
      {MainPath, !Ctx.getDiagnostics().hasErrorOccurred(), ""});
  llvm::SmallString<256> Path(ExportFactsDir);
  llvm::sys::path::append(
      Path, llvm::utohexstr(llvm::xxh3_64bits(MainPath), true) + ".yaml");
  if (llvm::Error E = idx::writeAtomically(Path, idx::toYaml(Out)))
    diag(SM.getLocForStartOfFile(SM.getMainFileID()),
         "cannot export corotidy facts: %0")
        << llvm::toString(std::move(E));
}

void DevirtualizeCheck::migrate(Group &G, const std::vector<Verdict> &Verdicts,
                                ASTContext &Ctx) {
  // The declarations the collector found for this translation unit's facts.
  const idx::DeclMap &Found = *Decls;
  const SourceManager &SM = Ctx.getSourceManager();
  corotidy::fixits::ConceptMigration Migration(
      Ctx, PP, [this](FileID File, StringRef Header) {
        return Inserter.createIncludeInsertion(File, Header);
      });
  bool Done = true;
  // The interfaces this translation unit defines, and for each class the
  // interfaces of the group it drops.
  llvm::SmallVector<const CXXRecordDecl *, 2> Interfaces;
  std::map<std::string, llvm::SmallVector<const CXXRecordDecl *, 2>> Dropped;
  std::vector<std::string> ClassOrder;
  for (size_t M : G.Members) {
    const idx::Interface &Facts = *Verdicts[M].Facts;
    const auto *Interface =
        dyn_cast_or_null<CXXRecordDecl>(Found.lookup(Facts.Usr));
    Interfaces.push_back(Interface);
    if (!Interface)
      continue;
    Done = Done && Migration.rewriteInterface(*Interface);
    for (const idx::Implementation &Impl : Facts.Implementations) {
      auto [It, New] = Dropped.try_emplace(Impl.Usr);
      if (New)
        ClassOrder.push_back(Impl.Usr);
      It->second.push_back(Interface);
    }
  }
  auto Reaches = [this](const FileEntry *From, const FileEntry *To) {
    return Includes && reaches(*Includes, From, To);
  };
  for (const std::string &Usr : ClassOrder) {
    const auto *RD = dyn_cast_or_null<CXXRecordDecl>(Found.lookup(Usr));
    if (!RD)
      continue;
    // Member coroutines defined out of line in a source file move into the
    // class, where every caller sees them; the translation unit that defines
    // one rewrites its declaration whole.
    llvm::SmallPtrSet<const CXXMethodDecl *, 4> Moving;
    for (const CXXMethodDecl *Method : RD->methods()) {
      llvm::SmallString<128> MethodUsr;
      if (Method->isImplicit() ||
          !corotidy::migration::overridesOnlyInterfaces(*Method, Dropped[Usr]) ||
          clang::index::generateUSRForDecl(Method, MethodUsr))
        continue;
      if (const idx::SourceCoroutine *C = sourceCoroutine(Coroutines, MethodUsr);
          C && willMove(*C, true))
        Moving.insert(Method->getCanonicalDecl());
    }
    Done = Done && Migration.rewriteImplementation(*RD, Dropped[Usr], Moving);
    for (const CXXMethodDecl *Method : Moving) {
      const FunctionDecl *Definition = Method->getDefinition();
      if (Done && Definition && Definition != Method &&
          SM.isInMainFile(SM.getExpansionLoc(Definition->getLocation())))
        Done = Migration.moveToHeader(*Definition, Reaches, /*DropOverride=*/true);
    }
  }
  for (size_t I = 0; I < G.Members.size(); ++I) {
    const CXXRecordDecl *Interface = Interfaces[I];
    if (!Interface)
      continue;
    const idx::Interface &Facts = *Verdicts[G.Members[I]].Facts;
    auto Concrete = concreteClassesByFunction(Facts);
    for (const idx::ParameterUse &Use : Facts.ParameterUses) {
      const auto *Fn =
          dyn_cast_or_null<FunctionDecl>(Found.lookup(Use.FunctionUsr));
      if (!Fn || !Done)
        continue;
      Done = Migration.rewriteDispatcher(*Fn, *Interface);
      // A definition in this source file that other files call: they need
      // an explicit instantiation for each class they pass.
      const FunctionDecl *Definition = Fn->getDefinition();
      if (!Done || !Definition || !SM.isInMainFile(Definition->getLocation()) ||
          !Definition->isExternallyVisible() ||
          llvm::all_of(Definition->redecls(), [&](const FunctionDecl *R) {
            return SM.isInMainFile(SM.getExpansionLoc(R->getLocation()));
          }))
        continue;
      if (const idx::SourceCoroutine *C = sourceCoroutine(Coroutines, Use.FunctionUsr);
          C && willMove(*C, false)) {
        Done = Migration.moveToHeader(*Definition, Reaches);
        continue;
      }
      std::vector<corotidy::fixits::ConceptMigration::Concrete> Classes;
      for (const std::string &Usr : Concrete[Use.FunctionUsr]) {
        const idx::Implementation *Impl = implementation(Facts, Usr);
        const auto *Seen = dyn_cast_or_null<CXXRecordDecl>(Found.lookup(Usr));
        if (!Impl || (Seen && Seen->isInAnonymousNamespace()))
          continue; // Only this file can pass it: implicit instantiation does.
        Classes.push_back({Seen, Impl->Name, Impl->Where.File});
      }
      Done = Migration.instantiate(*Definition, *Interface, Classes);
      if (!Classes.empty())
        G.Instantiated.push_back(Use.FunctionName);
    }
  }
  if (!Done) {
    G.Failure = Migration.failure();
    return;
  }
  G.Hints.assign(Migration.hints().begin(), Migration.hints().end());
}

SourceLocation DevirtualizeCheck::locate(const idx::Location &Where,
                                         ASTContext &Ctx,
                                         StringRef Name) const {
  SourceManager &SM = Ctx.getSourceManager();
  auto File = SM.getFileManager().getOptionalFileRef(Where.File);
  if (!File)
    return {};
  FileID ID = SM.translateFile(*File);
  if (ID.isInvalid())
    return {};
  // The facts keep the declaration's own column.
  if (Where.Column)
    return SM.translateLineCol(ID, Where.Line, Where.Column);
  SourceLocation Line = SM.translateLineCol(ID, Where.Line, 1);
  // Without one (a location that names no declaration), the name on that
  // line when it is there, else the line's first token.
  bool Invalid = false;
  StringRef Text = SM.getCharacterData(Line, &Invalid);
  if (Invalid)
    return Line;
  Text = Text.take_until([](char C) { return C == '\n'; });
  if (Name.empty())
    return Line.getLocWithOffset(Text.size() - Text.ltrim().size());
  for (size_t At = Text.find(Name); At != StringRef::npos;
       At = Text.find(Name, At + 1)) {
    bool StartsWord = At == 0 || !isAsciiIdentifierContinue(Text[At - 1]);
    bool EndsWord = At + Name.size() == Text.size() ||
                    !isAsciiIdentifierContinue(Text[At + Name.size()]);
    if (StartsWord && EndsWord)
      return Line.getLocWithOffset(At);
  }
  return Line;
}

std::optional<DevirtualizeCheck::Verdict>
DevirtualizeCheck::assess(const idx::Interface &Local, const idx::Facts *Whole,
                          ASTContext &Ctx) {
  SourceLocation Loc = locate(Local.Where, Ctx, unqualified(Local.Name));
  if (Loc.isInvalid())
    return std::nullopt;
  const SourceManager &SM = Ctx.getSourceManager();
  // Without whole-program facts, only an interface whose every use this
  // translation unit sees can be judged: one declared in the main file.
  const idx::Interface *Facts = nullptr;
  llvm::StringSet<> SourceFiles;
  if (Whole) {
    for (const idx::Interface &Candidate : Whole->Interfaces)
      if (Candidate.Usr == Local.Usr)
        Facts = &Candidate;
    for (const idx::TranslationUnit &TU : Whole->TranslationUnits)
      SourceFiles.insert(TU.File);
  } else if (SM.isInMainFile(Loc)) {
    Facts = &Local;
    SourceFiles.insert(Local.Where.File);
  }
  // A translation unit that could use it failed to parse: its uses are
  // unknown, so no verdict; say which, when dynamic uses are reported.
  if (Facts && Facts->Incomplete && Whole && ReportDynamicUses) {
    std::vector<const idx::TranslationUnit *> Failed =
        idx::failedUnitsAffecting(*Whole, *Facts);
    if (!Failed.empty()) {
      diag(Loc, "virtual coroutine interface '%0' cannot be judged: %1 failed "
                "to parse and may use it%select{| (and %3 more)}2; fix its "
                "build, or leave it out with Exclude")
          << Facts->Name << llvm::sys::path::filename(Failed.front()->File)
          << (Failed.size() > 1) << static_cast<unsigned>(Failed.size() - 1);
      if (!Failed.front()->Message.empty())
        diag(Loc, "%0: %1", DiagnosticIDs::Note)
            << llvm::sys::path::filename(Failed.front()->File)
            << Failed.front()->Message;
    }
  }
  if (!Facts || Facts->Incomplete || Facts->Implementations.empty())
    return std::nullopt;
  if (!Facts->DynamicUses.empty()) {
    if (!ReportDynamicUses)
      return std::nullopt;
    // A plugin's exported factory says it best, when there is one.
    auto Factory = llvm::find_if(Facts->DynamicUses, [](const idx::DynamicUse &U) {
      return U.Kind == "factory";
    });
    const idx::DynamicUse &First =
        Factory != Facts->DynamicUses.end() ? *Factory : Facts->DynamicUses.front();
    diag(Loc, "virtual coroutine interface '%0' needs dynamic dispatch: %1 "
              "(%2) at %3%select{| and %5 more use%s5}4")
        << Facts->Name << First.Kind << First.Detail << describe(First.Where)
        << (Facts->DynamicUses.size() > 1)
        << static_cast<unsigned>(Facts->DynamicUses.size() - 1);
    if (SourceLocation Evidence = locate(First.Where, Ctx); Evidence.isValid())
      diag(Evidence, "dynamic use here", DiagnosticIDs::Note);
    return std::nullopt;
  }
  auto MovesToHeader = [&](StringRef Usr) {
    const idx::SourceCoroutine *C = sourceCoroutine(Coroutines, Usr);
    return C && willMove(*C, false);
  };
  Verdict V{Facts, Loc, {}};
  for (const idx::Blocker &B : Facts->Blockers) {
    // Explicit instantiations that cannot be written are not needed for a
    // dispatch function that moves into its header.
    bool Moves = B.Kind == "instantiation" &&
                 llvm::any_of(Facts->ParameterUses, [&](const idx::ParameterUse &U) {
                   return U.Definition.File == B.Where.File &&
                          U.Definition.Line == B.Where.Line &&
                          MovesToHeader(U.FunctionUsr);
                 });
    if (!Moves)
      V.Blockers.push_back(B);
  }
  auto MoveBlocker = [&](StringRef Usr) -> const idx::Blocker * {
    const idx::SourceCoroutine *C = sourceCoroutine(Coroutines, Usr);
    return MoveDefinitionsToHeader && C && !C->MoveBlockers.empty()
               ? &C->MoveBlockers.front()
               : nullptr;
  };
  for (idx::Blocker &B :
       crossFileBlockers(*Facts, SourceFiles, MovesToHeader, MoveBlocker))
    V.Blockers.push_back(std::move(B));
  return V;
}

void DevirtualizeCheck::report(const Verdict &V, const Group *G, size_t Index,
                               const std::vector<Verdict> &Verdicts,
                               ASTContext &Ctx) {
  const idx::Interface &Facts = *V.Facts;
  SourceLocation Loc = V.Loc;
  bool Leader = G && G->Members.front() == Index;
  {
    auto Diag = diag(Loc, "virtual coroutine interface '%0' is only used with "
                          "statically known types; each call allocates a "
                          "coroutine frame")
                << Facts.Name
                // Editors underline the name, not the whole rewrite.
                << SourceRange(Loc);
    if (Leader)
      for (const FixItHint &Hint : G->Hints)
        Diag << Hint;
  }
  if (!V.Blockers.empty()) {
    const idx::Blocker &First = V.Blockers.front();
    SourceLocation Evidence = locate(First.Where, Ctx);
    diag(Evidence.isValid() ? Evidence : Loc,
         "no automatic migration: %0%select{| (%2)}1%select{| and %4 more "
         "obstacle%s4}3",
         DiagnosticIDs::Note)
        << First.Detail << Evidence.isInvalid() << describe(First.Where)
        << (V.Blockers.size() > 1) << static_cast<unsigned>(V.Blockers.size() - 1);
  } else if (G && !G->Failure.empty()) {
    diag(Loc, "no automatic migration in this translation unit: %0",
         DiagnosticIDs::Note)
        << G->Failure;
  } else if (G && !Leader) {
    const idx::Interface &First = *Verdicts[G->Members.front()].Facts;
    diag(Loc, "migrated by the fix of '%0', in one edit: '%1' implements both",
         DiagnosticIDs::Note)
        << First.Name << sharedImplementation(Facts, First);
  }
  // The evidence, short: the first implementation and dispatch function,
  // and how many more there are.
  if (!Facts.Implementations.empty()) {
    const idx::Implementation &Impl = Facts.Implementations.front();
    if (SourceLocation At = locate(Impl.Where, Ctx, unqualified(Impl.Name));
        At.isValid())
      diag(At, "implemented by '%0'%select{| and %2 more class%select{|es}3}1",
           DiagnosticIDs::Note)
          << Impl.Name << (Facts.Implementations.size() > 1)
          << static_cast<unsigned>(Facts.Implementations.size() - 1)
          << (Facts.Implementations.size() > 2);
  }
  if (!Facts.ParameterUses.empty()) {
    auto Concrete = concreteClassesByFunction(Facts);
    const idx::ParameterUse &Use = Facts.ParameterUses.front();
    if (SourceLocation At = locate(Use.Where, Ctx, unqualified(Use.FunctionName));
        At.isValid())
      diag(At,
           "'%0' dispatches through it with %1 concrete type%s1%select{| (and "
           "%3 more dispatch function%s3)}2",
           DiagnosticIDs::Note)
          << Use.FunctionName
          << static_cast<unsigned>(Concrete[Use.FunctionUsr].size())
          << (Facts.ParameterUses.size() > 1)
          << static_cast<unsigned>(Facts.ParameterUses.size() - 1);
  }
  // What the migration will not make allocation-free: coroutines that stay
  // defined in a source file, whose frames callers in other files allocate.
  std::vector<StillAllocating> Still;
  if (V.Blockers.empty())
    Still = stillAllocating(Facts);
  if (!Still.empty()) {
    const StillAllocating &First = Still.front();
    const idx::SourceCoroutine &C = *First.Coroutine;
    SourceLocation At = locate(First.Where, Ctx, unqualified(C.Name));
    if (At.isInvalid())
      At = Loc;
    std::string File = llvm::sys::path::filename(C.Where.File).str();
    if (!C.MoveBlockers.empty() &&
        (First.Member ? MoveMemberDefinitionsToHeader : MoveDefinitionsToHeader))
      diag(At,
           "'%0' stays defined in %1, so calls from other files still "
           "allocate its frame: %2%select{| (and %4 more such callee%s4)}3",
           DiagnosticIDs::Note)
          << C.Name << File << C.MoveBlockers.front().Detail
          << (Still.size() > 1) << static_cast<unsigned>(Still.size() - 1);
    else
      diag(At,
           "calls from other files still allocate the frame of '%0', defined "
           "in %1%select{| (and %3 more such callee%s3)}2; %4 moves it into "
           "the header",
           DiagnosticIDs::Note)
          << C.Name << File << (Still.size() > 1)
          << static_cast<unsigned>(Still.size() - 1)
          << (First.Member ? "MoveMemberDefinitionsToHeader"
                           : "MoveDefinitionsToHeader");
  }
}

} // namespace clang::tidy::coro
