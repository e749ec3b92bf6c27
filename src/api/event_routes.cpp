// GET /api/cycles/{cycle}/events: the cycle's live state as a
// text/event-stream for signed-in members of its organization (see
// cycle_events.h). A reconnecting client sends Last-Event-ID and gets the
// state only when it changed. Heartbeat comments, the limit on a slow
// client's backlog and the end on server stop are the server's (http/).
#include "api/access.h"
#include "api/context.h"
#include "api/live_state.h"
#include "api/request_fields.h"

namespace cxm::api {

namespace {

http::StreamReply open_events(Context& ctx, const http::Request& request,
                              const http::PathParams& params) {
  CXM_TRY(caller, require_user(ctx, request));
  CXM_TRY(cycle, require_cycle(ctx, *caller, params.at("cycle"), OrgRole::viewer));
  http::StreamReply reply;
  reply.opened = [&ctx, id = cycle->id, last = request.header("last-event-id").value_or("")](
                     std::shared_ptr<http::Stream> s) {
    ctx.events->follow(id, std::move(s), last);
  };
  reply.closed = [&ctx, id = cycle->id] { ctx.events->ended(id); };
  return reply;
}

}  // namespace

void add_event_routes(http::Router& router, Context& ctx) {
  router.stream("GET", "/api/cycles/{cycle}/events",
                [&ctx](const http::Request& request, const http::PathParams& params) {
                  return open_events(ctx, request, params);
                });
}

}  // namespace cxm::api
