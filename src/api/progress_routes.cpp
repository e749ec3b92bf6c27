// GET /api/orgs/{org}/progress: an organization's cycles over time, each
// with its published results (an anonymous cycle's released ones only, as
// its report shows them: docs/anonymity.md), the change since the previous
// comparable cycle (SPEC section 3), action completion, and when the next
// cycle is due.
#include <ctime>
#include <numeric>

#include "api/context.h"
#include "core/comparison.h"
#include "core/progress.h"
#include "core/scoring.h"
#include "report/progress_document.h"

namespace cxm::api {
namespace {

// The next cycle is due this many months after the last one closed.
constexpr int kMonthsBetweenCycles = 6;

}  // namespace

std::string months_after(std::int64_t ms, int months) {
  const std::time_t seconds = static_cast<std::time_t>(ms / 1000);
  std::tm utc{};
  gmtime_r(&seconds, &utc);
  int year = utc.tm_year + 1900, month = utc.tm_mon + months;
  year += month / 12;
  month %= 12;
  static const int days[] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
  const bool leap = (year % 4 == 0 && year % 100 != 0) || year % 400 == 0;
  const int last = days[month] + (month == 1 && leap ? 1 : 0);
  char buffer[16];
  std::snprintf(buffer, sizeof buffer, "%04d-%02d-%02d", year, month + 1, std::min(utc.tm_mday, last));
  return buffer;
}

std::string utc_date(std::int64_t ms) { return months_after(ms, 0); }

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
  std::shared_ptr<const core::Model> model;
  core::CycleStanding standing;
  bool comparable = false;  // a full cycle with published results
};

CycleProgress cycle_progress(Context& ctx, const store::Cycle& cycle) {
  CycleProgress out;
  out.model = ctx.cycles.model(cycle, ctx.store);
  const core::Model& model = *out.model;
  const auto answers = published(cycle, ctx.store.cycle_answers(cycle.id));
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
       {"model", {{"id", model.id}, {"version", model.version}}},
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
  const bool full = model.form == core::Form::full;
  out.standing = {out.model.get(), core::summarize(core::respondent_scores(model, responses, rows)),
                  full ? std::optional<int>(group.stage.stage) : std::nullopt};
  out.comparable = full;
  e["overall_score"] = group.overall_score ? json(*group.overall_score) : json(nullptr);
  if (full) {
    e["stage"] = group.stage.stage;
    e["stage_name"] = model.stage(group.stage.stage).name;
  }
  double agreement = 0;
  std::size_t agreeing = 0;
  for (const auto& c : group.competencies) {
    if (c.rwg_j.value) agreement += *c.rwg_j.value, ++agreeing;
    e["competencies"].push_back({{"id", model.competencies[c.competency].id},
                                 {"name", model.competencies[c.competency].name},
                                 {"score", c.score ? json(*c.score) : json(nullptr)},
                                 {"rwg_j", c.rwg_j.value ? json(*c.rwg_j.value) : json(nullptr)}});
  }
  if (agreeing) e["agreement"] = agreement / static_cast<double>(agreeing);
  if (!full) e["note"] = "a pulse check: its scores cover the pulse statements only and are not compared with full cycles";
  return out;
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
  std::optional<CycleProgress> previous;  // the last comparable cycle
  std::optional<std::int64_t> last_closed;
  for (const auto& cycle : ctx.store.cycles_of(org->id)) {
    if (cycle.status == store::CycleStatus::draft) continue;
    if (cycle.closed_at && (!last_closed || *cycle.closed_at > *last_closed)) last_closed = cycle.closed_at;
    CycleProgress p = cycle_progress(ctx, cycle);
    if (p.comparable && previous) {
      const core::Progress change = core::progress_between(previous->standing, p.standing);
      p.entry["change"] = report::progress_json(*p.model, change);
      p.entry["compared_with"] = previous->entry["id"];
    }
    if (p.comparable) previous = p;
    cycles.push_back(std::move(p.entry));
  }
  json doc = {{"cycles", cycles},
              {"actions", action_summary(ctx, org->id)},
              {"months_between_cycles", kMonthsBetweenCycles},
              {"last_closed_at", last_closed ? json(*last_closed) : json(nullptr)},
              {"next_due", nullptr},
              {"overdue", false}};
  if (last_closed) {
    const std::string due = months_after(*last_closed, kMonthsBetweenCycles);
    doc["next_due"] = due;
    doc["overdue"] = due < utc_date(ctx.now());
  }
  return json_response(200, doc);
}

}  // namespace

json change_since_previous(Context& ctx, const store::Cycle& cycle) {
  std::optional<CycleProgress> previous;
  std::string previous_name;
  for (const auto& c : ctx.store.cycles_of(cycle.org_id)) {
    if (c.status == store::CycleStatus::draft) continue;
    CycleProgress p = cycle_progress(ctx, c);
    if (c.id == cycle.id) {
      if (!p.comparable || !previous) return nullptr;
      const core::Progress change = core::progress_between(previous->standing, p.standing);
      return {{"since", {{"id", previous->entry["id"]}, {"name", previous->entry["name"]}}},
              {"change", report::progress_json(*p.model, change)}};
    }
    if (p.comparable) previous = std::move(p);
  }
  return nullptr;
}

void add_progress_routes(http::Router& router, Context& ctx) {
  router.on_worker("GET", "/api/orgs/{org}/progress", bind(ctx, get_progress));
}

}  // namespace cxm::api
