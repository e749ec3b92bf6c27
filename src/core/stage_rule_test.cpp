#include "core/stage_rule.h"

#include <gtest/gtest.h>

#include <vector>

namespace cxm::core {
namespace {

TEST(StageRule, HighestStageWithAllLowerStagesAttained) {
  const std::vector<std::optional<double>> scores{80, 70, 60, 40, 90};
  const auto v = apply_stage_rule(scores, 60);
  EXPECT_EQ(v.stage, 4);  // stage 4 scores exactly the threshold: attained
  ASSERT_EQ(v.ladder.size(), 5u);
  EXPECT_EQ(v.ladder[0].number, 2);
  EXPECT_TRUE(v.ladder[2].attained);
  EXPECT_FALSE(v.ladder[3].attained);
  EXPECT_TRUE(v.ladder[4].attained);  // attained on its own, but blocked
}

TEST(StageRule, LowerStageBlocksHigherOnes) {
  const std::vector<std::optional<double>> scores{59.9, 95, 95, 95, 95};
  EXPECT_EQ(apply_stage_rule(scores, 60).stage, 1);
}

TEST(StageRule, AllAttainedGivesTopStage) {
  const std::vector<std::optional<double>> scores{61, 62, 63, 64, 65};
  EXPECT_EQ(apply_stage_rule(scores, 60).stage, 6);
}

TEST(StageRule, UnansweredStageIsNotAttained) {
  const std::vector<std::optional<double>> scores{90, std::nullopt, 90};
  const auto v = apply_stage_rule(scores, 60);
  EXPECT_EQ(v.stage, 2);
  EXPECT_FALSE(v.ladder[1].attained);
}

TEST(StageRule, NoStagesAboveTheFloor) {
  EXPECT_EQ(apply_stage_rule(std::vector<StageEvidence>{}, 60).stage, 1);
}

}  // namespace
}  // namespace cxm::core

namespace cxm::core {
namespace {

// The evidence rule: a stage with fewer than half of its statements
// counted is indicative; the verdict is indicative when one of the steps
// it rests on is (up to and including the first one not attained).
TEST(StageRule, StageWithFewerThanHalfItsStatementsCountedIsIndicative) {
  const std::vector<StageEvidence> stages{{80, 2, 4}, {70, 1, 3}, {std::nullopt, 0, 2}};
  const auto v = apply_stage_rule(stages, 60);
  EXPECT_EQ(v.stage, 3);
  EXPECT_FALSE(v.ladder[0].indicative);  // 2 of 4: half is enough
  EXPECT_TRUE(v.ladder[1].indicative);   // 1 of 3
  EXPECT_EQ(v.ladder[1].counted, 1u);
  EXPECT_EQ(v.ladder[1].statements, 3u);
  EXPECT_TRUE(v.ladder[2].indicative);  // none counted: indicative and not attained
  EXPECT_FALSE(v.ladder[2].attained);
  EXPECT_TRUE(v.indicative);
}

TEST(StageRule, VerdictRestsOnTheStepsUpToTheFirstNotAttained) {
  // Stage 3 is not attained and fully evidenced; stage 4 above it is
  // indicative but the verdict (stage 2) does not rest on it.
  const std::vector<StageEvidence> above{{80, 4, 4}, {40, 3, 3}, {90, 1, 3}};
  EXPECT_FALSE(apply_stage_rule(above, 60).indicative);
  // The first step not attained is itself indicative: the verdict is too.
  const std::vector<StageEvidence> first{{80, 4, 4}, {40, 1, 3}, {90, 3, 3}};
  EXPECT_TRUE(apply_stage_rule(first, 60).indicative);
  // Every step attained: every step counts.
  const std::vector<StageEvidence> top{{80, 4, 4}, {70, 3, 3}, {90, 1, 3}};
  const auto v = apply_stage_rule(top, 60);
  EXPECT_EQ(v.stage, 4);
  EXPECT_TRUE(v.indicative);
}

}  // namespace
}  // namespace cxm::core
