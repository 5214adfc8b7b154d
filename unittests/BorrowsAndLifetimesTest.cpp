//===--- BorrowsAndLifetimesTest.cpp - corotidy ----------------*- C++ -*-===//
//
// What a coroutine borrows, where a task goes, and how long an argument
// lives.
//
//===----------------------------------------------------------------------===//

#include "TestAST.h"
#include "model/Borrows.h"
#include "model/TaskFate.h"

using namespace clang;
using namespace clang::ast_matchers;
using namespace corotidy::model;
using namespace corotidy::test;

namespace {

constexpr const char *Library = R"cpp(
#include <string>
#include <string_view>
#include <vector>
struct Eager {
  struct promise_type {
    Eager get_return_object() { return {}; }
    std::suspend_never initial_suspend() noexcept { return {}; }
    std::suspend_always final_suspend() noexcept { return {}; }
    void return_void() {}
    void unhandled_exception() {}
  };
};
namespace lib {
template <class T> void spawn(T);
void sync_wait(Lazy &&);
}
std::string Global;
)cpp";

class BorrowsAndLifetimesTest : public ::testing::Test {
protected:
  void parse(const std::string &Code, const std::string &Std = "c++20") {
    AST = parseWithPrelude(std::string(Library) + Code, Std);
    ASSERT_TRUE(AST);
  }
  ASTContext &ctx() { return AST->getASTContext(); }
  const FunctionDecl &function(StringRef Name) {
    return *findFirst<FunctionDecl>(ctx(), functionDecl(hasName(Name), isDefinition()));
  }
  BorrowSummary summary(StringRef Name) {
    return borrowsOf(function(Name), Model::of(ctx()), NoViews);
  }
  // The fate of the call to `make` inside function `Name`.
  TaskFate fateIn(StringRef Name) {
    const auto *Call = findFirst<CallExpr>(
        ctx(), callExpr(callee(functionDecl(hasName("make"))),
                        hasAncestor(functionDecl(hasName(Name)))));
    EXPECT_NE(Call, nullptr);
    struct : TaskPolicy {
      bool isStructured(const FunctionDecl &Fn) const override {
        return qualifiedName(Fn) == "::lib::sync_wait";
      }
      bool isDetaching(const FunctionDecl &Fn) const override {
        return qualifiedName(Fn) == "::lib::spawn";
      }
    } static const Policy;
    const FunctionAnalysis *F = Model::of(ctx()).function(function(Name));
    return fateOfTask(*Call, *F, Policy);
  }
  ArgLifetime argumentIn(StringRef Name) {
    const auto *Call = findFirst<CallExpr>(
        ctx(), callExpr(callee(functionDecl(hasName("make"))),
                        hasAncestor(functionDecl(hasName(Name)))));
    const FunctionDecl *Callee = Call->getDirectCallee();
    return lifetimeOfBorrowedArgument(*Call->getArg(0),
                                      Callee->getParamDecl(0)->getType(),
                                      Model::of(ctx()), NoViews);
  }

  struct : ViewPolicy {
    bool isExtraView(const CXXRecordDecl &) const override { return false; }
  } NoViews;
  std::unique_ptr<ASTUnit> AST;
};

TEST_F(BorrowsAndLifetimesTest, LazyCoroutinesUseEveryBorrowAfterStarting) {
  parse("Lazy f(const std::string &s, std::string_view v, int n) {"
        "  (void)s.size(); (void)v.size(); (void)n; co_return; }");
  BorrowSummary S = summary("f");
  EXPECT_EQ(S.Start, StartMode::Lazy);
  ASSERT_EQ(S.AtRisk.size(), 2u) << "a reference and a view; not the int";
  EXPECT_EQ(S.AtRisk[0].Suspension, nullptr) << "the initial suspension";
}

