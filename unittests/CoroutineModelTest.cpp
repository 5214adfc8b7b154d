//===--- CoroutineModelTest.cpp - corotidy ---------------------*- C++ -*-===//

#include "TestAST.h"

using namespace clang;
using namespace clang::ast_matchers;
using namespace corotidy::model;
using namespace corotidy::test;

namespace {

// The task types these tests tell apart, beside the shared prelude's Lazy.
constexpr const char *ModelPrelude = R"cpp(
struct Eager {
  struct promise_type {
    Eager get_return_object() { return {}; }
    std::suspend_never initial_suspend() noexcept { return {}; }
    std::suspend_never final_suspend() noexcept { return {}; }
    void return_void() {}
    void unhandled_exception() {}
  };
};
struct [[clang::coro_await_elidable]] Elidable {
  using promise_type = Lazy::promise_type;
};
struct ViaTraits {};
template <class... Args> struct std::coroutine_traits<ViaTraits, Args...> {
  struct promise_type {
    ViaTraits get_return_object() { return {}; }
    std::suspend_always initial_suspend() noexcept { return {}; }
    std::suspend_always final_suspend() noexcept { return {}; }
    void return_void() {}
    void unhandled_exception() {}
  };
};
struct ReadyNow {
  bool await_ready() const noexcept { return true; }
  void await_suspend(std::coroutine_handle<>) noexcept {}
  int await_resume() noexcept { return 1; }
};
struct RefusesToSuspend {
  bool await_ready() noexcept { return false; }
  bool await_suspend(std::coroutine_handle<>) noexcept { return false; }
  void await_resume() noexcept {}
};
struct MemberCoAwait { ReadyNow operator co_await(); };
// Starts eagerly although await_ready() says false: await_suspend refuses.
struct Refusing {
  struct promise_type {
    Refusing get_return_object() { return {}; }
    RefusesToSuspend initial_suspend() noexcept { return {}; }
    std::suspend_always final_suspend() noexcept { return {}; }
    void return_void() {}
    void unhandled_exception() {}
  };
};
namespace lib { struct FreeCoAwait {}; ReadyNow operator co_await(FreeCoAwait); }
struct Plain { int x; };
)cpp";

class CoroutineModelTest : public ::testing::Test {
protected:
  void parse(const std::string &Code) {
    AST = parseWithPrelude(std::string(ModelPrelude) + Code);
    ASSERT_TRUE(AST);
  }
  ASTContext &ctx() { return AST->getASTContext(); }

  template <class Node, class MatcherT> const Node *find(const MatcherT &M) {
    return findFirst<Node>(ctx(), M);
  }
  const FunctionDecl *function(StringRef Name) {
    return find<Decl>(functionDecl(hasName(Name), isDefinition()))
        ->getAsFunction();
  }
  QualType type(StringRef Name) {
    const auto *RD = find<Decl>(cxxRecordDecl(hasName(Name)));
    return RD ? ctx().getTypeDeclType(cast<TypeDecl>(RD)) : QualType();
  }
  const CoroutineBodyStmt &body(StringRef Name) {
    const CoroutineBodyStmt *Body = getCoroutineBody(function(Name));
    EXPECT_NE(Body, nullptr) << Name.str() << " is not a coroutine";
    return *Body;
  }
  const FunctionAnalysis &analysis(StringRef Name) {
    const FunctionAnalysis *F = Model::of(ctx()).function(*function(Name));
    EXPECT_NE(F, nullptr);
    return *F;
  }
  llvm::ArrayRef<SuspensionPoint> points(StringRef Name) {
    return analysis(Name).suspensions();
  }

  std::unique_ptr<ASTUnit> AST;
};

TEST_F(CoroutineModelTest, RecognisesCoroutinesByTheirBody) {
  parse("Lazy coro() { co_return; }  Lazy notCoro() { return child(); }");
  EXPECT_NE(getCoroutineBody(function("coro")), nullptr);
  EXPECT_EQ(getCoroutineBody(function("notCoro")), nullptr);
  EXPECT_EQ(getCoroutineBody(nullptr), nullptr);
}

