#include "core/cycle_scoring.h"

namespace cxm::core {

namespace {

void hide_unless(std::vector<SegmentResult>& segments, const std::set<std::string>& shown) {
  for (auto& segment : segments) {
    if (shown.contains(segment.value)) continue;
    segment.suppressed = true;
    segment.result.reset();
  }
}

}  // namespace

CycleResult score_cycle(const Model& model, const Responses& responses, std::size_t min_group_size,
                        const ShownSegments* shown) {
  CycleResult result;
  result.min_group_size = min_group_size;
  result.group = score_group(model, responses);
  result.roles = score_segments(model, responses, SegmentKind::role, min_group_size);
  result.units = score_segments(model, responses, SegmentKind::unit, min_group_size);
  if (shown) {
    hide_unless(result.roles, shown->roles);
    hide_unless(result.units, shown->units);
  }
  result.role_gaps = segment_gaps(model, responses, result.roles);
  result.unit_gaps = segment_gaps(model, responses, result.units);
  return result;
}

}  // namespace cxm::core
