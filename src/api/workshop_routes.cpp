// The facilitator's side of a live workshop (core/workshop.h,
// docs/anonymity.md "Live workshops"):
//   POST /api/cycles/{cycle}/workshops          start one (a join code)
//   GET  /api/cycles/{cycle}/workshop           the cycle's open workshop
//   GET  /api/workshops/{workshop}              what the projector shows
//   POST /api/workshops/{workshop}/step         show another step
//   POST /api/workshops/{workshop}/reveal       show a statement's distribution
//   POST /api/workshops/{workshop}/second-round ask the split statements again
//   POST /api/workshops/{workshop}/first-round  back to round 1, at its next step
//   POST /api/workshops/{workshop}/end          the code stops working
//   GET  /api/workshops/{workshop}/events       the projector's live state
// Before a reveal the projector shows only how many answered; the
// distribution, mean and agreement appear once at least the cycle's
// minimum group answered the statement, and never change afterwards (the
// store freezes them and refuses later answers in the same write).
#include <algorithm>
#include <map>

#include "api/access.h"
#include "api/context.h"
#include "api/live_state.h"
#include "api/participant_link.h"
#include "api/request_fields.h"
#include "core/discussion.h"
#include "core/workshop.h"
#include "results/published_result.h"

namespace cxm::api {
namespace {

struct Access {
  store::Workshop workshop;
  std::shared_ptr<const store::Cycle> cycle;
};

// 404 for a workshop of another organization, as for one that does not exist.
Outcome<Access> require_workshop(Context& ctx, const Caller& caller, const std::string& id,
                                 OrgRole needed) {
  auto workshop = ctx.store.find_workshop(id);
  if (!workshop) return refuse(404, "not_found", "no such workshop");
  auto cycle = require_cycle(ctx, caller, workshop->cycle_id, needed);
  if (!cycle) {
    if (cycle.refusal().status == 404) return refuse(404, "not_found", "no such workshop");
    return cycle.refusal();
  }
  return Access{std::move(*workshop), std::move(*cycle)};
}

json optional_number(const std::optional<double>& v) { return v ? json(*v) : json(nullptr); }

json figures_json(const core::ItemResult& r, std::size_t dont_know) {
  return {{"histogram", r.histogram},
          {"dont_know", dont_know},
          {"n", r.stats.n},
          {"mean", optional_number(r.stats.mean)},
          {"sd", optional_number(r.sd)},
          {"rwg", optional_number(r.rwg)},
          {"class", r.agreement ? json(core::to_string(*r.agreement)) : json(nullptr)},
          {"bimodal", r.bimodal}};
}

struct Revealed {
  core::ItemResult result;
  std::size_t dont_know = 0;
};

// The frozen figures of every revealed statement, by round and item id.
std::map<std::pair<int, std::string>, Revealed> revealed_of(
    const core::Model& model, const std::vector<store::WorkshopReveal>& reveals) {
  std::map<std::pair<int, std::string>, Revealed> out;
  for (const auto& r : reveals) {
    const auto item = model.find_item(r.item_id);
    if (!item || r.histogram.size() != static_cast<std::size_t>(model.scale.points())) continue;
    out[{r.round, r.item_id}] =
        Revealed{core::revealed_result(model, *item, r.histogram, r.dont_know), r.dont_know};
  }
  return out;
}

// The statements a second round would ask: the first round's revealed
// statements where the room disagreed, in the order they were asked, but
// for those a second round has revealed already (a second round started
// again after going back to round 1 asks only what is new).
std::vector<std::string> second_round_candidates(
    const core::Model& model, const store::Workshop& w,
    const std::map<std::pair<int, std::string>, Revealed>& revealed) {
  std::vector<core::ItemResult> first;
  for (const auto& step : w.steps) {
    for (const auto& id : step) {
      const auto it = revealed.find({1, id});
      if (it != revealed.end()) first.push_back(it->second.result);
    }
  }
  std::vector<std::string> ids;
  for (std::size_t i : core::second_round_items(first)) {
    if (!revealed.contains({2, model.items[i].id})) ids.push_back(model.items[i].id);
  }
  return ids;
}

// Each step's statements, its competency and how many of its statements
// the round revealed (for the presenter: what is done, what comes next).
json steps_json(const core::Model& m, const std::vector<std::vector<std::string>>& steps, int round,
                const std::map<std::pair<int, std::string>, Revealed>& revealed) {
  json out = json::array();
  for (const auto& step : steps) {
    std::string competency;
    json texts = json::array();
    std::size_t shown = 0;
    for (const auto& id : step) {
      const auto item = m.find_item(id);
      texts.push_back(item ? json(m.items[*item].text) : json(id));
      if (item && competency.empty()) competency = m.competencies[m.items[*item].competency].name;
      shown += revealed.contains({round, id}) ? 1 : 0;
    }
    out.push_back(
        {{"items", step}, {"texts", texts}, {"competency", competency}, {"revealed", shown}});
  }
  return out;
}

json build_state(Context& ctx, const store::Workshop& w, const store::Cycle& cycle) {
  const auto model = ctx.cycles.model(cycle, ctx.store);
  const auto revealed = revealed_of(*model, ctx.store.workshop_reveals(w.id));
  std::map<std::string, store::WorkshopCount> counts;
  for (auto& c : ctx.store.workshop_answer_counts(w.id, w.round)) counts[c.item_id] = c;
  const auto& steps = w.round_steps();
  json current = json::array();
  if (w.step >= 0 && static_cast<std::size_t>(w.step) < steps.size()) {
    for (const auto& id : steps[static_cast<std::size_t>(w.step)]) {
      const auto item = model->find_item(id);
      if (!item) continue;
      const auto count = counts.find(id);
      const auto shown = revealed.find({w.round, id});
      json s = {{"id", id},
                {"text", model->items[*item].text},
                {"competency", model->competencies[model->items[*item].competency].name},
                {"answered", count == counts.end() ? 0 : count->second.answered},
                {"revealed", shown != revealed.end()},
                {"figures", shown == revealed.end()
                                ? json(nullptr)
                                : figures_json(shown->second.result, shown->second.dont_know)},
                {"first_round", nullptr},
                {"comparison", nullptr}};
      if (w.round == 2) {
        const auto before = revealed.find({1, id});
        if (before != revealed.end()) {
          s["first_round"] = figures_json(before->second.result, before->second.dont_know);
          // The verdict only once both rounds are shown.
          if (shown != revealed.end()) {
            const auto c = core::compare_rounds(before->second.result, shown->second.result);
            s["comparison"] = {{"rwg_before", optional_number(c.rwg_before)},
                               {"rwg_after", optional_number(c.rwg_after)},
                               {"sd_before", optional_number(c.sd_before)},
                               {"sd_after", optional_number(c.sd_after)},
                               {"verdict", core::to_string(c.verdict)}};
          }
        }
      }
      current.push_back(std::move(s));
    }
  }
  const auto candidates = second_round_candidates(*model, w, revealed);
  std::size_t revealed_first = 0;
  for (const auto& [key, _] : revealed) revealed_first += key.first == 1 ? 1 : 0;
  return {{"id", w.id},
          {"cycle_id", w.cycle_id},
          {"cycle_name", cycle.name},
          // What the projector shows the room: the participant-facing title.
          {"title", participant_title(cycle, cycle.title.empty() ? [&] {
                      const auto org = ctx.store.find_organization(cycle.org_id);
                      return org ? org->name : std::string();
                    }()
                                                                  : std::string())},
          {"status", w.open ? "open" : "ended"},
          {"code", w.open ? json(w.code) : json(nullptr)},
          // The QR code's address: the code, and the workshop's id that
          // vouches for a phone that scanned it (join_routes.cpp).
          {"join_path", w.open ? json("/j/" + w.code + "?w=" + w.id) : json(nullptr)},
          {"min_group_size", cycle.min_group_size},
          {"pace", core::to_string(w.pace)},
          {"order", core::to_string(w.step_order)},
          {"round", w.round},
          {"step", w.step},
          {"steps", steps_json(*model, steps, w.round, revealed)},
          {"joined", ctx.store.workshop_joined(w.id)},
          {"scale", scale_json(*model)},
          {"current", current},
          {"revealed_first_round", revealed_first},
          {"second_round",
           {{"available", w.open && w.round == 1 && !candidates.empty()}, {"items", candidates}}},
          // Round 2 may end on any statement and give way to round 1 again.
          {"first_round_available", w.open && w.round == 2},
          {"created_at", w.created_at}};
}

// The state after a change this handler made: built once, sent from here
// to the projectors following the workshop and answered; the phones' room
// state is built here too when a phone follows (cycle_events.h). The change
// feed's echo of this change rebuilds neither (Context::forget).
http::Response state_response(Context& ctx, const std::string& id, int status = 200) {
  std::optional<std::string> state;
  try {
    state = ctx.workshop_events->publish(id);
  } catch (...) {
    // The change is committed but its state did not build (the database
    // failed): the events thread builds it as soon as it can, for the
    // screens, as it would for another process's change.
    ctx.workshop_events->changed(id);
    ctx.room_events->changed(id);
    throw;
  }
  ctx.room_events->publish_if_followed(id);
  if (!state) return refuse(404, "not_found", "no such workshop");
  http::Response response;
  response.status = status;
  response.body = *state;
  return response;
}

// The state after a request that changed nothing (a reveal shown already, an
// end of an ended workshop): as it stands, published to nobody.
http::Response unchanged_state(Context& ctx, const std::string& id) {
  const auto state = workshop_state(ctx, id);
  if (!state) return refuse(404, "not_found", "no such workshop");
  http::Response response;
  response.body = *state;
  return response;
}

// The discussion agenda's order of item indices, when results are shown.
Outcome<std::vector<std::size_t>> agenda_order(Context& ctx, const store::Cycle& cycle,
                                               const core::Model& model) {
  const results::PublishedResult published =
      results::published_result(cycle, model, ctx.store.cycle_answers(cycle.id), "", "");
  if (!published.result) {
    return refuse(
        409, "no_agenda",
        "the discussion agenda needs results that may be shown; walk through in model order");
  }
  std::vector<std::size_t> order;
  for (const auto& e : core::discussion_agenda(model, published.result->group))
    order.push_back(e.item);
  return order;
}

std::vector<std::vector<std::string>> ids_of(const core::Model& model,
                                             const std::vector<std::vector<std::size_t>>& steps) {
  std::vector<std::vector<std::string>> out;
  for (const auto& step : steps) {
    std::vector<std::string> ids;
    for (std::size_t i : step) ids.push_back(model.items[i].id);
    out.push_back(std::move(ids));
  }
  return out;
}

std::string new_join_code() {
  const std::string hex = random_hex(4 * core::kJoinCodeLength);
  std::vector<std::uint32_t> random;
  for (std::size_t i = 0; i < core::kJoinCodeLength; ++i) {
    random.push_back(static_cast<std::uint32_t>(std::stoul(hex.substr(8 * i, 8), nullptr, 16)));
  }
  return core::join_code_from(random);
}

http::Response start(Context& ctx, const http::Request& request, const http::PathParams& params) {
  CXM_TRY(caller, require_user(ctx, request));
  CXM_TRY(cycle, require_cycle(ctx, *caller, params.at("cycle"), OrgRole::facilitator));
  CXM_TRY(body, request.body.empty() ? Outcome<json>(json::object()) : json_body(request));
  CXM_TRY(pace_text, text_field(body, "pace", false));
  const auto pace = core::pace_from(pace_text.value_or("statement"));
  if (!pace) return refuse(422, "invalid", "pace: statement or competency");
  CXM_TRY(order_text, text_field(body, "order", false));
  const auto order = core::step_order_from(order_text.value_or("model"));
  if (!order) return refuse(422, "invalid", "order: model or agenda");
  const auto model = ctx.cycles.model(*cycle, ctx.store);
  std::vector<std::size_t> given;
  if (*order == core::StepOrder::agenda) {
    CXM_TRY(agenda, agenda_order(ctx, *cycle, *model));
    given = std::move(agenda);
  }
  store::Workshop w;
  w.id = new_id();
  w.cycle_id = cycle->id;
  w.pace = *pace;
  w.step_order = *order;
  w.steps = ids_of(*model, core::workshop_steps(*model, *pace, given));
  w.created_by = caller->user.id;
  w.created_at = ctx.now();
  for (int attempt = 0;; ++attempt) {
    w.code = new_join_code();
    switch (ctx.store.start_workshop(
        w, audit_entry(ctx, *caller, cycle->org_id, "workshop.start", cycle->id + " " + w.id))) {
      case store::WorkshopStart::started:
        return state_response(ctx, w.id, 201);
      case store::WorkshopStart::cycle_not_open:
        return refuse(409, "cycle_not_open", "a workshop needs an open cycle; open it first");
      case store::WorkshopStart::already_open:
        return refuse(409, "workshop_open", "this cycle has a workshop running; end it first");
      case store::WorkshopStart::code_taken:
        if (attempt >= 8) return refuse(503, "try_again", "no free join code now; try again");
        break;
    }
  }
}

http::Response open_of_cycle(Context& ctx, const http::Request& request,
                             const http::PathParams& params) {
  CXM_TRY(caller, require_user(ctx, request));
  CXM_TRY(cycle, require_cycle(ctx, *caller, params.at("cycle"), OrgRole::viewer));
  const auto w = ctx.store.open_workshop_of(cycle->id);
  return json_response(200, {{"workshop", w ? build_state(ctx, *w, *cycle) : json(nullptr)}});
}

http::Response get_state(Context& ctx, const http::Request& request,
                         const http::PathParams& params) {
  CXM_TRY(caller, require_user(ctx, request));
  CXM_TRY(a, require_workshop(ctx, *caller, params.at("workshop"), OrgRole::viewer));
  return json_response(200, build_state(ctx, a.workshop, *a.cycle));
}

// The one mapping of a refused workshop change to its response.
Refusal changed_refused(store::WorkshopChange change, const std::string& conflict) {
  switch (change) {
    case store::WorkshopChange::ended:
      return refuse(409, "workshop_ended", "this workshop has ended");
    case store::WorkshopChange::conflict:
      return refuse(409, "conflict", conflict);
    case store::WorkshopChange::not_found:
    case store::WorkshopChange::done:
      break;
  }
  return refuse(404, "not_found", "no such workshop");
}

Outcome<int> round_field(const json& body) {
  CXM_TRY(round, integer_field(body, "round", 1, 2));
  if (!round) return refuse(422, "invalid", "round: 1 or 2");
  return static_cast<int>(*round);
}

http::Response set_step(Context& ctx, const http::Request& request,
                        const http::PathParams& params) {
  CXM_TRY(caller, require_user(ctx, request));
  CXM_TRY(a, require_workshop(ctx, *caller, params.at("workshop"), OrgRole::facilitator));
  CXM_TRY(body, json_body(request));
  CXM_TRY(round, round_field(body));
  CXM_TRY(step, integer_field(body, "step", 0, 100000));
  if (!step) return refuse(422, "invalid", "step: the index of a step");
  const auto change = ctx.store.set_workshop_step(a.workshop.id, round, static_cast<int>(*step));
  if (change != store::WorkshopChange::done)
    return changed_refused(change, "the workshop has no such step in that round");
  return state_response(ctx, a.workshop.id);
}

http::Response reveal(Context& ctx, const http::Request& request, const http::PathParams& params) {
  CXM_TRY(caller, require_user(ctx, request));
  CXM_TRY(a, require_workshop(ctx, *caller, params.at("workshop"), OrgRole::facilitator));
  CXM_TRY(body, json_body(request));
  CXM_TRY(round, round_field(body));
  CXM_TRY(item, required_text(body, "item", 100));
  const auto model = ctx.cycles.model(*a.cycle, ctx.store);
  if (!model->find_item(item)) return refuse(422, "invalid", "item: no such statement");
  const auto result = ctx.store.reveal_statement(
      a.workshop.id, round, item, model->scale.min, model->scale.max, ctx.now(),
      audit_entry(ctx, *caller, a.cycle->org_id, "workshop.reveal",
                  a.workshop.id + " " + std::to_string(round) + " " + item));
  switch (result.outcome) {
    case store::RevealOutcome::revealed:
      return state_response(ctx, a.workshop.id);
    case store::RevealOutcome::already_revealed:
      return unchanged_state(ctx, a.workshop.id);
    case store::RevealOutcome::too_few_answers:
      return refuse(409, "too_few_answers",
                    "a distribution is shown only from " +
                        std::to_string(std::max(result.min_group_size, 2)) + " answers on; " +
                        std::to_string(result.counted) +
                        " so far, counting one per phone and none from a phone an organizer "
                        "joined" +
                        (result.counted < result.answered
                             ? " (" + std::to_string(result.answered) + " answers in all)"
                             : std::string()));
    case store::RevealOutcome::not_current:
      return refuse(409, "not_current", "only a statement on the screen now can be revealed");
    case store::RevealOutcome::ended:
      return refuse(409, "workshop_ended", "this workshop has ended");
    case store::RevealOutcome::not_found:
      break;
  }
  return refuse(404, "not_found", "no such workshop");
}

http::Response second_round(Context& ctx, const http::Request& request,
                            const http::PathParams& params) {
  CXM_TRY(caller, require_user(ctx, request));
  CXM_TRY(a, require_workshop(ctx, *caller, params.at("workshop"), OrgRole::facilitator));
  const auto model = ctx.cycles.model(*a.cycle, ctx.store);
  const auto candidates = second_round_candidates(
      *model, a.workshop, revealed_of(*model, ctx.store.workshop_reveals(a.workshop.id)));
  if (candidates.empty()) {
    return refuse(409, "no_disagreement",
                  "no revealed statement shows disagreement; there is nothing to ask again");
  }
  // One statement a step, or a competency a step, as in the first round.
  std::vector<std::size_t> order;
  for (const auto& id : candidates) order.push_back(*model->find_item(id));
  std::vector<std::vector<std::string>> steps;
  for (const auto& step : ids_of(*model, core::workshop_steps(*model, a.workshop.pace, order))) {
    std::vector<std::string> asked;
    for (const auto& id : step) {
      if (std::find(candidates.begin(), candidates.end(), id) != candidates.end())
        asked.push_back(id);
    }
    if (!asked.empty()) steps.push_back(std::move(asked));
  }
  const auto change = ctx.store.start_second_round(
      a.workshop.id, steps,
      audit_entry(ctx, *caller, a.cycle->org_id, "workshop.second_round", a.workshop.id));
  if (change != store::WorkshopChange::done)
    return changed_refused(change, "the second round is running already");
  return state_response(ctx, a.workshop.id);
}

http::Response first_round(Context& ctx, const http::Request& request,
                           const http::PathParams& params) {
  CXM_TRY(caller, require_user(ctx, request));
  CXM_TRY(a, require_workshop(ctx, *caller, params.at("workshop"), OrgRole::facilitator));
  const auto change = ctx.store.return_to_first_round(
      a.workshop.id,
      audit_entry(ctx, *caller, a.cycle->org_id, "workshop.first_round", a.workshop.id));
  if (change != store::WorkshopChange::done)
    return changed_refused(change, "the workshop is in its first round");
  return state_response(ctx, a.workshop.id);
}

http::Response end(Context& ctx, const http::Request& request, const http::PathParams& params) {
  CXM_TRY(caller, require_user(ctx, request));
  CXM_TRY(a, require_workshop(ctx, *caller, params.at("workshop"), OrgRole::facilitator));
  const auto change = ctx.store.end_workshop(
      a.workshop.id, ctx.now(),
      audit_entry(ctx, *caller, a.cycle->org_id, "workshop.end", a.workshop.id));
  if (change == store::WorkshopChange::not_found)
    return refuse(404, "not_found", "no such workshop");
  if (change == store::WorkshopChange::ended) return unchanged_state(ctx, a.workshop.id);
  return state_response(ctx, a.workshop.id);
}

http::StreamReply open_workshop_events(Context& ctx, const http::Request& request,
                                       const http::PathParams& params) {
  CXM_TRY(caller, require_user(ctx, request));
  CXM_TRY(a, require_workshop(ctx, *caller, params.at("workshop"), OrgRole::viewer));
  CXM_TRY(place, ctx.streams.admit("user:" + caller->user.id, client_block(ctx, request)));
  http::StreamReply reply;
  reply.opened = [&ctx, id = a.workshop.id, last = request.header("last-event-id").value_or("")](
                     std::shared_ptr<http::Stream> s) {
    ctx.workshop_events->follow(id, std::move(s), last);
  };
  // Holds the stream's place until the server drops the reply.
  reply.closed = [&ctx, id = a.workshop.id, place] { ctx.workshop_events->ended(id); };
  return reply;
}

}  // namespace

std::optional<std::string> workshop_state(Context& ctx, const std::string& workshop_id) {
  const auto workshop = ctx.store.find_workshop(workshop_id);
  if (!workshop) return std::nullopt;
  const auto cycle = ctx.store.find_cycle(workshop->cycle_id);
  if (!cycle) return std::nullopt;
  return build_state(ctx, *workshop, *cycle).dump();
}

void add_workshop_routes(http::Router& router, Context& ctx) {
  router.on_worker("POST", "/api/cycles/{cycle}/workshops", bind(ctx, start));
  router.on_worker("GET", "/api/cycles/{cycle}/workshop", bind(ctx, open_of_cycle));
  router.on_worker("GET", "/api/workshops/{workshop}", bind(ctx, get_state));
  router.on_worker("POST", "/api/workshops/{workshop}/step", bind(ctx, set_step));
  router.on_worker("POST", "/api/workshops/{workshop}/reveal", bind(ctx, reveal));
  router.on_worker("POST", "/api/workshops/{workshop}/second-round", bind(ctx, second_round));
  router.on_worker("POST", "/api/workshops/{workshop}/first-round", bind(ctx, first_round));
  router.on_worker("POST", "/api/workshops/{workshop}/end", bind(ctx, end));
  router.stream("GET", "/api/workshops/{workshop}/events",
                [&ctx](const http::Request& request, const http::PathParams& params) {
                  return open_workshop_events(ctx, request, params);
                });
}

}  // namespace cxm::api
