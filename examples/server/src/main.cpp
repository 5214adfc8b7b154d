// Replays a fixed list of requests and prints each response: the example's
// own test is that this output stays the same after corotidy's fixes.
#include "server.h"
#include <iostream>

int main() {
  server::Storage store;
  const std::vector<server::Request> requests = {
      {"PUT", "/alpha", "1"}, {"PUT", "/beta", "2"}, {"GET", "/alpha", ""},
      {"PUT", "/alpha", "3"}, {"GET", "/alpha", ""}, {"GET", "/gamma", ""},
      {"GET", "/", ""},       {"POST", "/beta", ""},
  };
  for (const server::Request &request : requests) {
    server::Response response = server::route(store, request).syncWait();
    std::cout << response.status << " " << response.body << "\n";
  }
  std::cout << "served " << server::servedSoFar() << " requests\n";
}
