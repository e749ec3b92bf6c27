// A cycle's published standing over time: its entry on the progress page
// and the change from one cycle to a later one (SPEC section 3), as the
// progress page and a cycle's report both compare them.
#pragma once

#include <memory>
#include <nlohmann/json.hpp>
#include <optional>
#include <set>
#include <string>
#include <utility>
#include <vector>

#include "core/progress.h"
#include "results/cycle_cache.h"

namespace cxm::results {

using nlohmann::json;

struct CycleProgress {
  json entry;
  std::shared_ptr<const core::Model> model;  // the cycle's model, statements out of scope taken out
  std::vector<store::ParticipantAnswers> answers;  // published ones
  core::CycleStanding standing;
  bool scored = false;  // has published results
  bool full = false;    // a full cycle (claims a stage)
  // The roles its published report shows (not hidden by the minimum group
  // size or the disclosure rule): the only ones that take part in the
  // role-balanced change, so that comparing the plain and the balanced
  // means never tells a hidden role's mean.
  std::set<std::string> shown_roles;
  // The overall score of each unit its published report shows, in the
  // report's order (outside-in: maturity per unit beside customer figures).
  std::vector<std::pair<std::string, double>> shown_unit_scores;
};

// The cycle as the progress page lists it, from its published answers
// (statements in `out_of_scope` taken out). Blocks.
CycleProgress cycle_progress(Results& results, const store::Cycle& cycle,
                             const std::set<std::string>& out_of_scope);

// The change from `before` to `after`. When the two asked different
// statements (another model version, a pulse beside a full cycle, another
// scope), both are scored again on the statements they share, so that a
// score compares like with like; `basis` says so. Beside each change, the
// change at the same mix of roles (SPEC section 3) over the roles shown in
// both cycles' published results (report::progress_json's role_balanced).
json change_between(const CycleProgress& before, const CycleProgress& after);

// For a cycle's report: the change since the organization's previous
// full cycle with results, compared as the progress page compares ({since:
// {id, name}, change: report::progress_json with its basis: the statements
// both asked}); null when there is none (the first cycle, a pulse, nothing
// published). Blocks.
json change_since_previous(Results& results, const store::Cycle& cycle);

}  // namespace cxm::results
