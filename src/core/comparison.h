// The difference between two groups of answers: per competency and overall,
// the difference of respondent-level mean scores with a Welch confidence
// interval and Cohen's d. Used for segment gaps and for change between cycles.
#pragma once

#include <cstddef>
#include <optional>
#include <span>
#include <string>
#include <vector>

#include "core/model.h"
#include "core/responses.h"
#include "core/statistics.h"

namespace cxm::core {

struct ScoreDifference {
  SampleSummary a;  // respondent scores (0..100) in group a
  SampleSummary b;
  MeanDifference difference;          // mean(a) - mean(b), 95% Welch interval
  std::optional<double> effect_size;  // Cohen's d
};

struct GroupComparison {
  ScoreDifference overall;
  std::vector<ScoreDifference> competencies;  // in model order
};

// Respondent-level scores of one group. A respondent's score on a
// competency is the normalized mean of the items of it they answered (a
// statement worded in reverse taken mirrored, min + max - answer);
// respondents who answered none of them are left out of that competency.
// Their overall score is the mean of their competency scores.
struct RespondentScores {
  std::vector<std::vector<double>> competencies;  // per competency, in model order
  std::vector<double> overall;
};

// One pass over the given rows.
RespondentScores respondent_scores(const Model& model, const Responses& responses,
                                   std::span<const std::size_t> rows);

// What a comparison needs of a group: mean and variance of its respondent
// scores, per competency and overall.
struct GroupSummary {
  std::vector<SampleSummary> competencies;
  SampleSummary overall;
};
GroupSummary summarize(const RespondentScores& scores);

// The summary of one role's respondents among the given rows (the change at
// the same mix of roles, core/progress.h).
struct RoleSummary {
  std::string role;  // a role id as the respondents carry it, never empty
  GroupSummary summary;
};

// One summary per distinct non-empty role among `rows`: the model's roles
// in model order first, then any other role in order of first appearance.
// Respondents without a role belong to none.
std::vector<RoleSummary> summarize_by_role(const Model& model, const Responses& responses,
                                           std::span<const std::size_t> rows);

// Compares group a with group b (a - b); both scored against the same model.
GroupComparison compare(const GroupSummary& a, const GroupSummary& b);

// Compares rows `rows_a` of `a` with rows `rows_b` of `b`; both sets of
// responses must be for `model`.
GroupComparison compare_groups(const Model& model, const Responses& a,
                               std::span<const std::size_t> rows_a, const Responses& b,
                               std::span<const std::size_t> rows_b);

}  // namespace cxm::core
