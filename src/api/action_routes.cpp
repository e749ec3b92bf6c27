// Action plans: GET /api/cycles/{cycle}/plan (the draft plan of a cycle's
// results, not saved) and an organization's actions, /api/orgs/{org}/actions
// (list, add, edit, delete; CSV and iCalendar exports).
#include <algorithm>
#include <cctype>
#include <ctime>
#include <limits>
#include <regex>

#include "api/access.h"
#include "api/context.h"
#include "api/request_fields.h"
#include "core/plan.h"
#include "core/scope.h"
#include "report/action_exports.h"
#include "report/plan_document.h"
#include "results/cycle_report.h"

namespace cxm::api {
namespace {

bool overdue(const store::Action& a, const std::string& today) {
  return a.due && *a.due < today && a.status != store::ActionStatus::done &&
         a.status != store::ActionStatus::dropped;
}

json optional_text(const std::string& text) { return text.empty() ? json(nullptr) : json(text); }

json action_json(const store::Action& a, const std::string& today) {
  json history = json::array();
  for (const auto& h : a.history) {
    history.push_back({{"from", h.from ? json(std::string(to_text(*h.from))) : json(nullptr)},
                       {"to", std::string(to_text(h.to))},
                       {"user", {{"id", h.user_id}, {"name", h.user_name}}},
                       {"at", h.at}});
  }
  return {{"id", a.id},
          {"cycle", optional_text(a.cycle_id)},
          {"kind", a.kind ? json(core::to_string(*a.kind)) : json(nullptr)},
          {"title", a.title},
          {"description", a.description},
          {"reason", a.reason},
          {"competency", optional_text(a.competency)},
          {"target_stage", a.target_stage ? json(*a.target_stage) : json(nullptr)},
          {"items", a.items},
          {"owner", a.owner},
          {"success_measure", a.success_measure},
          {"due", a.due ? json(*a.due) : json(nullptr)},
          {"status", std::string(to_text(a.status))},
          {"overdue", overdue(a, today)},
          {"version", a.version},
          {"created_at", a.created_at},
          {"updated_at", a.updated_at},
          {"history", history}};
}

// A calendar date that exists, as YYYY-MM-DD.
bool valid_date(const std::string& text) {
  static const std::regex pattern("(\\d{4})-(\\d{2})-(\\d{2})");
  std::smatch m;
  if (!std::regex_match(text, m, pattern)) return false;
  const int y = std::stoi(m[1]), mo = std::stoi(m[2]), d = std::stoi(m[3]);
  if (y < 1900 || y > 9999 || mo < 1 || mo > 12 || d < 1) return false;
  static const int days[] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
  const bool leap = (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
  return d <= days[mo - 1] + (mo == 2 && leap ? 1 : 0);
}

bool valid_id(const std::string& id) {
  static const std::regex pattern("[A-Za-z0-9_.-]{1,64}");
  return std::regex_match(id, pattern);
}

// Checks the action's competency and statements against `model`, the
// model of the cycle it was drafted from (nullptr: added by hand; then only
// their form is checked).
Check check_against_model(const store::Action& a, const core::Model* model) {
  if (!a.competency.empty()) {
    if (!valid_id(a.competency)) return refuse(422, "invalid", "competency: not a competency id");
    if (model && !model->find_competency(a.competency)) {
      return refuse(422, "invalid",
                    "competency: '" + a.competency + "' is not a competency of the cycle's model");
    }
  }
  for (const auto& item : a.items) {
    if (model && !model->find_item(item))
      return refuse(422, "invalid",
                    "items: '" + item + "' is not a statement of the cycle's model");
  }
  if (a.target_stage && model && *a.target_stage > model->stage_count()) {
    return refuse(
        422, "invalid",
        "target_stage: the model has " + std::to_string(model->stage_count()) + " stages");
  }
  return std::nullopt;
}

Outcome<std::vector<std::string>> items_field(const json& body) {
  std::vector<std::string> items;
  const auto it = body.find("items");
  if (it == body.end() || it->is_null()) return items;
  if (!it->is_array() || it->size() > 50)
    return refuse(422, "invalid", "items: must be a list of at most 50 statement ids");
  for (const auto& item : *it) {
    if (!item.is_string() || !valid_id(item.get<std::string>()))
      return refuse(422, "invalid", "items: each must be a statement id");
    const std::string id = item.get<std::string>();
    if (std::find(items.begin(), items.end(), id) == items.end()) items.push_back(id);
  }
  return items;
}

Outcome<store::ActionStatus> status_field(const json& body, store::ActionStatus fallback) {
  CXM_TRY(text, text_field(body, "status", false, 20));
  if (!text) return fallback;
  const auto status = store::action_status_from(*text);
  if (!status)
    return refuse(422, "invalid", "status: must be planned, in_progress, done or dropped");
  return *status;
}

// Applies the editable fields present in `body` to `a` (a null clears an
// optional one).
Check apply_fields(const json& body, store::Action& a) {
  CXM_TRY(title, text_field(body, "title", false, 200));
  if (title) {
    if (title->empty()) return refuse(422, "invalid", "title: must not be empty");
    a.title = *title;
  }
  CXM_TRY(description, text_field(body, "description", false, 4000, Text::document));
  if (description) a.description = *description;
  CXM_TRY(owner, text_field(body, "owner", false, 200));
  if (owner) a.owner = *owner;
  CXM_TRY(measure, text_field(body, "success_measure", false, 2000, Text::document));
  if (measure) a.success_measure = *measure;
  if (body.contains("competency")) {
    CXM_TRY(competency, text_field(body, "competency", false, 64));
    a.competency = competency.value_or("");
  }
  if (body.contains("target_stage")) {
    CXM_TRY(stage, integer_field(body, "target_stage", 1, 20));
    a.target_stage = stage ? std::optional<int>(static_cast<int>(*stage)) : std::nullopt;
  }
  if (body.contains("items")) {
    CXM_TRY(items, items_field(body));
    a.items = std::move(items);
  }
  if (body.contains("due")) {
    CXM_TRY(due, text_field(body, "due", false, 10));
    if (due && !valid_date(*due)) return refuse(422, "invalid", "due: must be a date, YYYY-MM-DD");
    a.due = due;
  }
  CXM_TRY(status, status_field(body, a.status));
  a.status = status;
  return std::nullopt;
}

store::StatusChange change_by(const Caller& caller, store::ActionStatus to, std::int64_t now) {
  return store::StatusChange{std::nullopt, to, caller.user.id, caller.user.name, now};
}

http::Response draft_plan(Context& ctx, const http::Request& request,
                          const http::PathParams& params) {
  CXM_TRY(caller, require_user(ctx, request));
  CXM_TRY(cycle, require_cycle(ctx, *caller, params.at("cycle"), OrgRole::viewer));
  const auto report = results::cycle_report(ctx.results, *cycle);
  if (!report) return refuse(404, "not_found", "no such cycle");
  const report::ScoreDocument* doc = report->document();
  if (!doc) {
    const auto* withheld = report->withheld();
    // A scored report whose document did not read is a bug: 500, not "none yet".
    if (!withheld) throw std::runtime_error("draft plan: " + report->problem());
    return refuse(
        409, "no_results",
        "no results to plan from: " +
            (withheld && !withheld->reason.empty() ? withheld->reason : std::string("none yet")));
  }
  // The report scored the statements in scope; the plan drafts from the
  // same model, so no action is aimed only at statements out of scope.
  const auto whole = ctx.cycles.model(*cycle, ctx.store);
  const core::Model model =
      core::in_scope(*whole, results::out_of_scope_ids(ctx.store.org_aims(cycle->org_id)));
  const auto input = report::plan_input_from_score_document(model, *doc);
  if (!input.input) return refuse(409, "no_stage", "no plan from this cycle: " + input.error);
  json plan = json::parse(
      report::plan_document_json(model, *input.input, core::draft_plan(model, *input.input), -1));
  plan["cycle"] = cycle->id;
  return json_response(200, plan);
}

http::Response list_actions(Context& ctx, const http::Request& request,
                            const http::PathParams& params) {
  CXM_TRY(caller, require_user(ctx, request));
  CXM_TRY(org, require_org(ctx, *caller, params.at("org"), OrgRole::viewer));
  const std::string today = utc_date(ctx.now());
  json list = json::array();
  for (const auto& a : ctx.store.actions_of(org->id)) list.push_back(action_json(a, today));
  return json_response(200, {{"actions", list}, {"today", today}});
}

http::Response create_action(Context& ctx, const http::Request& request,
                             const http::PathParams& params) {
  CXM_TRY(caller, require_user(ctx, request));
  CXM_TRY(org, require_org(ctx, *caller, params.at("org"), OrgRole::facilitator));
  CXM_TRY(body, json_body(request));
  store::Action a;
  a.id = new_id();
  a.org_id = org->id;
  CXM_TRY(title, required_text(body, "title", 200));
  a.title = title;
  CXM_TRY(reason_field, text_field(body, "reason", false, 2000, Text::document));
  a.reason = reason_field.value_or("");
  CXM_TRY(kind_field, text_field(body, "kind", false, 20));
  if (kind_field && !kind_field->empty()) {
    a.kind = core::plan_action_kind_from(*kind_field);
    if (!a.kind) return refuse(422, "invalid", "kind: must be obstacle, gap or sustain");
  }
  std::shared_ptr<const core::Model> model;
  CXM_TRY(cycle_id, text_field(body, "cycle", false, 64));
  if (cycle_id) {
    const auto cycle = find_cycle(ctx, *cycle_id);
    // Another organization's cycle is as unknown as a missing one.
    if (!cycle || cycle->org_id != org->id)
      return refuse(422, "invalid", "cycle: no such cycle of this organization");
    a.cycle_id = cycle->id;
    model = ctx.cycles.model(*cycle, ctx.store);
  }
  CXM_CHECK(apply_fields(body, a));
  CXM_CHECK(check_against_model(a, model.get()));
  a.created_at = a.updated_at = ctx.now();
  ctx.store.create_action(a, change_by(*caller, a.status, a.created_at),
                          audit_entry(ctx, *caller, org->id, "action.create", a.title));
  const auto stored = ctx.store.find_action(org->id, a.id);
  return json_response(201, action_json(*stored, utc_date(ctx.now())));
}

http::Response update_action(Context& ctx, const http::Request& request,
                             const http::PathParams& params) {
  CXM_TRY(caller, require_user(ctx, request));
  CXM_TRY(org, require_org(ctx, *caller, params.at("org"), OrgRole::facilitator));
  CXM_TRY(body, json_body(request));
  CXM_TRY(version, integer_field(body, "version", 1, std::numeric_limits<long>::max()));
  if (!version) return refuse(422, "invalid", "version: required (the version you edited)");
  auto found = ctx.store.find_action(org->id, params.at("action"));
  if (!found) return refuse(404, "not_found", "no such action");
  store::Action a = *found;
  CXM_CHECK(apply_fields(body, a));
  std::shared_ptr<const core::Model> model;
  if (!a.cycle_id.empty()) {
    if (const auto cycle = find_cycle(ctx, a.cycle_id)) model = ctx.cycles.model(*cycle, ctx.store);
  }
  CXM_CHECK(check_against_model(a, model.get()));
  switch (ctx.store.update_action(a, *version, change_by(*caller, a.status, ctx.now()),
                                  audit_entry(ctx, *caller, org->id, "action.update", a.title))) {
    case store::ActionChange::not_found:
      return refuse(404, "not_found", "no such action");
    case store::ActionChange::conflict:
      return refuse(
          409, "conflict",
          "the action was changed by someone else since you read it; reload it and edit again");
    case store::ActionChange::done:
      break;
  }
  return json_response(200,
                       action_json(*ctx.store.find_action(org->id, a.id), utc_date(ctx.now())));
}

http::Response delete_action(Context& ctx, const http::Request& request,
                             const http::PathParams& params) {
  CXM_TRY(caller, require_user(ctx, request));
  CXM_TRY(org, require_org(ctx, *caller, params.at("org"), OrgRole::facilitator));
  if (!ctx.store.delete_action(
          org->id, params.at("action"),
          audit_entry(ctx, *caller, org->id, "action.delete", params.at("action")))) {
    return refuse(404, "not_found", "no such action");
  }
  http::Response response;
  response.status = 204;
  response.content_type.clear();
  return response;
}

// The name of the competency `id` in the model of the cycle the action
// came from; the id itself when the action has no cycle or the model no
// such competency.
std::string competency_name(Context& ctx, const store::Action& a) {
  if (a.competency.empty() || a.cycle_id.empty()) return a.competency;
  const auto cycle = ctx.store.find_cycle(a.cycle_id);
  if (!cycle) return a.competency;
  const auto model = ctx.cycles.model(*cycle, ctx.store);
  const auto found = model ? model->find_competency(a.competency) : std::nullopt;
  return found ? model->competencies[*found].name : a.competency;
}

std::vector<report::ExportedAction> exported(Context& ctx, const store::Organization& org,
                                             bool competency_names) {
  std::vector<report::ExportedAction> out;
  for (const auto& a : ctx.store.actions_of(org.id)) {
    out.push_back({a.id, a.title, a.description, a.reason,
                   competency_names ? competency_name(ctx, a) : a.competency, a.target_stage,
                   a.items, a.owner, a.success_measure, a.due, std::string(to_text(a.status)),
                   a.updated_at});
  }
  return out;
}

// A file name made of the organization's name: letters, digits and dashes.
std::string file_name(const store::Organization& org, const char* extension) {
  std::string name;
  for (char c : org.name) {
    if (std::isalnum(static_cast<unsigned char>(c))) {
      name += static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    } else if (!name.empty() && name.back() != '-') {
      name += '-';
    }
  }
  while (!name.empty() && name.back() == '-') name.pop_back();
  return (name.empty() ? "organization" : name) + "-actions." + extension;
}

http::Response download(std::string body, const char* content_type, const std::string& name) {
  http::Response response;
  response.content_type = content_type;
  response.body = std::move(body);
  response.headers.emplace_back("Content-Disposition", "attachment; filename=\"" + name + "\"");
  return response;
}

http::Response actions_csv(Context& ctx, const http::Request& request,
                           const http::PathParams& params) {
  CXM_TRY(caller, require_user(ctx, request));
  CXM_TRY(org, require_org(ctx, *caller, params.at("org"), OrgRole::viewer));
  return download(report::actions_csv(exported(ctx, *org, false)), "text/csv; charset=utf-8",
                  file_name(*org, "csv"));
}

http::Response actions_ics(Context& ctx, const http::Request& request,
                           const http::PathParams& params) {
  CXM_TRY(caller, require_user(ctx, request));
  CXM_TRY(org, require_org(ctx, *caller, params.at("org"), OrgRole::viewer));
  return download(report::actions_icalendar(exported(ctx, *org, true), org->name + " action plan",
                                            "cxm", ctx.now()),
                  "text/calendar; charset=utf-8", file_name(*org, "ics"));
}

}  // namespace

void add_action_routes(http::Router& router, Context& ctx) {
  router.on_worker("GET", "/api/cycles/{cycle}/plan", bind(ctx, draft_plan));
  router.on_worker("GET", "/api/orgs/{org}/actions", bind(ctx, list_actions));
  router.on_worker("POST", "/api/orgs/{org}/actions", bind(ctx, create_action));
  router.on_worker("GET", "/api/orgs/{org}/actions.csv", bind(ctx, actions_csv));
  router.on_worker("GET", "/api/orgs/{org}/actions.ics", bind(ctx, actions_ics));
  router.on_worker("PATCH", "/api/orgs/{org}/actions/{action}", bind(ctx, update_action));
  router.on_worker("DELETE", "/api/orgs/{org}/actions/{action}", bind(ctx, delete_action));
}

}  // namespace cxm::api
