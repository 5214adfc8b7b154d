//===--- CompileCommands.h - corotidy --------------------------*- C++ -*-===//
//
// Which compile commands corotidy-index analyses: the C++ entries of a
// compilation database (by the clang driver's own decision), each distinct
// command once, minus excluded files, optionally one shard of them.
//
//===----------------------------------------------------------------------===//

#ifndef COROTIDY_INDEX_COMPILECOMMANDS_H
#define COROTIDY_INDEX_COMPILECOMMANDS_H

#include "index/Storage.h"
#include "clang/Tooling/CompilationDatabase.h"
#include "llvm/Support/Error.h"
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <vector>

namespace corotidy::index {

/// Loads `<BuildDir>/compile_commands.json`. The error says what is missing
/// or malformed and how to produce the file, in one line.
llvm::Expected<std::unique_ptr<clang::tooling::CompilationDatabase>>
loadCompileCommands(llvm::StringRef BuildDir);

/// The language the clang driver compiles \p Command's source file as
/// (`c++`, `c`, `assembler-with-cpp`, `objective-c++`, ...), decided as the
/// driver does: `-x`, the driver mode its program name or `--driver-mode`
/// selects (`clang++` and `g++` compile `.c` files as C++), then the file's
/// extension. Empty when the driver finds no source file in the command.
std::string driverLanguage(const clang::tooling::CompileCommand &Command);

/// Whether corotidy-index analyses a file of that language (C++ and
/// Objective-C++; not CUDA or HIP, whose several compilations one parse
/// cannot stand for).
bool isAnalysedLanguage(llvm::StringRef Language);

/// \p Command's source file as an absolute path without `.` or `..`.
std::string absoluteSource(const clang::tooling::CompileCommand &Command);

/// One of N deterministic parts of a compilation database: `--shard I/N`.
struct Shard {
  unsigned Index = 1; ///< 1..Count
  unsigned Count = 1;
};

/// Parses `I/N` (1 <= I <= N).
llvm::Expected<Shard> parseShard(llvm::StringRef Text);

/// The shard (1..Count) a source file belongs to: the xxh3-64 hash of its
/// path relative to the build directory (both absolute, `.` and `..`
/// removed, `/` separators), modulo Count, plus one. The same on every
/// machine that has the build directory in the same place relative to the
/// sources, whatever the absolute checkout path, and independent of the
/// database's order.
unsigned shardOf(llvm::StringRef AbsoluteSource, llvm::StringRef BuildDir,
                 unsigned Count);

struct SelectOptions {
  std::vector<std::string> SourcePatterns; ///< Positional regexes; none: all.
  FileFilter Exclude;                      ///< --exclude
  std::optional<Shard> Part;               ///< --shard
  std::string BuildDir;                    ///< For shardOf.
};

/// What selectCommands kept and why it left the rest out.
struct Selection {
  /// The distinct commands to analyse, sorted by file then command line;
  /// output and dependency-file arguments removed.
  std::vector<clang::tooling::CompileCommand> Commands;
  std::map<std::string, unsigned> NotCxx; ///< Language -> entries skipped.
  unsigned Duplicates = 0;    ///< Entries identical to a kept one.
  unsigned Excluded = 0;      ///< Entries whose file --exclude matched.
  unsigned Unselected = 0;    ///< Entries no source regex matched.
  unsigned OtherShards = 0;   ///< Entries of the other shards.
};

/// Chooses the commands to analyse from \p DB. An invalid source regex is
/// an error.
llvm::Expected<Selection> selectCommands(const clang::tooling::CompilationDatabase &DB,
                                         const SelectOptions &Options);

} // namespace corotidy::index

#endif // COROTIDY_INDEX_COMPILECOMMANDS_H
