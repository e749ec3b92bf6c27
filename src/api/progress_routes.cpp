// GET /api/orgs/{org}/progress: an organization's cycles over time, each
// with its published results (an anonymous cycle's released ones only, as
// its report shows them: docs/anonymity.md), the change since the previous
// comparable cycle (SPEC section 3), action completion, and when the next
// cycle is due.
#include <set>

#include "api/access.h"
#include "api/context.h"
#include "api/request_fields.h"
#include "core/calendar.h"
#include "results/customer_metrics.h"
#include "results/cycle_progress.h"
#include "results/cycle_report.h"
#include "results/outside_in.h"

namespace cxm::api {
namespace {

using results::CycleProgress;

json action_summary(Context& ctx, const std::string& org_id) {
  std::size_t counts[4] = {0, 0, 0, 0};
  for (const auto& a : ctx.store.actions_of(org_id)) ++counts[static_cast<int>(a.status)];
  const std::size_t kept =
      counts[0] + counts[1] + counts[2];  // dropped ones are not counted against
  return {
      {"planned", counts[0]},
      {"in_progress", counts[1]},
      {"done", counts[2]},
      {"dropped", counts[3]},
      {"completion_rate",
       kept ? json(static_cast<double>(counts[2]) / static_cast<double>(kept)) : json(nullptr)}};
}

http::Response get_progress(Context& ctx, const http::Request& request,
                            const http::PathParams& params) {
  CXM_TRY(caller, require_user(ctx, request));
  CXM_TRY(org, require_org(ctx, *caller, params.at("org"), OrgRole::viewer));
  json cycles = json::array();
  const store::OrgAims aims = ctx.store.org_aims(org->id);
  const std::set<std::string> out_of_scope = results::out_of_scope_ids(aims);
  // A full cycle is compared with the last full cycle before it; a pulse
  // with the last cycle with results before it, full or pulse.
  std::optional<CycleProgress> previous_full, previous_any;
  std::optional<std::int64_t> last_closed;
  // Outside-in: each full cycle's published overall score, of everyone and
  // of each unit its report shows, beside the customers' figures.
  std::vector<results::MaturityPoint> maturity;
  for (const auto& cycle : ctx.store.cycles_of(org->id)) {
    if (cycle.status == store::CycleStatus::draft) continue;
    if (cycle.closed_at && (!last_closed || *cycle.closed_at > *last_closed))
      last_closed = cycle.closed_at;
    CycleProgress p = results::cycle_progress(ctx.results, cycle, out_of_scope);
    if (p.scored) {
      const std::optional<CycleProgress>& previous = p.full ? previous_full : previous_any;
      if (previous) {
        p.entry["change"] = results::change_between(*previous, p);
        p.entry["compared_with"] = previous->entry["id"];
      }
      if (p.full) previous_full = p;
      previous_any = p;
      if (p.full && p.entry["overall_score"].is_number()) {
        const core::CycleDays days = results::cycle_days(cycle, ctx.now());
        maturity.push_back(
            {cycle.id, cycle.name, days, "", p.entry["overall_score"].get<double>()});
        for (const auto& [unit, score] : p.shown_unit_scores)
          maturity.push_back({cycle.id, cycle.name, days, unit, score});
      }
    }
    cycles.push_back(std::move(p.entry));
  }
  json targets = json::array();
  for (const auto& t : aims.targets)
    targets.push_back({{"competency", t.competency_id}, {"target_stage", t.target_stage}});
  json doc = {{"cycles", cycles},
              {"targets", targets},
              {"actions", action_summary(ctx, org->id)},
              // The organization's setting (6 unless changed).
              {"months_between_cycles", org->review_interval_months},
              {"last_closed_at", last_closed ? json(*last_closed) : json(nullptr)},
              {"next_due", nullptr},
              {"overdue", false}};
  const store::CustomerMetrics metrics = ctx.store.customer_metrics_of(org->id);
  doc["customer_metrics"] = results::customer_metrics_json(metrics);
  doc["outside_in"] = results::progress_outside_in(metrics, maturity);
  if (last_closed) {
    const core::CycleDue due =
        core::next_cycle_due(*last_closed, org->review_interval_months, ctx.now());
    doc["next_due"] = due.next_due;
    doc["overdue"] = due.overdue;
  }
  return json_response(200, doc);
}

}  // namespace

void add_progress_routes(http::Router& router, Context& ctx) {
  router.on_worker("GET", "/api/orgs/{org}/progress", bind(ctx, get_progress));
}

}  // namespace cxm::api
