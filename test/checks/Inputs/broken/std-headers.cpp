// The standard coroutine and ranges headers, with a few real coroutines.
#include <coroutine>
#include <ranges>
#include <vector>
#include <string>
#include <map>
#include <functional>
#include "task.h"

test::Task<int> child(const std::string &);
test::Task<int> user(std::vector<int> v) {
  int sum = 0;
  for (int x : v | std::views::filter([](int i) { return i > 0; }))
    sum += x + co_await child(std::to_string(x));
  co_return sum;
}