TEST_F(CoroutineModelTest, TaskTypesHaveAPromise) {
  parse("ViaTraits usesTraits() { co_return; }");
  EXPECT_TRUE(isCoroutineReturnType(type("Lazy"), ctx()));
  EXPECT_TRUE(isCoroutineReturnType(type("Elidable"), ctx()));
  EXPECT_TRUE(isCoroutineReturnType(type("ViaTraits"), ctx()))
      << "a std::coroutine_traits specialization names the promise";
  EXPECT_FALSE(isCoroutineReturnType(type("ReadyNow"), ctx()));
  EXPECT_FALSE(isCoroutineReturnType(type("Plain"), ctx()));
  EXPECT_FALSE(isCoroutineReturnType(ctx().IntTy, ctx()));
}

TEST_F(CoroutineModelTest, AwaitablesHaveAwaiterMembersOrCoAwait) {
  parse("");
  EXPECT_TRUE(isAwaitableType(type("ReadyNow")));
  EXPECT_TRUE(isAwaitableType(type("Lazy")));
  EXPECT_TRUE(isAwaitableType(type("MemberCoAwait")));
  EXPECT_TRUE(isAwaitableType(type("FreeCoAwait")));
  EXPECT_FALSE(isAwaitableType(type("Plain")));
  EXPECT_FALSE(isAwaitableType(type("Eager")));
}

TEST_F(CoroutineModelTest, ElidableTasksCarryTheAttribute) {
  parse("");
  EXPECT_TRUE(isAwaitElidableType(type("Elidable")));
  EXPECT_FALSE(isAwaitElidableType(type("Lazy")));
}

TEST_F(CoroutineModelTest, StartModeFollowsInitialSuspend) {
  parse("Lazy lazy() { co_return; }  Eager eager() { co_return; }");
  EXPECT_EQ(getStartMode(type("Lazy"), ctx()), StartMode::Lazy);
  EXPECT_EQ(getStartMode(type("Eager"), ctx()), StartMode::Eager);
  EXPECT_EQ(getStartMode(type("Plain"), ctx()), StartMode::Unknown);
  EXPECT_EQ(getStartMode(body("lazy")), StartMode::Lazy);
  EXPECT_EQ(getStartMode(body("eager")), StartMode::Eager);
}

// The type's promise and the analysed body are judged by one rule.
TEST_F(CoroutineModelTest, StartModeOfTypeAndBodyAgree) {
  parse("Refusing refusing() { co_return; }");
  EXPECT_EQ(getStartMode(type("Refusing"), ctx()), StartMode::Eager);
  EXPECT_EQ(getStartMode(body("refusing")), StartMode::Eager);
  EXPECT_EQ(analysis("refusing").startMode(), StartMode::Eager);
}

TEST_F(CoroutineModelTest, FireAndForgetFramesFreeThemselves) {
  parse("");
  EXPECT_TRUE(destroysItselfWhenDone(type("Eager"), ctx()))
      << "final_suspend() returns std::suspend_never";
  EXPECT_FALSE(destroysItselfWhenDone(type("Lazy"), ctx()));
  EXPECT_FALSE(destroysItselfWhenDone(type("Plain"), ctx()));
}

TEST_F(CoroutineModelTest, SuspensionPointsInEvaluationOrder) {
  parse(R"cpp(
    Lazy outer() {
      co_await std::suspend_never{};
      int v = co_await ReadyNow{};
      co_await RefusesToSuspend{};
      auto inner = []() -> Lazy { co_await std::suspend_always{}; };
      co_await child();
      (void)v; (void)inner;
    })cpp");
  auto Points = points("outer");
  ASSERT_EQ(Points.size(), 4u) << "the lambda's suspension is its own";
  EXPECT_FALSE(Points[0].MaySuspend) << "std::suspend_never";
  EXPECT_FALSE(Points[1].MaySuspend) << "await_ready() returns true";
  EXPECT_FALSE(Points[2].MaySuspend) << "await_suspend() returns false";
  EXPECT_TRUE(Points[3].MaySuspend) << "a lazy task";
  for (size_t I = 1; I < Points.size(); ++I)
    EXPECT_LT(Points[I - 1].E->getBeginLoc().getRawEncoding(),
              Points[I].E->getBeginLoc().getRawEncoding());
}

TEST_F(CoroutineModelTest, NestedSuspensionComesFirst) {
  parse("Lazy nested() { co_await (co_await MemberCoAwait{}, child()); }");
  auto Points = points("nested");
  ASSERT_EQ(Points.size(), 2u);
  EXPECT_FALSE(Points[0].MaySuspend) << "the inner MemberCoAwait is ready";
  EXPECT_TRUE(Points[1].MaySuspend);
  EXPECT_TRUE(isa<CoawaitExpr>(Points[1].E));
}

