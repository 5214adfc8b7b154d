//===--- CompileCommands.cpp - corotidy ------------------------*- C++ -*-===//

#include "index/CompileCommands.h"
#include "clang/Basic/Diagnostic.h"
#include "clang/Basic/DiagnosticOptions.h"
#include "clang/Driver/Compilation.h"
#include "clang/Driver/Driver.h"
#include "clang/Driver/Types.h"
#include "clang/Tooling/ArgumentsAdjusters.h"
#include "clang/Tooling/JSONCompilationDatabase.h"
#include "llvm/ADT/StringSet.h"
#include "llvm/Option/ArgList.h"
#include "llvm/Support/FileSystem.h"
#include "llvm/Support/Path.h"
#include "llvm/Support/Regex.h"
#include "llvm/Support/xxhash.h"
#include "llvm/TargetParser/Host.h"
#include <algorithm>
#include <tuple>

namespace corotidy::index {

llvm::Expected<std::unique_ptr<clang::tooling::CompilationDatabase>>
loadCompileCommands(llvm::StringRef BuildDir) {
  llvm::SmallString<256> Path(BuildDir);
  llvm::sys::path::append(Path, "compile_commands.json");
  if (!llvm::sys::fs::exists(Path))
    return llvm::createStringError(
        "no compilation database at '" + Path.str().str() +
        "'; configure the project with -DCMAKE_EXPORT_COMPILE_COMMANDS=ON "
        "(or run `bear -- make`) and pass its build directory with -p");
  std::string Error;
  auto DB = clang::tooling::JSONCompilationDatabase::loadFromFile(
      Path, Error, clang::tooling::JSONCommandLineSyntax::AutoDetect);
  if (!DB)
    return llvm::createStringError("malformed compilation database '" +
                                   Path.str().str() + "': " + Error);
  return std::unique_ptr<clang::tooling::CompilationDatabase>(std::move(DB));
}

std::string driverLanguage(const clang::tooling::CompileCommand &Command) {
  if (Command.CommandLine.empty())
    return "";
  // The driver itself decides, with its diagnostics (unknown options of
  // another compiler, missing inputs) silenced: only the inputs matter here.
  clang::DiagnosticOptions Options;
  clang::IgnoringDiagConsumer Ignore;
  clang::DiagnosticsEngine Diags(clang::DiagnosticIDs::create(), Options, &Ignore,
                                 /*ShouldOwnClient=*/false);
  clang::driver::Driver Driver(Command.CommandLine.front(),
                               llvm::sys::getDefaultTargetTriple(), Diags);
  Driver.setCheckInputsExist(false);
  Driver.setProbePrecompiled(false);
  std::vector<const char *> Argv;
  for (const std::string &Arg : Command.CommandLine)
    Argv.push_back(Arg.c_str());
  // Only the parse matters: no link step, no output.
  Argv.push_back("-fsyntax-only");
  std::unique_ptr<clang::driver::Compilation> Compilation(
      Driver.BuildCompilation(Argv));
  if (!Compilation)
    return "";
  clang::driver::Driver::InputList Inputs;
  Driver.BuildInputs(Compilation->getDefaultToolChain(), Compilation->getArgs(),
                     Inputs);
  // The entry's own file when the command names several inputs.
  std::string Source = absoluteSource(Command);
  std::string First;
  for (const auto &[Type, Arg] : Inputs) {
    llvm::SmallString<256> Input(Arg->getValue());
    if (!llvm::sys::path::is_absolute(Input))
      llvm::sys::path::make_absolute(Command.Directory, Input);
    llvm::sys::path::remove_dots(Input, /*remove_dot_dot=*/true);
    std::string Name = clang::driver::types::getTypeName(Type);
    if (Input.str() == Source)
      return Name;
    if (First.empty())
      First = Name;
  }
  return First;
}

bool isAnalysedLanguage(llvm::StringRef Language) {
  return Language == "c++" || Language == "objective-c++" ||
         Language == "c++-cpp-output" || Language == "objective-c++-cpp-output";
}

std::string absoluteSource(const clang::tooling::CompileCommand &Command) {
  llvm::SmallString<256> Path(Command.Filename);
  if (!llvm::sys::path::is_absolute(Path))
    llvm::sys::path::make_absolute(Command.Directory, Path);
  llvm::sys::path::remove_dots(Path, /*remove_dot_dot=*/true);
  return Path.str().str();
}

llvm::Expected<Shard> parseShard(llvm::StringRef Text) {
  auto [IndexText, CountText] = Text.split('/');
  Shard S;
  if (IndexText.getAsInteger(10, S.Index) || CountText.getAsInteger(10, S.Count) ||
      S.Count == 0 || S.Index == 0 || S.Index > S.Count)
    return llvm::createStringError("invalid --shard '" + Text.str() +
                                   "': expected I/N with 1 <= I <= N, e.g. 2/4");
  return S;
}

unsigned shardOf(llvm::StringRef AbsoluteSource, llvm::StringRef BuildDir,
                 unsigned Count) {
  llvm::SmallString<256> Dir(BuildDir);
  llvm::sys::fs::make_absolute(Dir);
  llvm::sys::path::remove_dots(Dir, /*remove_dot_dot=*/true);
  // The path relative to the build directory: what both have in common is
  // dropped, each remaining directory of the build directory is a `..`.
  llvm::SmallVector<llvm::StringRef, 16> From, To;
  for (auto It = llvm::sys::path::begin(Dir), End = llvm::sys::path::end(Dir);
       It != End; ++It)
    From.push_back(*It);
  for (auto It = llvm::sys::path::begin(AbsoluteSource),
            End = llvm::sys::path::end(AbsoluteSource);
       It != End; ++It)
    To.push_back(*It);
  size_t Common = 0;
  while (Common < From.size() && Common < To.size() && From[Common] == To[Common])
    ++Common;
  std::string Relative;
  for (size_t I = Common; I < From.size(); ++I)
    Relative += "../";
  for (size_t I = Common; I < To.size(); ++I) {
    Relative += To[I];
    if (I + 1 < To.size())
      Relative += "/";
  }
  return static_cast<unsigned>(llvm::xxh3_64bits(Relative) % Count) + 1;
}

namespace {

// What identifies a command for analysis: its directory, file and the
// arguments that reach the parse (outputs and dependency files do not).
std::string identity(const clang::tooling::CompileCommand &Command) {
  std::string Key = Command.Directory;
  Key.push_back('\0');
  Key += Command.Filename;
  for (const std::string &Arg : Command.CommandLine) {
    Key.push_back('\0');
    Key += Arg;
  }
  return Key;
}

} // namespace

llvm::Expected<Selection> selectCommands(const clang::tooling::CompilationDatabase &DB,
                                         const SelectOptions &Options) {
  std::vector<llvm::Regex> Filters;
  for (const std::string &Pattern : Options.SourcePatterns) {
    llvm::Regex Filter(Pattern);
    std::string Error;
    if (!Filter.isValid(Error))
      return llvm::createStringError("invalid source regex '" + Pattern +
                                     "': " + Error);
    Filters.push_back(std::move(Filter));
  }
  clang::tooling::ArgumentsAdjuster Normalize = clang::tooling::combineAdjusters(
      clang::tooling::getClangStripOutputAdjuster(),
      clang::tooling::getClangStripDependencyFileAdjuster());

  Selection Result;
  llvm::StringSet<> Seen;
  for (clang::tooling::CompileCommand Command : DB.getAllCompileCommands()) {
    Command.Filename = absoluteSource(Command);
    if (!Filters.empty() &&
        std::none_of(Filters.begin(), Filters.end(), [&](const llvm::Regex &F) {
          return F.match(Command.Filename);
        })) {
      ++Result.Unselected;
      continue;
    }
    if (Options.Part &&
        shardOf(Command.Filename, Options.BuildDir, Options.Part->Count) !=
            Options.Part->Index) {
      ++Result.OtherShards;
      continue;
    }
    if (Options.Exclude.matches(Command.Filename)) {
      ++Result.Excluded;
      continue;
    }
    Command.CommandLine = Normalize(Command.CommandLine, Command.Filename);
    Command.Output.clear();
    // The source spelled relative or absolute is the same command.
    for (std::string &Arg : Command.CommandLine)
      if (!Arg.empty() && Arg[0] != '-' &&
          absoluteSource({Command.Directory, Arg, {}, ""}) == Command.Filename)
        Arg = Command.Filename;
    std::string Key = identity(Command);
    if (!Seen.insert(Key).second) {
      ++Result.Duplicates;
      continue;
    }
    std::string Language = driverLanguage(Command);
    if (!isAnalysedLanguage(Language)) {
      ++Result.NotCxx[Language.empty() ? "no source file" : Language];
      continue;
    }
    Result.Commands.push_back(std::move(Command));
  }
  std::sort(Result.Commands.begin(), Result.Commands.end(),
            [](const clang::tooling::CompileCommand &A,
               const clang::tooling::CompileCommand &B) {
              return std::tie(A.Filename, A.Directory, A.CommandLine) <
                     std::tie(B.Filename, B.Directory, B.CommandLine);
            });
  return Result;
}

} // namespace corotidy::index
