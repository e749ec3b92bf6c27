#include "core/ratings.h"

#include <algorithm>
#include <charconv>
#include <map>
#include <tuple>

#include "core/benchmark.h"

namespace cxm::core {
namespace {

std::string_view trimmed(std::string_view s) {
  const auto first = s.find_first_not_of(" \t");
  if (first == std::string_view::npos) return {};
  return s.substr(first, s.find_last_not_of(" \t") - first + 1);
}

char lower_ascii(char c) { return c >= 'A' && c <= 'Z' ? static_cast<char>(c - 'A' + 'a') : c; }

std::string number_text(double v) {
  char buffer[32];
  const auto [end, ec] = std::to_chars(buffer, buffer + sizeof buffer, v);
  return ec == std::errc() ? std::string(buffer, end) : std::string();
}

// Builtin metrics first, in their order; then named ratings by id.
int metric_rank(const std::string& id) {
  const auto& builtins = builtin_metrics();
  for (std::size_t i = 0; i < builtins.size(); ++i) {
    if (builtins[i].id == id) return static_cast<int>(i);
  }
  return static_cast<int>(builtins.size());
}

struct Key {
  int rank;
  std::string metric;
  double scale_min, scale_max;
  int year;
  bool operator<(const Key& o) const {
    // Latest year first within a metric and scale.
    return std::tie(rank, metric, scale_min, scale_max, o.year) <
           std::tie(o.rank, o.metric, o.scale_min, o.scale_max, year);
  }
};

// The organization's whole-organization figure of the latest period in
// `year` (the latest last day, then the latest first day), if any.
std::optional<OwnRating> own_figure(const std::vector<CustomerFigure>& figures,
                                    const std::string& metric, int year) {
  const CustomerFigure* best = nullptr;
  std::optional<Period> best_period;
  for (const auto& f : figures) {
    if (f.metric != metric || !f.unit.empty()) continue;
    const auto period = parse_period(f.period);
    if (!period || year_of_period(f.period) != year) continue;
    if (!best_period ||
        std::tie(period->last, period->first) > std::tie(best_period->last, best_period->first)) {
      best = &f;
      best_period = period;
    }
  }
  if (!best) return std::nullopt;
  return OwnRating{best->period, best->value, best->respondents, best->source, best->synthetic};
}

void add_reason(std::string& reason, const std::string& text) {
  reason += (reason.empty() ? "" : "; ") + text;
}

}  // namespace

bool same_industry(std::string_view a, std::string_view b) {
  a = trimmed(a);
  b = trimmed(b);
  return a.size() == b.size() && std::equal(a.begin(), a.end(), b.begin(), [](char x, char y) {
           return lower_ascii(x) == lower_ascii(y);
         });
}

int year_of_period(std::string_view period) {
  if (!parse_period(period)) return 0;
  int year = 0;
  std::from_chars(period.data(), period.data() + 4, year);
  return year;
}

std::vector<RatingPosition> rating_positions(const std::vector<CustomerRating>& dataset,
                                             std::string_view industry,
                                             const std::vector<MetricDefinition>& named,
                                             const std::vector<CustomerFigure>& figures) {
  const bool has_industry = !trimmed(industry).empty();
  // Per metric, scale and year: the dataset's metric name and the peers' values.
  std::map<Key, std::pair<std::string, std::vector<double>>> cells;
  for (const auto& r : dataset) {
    auto& cell = cells[Key{metric_rank(r.metric), r.metric, r.scale_min, r.scale_max, r.year}];
    if (cell.first.empty()) cell.first = r.name;
    if (has_industry && same_industry(r.industry, industry)) cell.second.push_back(r.value);
  }
  std::vector<RatingPosition> out;
  for (auto& [key, cell] : cells) {
    auto& values = cell.second;
    std::sort(values.begin(), values.end());
    RatingPosition p;
    p.metric = key.metric;
    p.name = cell.first;
    p.scale_min = key.scale_min;
    p.scale_max = key.scale_max;
    p.year = key.year;
    p.peers = values.size();
    const std::string year = std::to_string(p.year);
    // The organization's own figure counts only on the same scale.
    std::optional<MetricDefinition> own_definition = builtin_metric(key.metric);
    for (const auto& d : named) {
      if (d.id == key.metric) own_definition = d;
    }
    const bool same_scale = own_definition && own_definition->scale_min == key.scale_min &&
                            own_definition->scale_max == key.scale_max;
    if (same_scale) p.own = own_figure(figures, key.metric, key.year);

    if (!has_industry) {
      add_reason(p.reason,
                 "the organization has no industry set, so it has no peers here (an owner sets "
                 "it in the organization's settings)");
    } else if (p.peers < kMinimumPeers) {
      p.missing = kMinimumPeers - p.peers;
      add_reason(p.reason, "fewer than " + std::to_string(kMinimumPeers) +
                               " peers: the dataset has " + std::to_string(p.peers) + " " +
                               std::string(trimmed(industry)) + " rating" +
                               (p.peers == 1 ? "" : "s") + " of " + p.name + " for " + year + " (" +
                               std::to_string(p.missing) + " missing)");
    }
    if (!has_industry) p.missing = kMinimumPeers;
    if (own_definition && !same_scale) {
      add_reason(p.reason, "the organization's own " + key.metric + " is on a scale of " +
                               number_text(own_definition->scale_min) + " to " +
                               number_text(own_definition->scale_max) + ", these ratings on " +
                               number_text(key.scale_min) + " to " + number_text(key.scale_max));
    } else if (!p.own) {
      add_reason(p.reason,
                 "the organization has no whole-organization " + p.name + " figure for " + year);
    }
    if (p.peers >= kMinimumPeers) {
      p.median = sorted_quantile(values, 0.5);
      p.q1 = sorted_quantile(values, 0.25);
      p.q3 = sorted_quantile(values, 0.75);
      if (p.own) {
        const auto below = static_cast<std::size_t>(
            std::lower_bound(values.begin(), values.end(), p.own->value) - values.begin());
        const auto not_above = static_cast<std::size_t>(
            std::upper_bound(values.begin(), values.end(), p.own->value) - values.begin());
        p.percentile = percentile_rank(below, not_above - below, p.peers);
      }
    }
    out.push_back(std::move(p));
  }
  return out;
}

}  // namespace cxm::core
