#include "report/progress_document.h"

#include <cmath>
#include <nlohmann/json.hpp>

namespace cxm::report {
namespace {

using nlohmann::json;

json optional_figure(const std::optional<double>& v) { return v ? json(*v) : json(nullptr); }

std::string role_name(const core::Model& model, const std::string& role) {
  const auto r = model.find_role(role);
  return r ? model.roles[*r].name : role;
}

std::string percent(double share) {
  return std::to_string(static_cast<long long>(std::lround(share * 100.0))) + "%";
}

json balanced_json(const core::Model& model, const core::BalancedChange& b,
                   core::ChangeVerdict plain) {
  json roles = json::array();
  for (const auto& r : b.roles) {
    roles.push_back({{"role", r.role},
                     {"name", role_name(model, r.role)},
                     {"weight", r.weight},
                     {"share_before", r.share_before},
                     {"share_after", r.share_after}});
  }
  const std::string reason = balanced_reason(model, b, plain);
  return {{"before", b.before},
          {"after", b.after},
          {"change", b.change.difference},
          {"ci_low", optional_figure(b.change.ci_low)},
          {"ci_high", optional_figure(b.change.ci_high)},
          {"df", optional_figure(b.change.df)},
          {"verdict", core::to_string(b.verdict)},
          {"roles", roles},
          {"flagged", b.flagged()},
          {"reason", reason.empty() ? json(nullptr) : json(reason)}};
}

std::string balanced_note(BalancedRoles rule) {
  switch (rule) {
    case BalancedRoles::shown_in_both:
      return "No change at the same mix of roles: fewer than two roles can take part. A role "
             "takes part when both cycles' results show it (a role with fewer respondents than "
             "the minimum group, or hidden to protect anonymity, never does) and it has at least "
             "2 respondents in both.";
    case BalancedRoles::at_least_two:
      break;
  }
  return "No change at the same mix of roles: fewer than two roles have at least 2 respondents "
         "in both cycles.";
}

json change_json(const core::Model& model, const core::ScoreChange& c, BalancedRoles rule) {
  const bool both = c.before.n > 0 && c.after.n > 0;
  return {
      {"before", c.before.n > 0 ? json(c.before.mean) : json(nullptr)},
      {"after", c.after.n > 0 ? json(c.after.mean) : json(nullptr)},
      {"change", both ? json(c.change.difference) : json(nullptr)},
      {"ci_low", optional_figure(c.change.ci_low)},
      {"ci_high", optional_figure(c.change.ci_high)},
      {"df", optional_figure(c.change.df)},
      {"verdict", core::to_string(c.verdict)},
      {"n_before", c.before.n},
      {"n_after", c.after.n},
      {"role_balanced", c.balanced ? balanced_json(model, *c.balanced, c.verdict) : json(nullptr)},
      {"role_balanced_note", c.balanced ? json(nullptr) : json(balanced_note(rule))}};
}

json optional_stage(const std::optional<int>& s) { return s ? json(*s) : json(nullptr); }

}  // namespace

std::string balanced_reason(const core::Model& model, const core::BalancedChange& b,
                            core::ChangeVerdict plain) {
  if (!b.flagged() || b.roles.empty()) return "";
  const core::RoleShare& moved = b.roles[b.most_moved];
  const bool rose = moved.share_after > moved.share_before;
  const std::string mix = "the share of " + role_name(model, moved.role) + " respondents " +
                          (rose ? "rose" : "fell") + " from " + percent(moved.share_before) +
                          " to " + percent(moved.share_after);
  std::string out;
  if (b.verdict_differs) {
    out = "At the same mix of roles the change is \"" + std::string(core::to_string(b.verdict)) +
          "\", not \"" + core::to_string(plain) + "\": who answered changed (" + mix + ").";
  } else {
    out = "Who answered changed: " + mix + ".";
  }
  return out;
}

json progress_json(const core::Model& later, const core::Progress& progress, BalancedRoles roles) {
  json competencies = json::array();
  for (const auto& c : progress.competencies) {
    json j = change_json(later, c.score, roles);
    j["id"] = c.id;
    j["name"] = later.competencies[*later.find_competency(c.id)].name;
    competencies.push_back(j);
  }
  return {{"overall", change_json(later, progress.overall, roles)},
          {"competencies", competencies},
          {"stage",
           {{"before", optional_stage(progress.stage_before)},
            {"after", optional_stage(progress.stage_after)}}},
          {"same_model", progress.same_model}};
}

}  // namespace cxm::report
