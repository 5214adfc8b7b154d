// Without an index: only interfaces whose every use this file shows.
// RUN: %check_coro_tidy --check-suffixes=LOCAL %s coro-devirtualize %t \
// RUN:   --config="{CheckOptions: {coro-devirtualize.IndexFile: '-'}}"
// RUN: %check_coro_tidy --check-suffixes=LOCAL,DYNAMIC %s coro-devirtualize %t.dyn \
// RUN:   --config="{CheckOptions: {coro-devirtualize.IndexFile: '-', coro-devirtualize.ReportDynamicUses: true}}"

#include "interfaces.h"
#include "task.h"
#include <memory>
// The include goes into the file's own block of system headers, in order.
// CHECK-FIXES-LOCAL: {{^}}#include "task.h"{{$}}
// CHECK-FIXES-LOCAL-NEXT: {{^}}#include <concepts>{{$}}
// CHECK-FIXES-LOCAL-NEXT: {{^}}#include <memory>{{$}}
#include <vector>

using test::Task;

struct AssetLoader {
  // CHECK-MESSAGES-LOCAL: :[[@LINE-1]]:8: warning: virtual coroutine interface 'AssetLoader' is only used with statically known types; each call allocates a coroutine frame [coro-devirtualize]
  virtual Task<long> load(long Id) = 0;
  virtual ~AssetLoader() = default;
};
// CHECK-FIXES-LOCAL:      {{^}}template <class T>{{$}}
// CHECK-FIXES-LOCAL-NEXT: {{^}}concept AssetLoader = requires(T &self, long Id) {{{$}}
// CHECK-FIXES-LOCAL-NEXT: {{^}}  { self.load(Id) } -> std::same_as<Task<long>>;{{$}}
// CHECK-FIXES-LOCAL-NEXT: {{^}}};{{$}}
struct DiskLoader : AssetLoader {
  // CHECK-MESSAGES-LOCAL: :[[@LINE-1]]:8: note: implemented by 'DiskLoader'
  Task<long> load(long Id) override { co_return Id; }
};
// CHECK-FIXES-LOCAL: {{^}}struct DiskLoader {{{$}}
// CHECK-FIXES-LOCAL: {{^}}  Task<long> load(long Id) { co_return Id; }{{$}}
Task<long> preload(AssetLoader &Loader, long Id);
Task<long> preload(AssetLoader &Loader, long Id) {
  // CHECK-MESSAGES-LOCAL: :[[@LINE-1]]:12: note: 'preload' dispatches through it with 1 concrete type
  co_return co_await Loader.load(Id);
}
// CHECK-FIXES-LOCAL: {{^}}Task<long> preload(AssetLoader auto &Loader, long Id);{{$}}
// CHECK-FIXES-LOCAL: {{^}}Task<long> preload(AssetLoader auto &Loader, long Id) {{{$}}

// Data in the interface: reported, but no concept can replace it.
struct Counter {
  // CHECK-MESSAGES-LOCAL: :[[@LINE-1]]:8: warning: virtual coroutine interface 'Counter' is only used with statically known types
  int Count = 0;
  virtual Task<int> next() = 0;
  virtual ~Counter() = default;
};
// CHECK-FIXES-LOCAL: {{^}}struct Counter {{{$}}
struct SimpleCounter : Counter {
  Task<int> next() override { co_return ++Count; }
};
Task<int> tick(Counter &C) { co_return co_await C.next(); }

struct Handler {
  // CHECK-MESSAGES-DYNAMIC: :[[@LINE-1]]:8: warning: virtual coroutine interface 'Handler' needs dynamic dispatch: container (std::vector<std::unique_ptr<Handler> > Handlers) at {{.*}}.cpp:[[@LINE+8]] and 1 more use [coro-devirtualize]
  virtual Task<void> handle(int) = 0;
  virtual ~Handler() = default;
};
struct EchoHandler : Handler {
  Task<void> handle(int) override { co_return; }
};
// The handlers live behind base pointers: dynamic by construction.
std::vector<std::unique_ptr<Handler>> Handlers;
std::unique_ptr<Handler> Owned;

struct Plugin {
  // CHECK-MESSAGES-DYNAMIC: :[[@LINE-1]]:8: warning: virtual coroutine interface 'Plugin' needs dynamic dispatch: dynamic-cast
  virtual Task<int> start() = 0;
  virtual ~Plugin() = default;
};
struct AudioPlugin : Plugin {
  Task<int> start() override { co_return 1; }
};
bool isAudio(Plugin &P) { return dynamic_cast<AudioPlugin *>(&P) != nullptr; }

// Not a coroutine interface.
struct Shape {
  virtual double area() const = 0;
  virtual ~Shape() = default;
};
struct Square : Shape {
  double area() const override { return 1; }
};

// No implementation: nothing to migrate to.
struct Unimplemented {
  virtual Task<int> run() = 0;
  virtual ~Unimplemented() = default;
};

// Declared in a header: other files may use it dynamically.
struct FileLoader : HeaderLoader {
  Task<int> get() override { co_return 2; }
};

Task<long> useThem() {
  DiskLoader Disk;
  long V = co_await preload(Disk, 1);
  SimpleCounter Counts;
  V += co_await tick(Counts);
  Square S;
  co_return V + static_cast<long>(S.area());
}
