// /api/orgs/{org}/cycles, /api/cycles/{cycle} and its lifecycle
// (open, close, reopen), settings and live response counts.
#include <algorithm>

#include "api/access.h"
#include "api/context.h"
#include "api/live_state.h"
#include "api/request_fields.h"
#include "core/cycle_scoring.h"
#include "core/forms.h"
#include "model/model_parser.h"
#include "model/translation_parser.h"

namespace cxm::api {
namespace {

json cycle_json(Context& ctx, const store::Cycle& c) {
  const auto model = ctx.cycles.model(c, ctx.store);
  json j = {{"id", c.id},
            {"org_id", c.org_id},
            {"name", c.name},
            {"title", c.title},
            {"status", to_text(c.status)},
            {"anonymous", c.anonymous},
            {"min_group_size", c.min_group_size},
            {"opens_at", c.opens_at ? json(*c.opens_at) : json(nullptr)},
            {"closes_at", c.closes_at ? json(*c.closes_at) : json(nullptr)},
            {"created_at", c.created_at},
            {"pulse", model->form == core::Form::pulse},
            {"reminders",
             {{"after_days", c.reminder_after_days},
              {"before_close_days", c.reminder_before_close_days},
              {"max", c.max_reminders}}},
            {"languages", c.languages},
            {"model",
             {{"id", model->id},
              {"version", model->version},
              {"title", model->title},
              {"language", model->language},
              {"languages", ctx.cycles.model_languages(c, ctx.store)}}}};
  json roles = json::array();
  for (const auto& role : model->roles) roles.push_back({{"id", role.id}, {"name", role.name}});
  j["model"]["roles"] = roles;
  j["model"]["items"] = model->items.size();
  j["model"]["minutes"] = core::estimated_minutes(model->items.size());
  // The pulse form keeps exactly the flagged statements, so this counts the
  // model's pulse statements whichever form the cycle asks.
  j["model"]["pulse_items"] = std::count_if(model->items.begin(), model->items.end(),
                                            [](const core::Item& i) { return i.pulse; });
  return j;
}

// "line 3, column 5: message" for a person reading a form, not a compiler's
// "file:3:5: message".
std::string place_and_message(const model::Diagnostic& d) {
  std::string out;
  if (d.line > 0)
    out = "line " + std::to_string(d.line) +
          (d.column > 0 ? ", column " + std::to_string(d.column) : "") + ": ";
  return out + d.message;
}

Outcome<std::optional<std::int64_t>> time_field(const json& body, const std::string& name) {
  CXM_TRY(v, integer_field(body, name, 0, 32503680000000L));  // until year 3000
  if (!v) return std::optional<std::int64_t>();
  return std::optional<std::int64_t>(*v);
}

// `languages: ["en", "de"]` (SPEC section 4.8): the languages the cycle
// offers, the first its default; each one the model comes in, once.
Check apply_languages(const json& body, const std::vector<std::string>& available,
                      store::Cycle& cycle) {
  const auto found = body.find("languages");
  if (found == body.end() || found->is_null()) return std::nullopt;
  std::string known;
  for (const auto& lang : available) known += (known.empty() ? "" : ", ") + lang;
  if (!found->is_array() || found->empty()) {
    return refuse(422, "invalid",
                  "languages: a list of one or more of the model's languages (" + known + ")");
  }
  std::vector<std::string> languages;
  for (const auto& lang : *found) {
    if (!lang.is_string() ||
        std::find(available.begin(), available.end(), lang.get<std::string>()) == available.end()) {
      return refuse(
          422, "invalid",
          "languages: " + (lang.is_string() ? "'" + lang.get<std::string>() + "'" : "a value") +
              " is not one of the model's languages (" + known + ")");
    }
    if (std::find(languages.begin(), languages.end(), lang.get<std::string>()) != languages.end())
      return refuse(422, "invalid", "languages: '" + lang.get<std::string>() + "' is named twice");
    languages.push_back(lang.get<std::string>());
  }
  cycle.languages = std::move(languages);
  return std::nullopt;
}

// The translations a new cycle keeps beside its model: the default model's
// own, or those given with `model_yaml` as `translations: {LANG: yaml}`,
// each checked against the model.
Outcome<std::map<std::string, std::string>> translations_of(const json& body,
                                                            const core::Model& model,
                                                            bool default_model) {
  std::map<std::string, std::string> out;
  const auto found = body.find("translations");
  if (found == body.end() || found->is_null()) {
    if (default_model) {
      for (const auto& t : model::default_translations())
        out.emplace(std::string(t.language), std::string(t.text));
    }
    return out;
  }
  if (default_model) {
    return refuse(422, "invalid",
                  "translations: only with model_yaml (the default model brings its own)");
  }
  if (!found->is_object() || found->size() > 20)
    return refuse(422, "invalid", "translations: an object of at most 20 {LANGUAGE: yaml}");
  for (const auto& [lang, yaml] : found->items()) {
    if (!yaml.is_string() || yaml.get_ref<const std::string&>().size() > (1u << 20))
      return refuse(422, "invalid", "translations." + lang + ": the translation's YAML text");
    const auto parsed =
        model::parse_translation(yaml.get_ref<const std::string&>(), "translations." + lang, model);
    if (!parsed.model) {
      return refuse(422, "invalid",
                    "translations." + lang + ": " + place_and_message(parsed.diagnostics.front()));
    }
    if (parsed.language != lang) {
      return refuse(
          422, "invalid",
          "translations." + lang + ": the file is a translation into '" + parsed.language + "'");
    }
    out.emplace(lang, yaml.get<std::string>());
  }
  return out;
}

// Applies the editable settings present in `body` to `cycle`.
Check apply_settings(const json& body, store::Cycle& cycle) {
  CXM_TRY(name, text_field(body, "name", false));
  if (name) {
    if (name->empty()) return refuse(422, "invalid", "name: must not be empty");
    cycle.name = *name;
  }
  CXM_TRY(title, text_field(body, "title", false, 200));
  if (title) cycle.title = *title;
  CXM_TRY(anonymous, bool_field(body, "anonymous"));
  if (anonymous) cycle.anonymous = *anonymous;
  CXM_TRY(pulse, bool_field(body, "pulse"));
  if (pulse) cycle.pulse = *pulse;
  CXM_TRY(min, integer_field(body, "min_group_size", 1, 1000));
  if (min) cycle.min_group_size = static_cast<int>(*min);
  if (body.contains("opens_at")) {
    CXM_TRY(opens_at, time_field(body, "opens_at"));
    cycle.opens_at = opens_at;
  }
  if (body.contains("closes_at")) {
    CXM_TRY(closes_at, time_field(body, "closes_at"));
    cycle.closes_at = closes_at;
  }
  if (cycle.opens_at && cycle.closes_at && *cycle.closes_at <= *cycle.opens_at) {
    return refuse(422, "invalid", "closes_at: must be after opens_at");
  }
  // A group of one or two is one person, or one person and whoever
  // subtracts themselves (SPEC section 8).
  if (cycle.anonymous && cycle.min_group_size < static_cast<int>(core::kAnonymousMinGroupSize)) {
    return refuse(422, "invalid",
                  "min_group_size: an anonymous cycle needs at least " +
                      std::to_string(core::kAnonymousMinGroupSize) +
                      " (fewer would publish one person's answers)");
  }
  return std::nullopt;
}

// A cycle write's outcome as a refusal (none when done): the one mapping
// of store::CycleChange to a response. After a conflict the cached row is
// stale.
Check changed(Context& ctx, const std::string& cycle_id, store::CycleChange change,
              const char* conflict) {
  switch (change) {
    case store::CycleChange::done:
      return std::nullopt;
    case store::CycleChange::not_found:
      return refuse(404, "not_found", "no such cycle");
    case store::CycleChange::conflict:
      ctx.cycle_rows.erase(cycle_id);
      return refuse(409, "conflict", conflict);
  }
  return std::nullopt;
}

// A list of whole days, each within [min, max], at most `count` of them,
// sorted without repeats.
Outcome<std::vector<int>> day_list(const json& body, const char* name, int min, int max,
                                   std::size_t count) {
  std::vector<int> days;
  const auto found = body.find(name);
  if (found == body.end() || found->is_null()) return days;
  const std::string place = std::string("reminders.") + name;
  if (!found->is_array() || found->size() > count)
    return refuse(422, "invalid", place + ": a list of at most " + std::to_string(count) + " days");
  for (const auto& d : *found) {
    if (!d.is_number_integer() || d.get<long>() < min || d.get<long>() > max) {
      return refuse(422, "invalid",
                    place + ": each a whole number of days from " + std::to_string(min) + " to " +
                        std::to_string(max));
    }
    days.push_back(d.get<int>());
  }
  std::sort(days.begin(), days.end());
  days.erase(std::unique(days.begin(), days.end()), days.end());
  return days;
}

// The reminder schedule of a cycle, {after_days, before_close_days, max}:
// reminders that many days after the invitation was sent and before the
// cycle closes, at most `max` per person.
Check apply_reminders(const json& body, store::Cycle& cycle) {
  const json& r = body.at("reminders");
  if (!r.is_object())
    return refuse(422, "invalid", "reminders: {after_days, before_close_days, max}");
  CXM_TRY(after, day_list(r, "after_days", 1, 90, 5));
  CXM_TRY(before, day_list(r, "before_close_days", 1, 30, 3));
  CXM_TRY(max, integer_field(r, "max", 0, 10));
  cycle.reminder_after_days = after;
  cycle.reminder_before_close_days = before;
  if (max) cycle.max_reminders = static_cast<int>(*max);
  if (!before.empty() && !cycle.closes_at) {
    return refuse(422, "invalid",
                  "reminders.before_close_days: the cycle has no closing date (closes_at)");
  }
  return std::nullopt;
}

// A pulse asks the model's pulse form; a model without one cannot run as a pulse.
Check check_pulse(const store::Cycle& cycle, const core::Model& model) {
  if (cycle.pulse && !core::has_pulse_form(model)) {
    return refuse(422, "invalid",
                  "pulse: this model has no pulse form (no statement is flagged pulse: true)");
  }
  return std::nullopt;
}

// A transition checked against the stored status inside the write: two
// facilitators (or processes) racing get one success and one 409.
http::Response transition(Context& ctx, const http::Request& request, const std::string& cycle_id,
                          store::CycleStatus to) {
  using store::CycleStatus;
  CXM_TRY(caller, require_user(ctx, request));
  CXM_TRY(checked_, require_cycle(ctx, *caller, cycle_id, OrgRole::facilitator));
  // The status as stored now, not as cached: it names the transition.
  auto cycle = ctx.store.find_cycle(cycle_id);
  if (!cycle) return refuse(404, "not_found", "no such cycle");
  const CycleStatus from = cycle->status;
  if (from == to)
    return refuse(409, "conflict", "the cycle is already " + std::string(to_text(to)));
  if (to == CycleStatus::closed && from != CycleStatus::open)
    return refuse(409, "conflict", "only an open cycle can be closed");
  // draft -> open, open -> closed, closed -> open (reopen)
  CXM_CHECK(changed(
      ctx, cycle->id,
      ctx.store.transition_cycle(
          cycle->id, from, to, ctx.now(),
          audit_entry(ctx, *caller, cycle->org_id, "cycle." + std::string(to_text(to)), cycle->id)),
      "the cycle changed meanwhile; reload it and try again"));
  cycle->status = to;
  ctx.cycle_rows.erase(cycle->id);
  return json_response(200, cycle_json(ctx, *cycle));
}

http::Response list_cycles(Context& ctx, const http::Request& request,
                           const http::PathParams& params) {
  CXM_TRY(caller, require_user(ctx, request));
  CXM_TRY(org, require_org(ctx, *caller, params.at("org"), OrgRole::viewer));
  json list = json::array();
  for (const auto& c : ctx.store.cycles_of(org->id)) list.push_back(cycle_json(ctx, c));
  return json_response(200, {{"cycles", list}});
}

http::Response create_cycle(Context& ctx, const http::Request& request,
                            const http::PathParams& params) {
  CXM_TRY(caller, require_user(ctx, request));
  CXM_TRY(org, require_org(ctx, *caller, params.at("org"), OrgRole::facilitator));
  CXM_TRY(body, json_body(request));
  CXM_TRY(name, required_text(body, "name"));
  store::Cycle cycle{new_id(),     org->id,      name,     store::CycleStatus::draft, "", true, 3,
                     std::nullopt, std::nullopt, ctx.now()};
  CXM_TRY(yaml, text_field(body, "model_yaml", false, 1 << 20, Text::document));
  const auto parsed = yaml ? model::parse_model(*yaml, "model_yaml") : model::load_default_model();
  if (!parsed.model)
    return refuse(422, "invalid", "model_yaml: " + place_and_message(parsed.diagnostics.front()));
  cycle.model_yaml = yaml ? *yaml : std::string(model::default_model_text());
  CXM_TRY(translations, translations_of(body, *parsed.model, !yaml));
  cycle.translation_yamls = std::move(translations);
  std::vector<std::string> available{parsed.model->language};
  for (const auto& entry : cycle.translation_yamls) available.push_back(entry.first);
  cycle.languages = {parsed.model->language};
  CXM_CHECK(apply_languages(body, available, cycle));
  CXM_CHECK(apply_settings(body, cycle));
  CXM_CHECK(check_pulse(cycle, *parsed.model));
  ctx.store.create_cycle(cycle, audit_entry(ctx, *caller, org->id, "cycle.create", cycle.id));
  return json_response(201, cycle_json(ctx, cycle));
}

http::Response get_cycle(Context& ctx, const http::Request& request,
                         const http::PathParams& params) {
  CXM_TRY(caller, require_user(ctx, request));
  CXM_TRY(cycle, require_cycle(ctx, *caller, params.at("cycle"), OrgRole::viewer));
  json j = cycle_json(ctx, *cycle);
  j["responses"] = response_counts_json(ctx, *cycle);
  return json_response(200, j);
}

// Settings change only while the cycle is a draft, checked inside the write.
http::Response update_cycle(Context& ctx, const http::Request& request,
                            const http::PathParams& params) {
  CXM_TRY(caller, require_user(ctx, request));
  CXM_TRY(found, require_cycle(ctx, *caller, params.at("cycle"), OrgRole::facilitator));
  store::Cycle cycle = *found;
  CXM_TRY(body, json_body(request));
  // The model as the cycle asks it now; a pulse form keeps the flags.
  const auto model = ctx.cycles.model(cycle, ctx.store);
  // An open cycle's closing date may move (to give people more time, say),
  // alone or with its reminder schedule and title; the status and the date
  // are checked again inside the write.
  if (body.is_object() && body.contains("closes_at") && cycle.status == store::CycleStatus::open) {
    json rest = body;
    for (const char* allowed : {"closes_at", "reminders", "title"}) rest.erase(allowed);
    if (!rest.empty()) {
      return refuse(409, "conflict",
                    "settings can only change while the cycle is a draft (an open cycle's "
                    "closing date, reminders and title can)");
    }
    CXM_TRY(closes, time_field(body, "closes_at"));
    if (!closes) {
      return refuse(422, "invalid",
                    "closes_at: an open cycle's closing date can be moved, not removed");
    }
    const std::int64_t now = ctx.now();
    if (*closes <= now || (cycle.opens_at && *closes <= *cycle.opens_at)) {
      return refuse(422, "invalid",
                    "closes_at: must be in the future and after opens_at (close the cycle to end "
                    "it now)");
    }
    store::Cycle checked = cycle;
    checked.closes_at = *closes;
    if (body.contains("reminders")) {
      CXM_CHECK(apply_reminders(body, checked));
    }
    if (body.contains("title")) {
      CXM_TRY(title_checked, text_field(body, "title", false, 200));
    }
    CXM_CHECK(changed(
        ctx, cycle.id,
        ctx.store.set_closing_date(cycle.id, *closes, now,
                                   audit_entry(ctx, *caller, cycle.org_id, "cycle.closes_at",
                                               cycle.id + ": " + std::to_string(*closes))),
        "the cycle is no longer open; reload it"));
    ctx.cycle_rows.erase(cycle.id);
    cycle.closes_at = *closes;
    body.erase("closes_at");
    if (body.empty()) return json_response(200, cycle_json(ctx, cycle));
  }
  // The reminder schedule changes while the cycle is a draft or open, with
  // the other settings or alone. Everything the request asks is checked
  // before anything is written: a refused field leaves the schedule as it
  // was too.
  if (body.is_object() && body.contains("reminders")) {
    if (cycle.status == store::CycleStatus::closed)
      return refuse(409, "conflict", "a closed cycle sends no reminders");
    json rest = body;
    rest.erase("reminders");
    const bool settings = !rest.empty() && !(rest.size() == 1 && rest.contains("title"));
    if (settings && cycle.status != store::CycleStatus::draft)
      return refuse(409, "conflict", "settings can only change while the cycle is a draft");
    store::Cycle checked = cycle;
    if (settings) {
      CXM_CHECK(apply_settings(rest, checked));  // also the closes_at the schedule counts from
      CXM_CHECK(check_pulse(checked, *model));
    }
    CXM_CHECK(apply_reminders(body, checked));
    if (rest.contains("title")) {
      CXM_TRY(title_checked, text_field(rest, "title", false, 200));
    }
    cycle.reminder_after_days = checked.reminder_after_days;
    cycle.reminder_before_close_days = checked.reminder_before_close_days;
    cycle.max_reminders = checked.max_reminders;
    if (!ctx.store.set_cycle_reminders(
            cycle.id, cycle.reminder_after_days, cycle.reminder_before_close_days,
            cycle.max_reminders,
            audit_entry(ctx, *caller, cycle.org_id, "cycle.reminders", cycle.id)))
      return refuse(409, "conflict", "the cycle was closed meanwhile");
    ctx.cycle_rows.erase(cycle.id);
    body = std::move(rest);
    if (body.empty()) return json_response(200, cycle_json(ctx, cycle));
  }
  // The participant-facing title alone may change in any status (null or
  // "" clears it: participants then see the organization's name).
  if (body.is_object() && body.size() == 1 && body.contains("title")) {
    CXM_TRY(title, text_field(body, "title", false, 200));
    const std::string text = title.value_or("");
    if (!ctx.store.set_cycle_title(
            cycle.id, text,
            audit_entry(ctx, *caller, cycle.org_id, "cycle.title", cycle.id + ": " + text)))
      return refuse(404, "not_found", "no such cycle");
    ctx.cycle_rows.erase(cycle.id);
    cycle.title = text;
    return json_response(200, cycle_json(ctx, cycle));
  }
  CXM_CHECK(apply_settings(body, cycle));
  CXM_CHECK(apply_languages(body, ctx.cycles.model_languages(cycle, ctx.store), cycle));
  CXM_CHECK(check_pulse(cycle, *model));
  CXM_CHECK(changed(ctx, cycle.id, ctx.store.update_draft_cycle(cycle),
                    "settings can only change while the cycle is a draft"));
  ctx.cycle_rows.erase(cycle.id);
  cycle.status = store::CycleStatus::draft;
  return json_response(200, cycle_json(ctx, cycle));
}

http::Response open_cycle(Context& ctx, const http::Request& request,
                          const http::PathParams& params) {
  return transition(ctx, request, params.at("cycle"), store::CycleStatus::open);
}

http::Response close_cycle(Context& ctx, const http::Request& request,
                           const http::PathParams& params) {
  return transition(ctx, request, params.at("cycle"), store::CycleStatus::closed);
}

// POST /api/cycles/{cycle}/repeat: the next cycle with the same settings
// (model snapshot, anonymity, minimum group size, pulse or full) and the
// same invitation list (each link's label, role and unit; revoked links
// are not repeated), as a draft with new links shown once. The old links
// stay with the old cycle. Cycle and links are created in one transaction.
http::Response repeat_cycle(Context& ctx, const http::Request& request,
                            const http::PathParams& params) {
  CXM_TRY(caller, require_user(ctx, request));
  CXM_TRY(previous, require_cycle(ctx, *caller, params.at("cycle"), OrgRole::facilitator));
  if (previous->status == store::CycleStatus::draft) {
    return refuse(409, "conflict", "a draft cannot be repeated; open it, or create another cycle");
  }
  CXM_TRY(body, json_body(request));
  const std::int64_t now = ctx.now();
  store::Cycle next{new_id(),
                    previous->org_id,
                    "",
                    store::CycleStatus::draft,
                    ctx.store.cycle_model_yaml(previous->id),
                    previous->anonymous,
                    previous->min_group_size,
                    std::nullopt,
                    std::nullopt,
                    now};
  next.pulse = previous->pulse;
  next.title = previous->title;  // what participants saw stays, unless changed
  next.reminder_after_days = previous->reminder_after_days;
  next.reminder_before_close_days = previous->reminder_before_close_days;
  next.max_reminders = previous->max_reminders;
  next.languages = previous->languages;
  next.translation_yamls = ctx.store.cycle_translation_yamls(previous->id);
  CXM_TRY(name_field, text_field(body, "name", false));
  next.name = name_field.value_or("");
  if (next.name.empty())
    next.name = previous->name.size() <= 191 ? previous->name + " (repeat)" : previous->name;
  std::vector<store::Participant> people;
  std::vector<std::string> tokens, hashes;
  for (const auto& p : ctx.store.participants_of(previous->id)) {
    if (p.revoked || p.link_closed) continue;
    people.push_back(store::Participant{new_id(), next.id, p.label, p.role, p.unit, false,
                                        std::nullopt, now, "", std::nullopt});
    tokens.push_back(random_hex(16));  // 128 random bits, as every link
    hashes.push_back(token_hash(tokens.back()));
  }
  const auto audit =
      audit_entry(ctx, *caller, next.org_id, "cycle.repeat", previous->id + " -> " + next.id);
  CXM_CHECK(changed(ctx, next.id,
                    ctx.store.create_cycle_with_participants(next, people, hashes, audit),
                    "the cycle changed meanwhile; reload it and try again"));
  json links = json::array();
  for (std::size_t i = 0; i < people.size(); ++i) {
    links.push_back({{"id", people[i].id},
                     {"label", people[i].label},
                     {"role", people[i].role.empty() ? json(nullptr) : json(people[i].role)},
                     {"unit", people[i].unit.empty() ? json(nullptr) : json(people[i].unit)},
                     {"revoked", false},
                     {"submitted", false},
                     {"token", tokens[i]},
                     {"url", "/r/" + tokens[i]}});
  }
  return json_response(
      201, {{"cycle", cycle_json(ctx, next)}, {"invitations", links}, {"repeats", previous->id}});
}

http::Response cycle_responses(Context& ctx, const http::Request& request,
                               const http::PathParams& params) {
  CXM_TRY(caller, require_user(ctx, request));
  CXM_TRY(cycle, require_cycle(ctx, *caller, params.at("cycle"), OrgRole::viewer));
  return json_response(200, response_counts_json(ctx, *cycle));
}

}  // namespace

void add_cycle_routes(http::Router& router, Context& ctx) {
  router.on_worker("GET", "/api/orgs/{org}/cycles", bind(ctx, list_cycles));
  router.on_worker("POST", "/api/orgs/{org}/cycles", bind(ctx, create_cycle));
  router.on_worker("GET", "/api/cycles/{cycle}", bind(ctx, get_cycle));
  router.on_worker("PATCH", "/api/cycles/{cycle}", bind(ctx, update_cycle));
  router.on_worker("POST", "/api/cycles/{cycle}/open", bind(ctx, open_cycle));
  router.on_worker("POST", "/api/cycles/{cycle}/close", bind(ctx, close_cycle));
  router.on_worker("GET", "/api/cycles/{cycle}/responses", bind(ctx, cycle_responses));
  router.on_worker("POST", "/api/cycles/{cycle}/repeat", bind(ctx, repeat_cycle));
}

}  // namespace cxm::api
