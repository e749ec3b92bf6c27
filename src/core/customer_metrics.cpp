#include "core/customer_metrics.h"

#include <cctype>
#include <cstdio>

namespace cxm::core {

const std::vector<MetricDefinition>& builtin_metrics() {
  static const std::vector<MetricDefinition> metrics = {
      {"nps", "Net Promoter Score",
       "Customers are asked how likely they are to recommend us, from 0 to 10. The share who "
       "answer 9 or 10 (promoters) minus the share who answer 0 to 6 (detractors), in points "
       "from -100 to 100.",
       -100, 100, true},
      {"csat", "Customer satisfaction (CSAT)",
       "Customers are asked how satisfied they are, from 1 to 5. The share who answer 4 or 5 "
       "(satisfied or very satisfied), in percent.",
       0, 100, true},
      {"ces", "Customer Effort Score (CES)",
       "Customers are asked whether we made it easy to handle their request, from 1 (strongly "
       "disagree) to 7 (strongly agree). The mean answer; higher is easier.",
       1, 7, true},
  };
  return metrics;
}

std::optional<MetricDefinition> builtin_metric(std::string_view id) {
  for (const auto& m : builtin_metrics()) {
    if (m.id == id) return m;
  }
  return std::nullopt;
}

bool valid_metric_id(std::string_view id) {
  if (id.empty() || id.size() > 40 || id[0] < 'a' || id[0] > 'z') return false;
  for (const char c : id) {
    if (!((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '_')) return false;
  }
  return true;
}

double normalized_metric(const MetricDefinition& metric, double value) {
  return (value - metric.scale_min) / (metric.scale_max - metric.scale_min) * 100.0;
}

std::optional<Period> parse_period(std::string_view text) {
  if (text.size() == 10) {
    const auto day = parse_iso_date(text);
    if (!day) return std::nullopt;
    return Period{*day, *day, false};
  }
  if (text.size() != 7 || text[4] != '-') return std::nullopt;
  for (std::size_t i : {0, 1, 2, 3, 5, 6}) {
    if (!std::isdigit(static_cast<unsigned char>(text[i]))) return std::nullopt;
  }
  const std::string first = std::string(text) + "-01";
  const auto start = parse_iso_date(first);
  if (!start) return std::nullopt;
  // The next month's first day, less one.
  int year = std::stoi(std::string(text.substr(0, 4)));
  int month = std::stoi(std::string(text.substr(5, 2))) + 1;
  if (month == 13) {
    month = 1;
    ++year;
  }
  char next[32];
  std::snprintf(next, sizeof next, "%04d-%02d-01", year, month);
  const auto after = parse_iso_date(next);
  if (!after) return std::nullopt;
  return Period{*start, static_cast<Day>(*after - 1), true};
}

std::string to_text(const Period& period) {
  const std::string day = format_iso_date(period.first);
  return period.month ? day.substr(0, 7) : day;
}

}  // namespace cxm::core
