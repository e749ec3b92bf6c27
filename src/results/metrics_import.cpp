#include "results/metrics_import.h"

#include <cstdio>

#include "results/customer_metrics.h"

namespace cxm::results {
namespace {

std::string listed(const std::vector<std::string>& units) {
  std::string out;
  for (const auto& u : units) out += (out.empty() ? "" : ", ") + u;
  return out.empty() ? "it has none" : out;
}

std::string number_text(double v) {
  char text[32];
  std::snprintf(text, sizeof text, "%.15g", v);
  return text;
}

}  // namespace

MetricsImportResult import_metrics_file(store::Store& store, const std::string& org_id,
                                        const metrics::MetricsFile& file,
                                        const store::AuditEntry& audit) {
  const auto stored = store.import_customer_metrics(org_id, file.named, file.figures, audit);
  MetricsImportResult result{stored.outcome, stored.added, stored.replaced, {}};
  if (stored.outcome == store::MetricsImportOutcome::unknown_unit) {
    // A unit removed since the file was read against the organization's units.
    const auto org = store.find_organization(org_id);
    result.problem = metrics::where(file.figure_places.at(stored.index), "unit") + ": '" +
                     stored.detail + "' is not one of the organization's units (" +
                     listed(org ? org->units : std::vector<std::string>{}) +
                     "); leave it empty for the whole organization";
  } else if (stored.outcome == store::MetricsImportOutcome::scale_changed) {
    const auto before = metric_definition(store.customer_metrics_of(org_id), stored.detail);
    const std::string scale = before ? "the scale " + number_text(before->scale_min) + " to " +
                                           number_text(before->scale_max)
                                     : std::string("another scale");
    result.problem = metrics::where(file.named_places.at(stored.index), "scale_min") + ": " +
                     stored.detail + " was imported before on " + scale +
                     "; a named rating keeps its scale (delete it first to import it on another)";
  }
  return result;
}

}  // namespace cxm::results
