// GET /api/orgs/{org}/progress: an organization's cycles over time, each
// with its published results (an anonymous cycle's released ones only, as
// its report shows them: docs/anonymity.md), the change since the previous
// comparable cycle (SPEC section 3), action completion, and when the next
// cycle is due.
#include <algorithm>
#include <iterator>
#include <numeric>
#include <set>

#include "api/context.h"
#include "core/calendar.h"
#include "core/comparison.h"
#include "core/progress.h"
#include "core/scope.h"
#include "core/scoring.h"
#include "report/progress_document.h"

namespace cxm::api {


namespace {

// What the cycle's report publishes: every submission, or for an anonymous
// cycle those its releases published.
std::vector<store::ParticipantAnswers> published(const store::Cycle& cycle, std::vector<store::ParticipantAnswers> all) {
  std::erase_if(all, [&](const store::ParticipantAnswers& p) {
    if (!p.participant.submitted_at) return true;
    if (!cycle.anonymous) return false;
    return !p.participant.released_in || *p.participant.released_in > cycle.releases;
  });
  return all;
}

struct CycleProgress {
  json entry;
  std::shared_ptr<const core::Model> model;  // the cycle's model, statements out of scope taken out
  std::vector<store::ParticipantAnswers> answers;  // published ones
  core::CycleStanding standing;
  bool scored = false;  // has published results
  bool full = false;    // a full cycle (claims a stage)
};

// The cycle's stage as its report publishes it (the organization's roll-up
// rule applied), none for a pulse or a report that shows none.
std::optional<int> published_stage(Context& ctx, const store::Cycle& cycle) {
  const json doc = json::parse(*cycle_report(ctx, cycle));
  if (!doc.contains("stage") || !doc["stage"].is_object()) return std::nullopt;
  return doc["stage"]["number"].get<int>();
}

CycleProgress cycle_progress(Context& ctx, const store::Cycle& cycle, const std::set<std::string>& out_of_scope) {
  CycleProgress out;
  out.model = std::make_shared<const core::Model>(core::in_scope(*ctx.cycles.model(cycle, ctx.store), out_of_scope));
  const core::Model& model = *out.model;
  out.answers = published(cycle, ctx.store.cycle_answers(cycle.id));
  const auto& answers = out.answers;
  std::size_t invited = 0;
  for (const auto& p : ctx.store.participants_of(cycle.id)) invited += p.revoked ? 0 : 1;
  json& e = out.entry;
  e = {{"id", cycle.id},
       {"name", cycle.name},
       {"status", to_text(cycle.status)},
       {"pulse", model.form == core::Form::pulse},
       {"anonymous", cycle.anonymous},
       {"created_at", cycle.created_at},
       {"closed_at", cycle.closed_at ? json(*cycle.closed_at) : json(nullptr)},
       {"model", {{"id", model.id}, {"version", model.version}, {"stages", model.stage_count()}}},
       {"respondents", answers.size()},
       {"invited", invited},
       {"response_rate", invited ? json(static_cast<double>(answers.size()) / static_cast<double>(invited)) : json(nullptr)},
       {"overall_score", nullptr},
       {"stage", nullptr},
       {"stage_name", nullptr},
       {"agreement", nullptr},
       {"competencies", json::array()},
       {"change", nullptr},
       {"compared_with", nullptr}};
  if (answers.empty()) {
    e["note"] = cycle.anonymous && cycle.releases == 0
                    ? "results of an anonymous cycle appear once it is closed with at least " +
                          std::to_string(cycle.min_group_size) + " submitted responses"
                    : "no submitted responses";
    return out;
  }
  const core::Responses responses = to_responses(model, answers, "", "");
  std::vector<std::size_t> rows(responses.size());
  std::iota(rows.begin(), rows.end(), std::size_t{0});
  const core::GroupResult group = core::score_group(model, responses, rows);
  out.full = model.form == core::Form::full;
  out.scored = true;
  const std::optional<int> stage = out.full ? published_stage(ctx, cycle) : std::nullopt;
  out.standing = {out.model.get(), core::summarize(core::respondent_scores(model, responses, rows)), stage};
  e["overall_score"] = group.overall_score ? json(*group.overall_score) : json(nullptr);
  if (stage) {
    e["stage"] = *stage;
    e["stage_name"] = model.stage(*stage).name;
  }
  double agreement = 0;
  std::size_t agreeing = 0;
  for (const auto& c : group.competencies) {
    if (c.rwg_j.value) agreement += *c.rwg_j.value, ++agreeing;
    e["competencies"].push_back({{"id", model.competencies[c.competency].id},
                                 {"name", model.competencies[c.competency].name},
                                 {"score", c.score ? json(*c.score) : json(nullptr)},
                                 {"stage", out.full ? json(c.stage.stage) : json(nullptr)},
                                 {"rwg_j", c.rwg_j.value ? json(*c.rwg_j.value) : json(nullptr)}});
  }
  if (agreeing) e["agreement"] = agreement / static_cast<double>(agreeing);
  if (!out.full) {
    e["note"] = "a pulse check: its scores cover the pulse statements only; it is compared with the cycle before it "
                "on the statements both asked";
  }
  return out;
}

std::set<std::string> statement_ids(const core::Model& model) {
  std::set<std::string> ids;
  for (const auto& i : model.items) ids.insert(i.id);
  return ids;
}

// The change from `before` to `after`. When the two asked different
// statements (another model version, a pulse beside a full cycle, another
// scope), both are scored again on the statements they share, so that a
// score compares like with like; `basis` says so.
json change_between(const CycleProgress& before, const CycleProgress& after) {
  const std::set<std::string> a = statement_ids(*before.model), b = statement_ids(*after.model);
  std::set<std::string> only_before, only_after;
  std::set_difference(a.begin(), a.end(), b.begin(), b.end(), std::inserter(only_before, only_before.end()));
  std::set_difference(b.begin(), b.end(), a.begin(), a.end(), std::inserter(only_after, only_after.end()));
  const std::size_t shared = a.size() - only_before.size();
  json basis = {{"statements_before", a.size()}, {"statements_after", b.size()}, {"shared_statements", shared},
                {"note", nullptr}};
  core::Progress change;
  if (only_before.empty() && only_after.empty()) {
    change = core::progress_between(before.standing, after.standing);
  } else {
    // Scored on the shared statements alone (what neither asked is out).
    const core::Model earlier = core::in_scope(*before.model, only_before);
    const core::Model later = core::in_scope(*after.model, only_after);
    auto standing_on = [](const core::Model& model, const CycleProgress& p) {
      const core::Responses responses = to_responses(model, p.answers, "", "");
      std::vector<std::size_t> rows(responses.size());
      std::iota(rows.begin(), rows.end(), std::size_t{0});
      return core::CycleStanding{&model, core::summarize(core::respondent_scores(model, responses, rows)),
                                 p.standing.stage};
    };
    change = core::progress_between(standing_on(earlier, before), standing_on(later, after));
    basis["note"] = "The two cycles asked different statements (" + std::to_string(a.size()) + " and " +
                    std::to_string(b.size()) + "): the change is measured on the " + std::to_string(shared) +
                    " statements both asked, and on the competencies they share.";
  }
  json j = report::progress_json(*after.model, change);
  // A stage is compared only between two full cycles.
  if (!before.full || !after.full) j["stage"] = {{"before", nullptr}, {"after", nullptr}};
  j["basis"] = basis;
  return j;
}

json action_summary(Context& ctx, const std::string& org_id) {
  std::size_t counts[4] = {0, 0, 0, 0};
  for (const auto& a : ctx.store.actions_of(org_id)) ++counts[static_cast<int>(a.status)];
  const std::size_t kept = counts[0] + counts[1] + counts[2];  // dropped ones are not counted against
  return {{"planned", counts[0]},
          {"in_progress", counts[1]},
          {"done", counts[2]},
          {"dropped", counts[3]},
          {"completion_rate", kept ? json(static_cast<double>(counts[2]) / static_cast<double>(kept)) : json(nullptr)}};
}

http::Response get_progress(Context& ctx, const http::Request& request, const http::PathParams& params) {
  const auto caller = require_user(ctx, request);
  const auto org = require_org(ctx, *caller, params.at("org"), OrgRole::viewer);
  json cycles = json::array();
  const store::OrgAims aims = ctx.store.org_aims(org->id);
  const std::set<std::string> out_of_scope = out_of_scope_ids(aims);
  // A full cycle is compared with the last full cycle before it; a pulse
  // with the last cycle with results before it, full or pulse.
  std::optional<CycleProgress> previous_full, previous_any;
  std::optional<std::int64_t> last_closed;
  for (const auto& cycle : ctx.store.cycles_of(org->id)) {
    if (cycle.status == store::CycleStatus::draft) continue;
    if (cycle.closed_at && (!last_closed || *cycle.closed_at > *last_closed)) last_closed = cycle.closed_at;
    CycleProgress p = cycle_progress(ctx, cycle, out_of_scope);
    if (p.scored) {
      const std::optional<CycleProgress>& previous = p.full ? previous_full : previous_any;
      if (previous) {
        p.entry["change"] = change_between(*previous, p);
        p.entry["compared_with"] = previous->entry["id"];
      }
      if (p.full) previous_full = p;
      previous_any = p;
    }
    cycles.push_back(std::move(p.entry));
  }
  json targets = json::array();
  for (const auto& t : aims.targets) targets.push_back({{"competency", t.competency_id}, {"target_stage", t.target_stage}});
  json doc = {{"cycles", cycles},
              {"targets", targets},
              {"actions", action_summary(ctx, org->id)},
              // The organization's setting (6 unless changed).
              {"months_between_cycles", org->review_interval_months},
              {"last_closed_at", last_closed ? json(*last_closed) : json(nullptr)},
              {"next_due", nullptr},
              {"overdue", false}};
  if (last_closed) {
    const core::CycleDue due = core::next_cycle_due(*last_closed, org->review_interval_months, ctx.now());
    doc["next_due"] = due.next_due;
    doc["overdue"] = due.overdue;
  }
  return json_response(200, doc);
}

}  // namespace

json change_since_previous(Context& ctx, const store::Cycle& cycle) {
  // As the progress page compares: a full cycle with the last full cycle
  // with results before it, on the statements both asked. A pulse has no
  // stage to compare in a report: none.
  const std::set<std::string> out_of_scope = out_of_scope_ids(ctx.store.org_aims(cycle.org_id));
  std::optional<CycleProgress> previous;
  for (const auto& c : ctx.store.cycles_of(cycle.org_id)) {
    if (c.status == store::CycleStatus::draft) continue;
    CycleProgress p = cycle_progress(ctx, c, out_of_scope);
    if (c.id == cycle.id) {
      if (!p.scored || !p.full || !previous) return nullptr;
      return {{"since", {{"id", previous->entry["id"]}, {"name", previous->entry["name"]}}},
              {"change", change_between(*previous, p)}};
    }
    if (p.scored && p.full) previous = std::move(p);
  }
  return nullptr;
}

void add_progress_routes(http::Router& router, Context& ctx) {
  router.on_worker("GET", "/api/orgs/{org}/progress", bind(ctx, get_progress));
}

}  // namespace cxm::api
