// /api/benchmarks (benchmark datasets: list, import) and
// /api/orgs/{org}/benchmark (where an organization's cycle stands among a
// dataset's peers; SPEC sections 3, 4.3 and 5).
#include "api/access.h"
#include "api/context.h"
#include "api/request_fields.h"
#include "peers/peers_csv.h"
#include "peers/peers_json.h"
#include "report/benchmark_document.h"
#include "report/reference_figures.h"
#include "results/benchmark_position.h"
#include "results/peer_export.h"

namespace cxm::api {
namespace {

// Largest PEERS.csv accepted through the API (the body limit of the server
// bounds it further); larger datasets are imported with `cxm benchmark import`.
constexpr std::size_t kMaxPeersCsvBytes = 64u << 20;

json dataset_json(const store::BenchmarkDataset& d) {
  return {{"id", d.id},
          {"name", d.name},
          {"source", d.source},
          {"citation", d.citation},
          {"licence", d.licence},
          {"published_on", d.published_on.empty() ? json(nullptr) : json(d.published_on)},
          {"synthetic", d.synthetic},
          {"assessments", d.assessments},
          {"competencies", d.competency_ids},
          {"created_at", d.created_at}};
}

http::Response list_benchmarks(Context& ctx, const http::Request& request,
                               const http::PathParams&) {
  CXM_TRY(checked_, require_user(ctx, request));
  json list = json::array();
  for (const auto& d : ctx.store.benchmark_datasets()) list.push_back(dataset_json(d));
  json figures = json::array();
  for (const auto& f : report::reference_figures()) {
    figures.push_back({{"id", f.id},
                       {"statement", f.statement},
                       {"value", f.value},
                       {"sample", f.sample},
                       {"year", f.year},
                       {"source", f.source},
                       {"note", f.note},
                       {"citation", report::citation_of(f)}});
  }
  return json_response(200, {{"datasets", list}, {"reference_figures", figures}});
}

// POST /api/benchmarks: a dataset as PEERS.csv text ("csv") or as the
// JSON form ("dataset": {metadata, rows}, whose metadata gives what the
// body leaves out), checked row by row, all or nothing.
http::Response import_benchmark(Context& ctx, const http::Request& request,
                                const http::PathParams&) {
  CXM_TRY(caller, require_user(ctx, request));
  CXM_CHECK(require_admin(*caller, "imports benchmark datasets"));
  CXM_TRY(body, json_body(request));
  CXM_TRY(json_form, gives_json_dataset(body, "PEERS.csv text"));
  std::string csv;
  std::size_t rows = 0;
  std::vector<std::string> competency_ids;
  peers::DatasetMetadata metadata;
  if (json_form) {
    if (!body["dataset"].is_object())
      return refuse(422, "invalid", "dataset: must be an object {metadata, rows}");
    auto parsed = peers::parse_peers_json(body["dataset"].dump());
    if (!parsed.dataset)
      return refuse(422, "invalid", "dataset: " + parsed.error + "; nothing was imported");
    csv = std::move(parsed.dataset->csv);
    rows = parsed.dataset->table.rows.size();
    competency_ids = std::move(parsed.dataset->table.competency_ids);
    metadata = std::move(parsed.dataset->metadata);
  } else {
    CXM_TRY(text, required_text(body, "csv", kMaxPeersCsvBytes, Text::document));
    csv = std::move(text);
    const auto parsed = peers::parse_peers_csv(csv, "csv");
    if (!parsed.table) {
      const auto& e = *parsed.error;
      return invalid_csv(e.line, e.column, e.message);
    }
    rows = parsed.table->rows.size();
    competency_ids = parsed.table->competency_ids;
  }
  store::BenchmarkDataset d;
  d.id = new_id();
  CXM_TRY(provenance, dataset_provenance(body, metadata, "data"));
  d.name = std::move(provenance.name);
  d.source = std::move(provenance.source);
  d.citation = std::move(provenance.citation);
  d.licence = std::move(provenance.licence);
  d.published_on = std::move(provenance.date);
  d.synthetic = provenance.synthetic;
  d.assessments = static_cast<std::int64_t>(rows);
  d.competency_ids = std::move(competency_ids);
  d.created_by = caller->user.id;
  d.created_at = ctx.now();
  ctx.store.create_benchmark_dataset(d, csv,
                                     audit_entry(ctx, *caller, "", "benchmark.import", d.name));
  return json_response(201, dataset_json(d));
}

Outcome<std::optional<std::string>> query_text(const http::Request& request, const char* name) {
  auto value = request.query_value(name);
  if (value && value->empty()) return std::optional<std::string>();
  if (value && value->size() > 200)
    return refuse(422, "invalid", std::string(name) + ": at most 200 characters");
  return value;
}

Outcome<std::optional<core::Day>> query_day(const http::Request& request, const char* name) {
  CXM_TRY(text, query_text(request, name));
  if (!text) return std::optional<core::Day>();
  const auto day = core::parse_iso_date(*text);
  if (!day) return refuse(422, "invalid", std::string(name) + ": must be a date as YYYY-MM-DD");
  return day;
}

// The cycle to compare: the one asked for (of this organization), else
// the organization's most recently created closed cycle.
Outcome<store::Cycle> cycle_to_compare(Context& ctx, const Caller& caller,
                                       const std::string& org_id,
                                       const std::optional<std::string>& cycle_id) {
  if (cycle_id) {
    CXM_TRY(cycle, require_cycle(ctx, caller, *cycle_id, OrgRole::viewer));
    if (cycle->org_id != org_id) return refuse(404, "not_found", "no such cycle");
    return *cycle;
  }
  const auto cycles = ctx.store.cycles_of(org_id);
  for (auto it = cycles.rbegin(); it != cycles.rend(); ++it) {
    if (it->status == store::CycleStatus::closed && !it->pulse) return *it;
  }
  return refuse(409, "no_result", "the organization has no closed assessment cycle to compare yet");
}

using results::kPool;

json pool_json(Context& ctx, const std::string& org_id) {
  const auto joined = ctx.store.benchmark_pool_joined_at(org_id);
  return {{"member", joined.has_value()},
          {"joined_at", joined ? json(*joined) : json(nullptr)},
          {"minimum_organizations", core::kMinimumPeers}};
}

http::Response get_pool(Context& ctx, const http::Request& request,
                        const http::PathParams& params) {
  CXM_TRY(caller, require_user(ctx, request));
  CXM_TRY(org, require_org(ctx, *caller, params.at("org"), OrgRole::viewer));
  return json_response(200, pool_json(ctx, org->id));
}

// Joining shares the organization's results (anonymized) with every other
// member: the owner decides.
http::Response put_pool(Context& ctx, const http::Request& request,
                        const http::PathParams& params) {
  CXM_TRY(caller, require_user(ctx, request));
  CXM_TRY(org, require_org(ctx, *caller, params.at("org"), OrgRole::owner));
  CXM_TRY(body, json_body(request));
  CXM_TRY(member, bool_field(body, "member"));
  if (!member) return refuse(422, "invalid", "member: required, true or false");
  if (*member && org->demo)
    return refuse(409, "conflict", "a demo organization's synthetic data cannot join the pool");
  ctx.store.set_benchmark_pool_member(
      org->id, *member, ctx.now(),
      audit_entry(ctx, *caller, org->id, *member ? "benchmark.pool.join" : "benchmark.pool.leave",
                  ""));
  return json_response(200, pool_json(ctx, org->id));
}

http::Response org_benchmark(Context& ctx, const http::Request& request,
                             const http::PathParams& params) {
  CXM_TRY(caller, require_user(ctx, request));
  CXM_TRY(org, require_org(ctx, *caller, params.at("org"), OrgRole::viewer));
  CXM_TRY(dataset_id, query_text(request, "dataset"));
  if (!dataset_id)
    return refuse(422, "invalid", "dataset: name the benchmark dataset to compare with");
  const bool pool = *dataset_id == kPool;
  const auto dataset = pool ? std::nullopt : ctx.store.find_benchmark_dataset(*dataset_id);
  if (!pool && !dataset) return refuse(404, "not_found", "no such benchmark dataset");
  if (pool && !ctx.store.benchmark_pool_joined_at(org->id)) {
    return refuse(
        409, "not_in_pool",
        "only organizations that contribute to the pool compare with it; an owner can join");
  }
  core::PeerFilter filter;
  CXM_TRY(industry, query_text(request, "industry"));
  CXM_TRY(size_band, query_text(request, "size_band"));
  CXM_TRY(region, query_text(request, "region"));
  CXM_TRY(since, query_day(request, "since"));
  CXM_TRY(until, query_day(request, "until"));
  CXM_TRY(cycle_id, query_text(request, "cycle"));
  filter.industry = industry;
  if (size_band) filter.size_band = core::canonical_size_band(*size_band);
  filter.region = region;
  filter.since = since;
  filter.until = until;
  CXM_TRY(cycle, cycle_to_compare(ctx, *caller, org->id, cycle_id));
  json doc = results::compare_cycle(ctx.results, *org, cycle, *dataset_id, filter);
  if (doc.is_null()) {
    return refuse(
        409, "no_result",
        cycle.pulse
            ? "a pulse check has no stage and covers only some statements; compare a full cycle"
            : "the cycle has no results to compare yet (none submitted, or an anonymous cycle not "
              "released at close)");
  }
  doc["cycle"] = {{"id", cycle.id}, {"name", cycle.name}};
  return json_response(200, doc);
}

// GET /api/benchmarks/export.csv[?since=YYYY-MM-DD]: this instance's
// results as a PEERS.csv (administrators), for a benchmark dataset
// elsewhere; the same rows as `cxm benchmark export` (results/peer_export.h).
http::Response export_benchmark(Context& ctx, const http::Request& request,
                                const http::PathParams&) {
  CXM_TRY(caller, require_user(ctx, request));
  CXM_CHECK(require_admin(*caller, "exports the instance's results"));
  CXM_TRY(since, query_day(request, "since"));
  const results::PeerExport peers =
      results::peer_rows(ctx.results, ctx.store.organizations_for(caller->user), since);
  ctx.store.audit(caller->user.id, "", "benchmark.export",
                  std::to_string(peers.rows.size()) + " assessments", ctx.now());
  http::Response response;
  response.content_type = "text/csv; charset=utf-8";
  response.headers.push_back({"Content-Disposition", "attachment; filename=\"cxm-peers.csv\""});
  response.body = results::write_peers_csv(peers);
  return response;
}

}  // namespace

void add_benchmark_routes(http::Router& router, Context& ctx) {
  router.on_worker("GET", "/api/benchmarks", bind(ctx, list_benchmarks));
  router.on_worker("POST", "/api/benchmarks", bind(ctx, import_benchmark));
  router.on_worker("GET", "/api/benchmarks/export.csv", bind(ctx, export_benchmark));
  router.on_worker("GET", "/api/orgs/{org}/benchmark", bind(ctx, org_benchmark));
  router.on_worker("GET", "/api/orgs/{org}/benchmark-pool", bind(ctx, get_pool));
  router.on_worker("PUT", "/api/orgs/{org}/benchmark-pool", bind(ctx, put_pool));
}

}  // namespace cxm::api
