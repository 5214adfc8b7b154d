#pragma once
#include "async/task.h"
#include <map>
#include <string>
#include <vector>

namespace server {

struct Request {
  std::string method;
  std::string path;
  std::string body;
};

struct Response {
  int status = 200;
  std::string body;
};

// A key-value store whose operations are coroutines (imagine disk or network).
class Storage {
public:
  async::Task<std::string> get(std::string key);
  async::Task<bool> put(std::string key, std::string value);
  async::Task<std::vector<std::string>> keys();

private:
  std::map<std::string, std::string> data_;
};

async::Task<Response> handleGet(Storage &store, Request request);
async::Task<Response> handlePut(Storage &store, Request request);
async::Task<Response> handleList(Storage &store);
async::Task<std::string> lookupCached(Storage &store, const std::string &key);
async::Task<std::vector<std::string>> prefetch(Storage &store,
                                               const std::vector<std::string> &keys);
async::Task<Response> dispatch(Storage &store, Request request);
async::Task<Response> route(Storage &store, Request request);
long servedSoFar();
async::Task<std::string> auditLine(const Request &request, int status);

} // namespace server
