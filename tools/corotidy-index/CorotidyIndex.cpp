//===--- CorotidyIndex.cpp - corotidy --------------------------*- C++ -*-===//
//
// corotidy-index: collects the whole-program facts coro-devirtualize needs
// (which coroutine interfaces are ever used dynamically) into
// <build-dir>/corotidy-index.yaml. Map: one set of facts per distinct C++
// compile command, cached with the files it read. Reduce: merge (also
// `corotidy-index merge` for shards and facts collected elsewhere).
//
//===----------------------------------------------------------------------===//

#include "index/Collector.h"
#include "index/CompileCommands.h"
#include "index/FactsYaml.h"
#include "index/Storage.h"
#include "clang/Frontend/CompilerInstance.h"
#include "clang/Frontend/FrontendAction.h"
#include "clang/Lex/Preprocessor.h"
#include "clang/Tooling/ArgumentsAdjusters.h"
#include "clang/Tooling/Tooling.h"
#include "llvm/Support/CommandLine.h"
#include "llvm/Support/FileSystem.h"
#include "llvm/Support/MemoryBuffer.h"
#include "llvm/Support/Path.h"
#include "llvm/Support/ThreadPool.h"
#include "llvm/Support/Threading.h"
#include "llvm/Support/WithColor.h"
#include "llvm/Support/raw_ostream.h"
#include "llvm/Support/xxhash.h"
#include <mutex>

using namespace llvm;
using namespace corotidy::index;
using clang::tooling::CompileCommand;

static cl::OptionCategory IndexCategory("corotidy-index options");
static cl::SubCommand MergeCommand(
    "merge", "Merge fact files or partial indexes (files, or the *.yaml files "
             "of directories) into one index");

static cl::opt<std::string>
    BuildDir("p", cl::desc("Build directory holding compile_commands.json"),
             cl::value_desc("build-dir"), cl::Required, cl::cat(IndexCategory));
static cl::opt<std::string> OutputFile(
    "o",
    cl::desc("Index file to write (default: <build-dir>/corotidy-index.yaml, "
             "with --shard <build-dir>/corotidy-index.shard-I-of-N.yaml; for "
             "merge of one directory: <dir>/corotidy-index.yaml)"),
    cl::value_desc("file"), cl::cat(IndexCategory), cl::sub(cl::SubCommand::getTopLevel()),
    cl::sub(MergeCommand));
// Prefix: `-j8` as well as `-j 8` (make's spelling).
static cl::opt<unsigned>
    Jobs("j", cl::desc("Translation units analysed in parallel (default: all "
                       "cores)"),
         cl::init(0), cl::Prefix, cl::cat(IndexCategory));
static cl::list<std::string>
    Excludes("exclude",
             cl::desc("Leave out source files whose absolute path matches this "
                      "regex (repeatable)"),
             cl::value_desc("regex"), cl::cat(IndexCategory));
static cl::opt<std::string>
    ShardOption("shard",
                cl::desc("Analyse only part I of N of the compilation database "
                         "(by a hash of each file's path relative to the build "
                         "directory) and write a partial index for "
                         "`corotidy-index merge`"),
                cl::value_desc("I/N"), cl::cat(IndexCategory));
static cl::opt<bool>
    ListOnly("list",
             cl::desc("Print the source files that would be analysed (after the "
                      "language, --exclude, --shard and source-regex selection), "
                      "one per line, and exit; e.g. to lint the same shard"),
             cl::cat(IndexCategory));
static cl::list<std::string> SourceRegexes(cl::Positional, cl::desc("[source-regex...]"),
                                           cl::cat(IndexCategory));
static cl::list<std::string> MergeInputs(cl::Positional, cl::desc("<file-or-dir>..."),
                                         cl::OneOrMore, cl::sub(MergeCommand));

