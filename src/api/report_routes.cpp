// GET /api/cycles/{cycle}/report[?role=R|unit=U][&lang=L]: the scoring
// core's result over the submitted answers, cached per language until the
// cycle's answers change; and the same result as a printable page
// (report.html), a workbook (report.xlsx), its tables (report.csv) and
// Markdown (report.md).
#include <ctime>
#include <filesystem>
#include <fstream>
#include <set>

#include "api/access.h"
#include "api/context.h"
#include "api/live_state.h"
#include "api/request_fields.h"
#include "core/calendar.h"
#include "report/html_report.h"
#include "report/report_tables.h"
#include "report/report_text.h"
#include "report/score_document.h"
#include "report/summary_text.h"
#include "report/xlsx_report.h"
#include "results/benchmark_position.h"
#include "results/cycle_progress.h"
#include "results/cycle_report.h"

namespace cxm::api {
namespace {

// The report's filter key ("", "role:R" or "unit:U"); 422 for both.
Outcome<std::string> report_filter(const http::Request& request) {
  const std::string role = request.query_value("role").value_or("");
  const std::string unit = request.query_value("unit").value_or("");
  if (!role.empty() && !unit.empty())
    return refuse(422, "invalid", "filter by role or by unit, not both");
  return results::report_filter(role, unit);
}

// The language the request asks the report in (?lang=): one the cycle
// offers, else 422 naming those; the cycle's default when it asks none.
Outcome<std::string> report_language(const http::Request& request, const store::Cycle& cycle) {
  const std::string asked = request.query_value("lang").value_or("");
  if (asked.empty()) return results::offered_language(cycle, "");
  std::string offered;
  for (const auto& lang : cycle.languages) {
    if (lang == asked) return lang;
    offered += (offered.empty() ? "" : ", ") + lang;
  }
  return refuse(422, "invalid",
                "lang: this cycle is not offered in '" + asked + "'; it is in " + offered);
}

// The report of `cycle` under the request's filter in `lang`; 404 when the
// cycle's organization has just gone.
Outcome<std::shared_ptr<const std::string>> filtered_report(Context& ctx, const store::Cycle& cycle,
                                                            const std::string& role,
                                                            const std::string& unit,
                                                            const std::string& lang) {
  auto report = results::cycle_report(ctx.results, cycle, role, unit, lang);
  if (!report) return refuse(404, "not_found", "no such cycle");
  return report;
}

http::Response shared_json(std::shared_ptr<const std::string> body) {
  http::Response response;
  response.shared_body = std::move(body);
  return response;
}

// GET /api/cycles/{cycle}/report: from memory on the I/O thread when the
// caller, the cycle and the report are cached; what is missing is looked up
// (and the report computed) on a worker.
http::Handling get_report(Context& ctx, http::Exchange& ex) {
  const http::Request& request = ex.request;
  const std::string& cycle_id = ex.params.at("cycle");
  CXM_CO_TRY(filter, report_filter(request));
  auto caller = require_user(ctx, request, Lookup::memory);
  if (not_in_memory(caller)) {
    co_await ex.to_worker();
    caller = require_user(ctx, request);
  }
  if (!caller) co_return caller.refusal();
  auto cycle = require_cycle(ctx, **caller, cycle_id, OrgRole::viewer, Lookup::memory);
  if (not_in_memory(cycle)) {
    co_await ex.to_worker();
    cycle = require_cycle(ctx, **caller, cycle_id, OrgRole::viewer);
  }
  if (!cycle) co_return cycle.refusal();
  CXM_CO_TRY(lang, report_language(request, **cycle));
  if (auto cached = ctx.cycles.report(**cycle, results::report_key(**cycle, filter, lang)))
    co_return shared_json(std::move(cached));
  co_await ex.to_worker();
  CXM_CO_TRY(report, filtered_report(ctx, **cycle, request.query_value("role").value_or(""),
                                     request.query_value("unit").value_or(""), lang));
  co_return shared_json(std::move(report));
}

// "29 November 2026" / "29. November 2026" for Unix milliseconds (UTC), in
// the report's language.
std::string day_text(std::int64_t ms) { return report::day_text(report::current_lang(), ms); }

std::optional<double> number_or_none(const json& v) {
  return v.is_number() ? std::optional<double>(v.get<double>()) : std::nullopt;
}

// The benchmark document (report_benchmark) as the report's section: the
// overall and each competency that the 5-peer rule lets through.
// A competency's name in the report's model (its language); `fallback`
// when the model has no such competency.
std::string competency_name(const core::Model& model, const std::string& id,
                            const std::string& fallback) {
  for (const auto& c : model.competencies) {
    if (c.id == id) return c.name;
  }
  return fallback;
}

report::BenchmarkSection benchmark_section(const json& doc, const core::Model& model) {
  report::BenchmarkSection b;
  const json& d = doc["dataset"];
  b.dataset = d.value("name", "");
  b.source = d.value("source", "");
  b.citation = d.value("citation", "");
  b.licence = d.value("licence", "");
  b.published_on = d["published_on"].is_string() ? d["published_on"].get<std::string>() : "";
  b.synthetic = d.value("synthetic", false);
  auto row = [&](const json& f, const std::string& id, const std::string& name) {
    if (!f["percentile"].is_number() || !f["score"].is_number()) return;
    b.rows.push_back({id, name, f["score"].get<double>(), f["percentile"].get<double>(),
                      f.value("n", 0LL), f["median"].get<double>(), f["q1"].get<double>(),
                      f["q3"].get<double>()});
  };
  row(doc["overall"], "overall", report::tr("html.overall"));
  for (const auto& c : doc["competencies"]) {
    const std::string id = c["id"].get<std::string>();
    row(c, id, competency_name(model, id, c.value("name", "")));
  }
  if (b.rows.empty()) {
    const long long missing = doc["overall"].value("missing", 0LL);
    b.withheld =
        report::tr("benchmark.withheld", {{"k", std::to_string(doc.value("minimum_peers", 5))},
                                          {"missing", std::to_string(missing)}});
  }
  return b;
}

// A change's role_balanced (report::progress_json) as the report's row.
std::optional<report::BalancedChangeRow> balanced_row(const json& b) {
  if (!b.is_object()) return std::nullopt;
  report::BalancedChangeRow row;
  row.change = b["change"].get<double>();
  row.ci_low = number_or_none(b["ci_low"]);
  row.ci_high = number_or_none(b["ci_high"]);
  row.verdict = b["verdict"].get<std::string>();
  for (const auto& r : b["roles"]) {
    row.roles.push_back({r["role"].get<std::string>(), r["name"].get<std::string>(),
                         r["share_before"].get<double>(), r["share_after"].get<double>()});
  }
  row.flagged = b["flagged"].get<bool>();
  row.reason = b["reason"].is_string() ? b["reason"].get<std::string>() : "";
  return row;
}

report::ChangeSection change_section(const json& since, const core::Model& model) {
  report::ChangeSection c;
  c.since = since["since"]["name"].get<std::string>();
  const json& change = since["change"];
  auto stage = [](const json& v) {
    return v.is_number() ? std::optional<int>(v.get<int>()) : std::nullopt;
  };
  c.stage_before = stage(change["stage"]["before"]);
  c.stage_after = stage(change["stage"]["after"]);
  auto row = [&](const json& r, const std::string& id, const std::string& name) {
    c.rows.push_back(
        {id, name, number_or_none(r["before"]), number_or_none(r["after"]),
         number_or_none(r["change"]), number_or_none(r["ci_low"]), number_or_none(r["ci_high"]),
         r["change"].is_number() ? r.value("verdict", "") : "", balanced_row(r["role_balanced"]),
         r["role_balanced_note"].is_string() ? r["role_balanced_note"].get<std::string>() : ""});
  };
  row(change["overall"], "overall", report::tr("html.overall"));
  for (const auto& r : change["competencies"]) {
    const std::string id = r["id"].get<std::string>();
    row(r, id, competency_name(model, id, r.value("name", "")));
  }
  return c;
}

// The sections of a whole cycle's report beside its scores: benchmark
// position, change since the previous cycle, the organization's actions,
// the discussion's notes and decisions.
// The cycle's model in the report's language.
std::shared_ptr<const core::Model> report_model(Context& ctx, const store::Cycle& cycle,
                                                const std::string& lang) {
  auto model = ctx.cycles.model(cycle, ctx.store, lang);
  return model ? model : ctx.cycles.model(cycle, ctx.store);
}

report::ReportSections report_sections(Context& ctx, const store::Cycle& cycle,
                                       const http::Request& request, const std::string& lang) {
  report::ReportSections sections;
  const auto org = ctx.store.find_organization(cycle.org_id);
  if (!org) return sections;
  const auto model = report_model(ctx, cycle, lang);
  const json benchmark =
      results::report_benchmark(ctx.results, *org, cycle, request.query_value("dataset"));
  if (!benchmark.is_null()) sections.benchmark = benchmark_section(benchmark, *model);
  const json since = results::change_since_previous(ctx.results, cycle);
  if (!since.is_null()) sections.change = change_section(since, *model);
  auto& actions = sections.actions.emplace();
  for (const auto& a : ctx.store.actions_of(cycle.org_id)) {
    actions.push_back(
        {a.title, a.owner, a.due.value_or(""), std::string(to_text(a.status)), a.competency});
  }
  auto& decisions = sections.decisions.emplace();
  for (const auto& n : ctx.store.discussion_notes(cycle.id)) {
    report::DecisionRow d{n.item_id, "", n.note, n.decision, ""};
    if (const auto i = model->find_item(n.item_id)) d.statement = model->items[*i].text;
    if (n.decision && *n.decision >= model->scale.min && *n.decision <= model->scale.max &&
        static_cast<std::size_t>(*n.decision - model->scale.min) < model->scale.labels.size()) {
      d.decision_label =
          model->scale.labels[static_cast<std::size_t>(*n.decision - model->scale.min)];
    }
    decisions.push_back(std::move(d));
  }
  // In the model's order of statements, as the report lists them.
  std::stable_sort(decisions.begin(), decisions.end(), [&](const auto& a, const auto& b) {
    return model->find_item(a.item_id).value_or(SIZE_MAX) <
           model->find_item(b.item_id).value_or(SIZE_MAX);
  });
  // The live workshop's before and after, as the discussion shows it.
  const json rounds = workshop_rounds_json(ctx, cycle);
  if (!rounds.empty()) {
    auto& workshop = sections.workshop.emplace();
    for (const auto& r : rounds) {
      report::WorkshopRoundRow row;
      row.statement = r.value("text", "");
      row.competency = r.value("competency", "");
      if (r["hidden"].is_string()) {
        row.hidden = r["hidden"].get<std::string>();
      } else {
        row.words = r.value("words", "");
        row.mean_before = number_or_none(r["before"]["mean"]);
        row.mean_after = number_or_none(r["after"]["mean"]);
        row.rwg_before = number_or_none(r["before"]["rwg"]);
        row.rwg_after = number_or_none(r["after"]["rwg"]);
      }
      workshop.push_back(std::move(row));
    }
  }
  return sections;
}

// What the printable report and the workbook say beside the score
// document: organization, period, response rate; and for the whole cycle,
// the sections beside its scores.
report::ReportContext report_context(Context& ctx, const store::Cycle& cycle,
                                     const http::Request& request, const std::string& role,
                                     const std::string& unit, const std::string& lang) {
  report::ReportContext context;
  const report::TextScope words(lang);
  context.lang = lang;
  context.from_server = true;
  if (const auto org = ctx.store.find_organization(cycle.org_id)) {
    context.organization = org->name;
    context.branding.consultant = org->consultant;
    context.branding.confidentiality = org->confidentiality;
    if (!org->logo_type.empty()) {
      if (auto logo = ctx.store.organization_logo(org->id)) {
        context.branding.logo = std::move(logo->bytes);
        context.branding.logo_type = logo->type;
      }
    }
  }
  context.cycle = cycle.name;
  if (cycle.opens_at && cycle.closes_at)
    context.period = day_text(*cycle.opens_at) + " – " + day_text(*cycle.closes_at);
  context.generated_on = day_text(ctx.now());
  context.generated_day = core::utc_date(ctx.now());
  context.anonymous = cycle.anonymous;
  // A role by its display name, as the results page names it.
  std::string role_name = role;
  if (!role.empty()) {
    const auto model = report_model(ctx, cycle, lang);
    if (const auto r = model->find_role(role)) role_name = model->roles[*r].name;
  }
  context.filter = role.empty() ? (unit.empty() ? "" : report::tr("filter.unit", {{"unit", unit}}))
                                : report::tr("filter.role", {{"role", role_name}});
  if (role.empty() && unit.empty()) {
    int invited = 0;
    for (const auto& p : ctx.store.participants_of(cycle.id)) {
      invited += p.revoked ? 0 : 1;
      // Counted as the report counts respondents: an anonymous cycle's
      // only once published.
      const bool counted = !p.revoked && p.submitted_at && (!cycle.anonymous || p.released_in);
      if (counted && !p.import_id.empty()) ++context.imported;
    }
    context.invited = invited;
    context.sections = report_sections(ctx, cycle, request, lang);
  }
  return context;
}

// The cycle and its (cached) JSON report as the caller may see them, for
// the report's other forms (page, workbook).
struct ReportRequest {
  std::shared_ptr<const store::Cycle> cycle;
  std::string filter, role, unit, lang;
  std::shared_ptr<const std::string> json;
};

// The cycle, when the caller may see its report: 401 and 404 come before
// anything else the request gets wrong, so that no answer tells a caller
// who may not see the cycle more than that.
Outcome<std::shared_ptr<const store::Cycle>> visible_cycle(Context& ctx,
                                                           const http::Request& request,
                                                           const http::PathParams& params) {
  CXM_TRY(caller, require_user(ctx, request));
  return require_cycle(ctx, *caller, params.at("cycle"), OrgRole::viewer);
}

Outcome<ReportRequest> report_request(Context& ctx, const http::Request& request,
                                      std::shared_ptr<const store::Cycle> cycle) {
  CXM_TRY(filter, report_filter(request));
  ReportRequest r;
  r.cycle = std::move(cycle);
  r.filter = filter;
  r.role = request.query_value("role").value_or("");
  r.unit = request.query_value("unit").value_or("");
  CXM_TRY(lang, report_language(request, *r.cycle));
  r.lang = lang;
  CXM_TRY(report, filtered_report(ctx, *r.cycle, r.role, r.unit, r.lang));
  r.json = std::move(report);
  return r;
}

// The answers one row per respondent (no names), only for the whole of a
// cycle that is not anonymous; nullopt otherwise.
std::optional<report::RawAnswers> raw_answers(Context& ctx, const store::Cycle& cycle,
                                              const std::string& filter) {
  if (cycle.anonymous || !filter.empty()) return std::nullopt;
  const auto model = ctx.cycles.model(cycle, ctx.store);
  report::RawAnswers raw;
  for (const auto& item : model->items) raw.item_ids.push_back(item.id);
  std::size_t n = 0;
  for (const auto& p : ctx.store.cycle_answers(cycle.id)) {
    if (!p.participant.submitted_at) continue;
    report::RawAnswers::Respondent r{
        "r" + std::to_string(++n), p.participant.role, p.participant.unit, {}};
    r.answers.resize(model->items.size());
    for (const auto& a : p.answers) {
      if (const auto i = model->find_item(a.item_id)) r.answers[*i] = a.value;
    }
    raw.respondents.push_back(std::move(r));
  }
  return raw;
}

Check require_score_document(const std::string& json_report) {
  const json parsed = json::parse(json_report);
  if (!parsed.contains("schema"))
    return refuse(409, "no_report", parsed.value("reason", std::string("no report yet")));
  return std::nullopt;
}

// GET /api/cycles/{cycle}/report.xlsx[?role=R|unit=U][&dataset=D]: the
// workbook; its Answers sheet (one row per respondent, no names) only for
// the whole of a cycle that is not anonymous.
http::Response get_report_xlsx(Context& ctx, const http::Request& request,
                               const http::PathParams& params) {
  CXM_TRY(visible, visible_cycle(ctx, request, params));
  CXM_TRY(r, report_request(ctx, request, visible));
  const auto& cycle = r.cycle;
  const std::string& role = r.role;
  const std::string& unit = r.unit;
  const auto& json_report = r.json;
  CXM_CHECK(require_score_document(*json_report));
  const std::optional<report::RawAnswers> raw = raw_answers(ctx, *cycle, r.filter);
  const auto dir = std::filesystem::temp_directory_path() / ("cxm-xlsx-" + random_hex(8));
  std::filesystem::create_directories(dir);
  const std::string path = (dir / "report.xlsx").string();
  const auto problem = report::write_xlsx(path, *json_report,
                                          report_context(ctx, *cycle, request, role, unit, r.lang),
                                          raw ? &*raw : nullptr);
  http::Response response;
  if (problem.empty()) {
    std::ifstream in(path, std::ios::binary);
    response.body.assign(std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>());
  }
  std::error_code ignored;
  std::filesystem::remove_all(dir, ignored);
  if (!problem.empty()) throw std::runtime_error("report.xlsx: " + problem);
  response.content_type = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet";
  response.headers.emplace_back("Content-Disposition",
                                "attachment; filename=\"cxm-report-" + cycle->id + ".xlsx\"");
  return response;
}

// GET /api/cycles/{cycle}/report.csv?table=T[&role=R|unit=U][&dataset=D]:
// one table of the workbook (report/report_tables.h) as CSV, with the same
// columns; "answers" only where the workbook has that sheet.
http::Response get_report_csv(Context& ctx, const http::Request& request,
                              const http::PathParams& params) {
  CXM_TRY(cycle, visible_cycle(ctx, request, params));
  const std::string name = request.query_value("table").value_or("");
  if (name.empty())
    return refuse(422, "invalid",
                  "table: name the table (summary, competencies, statements, groups, ...)");
  CXM_TRY(r, report_request(ctx, request, cycle));
  CXM_CHECK(require_score_document(*r.json));
  const std::optional<report::RawAnswers> raw = raw_answers(ctx, *r.cycle, r.filter);
  std::vector<report::Table> tables;
  const auto problem =
      report::report_tables(*r.json, report_context(ctx, *r.cycle, request, r.role, r.unit, r.lang),
                            raw ? &*raw : nullptr, tables);
  if (!problem.empty()) throw std::runtime_error("report.csv: " + problem);
  std::string known;
  for (const auto& t : tables) {
    if (t.file != name + ".csv") {
      known += (known.empty() ? "" : ", ") + t.file.substr(0, t.file.size() - 4);
      continue;
    }
    http::Response response;
    response.content_type = "text/csv; charset=utf-8";
    response.headers.emplace_back(
        "Content-Disposition", "attachment; filename=\"cxm-" + r.cycle->id + "-" + t.file + "\"");
    response.body = report::table_csv(t);
    return response;
  }
  return refuse(404, "not_found", "no table " + name + " in this report; there are: " + known);
}

// GET /api/cycles/{cycle}/report.md[?role=R|unit=U][&lang=L]: the report
// as Markdown, as `cxm report --format md` renders it; 409 when there is
// none yet (the JSON report says why).
http::Response get_report_md(Context& ctx, const http::Request& request,
                             const http::PathParams& params) {
  CXM_TRY(visible, visible_cycle(ctx, request, params));
  CXM_TRY(r, report_request(ctx, request, visible));
  CXM_CHECK(require_score_document(*r.json));
  const auto rendered = report::render_summary(*r.json, report::SummaryStyle::markdown, r.lang);
  if (!rendered.error.empty()) throw std::runtime_error("report.md: " + rendered.error);
  http::Response response;
  response.content_type = "text/markdown; charset=utf-8";
  response.body = rendered.output;
  return response;
}

// GET /api/cycles/{cycle}/report.html[?role=R|unit=U][&download=1]: the
// printable report (report/html_report.h) of the same result as the JSON
// report, with the organization, the period and the response rate.
http::Response get_report_html(Context& ctx, const http::Request& request,
                               const http::PathParams& params) {
  CXM_TRY(visible, visible_cycle(ctx, request, params));
  CXM_TRY(r, report_request(ctx, request, visible));
  const auto& cycle = r.cycle;
  const std::string& role = r.role;
  const std::string& unit = r.unit;
  const auto& json_report = r.json;

  const report::ReportContext context = report_context(ctx, *cycle, request, role, unit, r.lang);
  const report::TextScope words(r.lang);
  http::Response response;
  response.content_type = "text/html; charset=utf-8";
  const json parsed = json::parse(*json_report);
  if (parsed.contains("schema")) {
    auto rendered = report::render_html(*json_report, context);
    if (!rendered.error.empty()) throw std::runtime_error("report.html: " + rendered.error);
    response.body = std::move(rendered.output);
  } else {
    // The title says which: an anonymous cycle not yet published, a hidden
    // group, or nothing submitted yet; the reason says why.
    const bool unpublished = parsed.contains("anonymity") && parsed["anonymity"].is_object() &&
                             parsed["anonymity"].value("release", 0LL) == 0;
    const bool hidden = parsed.value("suppressed", false) && !(role.empty() && unit.empty());
    response.body =
        report::render_html_notice(context, parsed.value("reason", std::string("no report yet")),
                                   unpublished ? report::tr("notice.unpublished")
                                   : hidden    ? report::tr("notice.hidden")
                                               : report::tr("notice.none"));
  }
  // Whatever the page holds, the browser fetches nothing for it.
  // (The logo is inlined as a data: URI.)
  response.headers.emplace_back("Content-Security-Policy",
                                "default-src 'none'; style-src 'unsafe-inline'; img-src data:");
  if (request.query_value("download")) {
    std::string name = "cxm-report-" + cycle->id + ".html";
    response.headers.emplace_back("Content-Disposition", "attachment; filename=\"" + name + "\"");
  }
  return response;
}

}  // namespace

void add_report_routes(http::Router& router, Context& ctx) {
  router.deferred("GET", "/api/cycles/{cycle}/report", bind(ctx, get_report));
  router.on_worker("GET", "/api/cycles/{cycle}/report.html", bind(ctx, get_report_html));
  router.on_worker("GET", "/api/cycles/{cycle}/report.xlsx", bind(ctx, get_report_xlsx));
  router.on_worker("GET", "/api/cycles/{cycle}/report.md", bind(ctx, get_report_md));
  router.on_worker("GET", "/api/cycles/{cycle}/report.csv", bind(ctx, get_report_csv));
}

}  // namespace cxm::api
