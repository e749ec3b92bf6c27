// /api/benchmarks (benchmark datasets: list, import) and
// /api/orgs/{org}/benchmark (where an organization's cycle stands among a
// dataset's peers; SPEC sections 3, 4.3 and 5).
#include <algorithm>
#include <cstdio>
#include <set>
#include <tuple>

#include "api/context.h"
#include "peers/peers_csv.h"
#include "peers/peers_json.h"
#include "report/benchmark_document.h"
#include "report/reference_figures.h"

namespace cxm::api {
namespace {

// Largest PEERS.csv accepted through the API (the body limit of the server
// bounds it further); larger datasets are imported with `cxm benchmark import`.
constexpr std::size_t kMaxCsvBytes = 64u << 20;

// When a cycle's assessment took place: its closing date, else its creation.
core::Day assessed_on(const store::Cycle& cycle) {
  return static_cast<core::Day>(cycle.closes_at.value_or(cycle.created_at) / 86'400'000);
}

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

http::Response list_benchmarks(Context& ctx, const http::Request& request, const http::PathParams&) {
  require_user(ctx, request);
  json list = json::array();
  for (const auto& d : ctx.store.benchmark_datasets()) list.push_back(dataset_json(d));
  json figures = json::array();
  for (const auto& f : report::reference_figures()) {
    figures.push_back({{"id", f.id},         {"statement", f.statement}, {"value", f.value},
                       {"sample", f.sample}, {"year", f.year},           {"source", f.source},
                       {"note", f.note},     {"citation", report::citation_of(f)}});
  }
  return json_response(200, {{"datasets", list}, {"reference_figures", figures}});
}

// POST /api/benchmarks: a dataset as PEERS.csv text ("csv") or as the
// JSON form ("dataset": {metadata, rows}, whose metadata gives what the
// body leaves out), checked row by row, all or nothing.
http::Response import_benchmark(Context& ctx, const http::Request& request, const http::PathParams&) {
  const auto caller = require_user(ctx, request);
  if (!caller->user.is_admin) fail(403, "forbidden", "only an administrator imports benchmark datasets");
  const json body = json_body(request);
  if (body.contains("csv") == body.contains("dataset")) {
    fail(422, "invalid", "give the rows either as csv (PEERS.csv text) or as dataset ({metadata, rows}), not both");
  }
  std::string csv;
  std::size_t rows = 0;
  std::vector<std::string> competency_ids;
  peers::DatasetMetadata metadata;
  if (body.contains("dataset")) {
    if (!body["dataset"].is_object()) fail(422, "invalid", "dataset: must be an object {metadata, rows}");
    auto parsed = peers::parse_peers_json(body["dataset"].dump());
    if (!parsed.dataset) fail(422, "invalid", "dataset: " + parsed.error + "; nothing was imported");
    csv = std::move(parsed.dataset->csv);
    rows = parsed.dataset->table.rows.size();
    competency_ids = std::move(parsed.dataset->table.competency_ids);
    metadata = std::move(parsed.dataset->metadata);
  } else {
    csv = *text_field(body, "csv", true, kMaxCsvBytes, Text::document);
    const auto parsed = peers::parse_peers_csv(csv, "csv");
    if (!parsed.table) {
      const auto& e = *parsed.error;
      std::string place = "csv";
      if (e.line > 0) place += ": line " + std::to_string(e.line);
      if (e.column > 0) place += ", column " + std::to_string(e.column);
      fail(422, "invalid", place + ": " + e.message + "; nothing was imported");
    }
    rows = parsed.table->rows.size();
    competency_ids = parsed.table->competency_ids;
  }
  store::BenchmarkDataset d;
  d.id = new_id();
  d.name = text_field(body, "name", false).value_or(metadata.name);
  if (d.name.empty()) fail(422, "invalid", "name: must not be empty");
  d.source = text_field(body, "source", false, 500).value_or(metadata.source);
  if (d.source.empty()) fail(422, "invalid", "source: say who collected the data");
  d.citation = text_field(body, "citation", false, 1000).value_or(metadata.citation);
  d.licence = text_field(body, "licence", false).value_or(metadata.licence);
  if (d.licence.empty()) fail(422, "invalid", "licence: say under which terms the data may be used");
  d.published_on = text_field(body, "published_on", false, 10).value_or(metadata.date);
  if (!d.published_on.empty() && !core::parse_iso_date(d.published_on)) {
    fail(422, "invalid", "published_on: must be a date as YYYY-MM-DD");
  }
  d.synthetic = bool_field(body, "synthetic").value_or(metadata.synthetic);
  d.assessments = static_cast<std::int64_t>(rows);
  d.competency_ids = std::move(competency_ids);
  d.created_by = caller->user.id;
  d.created_at = ctx.now();
  ctx.store.create_benchmark_dataset(d, csv);
  ctx.store.audit(caller->user.id, "", "benchmark.import", d.name, ctx.now());
  return json_response(201, dataset_json(d));
}

std::shared_ptr<const core::PeerIndex> dataset_index(Context& ctx, const std::string& dataset_id) {
  if (auto index = ctx.benchmark_indexes.get(dataset_id)) return index;
  const auto parsed = peers::parse_peers_csv(ctx.store.benchmark_dataset_csv(dataset_id), dataset_id);
  // Stored datasets were validated at import.
  if (!parsed.table) throw std::runtime_error("stored benchmark dataset no longer parses: " + parsed.error->message);
  return ctx.benchmark_indexes.put(dataset_id, std::make_shared<const core::PeerIndex>(*parsed.table));
}

std::optional<std::string> query_text(const http::Request& request, const char* name) {
  auto value = request.query_value(name);
  if (value && value->empty()) return std::nullopt;
  if (value && value->size() > 200) fail(422, "invalid", std::string(name) + ": at most 200 characters");
  return value;
}

std::optional<core::Day> query_day(const http::Request& request, const char* name) {
  const auto text = query_text(request, name);
  if (!text) return std::nullopt;
  const auto day = core::parse_iso_date(*text);
  if (!day) fail(422, "invalid", std::string(name) + ": must be a date as YYYY-MM-DD");
  return day;
}

// The cycle to compare: the one asked for (of this organization), else
// the organization's most recently created closed cycle.
store::Cycle cycle_to_compare(Context& ctx, const Caller& caller, const std::string& org_id,
                              const std::optional<std::string>& cycle_id) {
  if (cycle_id) {
    const auto cycle = require_cycle(ctx, caller, *cycle_id, OrgRole::viewer);
    if (cycle->org_id != org_id) fail(404, "not_found", "no such cycle");
    return *cycle;
  }
  const auto cycles = ctx.store.cycles_of(org_id);
  for (auto it = cycles.rbegin(); it != cycles.rend(); ++it) {
    if (it->status == store::CycleStatus::closed && !it->pulse) return *it;
  }
  fail(409, "no_result", "the organization has no closed assessment cycle to compare yet");
}

constexpr const char* kPool = "pool";

json pool_json(Context& ctx, const std::string& org_id) {
  const auto joined = ctx.store.benchmark_pool_joined_at(org_id);
  return {{"member", joined.has_value()},
          {"joined_at", joined ? json(*joined) : json(nullptr)},
          {"minimum_organizations", core::kMinimumPeers}};
}

http::Response get_pool(Context& ctx, const http::Request& request, const http::PathParams& params) {
  const auto caller = require_user(ctx, request);
  const auto org = require_org(ctx, *caller, params.at("org"), OrgRole::viewer);
  return json_response(200, pool_json(ctx, org->id));
}

// Joining shares the organization's results (anonymized) with every other
// member: the owner decides.
http::Response put_pool(Context& ctx, const http::Request& request, const http::PathParams& params) {
  const auto caller = require_user(ctx, request);
  const auto org = require_org(ctx, *caller, params.at("org"), OrgRole::owner);
  const json body = json_body(request);
  const auto member = bool_field(body, "member");
  if (!member) fail(422, "invalid", "member: required, true or false");
  if (*member && org->demo) fail(409, "conflict", "a demo organization's synthetic data cannot join the pool");
  ctx.store.set_benchmark_pool_member(org->id, *member, ctx.now());
  ctx.store.audit(caller->user.id, org->id, *member ? "benchmark.pool.join" : "benchmark.pool.leave", "", ctx.now());
  return json_response(200, pool_json(ctx, org->id));
}

// The pool as peers of `own_org`: for every other member (no demo data),
// its most recent closed full cycle in the period, from that cycle's report
// (so an anonymous cycle gives only its released results). One row per
// organization: the 5-peer rule then counts organizations. Rows carry no
// name.
core::PeerTable pool_peers(Context& ctx, const std::string& own_org, const core::PeerFilter& filter,
                           const report::OwnAssessment& own) {
  core::PeerTable table;
  for (const auto& [id, score] : own.scores.competencies) table.competency_ids.push_back(id);
  for (const auto& org_id : ctx.store.benchmark_pool_members()) {
    if (org_id == own_org) continue;
    const auto org = ctx.store.find_organization(org_id);
    if (!org || org->demo) continue;
    const auto cycles = ctx.store.cycles_of(org_id);
    for (auto it = cycles.rbegin(); it != cycles.rend(); ++it) {
      if (it->status != store::CycleStatus::closed || it->pulse) continue;
      const core::Day day = assessed_on(*it);
      if ((filter.since && day < *filter.since) || (filter.until && day > *filter.until)) continue;
      std::string error;
      const auto theirs = report::own_assessment_from_score_document(cycle_report_json(ctx, *it), error);
      if (!theirs || theirs->model_id != own.model_id || !theirs->stage) continue;
      core::PeerAssessment peer;
      peer.industry = org->industry;
      peer.size_band = org->size_band;
      peer.assessed_on = day;
      peer.model_id = theirs->model_id;
      peer.stage = *theirs->stage;
      peer.overall = theirs->scores.overall.value_or(0);
      for (const auto& [id, score] : own.scores.competencies) {
        std::optional<double> value;
        for (const auto& [their_id, their_score] : theirs->scores.competencies) {
          if (their_id == id) value = their_score;
        }
        peer.competencies.push_back(value);
      }
      if (theirs->scores.overall) table.rows.push_back(std::move(peer));
      break;
    }
  }
  return table;
}

// The comparison of `cycle` with `dataset_id` ("pool" or a dataset's id):
// the benchmark document, or null when the cycle has no comparable result.
json compare_cycle(Context& ctx, const store::Organization& org, const store::Cycle& cycle,
                   const std::string& dataset_id, core::PeerFilter filter) {
  std::string error;
  const auto own = report::own_assessment_from_score_document(cycle_report_json(ctx, cycle), error);
  if (!own) return nullptr;
  filter.model_id = own->model_id;
  json doc;
  if (dataset_id == kPool) {
    const core::PeerTable peers = pool_peers(ctx, org.id, filter, *own);
    const auto result = core::compare_with_peers(peers, filter, own->scores);
    const core::DatasetProvenance provenance{"Organizations on this cxm instance",
                                             "Closed cycles of the organizations that joined this instance's pool "
                                             "(the most recent in the period), anonymized",
                                             "", "", "", false};
    doc = json::parse(report::benchmark_document_json(provenance, peers.rows.size(), filter, *own, result, -1));
  } else {
    const auto dataset = ctx.store.find_benchmark_dataset(dataset_id);
    if (!dataset) return nullptr;
    const auto index = dataset_index(ctx, dataset->id);
    const auto result = index->compare(filter, own->scores);
    const core::DatasetProvenance provenance{dataset->name,    dataset->source,       dataset->citation,
                                             dataset->licence, dataset->published_on, dataset->synthetic};
    doc = json::parse(report::benchmark_document_json(provenance, index->size(), filter, *own, result, -1));
  }
  doc["dataset"]["id"] = dataset_id;
  return doc;
}

http::Response org_benchmark(Context& ctx, const http::Request& request, const http::PathParams& params) {
  const auto caller = require_user(ctx, request);
  const auto org = require_org(ctx, *caller, params.at("org"), OrgRole::viewer);
  const auto dataset_id = query_text(request, "dataset");
  if (!dataset_id) fail(422, "invalid", "dataset: name the benchmark dataset to compare with");
  const bool pool = *dataset_id == kPool;
  const auto dataset = pool ? std::nullopt : ctx.store.find_benchmark_dataset(*dataset_id);
  if (!pool && !dataset) fail(404, "not_found", "no such benchmark dataset");
  if (pool && !ctx.store.benchmark_pool_joined_at(org->id)) {
    fail(409, "not_in_pool", "only organizations that contribute to the pool compare with it; an owner can join");
  }
  core::PeerFilter filter;
  filter.industry = query_text(request, "industry");
  filter.size_band = query_text(request, "size_band");
  filter.region = query_text(request, "region");
  filter.since = query_day(request, "since");
  filter.until = query_day(request, "until");
  const store::Cycle cycle = cycle_to_compare(ctx, *caller, org->id, query_text(request, "cycle"));
  json doc = compare_cycle(ctx, *org, cycle, *dataset_id, filter);
  if (doc.is_null()) {
    fail(409, "no_result",
         cycle.pulse ? "a pulse check has no stage and covers only some statements; compare a full cycle"
                     : "the cycle has no results to compare yet (none submitted, or an anonymous cycle not "
                       "released at close)");
  }
  doc["cycle"] = {{"id", cycle.id}, {"name", cycle.name}};
  return json_response(200, doc);
}

// One CSV field, quoted when it must be (RFC 4180).
std::string csv_field(const std::string& text) {
  if (text.find_first_of(",\"\r\n") == std::string::npos) return text;
  std::string quoted = "\"";
  for (char c : text) quoted += c == '"' ? std::string("\"\"") : std::string(1, c);
  return quoted + "\"";
}

std::string score_field(const std::optional<double>& score) {
  if (!score) return "";
  char out[32];
  std::snprintf(out, sizeof out, "%.2f", *score);
  return out;
}

// GET /api/benchmarks/export.csv: this instance's closed full cycles as a
// PEERS.csv (administrators), for a benchmark dataset elsewhere. Each
// organization appears under a random pseudonym, new at every export; only
// what the cycle's report shows goes out (an anonymous cycle's released
// results), and demo organizations (synthetic data) stay home.
http::Response export_benchmark(Context& ctx, const http::Request& request, const http::PathParams&) {
  const auto caller = require_user(ctx, request);
  if (!caller->user.is_admin) fail(403, "forbidden", "only an administrator exports the instance's results");
  struct Row {
    std::string pseudonym;
    const store::Organization* org;
    std::string assessed_on;
    report::OwnAssessment own;
  };
  const auto orgs = ctx.store.organizations_for(caller->user);
  std::vector<Row> rows;
  std::vector<std::string> competency_ids;
  std::set<std::string> pseudonyms;
  for (const auto& org : orgs) {
    if (org.demo) continue;
    std::string pseudonym;
    for (const auto& cycle : ctx.store.cycles_of(org.id)) {
      if (cycle.status != store::CycleStatus::closed || cycle.pulse) continue;
      std::string error;
      auto own = report::own_assessment_from_score_document(cycle_report_json(ctx, cycle), error);
      if (!own) continue;  // nothing released or submitted
      while (pseudonym.empty() || !pseudonyms.insert(pseudonym).second) pseudonym = "client-" + random_hex(4);
      for (const auto& [id, score] : own->scores.competencies) {
        if (std::find(competency_ids.begin(), competency_ids.end(), id) == competency_ids.end()) competency_ids.push_back(id);
      }
      rows.push_back({pseudonym, &org, core::format_iso_date(assessed_on(cycle)), std::move(*own)});
    }
  }
  // Rows in pseudonym order: the order of creation would link them to organizations.
  std::sort(rows.begin(), rows.end(), [](const Row& a, const Row& b) {
    return std::tie(a.pseudonym, a.assessed_on) < std::tie(b.pseudonym, b.assessed_on);
  });
  std::string csv = "organization,industry,size_band,region,assessed_on,model_id,stage,overall";
  for (const auto& id : competency_ids) csv += "," + csv_field(id);
  csv += "\n";
  for (const auto& row : rows) {
    csv += row.pseudonym + "," + csv_field(row.org->industry) + "," + csv_field(row.org->size_band) + ",," +
           row.assessed_on + "," + csv_field(row.own.model_id) + "," + std::to_string(row.own.stage.value_or(1)) + "," +
           score_field(row.own.scores.overall);
    for (const auto& id : competency_ids) {
      std::optional<double> score;
      for (const auto& [cid, value] : row.own.scores.competencies) {
        if (cid == id) score = value;
      }
      csv += "," + score_field(score);
    }
    csv += "\n";
  }
  ctx.store.audit(caller->user.id, "", "benchmark.export", std::to_string(rows.size()) + " assessments", ctx.now());
  http::Response response;
  response.content_type = "text/csv; charset=utf-8";
  response.headers.push_back({"Content-Disposition", "attachment; filename=\"cxm-peers.csv\""});
  response.body = std::move(csv);
  return response;
}

}  // namespace

json report_benchmark(Context& ctx, const store::Organization& org, const store::Cycle& cycle,
                      const std::optional<std::string>& dataset) {
  std::string chosen;
  if (dataset) {
    chosen = *dataset;
    if (chosen == kPool && !ctx.store.benchmark_pool_joined_at(org.id)) return nullptr;
  } else if (ctx.store.benchmark_pool_joined_at(org.id)) {
    chosen = kPool;
  } else {
    const auto datasets = ctx.store.benchmark_datasets();  // newest first
    if (datasets.empty()) return nullptr;
    chosen = datasets.front().id;
  }
  return compare_cycle(ctx, org, cycle, chosen, {});
}

void add_benchmark_routes(http::Router& router, Context& ctx) {
  router.on_worker("GET", "/api/benchmarks", bind(ctx, list_benchmarks));
  router.on_worker("POST", "/api/benchmarks", bind(ctx, import_benchmark));
  router.on_worker("GET", "/api/benchmarks/export.csv", bind(ctx, export_benchmark));
  router.on_worker("GET", "/api/orgs/{org}/benchmark", bind(ctx, org_benchmark));
  router.on_worker("GET", "/api/orgs/{org}/benchmark-pool", bind(ctx, get_pool));
  router.on_worker("PUT", "/api/orgs/{org}/benchmark-pool", bind(ctx, put_pool));
}

}  // namespace cxm::api
