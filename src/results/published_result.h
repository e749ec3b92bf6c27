// What of a cycle's submitted answers may be shown now,
// scored. One rule for every view of results (the report, the discussion):
// an anonymous cycle shows only what its releases published, with the
// segments the disclosure rule shows (core/disclosure.h,
// docs/anonymity.md); any cycle hides segments below its minimum group.
#pragma once

#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <vector>

#include "core/cycle_scoring.h"
#include "core/responses.h"
#include "store/store.h"

namespace cxm::results {

using nlohmann::json;

// The submitted answers among `all` (of `role` and `unit` when not empty)
// as responses to `model`; respondent ids are positions.
core::Responses to_responses(const core::Model& model,
                             const std::vector<store::ParticipantAnswers>& all,
                             const std::string& role, const std::string& unit);

struct PublishedResult {
  // Absent when nothing may be shown: `withheld` then says why (the body
  // of a report with "suppressed": true, or of one with no answers yet).
  std::optional<core::CycleResult> result;
  json withheld;
  // Anonymous cycles: {release, released, held_back}; null otherwise.
  json anonymity;
};

// `role` or `unit` (at most one, may be empty) filters to one segment; a
// filtered result has no breakdown of its own.
PublishedResult published_result(const store::Cycle& cycle, const core::Model& model,
                                 const std::vector<store::ParticipantAnswers>& all,
                                 const std::string& role, const std::string& unit);

// What the cycle's report publishes of `all`: every submission, or for an
// anonymous cycle those its releases published.
std::vector<store::ParticipantAnswers> published_answers(
    const store::Cycle& cycle, std::vector<store::ParticipantAnswers> all);

// Segments of fewer than k people show as "fewer than k", not their count
// (anonymous cycles): applied to a score document's "segments".
void hide_small_counts(json& score_document, std::size_t min_group);

}  // namespace cxm::results
