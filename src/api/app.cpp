#include "api/app.h"

#include <spdlog/spdlog.h>

#include "api/context.h"
#include "api/live_state.h"
#include "api/scheduler.h"
#include "http/static_site.h"

namespace cxm::api {
namespace {

// What a handler threw, as its response: a database failure (the one
// exception a handler meets; refusals are values, api/outcome.h) as 503
// (try again); anything else, a bug, as 500. The log line names the
// request, never its body or the statement's values.
http::Response error_response_for(std::exception_ptr thrown, const http::Request& request) {
  try {
    std::rethrow_exception(thrown);
  } catch (const store::StoreError& e) {
    spdlog::error("request {}: database: {}", request.request_id, e.what());
    return http::error_response(503, "database_unavailable",
                                "the database is not available; try again");
  } catch (const std::exception& e) {
    spdlog::error("request {}: {}", request.request_id, e.what());
  } catch (...) {
    spdlog::error("request {}: unknown failure", request.request_id);
  }
  return http::error_response(500, "internal", "internal error; see the server log");
}

}  // namespace

struct App::Impl {
  Context ctx;
  http::Router router{error_response_for};
  std::unique_ptr<Scheduler> scheduler;
  Impl(store::Store& store, AppOptions options, std::function<std::int64_t()> clock)
      : ctx(store, options, std::move(clock)) {}
  ~Impl() {
    scheduler.reset();          // it uses ctx
    ctx.store.stop_watching();  // its listener uses ctx
  }
};

App::App(store::Store& store, AppOptions options, std::function<std::int64_t()> clock)
    : impl_(std::make_unique<Impl>(store, options, std::move(clock))) {
  Context& ctx = impl_->ctx;
  http::Router& r = impl_->router;
  add_system_routes(r, ctx);
  add_session_routes(r, ctx);
  add_org_routes(r, ctx);
  add_aims_routes(r, ctx);
  add_cycle_routes(r, ctx);
  add_invitation_routes(r, ctx);
  add_participant_routes(r, ctx);
  add_report_routes(r, ctx);
  add_action_routes(r, ctx);
  add_progress_routes(r, ctx);
  add_benchmark_routes(r, ctx);
  add_ratings_routes(r, ctx);
  add_discussion_routes(r, ctx);
  add_comment_routes(r, ctx);
  add_event_routes(r, ctx);
  add_import_routes(r, ctx);
  add_workshop_routes(r, ctx);
  add_join_routes(r, ctx);
  add_mail_routes(r, ctx);
  add_customer_metric_routes(r, ctx);
  const std::chrono::milliseconds poll(ctx.options.live_poll_ms);
  ctx.events = std::make_unique<CycleEvents>(
      [&ctx](const std::string& id) { return live_cycle_state(ctx, id); }, poll);
  ctx.workshop_events = std::make_unique<CycleEvents>(
      [&ctx](const std::string& id) { return workshop_state(ctx, id); }, poll, "workshop");
  ctx.room_events = std::make_unique<CycleEvents>(
      [&ctx](const std::string& id) { return room_state(ctx, id); }, poll, "room");
  // Everything else is a file of the web application (or 404).
  r.set_fallback([&ctx](const http::Request& request, const http::PathParams&) {
    if (ctx.options.site) {
      if (auto page = ctx.options.site->serve(request)) return std::move(*page);
    }
    return http::error_response(404, "not_found", "no such resource: " + request.path);
  });
  impl_->scheduler = std::make_unique<Scheduler>(ctx, ctx.options.scheduler_interval_seconds);
  ctx.scheduler = impl_->scheduler.get();
  store.watch_changes(store::ChangeListener{[&ctx](const store::Change& c) { ctx.forget(c); },
                                            [&ctx] { ctx.forget_everything(); }});
}

App::~App() = default;

SchedulerPass App::run_scheduler() { return impl_->scheduler->run_once(); }

const http::Router& App::router() const { return impl_->router; }

App::LiveStatesBuilt App::live_states_built() const {
  return {impl_->ctx.workshop_events->built(), impl_->ctx.room_events->built()};
}

std::vector<std::pair<std::string, std::string>> App::routes() const {
  return impl_->router.routes();
}

}  // namespace cxm::api
