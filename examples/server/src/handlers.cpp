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

} // namespace server
