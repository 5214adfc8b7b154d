// The server's plugins: what it is configured with. Authenticator and Encoder
// are chosen at compile time (main picks concrete classes); observers are
// installed at run time from a list, so Observer really needs virtual calls.
#pragma once
#include "server.h"
#include <memory>
#include <string>
#include <vector>

namespace server {

// Decides whether a request may proceed.
class Authenticator {
public:
  virtual ~Authenticator() = default;
  virtual async::Task<bool> allow(const Request &request) = 0;
};

// Turns a response body into its wire form.
class Encoder {
public:
  virtual ~Encoder() = default;
  virtual async::Task<std::string> encode(std::string body) = 0;
  virtual std::string name() const = 0;
};

// Watches every finished request.
class Observer {
public:
  virtual ~Observer() = default;
  virtual async::Task<bool> observe(const Request &request, const Response &response) = 0;
  virtual std::string report() const = 0;
};

// Where time comes from. Not a coroutine interface: no concern of ours.
class Clock {
public:
  virtual ~Clock() = default;
  virtual long now() = 0;
};

// Destructive requests need the token in their body.
class TokenAuth final : public Authenticator {
public:
  explicit TokenAuth(std::string token) : token_(std::move(token)) {}
  async::Task<bool> allow(const Request &request) override {
    co_return request.method != "DELETE" || request.body == token_;
  }

private:
  std::string token_;
};

class PlainEncoder : public Encoder {
public:
  async::Task<std::string> encode(std::string body) override { co_return body; }
  std::string name() const override { return "plain"; }
};

class ChecksumEncoder : public Encoder {
public:
  async::Task<std::string> encode(std::string body) override {
    unsigned sum = 0;
    for (unsigned char c : body)
      sum = sum * 31 + c;
    co_return body + " #" + std::to_string(sum % 9973);
  }
  std::string name() const override { return "checksum"; }
};

class TickClock : public Clock {
public:
  long now() override { return ++ticks_; }

private:
  long ticks_ = 0;
};

using Observers = std::vector<std::unique_ptr<Observer>>;
Observers defaultObservers(Clock &clock);

// Defined in auth.cpp.
async::Task<bool> admit(Authenticator &auth, const Request &request);

inline async::Task<Response> encodeWith(Encoder &encoder, Response response) {
  response.body = co_await encoder.encode(std::move(response.body));
  co_return response;
}

// One request through the plugins: admission, routing, encoding, observers.
inline async::Task<Response> handle(Storage &store, Authenticator &auth,
                                    Encoder &encoder, Observers &observers,
                                    Request request) {
  Response response;
  if (co_await admit(auth, request))
    response = co_await route(store, request);
  else
    response = Response{403, "forbidden"};
  response = co_await encodeWith(encoder, std::move(response));
  for (auto &observer : observers)
    co_await observer->observe(request, response);
  co_return response;
}

} // namespace server
