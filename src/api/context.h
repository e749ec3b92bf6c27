// Internal to src/api: what handlers share (store, clock, caches, live
// streams) and how a resource file registers its routes. Access checks are
// in api/access.h, request fields in api/request_fields.h, refusals in
// api/outcome.h.
#pragma once

#include <functional>
#include <map>
#include <memory>
#include <mutex>
#include <nlohmann/json.hpp>
#include <optional>
#include <set>
#include <string>

#include "api/app.h"
#include "api/cycle_events.h"
#include "api/guess_limits.h"
#include "api/health_probe.h"
#include "api/outcome.h"
#include "api/stream_limits.h"
#include "api/ttl_cache.h"
#include "core/calendar.h"
#include "core/model.h"
#include "core/responses.h"
#include "http/message.h"
#include "http/router.h"
#include "results/cycle_cache.h"
#include "secrets/secrets.h"
#include "store/store.h"

namespace cxm::api {

using nlohmann::json;

using secrets::new_id;
using secrets::random_hex;
using secrets::same_secret;
using secrets::token_hash;
using store::OrgRole;

// The signed-in user behind a request.
struct Caller {
  store::User user;
  store::LoginSession session;
};

class Scheduler;

struct Context {
  Context(store::Store& s, AppOptions o, std::function<std::int64_t()> clock)
      : store(s), options(o), now(std::move(clock)) {}
  store::Store& store;
  AppOptions options;
  std::function<std::int64_t()> now;
  GuessLimits guesses{store};
  // Open event streams per link, per address and in all (this process's).
  StreamLimits streams{options.streams};
  HealthProbe health;
  // The results of cycles and what is kept of them (src/results/).
  results::Results results{store};
  results::CycleCache& cycles = results.cycles;
  // Copies of what nearly every request reads (see ttl_cache.h). Every
  // process forgets an entry when any process announces its change
  // (forget()); the time to live only bounds what a lost announcement
  // could cost. A cache makes a read fast; it never decides a rule that
  // must hold exactly: those are checked inside the writes.
  TtlCache<Caller> sessions{60000};                     // by session token hash
  TtlCache<store::Participant> links{60000};            // by participant token hash
  TtlCache<store::Cycle> cycle_rows{60000};             // by cycle id
  TtlCache<store::Organization> org_rows{60000};        // by organization id
  TtlCache<std::optional<OrgRole>> memberships{60000};  // role by "user|org"
  // Screens following cycles live; set by the App. Last, so that its thread
  // ends before anything it reads.
  std::unique_ptr<CycleEvents> events;
  // Live workshops, keyed by workshop id: the projector's state (for
  // signed-in members) and the room's public state (for joined phones).
  std::unique_ptr<CycleEvents> workshop_events;
  std::unique_ptr<CycleEvents> room_events;
  // Opens and closes cycles on their dates and sends the outbox (set by the
  // App, which owns it); wake() it when mail is queued.
  Scheduler* scheduler = nullptr;

  // What a change announced by any process makes stale.
  void forget(const store::Change& change);
  void forget_everything();
};

// The client's address behind trusted proxies, as the per-address limits
// count it (http::address_block: an IPv4 address or an IPv6 /48).
std::string client_block(const Context& ctx, const http::Request& request);

// What the audit log records of a change `caller` makes now; the store
// writes it in the change's transaction (store::AuditEntry).
inline store::AuditEntry audit_entry(Context& ctx, const Caller& caller, std::string org_id,
                                     std::string action, std::string detail) {
  return {caller.user.id, std::move(org_id), std::move(action), std::move(detail), ctx.now()};
}

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
void add_comment_routes(http::Router& router, Context& ctx);
void add_event_routes(http::Router& router, Context& ctx);
void add_import_routes(http::Router& router, Context& ctx);
void add_workshop_routes(http::Router& router, Context& ctx);
void add_join_routes(http::Router& router, Context& ctx);
void add_mail_routes(http::Router& router, Context& ctx);
void add_customer_metric_routes(http::Router& router, Context& ctx);
// Calendar dates (core/calendar.h).
using core::months_after;
using core::utc_date;

}  // namespace cxm::api
