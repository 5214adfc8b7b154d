// Included by both translation units: its warning is counted once.
#pragma once
#include "task.h"
#include <string>

namespace report {
test::Task<int> fetch(const std::string &url);

inline test::Task<int> fromHeader() {
  auto pending = fetch(std::string("/header"));
  co_return co_await std::move(pending);
}
} // namespace report