TEST_F(BorrowsAndLifetimesTest, EagerCoroutinesOnlyAfterARealSuspension) {
  parse("Eager before(const std::string &s) { (void)s.size(); co_await child(); }"
        "Eager after(const std::string &s) { co_await child(); (void)s.size(); }");
  EXPECT_TRUE(summary("before").AtRisk.empty());
  BorrowSummary After = summary("after");
  ASSERT_EQ(After.AtRisk.size(), 1u);
  ASSERT_NE(After.AtRisk[0].Suspension, nullptr);
}

TEST_F(BorrowsAndLifetimesTest, ObjectsAndClosures) {
  parse(R"cpp(
    struct S { int x; Lazy run() { co_await child(); (void)x; } };
    void user(int v) {
      auto byRef = [v]() -> Lazy { co_await child(); (void)v; };
      auto copied = [v](this auto) -> Lazy { co_await child(); (void)v; };
      (void)byRef; (void)copied;
    })cpp",
        "c++23");
  const auto *Run = findFirst<CXXMethodDecl>(ctx(), cxxMethodDecl(hasName("run")));
  EXPECT_NE(borrowsOf(*Run, Model::of(ctx()), NoViews).implicitObject(), nullptr);
  auto Lambdas = match(
      lambdaExpr(hasAncestor(functionDecl(hasName("user")))).bind("l"), ctx());
  ASSERT_EQ(Lambdas.size(), 2u);
  const auto *ByRef = Lambdas[0].getNodeAs<LambdaExpr>("l");
  const auto *Copied = Lambdas[1].getNodeAs<LambdaExpr>("l");
  EXPECT_NE(borrowsOf(*ByRef->getCallOperator(), Model::of(ctx()), NoViews).closure(),
            nullptr);
  EXPECT_EQ(borrowsOf(*Copied->getCallOperator(), Model::of(ctx()), NoViews).closure(),
            nullptr)
      << "`this auto` copies the closure into the frame";
}

TEST_F(BorrowsAndLifetimesTest, WhereATaskGoes) {
  parse(R"cpp(
    Lazy make(const std::string &);
    Lazy awaited() { co_await make("a"); }
    void stored() { auto t = make("b"); }
    Lazy returned() { return make("c"); }
    void detached() { lib::spawn(make("d")); }
    void blocking() { lib::sync_wait(make("e")); }
    void dropped() { make("f"); }
    void outer() {
      std::vector<Lazy> pending;
      { pending.push_back(make("g")); }
    }
    )cpp");
  EXPECT_EQ(fateIn("awaited").K, TaskFate::Consumed);
  EXPECT_EQ(fateIn("stored").K, TaskFate::Dropped)
      << "a lazy task that nothing runs never uses what it borrows";
  EXPECT_EQ(fateIn("returned").K, TaskFate::Escapes);
  TaskFate Detached = fateIn("detached");
  EXPECT_EQ(Detached.K, TaskFate::Escapes);
  EXPECT_TRUE(Detached.Detached);
  EXPECT_EQ(Detached.DecidedBy, TaskFate::Option);
  EXPECT_EQ(fateIn("blocking").K, TaskFate::Consumed);
  EXPECT_EQ(fateIn("dropped").K, TaskFate::Discarded);
  TaskFate Pushed = fateIn("outer");
  ASSERT_EQ(Pushed.K, TaskFate::Dropped);
  EXPECT_EQ(Pushed.Scope, function("outer").getBody())
      << "held until the container's scope ends";
}

