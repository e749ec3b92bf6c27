// /api/cycles/{cycle}/invitations: personal participant links, one per
// person or a batch of anonymous links tagged with role and unit. A link's
// token is shown once, in the response that creates it; the database keeps
// only its hash.
#include <map>

#include "api/access.h"
#include "api/context.h"
#include "api/request_fields.h"

namespace cxm::api {
namespace {

constexpr std::size_t kMaxLinksPerRequest = 500;

// `imported_from`: the file an imported respondent came from (they have no
// link), or null for a link.
json participant_json(const store::Participant& p,
                      const std::map<std::string, std::string>& import_files = {}) {
  json imported_from = nullptr;
  if (!p.import_id.empty()) {
    const auto file = import_files.find(p.import_id);
    imported_from = file == import_files.end() ? std::string() : file->second;
  }
  return {{"id", p.id},
          {"label", p.label},
          {"role", p.role.empty() ? json(nullptr) : json(p.role)},
          {"unit", p.unit.empty() ? json(nullptr) : json(p.unit)},
          {"revoked", p.revoked},
          {"submitted", p.submitted_at.has_value()},
          {"imported_from", imported_from}};
}

// Role and unit of a link, checked against the model and the organization.
Check tag(const json& spec, const core::Model& model, const store::Organization& org,
          const std::string& place, store::Participant& p) {
  CXM_TRY(role, text_field(spec, "role", false));
  if (role) {
    if (!role->empty() && !model.find_role(*role))
      return refuse(422, "invalid", place + "role: unknown role '" + *role + "'");
    p.role = *role;
  }
  CXM_TRY(unit, text_field(spec, "unit", false));
  if (unit) {
    if (!unit->empty() && std::find(org.units.begin(), org.units.end(), *unit) == org.units.end()) {
      return refuse(422, "invalid",
                    place + "unit: '" + *unit + "' is not a unit of this organization");
    }
    p.unit = *unit;
  }
  return std::nullopt;
}

http::Response list_invitations(Context& ctx, const http::Request& request,
                                const http::PathParams& params) {
  CXM_TRY(caller, require_user(ctx, request));
  CXM_TRY(cycle_ptr, require_cycle(ctx, *caller, params.at("cycle"), OrgRole::facilitator));
  const store::Cycle& cycle = *cycle_ptr;
  std::map<std::string, std::string> import_files;
  for (const auto& i : ctx.store.imports_of(cycle.id)) import_files[i.id] = i.file_name;
  json list = json::array();
  for (const auto& p : ctx.store.participants_of(cycle.id))
    list.push_back(participant_json(p, import_files));
  return json_response(200, {{"invitations", list}});
}

http::Response create_invitations(Context& ctx, const http::Request& request,
                                  const http::PathParams& params) {
  CXM_TRY(caller, require_user(ctx, request));
  CXM_TRY(cycle_ptr, require_cycle(ctx, *caller, params.at("cycle"), OrgRole::facilitator));
  const store::Cycle& cycle = *cycle_ptr;
  if (cycle.status == store::CycleStatus::closed)
    return refuse(409, "conflict", "the cycle is closed; reopen it to invite more people");
  const auto org = *ctx.store.find_organization(cycle.org_id);
  const auto model = ctx.cycles.model(cycle, ctx.store);
  CXM_TRY(body, json_body(request));

  std::vector<store::Participant> people;
  const std::int64_t now = ctx.now();
  if (const auto list = body.find("people"); list != body.end()) {
    if (!list->is_array() || list->empty() || list->size() > kMaxLinksPerRequest) {
      return refuse(422, "invalid", "people: a list of 1 to 500 people");
    }
    for (std::size_t i = 0; i < list->size(); ++i) {
      const json& spec = (*list)[i];
      const std::string place = "people[" + std::to_string(i) + "].";
      if (!spec.is_object()) return refuse(422, "invalid", place + ": must be an object");
      CXM_TRY(label, text_field(spec, "label", false));
      store::Participant p{new_id(), cycle.id, label.value_or(""), "", "", false, std::nullopt,
                           now,      "",       std::nullopt};
      CXM_CHECK(tag(spec, *model, org, place, p));
      people.push_back(std::move(p));
    }
  } else {
    CXM_TRY(count, integer_field(body, "count", 1, kMaxLinksPerRequest));
    if (!count) return refuse(422, "invalid", "count: required (or give a list of people)");
    store::Participant templ{"", cycle.id, "", "", "", false, std::nullopt, now, "", std::nullopt};
    CXM_CHECK(tag(body, *model, org, "", templ));
    for (long i = 0; i < *count; ++i) {
      store::Participant p = templ;
      p.id = new_id();
      people.push_back(std::move(p));
    }
  }
  std::vector<std::string> tokens, hashes;
  for (std::size_t i = 0; i < people.size(); ++i) {
    tokens.push_back(random_hex(16));  // 128 random bits
    hashes.push_back(token_hash(tokens.back()));
  }
  const auto audit = audit_entry(ctx, *caller, cycle.org_id, "invitations.create",
                                 cycle.id + " x" + std::to_string(people.size()));
  if (!ctx.store.create_participants(people, hashes, audit)) {
    return refuse(409, "conflict",
                  "the cycle is closed; reopen it to invite more people");  // closed meanwhile
  }
  json list = json::array();
  for (std::size_t i = 0; i < people.size(); ++i) {
    json j = participant_json(people[i]);
    j["token"] = tokens[i];
    j["url"] = "/r/" + tokens[i];
    list.push_back(j);
  }
  return json_response(201, {{"invitations", list}});
}

http::Response revoke_invitation(Context& ctx, const http::Request& request,
                                 const http::PathParams& params) {
  CXM_TRY(caller, require_user(ctx, request));
  CXM_TRY(cycle_ptr, require_cycle(ctx, *caller, params.at("cycle"), OrgRole::facilitator));
  const store::Cycle& cycle = *cycle_ptr;
  const auto participant = ctx.store.find_participant(params.at("participant"));
  if (!participant || participant->cycle_id != cycle.id)
    return refuse(404, "not_found", "no such invitation");
  if (ctx.store.revoke_participant(participant->id) ==
      store::RevokeOutcome::submitted_anonymously) {
    return refuse(409, "submitted_anonymous",
                  "this person has submitted in an anonymous cycle; taking one response out would "
                  "show it by difference");
  }
  // Every process forgets the link once the change is announced; this one
  // at once (its cache is keyed by token hash, not known here).
  ctx.links.clear();
  ctx.cycle_rows.erase(cycle.id);
  auto revoked = *participant;
  revoked.revoked = true;
  return json_response(200, participant_json(revoked));
}

}  // namespace

void add_invitation_routes(http::Router& router, Context& ctx) {
  router.on_worker("GET", "/api/cycles/{cycle}/invitations", bind(ctx, list_invitations));
  router.on_worker("POST", "/api/cycles/{cycle}/invitations", bind(ctx, create_invitations));
  router.on_worker("POST", "/api/cycles/{cycle}/invitations/{participant}/revoke",
                   bind(ctx, revoke_invitation));
}

}  // namespace cxm::api
