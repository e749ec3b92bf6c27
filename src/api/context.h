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
#include "core/benchmark.h"
#include "core/calendar.h"
#include "core/cycle_scoring.h"
#include "core/model.h"
#include "core/responses.h"
#include "http/message.h"
#include "http/router.h"
#include "secrets/secrets.h"
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

// Cached per-cycle data: the parsed model snapshot (immutable) in the form
// the cycle asks it (full, or only the pulse statements), and report JSON
// per filter, valid while the cycle's answers_version is unchanged.
// The version is read with the cycle row, which every process forgets when
// any process announces a change of the cycle (store/change_feed.h).
class CycleCache {
 public:
  // The cycle's questionnaire model, parsed once per process from its
  // snapshot: the pulse form (core/forms.h) when the cycle is a pulse.
  std::shared_ptr<const core::Model> model(const store::Cycle& cycle, store::Store& store);
  // The model when already parsed; never blocks.
  std::shared_ptr<const core::Model> cached_model(const store::Cycle& cycle);
  // Parses the models of those `cycles` not parsed yet, their snapshots
  // read in one query and each distinct snapshot parsed once (a list of
  // many organizations' cycles on the same model).
  void preload_models(const std::vector<store::Cycle>& cycles, store::Store& store);
  std::shared_ptr<const std::string> report(const store::Cycle& cycle, const std::string& filter);
  std::shared_ptr<const std::string> put_report(const store::Cycle& cycle, const std::string& filter, std::string json);

 private:
  std::mutex mutex_;
  std::map<std::pair<std::string, bool>, std::shared_ptr<const core::Model>> models_;  // by cycle id, pulse
  std::map<std::pair<std::string, std::string>, std::pair<std::int64_t, std::shared_ptr<const std::string>>> reports_;
};

// Benchmark datasets indexed in memory (core::PeerIndex), by dataset id.
// A dataset never changes, so a kept index is always right; at most
// kKept are kept (each a few bytes per assessment and score).
class BenchmarkIndexCache {
 public:
  static constexpr std::size_t kKept = 4;
  std::shared_ptr<const core::PeerIndex> get(const std::string& dataset_id);
  std::shared_ptr<const core::PeerIndex> put(const std::string& dataset_id, std::shared_ptr<const core::PeerIndex> index);

 private:
  std::mutex mutex_;
  std::vector<std::pair<std::string, std::shared_ptr<const core::PeerIndex>>> kept_;  // most recent last
};

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
  CycleCache cycles;
  BenchmarkIndexCache benchmark_indexes;
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

// A cycle's whole report as GET /api/cycles/{cycle}/report gives it (the
// score document, or a suppressed answer), computed now.
std::string cycle_report_json(Context& ctx, const store::Cycle& cycle);
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

// For a cycle's report: the change since the organization's previous
// full cycle with results, compared as the progress page compares ({since:
// {id, name}, change: report::progress_json with its basis: the statements
// both asked}); null when there is none (the first cycle, a pulse, nothing
// published). Blocks.
json change_since_previous(Context& ctx, const store::Cycle& cycle);
// For a cycle's report: where it stands among peers
// (report::benchmark_document_json, with dataset.id), against `dataset`
// (a dataset id or "pool") or by default the pool when the organization
// contributes to it, else the newest dataset; null when there is none to
// compare with or the cycle has no comparable result. Blocks.
json report_benchmark(Context& ctx, const store::Organization& org, const store::Cycle& cycle,
                      const std::optional<std::string>& dataset);

// Calendar dates (core/calendar.h).
using core::months_after;
using core::utc_date;

// The submitted answers among `all` (of `role` and `unit` when not empty)
// as responses to `model`; respondent ids are positions.
core::Responses to_responses(const core::Model& model, const std::vector<store::ParticipantAnswers>& all,
                             const std::string& role, const std::string& unit);

// An organization's roll-up rule and out-of-scope statement ids as the
// scoring core takes them.
core::StageRollupRule rollup_rule(const store::Organization& org);
std::set<std::string> out_of_scope_ids(const store::OrgAims& aims);

// A cycle's report (the JSON of GET /api/cycles/{cycle}/report with the
// filter `role` or `unit`) computed from `answers` (the cycle's, as
// Store::cycle_answers gives them) under the organization's roll-up rule,
// targets and scope. Blocks (may parse the cycle's model).
std::string build_cycle_report(Context& ctx, const store::Cycle& cycle, const std::string& role,
                               const std::string& unit, const std::vector<store::ParticipantAnswers>& answers,
                               const store::Organization& org, const store::OrgAims& aims);

// The cycle's whole report as the facilitator sees it (GET
// /api/cycles/{cycle}/report without a filter; for an anonymous cycle only
// its released results), from the cache or computed. Blocks.
std::shared_ptr<const std::string> cycle_report(Context& ctx, const store::Cycle& cycle);

}  // namespace cxm::api
