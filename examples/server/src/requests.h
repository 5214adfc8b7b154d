// The fixed list of requests both the replay test and the benchmark send.
#pragma once
#include "server.h"
#include <vector>

inline const std::vector<server::Request> &replayedRequests() {
  static const std::vector<server::Request> requests = {
      {"PUT", "/alpha", "1"},       {"PUT", "/beta", "2"},
      {"GET", "/alpha", ""},        {"PUT", "/alpha", "3"},
      {"GET", "/alpha", ""},        {"GET", "/gamma", ""},
      {"GET", "/", ""},             {"POST", "/beta", ""},
      {"DELETE", "/beta", "guess"}, {"DELETE", "/beta", "s3cret"},
  };
  return requests;
}
