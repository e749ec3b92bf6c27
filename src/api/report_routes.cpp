// GET /api/cycles/{cycle}/report[?role=R|unit=U]: the scoring core's result
// over the submitted answers, cached until the cycle's answers change.
#include "api/context.h"
#include "core/cycle_scoring.h"
#include "report/score_document.h"

namespace cxm::api {
namespace {

core::Responses to_responses(const core::Model& model, const std::vector<store::ParticipantAnswers>& all,
                             const std::string& role, const std::string& unit) {
  core::Responses responses(model.items.size());
  std::size_t n = 0;
  for (const auto& p : all) {
    if (!p.participant.submitted_at) continue;
    if (!role.empty() && p.participant.role != role) continue;
    if (!unit.empty() && p.participant.unit != unit) continue;
    // Respondent ids are positions: participant ids never leave the server.
    const std::size_t row = responses.add(core::Respondent{"r" + std::to_string(++n), p.participant.role, p.participant.unit});
    for (const auto& a : p.answers) {
      const auto item = model.find_item(a.item_id);
      if (item && a.value) responses.set(row, *item, static_cast<std::int8_t>(*a.value));
    }
  }
  return responses;
}

std::string build_report(Context& ctx, const store::Cycle& cycle, const std::string& role, const std::string& unit) {
  const auto model = ctx.cycles.model(cycle, ctx.store);
  const core::Responses responses = to_responses(*model, ctx.store.cycle_answers(cycle.id), role, unit);
  const auto min_group = static_cast<std::size_t>(cycle.min_group_size);
  // A segment, or an anonymous cycle as a whole, with too few respondents
  // would expose individuals: say so instead of scoring it.
  const bool filtered = !role.empty() || !unit.empty();
  if ((filtered || cycle.anonymous) && responses.size() < min_group) {
    return json{{"suppressed", true},
                {"respondents", responses.size()},
                {"min_group_size", min_group},
                {"reason", "fewer than " + std::to_string(min_group) +
                               " submitted responses; hidden to protect anonymity"}}
        .dump();
  }
  if (responses.size() == 0) {
    return json{{"suppressed", false}, {"respondents", 0}, {"reason", "no submitted responses yet"}}.dump();
  }
  return report::score_document_json(*model, core::score_cycle(*model, responses, min_group), -1);
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
