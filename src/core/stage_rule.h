// The staged, cumulative stage rule (SPEC section 3), with the evidence
// rule: a stage judged on too few statements is marked indicative.
#pragma once

#include <cstddef>
#include <optional>
#include <span>
#include <vector>

namespace cxm::core {

struct StageStatus {
  int number = 0;
  std::optional<double> score;  // mean normalized score of the stage's counted items
  bool attained = false;        // score >= threshold; never when score is absent
  std::size_t counted = 0;      // statements with enough answers to count (evidence rule)
  std::size_t statements = 0;   // the stage's statements
  // Fewer than half of its statements counted: "too few answers to be sure".
  bool indicative = false;
};

struct StageVerdict {
  int stage = 1;                    // highest s with every stage 2..s attained
  std::vector<StageStatus> ladder;  // stages 2..N in order
  // The verdict rests on an indicative step: one of the steps up to and
  // including the first not attained (every step when all are attained).
  bool indicative = false;
};

// What evidences one stage: the mean score of its counted statements
// (absent when none counts), how many counted, and how many it has.
struct StageEvidence {
  std::optional<double> score;
  std::size_t counted = 0;
  std::size_t statements = 0;
};

// `stages[i]` is the evidence for stage i + 2. A stage with no score (none
// of its statements counts) is not attained: nothing evidences it.
StageVerdict apply_stage_rule(std::span<const StageEvidence> stages, double threshold);

// The rule on scores alone, each stage taken as fully evidenced (a score
// counts as its one statement): never indicative.
StageVerdict apply_stage_rule(std::span<const std::optional<double>> stage_scores,
                              double threshold);

}  // namespace cxm::core
