#include "server.h"
#include <mutex>

namespace server {

namespace {
std::mutex statsMutex;
long requestsServed = 0;
} // namespace

long servedSoFar() {
  std::lock_guard lock(statsMutex);
  return requestsServed;
}

async::Task<std::string> auditLine(const Request &request, int status) {
  co_return request.method + " " + request.path + " -> " + std::to_string(status);
}

async::Task<Response> dispatch(Storage &store, Request request) {
  Response response;
  if (request.method == "GET" && request.path == "/")
    response = co_await handleList(store);
  else if (request.method == "GET")
    response = co_await handleGet(store, request);
  else if (request.method == "PUT")
    response = co_await handlePut(store, request);
  else
    response = Response{405, "method not allowed"};

  auto audit = auditLine(request, response.status);
  std::string line = co_await std::move(audit);
  response.body += "\n[" + line + "]";
  co_return response;
}

async::Task<Response> route(Storage &store, Request request) {
  // The lock is still held while the request is dispatched: on a thread pool
  // the coroutine may resume elsewhere and unlock from the wrong thread.
  std::lock_guard stats(statsMutex);
  ++requestsServed;
  Response response = co_await dispatch(store, std::move(request));
  co_return response;
}

} // namespace server
