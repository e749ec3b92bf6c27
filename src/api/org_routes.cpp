// /api/orgs and /api/orgs/{org}.
#include "api/context.h"
#include "policy/names.h"

namespace cxm::api {
namespace {

json org_json(const store::Organization& org) {
  return {{"id", org.id},       {"name", org.name},   {"industry", org.industry}, {"size_band", org.size_band},
          {"units", org.units}, {"demo", org.demo},   {"created_at", org.created_at}};
}

std::vector<std::string> units_field(const json& body) {
  std::vector<std::string> units;
  const auto it = body.find("units");
  if (it == body.end() || it->is_null()) return units;
  if (!it->is_array() || it->size() > 200) fail(422, "invalid", "units: must be a list of at most 200 names");
  for (const auto& unit : *it) {
    if (!unit.is_string() || unit.get_ref<const std::string&>().empty() || unit.get_ref<const std::string&>().size() > 100) {
      fail(422, "invalid", "units: each unit must be a name of 1 to 100 characters");
    }
    const std::string name = unit.get<std::string>();
    if (policy::find_control_character(name)) fail(422, "invalid", "units: a unit name must not contain control characters");
    if (std::find(units.begin(), units.end(), name) != units.end()) fail(422, "invalid", "units: '" + name + "' appears twice");
    units.push_back(name);
  }
  return units;
}

http::Response list_orgs(Context& ctx, const http::Request& request, const http::PathParams&) {
  const auto caller = require_user(ctx, request);
  json list = json::array();
  for (const auto& org : ctx.store.organizations_for(caller->user)) list.push_back(org_json(org));
  return json_response(200, {{"organizations", list}});
}

http::Response create_org(Context& ctx, const http::Request& request, const http::PathParams&) {
  const auto caller = require_user(ctx, request);
  const json body = json_body(request);
  store::Organization org{new_id(),
                          *text_field(body, "name", true),
                          text_field(body, "industry", false).value_or(""),
                          text_field(body, "size_band", false).value_or(""),
                          units_field(body),
                          false,
                          ctx.now()};
  ctx.store.create_organization(org, store::Membership{caller->user.id, org.id, OrgRole::owner});
  ctx.store.audit(caller->user.id, org.id, "org.create", org.name, ctx.now());
  return json_response(201, org_json(org));
}

http::Response update_org(Context& ctx, const http::Request& request, const http::PathParams& params) {
  const auto caller = require_user(ctx, request);
  store::Organization org = *require_org(ctx, *caller, params.at("org"), OrgRole::facilitator);
  const json body = json_body(request);
  if (auto name = text_field(body, "name", false)) {
    if (name->empty()) fail(422, "invalid", "name: must not be empty");
    org.name = *name;
  }
  if (auto industry = text_field(body, "industry", false)) org.industry = *industry;
  if (auto size_band = text_field(body, "size_band", false)) org.size_band = *size_band;
  if (body.contains("units")) org.units = units_field(body);
  if (const auto refused = ctx.store.update_organization(org)) fail(409, "conflict", *refused);
  ctx.org_rows.erase(org.id);
  ctx.store.audit(caller->user.id, org.id, "org.update", org.name, ctx.now());
  return json_response(200, org_json(org));
}

http::Response get_org(Context& ctx, const http::Request& request, const http::PathParams& params) {
  const auto caller = require_user(ctx, request);
  return json_response(200, org_json(*require_org(ctx, *caller, params.at("org"), OrgRole::viewer)));
}

}  // namespace

void add_org_routes(http::Router& router, Context& ctx) {
  router.on_worker("GET", "/api/orgs", bind(ctx, list_orgs));
  router.on_worker("POST", "/api/orgs", bind(ctx, create_org));
  router.on_worker("PATCH", "/api/orgs/{org}", bind(ctx, update_org));
  router.on_worker("GET", "/api/orgs/{org}", bind(ctx, get_org));
}

}  // namespace cxm::api