namespace {

// The first error of a translation unit, for the one-line report.
class FirstError : public clang::DiagnosticConsumer {
public:
  void HandleDiagnostic(clang::DiagnosticsEngine::Level Level,
                        const clang::Diagnostic &Info) override {
    DiagnosticConsumer::HandleDiagnostic(Level, Info);
    if (Level < clang::DiagnosticsEngine::Error || !Message.empty())
      return;
    SmallString<128> Text;
    Info.FormatDiagnostic(Text);
    if (Info.hasSourceManager() && Info.getLocation().isValid()) {
      clang::PresumedLoc Loc =
          Info.getSourceManager().getPresumedLoc(Info.getLocation());
      if (Loc.isValid())
        Message = (sys::path::filename(Loc.getFilename()) + ":" +
                   Twine(Loc.getLine()) + ": " + Text)
                      .str();
    }
    if (Message.empty())
      Message = Text.str().str();
  }
  std::string Message;
};

// What one parse produced: the facts, whether it failed, what it read.
struct Collected {
  std::optional<Facts> F;
  bool Errors = false;
  TranslationUnit Unit;
  std::vector<Dependency> Deps;
};

class CollectAction : public clang::ASTFrontendAction {
public:
  CollectAction(Collected &Out, sys::TimePoint<> Start) : Out(Out), Start(Start) {}

  bool BeginSourceFileAction(clang::CompilerInstance &CI) override {
    auto Recorder = std::make_unique<IncludeRecorder>(CI.getPreprocessor());
    Includes = Recorder.get();
    CI.getPreprocessor().addPPCallbacks(std::move(Recorder));
    return true;
  }

  std::unique_ptr<clang::ASTConsumer>
  CreateASTConsumer(clang::CompilerInstance &, StringRef) override {
    struct Consumer : clang::ASTConsumer {
      CollectAction &Action;
      explicit Consumer(CollectAction &Action) : Action(Action) {}
      void HandleTranslationUnit(clang::ASTContext &Ctx) override {
        Action.finish(Ctx);
      }
    };
    return std::make_unique<Consumer>(*this);
  }

private:
  void finish(clang::ASTContext &Ctx) {
    const clang::SourceManager &SM = Ctx.getSourceManager();
    Out.Errors = Ctx.getDiagnostics().hasErrorOccurred();
    Out.F = collectFacts(Ctx, !Out.Errors);
    Out.Deps = readFiles(SM, Includes, Start);
    if (Out.Errors && Includes)
      recordReach(Out.Unit, SM, *Includes);
  }

