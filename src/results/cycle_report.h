// A cycle's report: the score document of what its published result shows
// (results/published_result.h), under the organization's roll-up rule,
// targets and scope; the JSON of GET /api/cycles/{cycle}/report. Kept per
// filter in the CycleCache until the cycle's answers change.
#pragma once

#include <memory>
#include <nlohmann/json.hpp>
#include <set>
#include <string>
#include <vector>

#include "core/cycle_scoring.h"
#include "results/cycle_cache.h"

namespace cxm::results {

using nlohmann::json;

// An organization's roll-up rule and out-of-scope statement ids as the
// scoring core takes them.
core::StageRollupRule rollup_rule(const store::Organization& org);
std::set<std::string> out_of_scope_ids(const store::OrgAims& aims);

// The report of `cycle` filtered to `role` or `unit` (at most one, may be
// empty), computed from `answers` (the cycle's, as Store::cycle_answers
// gives them), its model texts and words in `lang` (one the cycle offers;
// "" for its default). Blocks (may parse the cycle's model).
std::string build_cycle_report(Results& results, const store::Cycle& cycle, const std::string& role,
                               const std::string& unit,
                               const std::vector<store::ParticipantAnswers>& answers,
                               const store::Organization& org, const store::OrgAims& aims,
                               const std::string& lang = "");

// The report filtered to `role` or `unit` (at most one) in `lang`, from the
// cache or computed and kept; nullptr when the cycle's organization is
// gone. Blocks on a miss.
std::shared_ptr<const std::string> cycle_report(Results& results, const store::Cycle& cycle,
                                                const std::string& role = "",
                                                const std::string& unit = "",
                                                const std::string& lang = "");

// The cache key of a filter: "", "role:R" or "unit:U".
std::string report_filter(const std::string& role, const std::string& unit);
// The cache key of a filter's report in a language (offered_language of
// `lang`): "FILTER@LANG".
std::string report_key(const store::Cycle& cycle, const std::string& filter,
                       const std::string& lang);

// The languages the submitted respondents answered in, as the whole
// cycle's report shows them: `languages` [{lang, respondents}] by the
// language each link last chose (a link that never chose counts under the
// cycle's default), imported rows left out (they have no language); in an
// anonymous cycle only the published respondents and only counts that
// single out no one, alone or beside the total and earlier releases
// (docs/anonymity.md), with `languages_note` saying what is not shown and
// why. Sets both keys of `doc` (the note null when there is nothing to say).
void add_languages(json& doc, const store::Cycle& cycle,
                   const std::vector<store::ParticipantAnswers>& answers);

}  // namespace cxm::results
