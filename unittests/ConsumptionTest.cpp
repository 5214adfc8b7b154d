//===--- ConsumptionTest.cpp - corotidy ------------------------*- C++ -*-===//
//
// "Is this task consumed by the full-expression that creates it" has one
// answer in the model. Every question the checks and fixes used to answer
// on their own (where the task goes, whether it is awaited, whether clang
// can elide its frame, whether a stored task is awaited at once) is asked
// here on the same calls and must agree with it.
//
//===----------------------------------------------------------------------===//

#include "TestAST.h"
#include "fixits/AwaitCallDirectly.h"
#include "model/TaskFate.h"

using namespace clang;
using namespace clang::ast_matchers;
using namespace corotidy::model;
using namespace corotidy::test;

namespace {

constexpr const char *Code = R"cpp(
struct Value {
  bool await_ready() { return false; }
  void await_suspend(std::coroutine_handle<>) {}
  int await_resume() { return 0; }
};
struct Gen {
  struct promise_type {
    Gen get_return_object() { return {}; }
    std::suspend_always initial_suspend() noexcept { return {}; }
    std::suspend_always final_suspend() noexcept { return {}; }
    std::suspend_always yield_value(Lazy) { return {}; }
    void return_void() {}
    void unhandled_exception() {}
  };
};
struct Boxed {
  struct promise_type {
    Boxed get_return_object() { return {}; }
    std::suspend_always initial_suspend() noexcept { return {}; }
    std::suspend_always final_suspend() noexcept { return {}; }
    void return_value(Lazy) {}
    void unhandled_exception() {}
  };
};
Lazy c1(); Lazy c2(); Lazy c3(); Lazy c4(); Lazy c5(); Lazy c6(); Lazy c7();
Lazy c8(int); Value c9(); Lazy c10(); Lazy c11(); Lazy c12();
void keep(Lazy);
void byRef(Lazy &);

Lazy awaited() { co_await c1(); }
Lazy parenthesized() { co_await (c2()); }
Lazy moved() { co_await std::move(c3()); }
Lazy conditional(bool b) { co_await (b ? c4() : c5()); }
Gen yielded() { co_yield c6(); }
Boxed returned() { co_return c7(); }
Lazy nested() { co_await c8(co_await c9()); }
Lazy stored() {
  auto t = c10();
  co_await std::move(t);
}
void given() { keep(c11()); }
void lent() { Lazy t = c12(); byRef(t); }
)cpp";

struct Answers {
  bool Consumed;  ///< FunctionAnalysis::isConsumedInFullExpression
  bool Awaited;   ///< FunctionAnalysis::isAwaitedInFullExpression
  bool Elidable;  ///< the consuming suspension is clang's elidable position
  TaskFate::Kind Fate;
};

class ConsumptionTest : public ::testing::Test {
protected:
  void SetUp() override {
    AST = parseWithPrelude(Code);
    ASSERT_TRUE(AST);
  }
  ASTContext &ctx() { return AST->getASTContext(); }

  // The call of `Callee` and the analysis of the function that makes it.
  std::pair<const CallExpr *, const FunctionAnalysis *> call(StringRef Callee) {
    const auto *Call = findFirst<CallExpr>(
        ctx(), callExpr(callee(functionDecl(hasName(Callee)))));
    EXPECT_NE(Call, nullptr) << Callee.str();
    const auto *Caller = findFirst<FunctionDecl>(
        ctx(), functionDecl(isDefinition(),
                            hasDescendant(callExpr(callee(functionDecl(hasName(Callee)))))));
    EXPECT_NE(Caller, nullptr) << Callee.str();
    return {Call, Model::of(ctx()).function(*Caller)};
  }

  Answers ask(StringRef Callee) {
    auto [Call, F] = call(Callee);
    struct : TaskPolicy {
      bool isStructured(const FunctionDecl &) const override { return false; }
      bool isDetaching(const FunctionDecl &) const override { return false; }
    } static const Never;
    const SuspensionPoint *Consumer = F->consumerOf(*Call);
    return {F->isConsumedInFullExpression(*Call), F->isAwaitedInFullExpression(*Call),
            Consumer && Consumer->ElidablePosition && Consumer->consumedCall() == Call,
            fateOfTask(*Call, *F, Never).K};
  }

  std::unique_ptr<ASTUnit> AST;
};

TEST_F(ConsumptionTest, EveryQuestionAgreesWithThePredicate) {
  struct Case {
    const char *Callee;
    Answers Expected;
  } Cases[] = {
      {"c1", {true, true, true, TaskFate::Consumed}},
      // Still awaited in place, but clang elides only a call written as the
      // operand itself (measured with clang 22).
      {"c2", {true, true, false, TaskFate::Consumed}},
      {"c3", {true, true, false, TaskFate::Consumed}},
      {"c4", {true, true, false, TaskFate::Consumed}},
      {"c5", {true, true, false, TaskFate::Consumed}},
      // Handed to the generator's consumer while the full-expression lives.
      {"c6", {true, false, false, TaskFate::Consumed}},
      // Kept by the promise beyond the coroutine.
      {"c7", {false, false, false, TaskFate::Escapes}},
      {"c8", {true, true, true, TaskFate::Consumed}},
      // Held by a local, run where the local is awaited or lent.
      {"c10", {false, false, false, TaskFate::Joined}},
      {"c11", {false, false, false, TaskFate::Escapes}},
      {"c12", {false, false, false, TaskFate::Joined}},
  };
  for (const Case &C : Cases) {
    SCOPED_TRACE(C.Callee);
    Answers A = ask(C.Callee);
    EXPECT_EQ(A.Consumed, C.Expected.Consumed);
    EXPECT_EQ(A.Awaited, C.Expected.Awaited);
    EXPECT_EQ(A.Elidable, C.Expected.Elidable);
    EXPECT_EQ(A.Fate, C.Expected.Fate);
    // The questions derive from the one predicate: they cannot disagree.
    EXPECT_EQ(A.Fate == TaskFate::Consumed, A.Consumed);
    EXPECT_TRUE(!A.Awaited || A.Consumed);
    EXPECT_TRUE(!A.Elidable || A.Awaited);
  }
}

TEST_F(ConsumptionTest, NestedSuspensionsAreConsumedToo) {
  auto [Call, F] = call("c8");
  ASSERT_EQ(F->suspensions().size(), 2u);
  EXPECT_EQ(F->suspensions()[0].Consumed->IgnoreImplicit()->getType().getAsString(),
            "Value")
      << "the inner await comes first";
  EXPECT_EQ(F->suspensions()[1].consumedCall(), Call);
}

TEST_F(ConsumptionTest, StoredThenAwaitedUsesTheSameConsumer) {
  auto [Call, F] = call("c10");
  const auto *Body = cast<CompoundStmt>(F->userBody());
  const auto *Decl = cast<DeclStmt>(Body->body_front());
  auto Found =
      corotidy::fixits::findStoredThenAwaited(*Decl, *Body->body_back(), *F);
  ASSERT_TRUE(Found.has_value());
  EXPECT_EQ(Found->Call, Call);
  const SuspensionPoint *Consumer = F->consumerOf(*cast<Expr>(
      cast<CoawaitExpr>(Found->Await)->getOperand()));
  ASSERT_NE(Consumer, nullptr);
  EXPECT_EQ(Consumer->E, Found->Await);
  EXPECT_FALSE(F->isConsumedInFullExpression(*Call))
      << "the call's own full-expression only stores the task";
}

} // namespace