  Collected &Out;
  sys::TimePoint<> Start;
  IncludeRecorder *Includes = nullptr; // Owned by the preprocessor.
};

// Exactly one compile command, as selectCommands chose it.
class OneCommand : public clang::tooling::CompilationDatabase {
public:
  explicit OneCommand(CompileCommand Command) : Command(std::move(Command)) {}
  std::vector<CompileCommand> getCompileCommands(StringRef) const override {
    return {Command};
  }
  std::vector<std::string> getAllFiles() const override { return {Command.Filename}; }
  std::vector<CompileCommand> getAllCompileCommands() const override {
    return {Command};
  }

private:
  CompileCommand Command;
};

struct TUResult {
  Facts F;
  bool FromCache = false;
  bool Failed = false;
  std::string Message;
};

// This build of the collector: facts cached by another build are redone.
std::string ToolFingerprint;

void fingerprintTool(const char *Argv0) {
  std::string Self = sys::fs::getMainExecutable(
      Argv0, reinterpret_cast<void *>(&fingerprintTool));
  ToolFingerprint = LLVM_VERSION_STRING;
  if (auto Buffer = MemoryBuffer::getFile(Self))
    ToolFingerprint += utohexstr(xxh3_64bits((*Buffer)->getBuffer()));
}

// The cache key: the command (the files it reads are the entry's
// dependencies, checked on reuse).
std::string cacheKey(const CompileCommand &Command) {
  std::string Material = "corotidy-index facts v" + std::to_string(FactsVersion) +
                         " " + ToolFingerprint;
  for (const std::string *Part : {&Command.Directory, &Command.Filename}) {
    Material.push_back('\0');
    Material += *Part;
  }
  for (const std::string &Arg : Command.CommandLine) {
    Material.push_back('\0');
    Material += Arg;
  }
  return utohexstr(xxh3_64bits(Material), /*LowerCase=*/true);
}

std::optional<TUResult> fromCache(StringRef FactsPath, StringRef DepsPath,
                                  DependencyChecker &Checker) {
  auto Deps = readDependencies(DepsPath);
  if (!Deps) {
    consumeError(Deps.takeError()); // Missing or damaged: redo it.
    return std::nullopt;
  }
  for (const Dependency &D : *Deps)
    if (!Checker.unchanged(D))
      return std::nullopt;
  auto Cached = readFactsFile(FactsPath);
  if (!Cached) {
    consumeError(Cached.takeError());
    return std::nullopt;
  }
  TUResult Result{std::move(*Cached), /*FromCache=*/true, false, ""};
  for (const TranslationUnit &T : Result.F.TranslationUnits)
    if (!T.Parsed) {
      Result.Failed = true;
      Result.Message = T.Message;
    }
  return Result;
}

TUResult analyse(const CompileCommand &Command, StringRef CacheDir,
                 DependencyChecker &Checker) {
  std::string Key = cacheKey(Command);
  SmallString<256> FactsPath(CacheDir), DepsPath(CacheDir);
  sys::path::append(FactsPath, Key + ".yaml");
  sys::path::append(DepsPath, Key + ".deps");
  if (std::optional<TUResult> Cached = fromCache(FactsPath, DepsPath, Checker))
    return std::move(*Cached);

  Collected Out;
  Out.Unit.File = Command.Filename;
  FirstError Errors;
  OneCommand DB(Command);
  clang::tooling::ClangTool Tool(DB, {Command.Filename});
  // Warnings change no fact (and -Werror must not fail a parse here); the
  // first error is reported in one line, so no "N errors generated".
  Tool.appendArgumentsAdjuster(clang::tooling::getInsertArgumentAdjuster(
      {"-resource-dir=" COROTIDY_RESOURCE_DIR, "-w", "-fno-caret-diagnostics"},
      clang::tooling::ArgumentInsertPosition::END));
  Tool.setDiagnosticConsumer(&Errors);
  Tool.setPrintErrorMessage(false);
  struct Factory : clang::tooling::FrontendActionFactory {
    Collected &Out;
    sys::TimePoint<> Start = std::chrono::system_clock::now();
    explicit Factory(Collected &Out) : Out(Out) {}
    std::unique_ptr<clang::FrontendAction> create() override {
      return std::make_unique<CollectAction>(Out, Start);
    }
  } ActionFactory(Out);
  int Status = Tool.run(&ActionFactory);

  TUResult Result;
  bool Parsed = Status == 0 && Out.F && !Out.Errors;
  if (Out.F)
    Result.F = std::move(*Out.F);
  Result.Failed = !Parsed;
  Out.Unit.Parsed = Parsed;
  if (!Parsed)
    Out.Unit.Message = Errors.Message.empty() ? "could not be analysed" : Errors.Message;
  Result.Message = Out.Unit.Message;
  Result.F.TranslationUnits.push_back(std::move(Out.Unit));
  // A unit that failed is cached too, with what it read and where the
  // headers it missed would be: it is redone when any of that changes. One
  // that never reached the parser has nothing to depend on: redone.
  if (!Out.Deps.empty()) {
    Error E = writeAtomically(FactsPath, toYaml(Result.F));
    if (!E)
      E = writeDependencies(DepsPath, Out.Deps); // After the facts (Storage.h).
    consumeError(std::move(E)); // The cache is an optimisation.
  }
  return Result;
}

int reportError(const Twine &Message) {
  WithColor::error(errs(), "corotidy-index") << Message << "\n";
  return 1;
}

// `A, B, C and 4 more`
std::string listNames(const std::vector<std::string> &Names, size_t Shown = 8) {
  std::string Text;
  for (size_t I = 0; I < Names.size() && I < Shown; ++I)
    Text += (I ? ", " : "") + Names[I];
  if (Names.size() > Shown)
    Text += " and " + std::to_string(Names.size() - Shown) + " more";
  return Text;
}

// The failed translation units of a merged index, each with the interfaces
// it could affect (they are marked incomplete).
void reportFailures(const Facts &Merged) {
  bool Any = false;
  for (const TranslationUnit &TU : Merged.TranslationUnits) {
    if (TU.Parsed)
      continue;
    Any = true;
    std::vector<std::string> Affected;
    for (const Interface &I : Merged.Interfaces)
      if (couldAffect(TU, I))
        Affected.push_back(I.Name);
    outs() << "corotidy-index: failed: " << TU.File;
    if (!TU.Message.empty())
      outs() << " (" << TU.Message << ")";
    if (Affected.empty()) {
      outs() << "; no coroutine interface is affected\n";
      continue;
    }
    if (!TU.IncludesKnown)
      outs() << "; it stopped before what it includes was known, so it could "
                "affect every interface";
    else if (!TU.MissingIncludes.empty())
      outs() << "; it includes a missing header ('" << TU.MissingIncludes.front()
             << "'), which could include anything, so it could affect every "
                "interface";
    outs() << "; marked incomplete: " << listNames(Affected) << "\n";
  }
  if (Any)
    outs() << "corotidy-index: fix the build of the failed files, or leave them "
              "out with --exclude REGEX\n";
}

// Reads fact files or partial indexes: files as given, directories' *.yaml
// files (not the output itself), sorted.
int runMerge() {
  SmallString<256> Output(OutputFile);
  if (Output.empty()) {
    if (MergeInputs.size() != 1 || !sys::fs::is_directory(MergeInputs.front()))
      return reportError("merge: name the index to write with -o when merging "
                         "files or several directories");
    Output = MergeInputs.front();
    sys::path::append(Output, "corotidy-index.yaml");
  }
  std::vector<std::string> Files;
  for (const std::string &Input : MergeInputs) {
    if (!sys::fs::is_directory(Input)) {
      if (!sys::fs::exists(Input))
        return reportError("merge: no such file or directory '" + Input + "'");
      Files.push_back(Input);
      continue;
    }
    std::error_code EC;
    std::vector<std::string> InDir;
    for (sys::fs::directory_iterator It(Input, EC), End; It != End && !EC;
         It.increment(EC))
      if (sys::path::extension(It->path()) == ".yaml" &&
          sys::path::filename(It->path()) != sys::path::filename(Output))
        InDir.push_back(It->path());
    if (EC)
      return reportError("cannot read directory '" + Input + "': " + EC.message());
    std::sort(InDir.begin(), InDir.end());
    Files.insert(Files.end(), InDir.begin(), InDir.end());
  }
  std::vector<Facts> Parts;
  for (const std::string &File : Files) {
    auto F = readFactsFile(File);
    if (!F)
      return reportError(toString(F.takeError()));
    Parts.push_back(std::move(*F));
  }
  Facts Merged = merge(Parts);
  if (Error E = writeAtomically(Output, toYaml(Merged)))
    return reportError(toString(std::move(E)));
  outs() << "corotidy-index: merged " << Files.size() << " fact files; "
         << Merged.Interfaces.size() << " coroutine interfaces -> " << Output << "\n";
  reportFailures(Merged);
  return 0;
}

// `1 duplicate, 2 not C++ (1 assembler-with-cpp, 1 c), 1 excluded`
std::string describeSkipped(const Selection &S, unsigned &Total) {
  std::vector<std::string> Parts;
  Total = S.Duplicates + S.Excluded;
  auto Count = [](unsigned N, StringRef What, StringRef Plural) {
    return std::to_string(N) + " " + (N == 1 ? What : Plural).str();
  };
  if (S.Duplicates)
    Parts.push_back(Count(S.Duplicates, "duplicate", "duplicates"));
  unsigned NotCxx = 0;
  std::string Languages;
  for (const auto &[Language, N] : S.NotCxx) {
    NotCxx += N;
    Languages += (Languages.empty() ? "" : ", ") + std::to_string(N) + " " + Language;
  }
  Total += NotCxx;
  if (NotCxx)
    Parts.push_back(std::to_string(NotCxx) + " not C++ (" + Languages + ")");
  if (S.Excluded)
    Parts.push_back(std::to_string(S.Excluded) + " excluded");
  std::string Text;
  for (const std::string &P : Parts)
    Text += (Text.empty() ? "" : ", ") + P;
  return Text;
}

} // namespace

