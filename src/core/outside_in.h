// Outside-in (SPEC section 4.10): the customers' figures beside the
// organization's own view. Pure rules (docs/outside-in.md):
// - which customer figure belongs to a cycle (its period),
// - the delivery gap: the organization's agreement with the statements
//   customers can feel against what its customers say, both on 0..100,
// - Spearman's rank correlation between maturity and a customer metric
//   over cycles and units, never claimed from fewer than
//   kMinCorrelationPairs pairs.
// A comparison, never a cause: every view shows the caveat beside it.
#pragma once

#include <cstddef>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "core/customer_metrics.h"
#include "core/scoring.h"

namespace cxm::core {

// No correlation is claimed from fewer pairs than this (SPEC section 4.10).
inline constexpr std::size_t kMinCorrelationPairs = 8;
// A figure counts for a cycle when its period ended at most this many
// months before the cycle's first day.
inline constexpr int kFigureLookbackMonths = 6;

// The days a cycle ran: its first day (opens_at, else created_at) and its
// last (closed_at, else closes_at, else today). first <= last is not
// required; a figure matches by the rule in figure_for_cycle alone.
struct CycleDays {
  Day first = 0;
  Day last = 0;
};

// `day` less `months` calendar months, the day clipped to the month's last
// (31 August - 6 months = 28 or 29 February).
Day months_before(Day day, int months);

// The figure used for a cycle, per metric and unit ("" = the whole
// organization): among `figures` of that metric and unit, the latest
// (latest first day, then latest last day) whose period began on or before
// the cycle's last day and ended on or after the day kFigureLookbackMonths
// months before its first day. Index into `figures`; nullopt when none
// (the view then says "no customer figure for this cycle's period").
// Figures whose period does not parse are never used.
std::optional<std::size_t> figure_for_cycle(std::span<const CustomerFigure> figures,
                                            std::string_view metric, std::string_view unit,
                                            const CycleDays& cycle);

// The statements customers can feel (theme `customer`), indices into
// Model::items; empty in models that mark none (2.1.0 and older).
std::vector<std::size_t> customer_statements(const Model& model);

// The organization's own view for the delivery gap: theme_score of the
// `customer` statements (reversed ones mirrored, the evidence rule), and
// how many of them it rests on.
struct OwnView {
  std::optional<double> score;  // 0..100; absent when no customer statement counts
  std::size_t counted = 0;
};
OwnView own_view(const Model& model, const GroupResult& group, std::size_t min_group_size);

// The delivery gap in points: own (0..100) - the customers' figure on
// 0..100 (normalized_metric). Positive: the organization thinks better of
// what customers feel than its customers say.
double delivery_gap(double own, const MetricDefinition& metric, double customer_value);

// Ranks 1..n of `values`, tied values sharing the average of their ranks
// (3.5 for two values tied at places 3 and 4).
std::vector<double> average_ranks(std::span<const double> values);

// Spearman's rho of the pairs (x[i], y[i]): Pearson's correlation of their
// average ranks. nullopt when there are fewer than 2 pairs or either side
// is constant (all values tied: rho is undefined). x and y have the same size.
std::optional<double> spearman_rho(std::span<const double> x, std::span<const double> y);

// A correlation as every view states it: rho only from `min_pairs` pairs
// and when neither side is constant; else `reason` says why, in words.
struct Correlation {
  std::size_t n = 0;
  std::optional<double> rho;
  std::string reason;  // empty when rho is given
};
Correlation correlate(std::span<const double> maturity, std::span<const double> customers,
                      std::size_t min_pairs = kMinCorrelationPairs);

// The plain-language caution beside every correlation.
std::string_view correlation_caution();
// The caveat beside every delivery gap and customer figure in a report,
// with Bain & Company's delivery gap cited as such.
std::string_view delivery_gap_caveat();

}  // namespace cxm::core