// A task moved into an object has that object's fate; what a callee does
// with a task is read from its body when it is visible.
TEST_F(BorrowsAndLifetimesTest, OwnershipFollowsTheTask) {
  parse(R"cpp(
    Lazy make(const std::string &);
    namespace lib {
    // Awaits what it is given: a combinator.
    template <class T> Lazy wrap(T Work) { co_await std::move(Work); }
    // Keeps it in a queue that outlives the call.
    std::vector<Lazy> Queue;
    inline void enqueue(Lazy Work) { Queue.push_back(std::move(Work)); }
    // Declared only: nothing says what it does.
    void keep(Lazy Work);
    // Declared only, but its result is an awaitable holding the task.
    Lazy adopt(Lazy Work);
    }
    Lazy combined() { co_await lib::wrap(make("a")); }
    void queued() { lib::enqueue(make("b")); }
    void kept() { lib::keep(make("c")); }
    Lazy adopted() { co_await lib::adopt(make("d")); }
    Lazy later() {
      auto t = lib::wrap(make("e"));
      use(1);
      co_await std::move(t);
    }
    Lazy pool() {
      std::vector<Lazy> tasks;
      tasks.push_back(make("f"));
      for (auto &t : tasks)
        co_await std::move(t);
    }
    )cpp");
  TaskFate Combined = fateIn("combined");
  EXPECT_EQ(Combined.K, TaskFate::Consumed);
  TaskFate Queued = fateIn("queued");
  EXPECT_EQ(Queued.K, TaskFate::Escapes);
  EXPECT_EQ(Queued.DecidedBy, TaskFate::Body);
  TaskFate Kept = fateIn("kept");
  EXPECT_EQ(Kept.K, TaskFate::Escapes);
  EXPECT_EQ(Kept.DecidedBy, TaskFate::NotVisible);
  EXPECT_EQ(fateIn("adopted").K, TaskFate::Consumed);
  TaskFate Later = fateIn("later");
  ASSERT_EQ(Later.K, TaskFate::Joined);
  ASSERT_EQ(Later.Runs.size(), 1u);
  const auto *Run = dyn_cast<DeclRefExpr>(Later.Runs[0]);
  ASSERT_NE(Run, nullptr) << "it runs where `t` is awaited";
  EXPECT_EQ(Run->getDecl()->getName(), "t");
  TaskFate Pool = fateIn("pool");
  ASSERT_EQ(Pool.K, TaskFate::Joined) << "the range-for runs the tasks";
}

TEST_F(BorrowsAndLifetimesTest, HowLongAnArgumentLives) {
  parse(R"cpp(
    Lazy make(const std::string &);
    void temporary() { make(std::string("t")); }
    void local() { std::string s; make(s); }
    void global() { make(Global); }
    void throughReference(std::string &r) { make(r); }
    )cpp");
  EXPECT_EQ(argumentIn("temporary").K, ArgLifetime::Temporary);
  ArgLifetime Local = argumentIn("local");
  ASSERT_EQ(Local.K, ArgLifetime::Local);
  EXPECT_EQ(Local.Var->getName(), "s");
  EXPECT_EQ(argumentIn("global").K, ArgLifetime::Unknown);
  EXPECT_EQ(argumentIn("throughReference").K, ArgLifetime::Unknown)
      << "what a reference refers to is not known to die";
}

} // namespace

namespace {
TEST_F(BorrowsAndLifetimesTest, ImmediatelyInvokedLambdaHeldAndAwaited) {
  parse(R"cpp(
    Lazy outer() {
      auto T = [](const int &A) -> Lazy {
        co_await child();
        use(A);
      }(1);
      use(0);
      co_await std::move(T);
    })cpp");
  const auto *Call = findFirst<CXXOperatorCallExpr>(
      ctx(), cxxOperatorCallExpr(callee(cxxMethodDecl(ofClass(cxxRecordDecl(isLambda()))))));
  ASSERT_NE(Call, nullptr);
  const FunctionAnalysis *F = Model::of(ctx()).function(function("outer"));
  struct : TaskPolicy {
    bool isStructured(const FunctionDecl &) const override { return false; }
    bool isDetaching(const FunctionDecl &) const override { return false; }
  } static const Never;
  TaskFate Fate = fateOfTask(*Call, *F, Never);
  EXPECT_EQ(Fate.K, TaskFate::Joined);
  const BorrowSummary &B =
      borrowsOf(*Call->getDirectCallee(), Model::of(ctx()), NoViews);
  EXPECT_EQ(B.AtRisk.size(), 1u);
  ArgLifetime Life = lifetimeOfBorrowedArgument(
      *Call->getArg(1), Call->getDirectCallee()->getParamDecl(0)->getType(),
      Model::of(ctx()), NoViews);
  EXPECT_EQ(Life.K, ArgLifetime::Temporary);
}
} // namespace
