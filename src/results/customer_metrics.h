// An organization's customer metrics as every view gives them (SPEC section
// 5: GET /api/orgs/{org}/customer-metrics, the progress page's
// customer_metrics): each metric with its definition and scale, and its
// figures in series.
#pragma once

#include <nlohmann/json.hpp>
#include <optional>
#include <string>

#include "core/customer_metrics.h"
#include "store/store.h"

namespace cxm::results {

// The definition of `metric`: a builtin one, else the organization's named
// rating from `stored`; nullopt when neither knows it.
std::optional<core::MetricDefinition> metric_definition(const store::CustomerMetrics& stored,
                                                        const std::string& metric);

// [{metric, name, definition, scale:{min, max}, builtin, synthetic,
//   series:[{period, unit (null: the whole organization), value,
//   respondents, source, synthetic}]}], metrics in the order builtin ones
// (nps, csat, ces) then named ones by id, each series by unit (the whole
// organization first) then period. `synthetic` on a metric: any of its
// figures is.
nlohmann::json customer_metrics_json(const store::CustomerMetrics& stored);

}  // namespace cxm::results
