//===--- SuspensionAnalysesTest.cpp - corotidy -----------------*- C++ -*-===//
//
// The flow-sensitive analyses: uses after a suspension, and what is held at
// each suspension point.
//
//===----------------------------------------------------------------------===//

#include "TestAST.h"
#include "model/HeldResources.h"
#include "model/SuspensionFlow.h"

using namespace clang;
using namespace clang::ast_matchers;
using namespace corotidy::model;
using namespace corotidy::test;

namespace {

class SuspensionAnalysesTest : public ::testing::Test {
protected:
  // Parses the code and builds the CFG of the coroutine named `f`.
  void parse(const std::string &Code) {
    AST = parseWithPrelude(Code);
    ASSERT_TRUE(AST);
    auto Found = match(functionDecl(hasName("f"), isDefinition()).bind("f"),
                       AST->getASTContext());
    ASSERT_EQ(Found.size(), 1u);
    Fn = Found[0].getNodeAs<FunctionDecl>("f");
    F = Model::of(AST->getASTContext()).function(*Fn);
    ASSERT_NE(F, nullptr);
    ASSERT_TRUE(F->isCoroutine());
    ASSERT_NE(F->cfg(), nullptr);
  }
  const VarDecl *var(StringRef Name) {
    return findFirst<VarDecl>(AST->getASTContext(), varDecl(hasName(Name)));
  }
  unsigned lineOf(const Stmt *S) { return codeLine(*AST, S->getBeginLoc()); }
  std::vector<UseAfterSuspension> usesAfter(llvm::ArrayRef<const VarDecl *> Vars,
                                            SuspensionFlowOptions Options = {}) {
    return findUsesAfterSuspension(
        *F, Vars, [](const SuspensionPoint &) { return true; }, Options);
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
    HeldResources Held(*F, {IsGuard, IsMutex, IsObject});
    std::vector<std::string> Names;
    for (const HeldAtSuspension &H : Held.heldAtSuspensions())
      Names.push_back(Held.resources()[H.Resource].Name + "@" +
                      std::to_string(lineOf(H.Point->E)));
    llvm::sort(Names);
    return Names;
  }

  std::unique_ptr<ASTUnit> AST;
  const FunctionDecl *Fn = nullptr;
  const FunctionAnalysis *F = nullptr;
};

TEST_F(SuspensionAnalysesTest, UseAfterSuspensionOnSomePath) {
  parse(R"cpp(
    Lazy f(int *p) {
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
    Lazy f() {
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
    Lazy f(const int &r) {
      use(r);
      co_return;
    })cpp");
  const VarDecl *R = Fn->getParamDecl(0);
  EXPECT_TRUE(usesAfter({R}).empty());
  SuspensionFlowOptions Lazy;
  Lazy.StartsLazily = true;
  auto Uses = usesAfter({R}, Lazy);
  ASSERT_EQ(Uses.size(), 1u);
  EXPECT_EQ(Uses[0].Suspension, nullptr) << "the initial suspension";
}

TEST_F(SuspensionAnalysesTest, OnlyUsesTheFilterAccepts) {
  parse(R"cpp(
    Lazy f() {
      int a = 0;
      co_await child();
      use(a);
      bool same = a == 1;
      (void)same;
    })cpp");
  auto OnlyComparisons = [](const Expr &) { return false; };
  SuspensionFlowOptions Options;
  Options.CountsAsUse = OnlyComparisons;
  EXPECT_TRUE(usesAfter({var("a")}, Options).empty());
}

TEST_F(SuspensionAnalysesTest, GuardsAlongPaths) {
  parse(R"cpp(
    Lazy f() {
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
    Lazy f() {
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
