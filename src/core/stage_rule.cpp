#include "core/stage_rule.h"

namespace cxm::core {

StageVerdict apply_stage_rule(std::span<const std::optional<double>> stage_scores,
                              double threshold) {
  StageVerdict verdict;
  bool blocked = false;
  for (std::size_t i = 0; i < stage_scores.size(); ++i) {
    StageStatus status;
    status.number = static_cast<int>(i) + 2;
    status.score = stage_scores[i];
    status.attained = status.score.has_value() && *status.score >= threshold;
    // Cumulative: a stage above an unattained one does not count, however
    // high its own score.
    if (!status.attained) blocked = true;
    if (!blocked) verdict.stage = status.number;
    verdict.ladder.push_back(status);
  }
  return verdict;
}

}  // namespace cxm::core
