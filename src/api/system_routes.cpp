// GET /api/health and GET /api/openapi.json.
#include "api/context.h"

namespace cxm::api {

namespace {

// Until the web application is built (issue 5), the root page says what
// this server offers instead of answering 404.
constexpr const char* kHomePage = R"(<!doctype html>
<html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<title>cxm</title>
<style>body{font:16px/1.5 system-ui,sans-serif;max-width:40rem;margin:3rem auto;padding:0 1rem;color:#1f2933}
code{background:#f0f4f8;padding:.1rem .3rem;border-radius:.2rem}</style></head>
<body><h1>cxm is running</h1>
<p>This server hosts the cxm JSON API for customer-experience maturity assessments.
The browser application is not part of this version yet.</p>
<ul><li>API description: <a href="/api/openapi.json">/api/openapi.json</a></li>
<li>Health: <a href="/api/health">/api/health</a></li>
<li>First step: create the administrator with <code>POST /api/setup</code>.</li></ul>
</body></html>
)";

}  // namespace

void add_system_routes(http::Router& router, Context& ctx) {
  router.add("GET", "/", [](const http::Request&, const http::PathParams&) {
    http::Response r;
    r.content_type = "text/html; charset=utf-8";
    r.body = kHomePage;
    return r;
  });
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
