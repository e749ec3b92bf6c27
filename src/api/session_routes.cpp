// /api/setup (the first admin) and /api/session (log in, who am I, log out).
#include "api/context.h"

namespace cxm::api {
namespace {

constexpr std::int64_t kSessionMillis = 12LL * 60 * 60 * 1000;  // 12 hours

json user_json(const store::User& user) {
  return {{"id", user.id}, {"email", user.email}, {"name", user.name}, {"is_admin", user.is_admin}};
}

std::string cookie(Context& ctx, const std::string& value, std::int64_t max_age_seconds) {
  return "cxm_session=" + value + "; Path=/; HttpOnly; SameSite=Strict; Max-Age=" + std::to_string(max_age_seconds) +
         (ctx.options.secure_cookies ? "; Secure" : "");
}

// Starts a session: the token goes to the cookie, only its hash to the database.
http::Response start_session(Context& ctx, const store::User& user, int status) {
  const std::string token = random_hex();
  const std::int64_t now = ctx.now();
  store::LoginSession session{user.id, random_hex(), now + kSessionMillis, now};
  ctx.store.create_session(token_hash(token), session);
  auto response = json_response(status, {{"user", user_json(user)}, {"csrf_token", session.csrf_token}});
  response.headers.emplace_back("Set-Cookie", cookie(ctx, token, kSessionMillis / 1000));
  return response;
}

std::string normalized_email(const json& body) {
  std::string email = *text_field(body, "email", true, 254);
  for (auto& c : email) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  const auto at = email.find('@');
  if (at == std::string::npos || at == 0 || at + 1 == email.size() || email.find(' ') != std::string::npos) {
    fail(422, "invalid", "email: not an e-mail address");
  }
  return email;
}

http::Response setup_needed(Context& ctx, const http::Request&, const http::PathParams&) {
  return json_response(200, {{"needed", ctx.store.user_count() == 0}});
}

http::Response set_up(Context& ctx, const http::Request& request, const http::PathParams&) {
  const json body = json_body(request);
  const std::string email = normalized_email(body);
  const std::string name = *text_field(body, "name", true);
  const std::string password = *text_field(body, "password", true, 1024);
  if (password.size() < 10) fail(422, "invalid", "password: at least 10 characters");
  if (ctx.store.user_count() > 0) fail(409, "already_set_up", "cxm is already set up; log in instead");
  store::User admin{new_id(), email, name, secrets::hash_password(password), true, ctx.now()};
  if (!ctx.store.create_first_admin(admin)) fail(409, "already_set_up", "cxm is already set up; log in instead");
  ctx.store.audit(admin.id, "", "setup", email, ctx.now());
  return start_session(ctx, admin, 201);
}

http::Response log_in(Context& ctx, const http::Request& request, const http::PathParams&) {
  const json body = json_body(request);
  const std::string email = normalized_email(body);
  const std::string password = *text_field(body, "password", true, 1024);
  const std::int64_t now = ctx.now();
  const std::string account_key = "account:" + email;
  const std::string address_key = "address:" + request.remote_address;
  if (ctx.limiter.blocked(account_key, now) || ctx.limiter.blocked(address_key, now)) {
    fail(429, "too_many_attempts", "too many failed log-ins; wait 15 minutes and try again");
  }
  const auto user = ctx.store.find_user_by_email(email);
  if (!user || !secrets::verify_password(user->password_hash, password)) {
    ctx.limiter.failed(account_key, now);
    ctx.limiter.failed(address_key, now);
    fail(401, "bad_credentials", "wrong e-mail or password");
  }
  ctx.limiter.succeeded(account_key);
  return start_session(ctx, *user, 200);
}

http::Response who_am_i(Context& ctx, const http::Request& request, const http::PathParams&) {
  const auto caller = require_user(ctx, request);
  return json_response(200, {{"user", user_json(caller->user)}, {"csrf_token", caller->session.csrf_token}});
}

http::Response log_out(Context& ctx, const http::Request& request, const http::PathParams&) {
  require_user(ctx, request);
  const std::string hash = token_hash(*request.cookie("cxm_session"));
  ctx.store.delete_session(hash);
  ctx.sessions.erase(hash);
  http::Response response;
  response.status = 204;
  response.headers.emplace_back("Set-Cookie", cookie(ctx, "", 0));
  return response;
}

}  // namespace

void add_session_routes(http::Router& router, Context& ctx) {
  router.on_worker("GET", "/api/setup", bind(ctx, setup_needed));
  router.on_worker("POST", "/api/setup", bind(ctx, set_up));
  router.on_worker("POST", "/api/session", bind(ctx, log_in));
  router.on_worker("GET", "/api/session", bind(ctx, who_am_i));
  router.on_worker("DELETE", "/api/session", bind(ctx, log_out));
}

}  // namespace cxm::api
