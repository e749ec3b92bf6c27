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

// The silo score: x3 and y2 carry the silo theme, y2 worded in reverse.
//           x2 x3 y2 y3
//   A        4  4  2  3
//   A        5  4  1  3
//   A        4  3  2  4
//   B        2  2  4  2
//   B        3  1  5  2
//   B        2  2  4  3
//   C        5  5  1  5   (one person: hidden)
// Everyone: x3 mean 21/7 = 3 -> 50; y2 mean 19/7 -> 300/7 = 42.857,
// reversed 57.143; silo (50 + 57.143) / 2 = 375/7.
// A: x3 11/3 -> 66.667, y2 5/3 -> 16.667 reversed 83.333: silo 75.
// B: x3 5/3 -> 16.667, y2 13/3 -> 83.333 reversed 16.667: silo 16.667.
// Overall scores: A (83.333 + 66.667) / 2 = 75 and (83.333 + 58.333) / 2
// = 70.833 -> 72.917; B (33.333 + 16.667) / 2 = 25 and (16.667 +
// 33.333) / 2 = 25 -> 25; spread 72.917 - 25 = 47.917.
Model silo_model() {
  Model model = make_model(3, {{"x2", "a", 2}, {"x3", "a", 3}, {"y2", "b", 2}, {"y3", "b", 3}});
  model.items[1].themes = {"silo"};
  model.items[2].themes = {"silo"};
  model.items[2].reverse = true;
  return model;
}

Responses silo_answers() {
  Responses r(4);
  add_respondent(r, {4, 4, 2, 3}, "", "A");
  add_respondent(r, {5, 4, 1, 3}, "", "A");
  add_respondent(r, {4, 3, 2, 4}, "", "A");
  add_respondent(r, {2, 2, 4, 2}, "", "B");
  add_respondent(r, {3, 1, 5, 2}, "", "B");
  add_respondent(r, {2, 2, 4, 3}, "", "B");
  add_respondent(r, {5, 5, 1, 5}, "", "C");
  return r;
}

TEST(SiloScore, EveryoneAndEachShownUnitWithTheSpread) {
  const auto result = score_cycle(silo_model(), silo_answers(), 3);
  ASSERT_TRUE(result.silo.has_value());
  const SiloResult& silo = *result.silo;
  EXPECT_EQ(silo.statements, (std::vector<std::size_t>{1, 2}));
  EXPECT_EQ(silo.counted, 2u);
  EXPECT_NEAR(*silo.score, 375.0 / 7.0, 1e-9);
  ASSERT_EQ(silo.units.size(), 2u);  // C (one person) is never there
  EXPECT_EQ(silo.units[0].unit, "A");
  EXPECT_NEAR(*silo.units[0].score, 75.0, 1e-9);
  EXPECT_EQ(silo.units[1].unit, "B");
  EXPECT_NEAR(*silo.units[1].score, 50.0 / 3.0, 1e-9);
  EXPECT_NEAR(*silo.spread, 875.0 / 12.0 - 25.0, 1e-9);
}

TEST(SiloScore, AUnitHiddenByTheDisclosureRuleIsLeftOut) {
  ShownSegments shown;
  shown.units = {"A"};
  shown.hidden_units["B"] = SegmentHidden{HiddenReason::reveals_smaller_group, {"unit", "C"}};
  const auto result = score_cycle(silo_model(), silo_answers(), 3, &shown);
  ASSERT_EQ(result.silo->units.size(), 1u);
  EXPECT_EQ(result.silo->units[0].unit, "A");
  EXPECT_FALSE(result.silo->spread.has_value());  // one unit shown: no spread
}

// The evidence rule inside a unit: one of unit A's three people says
// "don't know" to y2, so y2 has 2 answers in A (fewer than min(3, 3)) and
// A's silo score rests on x3 alone. Everyone: y2 has 5 answers and counts.
TEST(SiloScore, AUnitsFigureRestsOnlyOnStatementsEnoughOfItAnswered) {
  Responses r(4);
  add_respondent(r, {4, 4, std::nullopt, 3}, "", "A");
  add_respondent(r, {5, 4, 1, 3}, "", "A");
  add_respondent(r, {4, 3, 2, 4}, "", "A");
  add_respondent(r, {2, 2, 4, 2}, "", "B");
  add_respondent(r, {3, 1, 5, 2}, "", "B");
  add_respondent(r, {2, 2, 4, 3}, "", "B");
  const auto result = score_cycle(silo_model(), r, 3);
  const SiloResult& silo = *result.silo;
  EXPECT_EQ(silo.counted, 2u);
  ASSERT_EQ(silo.units.size(), 2u);
  EXPECT_EQ(silo.units[0].counted, 1u);
  EXPECT_NEAR(*silo.units[0].score, 11.0 / 3.0 * 25.0 - 25.0, 1e-9);  // x3 alone: 66.667
  EXPECT_EQ(silo.units[1].counted, 2u);
  EXPECT_NEAR(*silo.units[1].score, 50.0 / 3.0, 1e-9);
}

TEST(SiloScore, AbsentWhenTheModelHasNoSiloStatement) {
  Model model = silo_model();
  for (auto& item : model.items) item.themes.clear();
  EXPECT_FALSE(score_cycle(model, silo_answers(), 3).silo.has_value());
}

}  // namespace
}  // namespace cxm::core
