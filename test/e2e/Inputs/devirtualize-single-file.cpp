// Handlers behind a coroutine interface, only ever used with known types.
#include "async/task.h"
#include <iostream>
#include <string>

// Handles one request.
struct Handler {
  virtual async::Task<long> handle(int n) = 0;
  virtual async::Task<long> name(const std::string &prefix) = 0;
  virtual ~Handler() = default;
};

struct Doubler : Handler {
  async::Task<long> handle(int n) override { co_return 2L * n; }
  async::Task<long> name(const std::string &prefix) override {
    co_return static_cast<long>(prefix.size());
  }
};

struct Greeter final : Handler {
  long greeted = 0;
  async::Task<long> handle(int n) override { co_return ++greeted + n; }
  async::Task<long> name(const std::string &prefix) override {
    co_return static_cast<long>(prefix.size()) + greeted;
  }
};

async::Task<long> serve(Handler &h, int n) {
  long total = 0;
  for (int i = 0; i < n; ++i)
    total += co_await h.handle(i);
  co_return total + co_await h.name("requests");
}

int main() {
  Doubler d;
  Greeter g;
  std::cout << serve(d, 10).syncWait() << "\n";
  std::cout << serve(g, 5).syncWait() << "\n";
}
