// Textbook statistics used by the scoring core. Pure functions of their
// arguments; every formula names its source so tests can check it.
#pragma once

#include <cstddef>
#include <optional>
#include <span>
#include <vector>

namespace cxm::core {

// Mean and unbiased (n - 1) variance of a sample.
struct SampleSummary {
  std::size_t n = 0;
  double mean = 0.0;
  double variance = 0.0;  // meaningful only when n >= 2
};

// Summary of the answers to one item, computed from its histogram.
struct Descriptives {
  std::size_t n = 0;
  std::optional<double> mean;      // absent when n == 0
  std::optional<double> median;    // absent when n == 0; R's median for even n
  std::optional<double> variance;  // n - 1 denominator; absent when n < 2
};

// `counts[k]` is the number of answers equal to `first_point + k`.
Descriptives describe_histogram(std::span<const std::size_t> counts, int first_point);

// Mean and unbiased variance of arbitrary values.
SampleSummary summarize(std::span<const double> values);

// Variance of the uniform ("no agreement") null distribution over A points:
// sigma^2_EU = (A^2 - 1) / 12 (James, Demaree & Wolf 1984).
double uniform_null_variance(int points);

// Single-item within-group agreement r_wg = 1 - s^2 / sigma^2_EU, truncated
// to [0, 1] as in R's multilevel::rwg.
double rwg(double variance, int points);

// Multi-item agreement r_wg(J) for J items with mean item variance
// `mean_variance`; the mean variance is capped at sigma^2_EU so the result
// lies in [0, 1] (as R's multilevel::rwg.j).
double rwg_j(double mean_variance, std::size_t items, int points);

// A histogram is bimodal when two peaks, each of at least two answers and
// at least 20% of all answers, one below the midpoint of the scale and one
// above it, are separated by at least one scale point whose count is lower
// than both of them. Such a split group (two camps, one disagreeing, one
// agreeing) is "in disagreement" even when its variance looks moderate;
// two peaks on the same side of the midpoint are not a split.
bool is_bimodal(std::span<const std::size_t> counts);

// Cronbach's alpha = k/(k-1) * (1 - sum of item variances / variance of the
// sum score). Absent when k < 2 or the sum score has no variance.
std::optional<double> cronbach_alpha(std::size_t k, double sum_item_variances,
                                     double total_variance);

// Welch's unequal-variances confidence interval for mean(a) - mean(b).
struct MeanDifference {
  double difference = 0.0;
  std::optional<double> ci_low;   // absent when either n < 2 or both
  std::optional<double> ci_high;  // variances are zero
  std::optional<double> df;       // Welch-Satterthwaite degrees of freedom
};
MeanDifference welch_difference(const SampleSummary& a, const SampleSummary& b,
                                double confidence = 0.95);

// Cohen's d with the pooled standard deviation; absent when n_a + n_b < 3
// or the pooled standard deviation is zero.
std::optional<double> cohens_d(const SampleSummary& a, const SampleSummary& b);

// Student's t distribution with `df` > 0 degrees of freedom.
double student_t_cdf(double t, double df);
// Inverse of student_t_cdf for p in (0, 1).
double student_t_quantile(double p, double df);

// Regularized incomplete beta function I_x(a, b) for a, b > 0, x in [0, 1].
double regularized_incomplete_beta(double x, double a, double b);

}  // namespace cxm::core
