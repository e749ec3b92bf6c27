#include "api/access.h"

namespace cxm::api {
namespace {

// The session token's hash; 401 without a cookie.
Outcome<std::string> session_key(const http::Request& request) {
  const auto token = request.cookie("cxm_session");
  if (!token) return refuse(401, "unauthenticated", "log in first");
  return token_hash(*token);
}

// 401 when expired; 403 when a state-changing request lacks the CSRF token.
Outcome<std::shared_ptr<const Caller>> checked(Context& ctx, std::shared_ptr<const Caller> caller,
                                               const http::Request& request) {
  if (caller->session.expires_at <= ctx.now()) {
    return refuse(401, "unauthenticated", "the session has expired; log in again");
  }
  const bool safe =
      request.method == "GET" || request.method == "HEAD" || request.method == "OPTIONS";
  if (!safe) {
    const auto csrf = request.header("x-csrf-token");
    if (!csrf || !same_secret(*csrf, caller->session.csrf_token)) {
      return refuse(403, "csrf", "missing or wrong X-CSRF-Token header");
    }
  }
  return caller;
}

// The access rule, once the organization and the caller's role are known.
Check check_access(const Caller& caller, const std::optional<OrgRole>& role, OrgRole needed) {
  if (caller.user.is_admin) return std::nullopt;
  if (!role) return refuse(404, "not_found", "no such organization");
  if (*role < needed)
    return refuse(403, "forbidden", "your role in this organization does not allow this");
  return std::nullopt;
}

std::string membership_key(const Caller& caller, const std::string& org_id) {
  return caller.user.id + "|" + org_id;
}

// The same refusal about a cycle: its organization's existence is not
// revealed either.
Refusal about_cycle(Refusal refusal) {
  if (refusal.status == 404) return refuse(404, "not_found", "no such cycle");
  return refusal;
}

}  // namespace

Outcome<std::shared_ptr<const Caller>> cached_user(Context& ctx, const http::Request& request) {
  CXM_TRY(key, session_key(request));
  auto caller = ctx.sessions.get(key, ctx.now());
  if (!caller) return std::shared_ptr<const Caller>();
  return checked(ctx, std::move(caller), request);
}

Outcome<std::shared_ptr<const Caller>> require_user(Context& ctx, const http::Request& request) {
  CXM_TRY(hash, session_key(request));
  const std::int64_t now = ctx.now();
  auto caller = ctx.sessions.get(hash, now);
  if (!caller) {
    const auto session = ctx.store.find_session(hash, now);
    if (!session) return refuse(401, "unauthenticated", "the session has expired; log in again");
    auto user = ctx.store.find_user(session->user_id);
    if (!user) return refuse(401, "unauthenticated", "log in first");
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

Outcome<std::shared_ptr<const store::Organization>> require_org(Context& ctx, const Caller& caller,
                                                                const std::string& org_id,
                                                                OrgRole needed) {
  const std::int64_t now = ctx.now();
  auto org = ctx.org_rows.get(org_id, now);
  if (!org) {
    auto found = ctx.store.find_organization(org_id);
    if (!found) return refuse(404, "not_found", "no such organization");
    org = ctx.org_rows.put(org_id, std::move(*found), now);
  }
  if (caller.user.is_admin) return org;
  const std::string key = membership_key(caller, org_id);
  auto role = ctx.memberships.get(key, now);
  if (!role)
    role = ctx.memberships.put(key, ctx.store.membership_role(caller.user.id, org_id), now);
  CXM_CHECK(check_access(caller, *role, needed));
  return org;
}

Outcome<std::shared_ptr<const store::Cycle>> require_cycle(Context& ctx, const Caller& caller,
                                                           const std::string& cycle_id,
                                                           OrgRole needed) {
  auto cycle = find_cycle(ctx, cycle_id);
  if (!cycle) return refuse(404, "not_found", "no such cycle");
  const auto org = require_org(ctx, caller, cycle->org_id, needed);
  if (!org) return about_cycle(org.refusal());
  return cycle;
}

Outcome<std::shared_ptr<const store::Cycle>> cached_cycle(Context& ctx, const Caller& caller,
                                                          const std::string& cycle_id,
                                                          OrgRole needed) {
  const std::int64_t now = ctx.now();
  auto cycle = ctx.cycle_rows.get(cycle_id, now);
  if (!cycle) return std::shared_ptr<const store::Cycle>();
  if (caller.user.is_admin) return cycle;
  const auto role = ctx.memberships.get(membership_key(caller, cycle->org_id), now);
  if (!role) return std::shared_ptr<const store::Cycle>();
  if (auto refused = check_access(caller, *role, needed)) return about_cycle(*refused);
  return cycle;
}

}  // namespace cxm::api
