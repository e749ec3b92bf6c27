// The participant's side of a live workshop, without an account:
//   POST /api/join                          {code}: join the workshop of a code
//   GET  /api/r/{token}/workshop            the room's state, and this browser's own answers
//   GET  /api/r/{token}/workshop/events     the room's state, live
//   PUT  /api/r/{token}/workshop/answers    {round, answers}: answer the statements on the screen
// Joining mints a link in the workshop's cycle and claims it for this
// browser (the claim cookie of participant_routes.cpp), so the answers are
// this browser's alone, as for an invited link. The room's state carries
// the current step and public state only, never an answer or a count.
// Every attempt is counted per client address and for the whole instance
// in the database (every process shares the counts) before the code is
// checked; a good code takes its attempt back (api/guess_limits.h). The
// room's event stream is limited per seat and per address, in this process
// (api/stream_limits.h).
#include <algorithm>

#include "api/access.h"
#include "api/context.h"
#include "api/live_state.h"
#include "api/participant_link.h"
#include "api/request_fields.h"
#include "core/workshop.h"

namespace cxm::api {
namespace {

// The phone's device cookie: one per browser, kept for a year, sent only to
// /api/join. A reveal counts one answer per device (store::Joiner), so one
// browser joining many times is one voice. Clearing cookies or a private
// window makes a new device: no tool can tell one person's two browsers
// apart (docs/anonymity.md says so).
constexpr const char* kDeviceCookie = "cxm_device";

std::string device_cookie(const Context& ctx, const http::Request& request,
                          const std::string& device) {
  const bool secure =
      ctx.options.secure_cookies || http::forwarded_https(request, ctx.options.trusted_proxies);
  return std::string(kDeviceCookie) + "=" + device +
         "; Path=/api/join; HttpOnly; SameSite=Strict; Max-Age=31536000" +
         (secure ? "; Secure" : "");
}

// Who is joining: the device (a new one when the browser has none: set in
// `new_device`) and the user the browser is logged in as, if any. No CSRF
// check: being logged in only ever lowers what a phone counts for.
store::Joiner joiner_of(Context& ctx, const http::Request& request, std::string& new_device) {
  store::Joiner joiner;
  auto device = request.cookie(kDeviceCookie);
  if (!device || device->size() != 32) {
    new_device = random_hex(16);
    device = new_device;
  }
  joiner.device_hash = token_hash("device:" + *device);
  if (const auto session = request.cookie("cxm_session")) {
    if (const auto found = ctx.store.find_session(token_hash(*session), ctx.now())) {
      if (const auto user = ctx.store.find_user(found->user_id)) {
        joiner.user_id = user->id;
        joiner.is_admin = user->is_admin;
      }
    }
  }
  return joiner;
}

// The projector's QR code carries the workshop's id (96 random bits) with
// its code: a phone that scanned it is vouched for and joins without
// counting against any guessing limit, so that someone guessing codes from
// many addresses (who can hold the instance's allowance at nought) never
// keeps a room from joining. Only the open workshop of that id and that
// code vouches; anything else is an ordinary, counted attempt.
bool vouched(Context& ctx, const json& body, const std::string& code) {
  const auto it = body.find("workshop");
  if (it == body.end() || !it->is_string() || it->get_ref<const std::string&>().size() > 64)
    return false;
  const auto w = ctx.store.find_workshop(it->get<std::string>());
  return w && w->open && w->code == code;
}

// Counts a join attempt before the code is checked: 429 with Retry-After
// while the client's address or the instance must wait.
Check admit_join(Context& ctx, const std::string& address) {
  const std::int64_t wait = ctx.guesses.admit_join(address, ctx.now());
  if (wait <= 0) return std::nullopt;
  return too_many("wrong codes", wait);
}

http::Response join(Context& ctx, const http::Request& request, const http::PathParams&) {
  CXM_TRY(body, json_body(request));
  CXM_TRY(typed, required_text(body, "code", 64));
  const std::string address = client_block(ctx, request);
  const auto code = core::parse_join_code(typed);
  const bool counted = !code || !vouched(ctx, body, *code);
  if (counted) {
    CXM_CHECK(admit_join(ctx, address));
  }
  if (!code)
    return refuse(422, "wrong_code", "that is not a workshop code; check it on the screen");
  const std::string token = random_hex(16);
  const std::string secret = random_hex(16);
  store::Participant p;
  p.id = new_id();
  p.created_at = ctx.now();
  std::string new_device;
  const store::Joiner joiner = joiner_of(ctx, request, new_device);
  const auto joined =
      ctx.store.join_workshop(*code, p, joiner, token_hash(token), token_hash(secret));
  switch (joined.outcome) {
    case store::JoinOutcome::joined: {
      // A good code does not count against the room; a device's second
      // join keeps its count (it gets its seat back, and no more).
      if (counted && !joined.rejoined) ctx.guesses.join_succeeded(address);
      // The projector counts who joined (this process's change: the feed's
      // echo of it is not passed on, Context::forget).
      ctx.workshop_events->changed(joined.workshop_id);
      auto response = json_response(200, {{"token", token}, {"workshop_id", joined.workshop_id}});
      if (!new_device.empty())
        response.headers.emplace_back("Set-Cookie", device_cookie(ctx, request, new_device));
      response.headers.emplace_back("Set-Cookie", claim_cookie(ctx, request, token, secret));
      return response;
    }
    case store::JoinOutcome::cycle_not_open:
      return refuse(409, "cycle_not_open", "this assessment is not open");
    case store::JoinOutcome::no_such_code:
      break;
  }
  return refuse(422, "wrong_code", "no workshop is running with that code; check it on the screen");
}

// 404 in the same words for every reason a token reaches no workshop.
Refusal no_workshop() { return no_such_link(LinkKind::seat); }

struct Seat {
  store::Participant participant;
  store::Workshop workshop;
  std::shared_ptr<const store::Cycle> cycle;
  std::shared_ptr<const core::Model> model;
};

Outcome<Seat> seat_of(Context& ctx, const std::string& token) {
  const auto hash = link_token_hash(token);
  if (!hash) return no_workshop();
  auto participant = ctx.store.find_participant_by_token(*hash);
  if (!participant || participant->revoked || participant->link_closed ||
      participant->workshop_id.empty())
    return no_workshop();
  auto workshop = ctx.store.find_workshop(participant->workshop_id);
  if (!workshop) return no_workshop();
  auto cycle = find_cycle(ctx, workshop->cycle_id);
  if (!cycle) return no_workshop();
  auto model = ctx.cycles.model(*cycle, ctx.store);
  return Seat{std::move(*participant), std::move(*workshop), std::move(cycle), std::move(model)};
}

// The statements on the screen now, in the words of `m` (one of the cycle's
// languages: the ids are the same in all of them).
json current_statements(const store::Workshop& w, const core::Model& m,
                        const std::vector<store::WorkshopReveal>& reveals) {
  json current = json::array();
  const auto& steps = w.round_steps();
  if (!w.open || w.step < 0 || static_cast<std::size_t>(w.step) >= steps.size()) return current;
  for (const auto& id : steps[static_cast<std::size_t>(w.step)]) {
    const auto item = m.find_item(id);
    if (!item) continue;
    const bool revealed = std::any_of(
        reveals.begin(), reveals.end(),
        [&](const store::WorkshopReveal& r) { return r.round == w.round && r.item_id == id; });
    current.push_back({{"id", id},
                       {"text", m.items[*item].text},
                       {"competency", m.competencies[m.items[*item].competency].name},
                       {"revealed", revealed}});
  }
  return current;
}

// The room in `lang` (one the cycle offers), with the words of its other
// languages in `translations`: every phone follows the one stream of the
// room and shows it in its seat's language.
json build_room(Context& ctx, const store::Workshop& w, const store::Cycle& cycle,
                const std::string& lang) {
  const auto reveals = ctx.store.workshop_reveals(w.id);
  const auto& steps = w.round_steps();
  const auto model_in = [&](const std::string& l) {
    auto m = ctx.cycles.model(cycle, ctx.store, l);
    return m ? m : ctx.cycles.model(cycle, ctx.store);
  };
  const auto m = model_in(lang);
  std::string org_name;
  if (cycle.title.empty()) {
    const auto org = ctx.store.find_organization(cycle.org_id);
    if (org) org_name = org->name;
  }
  json translations = json::object();
  for (const auto& other : cycle.languages) {
    if (other == lang) continue;
    const auto t = model_in(other);
    translations[other] = {{"cycle_name", participant_title(cycle, org_name, other)},
                           {"scale", scale_json(*t)},
                           {"current", current_statements(w, *t, reveals)}};
  }
  return {{"workshop_id", w.id},
          // A phone shows the participant-facing title, never the internal name.
          {"cycle_name", participant_title(cycle, org_name, lang)},
          {"status", w.open ? "open" : "ended"},
          {"round", w.round},
          {"step", w.step},
          {"steps", steps.size()},
          {"min_group_size", cycle.min_group_size},
          {"scale", scale_json(*m)},
          {"current", current_statements(w, *m, reveals)},
          {"lang", lang},
          {"languages", offered_languages(cycle)},
          {"translations", translations}};
}

http::Response room(Context& ctx, const http::Request& request, const http::PathParams& params) {
  CXM_TRY(seat, seat_of(ctx, params.at("token")));
  json out = build_room(ctx, seat.workshop, *seat.cycle,
                        participant_language(*seat.cycle, request, seat.participant.lang));
  // This browser's own answers of the round, only with its claim.
  json mine = json::object();
  const std::string claim = claim_of(request);
  if (!claim.empty() && same_secret(claim, seat.participant.claim_hash)) {
    for (const auto& a : ctx.store.workshop_answers_of(seat.participant.id, seat.workshop.round)) {
      mine[a.item_id] = a.value ? json(*a.value) : json(nullptr);
    }
  }
  out["answers"] = mine;
  return json_response(200, out);
}

// PUT .../workshop/answers: the seat looked up on a worker, then the same
// answer write as the questionnaire's (one link check, then the workshop's
// rules, in the writer's transaction); the response is made back on the
// I/O thread after the commit.
http::Handling answer(Context& ctx, http::Exchange& ex) {
  co_await ex.to_worker();
  CXM_CO_TRY(seat, seat_of(ctx, ex.params.at("token")));
  CXM_CO_TRY(body, json_body(ex.request));
  CXM_CO_TRY(round, integer_field(body, "round", 1, 2));
  if (!round) co_return refuse(422, "invalid", "round: 1 or 2");
  CXM_CO_TRY(answers, answers_field(body, *seat.model));
  if (answers.empty()) co_return refuse(422, "invalid", "answers: at least one statement");
  const std::size_t count = answers.size();
  AnswerWriteResult saved;
  auto write = [&](http::Exchange::Resume resume) {
    queue_answer_write(ctx.store,
                       store::AnswerWrite{seat.participant.id,
                                          claim_of(ex.request),
                                          std::move(answers),
                                          {},
                                          ctx.now(),
                                          static_cast<int>(*round)},
                       saved, resume);
  };
  co_await ex.after(write);
  if (!saved.outcome) throw store::StoreError(saved.failure);
  if (saved.outcome->refusal != store::LinkRefusal::none)
    co_return link_refused(saved.outcome->refusal, LinkKind::seat);
  ctx.workshop_events->changed(seat.workshop.id);
  co_return json_response(200, {{"saved", count}});
}

http::StreamReply open_room_events(Context& ctx, const http::Request& request,
                                   const http::PathParams& params) {
  CXM_TRY(seat, seat_of(ctx, params.at("token")));
  CXM_TRY(place, ctx.streams.admit("seat:" + seat.participant.id, client_block(ctx, request)));
  http::StreamReply reply;
  reply.opened = [&ctx, id = seat.workshop.id, last = request.header("last-event-id").value_or("")](
                     std::shared_ptr<http::Stream> s) {
    ctx.room_events->follow(id, std::move(s), last);
  };
  // Holds the stream's place until the server drops the reply.
  reply.closed = [&ctx, id = seat.workshop.id, place] { ctx.room_events->ended(id); };
  return reply;
}

}  // namespace

std::optional<std::string> room_state(Context& ctx, const std::string& workshop_id) {
  const auto workshop = ctx.store.find_workshop(workshop_id);
  if (!workshop) return std::nullopt;
  const auto cycle = ctx.store.find_cycle(workshop->cycle_id);
  if (!cycle) return std::nullopt;
  // One state for every phone: in the cycle's default language, the others beside it.
  return build_room(ctx, *workshop, *cycle, results::offered_language(*cycle, "")).dump();
}

void add_join_routes(http::Router& router, Context& ctx) {
  router.on_worker("POST", "/api/join", bind(ctx, join));
  router.on_worker("GET", "/api/r/{token}/workshop", bind(ctx, room));
  router.deferred("PUT", "/api/r/{token}/workshop/answers", bind(ctx, answer));
  router.stream("GET", "/api/r/{token}/workshop/events",
                [&ctx](const http::Request& request, const http::PathParams& params) {
                  return open_room_events(ctx, request, params);
                });
}

}  // namespace cxm::api
