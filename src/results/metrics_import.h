// Storing a customer metrics file read by metrics::read_metrics (SPEC
// section 4.10): for the API's POST /api/orgs/{org}/customer-metrics and
// `cxm metrics import` alike. The store checks the units and the named
// ratings' scales inside its write; what it refuses is said here with the
// place the file has it, as the reader says its own problems.
#pragma once

#include <string>

#include "metrics/metrics_reader.h"
#include "store/store.h"

namespace cxm::results {

struct MetricsImportResult {
  store::MetricsImportOutcome outcome = store::MetricsImportOutcome::org_not_found;
  std::size_t added = 0;
  std::size_t replaced = 0;
  // unknown_unit and scale_changed: "line 3, column unit: 'Billing' is not
  // one of the organization's units (Sales, Service)"; "line 2, column
  // scale_min: stars was imported before on the scale 1 to 5; ...".
  std::string problem;
};

// Imports `file` into the organization, all or nothing.
MetricsImportResult import_metrics_file(store::Store& store, const std::string& org_id,
                                        const metrics::MetricsFile& file,
                                        const store::AuditEntry& audit);

}  // namespace cxm::results
