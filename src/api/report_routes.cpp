// GET /api/cycles/{cycle}/report[?role=R|unit=U]: the scoring core's result
// over the submitted answers, cached until the cycle's answers change.
#include "api/context.h"
#include "core/cycle_scoring.h"
#include "core/disclosure.h"
#include "report/html_report.h"
#include "report/score_document.h"
#include "report/xlsx_report.h"

#include <filesystem>
#include <fstream>

#include <ctime>

namespace cxm::api {

core::Responses to_responses(const core::Model& model, const std::vector<store::ParticipantAnswers>& all,
                             const std::string& role, const std::string& unit) {
  core::Responses responses(model.items.size());
  std::size_t n = 0;
  for (const auto& p : all) {
    if (!p.participant.submitted_at) continue;
    if (!role.empty() && p.participant.role != role) continue;
    if (!unit.empty() && p.participant.unit != unit) continue;
    // Respondent ids are positions: participant ids never leave the server.
    const std::size_t row = responses.add(core::Respondent{"r" + std::to_string(++n), p.participant.role, p.participant.unit});
    for (const auto& a : p.answers) {
      const auto item = model.find_item(a.item_id);
      if (item && a.value) responses.set(row, *item, static_cast<std::int8_t>(*a.value));
    }
  }
  return responses;
}

namespace {

json no_report(std::size_t respondents, std::size_t min_group, const std::string& reason) {
  return {{"suppressed", true}, {"respondents", respondents}, {"min_group_size", min_group}, {"reason", reason}};
}

// Segments of fewer than k people show as "fewer than k", not their count.
void hide_small_counts(json& segments, std::size_t min_group) {
  for (auto& s : segments) {
    if (s["respondents"].get<std::size_t>() < min_group) {
      s["respondents"] = nullptr;
      s["fewer_than"] = min_group;
    }
  }
}

// An anonymous cycle's report: only what its releases published (each
// close that brought at least k new submissions), with the segments the
// disclosure rule shows (core/disclosure.h, docs/anonymity.md).
std::string build_anonymous_report(const store::Cycle& cycle, const core::Model& model,
                                   const std::vector<store::ParticipantAnswers>& all, const std::string& role,
                                   const std::string& unit) {
  const auto k = static_cast<std::size_t>(cycle.min_group_size);
  std::vector<store::ParticipantAnswers> released;
  std::vector<core::DisclosureMember> members;
  std::size_t held_back = 0;
  for (const auto& p : all) {
    if (!p.participant.submitted_at) continue;
    if (!p.participant.released_in || *p.participant.released_in > cycle.releases) {
      ++held_back;
      continue;
    }
    members.push_back({p.participant.role, p.participant.unit, static_cast<std::size_t>(*p.participant.released_in)});
    released.push_back(p);
  }
  const json anonymity = {{"release", cycle.releases}, {"released", released.size()}, {"held_back", held_back}};
  if (cycle.releases == 0) {
    json none = no_report(0, k,
                          "results of an anonymous cycle are shown once it is closed with at least " +
                              std::to_string(k) + " submitted responses");
    none["anonymity"] = anonymity;
    return none.dump();
  }
  const auto shown = core::shown_segments(members, static_cast<std::size_t>(cycle.releases), k);
  const core::ShownSegments& now = shown.back();
  if ((!role.empty() && !now.shows_role(role)) || (!unit.empty() && !now.shows_unit(unit))) {
    json none = no_report(0, k, "this group is hidden to protect anonymity: it is smaller than " +
                                    std::to_string(k) + ", or showing it would let a smaller group be worked out");
    none["respondents"] = nullptr;
    none["anonymity"] = anonymity;
    return none.dump();
  }
  const core::Responses responses = to_responses(model, released, role, unit);
  // A group's own breakdown would be a finer cut than the rule allows.
  const core::ShownSegments nothing;
  const bool filtered = !role.empty() || !unit.empty();
  json doc = json::parse(report::score_document_json(model, core::score_cycle(model, responses, k, filtered ? &nothing : &now), -1));
  for (auto& [kind, segments] : doc["segments"].items()) hide_small_counts(segments, k);
  doc["anonymity"] = anonymity;
  return doc.dump();
}

std::string build_report(Context& ctx, const store::Cycle& cycle, const std::string& role, const std::string& unit) {
  const auto model = ctx.cycles.model(cycle, ctx.store);
  const auto all = ctx.store.cycle_answers(cycle.id);
  if (cycle.anonymous) return build_anonymous_report(cycle, *model, all, role, unit);
  const core::Responses responses = to_responses(*model, all, role, unit);
  const auto min_group = static_cast<std::size_t>(cycle.min_group_size);
  // A segment with too few respondents would expose individuals: say so
  // instead of scoring it.
  const bool filtered = !role.empty() || !unit.empty();
  if (filtered && responses.size() < min_group) {
    return no_report(responses.size(), min_group,
                     "fewer than " + std::to_string(min_group) + " submitted responses; hidden to protect anonymity")
        .dump();
  }
  if (responses.size() == 0) {
    return json{{"suppressed", false}, {"respondents", 0}, {"reason", "no submitted responses yet"}}.dump();
  }
  return report::score_document_json(*model, core::score_cycle(*model, responses, min_group), -1);
}

// The report's filter key ("", "role:R" or "unit:U"); 422 for both.
std::string report_filter(const http::Request& request) {
  const std::string role = request.query_value("role").value_or("");
  const std::string unit = request.query_value("unit").value_or("");
  if (!role.empty() && !unit.empty()) fail(422, "invalid", "filter by role or by unit, not both");
  return role.empty() ? (unit.empty() ? "" : "unit:" + unit) : "role:" + role;
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
  const std::string filter = report_filter(request);
  auto caller = cached_user(ctx, request);
  if (!caller) {
    co_await ex.to_worker();
    caller = require_user(ctx, request);
  }
  auto cycle = cached_cycle(ctx, *caller, cycle_id, OrgRole::viewer);
  if (!cycle) {
    co_await ex.to_worker();
    cycle = require_cycle(ctx, *caller, cycle_id, OrgRole::viewer);
  }
  if (auto cached = ctx.cycles.report(*cycle, filter)) co_return shared_json(std::move(cached));
  co_await ex.to_worker();
  // Answers submitted after `cycle` was read make this report newer than
  // its version says; the next read then recomputes, never the reverse.
  const std::string role = request.query_value("role").value_or("");
  const std::string unit = request.query_value("unit").value_or("");
  co_return shared_json(ctx.cycles.put_report(*cycle, filter, build_report(ctx, *cycle, role, unit)));
}

// "29 November 2026" for Unix milliseconds (UTC).
std::string day_text(std::int64_t ms) {
  static const char* const kMonths[] = {"January", "February", "March",     "April",   "May",      "June",
                                        "July",    "August",   "September", "October", "November", "December"};
  const std::time_t seconds = static_cast<std::time_t>(ms / 1000);
  std::tm t{};
  gmtime_r(&seconds, &t);
  return std::to_string(t.tm_mday) + " " + kMonths[t.tm_mon] + " " + std::to_string(1900 + t.tm_year);
}

// What the printable report and the workbook say beside the score
// document: organization, period, response rate.
report::ReportContext report_context(Context& ctx, const store::Cycle& cycle, const std::string& role,
                                     const std::string& unit) {
  report::ReportContext context;
  if (const auto org = ctx.store.find_organization(cycle.org_id)) context.organization = org->name;
  context.cycle = cycle.name;
  if (cycle.opens_at && cycle.closes_at) context.period = day_text(*cycle.opens_at) + " – " + day_text(*cycle.closes_at);
  context.generated_on = day_text(ctx.now());
  context.anonymous = cycle.anonymous;
  context.filter = role.empty() ? (unit.empty() ? "" : "Unit: " + unit) : "Role: " + role;
  if (role.empty() && unit.empty()) {
    int invited = 0;
    for (const auto& p : ctx.store.participants_of(cycle.id)) invited += p.revoked ? 0 : 1;
    context.invited = invited;
  }
  return context;
}

// GET /api/cycles/{cycle}/report.xlsx[?role=R|unit=U]: the workbook; its
// Answers sheet (one row per respondent, no names) only for the whole of a
// cycle that is not anonymous.
http::Response get_report_xlsx(Context& ctx, const http::Request& request, const http::PathParams& params) {
  const auto caller = require_user(ctx, request);
  const auto cycle = require_cycle(ctx, *caller, params.at("cycle"), OrgRole::viewer);
  const std::string filter = report_filter(request);
  const std::string role = request.query_value("role").value_or("");
  const std::string unit = request.query_value("unit").value_or("");
  auto json_report = ctx.cycles.report(*cycle, filter);
  if (!json_report) json_report = ctx.cycles.put_report(*cycle, filter, build_report(ctx, *cycle, role, unit));
  if (!json::parse(*json_report).contains("schema")) {
    fail(409, "no_report", json::parse(*json_report).value("reason", std::string("no report yet")));
  }
  std::optional<report::RawAnswers> raw;
  if (!cycle->anonymous && filter.empty()) {
    const auto model = ctx.cycles.model(*cycle, ctx.store);
    raw.emplace();
    for (const auto& item : model->items) raw->item_ids.push_back(item.id);
    std::size_t n = 0;
    for (const auto& p : ctx.store.cycle_answers(cycle->id)) {
      if (!p.participant.submitted_at) continue;
      report::RawAnswers::Respondent r{"r" + std::to_string(++n), p.participant.role, p.participant.unit, {}};
      r.answers.resize(model->items.size());
      for (const auto& a : p.answers) {
        if (const auto i = model->find_item(a.item_id)) r.answers[*i] = a.value;
      }
      raw->respondents.push_back(std::move(r));
    }
  }
  const auto dir = std::filesystem::temp_directory_path() / ("cxm-xlsx-" + random_hex(8));
  std::filesystem::create_directories(dir);
  const std::string path = (dir / "report.xlsx").string();
  const auto problem = report::write_xlsx(path, *json_report, report_context(ctx, *cycle, role, unit), raw ? &*raw : nullptr);
  http::Response response;
  if (problem.empty()) {
    std::ifstream in(path, std::ios::binary);
    response.body.assign(std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>());
  }
  std::error_code ignored;
  std::filesystem::remove_all(dir, ignored);
  if (!problem.empty()) throw std::runtime_error("report.xlsx: " + problem);
  response.content_type = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet";
  response.headers.emplace_back("Content-Disposition", "attachment; filename=\"cxm-report-" + cycle->id + ".xlsx\"");
  return response;
}

// GET /api/cycles/{cycle}/report.html[?role=R|unit=U][&download=1]: the
// printable report (report/html_report.h) of the same result as the JSON
// report, with the organization, the period and the response rate.
http::Response get_report_html(Context& ctx, const http::Request& request, const http::PathParams& params) {
  const auto caller = require_user(ctx, request);
  const auto cycle = require_cycle(ctx, *caller, params.at("cycle"), OrgRole::viewer);
  const std::string filter = report_filter(request);
  const std::string role = request.query_value("role").value_or("");
  const std::string unit = request.query_value("unit").value_or("");
  auto json_report = ctx.cycles.report(*cycle, filter);
  if (!json_report) json_report = ctx.cycles.put_report(*cycle, filter, build_report(ctx, *cycle, role, unit));

  const report::ReportContext context = report_context(ctx, *cycle, role, unit);
  http::Response response;
  response.content_type = "text/html; charset=utf-8";
  const json parsed = json::parse(*json_report);
  if (parsed.contains("schema")) {
    auto rendered = report::render_html(*json_report, context);
    if (!rendered.error.empty()) throw std::runtime_error("report.html: " + rendered.error);
    response.body = std::move(rendered.output);
  } else {
    response.body = report::render_html_notice(context, parsed.value("reason", std::string("no report yet")));
  }
  // Whatever the page holds, the browser fetches nothing for it.
  response.headers.emplace_back("Content-Security-Policy", "default-src 'none'; style-src 'unsafe-inline'");
  if (request.query_value("download")) {
    std::string name = "cxm-report-" + cycle->id + ".html";
    response.headers.emplace_back("Content-Disposition", "attachment; filename=\"" + name + "\"");
  }
  return response;
}

}  // namespace

std::shared_ptr<const std::string> cycle_report(Context& ctx, const store::Cycle& cycle) {
  if (auto cached = ctx.cycles.report(cycle, "")) return cached;
  return ctx.cycles.put_report(cycle, "", build_report(ctx, cycle, "", ""));
}

std::string cycle_report_json(Context& ctx, const store::Cycle& cycle) {
  if (auto cached = ctx.cycles.report(cycle, "")) return *cached;
  return *ctx.cycles.put_report(cycle, "", build_report(ctx, cycle, "", ""));
}

void add_report_routes(http::Router& router, Context& ctx) {
  router.deferred("GET", "/api/cycles/{cycle}/report", bind(ctx, get_report));
  router.on_worker("GET", "/api/cycles/{cycle}/report.html", bind(ctx, get_report_html));
  router.on_worker("GET", "/api/cycles/{cycle}/report.xlsx", bind(ctx, get_report_xlsx));
}

}  // namespace cxm::api
