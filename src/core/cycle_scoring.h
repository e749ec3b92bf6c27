// Everything the scoring core says about one cycle's answers: the group
// result, per-role and per-unit segments, and the perception gaps between
// roles and between units.
#pragma once

#include <cstddef>
#include <optional>
#include <string>
#include <vector>

#include "core/disclosure.h"
#include "core/model.h"
#include "core/responses.h"
#include "core/scoring.h"
#include "core/segments.h"

namespace cxm::core {

// The smallest minimum group an anonymous cycle may have (SPEC section 8).
inline constexpr std::size_t kAnonymousMinGroupSize = 3;

// How an organization's stage rolls up from its people: the stage rule on
// everyone's answers pooled, or the weakest unit's stage.
enum class StageRollupRule { pooled_answers, weakest_unit };
const char* to_string(StageRollupRule rule);

struct RolledUpStage {
  StageRollupRule rule = StageRollupRule::pooled_answers;
  int stage = 1;
  std::string weakest_unit;  // weakest_unit: the unit whose stage it is; empty when none is shown
  std::size_t units_shown = 0;  // units whose stage counted
  // A role's or a unit's own view: its name, its answers pooled (the rule
  // is then pooled_answers); empty for the organization's whole result.
  std::string group;
};

// The silo score (SPEC section 3): how far the `silo` statements (about
// departments working together or apart) are agreed with, for everyone and
// per shown unit, beside how far the shown units' overall scores spread.
struct SiloUnit {
  std::string unit;
  std::optional<double> score;  // absent when no silo statement counts in the unit
  std::size_t counted = 0;      // silo statements enough of the unit answered (evidence rule)
};
struct SiloResult {
  std::optional<double> score;          // everyone; absent when no silo statement counts
  std::size_t counted = 0;              // silo statements enough people answered
  std::vector<std::size_t> statements;  // the silo statements, indices into Model::items
  // Only the units shown (never one below the minimum group or hidden by
  // the disclosure rule), in the order of CycleResult::units.
  std::vector<SiloUnit> units;
  // Max - min of the shown units' overall scores; absent below 2 such units.
  std::optional<double> spread;
};

// The silo result of a scored cycle; absent when the model has no silo statement.
std::optional<SiloResult> silo_result(const Model& model, const GroupResult& group,
                                      const std::vector<SegmentResult>& units,
                                      std::size_t min_group_size);

struct CycleResult {
  GroupResult group;
  std::vector<SegmentResult> roles;
  std::vector<SegmentResult> units;
  std::vector<SegmentGap> role_gaps;  // between shown roles
  std::vector<SegmentGap> unit_gaps;  // between shown units
  std::size_t min_group_size = kDefaultMinGroupSize;
  // Of group.respondents, those whose answers the facilitator supplied.
  std::size_t supplied = 0;
  // The organization's stage under its roll-up rule, when one was applied
  // (apply_stage_rollup); absent: the pooled stage, group.stage.
  std::optional<RolledUpStage> rollup;
  std::optional<SiloResult> silo;  // absent when the model has no silo statement
};

// With `shown`, a role or unit segment not in it is suppressed like one
// below the minimum group size (anonymous cycles: see disclosure.h).
CycleResult score_cycle(const Model& model, const Responses& responses,
                        std::size_t min_group_size = kDefaultMinGroupSize,
                        const ShownSegments* shown = nullptr);

// The stage under `rule`: pooled, group.stage; weakest unit, the lowest
// stage among the units shown (not suppressed), or the pooled stage when
// no unit is shown (units_shown == 0 says so). Reveals nothing new: every
// shown unit's stage is already in the result, and a suppressed unit
// (fewer than k, or hidden by the disclosure rule) is never consulted.
RolledUpStage roll_up_stage(const CycleResult& result, StageRollupRule rule);

// Sets result.rollup to roll_up_stage(result, rule).
void apply_stage_rollup(CycleResult& result, StageRollupRule rule);

}  // namespace cxm::core