TEST_F(CoroutineModelTest, YieldIsASuspensionPoint) {
  parse(R"cpp(
    struct Gen {
      struct promise_type {
        Gen get_return_object() { return {}; }
        std::suspend_always initial_suspend() noexcept { return {}; }
        std::suspend_always final_suspend() noexcept { return {}; }
        std::suspend_always yield_value(int) { return {}; }
        void return_void() {}
        void unhandled_exception() {}
      };
    };
    Gen gen() { co_yield 1; co_yield 2; })cpp");
  auto Points = points("gen");
  ASSERT_EQ(Points.size(), 2u);
  EXPECT_TRUE(isa<CoyieldExpr>(Points[0].E));
  EXPECT_TRUE(Points[0].MaySuspend);
}

TEST_F(CoroutineModelTest, DependentAwaitsAreAssumedToSuspend) {
  parse(R"cpp(
    template <class T> Lazy generic(T t) { co_await t; }
    )cpp");
  const auto *Pattern = find<Decl>(functionTemplateDecl(hasName("generic")));
  ASSERT_NE(Pattern, nullptr);
  const FunctionAnalysis *F = Model::of(ctx()).function(
      *cast<FunctionTemplateDecl>(Pattern)->getTemplatedDecl());
  ASSERT_NE(F, nullptr);
  ASSERT_TRUE(F->isCoroutine());
  auto Points = F->suspensions();
  ASSERT_EQ(Points.size(), 1u);
  EXPECT_TRUE(Points[0].MaySuspend);
}

TEST_F(CoroutineModelTest, SuspensionPointsHaveCFGBlocks) {
  parse(R"cpp(
    bool flag();
    Lazy branches() {
      if (flag())
        co_await child();
      else
        co_await std::suspend_always{};
    })cpp");
  const FunctionAnalysis &F = analysis("branches");
  ASSERT_NE(F.cfg(), nullptr);
  ASSERT_EQ(F.suspensions().size(), 2u);
  const CFGBlock *Then = F.blockOf(*F.suspensions()[0].E);
  const CFGBlock *Else = F.blockOf(*F.suspensions()[1].E);
  ASSERT_NE(Then, nullptr);
  ASSERT_NE(Else, nullptr);
  EXPECT_NE(Then, Else) << "the two branches are different blocks";
}

TEST_F(CoroutineModelTest, ConsumedInFullExpressionOnlyAsAwaitOperand) {
  parse(R"cpp(
    void keep(Lazy);
    Lazy user() {
      co_await child();                 // 1: consumed
      co_await std::move(child());      // 2: consumed through std::move
      co_await (child());               // 3: consumed through parentheses
      auto stored = child();            // 4: stored
      keep(child());                    // 5: escapes into a callee
      co_await std::move(stored);
    })cpp");
  // The matcher reaches an awaited operand twice (as the operand and inside
  // the awaiter expression), so keep each call once, in source order.
  std::vector<const Expr *> Calls;
  for (const auto &M :
       match(callExpr(callee(functionDecl(hasName("child")))).bind("c"), ctx()))
    if (llvm::find(Calls, M.getNodeAs<Expr>("c")) == Calls.end())
      Calls.push_back(M.getNodeAs<Expr>("c"));
  ASSERT_EQ(Calls.size(), 5u);
  std::vector<bool> Consumed;
  for (const Expr *Call : Calls)
    Consumed.push_back(analysis("user").isConsumedInFullExpression(*Call));
  EXPECT_EQ(Consumed, (std::vector<bool>{true, true, true, false, false}));
}

TEST_F(CoroutineModelTest, WrappersAreStrippedToTheAwaitedObject) {
  parse(R"cpp(
    Lazy user() {
      auto t = child();
      co_await static_cast<Lazy &&>(t);
    })cpp");
  const auto *Await = find<Stmt>(coawaitExpr());
  ASSERT_NE(Await, nullptr);
  const auto *Ref = dyn_cast<DeclRefExpr>(
      strip(cast<CoawaitExpr>(Await)->getOperand()));
  ASSERT_NE(Ref, nullptr);
  EXPECT_EQ(Ref->getDecl()->getName(), "t");
}

} // namespace
