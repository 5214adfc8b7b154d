//===--- CorotidyIndex.cpp - corotidy --------------------------*- C++ -*-===//
//
// corotidy-index: collects the whole-program facts coro-devirtualize needs
// (which coroutine interfaces are ever used dynamically) into
// <build-dir>/corotidy-index.yaml.
//
//===----------------------------------------------------------------------===//

#include "index/CompileCommands.h"
#include "llvm/Support/CommandLine.h"
#include "llvm/Support/Path.h"
#include "llvm/Support/WithColor.h"
#include "llvm/Support/raw_ostream.h"

using namespace llvm;

static cl::OptionCategory IndexCategory("corotidy-index options");

static cl::opt<std::string>
    BuildDir("p", cl::desc("Build directory holding compile_commands.json"),
             cl::value_desc("build-dir"), cl::Required, cl::cat(IndexCategory));
static cl::opt<std::string>
    OutputFile("o",
               cl::desc("Index file to write (default: "
                        "<build-dir>/corotidy-index.yaml)"),
               cl::value_desc("file"), cl::cat(IndexCategory));
static cl::opt<unsigned>
    Jobs("j", cl::desc("Translation units analysed in parallel (default: all "
                       "cores)"),
         cl::init(0), cl::cat(IndexCategory));
static cl::list<std::string>
    SourceRegexes(cl::Positional,
                  cl::desc("[source-regex...]"),
                  cl::cat(IndexCategory));

int main(int Argc, char **Argv) {
  cl::HideUnrelatedOptions(IndexCategory);
  cl::SetVersionPrinter([](raw_ostream &OS) {
    OS << "corotidy-index (corotidy) for LLVM " LLVM_VERSION_STRING "\n";
  });
  cl::ParseCommandLineOptions(
      Argc, Argv,
      "corotidy-index: the whole-program facts behind coro-devirtualize\n\n"
      "Reads <build-dir>/compile_commands.json, analyses every translation\n"
      "unit and writes <build-dir>/corotidy-index.yaml.\n");

  auto DB = corotidy::index::loadCompileCommands(BuildDir);
  if (!DB) {
    WithColor::error(errs(), "corotidy-index") << toString(DB.takeError())
                                               << "\n";
    return 1;
  }
  auto Sources = corotidy::index::selectSources(**DB, SourceRegexes);
  if (!Sources) {
    WithColor::error(errs(), "corotidy-index")
        << toString(Sources.takeError()) << "\n";
    return 1;
  }
  SmallString<256> Output(OutputFile);
  if (Output.empty()) {
    Output = BuildDir;
    sys::path::append(Output, "corotidy-index.yaml");
  }
  // Fact collection is coro-devirtualize's part of the work and is not in
  // this build; say so instead of writing an index that claims to be whole.
  WithColor::error(errs(), "corotidy-index")
      << "found " << Sources->size()
      << " translation units, but this build cannot collect interface facts "
         "yet; no index was written to '"
      << Output << "'\n";
  return 2;
}
