// The staged, cumulative stage rule (SPEC section 3).
#pragma once

#include <optional>
#include <span>
#include <vector>

namespace cxm::core {

struct StageStatus {
  int number = 0;
  std::optional<double> score;  // mean normalized score of the stage's items
  bool attained = false;        // score >= threshold; never when score is absent
};

struct StageVerdict {
  int stage = 1;                    // highest s with every stage 2..s attained
  std::vector<StageStatus> ladder;  // stages 2..N in order
};

// `stage_scores[i]` is the score of stage i + 2. A stage with no score (none
// of its items answered) counts as not attained: nothing evidences it.
StageVerdict apply_stage_rule(std::span<const std::optional<double>> stage_scores,
                              double threshold);

}  // namespace cxm::core
