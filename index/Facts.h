//===--- Facts.h - corotidy ------------------------------------*- C++ -*-===//
//
// The whole-program facts behind coro-devirtualize: coroutine interfaces,
// their implementations, and every use of them, each with the file and line
// that shows it. Plain data, so one translation unit's facts, a merged index
// and their YAML form (FactsYaml.h) are the same thing.
//
//===----------------------------------------------------------------------===//

#ifndef COROTIDY_INDEX_FACTS_H
#define COROTIDY_INDEX_FACTS_H

#include <string>
#include <vector>

namespace corotidy::index {

/// The version of the schema written by this build (docs/index-format.md).
inline constexpr int FactsVersion = 3;

/// Where a fact was seen: `path:line`.
struct Location {
  std::string File;
  unsigned Line = 0;
};

struct Method {
  std::string Usr;
  std::string Name;
  std::string Signature; ///< `Job<long> (long) const`
  bool Coroutine = false; ///< Returns a task or an awaitable.
  bool Pure = false;
  Location Where;
};

struct Implementation {
  std::string Usr;
  std::string Name;
  Location Where;
};

/// A function taking the interface by reference or pointer, and the
/// concrete classes its callers pass.
struct ParameterUse {
  std::string FunctionUsr;
  std::string FunctionName;
  Location Where;
  std::vector<std::string> ConcreteArguments; ///< USRs, sorted, unique.
  /// Where the function is defined; empty File when no analysed translation
  /// unit defines it.
  Location Definition;
  /// Dispatch functions (USRs) that pass their own interface parameter on
  /// to this one: this function also receives whatever they receive.
  std::vector<std::string> ForwardedBy;
};

/// Something that needs dynamic dispatch (or may): it blocks migration.
struct DynamicUse {
  /// variable, member, global, container, smart-pointer, std-function,
  /// return, factory, conversion, dynamic-cast, typeid, address-taken,
  /// virtual-dispatcher, unindexed-implementation, failed-translation-unit.
  std::string Kind;
  std::string Detail; ///< What was seen, e.g. the declaration's type.
  Location Where;
};

/// Something that stops the automatic migration to a concept without
/// needing dynamic dispatch: data in the interface, a macro, an indirect
/// implementation. Same shape as a dynamic use.
///   interface-shape, implementation-shape, macro, template-dispatcher,
///   unknown-argument.
using Blocker = DynamicUse;

/// A polymorphic class with at least one virtual function returning a
/// coroutine type.
struct Interface {
  std::string Usr;
  std::string Name;
  Location Where;
  std::vector<Method> Methods;
  std::vector<Implementation> Implementations;
  std::vector<ParameterUse> ParameterUses;
  std::vector<DynamicUse> DynamicUses;
  std::vector<Blocker> Blockers;
  /// A translation unit that saw it failed to parse: the facts may miss uses.
  bool Incomplete = false;
};

/// A coroutine defined in a source file and declared in a header: calls
/// from other files cannot have its frame elided (clang elides only where
/// the callee's body is visible).
struct SourceCoroutine {
  std::string Usr;
  std::string Name; ///< Qualified.
  Location Where;   ///< The definition.
  /// What keeps its definition from moving into the header (file-local
  /// entities of the source file, parameter names that differ, macros).
  std::vector<Blocker> MoveBlockers;
};

/// A translation unit that was analysed, and the files it read.
struct TranslationUnit {
  std::string File;
  bool Parsed = true;
  std::string Message; ///< Why it failed, when it did.
};

/// A file a fact cites, with the hash of its contents when the facts were
/// collected: a changed hash makes the index stale.
struct FileHash {
  std::string Path;
  std::string Hash;
};

struct Facts {
  int Version = FactsVersion;
  std::vector<TranslationUnit> TranslationUnits;
  std::vector<FileHash> Files;
  std::vector<Interface> Interfaces;
  std::vector<SourceCoroutine> Coroutines; ///< Sorted by USR.
};

/// Combines facts from several translation units: interfaces, their members
/// and uses are united by USR, evidence is deduplicated by kind and place,
/// and everything is sorted, so that merging is order-independent and the
/// result can be diffed.
Facts merge(const std::vector<Facts> &Parts);

/// Sorts and deduplicates one set of facts in place (merge of one).
void normalize(Facts &F);

} // namespace corotidy::index

#endif // COROTIDY_INDEX_FACTS_H
