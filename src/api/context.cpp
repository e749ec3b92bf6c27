#include "api/context.h"

#include "model/utf8.h"
#include "policy/names.h"

namespace cxm::api {

void fail(int status, const std::string& code, const std::string& message) {
  throw ApiError(status, code, message);
}

http::Response ApiError::response() const {
  auto response = http::error_response(status, code, message);
  if (retry_after_seconds > 0) response.headers.emplace_back("Retry-After", std::to_string(retry_after_seconds));
  return response;
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

namespace {

// The session token's hash; 401 without a cookie.
std::string session_key(const http::Request& request) {
  const auto token = request.cookie("cxm_session");
  if (!token) fail(401, "unauthenticated", "log in first");
  return token_hash(*token);
}

// 401 when expired; 403 when a state-changing request lacks the CSRF token.
std::shared_ptr<const Caller> checked(Context& ctx, std::shared_ptr<const Caller> caller,
                                      const http::Request& request) {
  if (caller->session.expires_at <= ctx.now()) fail(401, "unauthenticated", "the session has expired; log in again");
  const bool safe = request.method == "GET" || request.method == "HEAD" || request.method == "OPTIONS";
  if (!safe) {
    const auto csrf = request.header("x-csrf-token");
    if (!csrf || !same_secret(*csrf, caller->session.csrf_token)) {
      fail(403, "csrf", "missing or wrong X-CSRF-Token header");
    }
  }
  return caller;
}

}  // namespace

std::shared_ptr<const Caller> cached_user(Context& ctx, const http::Request& request) {
  auto caller = ctx.sessions.get(session_key(request), ctx.now());
  return caller ? checked(ctx, std::move(caller), request) : nullptr;
}

std::shared_ptr<const Caller> require_user(Context& ctx, const http::Request& request) {
  const std::string hash = session_key(request);
  const std::int64_t now = ctx.now();
  auto caller = ctx.sessions.get(hash, now);
  if (!caller) {
    const auto session = ctx.store.find_session(hash, now);
    if (!session) fail(401, "unauthenticated", "the session has expired; log in again");
    auto user = ctx.store.find_user(session->user_id);
    if (!user) fail(401, "unauthenticated", "log in first");
    caller = ctx.sessions.put(hash, Caller{std::move(*user), *session}, now);
  }
  return checked(ctx, std::move(caller), request);
}

std::shared_ptr<const store::Cycle> find_cycle(Context& ctx, const std::string& cycle_id) {
  const std::int64_t now = ctx.now();
  if (auto cached = ctx.cycle_rows.get(cycle_id, now)) return cached;
  auto cycle = ctx.store.find_cycle(cycle_id);
  if (!cycle) return nullptr;
  return ctx.cycle_rows.put(cycle_id, std::move(*cycle), now);
}

namespace {

// The access rule, once the organization and the caller's role are known.
void check_access(const Caller& caller, const std::optional<OrgRole>& role, OrgRole needed) {
  if (caller.user.is_admin) return;
  if (!role) fail(404, "not_found", "no such organization");
  if (*role < needed) fail(403, "forbidden", "your role in this organization does not allow this");
}

std::string membership_key(const Caller& caller, const std::string& org_id) { return caller.user.id + "|" + org_id; }

}  // namespace

std::shared_ptr<const store::Organization> require_org(Context& ctx, const Caller& caller, const std::string& org_id,
                                                       OrgRole needed) {
  const std::int64_t now = ctx.now();
  auto org = ctx.org_rows.get(org_id, now);
  if (!org) {
    auto found = ctx.store.find_organization(org_id);
    if (!found) fail(404, "not_found", "no such organization");
    org = ctx.org_rows.put(org_id, std::move(*found), now);
  }
  if (caller.user.is_admin) return org;
  const std::string key = membership_key(caller, org_id);
  auto role = ctx.memberships.get(key, now);
  if (!role) role = ctx.memberships.put(key, ctx.store.membership_role(caller.user.id, org_id), now);
  check_access(caller, *role, needed);
  return org;
}

std::shared_ptr<const store::Cycle> require_cycle(Context& ctx, const Caller& caller, const std::string& cycle_id,
                                                  OrgRole needed) {
  auto cycle = find_cycle(ctx, cycle_id);
  if (!cycle) fail(404, "not_found", "no such cycle");
  try {
    require_org(ctx, caller, cycle->org_id, needed);
  } catch (const ApiError& e) {
    if (e.status == 404) fail(404, "not_found", "no such cycle");
    throw;
  }
  return cycle;
}

std::shared_ptr<const store::Cycle> cached_cycle(Context& ctx, const Caller& caller, const std::string& cycle_id,
                                                 OrgRole needed) {
  const std::int64_t now = ctx.now();
  auto cycle = ctx.cycle_rows.get(cycle_id, now);
  if (!cycle) return nullptr;
  if (caller.user.is_admin) return cycle;
  const auto role = ctx.memberships.get(membership_key(caller, cycle->org_id), now);
  if (!role) return nullptr;
  if (!*role) fail(404, "not_found", "no such cycle");
  check_access(caller, *role, needed);
  return cycle;
}

json json_body(const http::Request& request) {
  const auto type = request.header("content-type").value_or("");
  if (type.rfind("application/json", 0) != 0) {
    fail(415, "unsupported_media_type", "send the body as application/json");
  }
  if (const auto bad = model::find_invalid_utf8(request.body)) {
    fail(400, "malformed_json", "the body is not valid UTF-8 (byte " + std::to_string(*bad) + ")");
  }
  json body = json::parse(request.body, nullptr, false);
  if (body.is_discarded()) fail(400, "malformed_json", "the body is not valid JSON");
  if (!body.is_object()) fail(422, "invalid", "the body must be a JSON object");
  return body;
}

std::optional<std::string> text_field(const json& body, const std::string& name, bool required,
                                      std::size_t max_length, Text kind) {
  const auto it = body.find(name);
  if (it == body.end() || it->is_null()) {
    if (required) fail(422, "invalid", name + ": required");
    return std::nullopt;
  }
  if (!it->is_string()) fail(422, "invalid", name + ": must be a string");
  const std::string& value = it->get_ref<const std::string&>();
  if (required && value.empty()) fail(422, "invalid", name + ": must not be empty");
  if (value.size() > max_length) fail(422, "invalid", name + ": longer than " + std::to_string(max_length) + " characters");
  if (kind != Text::secret) {
    if (const auto at = policy::find_control_character(value, kind == Text::document)) {
      fail(422, "invalid", name + ": must not contain control characters (one at byte " + std::to_string(*at) + ")");
    }
  }
  return value;
}

std::optional<long> integer_field(const json& body, const std::string& name, long min, long max) {
  const auto it = body.find(name);
  if (it == body.end() || it->is_null()) return std::nullopt;
  if (!it->is_number_integer()) fail(422, "invalid", name + ": must be a whole number");
  const long value = it->is_number_unsigned() && it->get<std::uint64_t>() > static_cast<std::uint64_t>(max)
                         ? max + 1
                         : it->get<long>();
  if (value < min || value > max) {
    fail(422, "invalid", name + ": must be between " + std::to_string(min) + " and " + std::to_string(max));
  }
  return value;
}

std::optional<bool> bool_field(const json& body, const std::string& name) {
  const auto it = body.find(name);
  if (it == body.end() || it->is_null()) return std::nullopt;
  if (!it->is_boolean()) fail(422, "invalid", name + ": must be true or false");
  return it->get<bool>();
}

http::Response json_response(int status, const json& body) {
  http::Response r;
  r.status = status;
  r.body = body.dump();
  return r;
}

}  // namespace cxm::api
