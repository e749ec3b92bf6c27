#include "results/cycle_progress.h"

#include <algorithm>
#include <iterator>
#include <numeric>
#include <span>

#include "core/scope.h"
#include "core/scoring.h"
#include "report/progress_document.h"
#include "results/cycle_report.h"
#include "results/published_result.h"

namespace cxm::results {
namespace {

// What the cycle's report publishes: its stage (the organization's roll-up
// rule applied; none for a report that shows none) and the role segments
// it shows.
struct Published {
  std::optional<int> stage;
  std::set<std::string> shown_roles;
  std::vector<std::pair<std::string, double>> shown_unit_scores;
};

Published published(Results& results, const store::Cycle& cycle) {
  Published out;
  const auto report = cycle_report(results, cycle);
  const report::ScoreDocument* doc = report ? report->document() : nullptr;
  if (!doc) return out;
  if (doc->stage) out.stage = doc->stage->number;
  for (const auto& s : doc->segments.role) {
    if (!s.suppressed) out.shown_roles.insert(s.value);
  }
  for (const auto& s : doc->segments.unit) {
    if (!s.suppressed && s.overall_score)
      out.shown_unit_scores.emplace_back(s.value, *s.overall_score);
  }
  return out;
}

// The summaries of the roles among `responses` that `shown` holds.
std::vector<core::RoleSummary> shown_role_summaries(const core::Model& model,
                                                    const core::Responses& responses,
                                                    std::span<const std::size_t> rows,
                                                    const std::set<std::string>& shown) {
  std::vector<core::RoleSummary> roles = core::summarize_by_role(model, responses, rows);
  std::erase_if(roles, [&](const core::RoleSummary& r) { return !shown.contains(r.role); });
  return roles;
}

core::CycleStanding standing_of(const core::Model& model, const CycleProgress& p,
                                std::optional<int> stage) {
  const core::Responses responses = to_responses(model, p.answers, "", "");
  std::vector<std::size_t> rows(responses.size());
  std::iota(rows.begin(), rows.end(), std::size_t{0});
  return {&model, core::summarize(core::respondent_scores(model, responses, rows)), stage,
          shown_role_summaries(model, responses, rows, p.shown_roles)};
}

std::set<std::string> statement_ids(const core::Model& model) {
  std::set<std::string> ids;
  for (const auto& i : model.items) ids.insert(i.id);
  return ids;
}

// The ids both models ask as the same statement: the same id with the same
// wording, competency and direction. Another model version may have given
// an id to another statement (1.0.0 and 2.x both have an LS3, about
// different practices): compared, it would measure nothing.
std::set<std::string> same_statement_ids(const core::Model& a, const core::Model& b) {
  std::set<std::string> same;
  for (const auto& i : a.items) {
    const auto j = b.find_item(i.id);
    if (!j) continue;
    const core::Item& other = b.items[*j];
    if (other.text == i.text && other.reverse == i.reverse &&
        a.competencies[i.competency].id == b.competencies[other.competency].id)
      same.insert(i.id);
  }
  return same;
}

}  // namespace

CycleProgress cycle_progress(Results& results, const store::Cycle& cycle,
                             const std::set<std::string>& out_of_scope) {
  CycleProgress out;
  out.model = std::make_shared<const core::Model>(
      core::in_scope(*results.cycles.model(cycle, results.store), out_of_scope));
  const core::Model& model = *out.model;
  out.answers = published_answers(cycle, results.store.cycle_answers(cycle.id));
  const auto& answers = out.answers;
  std::size_t invited = 0;
  for (const auto& p : results.store.participants_of(cycle.id)) invited += p.revoked ? 0 : 1;
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
       {"response_rate",
        invited ? json(static_cast<double>(answers.size()) / static_cast<double>(invited))
                : json(nullptr)},
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
  const core::GroupResult group =
      core::score_group(model, responses, rows, static_cast<std::size_t>(cycle.min_group_size));
  out.full = model.form == core::Form::full;
  out.scored = true;
  const Published shown = published(results, cycle);
  const std::optional<int> stage = out.full ? shown.stage : std::nullopt;
  out.shown_roles = shown.shown_roles;
  out.shown_unit_scores = shown.shown_unit_scores;
  out.standing = {out.model.get(), core::summarize(core::respondent_scores(model, responses, rows)),
                  stage, shown_role_summaries(model, responses, rows, out.shown_roles)};
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
    e["note"] =
        "a pulse check: its scores cover the pulse statements only; it is compared with the cycle "
        "before it "
        "on the statements both asked";
  }
  return out;
}

json change_between(const CycleProgress& before, const CycleProgress& after) {
  const std::set<std::string> a = statement_ids(*before.model), b = statement_ids(*after.model);
  const std::set<std::string> same = same_statement_ids(*before.model, *after.model);
  std::set<std::string> only_before, only_after;
  std::set_difference(a.begin(), a.end(), same.begin(), same.end(),
                      std::inserter(only_before, only_before.end()));
  std::set_difference(b.begin(), b.end(), same.begin(), same.end(),
                      std::inserter(only_after, only_after.end()));
  const std::size_t shared = same.size();
  json basis = {{"statements_before", a.size()},
                {"statements_after", b.size()},
                {"shared_statements", shared},
                {"note", nullptr}};
  core::Progress change;
  if (only_before.empty() && only_after.empty()) {
    change = core::progress_between(before.standing, after.standing);
  } else {
    // Scored on the shared statements alone (what neither asked is out).
    const core::Model earlier = core::in_scope(*before.model, only_before);
    const core::Model later = core::in_scope(*after.model, only_after);
    change = core::progress_between(standing_of(earlier, before, before.standing.stage),
                                    standing_of(later, after, after.standing.stage));
    basis["note"] = "The two cycles asked different statements (" + std::to_string(a.size()) +
                    " and " + std::to_string(b.size()) + "): the change is measured on the " +
                    std::to_string(shared) + (shared == 1 ? " statement" : " statements") +
                    " both asked, and on the competencies they share.";
  }
  json j = report::progress_json(*after.model, change, report::BalancedRoles::shown_in_both);
  // A stage is compared only between two full cycles.
  if (!before.full || !after.full) j["stage"] = {{"before", nullptr}, {"after", nullptr}};
  j["basis"] = basis;
  return j;
}

json change_since_previous(Results& results, const store::Cycle& cycle) {
  // As the progress page compares: a full cycle with the last full cycle
  // with results before it, on the statements both asked. A pulse has no
  // stage to compare in a report: none.
  const std::set<std::string> out_of_scope = out_of_scope_ids(results.store.org_aims(cycle.org_id));
  std::optional<CycleProgress> previous;
  for (const auto& c : results.store.cycles_of(cycle.org_id)) {
    if (c.status == store::CycleStatus::draft) continue;
    CycleProgress p = cycle_progress(results, c, out_of_scope);
    if (c.id == cycle.id) {
      if (!p.scored || !p.full || !previous) return nullptr;
      return {{"since", {{"id", previous->entry["id"]}, {"name", previous->entry["name"]}}},
              {"change", change_between(*previous, p)}};
    }
    if (p.scored && p.full) previous = std::move(p);
  }
  return nullptr;
}

}  // namespace cxm::results
