// Each piece of the migration to a concept, in one file (no index): the
// runner checks the rewritten lines and compiles the result.
// RUN: %check_coro_tidy %s coro-devirtualize %t \
// RUN:   --config="{CheckOptions: {coro-devirtualize.IndexFile: '-'}}"

#include "task.h"
#include <concepts>
#include <memory>
#include <string>
#include <string_view>

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
// The interface's parameter names; a move-only parameter is moved, the
// others passed as they are; the comment above a function stays above its
// requirement; a long parameter list is wrapped as clang-format does.
// CHECK-FIXES:      {{^}}/// Serves connections. (The doc comment stays with the concept.){{$}}
// CHECK-FIXES:      {{^}}template <class Impl>{{$}}
// CHECK-FIXES-NEXT: {{^}}concept Service = requires(Impl &self, const Impl &cself,{{$}}
// CHECK-FIXES-NEXT: {{^}}                           std::unique_ptr<int> Owned, T Key) {{{$}}
// CHECK-FIXES-NEXT: {{^}}  // Move-only by value, const, and a plain virtual function; a signature{{$}}
// CHECK-FIXES-NEXT: {{^}}  // that names 'T', so the concept's parameter gets another name.{{$}}
// CHECK-FIXES-NEXT: {{^}}  { self.take(std::move(Owned)) } -> std::same_as<Task<int>>;{{$}}
// CHECK-FIXES-NEXT: {{^}}  { cself.peek(Key) } -> std::same_as<Task<int>>;{{$}}
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

// One class implementing two interfaces: one fix migrates both,
// and the class drops both bases in one edit (two edits of one base list
// would overlap, and clang-tidy would apply neither).
struct SessionStore {
  // CHECK-MESSAGES: :[[@LINE-1]]:8: warning: virtual coroutine interface 'SessionStore' is only used with statically known types; each call allocates a coroutine frame [coro-devirtualize]
  // CHECK-MESSAGES: :[[@LINE-2]]:8: note: migrated by the fix of 'RateLimiter', in one edit: 'MemoryBackend' implements both
  virtual Task<int> session(int Id) = 0;
  virtual ~SessionStore() = default;
};
struct RateLimiter {
  // CHECK-MESSAGES: :[[@LINE-1]]:8: warning: virtual coroutine interface 'RateLimiter' is only used with statically known types; each call allocates a coroutine frame [coro-devirtualize]
  virtual Task<bool> allow(int Id) = 0;
  virtual ~RateLimiter() = default;
};
// A member of another base with an interface function's name is hidden by
// the override, through the interface and on the class alike: no obstacle.
struct Tracer {
  void allow(const char *) {}
};
struct RedisBackend final : public SessionStore, public RateLimiter, Tracer {
  Task<int> session(int Id) override { co_return Id; }
  Task<bool> allow(int Id) override { co_return Id > 0; }
};
// CHECK-FIXES: {{^}}struct RedisBackend final : Tracer {{{$}}
// CHECK-FIXES-NEXT: {{^}}  Task<int> session(int Id) { co_return Id; }{{$}}
// CHECK-FIXES-NEXT: {{^}}  Task<bool> allow(int Id) { co_return Id > 0; }{{$}}
struct MemoryBackend : SessionStore, RateLimiter {
  Task<int> session(int Id) override { co_return -Id; }
  Task<bool> allow(int) override { co_return true; }
};
// CHECK-FIXES: {{^}}struct MemoryBackend {{{$}}
Task<int> admitSession(SessionStore &S, RateLimiter &L, int Id) {
  co_return co_await L.allow(Id) ? co_await S.session(Id) : 0;
}
// CHECK-FIXES: {{^}}Task<int> admitSession(SessionStore auto &S, RateLimiter auto &L, int Id) {{{$}}

// Near misses: an array of implementations (not of base pointers), and a
// static local in an implementation's function (not a dispatch function's).
struct Ledger {
  virtual Task<int> count() = 0;
  virtual ~Ledger() = default;
};
// CHECK-MESSAGES: :[[@LINE-4]]:8: warning: virtual coroutine interface 'Ledger' is only used with statically known types; each call allocates a coroutine frame [coro-devirtualize]
struct Book : Ledger {
  Task<int> count() override {
    static int Total = 0;
    co_return ++Total;
  }
};
// CHECK-FIXES: {{^}}struct Book {{{$}}
Task<int> countIn(Ledger &L) { co_return co_await L.count(); }
// CHECK-FIXES: {{^}}Task<int> countIn(Ledger auto &L) { co_return co_await L.count(); }{{$}}
Task<int> countAll() {
  Book Books[2];
  co_return co_await countIn(Books[0]) + co_await countIn(Books[1]);
}

Task<int> useThem() {
  RedisBackend Redis;
  MemoryBackend Memory;
  co_await admitSession(Redis, Redis, 1);
  co_await admitSession(Memory, Memory, 2);
  Echo E;
  Mirror M;
  auto Named = [](Service &S) { return S.name().size(); };
  // CHECK-FIXES: {{^}}  auto Named = [](Service auto &S) { return S.name().size(); };{{$}}
  int V = co_await serve(&E) + co_await serve(&M);
  co_return V + static_cast<int>(Named(E) + Named(M));
}
