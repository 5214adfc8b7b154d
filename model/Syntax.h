//===--- Syntax.h - corotidy -----------------------------------*- C++ -*-===//
//
// The syntactic helpers every analysis shares, each written once: which
// wrappers an expression can be seen through, how a function body is walked,
// which argument of a call binds which parameter, and where an expression's
// storage is rooted.
//
//===----------------------------------------------------------------------===//

#ifndef COROTIDY_MODEL_SYNTAX_H
#define COROTIDY_MODEL_SYNTAX_H

#include "clang/AST/Decl.h"
#include "clang/AST/DeclCXX.h"
#include "clang/AST/Expr.h"
#include "clang/AST/ExprCXX.h"
#include "llvm/ADT/STLFunctionalExtras.h"
#include <string>

namespace corotidy::model {

/// What strip() may look through.
enum class Strip {
  /// Nodes after which the expression still denotes the same object:
  /// parentheses, implicit casts, full-expression cleanups, materialization
  /// and binding of temporaries, opaque values, `std::move`/`std::forward`,
  /// a cast to the expression's own type (`static_cast<T &&>(t)`, `T(t)`),
  /// and copy or move construction from it.
  SameObject,
  /// SameObject, plus the conversions an argument undergoes to reach its
  /// parameter: a one-argument converting construction (a lambda turned into
  /// a `std::function` is still that lambda) and functional casts.
  Conversions,
};

/// \p E without one wrapper \p Mode looks through, or \p E itself.
const clang::Expr *stripOne(const clang::Expr *E, Strip Mode);

/// \p E without every wrapper \p Mode looks through. Null stays null.
const clang::Expr *strip(const clang::Expr *E, Strip Mode = Strip::SameObject);

/// A call of `std::move` or `std::forward` with its one argument.
bool isStdMoveOrForward(const clang::CallExpr &Call);

/// The operand of a `co_await` or `co_yield` (a CoroutineSuspendExpr or
/// DependentCoawaitExpr) as the user wrote it: clang records a `co_yield`'s
/// operand inside the promise's `yield_value` call it builds.
const clang::Expr *writtenOperand(const clang::Expr &Suspend);

/// Walks the code a function body runs, pre-order. \p Visit returns false to
/// skip a node's children. What is not walked, because it does not run as
/// part of this function: the bodies of nested lambdas and blocks (their
/// capture initializers are walked), the operands of `sizeof`, `alignof` and
/// `noexcept`, and the calls clang synthesises for a suspension
/// (`await_ready` and friends: a `co_await`/`co_yield` contributes its
/// operand) and for a `co_return` (its operand only). A coroutine body
/// contributes its user-written body.
void forEachInBody(const clang::Stmt *Root,
                   llvm::function_ref<bool(const clang::Stmt &)> Visit);

/// The object a call is made on: a member call's object, the closure of a
/// call to a member `operator()` (or other member operator), or the argument
/// that binds an explicit object parameter (`this auto self`). Null for
/// calls of free functions.
const clang::Expr *objectArgument(const clang::CallExpr &Call);

/// The name of the outermost macro whose invocation \p Loc lies in, as the
/// source spells it (`TEST_F`, `EXPECT_EQ`, not the macros they expand to);
/// empty when \p Loc is not in a macro.
llvm::StringRef writtenMacroName(clang::SourceLocation Loc,
                                 const clang::SourceManager &SM,
                                 const clang::LangOptions &LangOpts);

/// Calls \p Visit(Arg, Param) for each argument of \p Call in order, with
/// the parameter it binds: null for the variadic part, or when the callee
/// is not known. The implicit object of a member call is not an argument;
/// an object bound to an explicit object parameter is, with that parameter.
void forEachArgument(
    const clang::CallExpr &Call,
    llvm::function_ref<void(const clang::Expr &, const clang::ParmVarDecl *)>
        Visit);
/// The same for a constructor call.
void forEachArgument(
    const clang::CXXConstructExpr &Construct,
    llvm::function_ref<void(const clang::Expr &, const clang::ParmVarDecl *)>
        Visit);

/// The parameter \p Arg (one of \p Call's arguments, as written) binds.
const clang::ParmVarDecl *parameterOf(const clang::CallExpr &Call,
                                      const clang::Expr &Arg);

/// The class \p T is, or refers or points to; null for other types.
const clang::CXXRecordDecl *recordBehind(clang::QualType T);

/// The variable whose storage \p E refers into: `v`, `v.x`, `v[3]`, `&v`,
/// `*p`, `v.front()`, `v->next`, `std::move(v)`; null when it is not rooted
/// in a variable.
/// \p ThroughElement, when given, is set when a step selects an element of a
/// container (`[]`, `*`/`->` of an iterator, `at`, `front`, `back`, `top`,
/// `value`).
const clang::VarDecl *storageRoot(const clang::Expr *E,
                                  bool *ThroughElement = nullptr);

/// `::` + the qualified name of \p D without template arguments or inline
/// namespaces (`::std::unique_lock`, not `::std::__1::unique_lock<...>`): the
/// form the options' regular expressions are matched against.
std::string qualifiedName(const clang::NamedDecl &D);

/// Whether \p D is the class or class template \p Name (`::std::span`).
bool isNamed(const clang::NamedDecl *D, llvm::StringRef QualifiedName);

} // namespace corotidy::model

#endif // COROTIDY_MODEL_SYNTAX_H
