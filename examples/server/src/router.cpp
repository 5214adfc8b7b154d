#include "server.h"

namespace server {

async::Task<std::string> auditLine(const Request &request, int status) {
  co_return request.method + " " + request.path + " -> " + std::to_string(status);
}

async::Task<Response> route(Storage &store, Request request) {
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

} // namespace server
