// Replays a fixed list of requests and prints each response: the example's
// own test (tests/replay.expected) is that this output stays the same after
// corotidy's fixes.
#include "plugins.h"
#include "requests.h"
#include <iostream>

int main() {
  server::Storage store;
  server::TokenAuth auth("s3cret");
  server::PlainEncoder plain;
  server::ChecksumEncoder checksum;
  server::TickClock clock;
  server::Observers observers = server::defaultObservers(clock);
  for (const server::Request &request : replayedRequests()) {
    // Listings go out as they are; everything else carries a checksum.
    server::Response response =
        request.path == "/"
            ? server::handle(store, auth, plain, observers, request).syncWait()
            : server::handle(store, auth, checksum, observers, request).syncWait();
    std::cout << response.status << " " << response.body << "\n";
  }
  for (const auto &observer : observers)
    std::cout << observer->report() << "\n";
  std::cout << "served " << server::servedSoFar() << " requests\n";
}
