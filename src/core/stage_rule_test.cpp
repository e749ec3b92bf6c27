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

TEST(StageRule, NoStagesAboveTheFloor) { EXPECT_EQ(apply_stage_rule({}, 60).stage, 1); }

}  // namespace
}  // namespace cxm::core
