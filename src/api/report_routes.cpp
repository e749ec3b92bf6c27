// GET /api/cycles/{cycle}/report[?role=R|unit=U]: the scoring core's result
// over the submitted answers, cached until the cycle's answers change.
#include "api/context.h"
#include "api/published_result.h"
#include "report/score_document.h"

namespace cxm::api {
namespace {

std::string build_report(Context& ctx, const store::Cycle& cycle, const std::string& role, const std::string& unit) {
  const auto model = ctx.cycles.model(cycle, ctx.store);
  const PublishedResult published = published_result(cycle, *model, ctx.store.cycle_answers(cycle.id), role, unit);
  if (!published.result) return published.withheld.dump();
  json doc = json::parse(report::score_document_json(*model, *published.result, -1));
  if (cycle.anonymous) {
    hide_small_counts(doc, static_cast<std::size_t>(cycle.min_group_size));
    doc["anonymity"] = published.anonymity;
  }
  return doc.dump();
}

// The report's filter key ("", "role:R" or "unit:U"); 422 for both.
std::string report_filter(const http::Request& request) {
  const std::string role = request.query_value("role").value_or("");
  const std::string unit = request.query_value("unit").value_or("");
  if (!role.empty() && !unit.empty()) fail(422, "invalid", "filter by role or by unit, not both");
  return role.empty() ? (unit.empty() ? "" : "unit:" + unit) : "role:" + role;
}

http::Response shared_json(std::shared_ptr<const std::string> body) {
  http::Response response;
  response.shared_body = std::move(body);
  return response;
}

// GET /api/cycles/{cycle}/report: from memory on the I/O thread when the
// caller, the cycle and the report are cached; what is missing is looked up
// (and the report computed) on a worker.
http::Handling get_report(Context& ctx, http::Exchange& ex) {
  const http::Request& request = ex.request;
  const std::string& cycle_id = ex.params.at("cycle");
  const std::string filter = report_filter(request);
  auto caller = cached_user(ctx, request);
  if (!caller) {
    co_await ex.to_worker();
    caller = require_user(ctx, request);
  }
  auto cycle = cached_cycle(ctx, *caller, cycle_id, OrgRole::viewer);
  if (!cycle) {
    co_await ex.to_worker();
    cycle = require_cycle(ctx, *caller, cycle_id, OrgRole::viewer);
  }
  if (auto cached = ctx.cycles.report(*cycle, filter)) co_return shared_json(std::move(cached));
  co_await ex.to_worker();
  // Answers submitted after `cycle` was read make this report newer than
  // its version says; the next read then recomputes, never the reverse.
  const std::string role = request.query_value("role").value_or("");
  const std::string unit = request.query_value("unit").value_or("");
  co_return shared_json(ctx.cycles.put_report(*cycle, filter, build_report(ctx, *cycle, role, unit)));
}

}  // namespace

void add_report_routes(http::Router& router, Context& ctx) {
  router.deferred("GET", "/api/cycles/{cycle}/report", bind(ctx, get_report));
}

}  // namespace cxm::api
