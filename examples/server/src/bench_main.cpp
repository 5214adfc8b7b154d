// Replays the request list many times and prints the cost of one request:
// nanoseconds and heap allocations (counted by a replaced operator new).
// scripts/demo runs it before and after the migration.
#include "plugins.h"
#include "requests.h"
#include <algorithm>
#include <atomic>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <new>

static std::atomic<long> allocations{0};

void *operator new(std::size_t size) {
  allocations.fetch_add(1, std::memory_order_relaxed);
  if (void *p = std::malloc(size ? size : 1))
    return p;
  throw std::bad_alloc();
}
void operator delete(void *p) noexcept { std::free(p); }
void operator delete(void *p, std::size_t) noexcept { std::free(p); }

// Coroutine frames allocated on the heap per call of `call()`, awaited from
// a coroutine 1000 times (the awaiting lambda's own frame is elided).
template <class Call> double framesPerCall(Call call) {
  auto probe = [&]() -> async::Task<double> {
    long before = async::framesAllocated;
    for (int i = 0; i < 1000; ++i)
      co_await call();
    co_return double(async::framesAllocated - before) / 1000;
  };
  return probe().syncWait();
}

int main(int argc, char **argv) {
  const long rounds = argc > 1 ? std::atol(argv[1]) : 20000;
  server::Storage store;
  server::TokenAuth auth("s3cret");
  server::ChecksumEncoder checksum;
  server::TickClock clock;
  server::Observers observers = server::defaultObservers(clock);
  const auto &requests = replayedRequests();
  long sink = 0;
  auto runRounds = [&](long count) {
    for (long round = 0; round < count; ++round)
      for (const server::Request &request : requests)
        sink += server::handle(store, auth, checksum, observers, request).syncWait().status;
  };
  runRounds(100); // Warm up: the store reaches its steady size.
  std::vector<double> nanos;
  long allocationsBefore = allocations.load();
  for (int repetition = 0; repetition < 5; ++repetition) {
    auto start = std::chrono::steady_clock::now();
    runRounds(rounds / 5);
    std::chrono::duration<double, std::nano> took = std::chrono::steady_clock::now() - start;
    nanos.push_back(took.count() / double(rounds / 5 * requests.size()));
  }
  double perRequest = double(allocations.load() - allocationsBefore) /
                      double(rounds / 5 * 5 * requests.size());
  std::sort(nanos.begin(), nanos.end());
  std::printf("ns_per_request %.1f\nallocs_per_request %.2f\nchecksum %ld\n",
              nanos[nanos.size() / 2], perRequest, sink);
  // Frames per request, and per call through each plugin interface: the
  // dispatch function that calls it and the call itself.
  long framesBefore = async::framesAllocated;
  runRounds(10);
  std::printf("frames_per_request %.2f\n",
              double(async::framesAllocated - framesBefore) / double(10 * requests.size()));
  const server::Request &put = requests.front();
  std::printf("frames_per_call Authenticator %.2f\n", framesPerCall([&]() -> async::Task<bool> {
                co_return co_await server::admit(auth, put);
              }));
  std::printf("frames_per_call Encoder %.2f\n", framesPerCall([&]() -> async::Task<int> {
                server::Response response =
                    co_await server::encodeWith(checksum, server::Response{200, "ok"});
                co_return response.status;
              }));
  std::printf("frames_per_call Observer %.2f\n", framesPerCall([&]() -> async::Task<bool> {
                co_return co_await observers.front()->observe(put, server::Response{});
              }));
}
