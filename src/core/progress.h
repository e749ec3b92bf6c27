// Change between two cycles (SPEC section 3): per competency and overall,
// the later cycle's mean respondent score minus the earlier one's, with a
// 95% Welch confidence interval, its verdict, and the stage change.
// Cycles run on different model versions compare on the competencies they
// share (matched by id).
#pragma once

#include <cstddef>
#include <optional>
#include <string>
#include <vector>

#include "core/comparison.h"
#include "core/model.h"
#include "core/statistics.h"

namespace cxm::core {

enum class ChangeVerdict { improved, declined, no_clear_change };
const char* to_string(ChangeVerdict verdict);

// "improved" when the interval lies above 0, "declined" when below 0, else
// (also when there is no interval) "no clear change".
ChangeVerdict change_verdict(const MeanDifference& change);

struct ScoreChange {
  SampleSummary before;  // respondent scores (0..100) of the earlier cycle
  SampleSummary after;
  MeanDifference change;  // after - before, 95% Welch interval
  ChangeVerdict verdict = ChangeVerdict::no_clear_change;
};

struct CompetencyChange {
  std::string id;  // competency id, shared by both models
  ScoreChange score;
};

// One cycle as the change needs it: its model, the summary of its
// respondent scores (core/comparison.h) and its stage (none for a pulse).
struct CycleStanding {
  const Model* model = nullptr;
  GroupSummary summary;
  std::optional<int> stage;
};

struct Progress {
  ScoreChange overall;
  std::vector<CompetencyChange> competencies;  // shared ones, in the later model's order
  std::optional<int> stage_before;
  std::optional<int> stage_after;
  bool same_model = true;  // same model id and version
};

// The change from `before` to `after`. Both models must be set.
Progress progress_between(const CycleStanding& before, const CycleStanding& after);

}  // namespace cxm::core
