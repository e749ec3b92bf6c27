#include "api/app.h"

#include <spdlog/spdlog.h>

#include "api/context.h"
#include "http/static_site.h"

namespace cxm::api {

struct App::Impl {
  Context ctx;
  http::Router router;
  Impl(store::Store& store, AppOptions options, std::function<std::int64_t()> clock)
      : ctx(store, options, std::move(clock)) {}
};

App::App(store::Store& store, AppOptions options, std::function<std::int64_t()> clock)
    : impl_(std::make_unique<Impl>(store, options, std::move(clock))) {
  Context& ctx = impl_->ctx;
  http::Router& r = impl_->router;
  add_system_routes(r, ctx);
  add_session_routes(r, ctx);
  add_org_routes(r, ctx);
  add_cycle_routes(r, ctx);
  add_invitation_routes(r, ctx);
  add_participant_routes(r, ctx);
  add_report_routes(r, ctx);
}

App::~App() = default;

http::Response App::handle(http::Request& request) {
  try {
    if (const auto* site = impl_->ctx.options.site) {
      if (auto page = site->serve(request)) return std::move(*page);
    }
    return impl_->router.dispatch(request);
  } catch (const ApiError& e) {
    return http::error_response(e.status, e.code, e.message);
  } catch (const store::StoreError& e) {
    spdlog::error("request {}: database: {}", request.request_id, e.what());
    return http::error_response(503, "database_unavailable", "the database is not available; try again");
  } catch (const std::exception& e) {
    spdlog::error("request {}: {}", request.request_id, e.what());
    return http::error_response(500, "internal", "internal error; see the server log");
  }
}

std::optional<http::Response> App::handle_from_memory(http::Request& request) {
  if (request.method != "GET" && request.method != "HEAD") return std::nullopt;  // changes go to a worker
  try {
    if (const auto* site = impl_->ctx.options.site) {
      if (auto page = site->serve(request)) return page;
    }
    const store::MemoryOnlyScope memory_only;
    return impl_->router.dispatch(request);
  } catch (const store::WouldBlock&) {
    return std::nullopt;
  } catch (const ApiError& e) {
    return http::error_response(e.status, e.code, e.message);
  } catch (const std::exception&) {
    return std::nullopt;  // let the worker path answer and log it
  }
}

App::Deferred App::begin_async(http::Request& request) {
  if (request.method != "PUT") return nullptr;
  const auto path = http::split_path(request.path);
  if (path.size() != 4 || path[0] != "api" || path[1] != "r" || path[3] != "answers") return nullptr;
  return begin_saving_answers(impl_->ctx, request, path[2]);
}

std::vector<std::pair<std::string, std::string>> App::routes() const { return impl_->router.routes(); }

}  // namespace cxm::api
