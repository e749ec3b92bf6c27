// Everything the scoring core says about one cycle's answers: the group
// result, per-role and per-unit segments, and the perception gaps between
// roles and between units.
#pragma once

#include <cstddef>
#include <vector>

#include "core/disclosure.h"
#include "core/model.h"
#include "core/responses.h"
#include "core/scoring.h"
#include "core/segments.h"

namespace cxm::core {

inline constexpr std::size_t kDefaultMinGroupSize = 3;

struct CycleResult {
  GroupResult group;
  std::vector<SegmentResult> roles;
  std::vector<SegmentResult> units;
  std::vector<SegmentGap> role_gaps;  // between shown roles
  std::vector<SegmentGap> unit_gaps;  // between shown units
  std::size_t min_group_size = kDefaultMinGroupSize;
};

// With `shown`, a role or unit segment not in it is suppressed like one
// below the minimum group size (anonymous cycles: see disclosure.h).
CycleResult score_cycle(const Model& model, const Responses& responses,
                        std::size_t min_group_size = kDefaultMinGroupSize, const ShownSegments* shown = nullptr);

}  // namespace cxm::core
