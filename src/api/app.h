// The JSON API of `cxm serve` (SPEC section 5): the router with every /api
// route, each one handler in this folder's resource files, and the web
// application's files for everything else.
#pragma once

#include <cstddef>
#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "http/client_address.h"
#include "http/router.h"
#include "mail/smtp_url.h"

namespace cxm::store {
class Store;
}
namespace cxm::http {
class StaticSite;
}

namespace cxm::api {

// How many event streams this process keeps open at once (api/
// stream_limits.h).
struct StreamLimitOptions {
  std::size_t per_link = 10;      // a phone's tabs; a facilitator's screens
  std::size_t per_address = 500;  // a room of phones behind the venue's one address
  std::size_t in_all = 10000;     // `cxm serve` sets it from the open file limit
};

// E-mail (SPEC section 4.7): invitations and reminders through an SMTP
// server, sent by every process from the shared outbox.
struct MailOptions {
  std::optional<mail::SmtpSettings> smtp;  // none: this server sends no e-mail
  // What links in messages start with: https://cxm.example.com (no
  // trailing slash).
  std::string public_url;
  int rate_per_minute = 60;  // messages this process sends at most
  int retry_seconds = 60;    // the first retry's delay, doubled each time
};

struct AppOptions {
  // Set the session cookie's Secure flag (cxm is reached over HTTPS). Also
  // set, request by request, when a trusted proxy says the client used
  // HTTPS (X-Forwarded-Proto).
  bool secure_cookies = false;
  // Proxies whose X-Forwarded-For and X-Forwarded-Proto are believed; the
  // per-address log-in limit counts the client's address behind them.
  http::TrustedProxies trusted_proxies;
  // The browser application, served for every GET outside /api; must
  // outlive the App. Without it only the API is served.
  const http::StaticSite* site = nullptr;
  StreamLimitOptions streams;
  MailOptions mail;
  // How often (seconds) cycles are opened and closed on their dates and
  // scheduled reminders queued; 0: never by itself (tests call
  // App::run_scheduler()).
  int scheduler_interval_seconds = 0;
  // How often (ms) the live streams build every followed state again, for
  // what no change announces (api/cycle_events.h).
  int live_poll_ms = 2000;
};

// What one pass of the scheduler did (api/scheduler.h).
struct SchedulerPass;

class App {
 public:
  // `clock` returns Unix milliseconds; `store` must outlive the App. The App
  // watches the store's changes (from every process) to keep its caches
  // fresh.
  App(store::Store& store, AppOptions options, std::function<std::int64_t()> clock);
  ~App();

  // Every route, for the HTTP server.
  const http::Router& router() const;

  // One pass of what the server does by itself, now: cycles opened and
  // closed on their dates, scheduled reminders queued, due mail sent.
  SchedulerPass run_scheduler();

  // Every (method, path pattern) served, for the OpenAPI completeness test.
  std::vector<std::pair<std::string, std::string>> routes() const;

  // How many live states this process has built so far: the projectors'
  // and the phones' of live workshops (for tests: one change, one each).
  struct LiveStatesBuilt {
    std::size_t workshop = 0;
    std::size_t room = 0;
  };
  LiveStatesBuilt live_states_built() const;

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

// The OpenAPI 3 document describing every route.
std::string openapi_document();

}  // namespace cxm::api
