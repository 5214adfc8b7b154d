#include "plugins.h"

namespace server {

async::Task<bool> admit(Authenticator &auth, const Request &request) {
  bool allowed = co_await auth.allow(request);
  co_return allowed && !request.path.empty();
}

} // namespace server
