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
#include <utility>
#include <vector>

namespace corotidy::index {

/// The version of the schema written by this build (docs/index-format.md).
inline constexpr int FactsVersion = 5;

/// Where a fact was seen: `path:line:column` (the expansion location).
struct Location {
  std::string File;
  unsigned Line = 0;
  unsigned Column = 0;
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

/// A translation unit that was analysed. One that failed to parse also
/// says how far it reaches: the interfaces it could have missed uses of are
/// those defined in a file it read, or all of them when that is not known
/// (see reachesAll and failedUnitsAffecting).
struct TranslationUnit {
  TranslationUnit() = default;
  TranslationUnit(std::string File, bool Parsed, std::string Message)
      : File(std::move(File)), Parsed(Parsed), Message(std::move(Message)) {}

  std::string File;
  bool Parsed = true;
  std::string Message; ///< Why it failed, when it did.
  /// When it failed: whether Includes was recorded (facts exported by an
  /// older or partial producer may lack it).
  bool IncludesKnown = false;
  /// When it failed: every non-system file it read, its own included;
  /// sorted.
  std::vector<std::string> Includes;
  /// When it failed: the headers it could not find, as spelled; sorted.
  std::vector<std::string> MissingIncludes;
};

/// A failed translation unit whose reach is unknown: it could have used any
/// interface (its includes were not recorded, or a header it includes is
/// missing, and that header could have included any other).
bool reachesAll(const TranslationUnit &TU);

/// Whether failed \p TU could have missed facts about \p I: it reaches all
/// interfaces, or it read the file that defines \p I (no translation unit
/// can record a fact about an interface whose definition it does not see).
bool couldAffect(const TranslationUnit &TU, const Interface &I);

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
/// and everything is sorted. Where parts disagree (two locations of one
/// declaration) the smallest value wins. Every interface a failed
/// translation unit could affect is marked incomplete. Merging is
/// associative, commutative and idempotent, so merging partial merges (of
/// shards) gives byte for byte the merge of all parts at once.
Facts merge(const std::vector<Facts> &Parts);

/// The failed translation units that could affect \p I (couldAffect), in
/// file order.
std::vector<const TranslationUnit *> failedUnitsAffecting(const Facts &F,
                                                          const Interface &I);

/// Sorts and deduplicates one set of facts in place (merge of one).
void normalize(Facts &F);

} // namespace corotidy::index

#endif // COROTIDY_INDEX_FACTS_H
