// /api/orgs/{org}/customer-metrics (SPEC sections 4.10 and 5): an
// organization's customer metrics — list (viewers), import from a CSV or
// JSON file's text (facilitators; all or nothing, the first problem named
// by line and column or row and field: docs/customer-metrics.md), and
// delete one metric with all its figures (facilitators).
#include <cstdio>

#include "api/access.h"
#include "api/context.h"
#include "api/request_fields.h"
#include "metrics/metrics_reader.h"
#include "model/utf8.h"
#include "results/customer_metrics.h"

namespace cxm::api {
namespace {

std::string listed(const std::vector<std::string>& units) {
  std::string out;
  for (const auto& u : units) out += (out.empty() ? "" : ", ") + u;
  return out.empty() ? "it has none" : out;
}

http::Response list_metrics(Context& ctx, const http::Request& request,
                            const http::PathParams& params) {
  CXM_TRY(caller, require_user(ctx, request));
  CXM_TRY(org, require_org(ctx, *caller, params.at("org"), OrgRole::viewer));
  return json_response(
      200, {{"metrics", results::customer_metrics_json(ctx.store.customer_metrics_of(org->id))}});
}

// The file in the body: {"csv": text} or {"rows": [...]}, read with the
// organization's units; a problem is 400 with the reader's message. The
// server's body limit (413 above it) bounds the file: larger ones are
// imported with `cxm metrics import`.
Outcome<metrics::MetricsFile> read_body(const json& body, const store::Organization& org) {
  if (body.contains("csv") == body.contains("rows")) {
    return refuse(400, "bad_request",
                  "give the figures either as csv (the CSV file's text) or as rows (a list), not "
                  "both");
  }
  for (const auto& [key, value] : body.items()) {
    if (key != "csv" && key != "rows")
      return refuse(400, "bad_request",
                    "unknown field '" + model::printable(key) + "' (csv or rows)");
  }
  metrics::MetricsRead read;
  if (body.contains("csv")) {
    const json& csv = body["csv"];
    if (!csv.is_string()) return refuse(400, "bad_request", "csv: must be the file's text");
    read = metrics::read_metrics_csv(csv.get_ref<const std::string&>(), &org.units);
  } else {
    read = metrics::read_metrics_json(json{{"rows", body["rows"]}}.dump(), &org.units);
  }
  if (!read.file) return refuse(400, "bad_request", read.error + "; nothing was imported");
  return std::move(*read.file);
}

// What the store refused in the write (a unit removed, or a named rating
// imported meanwhile on another scale), named where the file has it.
Refusal refused_in_write(Context& ctx, const store::Organization& org,
                         const metrics::MetricsFile& file, const store::MetricsImport& result) {
  if (result.outcome == store::MetricsImportOutcome::unknown_unit) {
    const auto now = ctx.store.find_organization(org.id);
    return refuse(400, "bad_request",
                  metrics::where(file.figure_places.at(result.index), "unit") + ": '" +
                      result.detail + "' is not one of the organization's units (" +
                      listed(now ? now->units : std::vector<std::string>{}) +
                      "); nothing was imported");
  }
  const auto stored =
      results::metric_definition(ctx.store.customer_metrics_of(org.id), result.detail);
  const auto& ours = file.named.at(result.index);
  std::string scale = "another scale";
  if (stored) {
    char text[96];
    std::snprintf(text, sizeof text, "the scale %g to %g", stored->scale_min, stored->scale_max);
    scale = text;
  }
  return refuse(409, "scale_changed",
                metrics::where(file.named_places.at(result.index), "scale_min") + ": " + ours.id +
                    " was imported before on " + scale +
                    "; a named rating keeps its scale (delete it first to import it on another); "
                    "nothing was imported");
}

http::Response import_metrics(Context& ctx, const http::Request& request,
                              const http::PathParams& params) {
  CXM_TRY(caller, require_user(ctx, request));
  CXM_TRY(org, require_org(ctx, *caller, params.at("org"), OrgRole::facilitator));
  CXM_TRY(body, json_body(request));
  CXM_TRY(file, read_body(body, *org));
  const auto result = ctx.store.import_customer_metrics(
      org->id, file.named, file.figures,
      audit_entry(ctx, *caller, org->id, "customer_metrics.import",
                  std::to_string(file.figures.size()) + " figures"));
  switch (result.outcome) {
    case store::MetricsImportOutcome::imported:
      break;
    case store::MetricsImportOutcome::org_not_found:
      return refuse(404, "not_found", "no such organization");
    case store::MetricsImportOutcome::unknown_unit:
    case store::MetricsImportOutcome::scale_changed:
      return refused_in_write(ctx, *org, file, result);
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
  const std::string& metric = params.at("metric");
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
