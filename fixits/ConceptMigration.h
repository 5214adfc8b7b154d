//===--- ConceptMigration.h - corotidy -------------------------*- C++ -*-===//

#ifndef COROTIDY_FIXITS_CONCEPTMIGRATION_H
#define COROTIDY_FIXITS_CONCEPTMIGRATION_H

#include "clang/AST/DeclCXX.h"
#include "clang/Basic/Diagnostic.h"
#include "llvm/ADT/ArrayRef.h"
#include "llvm/ADT/SmallVector.h"

namespace clang::tidy::coro::fixits {

/// Migrates a virtual coroutine interface whose every use is in one file to
/// a C++20 concept and constrained templates.
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
///
/// Plus `#include <concepts>` when the file lacks it. Offered only when the
/// interface, its implementations and the functions that dispatch through it
/// are all written in the main file, outside macros; the interface has no
/// base, no data, and no member other than pure virtual functions and a
/// virtual destructor; and each implementation has no other base. No hints
/// otherwise.
llvm::SmallVector<FixItHint, 16>
migrateToConcept(const CXXRecordDecl &Interface,
                 llvm::ArrayRef<const CXXRecordDecl *> Implementations,
                 llvm::ArrayRef<const FunctionDecl *> Dispatchers,
                 ASTContext &Ctx);

} // namespace clang::tidy::coro::fixits

#endif // COROTIDY_FIXITS_CONCEPTMIGRATION_H
