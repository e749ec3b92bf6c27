#include "core/scoring.h"

#include <gtest/gtest.h>

#include <cmath>

#include "core/test_support.h"

namespace cxm::core {
namespace {

using testing::add_respondent;
using testing::make_model;
constexpr double kTol = 1e-9;
const std::nullopt_t NA = std::nullopt;

// The worked example also run through R (multilevel 2.7, psych 2.2):
// x <- data.frame(i1=c(4,5,3,4,2,5,4,NA), i2=c(3,4,3,5,2,4,NA,4),
//                 i3=c(4,4,2,5,1,5,3,3),  i4=c(5,4,3,4,2,4,4,2))
class WorkedExample : public ::testing::Test {
 protected:
  Model model = make_model(5, {{"i1", "c", 2}, {"i2", "c", 3}, {"i3", "c", 4}, {"i4", "c", 5}});
  Responses responses{4};
  void SetUp() override {
    add_respondent(responses, {4, 3, 4, 5});
    add_respondent(responses, {5, 4, 4, 4});
    add_respondent(responses, {3, 3, 2, 3});
    add_respondent(responses, {4, 5, 5, 4});
    add_respondent(responses, {2, 2, 1, 2});
    add_respondent(responses, {5, 4, 5, 4});
    add_respondent(responses, {4, NA, 3, 4});
    add_respondent(responses, {NA, 4, 3, 2});
  }
};

TEST_F(WorkedExample, ItemStatisticsMatchR) {
  const auto r = score_group(model, responses);
  const ItemResult& i1 = r.items[0];
  EXPECT_EQ(i1.stats.n, 7u);
  EXPECT_EQ(i1.missing, 1u);
  EXPECT_NEAR(*i1.stats.mean, 27.0 / 7.0, kTol);
  EXPECT_NEAR(*i1.stats.median, 4.0, kTol);
  EXPECT_NEAR(*i1.stats.variance, 1.1428571428571428, kTol);  // var(x$i1, na.rm=TRUE)
  EXPECT_NEAR(*i1.sd, std::sqrt(1.1428571428571428), kTol);
  EXPECT_NEAR(*i1.rwg, 0.4285714285714286, kTol);  // rwg(x$i1, g, 2)
  EXPECT_EQ(*i1.agreement, AgreementClass::disagreement);
  EXPECT_NEAR(*i1.score, (27.0 / 7.0 - 1.0) / 4.0 * 100.0, kTol);
  EXPECT_EQ(i1.histogram, (std::vector<std::size_t>{0, 1, 1, 3, 2}));
}

TEST_F(WorkedExample, CompetencyAgreementAndReliabilityMatchR) {
  const auto r = score_group(model, responses);
  const CompetencyResult& c = r.competencies[0];
  EXPECT_EQ(c.rwg_j.n, 6u);
  EXPECT_NEAR(*c.rwg_j.value, 0.53132832080200498, kTol);  // rwg.j(x, g, 2)
  EXPECT_EQ(c.alpha.n, 6u);
  EXPECT_NEAR(*c.alpha.value, 0.92391899288451018, kTol);  // psych::alpha(na.omit(x))
}

TEST_F(WorkedExample, CompetencyScoreIsMeanOfItemScores) {
  const auto r = score_group(model, responses);
  double sum = 0;
  for (const auto& item : r.items) sum += *item.score;
  EXPECT_NEAR(*r.competencies[0].score, sum / 4.0, kTol);
  EXPECT_NEAR(*r.overall_score, sum / 4.0, kTol);
}

// Stage 2 items all 5, stage 3 items all 1, stage 4 items all 5.
TEST(Scoring, LowerStageBlocksHigherStage) {
  const Model model = make_model(4, {{"a2", "a", 2},
                                     {"a3", "a", 3},
                                     {"a4", "a", 4},
                                     {"b2", "b", 2},
                                     {"b3", "b", 3},
                                     {"b4", "b", 4}});
  Responses responses(6);
  add_respondent(responses, {5, 1, 5, 5, 2, 5});
  add_respondent(responses, {5, 1, 5, 5, 1, 5});
  const auto r = score_group(model, responses);
  EXPECT_EQ(r.stage.stage, 2);
  ASSERT_EQ(r.stage.ladder.size(), 3u);
  EXPECT_NEAR(*r.stage.ladder[0].score, 100.0, kTol);
  EXPECT_NEAR(*r.stage.ladder[1].score, (0.0 + 12.5) / 2.0, kTol);
  EXPECT_TRUE(r.stage.ladder[2].attained);
  // Gaps: stage-3 items below the threshold, weakest first.
  EXPECT_EQ(r.next_stage_gaps, (std::vector<std::size_t>{1, 4}));
  EXPECT_EQ(r.competencies[0].stage.stage, 2);
  EXPECT_EQ(r.competencies[1].stage.stage, 2);
}

TEST(Scoring, CompetencyStagesDiffer) {
  const Model model =
      make_model(3, {{"a2", "a", 2}, {"a3", "a", 3}, {"b2", "b", 2}, {"b3", "b", 3}});
  Responses responses(4);
  add_respondent(responses, {5, 4, 2, 5});
  add_respondent(responses, {4, 4, 3, 5});
  const auto r = score_group(model, responses);
  EXPECT_EQ(r.competencies[0].stage.stage, 3);
  EXPECT_EQ(r.competencies[1].stage.stage, 1);
  // Whole organization: stage 2 mean = (87.5 + 37.5) / 2 = 62.5, stage 3 = 87.5.
  EXPECT_EQ(r.stage.stage, 3);
  EXPECT_TRUE(r.next_stage_gaps.empty());  // no stage above the top
}

TEST(Scoring, SingleRespondentHasNoSpreadOrAgreement) {
  const Model model = make_model(3, {{"a2", "a", 2}, {"a3", "a", 3}});
  Responses responses(2);
  add_respondent(responses, {4, 2});
  const auto r = score_group(model, responses);
  EXPECT_EQ(r.items[0].stats.n, 1u);
  EXPECT_NEAR(*r.items[0].stats.mean, 4.0, kTol);
  EXPECT_FALSE(r.items[0].sd.has_value());
  EXPECT_FALSE(r.items[0].rwg.has_value());
  EXPECT_FALSE(r.items[0].agreement.has_value());
  EXPECT_FALSE(r.competencies[0].rwg_j.value.has_value());
  EXPECT_EQ(r.competencies[0].rwg_j.n, 1u);
  EXPECT_FALSE(r.competencies[0].alpha.value.has_value());
  EXPECT_EQ(r.stage.stage, 2);
}

TEST(Scoring, AllAnswersEqualMeansFullAgreementAndNoAlpha) {
  const Model model = make_model(3, {{"a2", "a", 2}, {"a3", "a", 3}});
  Responses responses(2);
  for (int i = 0; i < 5; ++i) add_respondent(responses, {3, 3});
  const auto r = score_group(model, responses);
  EXPECT_NEAR(*r.items[0].sd, 0.0, kTol);
  EXPECT_NEAR(*r.items[0].rwg, 1.0, kTol);
  EXPECT_EQ(*r.items[0].agreement, AgreementClass::agreement);
  EXPECT_NEAR(*r.competencies[0].rwg_j.value, 1.0, kTol);
  EXPECT_FALSE(r.competencies[0].alpha.value.has_value());  // no variance
  EXPECT_EQ(r.competencies[0].alpha.n, 5u);
  EXPECT_NEAR(*r.items[0].score, 50.0, kTol);
}

TEST(Scoring, AllDontKnowLeavesEverythingUnscored) {
  const Model model = make_model(3, {{"a2", "a", 2}, {"a3", "a", 3}});
  Responses responses(2);
  add_respondent(responses, {NA, NA});
  add_respondent(responses, {NA, NA});
  const auto r = score_group(model, responses);
  EXPECT_EQ(r.respondents, 2u);
  EXPECT_EQ(r.answering, 0u);
  EXPECT_EQ(r.items[0].stats.n, 0u);
  EXPECT_EQ(r.items[0].missing, 2u);
  EXPECT_FALSE(r.items[0].score.has_value());
  EXPECT_FALSE(r.competencies[0].score.has_value());
  EXPECT_FALSE(r.overall_score.has_value());
  EXPECT_EQ(r.stage.stage, 1);
  EXPECT_TRUE(r.next_stage_gaps.empty());
  EXPECT_TRUE(r.strengths.items.empty());
  EXPECT_TRUE(r.weaknesses.competencies.empty());
}

TEST(Scoring, ItemNobodyAnsweredIsLeftOutOfMeans) {
  const Model model = make_model(3, {{"a2", "a", 2}, {"x2", "a", 2}, {"a3", "a", 3}});
  Responses responses(3);
  add_respondent(responses, {5, NA, 1});
  add_respondent(responses, {4, NA, 2});
  const auto r = score_group(model, responses);
  EXPECT_FALSE(r.items[1].score.has_value());
  EXPECT_NEAR(*r.stage.ladder[0].score, 87.5, kTol);  // only a2 counts
  EXPECT_NEAR(*r.competencies[0].score, (87.5 + 12.5) / 2.0, kTol);
  // Listwise deletion removes every row: no rwg(j), no alpha.
  EXPECT_EQ(r.competencies[0].rwg_j.n, 0u);
  EXPECT_FALSE(r.competencies[0].rwg_j.value.has_value());
  EXPECT_FALSE(r.competencies[0].alpha.value.has_value());
}

TEST(Scoring, ListwiseDeletionLeavingOneRowGivesNoCompetencyAgreement) {
  const Model model = make_model(3, {{"a2", "a", 2}, {"a3", "a", 3}});
  Responses responses(2);
  add_respondent(responses, {5, 4});
  add_respondent(responses, {4, NA});
  add_respondent(responses, {NA, 2});
  const auto r = score_group(model, responses);
  EXPECT_EQ(r.competencies[0].rwg_j.n, 1u);
  EXPECT_FALSE(r.competencies[0].rwg_j.value.has_value());
  EXPECT_EQ(r.competencies[0].alpha.n, 1u);
  EXPECT_FALSE(r.competencies[0].alpha.value.has_value());
  EXPECT_TRUE(r.items[0].rwg.has_value());  // items keep their own n = 2
}

TEST(Scoring, SplitGroupIsDisagreementEvenWithModerateVariance) {
  const Model model = make_model(2, {{"a2", "a", 2}});
  Responses responses(1);
  for (int v : {2, 2, 2, 2, 3, 4, 4, 4, 4}) add_respondent(responses, {v});
  const auto r = score_group(model, responses);
  EXPECT_NEAR(*r.items[0].rwg, 0.5, kTol);  // s^2 = 1: "mixed" by rwg alone
  EXPECT_TRUE(r.items[0].bimodal);
  EXPECT_EQ(*r.items[0].agreement, AgreementClass::disagreement);
}

TEST(Scoring, AgreementClassBoundaries) {
  EXPECT_EQ(classify_agreement(0.70, false), AgreementClass::agreement);
  EXPECT_EQ(classify_agreement(0.6999, false), AgreementClass::mixed);
  EXPECT_EQ(classify_agreement(0.50, false), AgreementClass::mixed);
  EXPECT_EQ(classify_agreement(0.4999, false), AgreementClass::disagreement);
  EXPECT_EQ(classify_agreement(0.95, true), AgreementClass::disagreement);
  EXPECT_STREQ(to_string(AgreementClass::mixed), "mixed");
}

TEST(Scoring, StrengthsAndWeaknessesRanked) {
  const Model model = make_model(2, {{"a2", "a", 2},
                                     {"b2", "b", 2},
                                     {"c2", "c", 2},
                                     {"d2", "d", 2},
                                     {"e2", "e", 2},
                                     {"f2", "f", 2},
                                     {"g2", "g", 2}});
  Responses responses(7);
  add_respondent(responses, {3, 5, 1, 4, 2, 3, 4});
  const auto r = score_group(model, responses);
  // Scores: b 100, d 75, g 75, a 50, f 50, e 25, c 0; ties in model order.
  EXPECT_EQ(r.strengths.competencies, (std::vector<std::size_t>{1, 3, 6}));
  EXPECT_EQ(r.weaknesses.competencies, (std::vector<std::size_t>{2, 4, 5}));
}

TEST(Scoring, StrengthsAndWeaknessesNeverOverlap) {
  const Model model = make_model(
      2, {{"a2", "a", 2}, {"b2", "b", 2}, {"c2", "c", 2}, {"d2", "d", 2}, {"e2", "e", 2}});
  Responses responses(5);
  add_respondent(responses, {3, 3, 3, 3, 3});  // all tied
  const auto r = score_group(model, responses);
  EXPECT_EQ(r.strengths.competencies, (std::vector<std::size_t>{0, 1}));
  EXPECT_EQ(r.weaknesses.competencies, (std::vector<std::size_t>{4, 3}));
  EXPECT_EQ(r.strengths.items.size(), 2u);  // at most half of 5
}

TEST(Scoring, SubsetOfRowsScoresOnlyThose) {
  const Model model = make_model(2, {{"a2", "a", 2}});
  Responses responses(1);
  add_respondent(responses, {1});
  add_respondent(responses, {5});
  const std::vector<std::size_t> rows{1};
  const auto r = score_group(model, responses, rows);
  EXPECT_EQ(r.respondents, 1u);
  EXPECT_NEAR(*r.items[0].score, 100.0, kTol);
}

TEST(Scoring, NormalizeMapsScaleOntoZeroToHundred) {
  const Scale scale{1, 5, {}, ""};
  EXPECT_NEAR(normalize(scale, 1.0), 0.0, kTol);
  EXPECT_NEAR(normalize(scale, 3.4), 60.0, kTol);
  EXPECT_NEAR(normalize(scale, 5.0), 100.0, kTol);
  const Scale seven{0, 6, {}, ""};
  EXPECT_NEAR(normalize(seven, 3.0), 50.0, kTol);
}

}  // namespace
}  // namespace cxm::core
