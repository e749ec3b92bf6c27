#include "api/access.h"

namespace cxm::api {
namespace {

// The session token's hash; 401 without a cookie.
Outcome<std::string> session_key(const http::Request& request) {
  const auto token = request.cookie("cxm_session");
  if (!token) return refuse(401, "unauthenticated", "log in first");
  return token_hash(*token);
}

Refusal session_expired() {
  return refuse(401, "unauthenticated", "the session has expired; log in again");
}

// The session of `hash` with its user, from the database: 401 when the
// session is unknown or expired, or its user is gone.
Outcome<Caller> load_caller(Context& ctx, const std::string& hash, std::int64_t now) {
  auto session = ctx.store.find_session(hash, now);
  if (!session) return session_expired();
  auto user = ctx.store.find_user(session->user_id);
  if (!user) return refuse(401, "unauthenticated", "log in first");
  return Caller{std::move(*user), std::move(*session)};
}

// 401 when expired; 403 when a state-changing request lacks the CSRF token.
Check session_rules(const Caller& caller, const http::Request& request, std::int64_t now) {
  if (caller.session.expires_at <= now) return session_expired();
  const bool safe =
      request.method == "GET" || request.method == "HEAD" || request.method == "OPTIONS";
  if (!safe) {
    const auto csrf = request.header("x-csrf-token");
    if (!csrf || !same_secret(*csrf, caller.session.csrf_token)) {
      return refuse(403, "csrf", "missing or wrong X-CSRF-Token header");
    }
  }
  return std::nullopt;
}

// The access rule, once the caller's role in the organization is known
// (nullopt: none).
Check role_rules(const std::optional<OrgRole>& role, OrgRole needed) {
  if (!role) return refuse(404, "not_found", "no such organization");
  if (*role < needed)
    return refuse(403, "forbidden", "your role in this organization does not allow this");
  return std::nullopt;
}

// The same refusal about a cycle: its organization's existence is not
// revealed either.
Refusal about_cycle(Refusal refusal) {
  if (refusal.status == 404) return refuse(404, "not_found", "no such cycle");
  return refusal;
}

}  // namespace

Outcome<std::shared_ptr<const Caller>> require_user(Context& ctx, const http::Request& request,
                                                    Lookup lookup) {
  CXM_TRY(hash, session_key(request));
  const std::int64_t now = ctx.now();
  auto caller = ctx.sessions.get(hash, now);
  if (!caller) {
    if (lookup == Lookup::memory) return std::shared_ptr<const Caller>();
    CXM_TRY(loaded, load_caller(ctx, hash, now));
    caller = ctx.sessions.put(hash, std::move(loaded), now);
  }
  CXM_CHECK(session_rules(*caller, request, now));
  return caller;
}

Check require_admin(const Caller& caller, const std::string& what) {
  if (caller.user.is_admin) return std::nullopt;
  return refuse(403, "forbidden", "only an administrator " + what);
}

Found<store::Cycle> cycle_row(Context& ctx, const std::string& cycle_id, Lookup lookup) {
  return look_up(ctx.cycle_rows, cycle_id, ctx.now(), lookup,
                 [&] { return ctx.store.find_cycle(cycle_id); });
}

Outcome<std::shared_ptr<const store::Organization>> require_org(Context& ctx, const Caller& caller,
                                                                const std::string& org_id,
                                                                OrgRole needed, Lookup lookup) {
  using Org = std::shared_ptr<const store::Organization>;
  const std::int64_t now = ctx.now();
  const auto org = look_up(ctx.org_rows, org_id, now, lookup,
                           [&] { return ctx.store.find_organization(org_id); });
  if (org.missed) return Org();
  if (!org.row) return refuse(404, "not_found", "no such organization");
  if (caller.user.is_admin) return org.row;
  const auto role = look_up(ctx.memberships, caller.user.id + "|" + org_id, now, lookup, [&] {
    // Known either way: a member's role, or none.
    return std::optional<std::optional<OrgRole>>(ctx.store.membership_role(caller.user.id, org_id));
  });
  if (role.missed) return Org();
  CXM_CHECK(role_rules(*role.row, needed));
  return org.row;
}

Outcome<std::shared_ptr<const store::Cycle>> require_cycle(Context& ctx, const Caller& caller,
                                                           const std::string& cycle_id,
                                                           OrgRole needed, Lookup lookup) {
  using CyclePtr = std::shared_ptr<const store::Cycle>;
  const auto cycle = cycle_row(ctx, cycle_id, lookup);
  if (cycle.missed) return CyclePtr();
  if (!cycle.row) return refuse(404, "not_found", "no such cycle");
  auto org = require_org(ctx, caller, cycle.row->org_id, needed, lookup);
  if (!org) return about_cycle(org.refusal());
  if (not_in_memory(org)) return CyclePtr();
  return cycle.row;
}

}  // namespace cxm::api
