#include "core/cycle_scoring.h"

#include <algorithm>

namespace cxm::core {

namespace {

// Hides the segments not in `shown`, each with the reason `why` gives
// (a segment below k keeps its own), or, when `why` has none, as a
// breakdown inside a filtered group.
void hide_unless(std::vector<SegmentResult>& segments, const std::set<std::string>& shown,
                 const std::map<std::string, SegmentHidden>& why) {
  for (auto& segment : segments) {
    if (shown.contains(segment.value)) continue;
    if (!segment.suppressed) {
      const auto it = why.find(segment.value);
      segment.hidden =
          it != why.end() ? it->second : SegmentHidden{HiddenReason::inside_filtered_group, {}};
    }
    segment.suppressed = true;
    segment.result.reset();
  }
}

}  // namespace

CycleResult score_cycle(const Model& model, const Responses& responses, std::size_t min_group_size,
                        const ShownSegments* shown) {
  CycleResult result;
  result.min_group_size = min_group_size;
  result.group = score_group(model, responses, min_group_size);
  for (const auto& r : responses.respondents()) result.supplied += r.supplied ? 1 : 0;
  result.roles = score_segments(model, responses, SegmentKind::role, min_group_size);
  result.units = score_segments(model, responses, SegmentKind::unit, min_group_size);
  if (shown) {
    hide_unless(result.roles, shown->roles, shown->hidden_roles);
    hide_unless(result.units, shown->units, shown->hidden_units);
  }
  result.role_gaps = segment_gaps(model, responses, result.roles);
  result.unit_gaps = segment_gaps(model, responses, result.units);
  result.silo = silo_result(model, result.group, result.units, min_group_size);
  return result;
}

std::optional<SiloResult> silo_result(const Model& model, const GroupResult& group,
                                      const std::vector<SegmentResult>& units,
                                      std::size_t min_group_size) {
  SiloResult silo;
  for (std::size_t i = 0; i < model.items.size(); ++i) {
    if (model.items[i].has_theme(kSiloTheme)) silo.statements.push_back(i);
  }
  if (silo.statements.empty()) return std::nullopt;
  silo.score = silo_score(model, group, min_group_size, &silo.counted);
  std::optional<double> low, high;
  for (const auto& unit : units) {
    // A hidden unit says nothing here, not even that it has a score.
    if (unit.suppressed || !unit.result) continue;
    SiloUnit shown{unit.value, std::nullopt, 0};
    shown.score = silo_score(model, *unit.result, min_group_size, &shown.counted);
    silo.units.push_back(std::move(shown));
    if (const auto& overall = unit.result->overall_score) {
      low = low ? std::min(*low, *overall) : *overall;
      high = high ? std::max(*high, *overall) : *overall;
    }
  }
  std::size_t scored = 0;
  for (const auto& unit : units)
    scored += !unit.suppressed && unit.result && unit.result->overall_score;
  if (scored >= 2) silo.spread = *high - *low;
  return silo;
}

const char* to_string(StageRollupRule rule) {
  switch (rule) {
    case StageRollupRule::pooled_answers:
      return "pooled";
    case StageRollupRule::weakest_unit:
      return "weakest_unit";
  }
  return "pooled";
}

RolledUpStage roll_up_stage(const CycleResult& result, StageRollupRule rule) {
  RolledUpStage out;
  out.rule = rule;
  out.stage = result.group.stage.stage;
  if (rule == StageRollupRule::pooled_answers) return out;
  for (const auto& unit : result.units) {
    if (unit.suppressed || !unit.result) continue;
    const int stage = unit.result->stage.stage;
    if (out.units_shown == 0 || stage < out.stage) {
      out.stage = stage;
      out.weakest_unit = unit.value;
    }
    ++out.units_shown;
  }
  return out;
}

void apply_stage_rollup(CycleResult& result, StageRollupRule rule) {
  result.rollup = roll_up_stage(result, rule);
}

}  // namespace cxm::core
