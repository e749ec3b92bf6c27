// Outside-in (SPEC section 4.10) as the views give it: a cycle report's
// `outside_in` section (the customers' figures for the cycle's period,
// their change, the delivery gap) and the progress page's correlations of
// maturity with each customer metric. The rules are the core's
// (core/outside_in.h); here they meet the stored figures and the cycles'
// published results (an anonymous cycle's released ones, units the report
// shows only: docs/anonymity.md).
#pragma once

#include <cstdint>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <vector>

#include "core/cycle_scoring.h"
#include "core/outside_in.h"
#include "store/store.h"

namespace cxm::results {

struct Results;

// The days `cycle` ran: opens_at (else created_at) to closed_at (else
// closes_at, else `now_ms`), as UTC days.
core::CycleDays cycle_days(const store::Cycle& cycle, std::int64_t now_ms);

// A cycle's report section. `model` is the cycle's model in scope (what
// `result` was scored on), `whole` the same before scope was applied (to
// tell "out of scope" from "not marked"); `unit_reasons` gives, for each
// unit of `result` that is hidden, why (the report's sentence); `previous`
// the organization's previous full cycle with results, by name and days.
// Null when the organization has no customer metrics.
struct PreviousCycle {
  std::string name;
  core::CycleDays days;
};
nlohmann::json report_outside_in(
    const store::CustomerMetrics& metrics, const core::Model& model, const core::Model& whole,
    const core::CycleResult& result,
    const std::vector<std::pair<std::string, std::string>>& unit_reasons,
    const core::CycleDays& days, const std::optional<PreviousCycle>& previous);

// The same for a stored cycle's whole report: reads the organization's
// metrics and its earlier cycles. Blocks.
nlohmann::json cycle_outside_in(Results& results, const store::Cycle& cycle,
                                const core::Model& model, const core::Model& whole,
                                const core::CycleResult& result,
                                const nlohmann::json& unit_segments);

// One published maturity score for the correlation: a full cycle's overall
// score, of everyone (`unit` empty) or of a unit its report shows.
struct MaturityPoint {
  std::string cycle, cycle_name;
  core::CycleDays days;
  std::string unit;
  double score = 0;
};

// The progress page's `outside_in`: {maturity: [{cycle, unit|null, score,
// first, last}], correlations: [{metric, name, n, rho|null, min_pairs,
// caution, reason|null, pairs: [{cycle, cycle_name, period, unit|null,
// maturity, customer}]}]}, one correlation per metric with figures.
nlohmann::json progress_outside_in(const store::CustomerMetrics& metrics,
                                   const std::vector<MaturityPoint>& points);

}  // namespace cxm::results
