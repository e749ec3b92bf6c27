// libFuzzer target: any bytes given to the customer metrics reader (CSV or
// JSON, with and without the organization's units) give either figures that
// hold what the reader promises — each with its place, on its metric's
// scale, a period that reads back the same, at least one respondent, a
// source — or one error.
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <string>
#include <string_view>
#include <vector>

#include "core/customer_metrics.h"
#include "metrics/metrics_reader.h"

namespace {

void check(const cxm::metrics::MetricsRead& read) {
  if (read.file.has_value() == !read.error.empty()) std::abort();
  if (!read.file) return;
  const auto& file = *read.file;
  if (file.figures.empty() || file.figures.size() > cxm::metrics::kMaxMetricRows) std::abort();
  if (file.figures.size() != file.figure_places.size()) std::abort();
  if (file.named.size() != file.named_places.size()) std::abort();
  for (const auto& f : file.figures) {
    auto metric = cxm::core::builtin_metric(f.metric);
    for (const auto& d : file.named) {
      if (d.id == f.metric) metric = d;
    }
    if (!metric || !(metric->scale_min < metric->scale_max)) std::abort();
    if (f.value < metric->scale_min || f.value > metric->scale_max) std::abort();
    const auto period = cxm::core::parse_period(f.period);
    if (!period || cxm::core::to_text(*period) != f.period) std::abort();
    if (f.respondents < 1 || f.source.empty() || f.synthetic) std::abort();
  }
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string_view text(reinterpret_cast<const char*>(data), size);
  const std::vector<std::string> units = {"Sales", "Service"};
  check(cxm::metrics::read_metrics(text));
  check(cxm::metrics::read_metrics_csv(text, &units));
  check(cxm::metrics::read_metrics_json(text, &units));
  return 0;
}
