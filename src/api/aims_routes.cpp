// /api/orgs/{org}/aims: an organization's target stage per competency and
// the statements it has taken out of scope, with the reason. Both are read
// against the model of the organization's latest cycle (the built-in model
// before its first). Saving makes every cached report of its cycles stale
// (Store::save_org_aims): scope changes what is scored, targets what the
// report shows beside it.
#include <set>

#include "api/access.h"
#include "api/context.h"
#include "api/request_fields.h"
#include "core/scope.h"
#include "model/model_parser.h"

namespace cxm::api {
namespace {

constexpr std::size_t kMaxAims = 500;

// The model the organization's aims are stated against.
std::shared_ptr<const core::Model> aims_model(Context& ctx, const std::string& org_id) {
  const auto cycles = ctx.store.cycles_of(org_id);
  if (!cycles.empty()) {
    store::Cycle latest = cycles.back();
    latest.pulse = false;  // the whole model, whatever form the cycle asks
    return ctx.cycles.model(latest, ctx.store);
  }
  static const auto built_in =
      std::make_shared<const core::Model>(*model::load_default_model().model);
  return built_in;
}

json aims_json(const core::Model& model, const store::OrgAims& aims) {
  json targets = json::array(), scope = json::array();
  for (const auto& t : aims.targets) {
    const auto c = model.find_competency(t.competency_id);
    targets.push_back({{"competency", t.competency_id},
                       {"name", c ? json(model.competencies[*c].name) : json(nullptr)},
                       {"target_stage", t.target_stage}});
  }
  for (const auto& x : aims.out_of_scope) {
    const auto i = model.find_item(x.item_id);
    scope.push_back({{"item", x.item_id},
                     {"text", i ? json(model.items[*i].text) : json(nullptr)},
                     {"reason", x.reason}});
  }
  // What an editor offers: the model's stages, competencies and statements.
  json stages = json::array(), competencies = json::array(), items = json::array();
  for (const auto& s : model.stages) stages.push_back({{"number", s.number}, {"name", s.name}});
  for (const auto& c : model.competencies) competencies.push_back({{"id", c.id}, {"name", c.name}});
  for (const auto& i : model.items) {
    items.push_back({{"id", i.id},
                     {"competency", model.competencies[i.competency].id},
                     {"stage", i.stage},
                     {"text", i.text}});
  }
  return {{"targets", targets},
          {"out_of_scope", scope},
          {"model",
           {{"id", model.id},
            {"version", model.version},
            {"stages", stages},
            {"competencies", competencies},
            {"items", items}}}};
}

// The body's aims, checked against `model`: 422 naming the field.
Outcome<store::OrgAims> read_aims(const json& body, const core::Model& model) {
  store::OrgAims aims;
  const auto list = [&](const char* name) -> Outcome<const json*> {
    const auto it = body.find(name);
    if (it == body.end() || it->is_null()) return static_cast<const json*>(nullptr);
    if (!it->is_array() || it->size() > kMaxAims) {
      return refuse(422, "invalid", std::string(name) + ": must be a list of at most 500");
    }
    return &*it;
  };
  std::set<std::string> seen;
  CXM_TRY(targets, list("targets"));
  if (targets) {
    for (std::size_t i = 0; i < targets->size(); ++i) {
      const json& t = (*targets)[i];
      const std::string place = "targets[" + std::to_string(i) + "].";
      if (!t.is_object()) return refuse(422, "invalid", place + ": must be an object");
      CXM_TRY(id, required_text(t, "competency", 100));
      if (!model.find_competency(id))
        return refuse(422, "invalid",
                      place + "competency: '" + id + "' is not a competency of the model");
      if (!seen.insert(id).second)
        return refuse(422, "invalid", place + "competency: '" + id + "' appears twice");
      CXM_TRY(stage, integer_field(t, "target_stage", 1, model.stage_count()));
      if (!stage) return refuse(422, "invalid", place + "target_stage: required");
      aims.targets.push_back({id, static_cast<int>(*stage)});
    }
  }
  std::set<std::string> excluded;
  CXM_TRY(scope, list("out_of_scope"));
  if (scope) {
    for (std::size_t i = 0; i < scope->size(); ++i) {
      const json& x = (*scope)[i];
      const std::string place = "out_of_scope[" + std::to_string(i) + "].";
      if (!x.is_object()) return refuse(422, "invalid", place + ": must be an object");
      CXM_TRY(id, required_text(x, "item", 100));
      if (!model.find_item(id))
        return refuse(422, "invalid", place + "item: '" + id + "' is not a statement of the model");
      if (!excluded.insert(id).second)
        return refuse(422, "invalid", place + "item: '" + id + "' appears twice");
      CXM_TRY(reason, required_text(x, "reason", 500));
      if (reason.empty())
        return refuse(422, "invalid", place + "reason: say why the statement does not apply");
      aims.out_of_scope.push_back({id, reason});
    }
  }
  if (const auto problem = core::scope_problem(model, excluded))
    return refuse(422, "invalid", "out_of_scope: " + *problem);
  return aims;
}

http::Response get_aims(Context& ctx, const http::Request& request,
                        const http::PathParams& params) {
  CXM_TRY(caller, require_user(ctx, request));
  CXM_TRY(org, require_org(ctx, *caller, params.at("org"), OrgRole::viewer));
  return json_response(200, aims_json(*aims_model(ctx, org->id), ctx.store.org_aims(org->id)));
}

http::Response put_aims(Context& ctx, const http::Request& request,
                        const http::PathParams& params) {
  CXM_TRY(caller, require_user(ctx, request));
  CXM_TRY(org, require_org(ctx, *caller, params.at("org"), OrgRole::facilitator));
  CXM_TRY(body, json_body(request));
  const auto model = aims_model(ctx, org->id);
  CXM_TRY(aims, read_aims(body, *model));
  ctx.store.save_org_aims(
      org->id, aims,
      audit_entry(ctx, *caller, org->id, "org.aims",
                  std::to_string(aims.targets.size()) + " targets, " +
                      std::to_string(aims.out_of_scope.size()) + " out of scope"));
  // This process forgets its cycle rows at once (others when they hear).
  for (const auto& c : ctx.store.cycles_of(org->id)) ctx.cycle_rows.erase(c.id);
  return json_response(200, aims_json(*model, aims));
}

}  // namespace

void add_aims_routes(http::Router& router, Context& ctx) {
  router.on_worker("GET", "/api/orgs/{org}/aims", bind(ctx, get_aims));
  router.on_worker("PUT", "/api/orgs/{org}/aims", bind(ctx, put_aims));
}

}  // namespace cxm::api
