#include "api/context.h"

#include "http/client_address.h"

namespace cxm::api {

http::Response Refusal::response() const {
  auto response = http::error_response(status, code, message);
  if (retry_after_seconds > 0)
    response.headers.emplace_back("Retry-After", std::to_string(retry_after_seconds));
  return response;
}

std::string client_block(const Context& ctx, const http::Request& request) {
  return http::address_block(http::client_address(request, ctx.options.trusted_proxies));
}

void Context::forget(const store::Change& change) {
  switch (change.kind) {
    case store::ChangeKind::session:
      sessions.erase(change.key);
      break;
    case store::ChangeKind::user:
      sessions.clear();  // cached by token, holding the user
      break;
    case store::ChangeKind::organization:
      org_rows.erase(change.key);
      break;
    case store::ChangeKind::membership:
      memberships.erase(change.key);
      break;
    case store::ChangeKind::cycle:
      cycle_rows.erase(change.key);
      if (events) events->changed(change.key);
      break;
    case store::ChangeKind::link:
      links.erase(change.key);
      break;
    case store::ChangeKind::workshop:
      // This process's own change reached its screens from the handler
      // that made it (published, or `changed` for answers and joins):
      // nothing to rebuild.
      if (change.own) break;
      if (workshop_events) workshop_events->changed(change.key);
      if (room_events) room_events->changed(change.key);
      break;
  }
}

void Context::forget_everything() {
  sessions.clear();
  links.clear();
  cycle_rows.clear();
  org_rows.clear();
  memberships.clear();
  if (events) events->changed_all();
  if (workshop_events) workshop_events->changed_all();
  if (room_events) room_events->changed_all();
}

}  // namespace cxm::api
