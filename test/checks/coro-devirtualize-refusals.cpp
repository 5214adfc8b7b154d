// Interfaces only used with statically known types that the migration must
// not rewrite: each is reported with the first obstacle as a note, and the
// file is left as it was (the runner also compiles it).
// RUN: %check_coro_tidy --check-suffixes=STATIC %s coro-devirtualize %t \
// RUN:   --config="{CheckOptions: {coro-devirtualize.IndexFile: '-'}}" \
// RUN:   -- -isystem %inputs/system
// Needing dynamic dispatch is silent unless asked for.
// RUN: %check_coro_tidy --check-suffixes=STATIC,DYNAMIC %s coro-devirtualize %t.dyn \
// RUN:   --config="{CheckOptions: {coro-devirtualize.IndexFile: '-', coro-devirtualize.ReportDynamicUses: true}}" \
// RUN:   -- -isystem %inputs/system

#include "task.h"
#include <memory>
#include <string>
#include <string_view>
#include <vendor_plugin.h>
#include <vector>

using test::Task;

// CHECK-MESSAGES-STATIC: :[[@LINE+2]]:8: warning: virtual coroutine interface 'WithData' is only used with statically known types; each call allocates a coroutine frame [coro-devirtualize]
// CHECK-MESSAGES-STATIC: :[[@LINE+2]]:7: note: no automatic migration: 'WithData' has data member 'Count'
struct WithData {
  int Count = 0;
  virtual Task<int> next() = 0;
  virtual ~WithData() = default;
};
struct Counting : WithData {
  Task<int> next() override { co_return ++Count; }
};
Task<int> tick(WithData &C) { co_return co_await C.next(); }

// CHECK-MESSAGES-STATIC: :[[@LINE+2]]:8: warning: virtual coroutine interface 'WithHelper'
// CHECK-MESSAGES-STATIC: :[[@LINE+3]]:13: note: no automatic migration: 'WithHelper' has 'twice', which is not pure virtual
struct WithHelper {
  virtual Task<int> get() = 0;
  Task<int> twice() { co_return 2 * co_await get(); }
  virtual ~WithHelper() = default;
};
struct Helped : WithHelper {
  Task<int> get() override { co_return 1; }
};
Task<int> useHelper(WithHelper &H) { co_return co_await H.twice(); }

// CHECK-MESSAGES-STATIC: :[[@LINE+2]]:8: warning: virtual coroutine interface 'WithDefault'
// CHECK-MESSAGES-STATIC: :[[@LINE+2]]:21: note: no automatic migration: 'fetch' has a default argument, which calls would lose
struct WithDefault {
  virtual Task<int> fetch(int Retries = 3) = 0;
  virtual ~WithDefault() = default;
};
struct Fetcher : WithDefault {
  Task<int> fetch(int Retries) override { co_return Retries; }
};
Task<int> fetchOnce(WithDefault &F) { co_return co_await F.fetch(); }

// Reached only through the interface: after a migration the call would not
// compile.
// CHECK-MESSAGES-STATIC: :[[@LINE+2]]:8: warning: virtual coroutine interface 'Sealed'
// CHECK-MESSAGES-STATIC: :[[@LINE+6]]:13: note: no automatic migration: 'Hidden::open' is not public; callers reach it only through the interface
struct Sealed {
  virtual Task<int> open() = 0;
  virtual ~Sealed() = default;
};
class Hidden : public Sealed {
  Task<int> open() override { co_return 7; }
};
Task<int> openIt(Sealed &S) { co_return co_await S.open(); }

// An implementation derived again: the middle class stays polymorphic.
// CHECK-MESSAGES-STATIC: :[[@LINE+2]]:8: warning: virtual coroutine interface 'Layered'
// CHECK-MESSAGES-STATIC: :[[@LINE+8]]:8: note: no automatic migration: 'Faster' derives from 'Layered' through another class, which may be used polymorphically
struct Layered {
  virtual Task<int> run() = 0;
  virtual ~Layered() = default;
};
struct Basic : Layered {
  Task<int> run() override { co_return 1; }
};
struct Faster : Basic {
  Task<int> run() override { co_return 2; }
};
Task<int> runIt(Layered &L) { co_return co_await L.run(); }
Task<int> runBoth() {
  Basic B;
  Faster F;
  co_return co_await runIt(B) + co_await runIt(F);
}

// The interface written by a macro.
#define DECLARE_SOURCE(Name)                                                  \
  struct Name {                                                               \
    virtual Task<int> pull() = 0;                                             \
    virtual ~Name() = default;                                                \
  };
// CHECK-MESSAGES-STATIC: :[[@LINE+2]]:16: warning: virtual coroutine interface 'Source'
// CHECK-MESSAGES-STATIC: :[[@LINE+1]]:1: note: no automatic migration: 'pull' is written by a macro and 2 more obstacles
DECLARE_SOURCE(Source)
struct Pipe : Source {
  Task<int> pull() override { co_return 3; }
};
Task<int> drain(Source &S) { co_return co_await S.pull(); }

