// GET /api/health and GET /api/openapi.json.
#include "api/context.h"

namespace cxm::api {

void add_system_routes(http::Router& router, Context& ctx) {
  router.add("GET", "/api/health", [&ctx](const http::Request&, const http::PathParams&) {
    ctx.store.schema_version();  // a round trip: the database answers
    return json_response(200, {{"status", "ok"}});
  });
  router.add("GET", "/api/openapi.json", [](const http::Request&, const http::PathParams&) {
    http::Response r;
    r.body = openapi_document();
    return r;
  });
}

}  // namespace cxm::api
