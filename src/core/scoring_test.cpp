#include "core/scoring.h"

#include <gtest/gtest.h>

#include <cmath>

#include "core/test_support.h"
#include "core/testing.h"

namespace cxm::core {
namespace {

using testing::add_respondent;
using testing::make_model;

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

namespace cxm::core {
namespace {

using testing::add_respondent;
using testing::make_model;
constexpr double kTol2 = 1e-9;
const std::nullopt_t NA2 = std::nullopt;

// Worded in reverse (c): answers 2, 4, 1, 3 have mean 2.5, normalized 37.5;
// the score is 100 - 37.5 = 62.5, while mean, median and histogram stay as
// answered.
// Cronbach's alpha by hand on the scored (mirrored) answers, c' = 6 - c =
// 4, 2, 5, 3: item variances 5/3 each (sum 5); sum scores 13, 6, 14, 9,
// mean 10.5, variance 41/3; alpha = 3/2 * (1 - 5 / (41/3)) = 39/41.
// Unmirrored the sums would be 11, 8, 10, 9 (variance 5/3): alpha -3.
class ReversedStatement : public ::testing::Test {
 protected:
  Model model = make_model(3, {{"a", "c", 2}, {"b", "c", 2}, {"c", "c", 3}});
  Responses responses{3};
  void SetUp() override {
    model.items[2].reverse = true;
    add_respondent(responses, {4, 5, 2});
    add_respondent(responses, {2, 2, 4});
    add_respondent(responses, {5, 4, 1});
    add_respondent(responses, {3, 3, 3});
  }
};

TEST_F(ReversedStatement, ScoreIsMirroredButAnswersStayAsAnswered) {
  const auto r = score_group(model, responses);
  const ItemResult& c = r.items[2];
  EXPECT_NEAR(*c.stats.mean, 2.5, kTol2);
  EXPECT_NEAR(*c.stats.median, 2.5, kTol2);
  EXPECT_EQ(c.histogram, (std::vector<std::size_t>{1, 1, 1, 1, 0}));
  EXPECT_NEAR(*c.score, 62.5, kTol2);
  // a: mean 3.5, 62.5; b: 3.5, 62.5; the competency 62.5; stage 3 = c's 62.5.
  EXPECT_NEAR(*r.competencies[0].score, 62.5, kTol2);
  EXPECT_NEAR(*r.stage.ladder[1].score, 62.5, kTol2);
  EXPECT_EQ(r.stage.stage, 3);
}

TEST_F(ReversedStatement, AlphaUsesMirroredAnswers) {
  const auto r = score_group(model, responses);
  EXPECT_NEAR(*r.competencies[0].alpha.value, 39.0 / 41.0, kTol2);
  // The same as alpha on answers mirrored beforehand, with no reversal.
  Model plain = model;
  plain.items[2].reverse = false;
  Responses mirrored{3};
  add_respondent(mirrored, {4, 5, 4});
  add_respondent(mirrored, {2, 2, 2});
  add_respondent(mirrored, {5, 4, 5});
  add_respondent(mirrored, {3, 3, 3});
  const auto m = score_group(plain, mirrored);
  EXPECT_NEAR(*m.competencies[0].alpha.value, *r.competencies[0].alpha.value, kTol2);
  // Unmirrored, alpha is -3; rwg(j) does not change (variances are the same).
  const auto u = score_group(plain, responses);
  EXPECT_NEAR(*u.competencies[0].alpha.value, -3.0, kTol2);
  EXPECT_NEAR(*u.competencies[0].rwg_j.value, *r.competencies[0].rwg_j.value, kTol2);
  EXPECT_NEAR(*u.items[2].rwg, *r.items[2].rwg, kTol2);
}

// The evidence rule with a minimum group of 3 and 4 people answering: a
// statement needs min(3, 4) = 3 answers to count for a stage.
//            a2x a2y a3x a3y | b2x b2y b3x b3y
//   r1        5   1   4   4  |  4   4   5   -
//   r2        5   1   4   4  |  4   4   5   -
//   r3        5   -   4   4  |  4   4   -   -
//   r4        5   -   -   4  |  4   4   -   5
// a2y (2 answers), b3x (2) and b3y (1) count for no stage.
class EvidenceRule : public ::testing::Test {
 protected:
  Model model = make_model(3, {{"a2x", "a", 2},
                               {"a2y", "a", 2},
                               {"a3x", "a", 3},
                               {"a3y", "a", 3},
                               {"b2x", "b", 2},
                               {"b2y", "b", 2},
                               {"b3x", "b", 3},
                               {"b3y", "b", 3}});
  Responses responses{8};
  void SetUp() override {
    add_respondent(responses, {5, 1, 4, 4, 4, 4, 5, NA2});
    add_respondent(responses, {5, 1, 4, 4, 4, 4, 5, NA2});
    add_respondent(responses, {5, NA2, 4, 4, 4, 4, NA2, NA2});
    add_respondent(responses, {5, NA2, NA2, 4, 4, 4, NA2, 5});
  }
};

TEST_F(EvidenceRule, StatementsWithTooFewAnswersCountForNoStage) {
  const auto r = score_group(model, responses, 3);
  // Scores stay: a2y 0, b3x 100, b3y 100; the competency scores use them.
  EXPECT_NEAR(*r.items[1].score, 0.0, kTol2);
  EXPECT_NEAR(*r.competencies[0].score, (100.0 + 0 + 75 + 75) / 4, kTol2);
  // Organization, stage 2: a2x, b2x, b2y count (3 of 4): (100 + 75 + 75) / 3.
  EXPECT_EQ(r.stage.ladder[0].counted, 3u);
  EXPECT_EQ(r.stage.ladder[0].statements, 4u);
  EXPECT_NEAR(*r.stage.ladder[0].score, 250.0 / 3.0, kTol2);
  EXPECT_FALSE(r.stage.ladder[0].indicative);
  // Stage 3: a3x, a3y count (2 of 4, half: not indicative), 75.
  EXPECT_EQ(r.stage.ladder[1].counted, 2u);
  EXPECT_NEAR(*r.stage.ladder[1].score, 75.0, kTol2);
  EXPECT_FALSE(r.stage.ladder[1].indicative);
  EXPECT_EQ(r.stage.stage, 3);
  EXPECT_FALSE(r.stage.indicative);
  // Competency b: stage 3 has no statement that counts: not attained (its
  // two answers of 5 alone would have given 100), and indicative.
  const StageVerdict& b = r.competencies[1].stage;
  EXPECT_EQ(b.stage, 2);
  EXPECT_FALSE(b.ladder[1].score.has_value());
  EXPECT_FALSE(b.ladder[1].attained);
  EXPECT_TRUE(b.ladder[1].indicative);
  EXPECT_TRUE(b.indicative);
  // Competency a: stage 2 rests on a2x alone (1 of 2: half, not indicative).
  EXPECT_EQ(r.competencies[0].stage.stage, 3);
  EXPECT_FALSE(r.competencies[0].stage.indicative);
  EXPECT_NEAR(*r.competencies[0].stage.ladder[0].score, 100.0, kTol2);
}

TEST_F(EvidenceRule, StatementsThatCountForNoStageAreNoStrengthOrWeakness) {
  // Counted: a2x 100, a3x 75, a3y 75, b2x 75, b2y 75 (5 of 8 scored), so at
  // most 2 a side. Uncounted b3x and b3y (100) would lead the strengths and
  // a2y (0, two answers) the weaknesses.
  const auto r = score_group(model, responses, 3);
  EXPECT_EQ(r.strengths.items, (std::vector<std::size_t>{0, 2}));
  EXPECT_EQ(r.weaknesses.items, (std::vector<std::size_t>{5, 4}));
  // Minimum group 2: b3x and a2y (2 answers each) count and rank.
  const auto two = score_group(model, responses, 2);
  EXPECT_EQ(two.strengths.items, (std::vector<std::size_t>{0, 6, 2}));  // 7 counted: 3 a side
  EXPECT_EQ(two.weaknesses.items.front(), 1u);
}

TEST_F(EvidenceRule, ASmallerGroupNeedsFewerAnswers) {
  // Minimum group 2: every statement with 2 answers counts; b3y (1) not.
  const auto r = score_group(model, responses, 2);
  EXPECT_EQ(r.stage.ladder[0].counted, 4u);
  EXPECT_NEAR(*r.stage.ladder[0].score, (100.0 + 0 + 75 + 75) / 4, kTol2);
  EXPECT_EQ(r.competencies[1].stage.stage, 3);  // b3x (100) counts now
  EXPECT_FALSE(r.competencies[1].stage.indicative);
}

TEST_F(EvidenceRule, StageWithFewerThanHalfCountedIsIndicative) {
  // Only r1 and r2's rows, minimum group 3: needed min(3, 2) = 2, so every
  // statement they both answered counts; b3y (none) does not. Competency
  // b, stage 3: b3x counts, 1 of 2: not indicative.
  const std::vector<std::size_t> two{0, 1};
  const auto r = score_group(model, responses, two, 3);
  EXPECT_EQ(r.competencies[1].stage.ladder[1].counted, 1u);
  EXPECT_FALSE(r.competencies[1].stage.indicative);
  // Rows r3 and r4 with minimum group 3: needed 2; stage 3 of the
  // organization: a3y (2 answers) counts, a3x (1), b3x (0), b3y (1) do
  // not: 1 of 4, indicative; its score 75 is attained, so the verdict
  // (stage 3) rests on it.
  const std::vector<std::size_t> last{2, 3};
  const auto s = score_group(model, responses, last, 3);
  EXPECT_EQ(s.stage.ladder[1].counted, 1u);
  EXPECT_TRUE(s.stage.ladder[1].indicative);
  EXPECT_EQ(s.stage.stage, 3);
  EXPECT_TRUE(s.stage.indicative);
}

TEST(EvidenceRuleSelfTest, OnePersonIsJudgedOnEveryAnswer) {
  // One respondent, minimum group 3: needed min(3, 1) = 1.
  const Model model =
      make_model(3, {{"a2", "a", 2}, {"b2", "a", 2}, {"a3", "a", 3}, {"b3", "a", 3}});
  Responses responses(4);
  add_respondent(responses, {5, NA2, 4, 4});
  const auto r = score_group(model, responses, 3);
  const auto one = score_group(model, responses, 1);
  EXPECT_EQ(r.stage.stage, 3);
  EXPECT_EQ(r.stage.ladder[0].counted, 1u);
  EXPECT_NEAR(*r.stage.ladder[0].score, *one.stage.ladder[0].score, kTol2);
  EXPECT_NEAR(*r.stage.ladder[1].score, 75.0, kTol2);
  EXPECT_FALSE(r.stage.indicative);  // 1 of 2 and 2 of 2
  EXPECT_EQ(r.stage.stage, one.stage.stage);
}

}  // namespace
}  // namespace cxm::core
