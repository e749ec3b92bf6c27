// A cycle's report: the score document of what its published result shows
// (results/published_result.h), under the organization's roll-up rule,
// targets and scope; the JSON of GET /api/cycles/{cycle}/report. Kept per
// filter in the CycleCache until the cycle's answers change.
#pragma once

#include <memory>
#include <set>
#include <string>
#include <vector>

#include "core/cycle_scoring.h"
#include "results/cycle_cache.h"

namespace cxm::results {

// An organization's roll-up rule and out-of-scope statement ids as the
// scoring core takes them.
core::StageRollupRule rollup_rule(const store::Organization& org);
std::set<std::string> out_of_scope_ids(const store::OrgAims& aims);

// The report of `cycle` filtered to `role` or `unit` (at most one, may be
// empty), computed from `answers` (the cycle's, as Store::cycle_answers
// gives them). Blocks (may parse the cycle's model).
std::string build_cycle_report(Results& results, const store::Cycle& cycle, const std::string& role,
                               const std::string& unit,
                               const std::vector<store::ParticipantAnswers>& answers,
                               const store::Organization& org, const store::OrgAims& aims);

// The report filtered to `role` or `unit` (at most one), from the cache or
// computed and kept; nullptr when the cycle's organization is gone.
// Blocks on a miss.
std::shared_ptr<const std::string> cycle_report(Results& results, const store::Cycle& cycle,
                                                const std::string& role = "",
                                                const std::string& unit = "");

// The cache key of a filter: "", "role:R" or "unit:U".
std::string report_filter(const std::string& role, const std::string& unit);

}  // namespace cxm::results
