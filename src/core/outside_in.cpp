#include "core/outside_in.h"

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <numeric>

#include "core/calendar.h"

namespace cxm::core {

Day months_before(Day day, int months) {
  const std::string text = format_iso_date(day);
  int year = 0, month = 0, dom = 0;
  if (std::sscanf(text.c_str(), "%d-%d-%d", &year, &month, &dom) != 3) return day;
  int index = year * 12 + (month - 1) - months;
  year = index / 12;
  month = index % 12 + 1;
  dom = std::min(dom, days_in_month(year, month));
  char out[48];
  std::snprintf(out, sizeof out, "%04d-%02d-%02d", year, month, dom);
  return parse_iso_date(out).value_or(day);
}

std::optional<std::size_t> figure_for_cycle(std::span<const CustomerFigure> figures,
                                            std::string_view metric, std::string_view unit,
                                            const CycleDays& cycle) {
  const Day earliest_end = months_before(cycle.first, kFigureLookbackMonths);
  std::optional<std::size_t> best;
  Period best_period;
  for (std::size_t i = 0; i < figures.size(); ++i) {
    const CustomerFigure& f = figures[i];
    if (f.metric != metric || f.unit != unit) continue;
    const auto period = parse_period(f.period);
    if (!period || period->first > cycle.last || period->last < earliest_end) continue;
    if (!best || period->first > best_period.first ||
        (period->first == best_period.first && period->last > best_period.last)) {
      best = i;
      best_period = *period;
    }
  }
  return best;
}

std::vector<std::size_t> customer_statements(const Model& model) {
  std::vector<std::size_t> out;
  for (std::size_t i = 0; i < model.items.size(); ++i) {
    if (model.items[i].has_theme(kCustomerTheme)) out.push_back(i);
  }
  return out;
}

OwnView own_view(const Model& model, const GroupResult& group, std::size_t min_group_size) {
  OwnView view;
  view.score = theme_score(model, group, kCustomerTheme, min_group_size, &view.counted);
  return view;
}

double delivery_gap(double own, const MetricDefinition& metric, double customer_value) {
  return own - normalized_metric(metric, customer_value);
}

std::vector<double> average_ranks(std::span<const double> values) {
  std::vector<std::size_t> order(values.size());
  std::iota(order.begin(), order.end(), std::size_t{0});
  std::stable_sort(order.begin(), order.end(),
                   [&](std::size_t a, std::size_t b) { return values[a] < values[b]; });
  std::vector<double> ranks(values.size());
  for (std::size_t i = 0; i < order.size();) {
    std::size_t j = i;
    while (j + 1 < order.size() && values[order[j + 1]] == values[order[i]]) ++j;
    // Places i+1 .. j+1 share their mean.
    const double rank = (static_cast<double>(i + 1) + static_cast<double>(j + 1)) / 2.0;
    for (std::size_t k = i; k <= j; ++k) ranks[order[k]] = rank;
    i = j + 1;
  }
  return ranks;
}

std::optional<double> spearman_rho(std::span<const double> x, std::span<const double> y) {
  const std::size_t n = std::min(x.size(), y.size());
  if (n < 2) return std::nullopt;
  const std::vector<double> rx = average_ranks(x.first(n)), ry = average_ranks(y.first(n));
  // Every rank vector has mean (n + 1) / 2.
  const double mean = (static_cast<double>(n) + 1.0) / 2.0;
  double sxy = 0, sxx = 0, syy = 0;
  for (std::size_t i = 0; i < n; ++i) {
    const double dx = rx[i] - mean, dy = ry[i] - mean;
    sxy += dx * dy;
    sxx += dx * dx;
    syy += dy * dy;
  }
  if (sxx == 0 || syy == 0) return std::nullopt;
  return std::clamp(sxy / std::sqrt(sxx * syy), -1.0, 1.0);
}

Correlation correlate(std::span<const double> maturity, std::span<const double> customers,
                      std::size_t min_pairs) {
  Correlation c;
  c.n = std::min(maturity.size(), customers.size());
  if (c.n < min_pairs) {
    c.reason = "only " + std::to_string(c.n) + (c.n == 1 ? " pair" : " pairs") +
               " of a maturity score and a customer figure for the same period; at least " +
               std::to_string(min_pairs) + " are needed before any correlation is stated";
    return c;
  }
  c.rho = spearman_rho(maturity.first(c.n), customers.first(c.n));
  if (!c.rho) {
    const bool flat_maturity = !spearman_rho(maturity.first(c.n), maturity.first(c.n));
    c.reason = flat_maturity ? "the maturity scores of all " + std::to_string(c.n) +
                                   " pairs are the same, so no correlation can be computed"
                             : "the customer figures of all " + std::to_string(c.n) +
                                   " pairs are the same, so no correlation can be computed";
  }
  return c;
}

std::string_view correlation_caution() {
  return "An association, not a cause: a rho near 1 says that periods and units with higher "
         "maturity also had higher customer figures, not that one made the other. With few "
         "points one unusual period can swing it, and pairs from the same organization (its "
         "cycles and its units) are not independent, so read it as a hint to look closer, not "
         "as proof.";
}

std::string_view delivery_gap_caveat() {
  return "A comparison, not a cause. The organization's own view (how far its people agree "
         "with the statements customers can feel) and the customers' figure answer different "
         "questions on different scales, so the size of the gap, and even which side is "
         "higher, mean little on their own: read how the gap changes from cycle to cycle and "
         "how units compare with each other. Organizations tend to rate "
         "themselves higher than their customers do: in Bain & Company's \"Closing the "
         "Delivery Gap\" (2005), 80% of firms believed they delivered a superior experience; "
         "8% of their customers agreed.";
}

}  // namespace cxm::core
