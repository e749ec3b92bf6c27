#include "core/statistics.h"

#include <algorithm>
#include <cmath>
#include <limits>

namespace cxm::core {

Descriptives describe_histogram(std::span<const std::size_t> counts, int first_point) {
  Descriptives d;
  double sum = 0.0;
  for (std::size_t k = 0; k < counts.size(); ++k) {
    d.n += counts[k];
    sum += static_cast<double>(counts[k]) * (first_point + static_cast<int>(k));
  }
  if (d.n == 0) return d;
  const double mean = sum / static_cast<double>(d.n);
  d.mean = mean;

  // Median: the value at 0-based sorted position (n-1)/2, averaged with the
  // next one when n is even.
  auto value_at = [&](std::size_t position) {
    std::size_t seen = 0;
    for (std::size_t k = 0; k < counts.size(); ++k) {
      seen += counts[k];
      if (position < seen) return static_cast<double>(first_point + static_cast<int>(k));
    }
    return static_cast<double>(first_point + static_cast<int>(counts.size()) - 1);
  };
  const std::size_t lower = (d.n - 1) / 2;
  d.median = d.n % 2 == 1 ? value_at(lower) : (value_at(lower) + value_at(lower + 1)) / 2.0;

  if (d.n >= 2) {
    double squares = 0.0;
    for (std::size_t k = 0; k < counts.size(); ++k) {
      const double dev = (first_point + static_cast<int>(k)) - mean;
      squares += static_cast<double>(counts[k]) * dev * dev;
    }
    d.variance = squares / static_cast<double>(d.n - 1);
  }
  return d;
}

SampleSummary summarize(std::span<const double> values) {
  // Two passes: the sum, then squared deviations from the mean. As accurate
  // as Welford's update for scores on 0..100, and free of per-value divisions.
  SampleSummary s;
  s.n = values.size();
  if (s.n == 0) return s;
  double sum = 0.0;
  for (double x : values) sum += x;
  s.mean = sum / static_cast<double>(s.n);
  if (s.n < 2) return s;
  double squares = 0.0;
  for (double x : values) squares += (x - s.mean) * (x - s.mean);
  s.variance = squares / static_cast<double>(s.n - 1);
  return s;
}

double uniform_null_variance(int points) {
  const double a = points;
  return (a * a - 1.0) / 12.0;
}

double rwg(double variance, int points) {
  const double value = 1.0 - variance / uniform_null_variance(points);
  return std::clamp(value, 0.0, 1.0);
}

double rwg_j(double mean_variance, std::size_t items, int points) {
  const double null_variance = uniform_null_variance(points);
  const double ratio = std::min(mean_variance, null_variance) / null_variance;
  const double j = static_cast<double>(items);
  const double numerator = j * (1.0 - ratio);
  return numerator / (numerator + ratio);
}

bool is_bimodal(std::span<const std::size_t> counts) {
  std::size_t n = 0;
  for (std::size_t c : counts) n += c;
  if (n == 0) return false;
  // A peak is at least two people and at least 20% of the answers.
  auto is_peak = [&](std::size_t k) { return counts[k] >= 2 && counts[k] * 5 >= n; };
  // Two camps face each other across the midpoint of the scale: the lower
  // peak below it (on the disagreeing side), the upper above it (on the
  // agreeing side). Peaks on one side ("neither" and "strongly agree") are
  // a spread within one view, not a split: no one disagrees. A scale of an
  // even number of points has its midpoint between two points.
  const std::size_t last = counts.size() - 1;  // twice the midpoint, in positions
  for (std::size_t a = 0; 2 * a < last; ++a) {
    if (!is_peak(a)) continue;
    for (std::size_t c = std::max(a + 2, last / 2 + 1); c < counts.size(); ++c) {
      if (!is_peak(c)) continue;
      const std::size_t lower_peak = std::min(counts[a], counts[c]);
      for (std::size_t b = a + 1; b < c; ++b) {
        if (counts[b] < lower_peak) return true;
      }
    }
  }
  return false;
}

std::optional<double> cronbach_alpha(std::size_t k, double sum_item_variances,
                                     double total_variance) {
  if (k < 2 || !(total_variance > 0.0)) return std::nullopt;
  const double kd = static_cast<double>(k);
  return kd / (kd - 1.0) * (1.0 - sum_item_variances / total_variance);
}

MeanDifference welch_difference(const SampleSummary& a, const SampleSummary& b, double confidence) {
  MeanDifference result;
  result.difference = a.mean - b.mean;
  if (a.n < 2 || b.n < 2) return result;
  const double va = a.variance / static_cast<double>(a.n);
  const double vb = b.variance / static_cast<double>(b.n);
  const double se2 = va + vb;
  if (!(se2 > 0.0)) return result;
  const double df =
      se2 * se2 / (va * va / static_cast<double>(a.n - 1) + vb * vb / static_cast<double>(b.n - 1));
  const double t = student_t_quantile(0.5 + confidence / 2.0, df);
  const double half_width = t * std::sqrt(se2);
  result.ci_low = result.difference - half_width;
  result.ci_high = result.difference + half_width;
  result.df = df;
  return result;
}

std::optional<double> cohens_d(const SampleSummary& a, const SampleSummary& b) {
  if (a.n + b.n < 3 || a.n == 0 || b.n == 0) return std::nullopt;
  const double pooled = (static_cast<double>(a.n - 1) * (a.n >= 2 ? a.variance : 0.0) +
                         static_cast<double>(b.n - 1) * (b.n >= 2 ? b.variance : 0.0)) /
                        static_cast<double>(a.n + b.n - 2);
  if (!(pooled > 0.0)) return std::nullopt;
  return (a.mean - b.mean) / std::sqrt(pooled);
}

namespace {

// Continued fraction for the incomplete beta function, evaluated with the
// modified Lentz method.
double beta_continued_fraction(double x, double a, double b) {
  constexpr double kTiny = 1e-300;
  constexpr double kEpsilon = 1e-16;
  double c = 1.0;
  double d = 1.0 - (a + b) * x / (a + 1.0);
  if (std::fabs(d) < kTiny) d = kTiny;
  d = 1.0 / d;
  double h = d;
  for (int m = 1; m <= 1000; ++m) {
    const double md = m;
    const double even = md * (b - md) * x / ((a + 2.0 * md - 1.0) * (a + 2.0 * md));
    d = 1.0 + even * d;
    if (std::fabs(d) < kTiny) d = kTiny;
    c = 1.0 + even / c;
    if (std::fabs(c) < kTiny) c = kTiny;
    d = 1.0 / d;
    h *= d * c;
    const double odd = -(a + md) * (a + b + md) * x / ((a + 2.0 * md) * (a + 2.0 * md + 1.0));
    d = 1.0 + odd * d;
    if (std::fabs(d) < kTiny) d = kTiny;
    c = 1.0 + odd / c;
    if (std::fabs(c) < kTiny) c = kTiny;
    d = 1.0 / d;
    const double step = d * c;
    h *= step;
    if (std::fabs(step - 1.0) < kEpsilon) break;
  }
  return h;
}

}  // namespace

double regularized_incomplete_beta(double x, double a, double b) {
  if (x <= 0.0) return 0.0;
  if (x >= 1.0) return 1.0;
  const double log_front =
      std::lgamma(a + b) - std::lgamma(a) - std::lgamma(b) + a * std::log(x) + b * std::log1p(-x);
  const double front = std::exp(log_front);
  // The continued fraction converges fast for x < (a + 1) / (a + b + 2);
  // otherwise use the symmetry I_x(a, b) = 1 - I_{1-x}(b, a).
  if (x < (a + 1.0) / (a + b + 2.0)) return front * beta_continued_fraction(x, a, b) / a;
  return 1.0 - front * beta_continued_fraction(1.0 - x, b, a) / b;
}

double student_t_cdf(double t, double df) {
  const double x = df / (df + t * t);
  const double tail = 0.5 * regularized_incomplete_beta(x, df / 2.0, 0.5);
  return t >= 0.0 ? 1.0 - tail : tail;
}

double student_t_quantile(double p, double df) {
  if (p == 0.5) return 0.0;
  if (p < 0.5) return -student_t_quantile(1.0 - p, df);
  // Solve tail(t) = q in the upper tail to keep precision, where
  // tail(t) = 0.5 * I_{df/(df+t^2)}(df/2, 1/2) decreases in t: Newton steps
  // (tail' = -density) kept inside a bracket, bisecting when a step leaves it.
  const double q = 1.0 - p;
  auto tail = [df](double t) {
    return 0.5 * regularized_incomplete_beta(df / (df + t * t), df / 2.0, 0.5);
  };
  const double log_norm =
      std::lgamma((df + 1.0) / 2.0) - std::lgamma(df / 2.0) - 0.5 * std::log(df * M_PI);
  auto density = [&](double t) {
    return std::exp(log_norm - (df + 1.0) / 2.0 * std::log1p(t * t / df));
  };

  double low = 0.0;
  double high = 2.0;
  while (tail(high) > q) {
    low = high;
    high *= 2.0;
    if (high > 1e300) return std::numeric_limits<double>::infinity();
  }
  double t = 0.5 * (low + high);
  for (int i = 0; i < 200; ++i) {
    const double error = tail(t) - q;  // > 0: t is too small
    if (error > 0.0) {
      low = t;
    } else {
      high = t;
    }
    double next = t + error / density(t);
    if (!(next > low && next < high)) next = 0.5 * (low + high);
    if (std::fabs(next - t) <= 1e-15 * std::fabs(next) || high - low <= 1e-15 * high) return next;
    t = next;
  }
  return t;
}

}  // namespace cxm::core
