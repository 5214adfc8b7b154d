#include "server.h"

namespace server {

async::Task<Response> handleGet(Storage &store, Request request) {
  // Stored, then awaited by the next statement: the frame of get() cannot be
  // placed in this coroutine's frame.
  auto lookup = store.get(request.path.substr(1));
  std::string value = co_await std::move(lookup);
  if (value.empty())
    co_return Response{404, "not found: " + request.path};
  co_return Response{200, value};
}

async::Task<Response> handlePut(Storage &store, Request request) {
  auto write = store.put(request.path.substr(1), request.body);
  bool replaced = co_await std::move(write);
  co_return Response{replaced ? 200 : 201, replaced ? "replaced" : "created"};
}

async::Task<Response> handleList(Storage &store) {
  std::vector<std::string> keys = co_await store.keys();
  std::string body;
  for (const std::string &key : keys)
    body += key + "\n";
  co_return Response{200, body};
}

async::Task<std::string> lookupCached(Storage &store, const std::string &key) {
  std::string value = co_await store.get(key);
  co_return value.empty() ? co_await store.get(key + ".fallback") : value;
}

// Starts every lookup first, then collects the results. (Not part of the
// demo's replay.) The key passed to lookupCached is a temporary that dies at
// the end of push_back's full-expression, long before the lazily started
// lookup runs and reads it.
async::Task<std::vector<std::string>> prefetch(Storage &store,
                                               const std::vector<std::string> &keys) {
  std::vector<async::Task<std::string>> pending;
  for (const std::string &key : keys)
    pending.push_back(lookupCached(store, key + ".cache"));
  std::vector<std::string> values;
  for (auto &lookup : pending)
    values.push_back(co_await std::move(lookup));
  co_return values;
}

} // namespace server
