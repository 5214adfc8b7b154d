//===--- TestAST.h - corotidy ----------------------------------*- C++ -*-===//
//
// Builds ASTs for the unit tests from code and a shared prelude of
// coroutine types, and finds declarations in them.
//
//===----------------------------------------------------------------------===//

#ifndef COROTIDY_UNITTESTS_TESTAST_H
#define COROTIDY_UNITTESTS_TESTAST_H

#include "model/Model.h"
#include "clang/ASTMatchers/ASTMatchFinder.h"
#include "clang/ASTMatchers/ASTMatchers.h"
#include "clang/Frontend/ASTUnit.h"
#include "clang/Tooling/Tooling.h"
#include "gtest/gtest.h"
#include <algorithm>
#include <cstring>

namespace corotidy::test {

// A lazily started task that is also its own awaiter, and a few helpers.
inline constexpr const char *Prelude = R"cpp(
#include <coroutine>
#include <mutex>
#include <utility>
struct Lazy {
  struct promise_type {
    Lazy get_return_object() { return {}; }
    std::suspend_always initial_suspend() noexcept { return {}; }
    std::suspend_always final_suspend() noexcept { return {}; }
    void return_void() {}
    void unhandled_exception() {}
  };
  bool await_ready() { return false; }
  void await_suspend(std::coroutine_handle<>) {}
  void await_resume() {}
};
Lazy child();
bool flag();
void use(int);
std::mutex M;
)cpp";

/// Parses the prelude and \p Code; fails the test on errors.
inline std::unique_ptr<clang::ASTUnit>
parseWithPrelude(const std::string &Code, const std::string &Std = "c++20") {
  auto AST = clang::tooling::buildASTFromCodeWithArgs(
      std::string(Prelude) + Code,
      {"-std=" + Std, "-resource-dir=" COROTIDY_RESOURCE_DIR}, "input.cc");
  EXPECT_TRUE(AST);
  if (AST)
    EXPECT_FALSE(AST->getDiagnostics().hasErrorOccurred());
  return AST;
}

/// The line of \p Loc counted from the start of the test's own code.
inline unsigned codeLine(const clang::ASTUnit &AST, clang::SourceLocation Loc) {
  return AST.getSourceManager().getSpellingLineNumber(Loc) -
         std::count(Prelude, Prelude + std::strlen(Prelude), '\n');
}

/// The first node \p M matches, bound as "n".
template <class Node, class MatcherT>
const Node *findFirst(clang::ASTContext &Ctx, const MatcherT &M) {
  auto Found = clang::ast_matchers::match(M.bind("n"), Ctx);
  return Found.empty() ? nullptr : Found.front().template getNodeAs<Node>("n");
}

} // namespace corotidy::test

#endif // COROTIDY_UNITTESTS_TESTAST_H
