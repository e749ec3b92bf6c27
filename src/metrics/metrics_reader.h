// Customer metrics files (SPEC section 4.10, docs/customer-metrics.md) ->
// the named ratings they define and their figures. Pure: text in, values
// or the first problem out, named by its place — a CSV file's line and
// column ("line 4, column value: ..."; the header is line 1), a JSON
// file's row and field ("row 3, field value: ..."; rows from 1). Nothing
// is returned with a problem: an import is all or nothing.
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/customer_metrics.h"

namespace cxm::metrics {

// At most this many figures in one file.
inline constexpr std::size_t kMaxMetricRows = 10'000;
// Respondents of one figure: a whole number from 1 to this.
inline constexpr std::int64_t kMaxMetricRespondents = 1'000'000'000;
// At most this many characters in a unit's name as written in a file.
inline constexpr std::size_t kMaxMetricUnitLength = 200;

// Where a figure or a definition came from: a CSV file's line or a JSON
// file's row.
struct Place {
  bool csv = true;
  int number = 0;  // the line (CSV, header = 1) or the row (JSON, from 1)
};
// "line 4, column value" (CSV) or "row 3, field value" (JSON); without a
// field, "line 4" or "row 3".
std::string where(const Place& place, std::string_view field = {});

struct MetricsFile {
  // The named ratings the file defines, in the order first seen.
  std::vector<core::MetricDefinition> named;
  // Its figures in file order (periods as core::to_text, units trimmed,
  // never synthetic: a file's figures are the organization's own).
  std::vector<core::CustomerFigure> figures;
  // Where each named rating was first defined and where each figure is,
  // index for index: for a refusal found later (the store's unknown_unit
  // and scale_changed name an index).
  std::vector<Place> named_places;
  std::vector<Place> figure_places;
};

struct MetricsRead {
  std::optional<MetricsFile> file;  // present exactly when error is empty
  std::string error;                // the first problem, with its place
};

// `units`, when not null, are the organization's units: a figure's unit
// must then be one of them (else the error names the row). Without it the
// units are checked only for form (the store checks them in the write).
MetricsRead read_metrics_csv(std::string_view text,
                             const std::vector<std::string>* units = nullptr);
// {"rows": [{period, unit, metric, value, respondents, source, name?,
// definition?, scale_min?, scale_max?}]}; `unit` may be null, absent or "".
MetricsRead read_metrics_json(std::string_view text,
                              const std::vector<std::string>* units = nullptr);

// JSON when the first character after white space (and a byte-order mark)
// is '{', else CSV.
bool looks_like_json(std::string_view text);
MetricsRead read_metrics(std::string_view text, const std::vector<std::string>* units = nullptr);

}  // namespace cxm::metrics
