#include "core/segments.h"

#include <algorithm>

namespace cxm::core {
namespace {

bool answered_any(const Responses& responses, std::size_t row) {
  const std::int8_t* answers = responses.row(row);
  return std::any_of(answers, answers + responses.item_count(),
                     [](std::int8_t v) { return v != kMissing; });
}

}  // namespace

const char* to_string(SegmentKind kind) { return kind == SegmentKind::role ? "role" : "unit"; }

const char* to_string(HiddenReason reason) {
  switch (reason) {
    case HiddenReason::fewer_than_k:
      return "fewer_than_k";
    case HiddenReason::reveals_smaller_group:
      return "reveals_smaller_group";
    case HiddenReason::inside_filtered_group:
      return "inside_filtered_group";
  }
  return "fewer_than_k";
}

std::vector<SegmentResult> score_segments(const Model& model, const Responses& responses,
                                          SegmentKind kind, std::size_t min_group_size) {
  std::vector<SegmentResult> segments;
  if (kind == SegmentKind::role) {
    for (const auto& role : model.roles)
      segments.push_back(SegmentResult{role.id, 0, 0, false, {}, {}, {}});
  }
  for (std::size_t r = 0; r < responses.size(); ++r) {
    const Respondent& who = responses.respondent(r);
    const std::string& value = kind == SegmentKind::role ? who.role : who.unit;
    if (value.empty()) continue;
    auto it = std::find_if(segments.begin(), segments.end(),
                           [&](const SegmentResult& s) { return s.value == value; });
    if (it == segments.end()) {
      segments.push_back(SegmentResult{value, 0, 0, false, {}, {}, {}});
      it = segments.end() - 1;
    }
    it->rows.push_back(r);
  }
  std::erase_if(segments, [](const SegmentResult& s) { return s.rows.empty(); });

  for (auto& segment : segments) {
    GroupResult scored = score_group(model, responses, segment.rows, min_group_size);
    segment.respondents = scored.answering;
    segment.supplied = static_cast<std::size_t>(
        std::count_if(segment.rows.begin(), segment.rows.end(), [&](std::size_t r) {
          return responses.respondent(r).supplied && answered_any(responses, r);
        }));
    segment.suppressed =
        counted_towards_group(segment.respondents, segment.supplied) < min_group_size;
    if (!segment.suppressed) segment.result = std::move(scored);
  }
  return segments;
}

std::vector<SegmentGap> segment_gaps(const Model& model, const Responses& responses,
                                     const std::vector<SegmentResult>& segments) {
  // Summaries once per segment, not once per pair.
  std::vector<GroupSummary> scores(segments.size());
  for (std::size_t i = 0; i < segments.size(); ++i) {
    if (!segments[i].suppressed)
      scores[i] = summarize(respondent_scores(model, responses, segments[i].rows));
  }
  std::vector<SegmentGap> gaps;
  for (std::size_t i = 0; i < segments.size(); ++i) {
    if (segments[i].suppressed) continue;
    for (std::size_t j = i + 1; j < segments.size(); ++j) {
      if (segments[j].suppressed) continue;
      gaps.push_back(
          SegmentGap{segments[i].value, segments[j].value, compare(scores[i], scores[j])});
    }
  }
  return gaps;
}

}  // namespace cxm::core
