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

// Why a role or unit segment is hidden: its true reason, so that every
// hidden figure can say it (SPEC section 8, docs/anonymity.md).
enum class HiddenReason {
  // The segment itself has fewer than k counted respondents.
  fewer_than_k,
  // Large enough, but shown beside the other figures it would let a
  // smaller group (`reveals`) be worked out by subtraction.
  reveals_smaller_group,
  // A breakdown inside a role's or a unit's own view of an anonymous
  // cycle: a finer cut than the disclosure rule allows.
  inside_filtered_group,
};
const char* to_string(HiddenReason reason);

// The smaller group a hidden segment would reveal, named only by a role or
// a unit that holds all of its people (never a cross of both, which would
// itself tell who answered): kind "unit" (preferred) or "role" with its
// value, an empty value being the people with no unit (or no role); kind
// empty when no single role or unit holds them.
struct RevealedGroup {
  std::string kind;   // "unit", "role" or empty
  std::string value;  // the unit name or role id; empty: those with none
};

struct SegmentHidden {
  HiddenReason reason = HiddenReason::fewer_than_k;
  RevealedGroup reveals;  // reveals_smaller_group only
};

struct SegmentResult {
  std::string value;                  // the role id or unit name
  std::size_t respondents = 0;        // rows in the segment with at least one answer
  std::size_t supplied = 0;           // of those, rows the facilitator supplied (imported)
  bool suppressed = false;            // too few counted respondents (counted_towards_group)
  std::optional<GroupResult> result;  // absent when suppressed
  std::vector<std::size_t> rows;      // the segment's rows (kept for comparisons)
  SegmentHidden hidden;               // why, when suppressed
};

// The people that make a group large enough to show (SPEC section 8): those
// who answered themselves. Rows the facilitator supplied (imported) never
// make up anyone else's group; a group of imported rows alone counts them.
inline std::size_t counted_towards_group(std::size_t respondents, std::size_t supplied) {
  const std::size_t own = respondents - supplied;
  return own > 0 ? own : respondents;
}

// One result per distinct non-empty role or unit, roles in model order and
// units in order of first appearance. A segment whose answering respondents
// counted towards the group (counted_towards_group) are fewer than
// `min_group_size` is suppressed: it carries no scores.
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
