// Internal to src/api: what handlers share (store, clock, caches) and the
// helpers every resource uses to read JSON, check access and answer.
#pragma once

#include <nlohmann/json.hpp>

#include <functional>
#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <set>
#include <string>

#include "api/app.h"
#include "api/cycle_events.h"
#include "api/health_probe.h"
#include "api/login_limiter.h"
#include "api/ttl_cache.h"
#include "core/calendar.h"
#include "core/model.h"
#include "core/responses.h"
#include "http/message.h"
#include "http/router.h"
#include "secrets/secrets.h"
#include "results/cycle_cache.h"
#include "store/store.h"

namespace cxm::api {

using nlohmann::json;

using secrets::new_id;
using secrets::random_hex;
using secrets::same_secret;
using secrets::token_hash;
using store::OrgRole;

// How a request ends when it cannot be answered as asked: the status and
// the {"error":{code,message}} body. Thrown by a handler (fail()), caught at
// the handler's edge by the router's error mapper (app.cpp); never crosses
// into another layer.
class ApiError : public std::exception {
 public:
  ApiError(int status, std::string code, std::string message)
      : status(status), code(std::move(code)), message(std::move(message)) {}
  const char* what() const noexcept override { return message.c_str(); }
  http::Response response() const;

  int status;
  std::string code;
  std::string message;
  std::int64_t retry_after_seconds = 0;  // sent as Retry-After when > 0 (429, 503)
};
[[noreturn]] void fail(int status, const std::string& code, const std::string& message);

// The signed-in user behind a request.
struct Caller {
  store::User user;
  store::LoginSession session;
};

struct Context {
  Context(store::Store& s, AppOptions o, std::function<std::int64_t()> clock)
      : store(s), options(o), now(std::move(clock)) {}
  store::Store& store;
  AppOptions options;
  std::function<std::int64_t()> now;
  LoginLimiter limiter{store};
  HealthProbe health;
  // The results of cycles and what is kept of them (src/results/).
  results::Results results{store};
  results::CycleCache& cycles = results.cycles;
  // Copies of what nearly every request reads (see ttl_cache.h). Every
  // process forgets an entry when any process announces its change
  // (forget()); the time to live only bounds what a lost announcement
  // could cost. A cache makes a read fast; it never decides a rule that
  // must hold exactly: those are checked inside the writes.
  TtlCache<Caller> sessions{60000};                        // by session token hash
  TtlCache<store::Participant> links{60000};               // by participant token hash
  TtlCache<store::Cycle> cycle_rows{60000};                // by cycle id
  TtlCache<store::Organization> org_rows{60000};           // by organization id
  TtlCache<std::optional<OrgRole>> memberships{60000};     // role by "user|org"
  // Screens following cycles live; set by the App. Last, so that its thread
  // ends before anything it reads.
  std::unique_ptr<CycleEvents> events;
  // Live workshops, keyed by workshop id: the projector's state (for
  // signed-in members) and the room's public state (for joined phones).
  std::unique_ptr<CycleEvents> workshop_events;
  std::unique_ptr<CycleEvents> room_events;

