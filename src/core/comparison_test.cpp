#include "core/comparison.h"

#include <gtest/gtest.h>

#include "core/test_support.h"
#include "core/testing.h"

namespace cxm::core {
namespace {

using testing::add_respondent;
using testing::make_model;

TEST(RespondentScores, MeanOfAnsweredItemsPerCompetency) {
  const Model model = make_model(3, {{"a2", "a", 2}, {"a3", "a", 3}, {"b2", "b", 2}});
  Responses responses(3);
  add_respondent(responses, {5, 3, 1});
  add_respondent(responses, {4, NA, NA});
  add_respondent(responses, {NA, NA, NA});
  const std::vector<std::size_t> rows{0, 1, 2};
  const auto scores = respondent_scores(model, responses, rows);
  EXPECT_EQ(scores.competencies[0], (std::vector<double>{75.0, 75.0}));
  EXPECT_EQ(scores.competencies[1], (std::vector<double>{0.0}));
  // Overall: mean of the respondent's competency scores.
  EXPECT_EQ(scores.overall, (std::vector<double>{37.5, 75.0}));
}

// a3 is worded in reverse: an answer of 3 scores as 6 - 3 = 3, an answer
// of 1 as 5. Respondent 1, competency a: (5 + 3) / 2 = 4 -> 75; respondent
// 2: a2 = 4, a3 = 1 -> 5: (4 + 5) / 2 = 4.5 -> 87.5.
TEST(RespondentScores, StatementWordedInReverseCountsMirrored) {
  Model model = make_model(3, {{"a2", "a", 2}, {"a3", "a", 3}});
  model.items[1].reverse = true;
  Responses responses(2);
  add_respondent(responses, {5, 3});
  add_respondent(responses, {4, 1});
  const std::vector<std::size_t> rows{0, 1};
  const auto scores = respondent_scores(model, responses, rows);
  EXPECT_EQ(scores.competencies[0], (std::vector<double>{75.0, 87.5}));
  EXPECT_EQ(scores.overall, (std::vector<double>{75.0, 87.5}));
}

// The change between two cycles on a one-item model equals R's
// t.test(a, b) on the normalized scores.
TEST(CompareGroups, WelchIntervalAndEffectSizeMatchR) {
  const Model model = make_model(2, {{"a2", "a", 2}});
  Responses later(1), earlier(1);
  for (int v : {5, 4, 5, 3, 4, 4}) add_respondent(later, {v});
  for (int v : {3, 2, 4, 3, 2}) add_respondent(earlier, {v});
  const std::vector<std::size_t> rows_a{0, 1, 2, 3, 4, 5}, rows_b{0, 1, 2, 3, 4};
  const auto cmp = compare_groups(model, later, rows_a, earlier, rows_b);
  const auto& d = cmp.competencies[0];
  // R: a <- (c(5,4,5,3,4,4)-1)/4*100; b <- (c(3,2,4,3,2)-1)/4*100; t.test(a, b)
  EXPECT_NEAR(d.difference.difference, 79.166666666666671 - 45.0, kTol);
  EXPECT_NEAR(*d.difference.ci_low, 6.3841909006999815, kTol);
  EXPECT_NEAR(*d.difference.ci_high, 61.9491424326333586, kTol);
  EXPECT_NEAR(*d.effect_size, 1.7274326813624474, kTol);
  EXPECT_EQ(d.a.n, 6u);
  EXPECT_EQ(d.b.n, 5u);
  EXPECT_NEAR(cmp.overall.difference.difference, d.difference.difference, kTol);
}

}  // namespace
}  // namespace cxm::core