// The dispatch function is itself a template.
// CHECK-MESSAGES-STATIC: :[[@LINE+2]]:8: warning: virtual coroutine interface 'Sink'
// CHECK-MESSAGES-STATIC: :[[@LINE+8]]:34: note: no automatic migration: 'pushAll' is a template and 1 more obstacle
struct Sink {
  virtual Task<int> push(int) = 0;
  virtual ~Sink() = default;
};
struct Drain : Sink {
  Task<int> push(int V) override { co_return V; }
};
template <class Value> Task<int> pushAll(Sink &S, Value V) {
  co_return co_await S.push(static_cast<int>(V));
}
Task<int> pushOne() {
  Drain D;
  co_return co_await pushAll(D, 1.5);
}

// Named elsewhere as a type: a forward declaration and an alias.
// CHECK-MESSAGES-STATIC: :[[@LINE+2]]:8: warning: virtual coroutine interface 'Store'
// CHECK-MESSAGES-STATIC: :[[@LINE+5]]:8: note: no automatic migration: 'Store' is declared again here; the declaration would clash with the concept and 1 more obstacle
struct Store {
  virtual Task<int> save(int) = 0;
  virtual ~Store() = default;
};
struct Store;
using StoreRef = Store &;
struct MemoryStore : Store {
  Task<int> save(int V) override { co_return V; }
};
Task<int> saveOne(StoreRef S) { co_return co_await S.save(1); }

// Called with a null pointer: no class to instantiate for.
// CHECK-MESSAGES-STATIC: :[[@LINE+2]]:8: warning: virtual coroutine interface 'Probe'
// CHECK-MESSAGES-STATIC: :[[@LINE+9]]:53: note: no automatic migration: 'probe' receives nullptr, which has no class to instantiate it for
struct Probe {
  virtual Task<int> ping() = 0;
  virtual ~Probe() = default;
};
struct Pinger : Probe {
  Task<int> ping() override { co_return 4; }
};
Task<int> probe(Probe *P) { co_return P ? co_await P->ping() : 0; }
Task<int> probeNothing() { co_return co_await probe(nullptr); }

// What a call of an interface function's name finds differs between the
// interface and the class: another overload (a std::string argument would
// now choose it), a template, a using-declaration.
// CHECK-MESSAGES-STATIC: :[[@LINE+2]]:8: warning: virtual coroutine interface 'Loader'
// CHECK-MESSAGES-STATIC: :[[@LINE+7]]:13: note: no automatic migration: 'FileLoader' has 'FileLoader::load(const std::string &)' besides the override of 'load'; calls through the concept could resolve to it
struct Loader {
  virtual Task<int> load(std::string_view Path) = 0;
  virtual ~Loader() = default;
};
struct FileLoader : Loader {
  Task<int> load(std::string_view) override { co_return 1; }
  Task<int> load(const std::string &) { co_return 2; }
};
Task<int> loadPath(Loader &L, std::string Path) { co_return co_await L.load(Path); }

// CHECK-MESSAGES-STATIC: :[[@LINE+2]]:8: warning: virtual coroutine interface 'Parser'
// CHECK-MESSAGES-STATIC: :[[@LINE+7]]:34: note: no automatic migration: 'JsonParser' has a template 'JsonParser::parse' besides the override of 'parse'; calls through the concept could resolve to it
struct Parser {
  virtual Task<int> parse(long Text) = 0;
  virtual ~Parser() = default;
};
struct JsonParser : Parser {
  Task<int> parse(long) override { co_return 3; }
  template <class Any> Task<int> parse(Any) { co_return 4; }
};
Task<int> parseOne(Parser &P) { co_return co_await P.parse(1); }

struct Retrier {
  Task<int> send(int Times, int) { co_return Times; }
};
// CHECK-MESSAGES-STATIC: :[[@LINE+2]]:8: warning: virtual coroutine interface 'Sender'
// CHECK-MESSAGES-STATIC: :[[@LINE+6]]:18: note: no automatic migration: 'RetryingSender' has a using-declaration of 'Retrier::send(int, int)' besides the override of 'send'; calls through the concept could resolve to it
struct Sender {
  virtual Task<int> send(int Bytes) = 0;
  virtual ~Sender() = default;
};
struct RetryingSender : Sender, Retrier {
  using Retrier::send;
  Task<int> send(int Bytes) override { co_return Bytes; }
};
Task<int> sendOne(Sender &S) { co_return co_await S.send(5); }

// Needs dynamic dispatch: a virtual dispatch function, a dynamic_cast, a
// container of base pointers.
struct Visitor {
  // CHECK-MESSAGES-DYNAMIC: :[[@LINE-1]]:8: warning: virtual coroutine interface 'Visitor' needs dynamic dispatch: virtual-dispatcher (Task<int> (Visitor &) Node::accept) at {{.*}}.cpp:[[@LINE+8]] [coro-devirtualize]
  virtual Task<int> visit() = 0;
  virtual ~Visitor() = default;
};
struct Printer : Visitor {
  Task<int> visit() override { co_return 5; }
};
struct Node {
  virtual Task<int> accept(Visitor &V) { co_return co_await V.visit(); }
  virtual ~Node() = default;
};

