// GET /api/health and GET /api/openapi.json.
#include "api/access.h"
#include "api/context.h"
#include "api/request_fields.h"

namespace cxm::api {

namespace {

// 200 while the database answers a read and commits a write; 503 with
// the reason otherwise (for load balancers and monitoring).
http::Response health(Context& ctx, const http::Request&, const http::PathParams&) {
  if (const auto problem = ctx.health.check(ctx.store, ctx.now())) {
    return http::error_response(503, "unhealthy", *problem);
  }
  return json_response(200, {{"status", "ok"}});
}

http::Response openapi(Context&, const http::Request&, const http::PathParams&) {
  http::Response r;
  r.body = openapi_document();
  return r;
}

}  // namespace

void add_system_routes(http::Router& router, Context& ctx) {
  router.on_worker("GET", "/api/health", bind(ctx, health));
  router.on_io_thread("GET", "/api/openapi.json", bind(ctx, openapi));
}

}  // namespace cxm::api
