//===--- CorotidyIndex.cpp - corotidy --------------------------*- C++ -*-===//
//
// corotidy-index: collects the whole-program facts coro-devirtualize needs
// (which coroutine interfaces are ever used dynamically) into
// <build-dir>/corotidy-index.yaml. Map: one set of facts per translation
// unit, cached by content. Reduce: merge (also `corotidy-index merge <dir>`
// for facts collected elsewhere).
//
//===----------------------------------------------------------------------===//

#include "index/Collector.h"
#include "index/CompileCommands.h"
#include "index/FactsYaml.h"
#include "index/Storage.h"
#include "clang/Frontend/CompilerInstance.h"
#include "clang/Frontend/FrontendAction.h"
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

static cl::OptionCategory IndexCategory("corotidy-index options");
static cl::SubCommand MergeCommand(
    "merge", "Merge per-translation-unit fact files (*.yaml) from a directory "
             "into one index");

static cl::opt<std::string>
    BuildDir("p", cl::desc("Build directory holding compile_commands.json"),
             cl::value_desc("build-dir"), cl::Required, cl::cat(IndexCategory));
static cl::opt<std::string> OutputFile(
    "o", cl::desc("Index file to write (default: <build-dir>/corotidy-index.yaml; "
                  "for merge: <dir>/corotidy-index.yaml)"),
    cl::value_desc("file"), cl::cat(IndexCategory), cl::sub(cl::SubCommand::getTopLevel()),
    cl::sub(MergeCommand));
static cl::opt<unsigned>
    Jobs("j", cl::desc("Translation units analysed in parallel (default: all "
                       "cores)"),
         cl::init(0), cl::cat(IndexCategory));
static cl::list<std::string> SourceRegexes(cl::Positional, cl::desc("[source-regex...]"),
                                           cl::cat(IndexCategory));
static cl::opt<std::string> MergeDir(cl::Positional, cl::desc("<dir>"), cl::Required,
                                     cl::sub(MergeCommand));

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

class CollectAction : public clang::ASTFrontendAction {
public:
  explicit CollectAction(std::optional<Facts> &Out) : Out(Out) {}
  std::unique_ptr<clang::ASTConsumer>
  CreateASTConsumer(clang::CompilerInstance &, StringRef) override {
    struct Consumer : clang::ASTConsumer {
      std::optional<Facts> &Out;
      explicit Consumer(std::optional<Facts> &Out) : Out(Out) {}
      void HandleTranslationUnit(clang::ASTContext &Ctx) override {
        Out = collectFacts(Ctx, !Ctx.getDiagnostics().hasErrorOccurred());
      }
    };
    return std::make_unique<Consumer>(Out);
  }

private:
  std::optional<Facts> &Out;
};

struct TUResult {
  Facts F;
  bool FromCache = false;
  bool Failed = false;
};

// This build of the collector: facts cached by another build are redone.
std::string ToolFingerprint;

void fingerprintTool(const char *Argv0) {
  std::string Self = sys::fs::getMainExecutable(
      Argv0, reinterpret_cast<void *>(&fingerprintTool));
  if (auto Buffer = MemoryBuffer::getFile(Self))
    ToolFingerprint = utohexstr(xxh3_64bits((*Buffer)->getBuffer()));
}

// The cache key: what the facts of a translation unit depend on besides the
// headers, whose hashes the cached facts record and are checked on reuse.
std::string cacheKey(const clang::tooling::CompilationDatabase &DB,
                     const std::string &File) {
  std::string Material = "corotidy-index facts v" + std::to_string(FactsVersion) +
                         " " + ToolFingerprint;
  if (auto Buffer = MemoryBuffer::getFile(File))
    Material += (*Buffer)->getBuffer();
  for (const clang::tooling::CompileCommand &Command : DB.getCompileCommands(File))
    for (const std::string &Arg : Command.CommandLine) {
      Material.push_back('\0');
      Material += Arg;
    }
  return utohexstr(xxh3_64bits(Material), /*LowerCase=*/true);
}

