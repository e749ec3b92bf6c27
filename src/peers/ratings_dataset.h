// Customer-ratings dataset files -> core::CustomerRating rows
// (docs/ratings-datasets.md). A CSV file with a header and the columns
// company, industry, year, metric, value (required) and name, scale_min,
// scale_max, respondents, source (optional), in any order; or JSON
// {"metadata": {...}, "rows": [{...}, ...]} with the same fields, and the
// dataset's provenance as benchmark datasets carry it (dataset_metadata.h).
// Every cell is checked; the first problem is reported with its place
// (CSV line and column, JSON row and field), and nothing is returned with it.
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/ratings.h"
#include "model/diagnostic.h"
#include "peers/dataset_metadata.h"

namespace cxm::peers {

// Limits that keep a bad upload from exhausting memory.
inline constexpr std::size_t kMaxRatingRows = 1'000'000;
inline constexpr std::size_t kMaxCompanyLength = 200;  // bytes, also an industry's

struct RatingsParseResult {
  std::optional<std::vector<core::CustomerRating>> rows;  // present exactly when error is absent
  std::optional<model::Diagnostic> error;  // "ratings.csv:4:6: value 140 is outside ..."
};

RatingsParseResult parse_ratings_csv(std::string_view text, std::string_view file);

struct RatingsJson {
  DatasetMetadata metadata;
  std::vector<core::CustomerRating> rows;
};

struct RatingsJsonResult {
  std::optional<RatingsJson> dataset;  // present exactly when error is empty
  std::string error;                   // e.g. "row 3, field value: value 140 is outside ..."
};

RatingsJsonResult parse_ratings_json(std::string_view text);

// The rows as CSV with every column, as a dataset stores them;
// parse_ratings_csv reads them back unchanged.
std::string write_ratings_csv(const std::vector<core::CustomerRating>& rows);

}  // namespace cxm::peers
