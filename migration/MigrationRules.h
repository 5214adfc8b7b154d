//===--- MigrationRules.h - corotidy ---------------------------*- C++ -*-===//
//
// What the migration of a virtual coroutine interface to a concept can
// rewrite and what stops it: the rules the index collector records as
// blockers and the rewrite engine (fixits/ConceptMigration) obeys, so both
// always agree.
//
//===----------------------------------------------------------------------===//

#ifndef COROTIDY_MIGRATION_MIGRATIONRULES_H
#define COROTIDY_MIGRATION_MIGRATIONRULES_H

#include "clang/AST/ASTContext.h"
#include "clang/AST/DeclCXX.h"
#include "clang/AST/TypeLoc.h"
#include "llvm/ADT/SmallVector.h"
#include <optional>
#include <string>
#include <vector>

namespace corotidy::migration {

/// A polymorphic class that introduces a virtual function returning a task
/// (a type with a promise): what coro-devirtualize migrates. Class
/// templates and dependent classes are not interfaces of their own.
bool isCoroutineInterface(const clang::CXXRecordDecl &RD,
                          const clang::ASTContext &Ctx);

/// Code the migration may edit: written in a file (not produced by a macro)
/// that is not a system header.
bool editable(clang::SourceLocation Loc, const clang::SourceManager &SM);
/// The whole declaration is in a file: the migration can edit it.
bool editable(const clang::Decl &D, const clang::SourceManager &SM);

/// Whether \p RD is (a redeclaration of) \p Interface.
bool isInterface(const clang::CXXRecordDecl *RD,
                 const clang::CXXRecordDecl &Interface);

/// The base specifier of \p Impl that names \p Interface directly.
const clang::CXXBaseSpecifier *interfaceBase(const clang::CXXRecordDecl &Impl,
                                             const clang::CXXRecordDecl &Interface);

/// Whether \p Method overrides functions of \p Interface only: it loses
/// `override`, `final` and `virtual` in the migration.
bool overridesOnlyInterface(const clang::CXXMethodDecl &Method,
                            const clang::CXXRecordDecl &Interface);
/// The same for a class that drops several interfaces at once.
bool overridesOnlyInterfaces(
    const clang::CXXMethodDecl &Method,
    llvm::ArrayRef<const clang::CXXRecordDecl *> Interfaces);

/// `Loader` in a parameter `const Loader &l` or `Loader *l`.
std::optional<clang::TypeLoc> interfaceNamedBy(const clang::ParmVarDecl &Param,
                                               const clang::CXXRecordDecl &Interface);

/// The type locations of a dispatch function's parameters that name the
/// interface (`Loader` in `const Loader &l`): the ones the migration
/// rewrites.
llvm::SmallVector<clang::TypeLoc, 2>
interfaceParameterTypes(const clang::FunctionDecl &Fn,
                        const clang::CXXRecordDecl &Interface);

/// Why a piece of code stops the automatic migration.
struct MigrationBlocker {
  std::string Kind;   ///< interface-shape, implementation-shape, macro, ...
  std::string Detail; ///< Says what, naming the entity.
  clang::SourceLocation Where;
};

/// What in the interface class itself cannot become a concept: bases, data,
/// members other than pure virtual functions and an empty destructor,
/// default arguments, macros.
std::vector<MigrationBlocker>
interfaceBlockers(const clang::CXXRecordDecl &Interface, clang::ASTContext &Ctx);

/// What keeps an implementation from dropping the interface: an indirect,
/// virtual or non-public base, a template, an override that is not public or
/// returns another type, macros, and any difference between what a call of an
/// interface function's name finds through the interface and on the class
/// (other overloads or templates of the name, using-declarations, members of
/// other bases), which could make a call resolve differently after the
/// migration.
std::vector<MigrationBlocker>
implementationBlockers(const clang::CXXRecordDecl &Impl,
                       const clang::CXXRecordDecl &Interface,
                       clang::ASTContext &Ctx);

/// What keeps a function taking the interface by reference from becoming an
/// abbreviated template: templates, constructors, macros.
std::vector<MigrationBlocker>
dispatcherBlockers(const clang::FunctionDecl &Fn,
                   const clang::CXXRecordDecl &Interface, clang::ASTContext &Ctx);

// ---- Moving a definition from a source file into its header --------------

/// The declaration of \p Definition (a function defined in the main file)
/// that a header holds, where MoveDefinitionsToHeader puts the body: the
/// first one outside the main file. Null when there is none.
const clang::FunctionDecl *
headerDeclaration(const clang::FunctionDecl &Definition,
                  const clang::SourceManager &SM);

/// A declaration the body of a definition names (not its own locals).
struct Reference {
  const clang::NamedDecl *D = nullptr;
  /// The declaration name lookup found: a using-declaration's shadow, or D.
  const clang::NamedDecl *Found = nullptr;
  /// Written with a qualifier (`std::move`, `::helper`).
  bool Qualified = false;
  /// A class (or enum) whose definition the body needs.
  bool NeedsDefinition = false;
  clang::SourceLocation Where;
};

/// What the body of \p Definition names: functions, variables, types and
/// templates declared outside it (members are named by their class).
std::vector<Reference> referencesOf(const clang::FunctionDecl &Definition,
                                    clang::ASTContext &Ctx);

/// What keeps the body of \p Definition, a function defined in the main
/// file and declared in a header, from moving to the header declaration:
/// entities local to the source file (an anonymous namespace, `static`
/// functions and variables, anything only the source file declares), names
/// the body finds through the source file's using-declarations or
/// using-directives, parameters named differently in the header, a
/// function-try-block, macros. Each names the entity.
std::vector<MigrationBlocker> moveBlockers(const clang::FunctionDecl &Definition,
                                           clang::ASTContext &Ctx);

} // namespace corotidy::migration

#endif // COROTIDY_MIGRATION_MIGRATIONRULES_H
