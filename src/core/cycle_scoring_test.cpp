#include "core/cycle_scoring.h"

#include <gtest/gtest.h>

#include "core/test_support.h"

namespace cxm::core {
namespace {

using testing::add_respondent;
using testing::make_model;

// Sales answers high (stage 3), Support low (stage 1), Tiny has two
// people; pooled, everyone is at stage 2.
CycleResult three_units(std::size_t k = 3) {
  const Model m = make_model(3, {{"a2", "a", 2}, {"a3", "a", 3}});
  Responses r(m.items.size());
  for (int i = 0; i < 4; ++i) add_respondent(r, {5, 5}, "manager", "Sales");
  for (int i = 0; i < 3; ++i) add_respondent(r, {3, 2}, "manager", "Support");
  for (int i = 0; i < 2; ++i) add_respondent(r, {1, 1}, "manager", "Tiny");
  return score_cycle(m, r, k);
}

TEST(StageRollup, PooledIsTheStageOfEveryonesAnswers) {
  const CycleResult result = three_units();
  const RolledUpStage pooled = roll_up_stage(result, StageRollupRule::pooled_answers);
  EXPECT_EQ(pooled.stage, result.group.stage.stage);
  EXPECT_EQ(pooled.stage, 2);
  EXPECT_TRUE(pooled.weakest_unit.empty());
}

TEST(StageRollup, WeakestUnitIsTheLowestStageAmongUnitsShown) {
  CycleResult result = three_units();
  ASSERT_EQ(result.units.size(), 3u);
  EXPECT_EQ(result.units[0].result->stage.stage, 3);
  EXPECT_EQ(result.units[1].result->stage.stage, 1);
  EXPECT_TRUE(result.units[2].suppressed);  // Tiny: 2 < k
  apply_stage_rollup(result, StageRollupRule::weakest_unit);
  ASSERT_TRUE(result.rollup);
  EXPECT_EQ(result.group.stage.stage, 2);  // pooled, as before
  EXPECT_EQ(result.rollup->stage, 1);
  EXPECT_EQ(result.rollup->weakest_unit, "Support");
  EXPECT_EQ(result.rollup->units_shown, 2u);  // Tiny, below k, never counts
}

TEST(StageRollup, ASuppressedUnitIsNeverTheWeakest) {
  // With k = 4 only Sales is shown: its stage is the organization's, though
  // the hidden units answer lower.
  const CycleResult result = three_units(4);
  const RolledUpStage weakest = roll_up_stage(result, StageRollupRule::weakest_unit);
  EXPECT_EQ(weakest.stage, 3);
  EXPECT_EQ(weakest.weakest_unit, "Sales");
  EXPECT_EQ(weakest.units_shown, 1u);
}

TEST(StageRollup, WithNoUnitShownTheStageStaysPooled) {
  const CycleResult result = three_units(10);
  const RolledUpStage weakest = roll_up_stage(result, StageRollupRule::weakest_unit);
  EXPECT_EQ(weakest.units_shown, 0u);
  EXPECT_EQ(weakest.stage, result.group.stage.stage);
  EXPECT_TRUE(weakest.weakest_unit.empty());
}

}  // namespace
}  // namespace cxm::core
