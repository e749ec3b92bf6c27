// /api/orgs/{org}/customer-metrics (SPEC sections 4.10 and 5): an
// organization's customer metrics — list (viewers), import from a CSV or
// JSON file's text (facilitators; all or nothing, the first problem named
// by line and column or row and field: docs/customer-metrics.md), and
// delete one metric with all its figures (facilitators).
#include <cctype>

#include "api/access.h"
#include "api/context.h"
#include "api/request_fields.h"
#include "metrics/metrics_reader.h"
#include "model/utf8.h"
#include "results/customer_metrics.h"
#include "results/metrics_import.h"

namespace cxm::api {
namespace {

http::Response list_metrics(Context& ctx, const http::Request& request,
                            const http::PathParams& params) {
  CXM_TRY(caller, require_user(ctx, request));
  CXM_TRY(org, require_org(ctx, *caller, params.at("org"), OrgRole::viewer));
  return json_response(
      200, {{"metrics", results::customer_metrics_json(ctx.store.customer_metrics_of(org->id))}});
}

// The file in the body: {"csv": text} or {"rows": [...]}, read with the
// organization's units; a problem is 422 with the reader's message, as for
// every other import. The server's body limit (413 above it) bounds the
// file; the reader takes at most 10,000 figures from any file (the CLI's
// too).
Outcome<metrics::MetricsFile> read_body(const json& body, const store::Organization& org) {
  if (!body.contains("csv") && !body.contains("rows"))
    return refuse(422, "invalid",
                  "give the figures as csv (the CSV file's text) or as rows (a list)");
  if (body.contains("csv") && body.contains("rows")) {
    return refuse(422, "invalid",
                  "give the figures either as csv (the CSV file's text) or as rows (a list), not "
                  "both");
  }
  for (const auto& [key, value] : body.items()) {
    if (key != "csv" && key != "rows")
      return refuse(422, "invalid", "unknown field '" + model::printable(key) + "' (csv or rows)");
  }
  metrics::MetricsRead read;
  if (body.contains("csv")) {
    const json& csv = body["csv"];
    if (!csv.is_string()) return refuse(422, "invalid", "csv: must be the file's text");
    read = metrics::read_metrics_csv(csv.get_ref<const std::string&>(), &org.units);
  } else {
    read = metrics::read_metrics_json(json{{"rows", body["rows"]}}.dump(), &org.units);
  }
  if (!read.file) return refuse(422, "invalid", read.error + "; nothing was imported");
  return std::move(*read.file);
}

http::Response import_metrics(Context& ctx, const http::Request& request,
                              const http::PathParams& params) {
  CXM_TRY(caller, require_user(ctx, request));
  CXM_TRY(org, require_org(ctx, *caller, params.at("org"), OrgRole::facilitator));
  CXM_TRY(body, json_body(request));
  CXM_TRY(file, read_body(body, *org));
  const auto result =
      results::import_metrics_file(ctx.store, org->id, file,
                                   audit_entry(ctx, *caller, org->id, "customer_metrics.import",
                                               std::to_string(file.figures.size()) + " figures"));
  switch (result.outcome) {
    case store::MetricsImportOutcome::imported:
      break;
    case store::MetricsImportOutcome::org_not_found:
      return refuse(404, "not_found", "no such organization");
    case store::MetricsImportOutcome::unknown_unit:
      return refuse(422, "invalid", result.problem + "; nothing was imported");
    case store::MetricsImportOutcome::scale_changed:
      return refuse(409, "scale_changed", result.problem + "; nothing was imported");
  }
  return json_response(
      200, {{"added", result.added},
            {"replaced", result.replaced},
            {"metrics", results::customer_metrics_json(ctx.store.customer_metrics_of(org->id))}});
}

http::Response delete_metric(Context& ctx, const http::Request& request,
                             const http::PathParams& params) {
  CXM_TRY(caller, require_user(ctx, request));
  CXM_TRY(org, require_org(ctx, *caller, params.at("org"), OrgRole::facilitator));
  // Ids are read in lower case, as the import reads them ("NPS" is nps).
  std::string metric = params.at("metric");
  for (auto& c : metric) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  const std::size_t deleted =
      core::valid_metric_id(metric)
          ? ctx.store.delete_customer_metric(
                org->id, metric,
                audit_entry(ctx, *caller, org->id, "customer_metrics.delete", metric))
          : 0;
  if (deleted == 0)
    return refuse(404, "not_found", "the organization has no figures of this metric");
  return json_response(200, {{"deleted", deleted}});
}

}  // namespace

void add_customer_metric_routes(http::Router& router, Context& ctx) {
  router.on_worker("GET", "/api/orgs/{org}/customer-metrics", bind(ctx, list_metrics));
  router.on_worker("POST", "/api/orgs/{org}/customer-metrics", bind(ctx, import_metrics));
  router.on_worker("DELETE", "/api/orgs/{org}/customer-metrics/{metric}", bind(ctx, delete_metric));
}

}  // namespace cxm::api
