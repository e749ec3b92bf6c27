// /api/ratings (customer-ratings datasets: list, import) and
// /api/orgs/{org}/ratings (where the organization's own customer figures
// stand among its industry's ratings; SPEC sections 3 and 4.10,
// docs/ratings-datasets.md).
#include <algorithm>

#include "api/access.h"
#include "api/context.h"
#include "api/request_fields.h"
#include "core/ratings.h"
#include "peers/ratings_dataset.h"

namespace cxm::api {
namespace {

// Largest CSV accepted through the API (the server's body limit bounds it
// further); larger datasets are imported with `cxm ratings import`.
constexpr std::size_t kMaxRatingsCsvBytes = 64u << 20;

json provenance_json(const store::RatingsDataset& d) {
  return {{"id", d.id},
          {"name", d.name},
          {"source", d.source},
          {"citation", d.citation},
          {"licence", d.licence},
          {"date", d.published_on.empty() ? json(nullptr) : json(d.published_on)},
          {"synthetic", d.synthetic}};
}

json dataset_json(const store::RatingsDataset& d) {
  json out = provenance_json(d);
  out["ratings"] = d.ratings;
  out["metrics"] = d.metrics;
  out["created_at"] = d.created_at;
  return out;
}

http::Response list_ratings(Context& ctx, const http::Request& request, const http::PathParams&) {
  CXM_TRY(checked_, require_user(ctx, request));
  json list = json::array();
  for (const auto& d : ctx.store.ratings_datasets()) list.push_back(dataset_json(d));
  return json_response(200, {{"datasets", list}});
}

// The metric ids of `rows`, in the order first seen.
std::vector<std::string> metrics_of(const std::vector<core::CustomerRating>& rows) {
  std::vector<std::string> ids;
  for (const auto& r : rows) {
    if (std::find(ids.begin(), ids.end(), r.metric) == ids.end()) ids.push_back(r.metric);
  }
  return ids;
}

// POST /api/ratings: a dataset as CSV text ("csv") or as the JSON form
// ("dataset": {metadata, rows}, whose metadata gives what the body leaves
// out), checked cell by cell, all or nothing.
http::Response import_ratings(Context& ctx, const http::Request& request, const http::PathParams&) {
  CXM_TRY(caller, require_user(ctx, request));
  CXM_CHECK(require_admin(*caller, "imports customer-ratings datasets"));
  CXM_TRY(body, json_body(request));
  CXM_TRY(json_form, gives_json_dataset(body, "the ratings' CSV text"));
  std::vector<core::CustomerRating> rows;
  peers::DatasetMetadata metadata;
  if (json_form) {
    if (!body["dataset"].is_object())
      return refuse(422, "invalid", "dataset: must be an object {metadata, rows}");
    auto parsed = peers::parse_ratings_json(body["dataset"].dump());
    if (!parsed.dataset)
      return refuse(422, "invalid", "dataset: " + parsed.error + "; nothing was imported");
    rows = std::move(parsed.dataset->rows);
    metadata = std::move(parsed.dataset->metadata);
  } else {
    // Taken as it is: the reader names the line and column of a control
    // character or of invalid UTF-8.
    CXM_TRY(text, required_text(body, "csv", kMaxRatingsCsvBytes, Text::secret));
    auto parsed = peers::parse_ratings_csv(text, "csv");
    if (!parsed.rows) {
      const auto& e = *parsed.error;
      return invalid_csv(e.line, e.column, e.message);
    }
    rows = std::move(*parsed.rows);
  }
  store::RatingsDataset d;
  d.id = new_id();
  CXM_TRY(provenance, dataset_provenance(body, metadata, "ratings"));
  d.name = std::move(provenance.name);
  d.source = std::move(provenance.source);
  d.citation = std::move(provenance.citation);
  d.licence = std::move(provenance.licence);
  d.published_on = std::move(provenance.date);
  d.synthetic = provenance.synthetic;
  d.ratings = static_cast<std::int64_t>(rows.size());
  d.metrics = metrics_of(rows);
  d.created_by = caller->user.id;
  d.created_at = ctx.now();
  ctx.store.create_ratings_dataset(d, peers::write_ratings_csv(rows),
                                   audit_entry(ctx, *caller, "", "ratings.import", d.name));
  return json_response(201, dataset_json(d));
}

json optional_number(const std::optional<double>& v) { return v ? json(*v) : json(nullptr); }

json position_json(const core::RatingPosition& p) {
  json own = nullptr;
  if (p.own) {
    own = {{"value", p.own->value},
           {"period", p.own->period},
           {"respondents", p.own->respondents},
           {"source", p.own->source},
           {"synthetic", p.own->synthetic}};
  }
  return {{"metric", p.metric},
          {"name", p.name},
          {"scale", {{"min", p.scale_min}, {"max", p.scale_max}}},
          {"year", p.year},
          {"own", own},
          {"peers", p.peers},
          {"missing", p.missing},
          {"percentile", optional_number(p.percentile)},
          {"median", optional_number(p.median)},
          {"q1", optional_number(p.q1)},
          {"q3", optional_number(p.q3)},
          {"reason", p.reason.empty() ? json(nullptr) : json(p.reason)}};
}

// GET /api/orgs/{org}/ratings?dataset=ID: per metric and year of the
// dataset, the organization's own whole-organization figure and its place
// among the ratings of its industry.
http::Response org_ratings(Context& ctx, const http::Request& request,
                           const http::PathParams& params) {
  CXM_TRY(caller, require_user(ctx, request));
  CXM_TRY(org, require_org(ctx, *caller, params.at("org"), OrgRole::viewer));
  const auto dataset_id = request.query_value("dataset");
  if (!dataset_id || dataset_id->empty())
    return refuse(422, "invalid", "dataset: name the customer-ratings dataset to compare with");
  if (dataset_id->size() > 200) return refuse(422, "invalid", "dataset: at most 200 characters");
  const auto dataset = ctx.store.find_ratings_dataset(*dataset_id);
  if (!dataset) return refuse(404, "not_found", "no such customer-ratings dataset");
  auto rows = ctx.ratings_rows.get(dataset->id, ctx.now());
  if (!rows) {
    // Stored validated; a row that no longer reads is the database's fault.
    auto parsed = peers::parse_ratings_csv(ctx.store.ratings_dataset_csv(dataset->id), "stored");
    if (!parsed.rows)
      throw std::runtime_error("a stored customer-ratings dataset does not read back");
    rows = ctx.ratings_rows.put(dataset->id, std::move(*parsed.rows), ctx.now());
  }
  const auto own = ctx.store.customer_metrics_of(org->id);
  json positions = json::array();
  for (const auto& p : core::rating_positions(*rows, org->industry, own.named, own.figures))
    positions.push_back(position_json(p));
  return json_response(200,
                       {{"dataset", provenance_json(*dataset)},
                        {"industry", org->industry.empty() ? json(nullptr) : json(org->industry)},
                        {"minimum_peers", core::kMinimumPeers},
                        {"positions", positions}});
}

}  // namespace

void add_ratings_routes(http::Router& router, Context& ctx) {
  router.on_worker("GET", "/api/ratings", bind(ctx, list_ratings));
  router.on_worker("POST", "/api/ratings", bind(ctx, import_ratings));
  router.on_worker("GET", "/api/orgs/{org}/ratings", bind(ctx, org_ratings));
}

}  // namespace cxm::api
