#include "core/statistics.h"

#include <gtest/gtest.h>

#include <cmath>
#include <vector>

#include "core/testing.h"

namespace cxm::core {
namespace {

TEST(DescribeHistogram, MeanMedianVarianceMatchDefinitions) {
  // Answers 1, 2, 4, 4 on a 1-5 scale: mean 2.75, median 3 (R), var 2.25.
  const std::vector<std::size_t> counts{1, 1, 0, 2, 0};
  const auto d = describe_histogram(counts, 1);
  EXPECT_EQ(d.n, 4u);
  EXPECT_NEAR(*d.mean, 2.75, kTol);
  EXPECT_NEAR(*d.median, 3.0, kTol);
  EXPECT_NEAR(*d.variance, 2.25, kTol);
}

TEST(DescribeHistogram, OddCountMedianIsMiddleValue) {
  const std::vector<std::size_t> counts{0, 2, 1, 0, 2};  // 2,2,3,5,5
  const auto d = describe_histogram(counts, 1);
  EXPECT_NEAR(*d.median, 3.0, kTol);
}

TEST(DescribeHistogram, SingleAnswerHasNoVariance) {
  const std::vector<std::size_t> counts{0, 0, 1, 0, 0};
  const auto d = describe_histogram(counts, 1);
  EXPECT_EQ(d.n, 1u);
  EXPECT_NEAR(*d.mean, 3.0, kTol);
  EXPECT_FALSE(d.variance.has_value());
}

TEST(DescribeHistogram, NoAnswersHasNothing) {
  const std::vector<std::size_t> counts(5, 0);
  const auto d = describe_histogram(counts, 1);
  EXPECT_EQ(d.n, 0u);
  EXPECT_FALSE(d.mean.has_value());
  EXPECT_FALSE(d.median.has_value());
  EXPECT_FALSE(d.variance.has_value());
}

TEST(Summarize, MatchesR) {
  const std::vector<double> x{70, 55, 80, 62.5, 90, 45};
  const auto s = summarize(x);
  EXPECT_EQ(s.n, 6u);
  EXPECT_NEAR(s.mean, 67.083333333333333, kTol);
  EXPECT_NEAR(s.variance, 271.04166666666669, kTol);
}

TEST(Rwg, UniformNullVarianceForFivePointsIsTwo) {
  EXPECT_NEAR(uniform_null_variance(5), 2.0, kTol);
  EXPECT_NEAR(uniform_null_variance(7), 4.0, kTol);
}

TEST(Rwg, MatchesMultilevelRwg) {
  // R: multilevel::rwg(c(4,5,3,4,2,5,4), grp, ranvar = 2) = 0.4285714285714286
  EXPECT_NEAR(rwg(1.1428571428571428, 5), 0.4285714285714286, kTol);
}

TEST(Rwg, TruncatedAtZeroAndOne) {
  // R: rwg(c(1,5,1,5), ...) = 0 (variance 5.33 > 2)
  EXPECT_EQ(rwg(16.0 / 3.0, 5), 0.0);
  EXPECT_EQ(rwg(0.0, 5), 1.0);
}

TEST(RwgJ, MatchesJamesDemareeWolfFormula) {
  // J = 4, mean variance 1.1: 4(1 - .55) / (4(1 - .55) + .55)
  const double expected = 4 * 0.45 / (4 * 0.45 + 0.55);
  EXPECT_NEAR(rwg_j(1.1, 4, 5), expected, kTol);
}

TEST(RwgJ, MeanVarianceCappedAtNullVariance) {
  // R: rwg.j(data.frame(a=c(1,5,1,5), b=c(1,5,5,1)), ...) = 0
  EXPECT_EQ(rwg_j(16.0 / 3.0, 2, 5), 0.0);
  EXPECT_EQ(rwg_j(0.0, 3, 5), 1.0);
}

TEST(Bimodal, TwoSeparatedPeaksAreBimodal) {
  EXPECT_TRUE(is_bimodal(std::vector<std::size_t>{0, 4, 1, 4, 0}));
  EXPECT_TRUE(is_bimodal(std::vector<std::size_t>{5, 0, 0, 0, 5}));
}

TEST(Bimodal, SinglePeakOrAdjacentPeaksAreNot) {
  EXPECT_FALSE(is_bimodal(std::vector<std::size_t>{0, 1, 6, 1, 0}));
  EXPECT_FALSE(is_bimodal(std::vector<std::size_t>{0, 0, 5, 5, 0}));
  EXPECT_FALSE(is_bimodal(std::vector<std::size_t>(5, 0)));
  // A second "peak" with under 20% of the answers is an outlier, not a mode.
  EXPECT_FALSE(is_bimodal(std::vector<std::size_t>{1, 0, 0, 9, 0}));
  // One person is not a camp, however small the group.
  EXPECT_FALSE(is_bimodal(std::vector<std::size_t>{0, 0, 1, 0, 2}));
  // Both peaks large but the point between them is as large: a plateau.
  EXPECT_FALSE(is_bimodal(std::vector<std::size_t>{0, 3, 3, 3, 0}));
}

TEST(Bimodal, PeaksOnOneSideOfTheMidpointAreNoSplit) {
  // GO3b (issue 23): "neither" and "strongly agree" peaks with no one
  // disagreeing were labelled split.
  EXPECT_FALSE(is_bimodal(std::vector<std::size_t>{0, 0, 3, 1, 3}));
  EXPECT_FALSE(is_bimodal(std::vector<std::size_t>{3, 1, 3, 0, 0}));
  // A 4-point scale: its midpoint lies between 2 and 3.
  EXPECT_TRUE(is_bimodal(std::vector<std::size_t>{3, 0, 0, 3}));
  EXPECT_TRUE(is_bimodal(std::vector<std::size_t>{0, 3, 1, 3}));
  // A 7-point scale: agree-somewhat and agree-strongly are one side.
  EXPECT_FALSE(is_bimodal(std::vector<std::size_t>{0, 0, 0, 0, 3, 1, 3}));
  EXPECT_TRUE(is_bimodal(std::vector<std::size_t>{0, 3, 0, 0, 1, 3, 0}));
}

TEST(CronbachAlpha, FormulaAndUndefinedCases) {
  EXPECT_NEAR(*cronbach_alpha(4, 2.0, 5.0), 4.0 / 3.0 * (1 - 0.4), kTol);
  EXPECT_FALSE(cronbach_alpha(1, 1.0, 1.0).has_value());
  EXPECT_FALSE(cronbach_alpha(3, 0.0, 0.0).has_value());
}

TEST(StudentT, QuantilesMatchR) {
  // R: qt(0.975, c(1, 2.5, 7.3, 30, 1000))
  EXPECT_NEAR(student_t_quantile(0.975, 1), 12.7062047361746941, 1e-9);
  EXPECT_NEAR(student_t_quantile(0.975, 2.5), 3.5746548420036919, 1e-9);
  EXPECT_NEAR(student_t_quantile(0.975, 7.3), 2.3450667365477025, 1e-9);
  EXPECT_NEAR(student_t_quantile(0.975, 30), 2.0422724563012378, 1e-9);
  EXPECT_NEAR(student_t_quantile(0.975, 1000), 1.9623390808264076, 1e-9);
  EXPECT_NEAR(student_t_quantile(0.025, 30), -2.0422724563012378, 1e-9);
  EXPECT_EQ(student_t_quantile(0.5, 4), 0.0);
}

TEST(StudentT, CdfMatchesR) {
  // R: pt(-2.1, 4.5) = 0.047968908481043078
  EXPECT_NEAR(student_t_cdf(-2.1, 4.5), 0.047968908481043078, 1e-12);
  EXPECT_NEAR(student_t_cdf(0.0, 3), 0.5, 1e-15);
}

TEST(Welch, IntervalMatchesRTTest) {
  // R: t.test(a, b, var.equal = FALSE)
  const std::vector<double> a{70, 55, 80, 62.5, 90, 45};
  const std::vector<double> b{40, 52.5, 60, 35, 47.5};
  const auto d = welch_difference(summarize(a), summarize(b));
  EXPECT_NEAR(d.difference, 67.083333333333333 - 47.0, kTol);
  EXPECT_NEAR(*d.ci_low, 1.6456471224329638, kTol);
  EXPECT_NEAR(*d.ci_high, 38.5210195442336882, kTol);
  EXPECT_NEAR(*d.df, 8.3241976202854868, kTol);
}

TEST(Welch, UndefinedWithTooFewOrNoVariance) {
  EXPECT_FALSE(welch_difference({1, 50, 0}, {5, 40, 10}).ci_low.has_value());
  EXPECT_FALSE(welch_difference({3, 50, 0}, {3, 40, 0}).ci_low.has_value());
  EXPECT_NEAR(welch_difference({3, 50, 0}, {3, 40, 0}).difference, 10.0, kTol);
}

TEST(CohensD, PooledStandardDeviationMatchesR) {
  const std::vector<double> a{70, 55, 80, 62.5, 90, 45};
  const std::vector<double> b{40, 52.5, 60, 35, 47.5};
  EXPECT_NEAR(*cohens_d(summarize(a), summarize(b)), 1.4411944225851507, kTol);
  EXPECT_FALSE(cohens_d({2, 5, 0}, {2, 5, 0}).has_value());
  EXPECT_FALSE(cohens_d({1, 5, 0}, {1, 4, 0}).has_value());
}

TEST(IncompleteBeta, KnownValues) {
  EXPECT_NEAR(regularized_incomplete_beta(0.5, 2, 2), 0.5, 1e-14);
  EXPECT_NEAR(regularized_incomplete_beta(0.3, 1, 1), 0.3, 1e-14);
  EXPECT_EQ(regularized_incomplete_beta(0.0, 2, 3), 0.0);
  EXPECT_EQ(regularized_incomplete_beta(1.0, 2, 3), 1.0);
}

}  // namespace
}  // namespace cxm::core
