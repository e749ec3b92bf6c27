// GET /api/cycles/{cycle}/events: the cycle's live state as a
// text/event-stream for signed-in members of its organization (see
// cycle_events.h). A reconnecting client sends Last-Event-ID and gets the
// state only when it changed. At most so many streams per signed-in user
// and per client address (api/stream_limits.h). Heartbeat comments, the
// limit on a slow client's backlog, the stream's lifetime and the end on
// server stop are the server's (http/).
#include "api/access.h"
#include "api/context.h"
#include "api/live_state.h"
#include "api/request_fields.h"

namespace cxm::api {

namespace {

http::StreamReply open_cycle_events(Context& ctx, const http::Request& request,
                                    const http::PathParams& params) {
  CXM_TRY(caller, require_user(ctx, request));
  CXM_TRY(cycle, require_cycle(ctx, *caller, params.at("cycle"), OrgRole::viewer));
  CXM_TRY(place, ctx.streams.admit("user:" + caller->user.id, client_block(ctx, request)));
  http::StreamReply reply;
  reply.opened = [&ctx, id = cycle->id, last = request.header("last-event-id").value_or("")](
                     std::shared_ptr<http::Stream> s) {
    ctx.events->follow(id, std::move(s), last);
  };
  // Holds the stream's place until the server drops the reply.
  reply.closed = [&ctx, id = cycle->id, place] { ctx.events->ended(id); };
  return reply;
}

}  // namespace

void add_event_routes(http::Router& router, Context& ctx) {
  router.stream("GET", "/api/cycles/{cycle}/events",
                [&ctx](const http::Request& request, const http::PathParams& params) {
                  return open_cycle_events(ctx, request, params);
                });
}

}  // namespace cxm::api
