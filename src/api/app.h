// The JSON API of `cxm serve` (SPEC section 5): routes every /api request
// to the resource handlers in this folder.
#pragma once

#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "http/message.h"

namespace cxm::store {
class Store;
}
namespace cxm::http {
class StaticSite;
}

namespace cxm::api {

struct AppOptions {
  bool secure_cookies = false;  // set the Secure flag (behind TLS)
  // The browser application, served for every GET outside /api; must
  // outlive the App. Without it only the API is served.
  const http::StaticSite* site = nullptr;
};

class App {
 public:
  // `clock` returns Unix milliseconds; `store` must outlive the App.
  App(store::Store& store, AppOptions options, std::function<std::int64_t()> clock);
  ~App();

  // Thread-safe; never throws.
  http::Response handle(http::Request& request);

  // Where a deferred request's response goes: called once, on any thread,
  // with a function that makes the response on the connection's own thread
  // (so that the caller, e.g. the database writer, is not kept busy).
  using Respond = std::function<void(std::function<http::Response()>)>;
  // A request that goes on without a thread; call it once with its Respond.
  using Deferred = std::function<void(Respond)>;

  // For a request that, once checked from memory, only waits for the
  // database writer (saving a participant's answers): a Deferred. Otherwise
  // nullptr, and the request goes to handle(). Never blocks; never throws.
  Deferred begin_async(http::Request& request);

  // The answer to a GET that can be given from memory alone (the web
  // application's files, a cached report for a known session), or nullopt
  // when the request needs the database. Never blocks; never throws.
  std::optional<http::Response> handle_from_memory(http::Request& request);

  // Every (method, path pattern) served, for the OpenAPI completeness test.
  std::vector<std::pair<std::string, std::string>> routes() const;

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

// The OpenAPI 3 document describing every route.
std::string openapi_document();

}  // namespace cxm::api
