// Customer metrics (SPEC section 4.10, "Outside-in"): what an organization's
// customers say about it (NPS, CSAT, CES or a named rating), per period and
// unit, beside what its own people say in the assessment. Pure: what each
// metric means and its scale, the periods, and reading a figure on 0..100.
//
// Every metric here is read "higher is better": a named rating where lower
// is better must be turned round before it is imported (docs/outside-in.md).
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/benchmark.h"  // Day

namespace cxm::core {

// A metric's definition: its id, name, what it measures in plain words and
// the scale its values are on.
struct MetricDefinition {
  std::string id;          // "nps", "csat", "ces", or a named rating (valid_metric_id)
  std::string name;        // e.g. "Net Promoter Score"
  std::string definition;  // how it is measured, in plain words
  double scale_min = 0;
  double scale_max = 100;
  bool builtin = false;  // one of builtin_metrics(): its definition and scale are fixed
};

// NPS (-100..100), CSAT (0..100, percent satisfied) and CES (1..7), as
// cxm defines them (docs/outside-in.md).
const std::vector<MetricDefinition>& builtin_metrics();
std::optional<MetricDefinition> builtin_metric(std::string_view id);

// A named rating's id: a lower-case letter, then up to 39 lower-case
// letters, digits or '_' (e.g. "trustpilot", "google_stars").
bool valid_metric_id(std::string_view id);

// At most this many characters (code points) in a named rating's name, its
// definition, and a figure's source.
inline constexpr std::size_t kMaxMetricNameLength = 80;
inline constexpr std::size_t kMaxMetricDefinitionLength = 500;
inline constexpr std::size_t kMaxMetricSourceLength = 200;

// `value` on 0..100 of the metric's scale: (value - min) / (max - min) x 100.
double normalized_metric(const MetricDefinition& metric, double value);

// The period a figure is for: a calendar month ("2026-03") or one day
// ("2026-03-15", e.g. a rating read on that day).
struct Period {
  Day first = 0;  // its first day
  Day last = 0;   // its last day (the same for one day)
  bool month = false;
  bool operator==(const Period&) const = default;
};

// Strict "YYYY-MM" (years 1900..9999) or "YYYY-MM-DD" (a real day), or
// nullopt.
std::optional<Period> parse_period(std::string_view text);
// "YYYY-MM" or "YYYY-MM-DD", as parsed.
std::string to_text(const Period& period);

// One figure as stored: the metric's value for a period and, when `unit`
// is not empty, one of the organization's units (else the whole
// organization), with how many customers answered and where it comes from.
struct CustomerFigure {
  std::string metric;  // MetricDefinition::id
  std::string period;  // to_text(Period)
  std::string unit;    // empty: the whole organization
  double value = 0;
  std::int64_t respondents = 0;  // customers behind the figure, >= 1
  std::string source;            // e.g. "Quarterly NPS survey, Medallia"
  bool synthetic = false;        // made up (cxm demo): labelled wherever shown
};

}  // namespace cxm::core
