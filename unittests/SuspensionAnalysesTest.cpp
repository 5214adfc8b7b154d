//===--- SuspensionAnalysesTest.cpp - corotidy -----------------*- C++ -*-===//
//
// The flow-sensitive analyses: uses after a suspension, and what is held at
// each suspension point.
//
//===----------------------------------------------------------------------===//

#include "checks/HeldResources.h"
#include "checks/SuspensionFlow.h"
#include "clang/ASTMatchers/ASTMatchFinder.h"
#include "clang/ASTMatchers/ASTMatchers.h"
#include "clang/Frontend/ASTUnit.h"
#include "clang/Tooling/Tooling.h"
#include "gtest/gtest.h"

using namespace clang;
using namespace clang::ast_matchers;
using namespace clang::tidy::coro;

namespace {

constexpr const char *Prelude = R"cpp(
#include <coroutine>
#include <mutex>
#include <utility>
struct Task {
  struct promise_type {
    Task get_return_object() { return {}; }
    std::suspend_always initial_suspend() noexcept { return {}; }
    std::suspend_always final_suspend() noexcept { return {}; }
    void return_void() {}
    void unhandled_exception() {}
  };
  bool await_ready() { return false; }
  void await_suspend(std::coroutine_handle<>) {}
  void await_resume() {}
};
Task child();
bool flag();
void use(int);
std::mutex M;
)cpp";

class SuspensionAnalysesTest : public ::testing::Test {
protected:
  // Parses the code and builds the CFG of the coroutine named `f`.
  void parse(const std::string &Code) {
    AST = tooling::buildASTFromCodeWithArgs(
        std::string(Prelude) + Code,
        {"-std=c++20", "-resource-dir=" COROTIDY_RESOURCE_DIR}, "input.cc");
    ASSERT_TRUE(AST);
    ASSERT_FALSE(AST->getDiagnostics().hasErrorOccurred());
    auto Found = match(functionDecl(hasName("f"), isDefinition()).bind("f"),
                       AST->getASTContext());
    ASSERT_EQ(Found.size(), 1u);
    Fn = Found[0].getNodeAs<FunctionDecl>("f");
    const CoroutineBodyStmt *Body = getCoroutineBody(Fn);
    ASSERT_NE(Body, nullptr);
    Graph = CoroutineCFG::build(*Body, Fn, AST->getASTContext());
    ASSERT_NE(Graph, nullptr);
  }
  const VarDecl *var(StringRef Name) {
    auto Found = match(varDecl(hasName(Name)).bind("v"), AST->getASTContext());
    return Found.empty() ? nullptr : Found[0].getNodeAs<VarDecl>("v");
  }
  unsigned lineOf(const Stmt *S) {
    return AST->getSourceManager().getSpellingLineNumber(S->getBeginLoc()) -
           std::count(Prelude, Prelude + strlen(Prelude), '\n');
  }
  std::vector<UseAfterSuspension> usesAfter(llvm::ArrayRef<const VarDecl *> Vars,
                                            SuspensionFlowOptions Options = {}) {
    return findUsesAfterSuspension(
        *Graph, Vars, [](const SuspensionPoint &) { return true; }, Options);
  }
  std::vector<std::string> heldNames() {
    auto IsGuard = [](const VarDecl &V) {
      return V.getType()->getAsCXXRecordDecl() &&
             V.getType()->getAsCXXRecordDecl()->getName().ends_with("lock");
    };
    auto IsMutex = [](const Expr &E) {
      const auto *RD = E.getType()->getAsCXXRecordDecl();
      return RD && RD->getName() == "mutex";
    };
    auto IsObject = [](const VarDecl &) { return false; };
    HeldResources Held(*Graph, {IsGuard, IsMutex, IsObject});
    std::vector<std::string> Names;
    for (const HeldAtSuspension &H : Held.heldAtSuspensions())
      Names.push_back(Held.resources()[H.Resource].Name + "@" +
                      std::to_string(lineOf(H.Point->E)));
    llvm::sort(Names);
    return Names;
  }

  std::unique_ptr<ASTUnit> AST;
  const FunctionDecl *Fn = nullptr;
  std::unique_ptr<CoroutineCFG> Graph;
};

TEST_F(SuspensionAnalysesTest, UseAfterSuspensionOnSomePath) {
  parse(R"cpp(
    Task f(int *p) {
      int a = 1;
      use(a);
      if (flag())
        co_await child();
      use(a);
      int b = 2;
      co_await std::suspend_never{};
      use(b);
    })cpp");
  auto Uses = usesAfter({var("a"), var("b")});
  ASSERT_EQ(Uses.size(), 1u) << "suspend_never does not count";
  EXPECT_EQ(Uses[0].Var, var("a"));
  EXPECT_EQ(lineOf(Uses[0].Use), 7u);
  ASSERT_NE(Uses[0].Suspension, nullptr);
  EXPECT_EQ(lineOf(Uses[0].Suspension->E), 6u);
}

TEST_F(SuspensionAnalysesTest, AssignmentRebindsAPointer) {
  parse(R"cpp(
    Task f() {
      int x = 0, y = 0;
      int *p = &x;
      co_await child();
      p = &y;
      use(*p);
    })cpp");
  EXPECT_TRUE(usesAfter({var("p")}).empty())
      << "the assignment is not a use, and rebinds after the suspension";
}

TEST_F(SuspensionAnalysesTest, ParametersOfALazyCoroutine) {
  parse(R"cpp(
    Task f(const int &r) {
      use(r);
      co_return;
    })cpp");
  const VarDecl *R = Fn->getParamDecl(0);
  EXPECT_TRUE(usesAfter({R}).empty());
  SuspensionFlowOptions Lazy;
  Lazy.ParametersBoundBeforeStart = true;
  auto Uses = usesAfter({R}, Lazy);
  ASSERT_EQ(Uses.size(), 1u);
  EXPECT_EQ(Uses[0].Suspension, nullptr) << "the initial suspension";
}

TEST_F(SuspensionAnalysesTest, OnlyUsesTheFilterAccepts) {
  parse(R"cpp(
    Task f() {
      int a = 0;
      co_await child();
      use(a);
      bool same = a == 1;
      (void)same;
    })cpp");
  auto OnlyComparisons = [](const DeclRefExpr &) { return false; };
  SuspensionFlowOptions Options;
  Options.CountsAsUse = OnlyComparisons;
  EXPECT_TRUE(usesAfter({var("a")}, Options).empty());
}

TEST_F(SuspensionAnalysesTest, GuardsAlongPaths) {
  parse(R"cpp(
    Task f() {
      std::unique_lock held(M);
      co_await child();
      held.unlock();
      co_await child();
      std::unique_lock deferred(M, std::defer_lock);
      co_await child();
      {
        std::unique_lock scoped(M);
      }
      co_await child();
      std::unique_lock tried(M, std::try_to_lock);
      if (!tried.owns_lock())
        co_await child();
    })cpp");
  EXPECT_EQ(heldNames(), (std::vector<std::string>{"held@4"}));
}

TEST_F(SuspensionAnalysesTest, ManualLocksAndMoves) {
  parse(R"cpp(
    Task f() {
      M.lock();
      co_await child();
      M.unlock();
      std::unique_lock first(M);
      std::unique_lock second(std::move(first));
      co_await child();
    })cpp");
  EXPECT_EQ(heldNames(), (std::vector<std::string>{"M@4", "second@8"}));
}

} // namespace