TUResult analyse(const clang::tooling::CompilationDatabase &DB,
                 const std::string &File, StringRef CacheDir) {
  SmallString<256> CachePath(CacheDir);
  sys::path::append(CachePath, cacheKey(DB, File) + ".yaml");
  if (auto Cached = readFactsFile(CachePath)) {
    if (changedFiles(*Cached).empty())
      return {std::move(*Cached), /*FromCache=*/true, false};
  } else {
    consumeError(Cached.takeError()); // A missing or damaged entry: redo it.
  }

  std::optional<Facts> Collected;
  FirstError Errors;
  clang::tooling::ClangTool Tool(DB, {File});
  Tool.appendArgumentsAdjuster(clang::tooling::getInsertArgumentAdjuster(
      "-resource-dir=" COROTIDY_RESOURCE_DIR,
      clang::tooling::ArgumentInsertPosition::END));
  Tool.setDiagnosticConsumer(&Errors);
  struct Factory : clang::tooling::FrontendActionFactory {
    std::optional<Facts> &Out;
    explicit Factory(std::optional<Facts> &Out) : Out(Out) {}
    std::unique_ptr<clang::FrontendAction> create() override {
      return std::make_unique<CollectAction>(Out);
    }
  } ActionFactory(Collected);
  int Status = Tool.run(&ActionFactory);

  TUResult Result;
  bool Parsed = Status == 0 && Collected;
  if (Collected)
    Result.F = std::move(*Collected);
  Result.Failed = !Parsed;
  Result.F.TranslationUnits.push_back(
      {File, Parsed,
       Parsed ? "" : (Errors.Message.empty() ? "could not be analysed" : Errors.Message)});
  if (Parsed)
    if (Error E = writeAtomically(CachePath, toYaml(Result.F)))
      consumeError(std::move(E)); // The cache is an optimisation.
  return Result;
}

int reportError(const Twine &Message) {
  WithColor::error(errs(), "corotidy-index") << Message << "\n";
  return 1;
}

int runMerge() {
  std::vector<Facts> Parts;
  SmallString<256> Output(OutputFile);
  if (Output.empty()) {
    Output = MergeDir;
    sys::path::append(Output, "corotidy-index.yaml");
  }
  std::error_code EC;
  std::vector<std::string> Files;
  for (sys::fs::directory_iterator It(MergeDir, EC), End; It != End && !EC;
       It.increment(EC))
    if (sys::path::extension(It->path()) == ".yaml" &&
        sys::path::filename(It->path()) != sys::path::filename(Output))
      Files.push_back(It->path());
  if (EC)
    return reportError("cannot read directory '" + MergeDir + "': " + EC.message());
  std::sort(Files.begin(), Files.end());
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
  return 0;
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
      "Reads <build-dir>/compile_commands.json, analyses every translation\n"
      "unit (in parallel, reusing cached facts of unchanged ones) and writes\n"
      "<build-dir>/corotidy-index.yaml. `corotidy-index merge <dir>` merges\n"
      "fact files collected elsewhere.\n");
  if (MergeCommand)
    return runMerge();
  fingerprintTool(Argv[0]);

  auto DB = loadCompileCommands(BuildDir);
  if (!DB)
    return reportError(toString(DB.takeError()));
  auto Sources = selectSources(**DB, SourceRegexes);
  if (!Sources)
    return reportError(toString(Sources.takeError()));
  SmallString<256> Output(OutputFile);
  if (Output.empty()) {
    Output = BuildDir;
    sys::path::append(Output, "corotidy-index.yaml");
  }
  SmallString<256> CacheDir(BuildDir);
  sys::path::append(CacheDir, ".corotidy-cache");
  if (std::error_code EC = sys::fs::create_directories(CacheDir))
    return reportError("cannot create '" + CacheDir + "': " + EC.message());

  std::vector<TUResult> Results(Sources->size());
  std::mutex Progress;
  size_t Done = 0;
  bool Terminal = errs().is_displayed();
  {
    DefaultThreadPool Pool(hardware_concurrency(Jobs));
    for (size_t I = 0; I < Sources->size(); ++I)
      Pool.async([&, I] {
        Results[I] = analyse(**DB, (*Sources)[I], CacheDir);
        std::lock_guard<std::mutex> Lock(Progress);
        ++Done;
        if (Results[I].Failed)
          WithColor::error(errs(), "corotidy-index")
              << (*Sources)[I] << " failed to parse: "
              << Results[I].F.TranslationUnits.back().Message
              << "; its classes are marked incomplete\n";
        else if (Terminal)
          errs() << "\r\033[K[" << Done << "/" << Sources->size() << "] "
                 << (*Sources)[I];
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
  outs() << "corotidy-index: " << Sources->size() << " translation units ("
         << Sources->size() - Cached - Failed << " analysed, " << Cached
         << " cached, " << Failed << " failed); " << Merged.Interfaces.size()
         << " coroutine interfaces -> " << Output << "\n";
  return Failed ? 1 : 0;
}
