// libFuzzer target: any bytes given to the customer-ratings dataset reader
// (CSV, or JSON when the text starts with '{') give either rows that the
// stored CSV form reads back to unchanged and that place an organization
// without fault, or one error.
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <string_view>

#include "core/ratings.h"
#include "peers/ratings_dataset.h"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  using namespace cxm;
  const std::string_view text(reinterpret_cast<const char*>(data), size);
  std::vector<core::CustomerRating> rows;
  if (peers::looks_like_json(text)) {
    const auto result = peers::parse_ratings_json(text);
    if (result.dataset.has_value() == !result.error.empty()) std::abort();
    if (!result.dataset) return 0;
    rows = result.dataset->rows;
  } else {
    const auto result = peers::parse_ratings_csv(text, "fuzz.csv");
    if (result.rows.has_value() == result.error.has_value()) std::abort();
    if (!result.rows) return 0;
    rows = *result.rows;
  }
  const auto again = peers::parse_ratings_csv(peers::write_ratings_csv(rows), "stored");
  if (!again.rows || again.rows->size() != rows.size()) std::abort();
  for (std::size_t i = 0; i < rows.size(); ++i) {
    const auto& a = rows[i];
    const auto& b = (*again.rows)[i];
    if (a.company != b.company || a.industry != b.industry || a.year != b.year ||
        a.metric != b.metric || a.name != b.name || a.scale_min != b.scale_min ||
        a.scale_max != b.scale_max || a.value != b.value || a.respondents != b.respondents ||
        a.source != b.source)
      std::abort();
  }
  const std::vector<core::CustomerFigure> own = {
      {rows[0].metric, std::to_string(rows[0].year) + "-06", "", rows[0].value, 10, "", false}};
  const std::vector<core::MetricDefinition> named = {
      {rows[0].metric, rows[0].name, "", rows[0].scale_min, rows[0].scale_max, false}};
  for (const auto& p : core::rating_positions(rows, rows[0].industry, named, own)) {
    if (p.percentile && (*p.percentile < 0 || *p.percentile > 100)) std::abort();
    if (p.peers < core::kMinimumPeers && (p.median || p.percentile)) std::abort();
  }
  return 0;
}
