#include "plugins.h"
#include <map>

namespace server {

namespace {

// Counts responses by status.
class StatusCounter : public Observer {
public:
  async::Task<bool> observe(const Request &, const Response &response) override {
    ++counts_[response.status];
    co_return true;
  }
  std::string report() const override {
    std::string text = "statuses:";
    for (const auto &[status, count] : counts_)
      text += " " + std::to_string(status) + "x" + std::to_string(count);
    return text;
  }

private:
  std::map<int, long> counts_;
};

// Remembers the last request that was refused, and when.
class RefusalLog : public Observer {
public:
  explicit RefusalLog(Clock &clock) : clock_(clock) {}
  async::Task<bool> observe(const Request &request, const Response &response) override {
    long at = clock_.now();
    if (response.status >= 400)
      last_ = request.method + " " + request.path + " at tick " + std::to_string(at);
    co_return true;
  }
  std::string report() const override { return "last refusal: " + last_; }

private:
  Clock &clock_;
  std::string last_ = "none";
};

} // namespace

Observers defaultObservers(Clock &clock) {
  Observers observers;
  observers.push_back(std::make_unique<StatusCounter>());
  observers.push_back(std::make_unique<RefusalLog>(clock));
  return observers;
}

} // namespace server