  // What a change announced by any process makes stale.
  void forget(const store::Change& change);
  void forget_everything();
};

// The cycle row, from the short-lived cache or the database; nullptr when
// there is none.
std::shared_ptr<const store::Cycle> find_cycle(Context& ctx, const std::string& cycle_id);

// 401 without a valid session cookie; 403 when a state-changing request
// lacks the session's CSRF token in X-CSRF-Token. Blocks on a cache miss.
std::shared_ptr<const Caller> require_user(Context& ctx, const http::Request& request);
// The same from memory alone, for a deferred handler: nullptr when the
// session is not cached (then require_user on a worker).
std::shared_ptr<const Caller> cached_user(Context& ctx, const http::Request& request);

// 404 when the caller has no access to the organization (its existence is
// not revealed); 403 when their role is below `needed`. Admins pass.
std::shared_ptr<const store::Organization> require_org(Context& ctx, const Caller& caller, const std::string& org_id, OrgRole needed);
// The same for the organization owning a cycle.
std::shared_ptr<const store::Cycle> require_cycle(Context& ctx, const Caller& caller, const std::string& cycle_id, OrgRole needed);
// require_cycle from memory alone: nullptr when anything it needs is not cached.
std::shared_ptr<const store::Cycle> cached_cycle(Context& ctx, const Caller& caller, const std::string& cycle_id,
                                                 OrgRole needed);

// The request body as a JSON object: 415 unless Content-Type is JSON, 400
// when malformed, 422 when not an object.
json json_body(const http::Request& request);

// What a text field may hold: a name or other one-line text refuses
// control characters (policy/names.h); a document (a model's YAML) allows
// tabs and line breaks; a secret (a password) is taken as it is.
enum class Text { line, document, secret };

// Field readers: 422 naming the field when missing (if required), of the
// wrong type, or out of bounds.
std::optional<std::string> text_field(const json& body, const std::string& name, bool required,
                                      std::size_t max_length = 200, Text kind = Text::line);
std::optional<long> integer_field(const json& body, const std::string& name, long min, long max);
std::optional<bool> bool_field(const json& body, const std::string& name);

http::Response json_response(int status, const json& body);

// A route's named handler, `Response name(Context&, const Request&, const
// PathParams&)`, bound to the context for the router.
using RouteFunction = http::Response (*)(Context&, const http::Request&, const http::PathParams&);
inline http::Handler bind(Context& ctx, RouteFunction route) {
  return [&ctx, route](const http::Request& request, const http::PathParams& params) {
    return route(ctx, request, params);
  };
}
using DeferredRouteFunction = http::Handling (*)(Context&, http::Exchange&);
inline http::DeferredHandler bind(Context& ctx, DeferredRouteFunction route) {
  return [&ctx, route](http::Exchange& exchange) { return route(ctx, exchange); };
}

// Route registration, one function per resource file.
void add_system_routes(http::Router& router, Context& ctx);
void add_session_routes(http::Router& router, Context& ctx);
void add_org_routes(http::Router& router, Context& ctx);
void add_aims_routes(http::Router& router, Context& ctx);
void add_cycle_routes(http::Router& router, Context& ctx);
void add_invitation_routes(http::Router& router, Context& ctx);
void add_participant_routes(http::Router& router, Context& ctx);
void add_report_routes(http::Router& router, Context& ctx);
void add_action_routes(http::Router& router, Context& ctx);
void add_progress_routes(http::Router& router, Context& ctx);
void add_benchmark_routes(http::Router& router, Context& ctx);

void add_discussion_routes(http::Router& router, Context& ctx);
void add_event_routes(http::Router& router, Context& ctx);
void add_import_routes(http::Router& router, Context& ctx);
void add_workshop_routes(http::Router& router, Context& ctx);
void add_join_routes(http::Router& router, Context& ctx);
// What a workshop's projector shows (GET /api/workshops/{workshop} and its
// events), and what every joined phone may know (the room's events): the
// current step and public state, never an answer. nullopt when the
// workshop is gone. Both read the database (not a cache). Block.
std::optional<std::string> workshop_state(Context& ctx, const std::string& workshop_id);
std::optional<std::string> room_state(Context& ctx, const std::string& workshop_id);

json cycle_json(Context& ctx, const store::Cycle& cycle);
// Invited, started and submitted links, in total, per role and per unit; in
// an anonymous cycle a segment's counts below the minimum group show as
// "fewer than k". Blocks (reads the answers).
json response_counts_json(Context& ctx, const store::Cycle& cycle);
// What GET /api/cycles/{cycle}/events sends: the cycle's status and
// response counts, read from the database (not a cache); nullopt when the
// cycle is gone. Blocks.
std::optional<std::string> live_cycle_state(Context& ctx, const std::string& cycle_id);

// The claim cookie (participant_routes.cpp): the link's secret in the
// browser that claimed it, sent only with requests to that link's API
// (/api/r/TOKEN...). claim_of: the hash of the caller's secret ("" without
// one); claim_cookie: the Set-Cookie value for `secret`.
std::string claim_of(const http::Request& request);
std::string claim_cookie(const Context& ctx, const http::Request& request, const std::string& token,
                         const std::string& secret);

// The "answers" field of a participant's request (item id -> scale point,
// or null for don't know), checked against the questionnaire `model`:
// unknown items, values out of range and wrong types are 422 naming the
// item. Used by the questionnaire and by the workshop's phones.
std::vector<store::StoredAnswer> answers_field(const json& body, const core::Model& model);

// Calendar dates (core/calendar.h).
using core::months_after;
using core::utc_date;

}  // namespace cxm::api
