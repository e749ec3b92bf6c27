// /api/orgs and /api/orgs/{org}.
#include <map>

#include "api/access.h"
#include "api/context.h"
#include "api/logo.h"
#include "api/request_fields.h"
#include "core/benchmark.h"
#include "policy/names.h"
#include "report/branding.h"
#include "results/cycle_report.h"

namespace cxm::api {
namespace {

json org_json(const store::Organization& org) {
  return {
      {"id", org.id},
      {"name", org.name},
      {"industry", org.industry},
      {"size_band", org.size_band},
      {"units", org.units},
      {"demo", org.demo},
      {"created_at", org.created_at},
      {"review_interval_months", org.review_interval_months},
      {"stage_rollup", to_text(org.stage_rollup)},
      {"consultant", org.consultant},
      {"confidentiality", org.confidentiality},
      {"logo", org.logo_type.empty() ? json(nullptr)
                                     : json(logo_url("/api/orgs/" + org.id, org.logo_updated_at))}};
}

// The settings of an organization present in `body`.
Check apply_settings(const json& body, store::Organization& org) {
  CXM_TRY(months,
          integer_field(body, "review_interval_months", 1, store::kMaxReviewIntervalMonths));
  if (months) {
    org.review_interval_months = static_cast<int>(*months);
  }
  CXM_TRY(rollup, text_field(body, "stage_rollup", false, 20));
  if (rollup) {
    const auto rule = store::stage_rollup_from(*rollup);
    if (!rule) return refuse(422, "invalid", "stage_rollup: must be pooled or weakest_unit");
    org.stage_rollup = *rule;
  }
  CXM_TRY(consultant, text_field(body, "consultant", false, 120));
  if (consultant) org.consultant = *consultant;
  CXM_TRY(confidentiality, text_field(body, "confidentiality", false, 200));
  if (confidentiality) org.confidentiality = *confidentiality;
  return std::nullopt;
}

json cycle_summary_json(const store::Cycle& c) {
  return {{"id", c.id},
          {"name", c.name},
          {"status", to_text(c.status)},
          {"created_at", c.created_at},
          {"closed_at", c.closed_at ? json(*c.closed_at) : json(nullptr)}};
}

// The headline of a cycle's report, for the organizations page: what it
// shows of the whole group (stage and score only when the report shows
// them: an anonymous cycle's released results, never a group below its
// minimum), or why it shows nothing. Read from the cached report's typed
// values.
json headline_json(const results::CycleReport& report) {
  const report::ScoreDocument* doc = report.document();
  json h = {{"respondents", nullptr},
            {"overall_score", nullptr},
            {"stage", nullptr},
            {"stage_name", nullptr},
            {"pulse", doc && doc->form == core::Form::pulse}};
  if (doc) {
    h["respondents"] = doc->respondents;
    h["overall_score"] = doc->overall_score ? json(*doc->overall_score) : json(nullptr);
    if (doc->stage) {
      h["stage"] = doc->stage->number;
      h["stage_name"] = doc->stage->name;
    }
    // How that stage was reached (what was applied, not only the rule the
    // organization chose: the weakest unit's needs a unit that can be shown).
    if (const auto& r = doc->stage_rollup) {
      h["stage_rollup"] = {{"rule", core::to_string(r->rule)},
                           {"applied", r->applied},
                           {"unit", r->unit ? json(*r->unit) : json(nullptr)},
                           {"units_shown", r->units_shown},
                           {"statement", r->statement}};
    }
  } else {
    const auto* withheld = report.withheld();
    h["withheld"] = withheld && !withheld->reason.empty() ? withheld->reason
                                                          : std::string("no results to show");
  }
  return h;
}

// What the organizations page shows of each organization: its last cycle,
// the headline of its last closed one, and when the next cycle is due.
json overview_json(const store::Organization& org, const store::OrgCycleSummary* cycles,
                   const results::CycleReport* report, std::int64_t now) {
  json o = {{"last_cycle", nullptr},    {"last_closed", nullptr},
            {"latest_result", nullptr}, {"next_due", nullptr},
            {"overdue", false},         {"review_interval_months", org.review_interval_months}};
  if (!cycles) return o;
  if (cycles->last_cycle) o["last_cycle"] = cycle_summary_json(*cycles->last_cycle);
  if (!cycles->last_closed) return o;
  o["last_closed"] = cycle_summary_json(*cycles->last_closed);
  const core::CycleDue due =
      core::next_cycle_due(*cycles->last_closed->closed_at, org.review_interval_months, now);
  o["next_due"] = due.next_due;
  o["overdue"] = due.overdue;
  if (!report) return o;
  json result = headline_json(*report);
  result["cycle_id"] = cycles->last_closed->id;
  o["latest_result"] = std::move(result);
  return o;
}

Outcome<std::vector<std::string>> units_field(const json& body) {
  std::vector<std::string> units;
  const auto it = body.find("units");
  if (it == body.end() || it->is_null()) return units;
  if (!it->is_array() || it->size() > 200)
    return refuse(422, "invalid", "units: must be a list of at most 200 names");
  for (const auto& unit : *it) {
    if (!unit.is_string() || unit.get_ref<const std::string&>().empty() ||
        unit.get_ref<const std::string&>().size() > 100) {
      return refuse(422, "invalid", "units: each unit must be a name of 1 to 100 characters");
    }
    const std::string name = unit.get<std::string>();
    if (policy::find_control_character(name))
      return refuse(422, "invalid", "units: a unit name must not contain control characters");
    if (std::find(units.begin(), units.end(), name) != units.end())
      return refuse(422, "invalid", "units: '" + name + "' appears twice");
    units.push_back(name);
  }
  return units;
}

// The organization's size band, canonical (core::canonical_size_band):
// one of core::kSizeBands, or empty for none; nullopt when absent.
Outcome<std::optional<std::string>> size_band_field(const json& body) {
  CXM_TRY(text, text_field(body, "size_band", false));
  if (!text) return std::optional<std::string>();
  std::string band = core::canonical_size_band(*text);
  if (!band.empty() && !core::is_size_band(band)) {
    std::string bands;
    for (const auto b : core::kSizeBands) bands += (bands.empty() ? "" : ", ") + std::string(b);
    return refuse(422, "invalid", "size_band: must be one of " + bands + " (employees), or empty");
  }
  return std::optional<std::string>(std::move(band));
}

// GET /api/orgs: each organization with its overview. A constant number
// of queries whatever the number of organizations: the organizations with
// their units, every cycle of theirs, and for the last closed cycles whose
// report this process has not cached, their model snapshots, their
// answers and the organizations' targets and scope, each in one query.
http::Response list_orgs(Context& ctx, const http::Request& request, const http::PathParams&) {
  CXM_TRY(caller, require_user(ctx, request));
  const auto orgs = ctx.store.organizations_for(caller->user);
  std::map<std::string, store::OrgCycleSummary> summaries;
  for (auto& s : store::summarize_cycles(ctx.store.cycles_for(caller->user)))
    summaries.emplace(s.org_id, std::move(s));
  std::map<std::string, std::shared_ptr<const results::CycleReport>> reports;  // by org id
  std::vector<store::Cycle> missing;  // last closed cycles without a cached report
  for (const auto& [org_id, s] : summaries) {
    if (!s.last_closed) continue;
    const store::Cycle& cycle = *s.last_closed;
    if (auto report = ctx.cycles.report(cycle, results::report_key(cycle, "", ""))) {
      reports[org_id] = std::move(report);
    } else {
      missing.push_back(cycle);
    }
  }
  if (!missing.empty()) {
    std::vector<std::string> ids;
    for (const auto& c : missing) ids.push_back(c.id);
    ctx.cycles.preload_models(missing, ctx.store);
    std::map<std::string, std::vector<store::ParticipantAnswers>> answers;
    for (auto& p : ctx.store.answers_of_cycles(ids))
      answers[p.participant.cycle_id].push_back(std::move(p));
    const auto aims = ctx.store.aims_for(caller->user);
    for (const auto& org : orgs) {
      const auto s = summaries.find(org.id);
      if (s == summaries.end() || !s->second.last_closed || reports.contains(org.id)) continue;
      const store::Cycle& cycle = *s->second.last_closed;
      const auto a = aims.find(org.id);
      reports[org.id] = ctx.cycles.put_report(
          cycle, results::report_key(cycle, "", ""),
          results::build_cycle_report(ctx.results, cycle, "", "", answers[cycle.id], org,
                                      a == aims.end() ? store::OrgAims{} : a->second));
    }
  }
  const std::int64_t now = ctx.now();
  json list = json::array();
  for (const auto& org : orgs) {
    json j = org_json(org);
    const auto s = summaries.find(org.id);
    const auto r = reports.find(org.id);
    j["overview"] = overview_json(org, s == summaries.end() ? nullptr : &s->second,
                                  r == reports.end() ? nullptr : r->second.get(), now);
    list.push_back(std::move(j));
  }
  return json_response(200, {{"organizations", list}, {"today", utc_date(now)}});
}

http::Response create_org(Context& ctx, const http::Request& request, const http::PathParams&) {
  CXM_TRY(caller, require_user(ctx, request));
  CXM_TRY(body, json_body(request));
  CXM_TRY(name, required_text(body, "name"));
  CXM_TRY(industry, text_field(body, "industry", false));
  CXM_TRY(size_band, size_band_field(body));
  CXM_TRY(units, units_field(body));
  store::Organization org{
      new_id(), name,     industry.value_or(""), size_band.value_or(""), std::move(units),
      false,    ctx.now()};
  CXM_CHECK(apply_settings(body, org));
  ctx.store.create_organization(org, store::Membership{caller->user.id, org.id, OrgRole::owner},
                                audit_entry(ctx, *caller, org.id, "org.create", org.name));
  return json_response(201, org_json(org));
}

http::Response update_org(Context& ctx, const http::Request& request,
                          const http::PathParams& params) {
  CXM_TRY(caller, require_user(ctx, request));
  CXM_TRY(found, require_org(ctx, *caller, params.at("org"), OrgRole::facilitator));
  store::Organization org = *found;
  CXM_TRY(body, json_body(request));
  CXM_TRY(name, text_field(body, "name", false));
  if (name) {
    if (name->empty()) return refuse(422, "invalid", "name: must not be empty");
    org.name = *name;
  }
  CXM_TRY(industry, text_field(body, "industry", false));
  if (industry) org.industry = *industry;
  CXM_TRY(size_band, size_band_field(body));
  if (size_band) org.size_band = *size_band;
  if (body.contains("units")) {
    CXM_TRY(units, units_field(body));
    org.units = std::move(units);
  }
  CXM_CHECK(apply_settings(body, org));
  if (const auto refused = ctx.store.update_organization(
          org, audit_entry(ctx, *caller, org.id, "org.update", org.name))) {
    return refuse(409, "conflict", *refused);
  }
  ctx.org_rows.erase(org.id);
  // A new roll-up rule moved the cycles' versions (their reports are
  // stale): this process reads the rows again at once, others when they
  // hear the announcement.
  for (const auto& c : ctx.store.cycles_of(org.id)) ctx.cycle_rows.erase(c.id);
  return json_response(200, org_json(org));
}

http::Response get_org(Context& ctx, const http::Request& request, const http::PathParams& params) {
  CXM_TRY(caller, require_user(ctx, request));
  CXM_TRY(org, require_org(ctx, *caller, params.at("org"), OrgRole::viewer));
  return json_response(200, org_json(*org));
}

// PUT /api/orgs/{org}/logo with the image as the body: a PNG or JPEG of at
// most 256 kB (never SVG), checked by its bytes whatever the request's
// Content-Type says. Facilitators and owners of the organization.
http::Response put_logo(Context& ctx, const http::Request& request,
                        const http::PathParams& params) {
  CXM_TRY(caller, require_user(ctx, request));
  CXM_TRY(found, require_org(ctx, *caller, params.at("org"), OrgRole::facilitator));
  const report::LogoCheck check = report::check_logo(request.body);
  if (!check.error.empty()) {
    const int status = request.body.size() > report::kMaxLogoBytes ? 413
                       : request.body.empty()                      ? 422
                       : check.width > 0                           ? 422
                                                                   : 415;
    return refuse(status,
                  status == 413   ? "too_large"
                  : status == 415 ? "unsupported"
                                  : "invalid",
                  check.error);
  }
  const store::OrgLogo logo{request.body, check.type, ctx.now()};
  ctx.store.set_organization_logo(found->id, logo,
                                  audit_entry(ctx, *caller, found->id, "org.logo",
                                              check.type + " " + std::to_string(check.width) + "x" +
                                                  std::to_string(check.height)));
  ctx.org_rows.erase(found->id);
  store::Organization org = *found;
  org.logo_type = logo.type;
  org.logo_updated_at = logo.updated_at;
  return json_response(200, org_json(org));
}

// DELETE /api/orgs/{org}/logo: removes it.
http::Response delete_logo(Context& ctx, const http::Request& request,
                           const http::PathParams& params) {
  CXM_TRY(caller, require_user(ctx, request));
  CXM_TRY(found, require_org(ctx, *caller, params.at("org"), OrgRole::facilitator));
  ctx.store.set_organization_logo(found->id, std::nullopt,
                                  audit_entry(ctx, *caller, found->id, "org.logo", "removed"));
  ctx.org_rows.erase(found->id);
  store::Organization org = *found;
  org.logo_type.clear();
  org.logo_updated_at = 0;
  return json_response(200, org_json(org));
}

// GET /api/orgs/{org}/logo: the image, for the organization's members.
http::Response get_logo(Context& ctx, const http::Request& request,
                        const http::PathParams& params) {
  CXM_TRY(caller, require_user(ctx, request));
  CXM_TRY(org, require_org(ctx, *caller, params.at("org"), OrgRole::viewer));
  const auto logo = ctx.store.organization_logo(org->id);
  auto answer = logo ? logo_response(*logo) : std::nullopt;
  if (!answer) return refuse(404, "not_found", "this organization has no logo");
  return std::move(*answer);
}

}  // namespace

void add_org_routes(http::Router& router, Context& ctx) {
  router.on_worker("GET", "/api/orgs", bind(ctx, list_orgs));
  router.on_worker("POST", "/api/orgs", bind(ctx, create_org));
  router.on_worker("PATCH", "/api/orgs/{org}", bind(ctx, update_org));
  router.on_worker("GET", "/api/orgs/{org}", bind(ctx, get_org));
  router.on_worker("PUT", "/api/orgs/{org}/logo", bind(ctx, put_logo));
  router.on_worker("DELETE", "/api/orgs/{org}/logo", bind(ctx, delete_logo));
  router.on_worker("GET", "/api/orgs/{org}/logo", bind(ctx, get_logo));
}

}  // namespace cxm::api
