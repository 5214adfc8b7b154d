//===--- BorrowFixes.h - corotidy ------------------------------*- C++ -*-===//
//
// Rewrites that stop a coroutine from borrowing what its caller may destroy.
//
//===----------------------------------------------------------------------===//

#ifndef COROTIDY_FIXITS_BORROWFIXES_H
#define COROTIDY_FIXITS_BORROWFIXES_H

#include "clang/AST/ASTContext.h"
#include "clang/AST/Decl.h"
#include "clang/Basic/Diagnostic.h"
#include "llvm/ADT/SmallVector.h"

namespace corotidy::fixits {

using namespace clang;

/// Makes a `const T&` or `T&&` coroutine parameter a `T`, in every
/// declaration of \p Fn, so the frame owns a copy.
///
/// Before:  Task<int> count(const std::string &text);
/// After:   Task<int> count(std::string text);
///
/// Only when that keeps every caller compiling and the body's meaning: T is a
/// complete, non-abstract type that can be copied (`const T&`) or moved
/// (`T&&`, which must not be a forwarding reference and may only be used
/// through std::move), \p Fn is not virtual and not a template, and each
/// declaration's parameter type is written in a file, not by a macro. No
/// hints otherwise.
llvm::SmallVector<FixItHint, 4> passByValue(const ParmVarDecl &Param,
                                            const FunctionDecl &Fn,
                                            ASTContext &Ctx);

/// Gives an immediately invoked coroutine lambda an explicit object
/// parameter taken by value (C++23), so its closure is copied into the frame
/// instead of being borrowed from the temporary that dies with the
/// full-expression.
///
/// Before:  tasks.push_back([id]() -> Task<> { co_await log(id); }());
/// After:   tasks.push_back([id](this auto) -> Task<> { co_await log(id); }());
///
/// Only under C++23, for a lambda that is not mutable, has no explicit
/// object parameter yet, and captures nothing by reference (copying the
/// closure would not help those). No hints otherwise.
llvm::SmallVector<FixItHint, 1> copyClosureIntoFrame(const Expr &Closure,
                                                     ASTContext &Ctx);

} // namespace corotidy::fixits

#endif // COROTIDY_FIXITS_BORROWFIXES_H
