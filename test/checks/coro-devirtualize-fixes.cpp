// Each piece of the migration to a concept, in one file (no index): the
// runner checks the rewritten lines and compiles the result.
// RUN: %check_coro_tidy %s coro-devirtualize %t \
// RUN:   --config="{CheckOptions: {coro-devirtualize.IndexFile: '-'}}"

#include "task.h"
#include <concepts>
#include <memory>
#include <string>

using test::Task;
struct Logger {
  virtual void log(const std::string &) {}
  virtual ~Logger() = default;
};
using T = int;

/// Serves connections. (The doc comment stays with the concept.)
// CHECK-MESSAGES: :[[@LINE+1]]:8: warning: virtual coroutine interface 'Service' is only used with statically known types; each call allocates a coroutine frame [coro-devirtualize]
struct Service {
  // Move-only by value, const, and a plain virtual function; a signature
  // that names 'T', so the concept's parameter gets another name.
  virtual Task<int> take(std::unique_ptr<int> Owned) = 0;
  virtual Task<int> peek(T Key) const = 0;
  virtual std::string name() const = 0;
  virtual ~Service() {}
};
// CHECK-FIXES:      {{^}}/// Serves connections. (The doc comment stays with the concept.){{$}}
// CHECK-FIXES:      {{^}}template <class Impl>{{$}}
// CHECK-FIXES-NEXT: {{^}}concept Service = requires(Impl &self, const Impl &cself, std::unique_ptr<int> a0_0, T a1_0) {{{$}}
// CHECK-FIXES-NEXT: {{^}}  { self.take(static_cast<decltype(a0_0) &&>(a0_0)) } -> std::same_as<Task<int>>;{{$}}
// CHECK-FIXES-NEXT: {{^}}  { cself.peek(static_cast<decltype(a1_0) &&>(a1_0)) } -> std::same_as<Task<int>>;{{$}}
// CHECK-FIXES-NEXT: {{^}}  { cself.name() } -> std::same_as<std::string>;{{$}}
// CHECK-FIXES-NEXT: {{^}}};{{$}}

// Another base stays, with the override of its function.
struct Echo : public Service, Logger {
  virtual Task<int> take(std::unique_ptr<int> Owned) override { co_return *Owned; }
  Task<int> peek(T Key) const final { co_return Key; }
  std::string name() const override { return "echo"; }
  void log(const std::string &) override {}
};
// CHECK-FIXES:      {{^}}struct Echo : Logger {{{$}}
// CHECK-FIXES-NEXT: {{^}}  Task<int> take(std::unique_ptr<int> Owned) { co_return *Owned; }{{$}}
// CHECK-FIXES-NEXT: {{^}}  Task<int> peek(T Key) const { co_return Key; }{{$}}
// CHECK-FIXES-NEXT: {{^}}  std::string name() const { return "echo"; }{{$}}
// CHECK-FIXES-NEXT: {{^}}  void log(const std::string &) override {}{{$}}

// The interface last in the list; the class stays final.
struct Mirror final : Logger, Service {
  Task<int> take(std::unique_ptr<int>) override { co_return 0; }
  Task<int> peek(T) const override { co_return 1; }
  std::string name() const override { return "mirror"; }
};
// CHECK-FIXES: {{^}}struct Mirror final : Logger {{{$}}

// By pointer, by const reference, forwarded to another dispatch function,
// and taken by a lambda.
Task<int> peekAt(const Service &S) { co_return co_await S.peek(1); }
Task<int> serve(Service *S) {
  int Peeked = co_await peekAt(*S);
  co_return Peeked + co_await S->take(std::make_unique<int>(2));
}
// CHECK-FIXES: {{^}}Task<int> peekAt(const Service auto &S) { co_return co_await S.peek(1); }{{$}}
// CHECK-FIXES: {{^}}Task<int> serve(Service auto *S) {{{$}}

Task<int> useThem() {
  Echo E;
  Mirror M;
  auto Named = [](Service &S) { return S.name().size(); };
  // CHECK-FIXES: {{^}}  auto Named = [](Service auto &S) { return S.name().size(); };{{$}}
  int V = co_await serve(&E) + co_await serve(&M);
  co_return V + static_cast<int>(Named(E) + Named(M));
}
