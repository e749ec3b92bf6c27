// Scores per segment (role or unit) with anonymity protection, and the
// perception gaps between segments.
#pragma once

#include <cstddef>
#include <optional>
#include <string>
#include <vector>

#include "core/comparison.h"
#include "core/model.h"
#include "core/responses.h"
#include "core/scoring.h"

namespace cxm::core {

enum class SegmentKind { role, unit };
const char* to_string(SegmentKind kind);

struct SegmentResult {
  std::string value;                  // the role id or unit name
  std::size_t respondents = 0;        // rows in the segment with at least one answer
  bool suppressed = false;            // fewer respondents than the minimum group size
  std::optional<GroupResult> result;  // absent when suppressed
  std::vector<std::size_t> rows;      // the segment's rows (kept for comparisons)
};

// One result per distinct non-empty role or unit, roles in model order and
// units in order of first appearance. A segment with fewer answering
// respondents than `min_group_size` is suppressed: it carries no scores.
std::vector<SegmentResult> score_segments(const Model& model, const Responses& responses,
                                          SegmentKind kind, std::size_t min_group_size);

// The perception gap between two segments.
struct SegmentGap {
  std::string a;
  std::string b;
  GroupComparison comparison;
};

// Gaps between every pair of unsuppressed segments, in segment order.
std::vector<SegmentGap> segment_gaps(const Model& model, const Responses& responses,
                                     const std::vector<SegmentResult>& segments);

}  // namespace cxm::core