struct Codec {
  // CHECK-MESSAGES-DYNAMIC: :[[@LINE-1]]:8: warning: virtual coroutine interface 'Codec' needs dynamic dispatch: dynamic-cast
  virtual Task<int> encode() = 0;
  virtual ~Codec() = default;
};
struct Zip : Codec {
  Task<int> encode() override { co_return 6; }
};
Task<int> encodeFast(Codec &C) {
  if (auto *Z = dynamic_cast<Zip *>(&C))
    co_return co_await Z->encode();
  co_return co_await C.encode();
}

struct Job {
  // CHECK-MESSAGES-DYNAMIC: :[[@LINE-1]]:8: warning: virtual coroutine interface 'Job' needs dynamic dispatch: container (std::vector<Job *> Jobs)
  virtual Task<int> work() = 0;
  virtual ~Job() = default;
};
struct Sleep : Job {
  Task<int> work() override { co_return 0; }
};
Task<int> runAll(std::vector<Job *> Jobs) {
  int Sum = 0;
  for (Job *J : Jobs)
    Sum += co_await J->work();
  co_return Sum;
}

// Base pointers in an array, or converted inside any braced list, are kept:
// dynamic, as a container of them is.
struct Meter {
  // CHECK-MESSAGES-DYNAMIC: :[[@LINE-1]]:8: warning: virtual coroutine interface 'Meter' needs dynamic dispatch: variable (Meter *[2] Meters) at {{.*}}.cpp:[[@LINE+9]] and 4 more uses [coro-devirtualize]
  virtual Task<int> sample() = 0;
  virtual ~Meter() = default;
};
struct Gauge : Meter {
  Task<int> sample() override { co_return 9; }
};
Task<int> sampleAll(int I) {
  Gauge A, B;
  Meter *Meters[] = {&A, &B};
  co_return co_await Meters[I]->sample();
}
struct Pair {
  Meter &First;
};
Task<int> sampleFirst() {
  Gauge B;
  Pair Both{B};
  co_return co_await Both.First.sample();
}

// A static local in a dispatch function: a template has one per class.
// CHECK-MESSAGES-STATIC: :[[@LINE+2]]:8: warning: virtual coroutine interface 'Ticker'
// CHECK-MESSAGES-STATIC: :[[@LINE+9]]:14: note: no automatic migration: 'tickCounted' has a static local 'Calls'; as a template it would have one per class it receives
struct Ticker {
  virtual Task<int> tick() = 0;
  virtual ~Ticker() = default;
};
struct FastTicker : Ticker {
  Task<int> tick() override { co_return 1; }
};
Task<int> tickCounted(Ticker &T) {
  static int Calls = 0;
  co_return ++Calls + co_await T.tick();
}

// A class-template interface: each specialization is judged, none is
// rewritten.
// CHECK-MESSAGES-STATIC: :[[@LINE+2]]:29: warning: virtual coroutine interface 'Consumer<int>' is only used with statically known types
// CHECK-MESSAGES-STATIC: :[[@LINE+1]]:29: note: no automatic migration: 'Consumer' is a class template; the migration does not rewrite class templates
template <class Msg> struct Consumer {
  virtual Task<int> consume(Msg M) = 0;
  virtual ~Consumer() = default;
};
struct IntConsumer : Consumer<int> {
  Task<int> consume(int M) override { co_return M; }
};
Task<int> consumeOne(Consumer<int> &C) { co_return co_await C.consume(1); }

// A plugin's exported factory is the evidence shown first.
struct Renderer {
  // CHECK-MESSAGES-DYNAMIC: :[[@LINE-1]]:8: warning: virtual coroutine interface 'Renderer' needs dynamic dispatch: factory ({{.*}}createRenderer) at {{.*}}.cpp:[[@LINE+8]] and 2 more uses [coro-devirtualize]
  virtual Task<int> render() = 0;
  virtual ~Renderer() = default;
};
struct GlRenderer : Renderer {
  Task<int> render() override { co_return 10; }
};
Renderer *CurrentRenderer = nullptr;
extern "C" Renderer *createRenderer() {
  static GlRenderer Instance;
  return &Instance;
}

// A third-party interface from a system header: never judged, never
// rewritten, however it is used.
struct MyPlugin : vendor::Plugin {
  test::Task<int> load() override { co_return 8; }
};
Task<int> loadPlugin(vendor::Plugin &P) { co_return co_await P.load(); }
Task<int> useAll() {
  IntConsumer Ints;
  co_await consumeOne(Ints);
  FastTicker Fast;
  co_await tickCounted(Fast);
  FileLoader Files;
  JsonParser Json;
  RetryingSender Retrying;
  co_await loadPath(Files, "a");
  co_await parseOne(Json);
  co_await sendOne(Retrying);
  Counting C;
  Helped H;
  Fetcher F;
  Pipe P;
  Drain D;
  MemoryStore M;
  MyPlugin Mine;
  Printer Pr;
  Zip Z;
  int V = co_await tick(C) + co_await useHelper(H) + co_await fetchOnce(F);
  V += co_await drain(P) + co_await saveOne(M) + co_await loadPlugin(Mine);
  V += co_await encodeFast(Z);
  co_return V;
}
