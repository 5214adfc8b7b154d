//===--- ConceptMigration.h - corotidy -------------------------*- C++ -*-===//

#ifndef COROTIDY_FIXITS_CONCEPTMIGRATION_H
#define COROTIDY_FIXITS_CONCEPTMIGRATION_H

#include "clang/AST/DeclCXX.h"
#include "clang/Basic/Diagnostic.h"
#include "llvm/ADT/ArrayRef.h"
#include "llvm/ADT/SmallPtrSet.h"
#include "llvm/ADT/SmallVector.h"
#include <functional>
#include <optional>
#include <string>
#include <vector>

namespace clang {
class Preprocessor;
} // namespace clang

namespace corotidy::fixits {

using namespace clang;

/// Migrates a virtual coroutine interface to a C++20 concept and
/// constrained templates, one translation unit's share at a time.
///
/// Before:                                  After:
///   struct Loader {                          template <class T>
///     // Loads one asset.                    concept Loader = requires(T &self, long id) {
///     virtual Task<long> load(long id) = 0;    // Loads one asset.
///     virtual ~Loader() = default;             { self.load(id) } -> std::same_as<Task<long>>;
///   };                                       };
///   struct Disk : Loader {                   struct Disk {
///     Task<long> load(long) override;          Task<long> load(long);
///   };                                       };
///   Task<long> run(Loader &l);               Task<long> run(Loader auto &l);
///
///   // run.cpp                               // run.cpp
///   Task<long> run(Loader &l) { ... }        Task<long> run(Loader auto &l) { ... }
///                                            template Task<long> run(::Disk &l);
///
/// Every piece is rewritten from its own source text only, so translation
/// units that see the same header produce byte-identical edits for it, and
/// `clang-apply-replacements` merges them.

/// One interface's migration within one translation unit. Each `rewrite*`
/// adds the edits for code this translation unit sees and returns false
/// (with `failure()` saying why) when the source text cannot be rewritten.
class ConceptMigration {
public:
  /// Adds `#include Header` (`<concepts>`, `"server.h"`) to a file: the
  /// edit, or nothing when the file includes it already or the edit was
  /// made before in this translation unit.
  using IncludeFn =
      std::function<std::optional<FixItHint>(FileID File, StringRef Header)>;
  ConceptMigration(ASTContext &Ctx, Preprocessor *PP, IncludeFn AddInclude);

  bool rewriteInterface(const CXXRecordDecl &Interface);
  /// \p Impl drops the bases naming \p Interfaces (every interface of the
  /// migration it implements, in one edit) and the `override`s of their
  /// functions.
  /// \p Moving: member functions whose declarations the translation unit
  /// that defines them rewrites whole (moveToHeader), `override` included.
  bool rewriteImplementation(
      const CXXRecordDecl &Impl, llvm::ArrayRef<const CXXRecordDecl *> Interfaces,
      const llvm::SmallPtrSetImpl<const CXXMethodDecl *> &Moving);
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

  /// Whether file \p From includes \p To, directly or not.
  using ReachFn = std::function<bool(const FileEntry *From, const FileEntry *To)>;
  /// Moves the body of \p Definition, defined in this source file, onto its
  /// declaration in a header (the declaration's `;` becomes the body, which
  /// keeps the header's parameter list and default arguments), removes the
  /// definition here, and includes in the header what the body needs that it
  /// does not reach yet. The callers' blockers (migration::moveBlockers) must
  /// have been checked.
  /// For a member function, \p DropOverride also removes its `override`
  /// and `final` (which must come right before the `;`) in the same edit.
  bool moveToHeader(const FunctionDecl &Definition, const ReachFn &Reaches,
                    bool DropOverride = false);

  llvm::ArrayRef<FixItHint> hints() const { return Hints; }
  const std::string &failure() const { return Failure; }

private:
  bool fail(std::string Why);
  bool removeBases(const CXXRecordDecl &Impl,
                   llvm::ArrayRef<const CXXRecordDecl *> Interfaces);
  bool addInclude(FileID File, StringRef Spelling);
  /// Whether the main file's first include declares something the file
  /// defines (its own header, whatever its name); computed once.
  bool firstIncludeIsOwnHeader(StringRef MainText);
  std::optional<bool> OwnHeader;
  std::optional<std::string> instantiation(const FunctionDecl &Definition,
                                           const CXXRecordDecl &Interface,
                                           StringRef ConcreteName);

  ASTContext &Ctx;
  Preprocessor *PP;
  IncludeFn AddInclude;
  llvm::SmallVector<FixItHint, 16> Hints;
  std::string Failure;
};

} // namespace corotidy::fixits

#endif // COROTIDY_FIXITS_CONCEPTMIGRATION_H
