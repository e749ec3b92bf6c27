#include "core/progress.h"

#include <gtest/gtest.h>

#include "core/test_support.h"

namespace cxm::core {
namespace {

using testing::add_respondent;
using testing::make_model;

constexpr double kTol = 1e-9;

CycleStanding standing(const Model& model, const Responses& responses, std::optional<int> stage) {
  std::vector<std::size_t> rows(responses.size());
  for (std::size_t r = 0; r < rows.size(); ++r) rows[r] = r;
  return {&model, summarize(respondent_scores(model, responses, rows)), stage};
}

// Expected values: R's t.test(after, before) (Welch), i.e. the
// Welch-Satterthwaite degrees of freedom and qt(0.975, df), computed
// independently with 40-digit arithmetic (mpmath's betainc for the t
// quantile).
TEST(Progress, ChangePerCompetencyAndOverallMatchesWelchTTest) {
  const Model model =
      make_model(3, {{"a2", "a", 2}, {"a3", "a", 3}, {"b2", "b", 2}, {"b3", "b", 3}});
  Responses before(4), after(4);
  add_respondent(before, {2, 3, 4, 4});
  add_respondent(before, {3, 3, 2, 5});
  add_respondent(before, {1, 2, 3, 3});
  add_respondent(before, {2, 2, 4, 4});
  add_respondent(after, {4, 4, 3, 4});
  add_respondent(after, {3, 5, 2, 4});
  add_respondent(after, {4, 3, 3, 5});
  add_respondent(after, {5, 4, 4, 3});
  add_respondent(after, {3, 4, 2, 2});
  const Progress p = progress_between(standing(model, before, 2), standing(model, after, 3));

  ASSERT_EQ(p.competencies.size(), 2u);
  const ScoreChange& a = p.competencies[0].score;
  EXPECT_EQ(p.competencies[0].id, "a");
  EXPECT_EQ(a.before.n, 4u);
  EXPECT_EQ(a.after.n, 5u);
  EXPECT_NEAR(a.before.mean, 31.25, kTol);
  EXPECT_NEAR(a.after.mean, 72.5, kTol);
  EXPECT_NEAR(a.change.difference, 41.25, kTol);
  EXPECT_NEAR(*a.change.ci_low, 17.183307857973547492, kTol);
  EXPECT_NEAR(*a.change.ci_high, 65.316692142026452508, kTol);
  EXPECT_NEAR(*a.change.df, 4.9366886948312485249, kTol);
  EXPECT_EQ(a.verdict, ChangeVerdict::improved);

  const ScoreChange& b = p.competencies[1].score;
  EXPECT_NEAR(b.change.difference, -10.625, kTol);
  EXPECT_NEAR(*b.change.ci_low, -35.35133655664927963, kTol);
  EXPECT_NEAR(*b.change.ci_high, 14.10133655664927963, kTol);
  EXPECT_NEAR(*b.change.df, 6.7459041995311570164, kTol);
  EXPECT_EQ(b.verdict, ChangeVerdict::no_clear_change);

  EXPECT_NEAR(p.overall.change.difference, 15.3125, kTol);
  EXPECT_NEAR(*p.overall.change.ci_low, -3.8137423664569784981, kTol);
  EXPECT_NEAR(*p.overall.change.ci_high, 34.438742366456978498, kTol);
  EXPECT_NEAR(*p.overall.change.df, 6.6169940693736180141, kTol);
  EXPECT_EQ(p.overall.verdict, ChangeVerdict::no_clear_change);
  EXPECT_EQ(p.stage_before, 2);
  EXPECT_EQ(p.stage_after, 3);
  EXPECT_TRUE(p.same_model);
}

TEST(Progress, VerdictFollowsTheInterval) {
  EXPECT_EQ(change_verdict({5, 0.1, 9.9, 4}), ChangeVerdict::improved);
  EXPECT_EQ(change_verdict({-5, -9.9, -0.1, 4}), ChangeVerdict::declined);
  EXPECT_EQ(change_verdict({5, -0.1, 9.9, 4}), ChangeVerdict::no_clear_change);
  EXPECT_EQ(change_verdict({5, 0.0, 9.9, 4}),
            ChangeVerdict::no_clear_change);  // touching 0 is not above it
  EXPECT_EQ(change_verdict({5, std::nullopt, std::nullopt, std::nullopt}),
            ChangeVerdict::no_clear_change);
  EXPECT_STREQ(to_string(ChangeVerdict::declined), "declined");
  EXPECT_STREQ(to_string(ChangeVerdict::no_clear_change), "no clear change");
}

TEST(Progress, DifferentModelsCompareOnTheCompetenciesTheyShare) {
  const Model old_model =
      make_model(3, {{"a2", "a", 2}, {"a3", "a", 3}, {"c2", "c", 2}, {"c3", "c", 3}});
  Model new_model =
      make_model(3, {{"b2", "b", 2}, {"b3", "b", 3}, {"a2", "a", 2}, {"a3x", "a", 3}});
  new_model.version = "2";
  Responses before(4), after(4);
  add_respondent(before, {2, 2, 3, 3});
  add_respondent(before, {3, 3, 3, 3});
  add_respondent(after, {4, 4, 4, 4});
  add_respondent(after, {5, 5, 5, 5});
  const Progress p =
      progress_between(standing(old_model, before, 1), standing(new_model, after, std::nullopt));
  ASSERT_EQ(p.competencies.size(), 1u);
  EXPECT_EQ(p.competencies[0].id, "a");
  EXPECT_NEAR(p.competencies[0].score.before.mean, 37.5, kTol);
  EXPECT_NEAR(p.competencies[0].score.after.mean, 87.5, kTol);
  EXPECT_FALSE(p.same_model);
  EXPECT_FALSE(p.stage_after.has_value());
}

}  // namespace
}  // namespace cxm::core
