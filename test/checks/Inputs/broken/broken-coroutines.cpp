// Code that does not compile, in every place the checks look. The checks
// must report nothing of their own and must not crash.
#include "task.h"

struct NoPromise {};
NoPromise noPromise() { co_return; }

test::Task<int> undeclaredOperand() {
  auto t = notDeclared(1);
  co_await std::move(t);
  co_return 0;
}

test::Task<int> brokenStatement() {
  auto t = test::Task<int>(;
  co_await std::move(t)
  co_return 1;
}

test::Task<int> awaitOfNonAwaitable() {
  int x = 1;
  auto t = x;
  co_await t;
  co_return x;
}

template <class T> test::Task<T> brokenTemplate() {
  auto t = T::missing();
  co_return co_await std::move(t);
}
template test::Task<int> brokenTemplate<int>();

void notACoroutineButAwaits() { co_await std::suspend_never{}; }

test::Task<int> unterminated() {
  auto t = test::Task<int>{
