#include "server.h"

namespace server {

async::Task<std::string> Storage::get(std::string key) {
  auto found = data_.find(key);
  co_return found == data_.end() ? std::string() : found->second;
}

async::Task<bool> Storage::put(std::string key, std::string value) {
  bool existed = data_.count(key) != 0;
  data_[std::move(key)] = std::move(value);
  co_return existed;
}

async::Task<std::vector<std::string>> Storage::keys() {
  std::vector<std::string> all;
  for (const auto &[key, value] : data_)
    all.push_back(key);
  co_return all;
}

} // namespace server
