// /api/orgs/{org}/cycles, /api/cycles/{cycle} and its lifecycle
// (open, close, reopen), settings and live response counts.
#include "api/context.h"
#include "model/model_parser.h"

namespace cxm::api {

json cycle_json(Context& ctx, const store::Cycle& c) {
  const auto model = ctx.cycles.model(c, ctx.store);
  json j = {{"id", c.id},
            {"org_id", c.org_id},
            {"name", c.name},
            {"status", c.status},
            {"anonymous", c.anonymous},
            {"min_group_size", c.min_group_size},
            {"opens_at", c.opens_at ? json(*c.opens_at) : json(nullptr)},
            {"closes_at", c.closes_at ? json(*c.closes_at) : json(nullptr)},
            {"created_at", c.created_at},
            {"model", {{"id", model->id}, {"version", model->version}, {"title", model->title}}}};
  json roles = json::array();
  for (const auto& role : model->roles) roles.push_back({{"id", role.id}, {"name", role.name}});
  j["model"]["roles"] = roles;
  j["model"]["items"] = model->items.size();
  return j;
}

namespace {

// "line 3, column 5: message" for a person reading a form, not a compiler's
// "file:3:5: message".
std::string place_and_message(const model::Diagnostic& d) {
  std::string out;
  if (d.line > 0) out = "line " + std::to_string(d.line) + (d.column > 0 ? ", column " + std::to_string(d.column) : "") + ": ";
  return out + d.message;
}

std::optional<std::int64_t> time_field(const json& body, const std::string& name) {
  const auto v = integer_field(body, name, 0, 32503680000000L);  // until year 3000
  if (!v) return std::nullopt;
  return static_cast<std::int64_t>(*v);
}

// Applies the editable settings present in `body` to `cycle`.
void apply_settings(const json& body, store::Cycle& cycle) {
  if (auto name = text_field(body, "name", false)) {
    if (name->empty()) fail(422, "invalid", "name: must not be empty");
    cycle.name = *name;
  }
  if (auto anonymous = bool_field(body, "anonymous")) cycle.anonymous = *anonymous;
  if (auto min = integer_field(body, "min_group_size", 1, 1000)) cycle.min_group_size = static_cast<int>(*min);
  if (body.contains("opens_at")) cycle.opens_at = time_field(body, "opens_at");
  if (body.contains("closes_at")) cycle.closes_at = time_field(body, "closes_at");
  if (cycle.opens_at && cycle.closes_at && *cycle.closes_at <= *cycle.opens_at) {
    fail(422, "invalid", "closes_at: must be after opens_at");
  }
}

json counts_json(Context& ctx, const store::Cycle& cycle) {
  struct Count {
    int invited = 0, started = 0, submitted = 0;
  };
  Count total;
  std::map<std::string, Count> by_role, by_unit;
  for (const auto& p : ctx.store.cycle_answers(cycle.id)) {
    for (Count* c : {&total, &by_role[p.participant.role], &by_unit[p.participant.unit]}) {
      ++c->invited;
      if (!p.answers.empty()) ++c->started;
      if (p.participant.submitted_at) ++c->submitted;
    }
  }
  auto to_json = [](const Count& c) {
    return json{{"invited", c.invited}, {"started", c.started}, {"submitted", c.submitted}};
  };
  json roles = json::array(), units = json::array();
  for (const auto& [role, c] : by_role) {
    json j = to_json(c);
    j["role"] = role.empty() ? json(nullptr) : json(role);
    roles.push_back(j);
  }
  for (const auto& [unit, c] : by_unit) {
    json j = to_json(c);
    j["unit"] = unit.empty() ? json(nullptr) : json(unit);
    units.push_back(j);
  }
  return {{"total", to_json(total)}, {"by_role", roles}, {"by_unit", units}};
}

http::Response transition(Context& ctx, const http::Request& request, const std::string& cycle_id,
                          const std::string& to) {
  const auto caller_ptr = require_user(ctx, request);
  const Caller& caller = *caller_ptr;
  store::Cycle cycle = *require_cycle(ctx, caller, cycle_id, OrgRole::facilitator);
  if (cycle.status == to) fail(409, "conflict", "the cycle is already " + to);
  if (to == "closed" && cycle.status != "open") fail(409, "conflict", "only an open cycle can be closed");
  cycle.status = to;  // draft -> open, open -> closed, closed -> open (reopen)
  ctx.store.update_cycle(cycle);
  ctx.cycle_rows.erase(cycle.id);
  ctx.store.audit(caller.user.id, cycle.org_id, "cycle." + to, cycle.id, ctx.now());
  return json_response(200, cycle_json(ctx, cycle));
}

}  // namespace

void add_cycle_routes(http::Router& router, Context& ctx) {
  router.add("GET", "/api/orgs/{org}/cycles", [&ctx](const http::Request& request, const http::PathParams& params) {
    const auto caller_ptr = require_user(ctx, request);
    const Caller& caller = *caller_ptr;
    const auto org_ptr = require_org(ctx, caller, params.at("org"), OrgRole::viewer);
    const store::Organization& org = *org_ptr;
    json list = json::array();
    for (const auto& c : ctx.store.cycles_of(org.id)) list.push_back(cycle_json(ctx, c));
    return json_response(200, {{"cycles", list}});
  });

  router.add("POST", "/api/orgs/{org}/cycles", [&ctx](const http::Request& request, const http::PathParams& params) {
    const auto caller_ptr = require_user(ctx, request);
    const Caller& caller = *caller_ptr;
    const auto org_ptr = require_org(ctx, caller, params.at("org"), OrgRole::facilitator);
    const store::Organization& org = *org_ptr;
    const json body = json_body(request);
    store::Cycle cycle{new_id(), org.id, *text_field(body, "name", true), "draft", "", true, 3,
                       std::nullopt, std::nullopt, ctx.now()};
    if (auto yaml = text_field(body, "model_yaml", false, 1 << 20)) {
      const auto parsed = model::parse_model(*yaml, "model_yaml");
      if (!parsed.model) fail(422, "invalid", "model_yaml: " + place_and_message(parsed.diagnostics.front()));
      cycle.model_yaml = *yaml;
    } else {
      cycle.model_yaml = std::string(model::default_model_text());
    }
    apply_settings(body, cycle);
    ctx.store.create_cycle(cycle);
    ctx.store.audit(caller.user.id, org.id, "cycle.create", cycle.id, ctx.now());
    return json_response(201, cycle_json(ctx, cycle));
  });

  router.add("GET", "/api/cycles/{cycle}", [&ctx](const http::Request& request, const http::PathParams& params) {
    const auto caller_ptr = require_user(ctx, request);
    const Caller& caller = *caller_ptr;
    const auto cycle_ptr = require_cycle(ctx, caller, params.at("cycle"), OrgRole::viewer);
    const store::Cycle& cycle = *cycle_ptr;
    json j = cycle_json(ctx, cycle);
    j["responses"] = counts_json(ctx, cycle);
    return json_response(200, j);
  });

  router.add("PATCH", "/api/cycles/{cycle}", [&ctx](const http::Request& request, const http::PathParams& params) {
    const auto caller_ptr = require_user(ctx, request);
    const Caller& caller = *caller_ptr;
    store::Cycle cycle = *require_cycle(ctx, caller, params.at("cycle"), OrgRole::facilitator);
    const json body = json_body(request);
    if (cycle.status != "draft") fail(409, "conflict", "settings can only change while the cycle is a draft");
    apply_settings(body, cycle);
    ctx.store.update_cycle(cycle);
    ctx.cycle_rows.erase(cycle.id);
    return json_response(200, cycle_json(ctx, cycle));
  });

  router.add("POST", "/api/cycles/{cycle}/open", [&ctx](const http::Request& request, const http::PathParams& params) {
    return transition(ctx, request, params.at("cycle"), "open");
  });
  router.add("POST", "/api/cycles/{cycle}/close", [&ctx](const http::Request& request, const http::PathParams& params) {
    return transition(ctx, request, params.at("cycle"), "closed");
  });

  router.add("GET", "/api/cycles/{cycle}/responses",
             [&ctx](const http::Request& request, const http::PathParams& params) {
               const auto caller_ptr = require_user(ctx, request);
               const Caller& caller = *caller_ptr;
               const auto cycle_ptr = require_cycle(ctx, caller, params.at("cycle"), OrgRole::viewer);
               const store::Cycle& cycle = *cycle_ptr;
               return json_response(200, counts_json(ctx, cycle));
             });
}

}  // namespace cxm::api