int main(int Argc, char **Argv) {
  cl::HideUnrelatedOptions(IndexCategory);
  cl::SetVersionPrinter([](raw_ostream &OS) {
    OS << "corotidy-index (corotidy) for LLVM " LLVM_VERSION_STRING "\n";
  });
  cl::ParseCommandLineOptions(
      Argc, Argv,
      "corotidy-index: the whole-program facts behind coro-devirtualize\n\n"
      "Reads <build-dir>/compile_commands.json, analyses each distinct C++\n"
      "compile command (in parallel, reusing cached facts of unchanged ones)\n"
      "and writes <build-dir>/corotidy-index.yaml. `corotidy-index merge\n"
      "<file-or-dir>...` merges partial indexes (--shard) and fact files\n"
      "collected elsewhere.\n");
  if (MergeCommand)
    return runMerge();
  fingerprintTool(Argv[0]);

  SelectOptions Options;
  Options.SourcePatterns = SourceRegexes;
  Options.BuildDir = BuildDir;
  auto Exclude = FileFilter::create(Excludes);
  if (!Exclude)
    return reportError(toString(Exclude.takeError()));
  Options.Exclude = std::move(*Exclude);
  if (!ShardOption.empty()) {
    auto Part = parseShard(ShardOption);
    if (!Part)
      return reportError(toString(Part.takeError()));
    Options.Part = *Part;
  }
  auto DB = loadCompileCommands(BuildDir);
  if (!DB)
    return reportError(toString(DB.takeError()));
  auto Selected = selectCommands(**DB, Options);
  if (!Selected)
    return reportError(toString(Selected.takeError()));
  const std::vector<CompileCommand> &Commands = Selected->Commands;
  if (ListOnly) {
    for (size_t I = 0; I < Commands.size(); ++I)
      if (I == 0 || Commands[I].Filename != Commands[I - 1].Filename)
        outs() << Commands[I].Filename << "\n";
    return 0;
  }

  SmallString<256> Output(OutputFile);
  if (Output.empty()) {
    Output = BuildDir;
    sys::path::append(Output, Options.Part
                                  ? "corotidy-index.shard-" +
                                        Twine(Options.Part->Index) + "-of-" +
                                        Twine(Options.Part->Count) + ".yaml"
                                  : Twine("corotidy-index.yaml"));
  }
  SmallString<256> CacheDir(BuildDir);
  sys::path::append(CacheDir, ".corotidy-cache");
  if (std::error_code EC = sys::fs::create_directories(CacheDir))
    return reportError("cannot create '" + CacheDir + "': " + EC.message());

  std::vector<TUResult> Results(Commands.size());
  DependencyChecker Checker;
  std::mutex Progress;
  size_t Done = 0;
  bool Terminal = errs().is_displayed();
  {
    DefaultThreadPool Pool(hardware_concurrency(Jobs));
    for (size_t I = 0; I < Commands.size(); ++I)
      Pool.async([&, I] {
        Results[I] = analyse(Commands[I], CacheDir, Checker);
        std::lock_guard<std::mutex> Lock(Progress);
        ++Done;
        if (Results[I].Failed && !Results[I].FromCache)
          WithColor::error(errs(), "corotidy-index")
              << Commands[I].Filename << " failed to parse: " << Results[I].Message
              << "\n";
        else if (Terminal)
          errs() << "\r\033[K[" << Done << "/" << Commands.size() << "] "
                 << Commands[I].Filename;
      });
    Pool.wait();
  }
  if (Terminal)
    errs() << "\r\033[K";

  std::vector<Facts> Parts;
  size_t Cached = 0, Failed = 0;
  for (TUResult &R : Results) {
    Cached += R.FromCache;
    Failed += R.Failed;
    Parts.push_back(std::move(R.F));
  }
  Facts Merged = merge(Parts);
  if (Error E = writeAtomically(Output, toYaml(Merged)))
    return reportError(toString(std::move(E)));
  outs() << "corotidy-index: ";
  if (Options.Part)
    outs() << "shard " << Options.Part->Index << "/" << Options.Part->Count << ": ";
  outs() << Commands.size() << " translation unit" << (Commands.size() == 1 ? "" : "s")
         << " (" << Commands.size() - Cached
         << " analysed, " << Cached << " cached, " << Failed << " failed); "
         << Merged.Interfaces.size() << " coroutine interfaces -> " << Output << "\n";
  unsigned Skipped = 0;
  std::string Why = describeSkipped(*Selected, Skipped);
  if (Skipped)
    outs() << "corotidy-index: skipped " << Skipped << " compile command"
           << (Skipped == 1 ? "" : "s") << ": " << Why << "\n";
  reportFailures(Merged);
  return Failed ? 1 : 0;
}
