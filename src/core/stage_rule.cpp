#include "core/stage_rule.h"

namespace cxm::core {

StageVerdict apply_stage_rule(std::span<const StageEvidence> stages, double threshold) {
  StageVerdict verdict;
  bool blocked = false;
  for (std::size_t i = 0; i < stages.size(); ++i) {
    StageStatus status;
    status.number = static_cast<int>(i) + 2;
    status.score = stages[i].score;
    status.counted = stages[i].counted;
    status.statements = stages[i].statements;
    status.attained = status.score.has_value() && *status.score >= threshold;
    status.indicative = 2 * status.counted < status.statements;
    // The verdict rests on every step up to the first one not attained.
    if (!blocked && status.indicative) verdict.indicative = true;
    // Cumulative: a stage above an unattained one does not count, however
    // high its own score.
    if (!status.attained) blocked = true;
    if (!blocked) verdict.stage = status.number;
    verdict.ladder.push_back(status);
  }
  return verdict;
}

StageVerdict apply_stage_rule(std::span<const std::optional<double>> stage_scores,
                              double threshold) {
  std::vector<StageEvidence> stages;
  stages.reserve(stage_scores.size());
  for (const auto& score : stage_scores) {
    const std::size_t one = score ? 1 : 0;
    stages.push_back({score, one, one});
  }
  return apply_stage_rule(stages, threshold);
}

}  // namespace cxm::core
