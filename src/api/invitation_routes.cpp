// /api/cycles/{cycle}/invitations: personal participant links, one per
// person or a batch of anonymous links tagged with role and unit. A link's
// token is shown once, in the response that creates it; the database keeps
// only its hash.
#include <map>

#include "api/access.h"
#include "api/context.h"
#include "api/request_fields.h"
#include "api/scheduler.h"
#include "mail/people_list.h"

namespace cxm::api {
namespace {

constexpr std::size_t kMaxLinksPerRequest = 500;
// A list of people to mail, pasted or uploaded at once.
constexpr std::size_t kMaxPeoplePerRequest = 2000;

// What the list says of the people invited by e-mail: their address
// (until the cycle closes) and their invitation's state.
struct MailView {
  std::map<std::string, std::string> email;       // by participant id
  std::map<std::string, std::string> invitation;  // the latest invitation's state
};

// `imported_from`: the file an imported respondent came from (they have no
// link), or null for a link. In an anonymous cycle nobody's own progress is
// shown (`submitted` null): the facilitator sees counts, never who has
// answered (SPEC section 4.7); reminders reach those who have not.
json participant_json(const store::Participant& p, bool anonymous,
                      const std::map<std::string, std::string>& import_files = {},
                      const MailView& mail = {}) {
  json imported_from = nullptr;
  if (!p.import_id.empty()) {
    const auto file = import_files.find(p.import_id);
    imported_from = file == import_files.end() ? std::string() : file->second;
  }
  const auto email = mail.email.find(p.id);
  const auto invitation = mail.invitation.find(p.id);
  return {{"id", p.id},
          {"label", p.label},
          {"role", p.role.empty() ? json(nullptr) : json(p.role)},
          {"unit", p.unit.empty() ? json(nullptr) : json(p.unit)},
          {"revoked", p.revoked || p.link_closed},
          {"submitted", anonymous ? json(nullptr) : json(p.submitted_at.has_value())},
          {"imported_from", imported_from},
          {"email", email == mail.email.end() ? json(nullptr) : json(email->second)},
          {"invitation",
           invitation == mail.invitation.end() ? json(nullptr) : json(invitation->second)}};
}

// A message being handed over is still waiting, as the list says it.
std::string_view mail_state_text(store::MailState state) {
  return state == store::MailState::sending ? "queued" : to_text(state);
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

// A request that invites people by e-mail: a CSV list, or people with an
// address.
bool by_email(const json& body) {
  if (!body.is_object()) return false;
  if (body.contains("csv")) return true;
  const auto people = body.find("people");
  if (people == body.end() || !people->is_array()) return false;
  return std::any_of(people->begin(), people->end(),
                     [](const json& p) { return p.is_object() && p.contains("email"); });
}

// People invited by e-mail: checked as a list (each problem names its row
// and column; any problem refuses the whole list), then stored with their
// links, and their invitations queued when `send`, in one transaction.
// Their links are not in the response: they go only to them.
http::Response invite_by_email(Context& ctx, const Caller& caller, const store::Cycle& cycle,
                               const store::Organization& org, const core::Model& model,
                               const json& body) {
  mail::PeopleRules rules;
  for (const auto& role : model.roles) rules.roles.emplace_back(role.id, role.name);
  rules.units = org.units;
  rules.max_people = kMaxPeoplePerRequest;
  mail::PeopleList list;
  if (body.contains("csv")) {
    CXM_TRY(csv, text_field(body, "csv", true, 4 << 20, Text::document));
    list = mail::read_people_csv(*csv, rules);
  } else {
    const json& given = body.at("people");
    std::vector<mail::Person> people;
    for (std::size_t i = 0; i < given.size(); ++i) {
      const json& spec = given[i];
      const int row = static_cast<int>(i) + 1;
      if (!spec.is_object())
        return refuse(422, "invalid", "people[" + std::to_string(i) + "]: must be an object");
      mail::Person p;
      p.row = row;
      for (auto [field, target] : {std::pair{"name", &p.name}, std::pair{"email", &p.email},
                                   std::pair{"role", &p.role}, std::pair{"unit", &p.unit}}) {
        const auto value = spec.find(field);
        if (value == spec.end() || value->is_null()) continue;
        if (!value->is_string()) {
          return refuse(422, "invalid",
                        "people[" + std::to_string(i) + "]." + field + ": must be a string");
        }
        *target = value->get<std::string>();
      }
      people.push_back(std::move(p));
    }
    list = mail::check_people(std::move(people), rules);
  }
  if (!list.ok()) {
    const auto& first = list.problems.front();
    return refuse(422, "invalid_people",
                  mail::format(first) +
                      (list.problems.size() > 1
                           ? " (and " + std::to_string(list.problems.size() - 1) + " more problems)"
                           : ""));
  }
  CXM_TRY(send_field, bool_field(body, "send"));
  const bool send = send_field.value_or(false);
  if (send && !ctx.options.mail.smtp) {
    return refuse(409, "mail_not_configured",
                  "this server sends no e-mail: start it with --smtp, --mail-from and "
                  "--public-url (docs/mail.md), or save the list without sending");
  }
  const std::int64_t now = ctx.now();
  store::MailInvite invite;
  invite.send = send;
  for (const auto& person : list.people) {
    store::Participant p{new_id(), cycle.id,     person.name, person.role, person.unit,
                         false,    std::nullopt, now,         "",          std::nullopt};
    invite.recipients.push_back(store::MailRecipient{p.id, cycle.id, person.name, person.email,
                                                     std::nullopt, 0, std::nullopt, now});
    invite.participants.push_back(std::move(p));
  }
  const auto result = ctx.store.create_mail_invitations(
      invite,
      [](const std::string& key, const std::string& participant_id) {
        return token_hash(secrets::derive_link_token(key, participant_id));
      },
      now,
      audit_entry(ctx, caller, cycle.org_id, send ? "invitations.mail" : "invitations.list",
                  cycle.id + " x" + std::to_string(invite.participants.size())));
  if (!result.taken_addresses.empty()) {
    std::string taken;
    for (const auto& a : result.taken_addresses) taken += (taken.empty() ? "" : ", ") + a;
    return refuse(409, "already_invited", "already invited to this cycle: " + taken);
  }
  if (!result.created)
    return refuse(409, "conflict", "the cycle is closed; reopen it to invite more people");
  if (send && ctx.scheduler) ctx.scheduler->wake();
  MailView mail;
  json invitations = json::array();
  for (std::size_t i = 0; i < invite.participants.size(); ++i) {
    mail.email[invite.participants[i].id] = invite.recipients[i].email;
    if (send) mail.invitation[invite.participants[i].id] = "queued";
    invitations.push_back(participant_json(invite.participants[i], cycle.anonymous, {}, mail));
  }
  return json_response(
      201, {{"invitations", invitations}, {"queued", send ? invite.participants.size() : 0}});
}

http::Response list_invitations(Context& ctx, const http::Request& request,
                                const http::PathParams& params) {
  CXM_TRY(caller, require_user(ctx, request));
  CXM_TRY(cycle_ptr, require_cycle(ctx, *caller, params.at("cycle"), OrgRole::facilitator));
  const store::Cycle& cycle = *cycle_ptr;
  std::map<std::string, std::string> import_files;
  for (const auto& i : ctx.store.imports_of(cycle.id)) import_files[i.id] = i.file_name;
  MailView mail;
  for (const auto& r : ctx.store.mail_recipients(cycle.id)) mail.email[r.participant_id] = r.email;
  for (const auto& m : ctx.store.mail_messages(cycle.id)) {  // oldest first: the latest stays
    if (m.kind == store::MailKind::invitation)
      mail.invitation[m.participant_id] = mail_state_text(m.state);
  }
  json list = json::array();
  for (const auto& p : ctx.store.participants_of(cycle.id))
    list.push_back(participant_json(p, cycle.anonymous, import_files, mail));
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
  if (by_email(body)) return invite_by_email(ctx, *caller, cycle, org, *model, body);

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
    json j = participant_json(people[i], cycle.anonymous);
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
                  "an imported respondent has no link to revoke, and in an anonymous cycle taking "
                  "their answers out would show them by difference");
  }
  // Every process forgets the link once the change is announced; this one
  // at once (its cache is keyed by token hash, not known here).
  ctx.links.clear();
  ctx.cycle_rows.erase(cycle.id);
  auto revoked = *participant;
  revoked.revoked = true;
  return json_response(200, participant_json(revoked, cycle.anonymous));
}

}  // namespace

void add_invitation_routes(http::Router& router, Context& ctx) {
  router.on_worker("GET", "/api/cycles/{cycle}/invitations", bind(ctx, list_invitations));
  router.on_worker("POST", "/api/cycles/{cycle}/invitations", bind(ctx, create_invitations));
  router.on_worker("POST", "/api/cycles/{cycle}/invitations/{participant}/revoke",
                   bind(ctx, revoke_invitation));
}

}  // namespace cxm::api
