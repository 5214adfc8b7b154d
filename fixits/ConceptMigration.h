//===--- ConceptMigration.h - corotidy -------------------------*- C++ -*-===//

#ifndef COROTIDY_FIXITS_CONCEPTMIGRATION_H
#define COROTIDY_FIXITS_CONCEPTMIGRATION_H

#include "clang/AST/DeclCXX.h"
#include "clang/Basic/Diagnostic.h"
#include "llvm/ADT/ArrayRef.h"
#include "llvm/ADT/SmallVector.h"
#include "llvm/ADT/StringSet.h"
#include <string>
#include <vector>

namespace clang {
class Preprocessor;
} // namespace clang

namespace clang::tidy::coro::fixits {

/// Migrates a virtual coroutine interface to a C++20 concept and
/// constrained templates, one translation unit's share at a time.
///
/// Before:                                  After:
///   struct Loader {                          template <class T>
///     virtual Task<long> load(long) = 0;     concept Loader = requires(T &self, long a0_0) {
///     virtual ~Loader() = default;             { self.load(static_cast<decltype(a0_0) &&>(a0_0)) }
///   };                                           -> std::same_as<Task<long>>;
///   struct Disk : Loader {                   };
///     Task<long> load(long) override;        struct Disk {
///   };                                         Task<long> load(long);
///   Task<long> run(Loader &l);               };
///                                            Task<long> run(Loader auto &l);
///   // run.cpp                               // run.cpp
///   Task<long> run(Loader &l) { ... }        Task<long> run(Loader auto &l) { ... }
///                                            template Task<long> run(::Disk &l);
///
/// Every piece is rewritten from its own source text only, so translation
/// units that see the same header produce byte-identical edits for it, and
/// `clang-apply-replacements` merges them.

/// Why a piece of code stops the automatic migration.
struct MigrationBlocker {
  std::string Kind;   ///< interface-shape, implementation-shape, macro, ...
  std::string Detail; ///< Says what, naming the entity.
  SourceLocation Where;
};

/// What in the interface class itself cannot become a concept: bases, data,
/// members other than pure virtual functions and an empty destructor,
/// default arguments, macros.
std::vector<MigrationBlocker> interfaceBlockers(const CXXRecordDecl &Interface,
                                                ASTContext &Ctx);

/// What keeps an implementation from dropping the interface: an indirect,
/// virtual or non-public base, a template, an override that is not public or
/// returns another type, macros.
std::vector<MigrationBlocker>
implementationBlockers(const CXXRecordDecl &Impl, const CXXRecordDecl &Interface,
                       ASTContext &Ctx);

/// What keeps a function taking the interface by reference from becoming an
/// abbreviated template: templates, constructors, macros.
std::vector<MigrationBlocker>
dispatcherBlockers(const FunctionDecl &Fn, const CXXRecordDecl &Interface,
                   ASTContext &Ctx);

/// The type locations of a dispatch function's parameters that name the
/// interface (`Loader` in `const Loader &l`): the ones the migration
/// rewrites.
llvm::SmallVector<TypeLoc, 2> interfaceParameterTypes(const FunctionDecl &Fn,
                                                      const CXXRecordDecl &Interface);

/// One interface's migration within one translation unit. Each `rewrite*`
/// adds the edits for code this translation unit sees and returns false
/// (with `failure()` saying why) when the source text cannot be rewritten.
class ConceptMigration {
public:
  /// `IncludesAdded` is shared by the migrations of one translation unit, so
  /// that a file gets each new `#include` once.
  ConceptMigration(ASTContext &Ctx, Preprocessor *PP,
                   llvm::StringSet<> &IncludesAdded);

  bool rewriteInterface(const CXXRecordDecl &Interface);
  bool rewriteImplementation(const CXXRecordDecl &Impl,
                             const CXXRecordDecl &Interface);
  /// Every declaration of `Fn` this translation unit sees.
  bool rewriteDispatcher(const FunctionDecl &Fn, const CXXRecordDecl &Interface);
  /// After the definition: `template R f(::Concrete &, ...);` for each
  /// concrete class, so callers in other files still link. A class this
  /// translation unit does not define is named by `QualifiedName` and its
  /// header is included from `HeaderPath`.
  struct Concrete {
    const CXXRecordDecl *Seen = nullptr;
    std::string QualifiedName;
    std::string HeaderPath;
  };
  bool instantiate(const FunctionDecl &Definition, const CXXRecordDecl &Interface,
                   llvm::ArrayRef<Concrete> Classes);

  llvm::ArrayRef<FixItHint> hints() const { return Hints; }
  const std::string &failure() const { return Failure; }

private:
  bool fail(std::string Why);
  bool removeBase(const CXXRecordDecl &Impl, const CXXBaseSpecifier &Base);
  bool addInclude(FileID File, StringRef Spelling);
  std::optional<std::string> instantiation(const FunctionDecl &Definition,
                                           const CXXRecordDecl &Interface,
                                           StringRef ConcreteName);

  ASTContext &Ctx;
  Preprocessor *PP;
  llvm::StringSet<> &IncludesAdded;
  llvm::SmallVector<FixItHint, 16> Hints;
  std::string Failure;
};

} // namespace clang::tidy::coro::fixits

#endif // COROTIDY_FIXITS_CONCEPTMIGRATION_H
