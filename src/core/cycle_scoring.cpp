#include "core/cycle_scoring.h"

namespace cxm::core {

CycleResult score_cycle(const Model& model, const Responses& responses, std::size_t min_group_size) {
  CycleResult result;
  result.min_group_size = min_group_size;
  result.group = score_group(model, responses);
  result.roles = score_segments(model, responses, SegmentKind::role, min_group_size);
  result.units = score_segments(model, responses, SegmentKind::unit, min_group_size);
  result.role_gaps = segment_gaps(model, responses, result.roles);
  return result;
}

}  // namespace cxm::core
