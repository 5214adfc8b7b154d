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

// `two(r, co_await value())`: argument evaluation order is unspecified, so
// `r` may be read after resuming although the CFG lists it first. Operands
// sequenced before the suspension are not uses after it.
TEST_F(SuspensionAnalysesTest, UnsequencedOperandsMayRunAfterTheSuspension) {
  parse(R"cpp(
    struct Value {
      bool await_ready() { return false; }
      void await_suspend(std::coroutine_handle<>) {}
      int await_resume() { return 0; }
    };
    Value value();
    Value take(int);
    void two(int, int);
    Lazy f() {
      int a = 0;
      int &r = a;
      two(r, co_await value());
      int &s = a;
      (void)(s + 1, co_await value());
      int &t = a;
      co_await take(t);
      int *u = &a;
      u = (co_await value(), &a);
    })cpp");
  auto Uses = usesAfter({var("r"), var("s"), var("t"), var("u")});
  ASSERT_EQ(Uses.size(), 1u) << "only r: s is sequenced by the comma, t is "
                                "part of the operand, u is assigned";
  EXPECT_EQ(Uses[0].Var, var("r"));
  EXPECT_EQ(lineOf(Uses[0].Use), 13u);
  ASSERT_NE(Uses[0].Suspension, nullptr);
  EXPECT_EQ(lineOf(Uses[0].Suspension->E), 13u);
}

TEST_F(SuspensionAnalysesTest, OrderOfEvaluation) {
  parse(R"cpp(
    void two(int, int);
    int g();
    Lazy f() {
      int a = 0, b = 0, c = 0;
      two(a, b);
      c = a + b;
      (void)(a, b);
      (void)(flag() ? a : b);
      co_return;
    })cpp");
  auto Refs = match(declRefExpr(to(varDecl(hasAnyName("a", "b")))).bind("r"),
                    AST->getASTContext());
  std::vector<const DeclRefExpr *> A, B;
  for (const auto &M : Refs) {
    const auto *Ref = M.getNodeAs<DeclRefExpr>("r");
    (Ref->getDecl()->getName() == "a" ? A : B).push_back(Ref);
  }
  ASSERT_EQ(A.size(), 4u);
  ASSERT_EQ(B.size(), 4u);
  llvm::sort(A, [](auto *X, auto *Y) { return X->getBeginLoc() < Y->getBeginLoc(); });
  llvm::sort(B, [](auto *X, auto *Y) { return X->getBeginLoc() < Y->getBeginLoc(); });
  // In source order: two(a, b), a + b, (a, b), (flag() ? a : b).
  const Stmt &CallA = *A[0], &CallB = *B[0];
  EXPECT_FALSE(F->sequencedBefore(CallA, CallB)) << "arguments are unsequenced";
  EXPECT_TRUE(F->mayRunAfter(CallA, CallB));
  EXPECT_TRUE(F->mayRunAfter(*A[1], *B[1])) << "operands of + are unsequenced";
  EXPECT_TRUE(F->sequencedBefore(*A[2], *B[2])) << "the comma orders";
  EXPECT_FALSE(F->mayRunAfter(*A[2], *B[2]));
  EXPECT_FALSE(F->mayRunAfter(*A[3], *B[3]))
      << "the branches of ?: never both run";
  EXPECT_FALSE(F->mayRunAfter(*B[3], *A[3]));
  EXPECT_TRUE(F->sequencedBefore(CallA, *A[1])) << "statements are in order";
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
