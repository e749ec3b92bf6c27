#include "results/cycle_report.h"

#include <nlohmann/json.hpp>

#include "core/scope.h"
#include "report/comments_section.h"
#include "report/score_document.h"
#include "results/cycle_comments.h"
#include "results/outside_in.h"
#include "results/published_result.h"

namespace cxm::results {
namespace {

// Targets and scope as the report states them: each competency's target
// stage, and the statements out of scope with their reasons (`model` is
// the cycle's whole model, so their texts are known).
void add_aims(json& doc, const core::Model& model, const store::OrgAims& aims) {
  for (auto& c : doc["competencies"]) {
    c["target_stage"] = nullptr;
    for (const auto& t : aims.targets) {
      if (t.competency_id == c["id"]) c["target_stage"] = t.target_stage;
    }
  }
  doc["out_of_scope"] = json::array();
  for (const auto& x : aims.out_of_scope) {
    const auto i = model.find_item(x.item_id);
    if (!i) continue;  // a statement of another model version
    doc["out_of_scope"].push_back(
        {{"id", x.item_id}, {"text", model.items[*i].text}, {"reason", x.reason}});
  }
}

}  // namespace

core::StageRollupRule rollup_rule(const store::Organization& org) {
  return org.stage_rollup == store::StageRollup::weakest_unit
             ? core::StageRollupRule::weakest_unit
             : core::StageRollupRule::pooled_answers;
}

std::set<std::string> out_of_scope_ids(const store::OrgAims& aims) {
  std::set<std::string> ids;
  for (const auto& x : aims.out_of_scope) ids.insert(x.item_id);
  return ids;
}

// Out-of-scope statements are taken out of the model before scoring. This
// cannot make any figure cover fewer than k people: which people a figure
// summarises (a release, a shown role or unit) is decided on the people
// alone (core/disclosure.h), and scope only removes statements from what
// is summarised about them. A segment whose people answered only removed
// statements can only fall below k and be hidden, which shows less.
std::string build_cycle_report(Results& results, const store::Cycle& cycle, const std::string& role,
                               const std::string& unit,
                               const std::vector<store::ParticipantAnswers>& answers,
                               const store::Organization& org, const store::OrgAims& aims) {
  const auto whole = results.cycles.model(cycle, results.store);
  const core::Model model = core::in_scope(*whole, out_of_scope_ids(aims));
  PublishedResult published = published_result(cycle, model, answers, role, unit);
  if (!published.result) return published.withheld.dump();
  // The organization's roll-up applies to its whole result; a role's or a
  // unit's own view keeps its own (pooled) stage.
  if (role.empty() && unit.empty()) {
    core::apply_stage_rollup(*published.result, rollup_rule(org));
  } else {
    core::RolledUpStage own =
        core::roll_up_stage(*published.result, core::StageRollupRule::pooled_answers);
    if (!role.empty()) {
      const auto r = model.find_role(role);
      own.group = (r ? model.roles[*r].name : role) + "s";
    } else {
      own.group = unit;
    }
    published.result->rollup = own;
  }
  json doc = json::parse(report::score_document_json(model, *published.result, -1));
  add_aims(doc, *whole, aims);
  // Comments only in the whole report: never beside a segment's figures.
  if (role.empty() && unit.empty() && core::asks_comments(*whole)) {
    const auto comments =
        cycle_comments(cycle, *whole, answers, results.store.cycle_comments(cycle.id));
    doc["comments"] = report::comments_section(*whole, comments.groups);
  }
  // Outside-in only in the whole report: a role's or a unit's view has
  // no breakdown of its own, and the customers' figures are the whole
  // organization's and its units'.
  if (role.empty() && unit.empty()) {
    const json none = json::array();
    const json& units = doc.contains("segments") && doc["segments"].contains("unit")
                            ? doc["segments"]["unit"]
                            : none;
    doc["outside_in"] = cycle_outside_in(results, cycle, model, *whole, *published.result, units);
  }
  if (cycle.anonymous) {
    hide_small_counts(doc, static_cast<std::size_t>(cycle.min_group_size));
    doc["anonymity"] = published.anonymity;
  }
  return doc.dump();
}

std::string report_filter(const std::string& role, const std::string& unit) {
  return role.empty() ? (unit.empty() ? "" : "unit:" + unit) : "role:" + role;
}

std::shared_ptr<const std::string> cycle_report(Results& results, const store::Cycle& cycle,
                                                const std::string& role, const std::string& unit) {
  const std::string filter = report_filter(role, unit);
  if (auto cached = results.cycles.report(cycle, filter)) return cached;
  const auto org = results.store.find_organization(cycle.org_id);
  if (!org) return nullptr;
  // Answers submitted after `cycle` was read make this report newer than
  // its version says; the next read then recomputes, never the reverse.
  return results.cycles.put_report(
      cycle, filter,
      build_cycle_report(results, cycle, role, unit, results.store.cycle_answers(cycle.id), *org,
                         results.store.org_aims(org->id)));
}

}  // namespace cxm::results
