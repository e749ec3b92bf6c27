#include "core/discussion.h"

#include <gtest/gtest.h>

#include <cmath>

#include "core/test_support.h"
#include "core/testing.h"

namespace cxm::core {
namespace {

using testing::add_respondent;
using testing::make_model;

// Six people, five statements on a 1-5 scale (sigma^2_EU = 2), worked by hand:
//  a2 (stage 2) 4,4,4,4,5,5  mean 4.333 var 12/45       rwg 0.866667 agreement
//  c2 (stage 2) 2,3,3,4,4,4  mean 3.333 var 2/3         rwg 0.666667 mixed
//  a3 (stage 3) 1,1,1,5,5,5  mean 3     var 4.8         rwg 0        disagreement (bimodal)
//  b3 (stage 3) 2,2,3,3,3,4  mean 2.833 var 0.566667    rwg 0.716667 agreement
//  b4 (stage 4) 1,1,3,3,5,5  mean 3     var 3.2         rwg 0        disagreement (bimodal)
// Stage 2 scores (83.3 + 58.3) / 2 = 70.8 >= 60: attained; stage 3 scores
// (50 + 45.8) / 2 < 60: the group is at stage 2 and stage 3 is next.
class Agenda : public ::testing::Test {
 protected:
  Model model = make_model(
      4, {{"a2", "a", 2}, {"c2", "c", 2}, {"a3", "a", 3}, {"b3", "b", 3}, {"b4", "b", 4}});
  Responses responses{5};
  void SetUp() override {
    add_respondent(responses, {4, 2, 1, 2, 1});
    add_respondent(responses, {4, 3, 1, 2, 1});
    add_respondent(responses, {4, 3, 1, 3, 3});
    add_respondent(responses, {4, 4, 5, 3, 3});
    add_respondent(responses, {5, 4, 5, 3, 5});
    add_respondent(responses, {5, 4, 5, 4, 5});
  }
};

TEST_F(Agenda, WorkedExampleStatistics) {
  const GroupResult g = score_group(model, responses);
  EXPECT_EQ(g.stage.stage, 2);
  EXPECT_NEAR(*g.items[0].rwg, 1.0 - (12.0 / 45.0) / 2.0, kTol);
  EXPECT_NEAR(*g.items[1].rwg, 1.0 - (2.0 / 3.0) / 2.0, kTol);
  EXPECT_NEAR(*g.items[3].rwg, 1.0 - (0.85 / 1.5 / 2.0), kTol);
  EXPECT_EQ(*g.items[2].agreement, AgreementClass::disagreement);
  EXPECT_NEAR(*g.items[2].stats.mean, 3.0, kTol);  // neutral-looking mean, split room
  EXPECT_TRUE(g.items[2].bimodal);
}

TEST_F(Agenda, DisagreementFirstThenNextStageThenLowerAgreement) {
  const auto agenda = discussion_agenda(model, score_group(model, responses));
  std::vector<std::string> ids;
  for (const auto& e : agenda) ids.push_back(model.items[e.item].id);
  EXPECT_EQ(ids, (std::vector<std::string>{"a3", "b4", "c2", "b3", "a2"}));
  EXPECT_EQ(agenda[0].importance, Importance::next_stage);
  EXPECT_EQ(agenda[1].importance, Importance::later);
  EXPECT_EQ(agenda[2].importance, Importance::attained);
  EXPECT_EQ(agenda[2].agreement, AgreementClass::mixed);
  EXPECT_NEAR(agenda[3].rwg, 1.0 - 0.85 / 3.0, kTol);
}

TEST_F(Agenda, StatementsWithFewerThanTwoAnswersAreLeftOut) {
  Responses two{5};
  add_respondent(two, {4, 4, std::nullopt, 3, 2});
  add_respondent(two, {5, 4, 4, 3, 2});
  const auto agenda = discussion_agenda(model, score_group(model, two));
  EXPECT_EQ(agenda.size(), 4u);
  for (const auto& e : agenda) EXPECT_NE(model.items[e.item].id, "a3");
}

// Answers 2,2,3,4,4: mean 3, variance 1, rwg 0.5 -- "mixed" by rwg alone,
// but two camps of two with the middle lower than both: disagreement.
TEST(BimodalityRule, SplitRoomWithNeutralMeanIsDisagreement) {
  const Model model = make_model(2, {{"x", "a", 2}});
  Responses r{1};
  for (int v : {2, 2, 3, 4, 4}) add_respondent(r, {v});
  const ItemResult item = score_group(model, r).items[0];
  EXPECT_NEAR(*item.stats.mean, 3.0, kTol);
  EXPECT_NEAR(*item.rwg, 0.5, kTol);
  EXPECT_TRUE(item.bimodal);
  EXPECT_EQ(*item.agreement, AgreementClass::disagreement);
}

ItemResult one_statement(std::initializer_list<int> answers) {
  const Model model = make_model(2, {{"x", "a", 2}});
  Responses r{1};
  for (int v : answers) add_respondent(r, {v});
  return score_group(model, r).items[0];
}

TEST(SecondRound, SplitRoomThatAgreesConverged) {
  const auto c =
      compare_rounds(one_statement({1, 1, 1, 5, 5, 5}), one_statement({3, 3, 3, 3, 4, 4}));
  EXPECT_EQ(c.verdict, Convergence::converged);
  EXPECT_NEAR(*c.rwg_before, 0.0, kTol);
  EXPECT_NEAR(*c.rwg_after, 1.0 - (12.0 / 45.0) / 2.0, kTol);
  EXPECT_NEAR(*c.sd_before, std::sqrt(4.8), kTol);
}

TEST(SecondRound, SameSpreadIsUnchanged) {
  // Both variances 2/3: rwg 0.666667, mixed, before and after.
  const auto c =
      compare_rounds(one_statement({2, 3, 3, 4, 4, 4}), one_statement({3, 3, 3, 4, 4, 5}));
  EXPECT_EQ(c.verdict, Convergence::unchanged);
  EXPECT_NEAR(*c.rwg_after - *c.rwg_before, 0.0, kTol);
}

TEST(SecondRound, WiderSpreadInTheSameClassDiverged) {
  // rwg 0.666667 -> 0.516667, both mixed: a fall of 0.15.
  const auto c =
      compare_rounds(one_statement({2, 3, 3, 4, 4, 4}), one_statement({2, 2, 3, 4, 4, 4}));
  EXPECT_EQ(c.verdict, Convergence::diverged);
  EXPECT_NEAR(*c.rwg_after, 1.0 - (4.8333333333333333 / 5.0) / 2.0, 1e-9);
}

TEST(SecondRound, OneAnswerIsNotEnough) {
  EXPECT_EQ(compare_rounds(one_statement({2, 4}), one_statement({3})).verdict,
            Convergence::not_enough_answers);
}

}  // namespace
}  // namespace cxm::core
