#include "results/customer_metrics.h"

#include <algorithm>

namespace cxm::results {

using nlohmann::json;

std::optional<core::MetricDefinition> metric_definition(const store::CustomerMetrics& stored,
                                                        const std::string& metric) {
  if (auto builtin = core::builtin_metric(metric)) return builtin;
  for (const auto& d : stored.named) {
    if (d.id == metric) return d;
  }
  return std::nullopt;
}

json customer_metrics_json(const store::CustomerMetrics& stored) {
  std::vector<core::MetricDefinition> order;
  for (const auto& d : core::builtin_metrics()) order.push_back(d);
  std::vector<core::MetricDefinition> named = stored.named;
  std::sort(named.begin(), named.end(), [](const auto& a, const auto& b) { return a.id < b.id; });
  order.insert(order.end(), named.begin(), named.end());
  json out = json::array();
  for (const auto& d : order) {
    std::vector<const core::CustomerFigure*> figures;
    for (const auto& f : stored.figures) {
      if (f.metric == d.id) figures.push_back(&f);
    }
    if (figures.empty()) continue;
    std::stable_sort(figures.begin(), figures.end(), [](const auto* a, const auto* b) {
      if (a->unit != b->unit) return a->unit < b->unit;  // "" (the whole organization) first
      const auto pa = core::parse_period(a->period), pb = core::parse_period(b->period);
      return pa && pb ? pa->first < pb->first : a->period < b->period;
    });
    json series = json::array();
    bool synthetic = false;
    for (const auto* f : figures) {
      synthetic = synthetic || f->synthetic;
      series.push_back({{"period", f->period},
                        {"unit", f->unit.empty() ? json(nullptr) : json(f->unit)},
                        {"value", f->value},
                        {"respondents", f->respondents},
                        {"source", f->source},
                        {"synthetic", f->synthetic}});
    }
    out.push_back({{"metric", d.id},
                   {"name", d.name},
                   {"definition", d.definition},
                   {"scale", {{"min", d.scale_min}, {"max", d.scale_max}}},
                   {"builtin", d.builtin},
                   {"synthetic", synthetic},
                   {"series", std::move(series)}});
  }
  return out;
}

}  // namespace cxm::results
