#include "shared.h"
#include <mutex>

namespace report {
struct MyGuard {
  explicit MyGuard(std::mutex &);
  ~MyGuard();
};
std::mutex Mutex;

test::Task<int> fromFirst() {
  auto pending = fetch(std::string("/first"));
  co_return co_await std::move(pending);
}

test::Task<int> guarded() {
  MyGuard guard(Mutex);
  co_return co_await fetch("/guarded");
}
} // namespace report
