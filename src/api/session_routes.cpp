// /api/setup (the first admin) and /api/session (log in, who am I, log out).
#include "api/access.h"
#include "api/context.h"
#include "api/request_fields.h"
#include "http/client_address.h"
#include "policy/password_policy.h"

namespace cxm::api {
namespace {

constexpr std::int64_t kSessionMillis = 12LL * 60 * 60 * 1000;  // 12 hours

json user_json(const store::User& user) {
  return {{"id", user.id}, {"email", user.email}, {"name", user.name}, {"is_admin", user.is_admin}};
}

// The languages of the application's pages a user may choose; "" follows
// the browser.
bool is_user_language(const std::string& lang) {
  return lang.empty() || lang == "en" || lang == "de";
}

// What a session answers: who is signed in, the CSRF token and the user's
// language for the pages (an unknown stored value reads as the browser's).
json session_json(const store::User& user, const std::string& csrf_token) {
  return {{"user", user_json(user)},
          {"csrf_token", csrf_token},
          {"lang", is_user_language(user.lang) ? user.lang : std::string()}};
}

// The session cookie; Secure when cxm is configured so, or when a trusted
// proxy says the client came over HTTPS.
std::string cookie(Context& ctx, const http::Request& request, const std::string& value,
                   std::int64_t max_age_seconds) {
  const bool secure =
      ctx.options.secure_cookies || http::forwarded_https(request, ctx.options.trusted_proxies);
  return "cxm_session=" + value +
         "; Path=/; HttpOnly; SameSite=Strict; Max-Age=" + std::to_string(max_age_seconds) +
         (secure ? "; Secure" : "");
}

// Starts a session: the token goes to the cookie, only its hash to the database.
http::Response start_session(Context& ctx, const http::Request& request, const store::User& user,
                             int status) {
  const std::string token = random_hex();
  const std::int64_t now = ctx.now();
  store::LoginSession session{user.id, random_hex(), now + kSessionMillis, now};
  ctx.store.create_session(token_hash(token), session);
  auto response = json_response(status, session_json(user, session.csrf_token));
  response.headers.emplace_back("Set-Cookie", cookie(ctx, request, token, kSessionMillis / 1000));
  return response;
}

// A new password: 422 naming the field unless policy/password_policy.h
// accepts it.
Outcome<std::string> new_password(const json& body, const std::string& field,
                                  const std::string& email, const std::string& name) {
  CXM_TRY(password, required_text(body, field, 1024, Text::secret));
  if (const auto problem = policy::password_problem(password, email, name)) {
    return refuse(422, "invalid", field + ": " + *problem);
  }
  return password;
}

// Counts a log-in attempt before any password is checked: 429 with
// Retry-After while the account, the client's address or the instance must wait.
Check admit_attempt(Context& ctx, const http::Request& request, const std::string& email) {
  const std::int64_t wait = ctx.guesses.admit_login(email, client_block(ctx, request), ctx.now());
  if (wait <= 0) return std::nullopt;
  return too_many("failed log-ins", wait);
}

// Whether `password` is the user's; the same work when there is no such
// user, so that the time taken does not tell which e-mail addresses exist.
bool password_matches(const std::optional<store::User>& user, const std::string& password) {
  static const std::string no_such_user = secrets::hash_password(random_hex());
  if (!user) {
    secrets::verify_password(no_such_user, password);
    return false;
  }
  return secrets::verify_password(user->password_hash, password);
}

Outcome<std::string> normalized_email(const json& body) {
  CXM_TRY(typed, required_text(body, "email", 254));
  std::string email = std::move(typed);
  for (auto& c : email) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  const auto at = email.find('@');
  if (at == std::string::npos || at == 0 || at + 1 == email.size() ||
      email.find(' ') != std::string::npos) {
    return refuse(422, "invalid", "email: not an e-mail address");
  }
  return email;
}

http::Response setup_needed(Context& ctx, const http::Request&, const http::PathParams&) {
  return json_response(200, {{"needed", ctx.store.user_count() == 0}});
}

http::Response set_up(Context& ctx, const http::Request& request, const http::PathParams&) {
  CXM_TRY(body, json_body(request));
  CXM_TRY(email, normalized_email(body));
  CXM_TRY(name, required_text(body, "name"));
  CXM_TRY(password, new_password(body, "password", email, name));
  if (ctx.store.user_count() > 0)
    return refuse(409, "already_set_up", "cxm is already set up; log in instead");
  store::User admin{new_id(), email, name, secrets::hash_password(password), true, ctx.now()};
  if (!ctx.store.create_first_admin(admin,
                                    store::AuditEntry{admin.id, "", "setup", email, ctx.now()})) {
    return refuse(409, "already_set_up", "cxm is already set up; log in instead");
  }
  return start_session(ctx, request, admin, 201);
}

http::Response log_in(Context& ctx, const http::Request& request, const http::PathParams&) {
  CXM_TRY(body, json_body(request));
  CXM_TRY(email, normalized_email(body));
  CXM_TRY(password, required_text(body, "password", 1024, Text::secret));
  CXM_CHECK(admit_attempt(ctx, request, email));
  const auto user = ctx.store.find_user_by_email(email);
  if (!password_matches(user, password))
    return refuse(401, "bad_credentials", "wrong e-mail or password");
  ctx.guesses.login_succeeded(email, client_block(ctx, request));
  return start_session(ctx, request, *user, 200);
}

// A new password for the signed-in user, who gives the current one (checked
// under the log-in limits). Every session of the user ends; this request
// gets a new one.
http::Response change_password(Context& ctx, const http::Request& request,
                               const http::PathParams&) {
  CXM_TRY(caller, require_user(ctx, request));
  CXM_TRY(body, json_body(request));
  CXM_TRY(current, required_text(body, "current_password", 1024, Text::secret));
  CXM_TRY(password, new_password(body, "new_password", caller->user.email, caller->user.name));
  CXM_CHECK(admit_attempt(ctx, request, caller->user.email));
  const auto user = ctx.store.find_user(caller->user.id);
  if (!password_matches(user, current))
    return refuse(403, "bad_credentials", "current_password: wrong password");
  ctx.guesses.login_succeeded(user->email, client_block(ctx, request));
  ctx.store.set_password_hash(
      user->id, secrets::hash_password(password),
      store::AuditEntry{user->id, "", "password.change", user->email, ctx.now()});
  ctx.sessions.clear();
  return start_session(ctx, request, *user, 200);
}

http::Response who_am_i(Context& ctx, const http::Request& request, const http::PathParams&) {
  CXM_TRY(caller, require_user(ctx, request));
  return json_response(200, session_json(caller->user, caller->session.csrf_token));
}

// The signed-in user's language for the application's pages: {"lang":
// "en"}, "de", or "" to follow the browser; 422 for anything else.
http::Response set_language(Context& ctx, const http::Request& request, const http::PathParams&) {
  CXM_TRY(caller, require_user(ctx, request));
  CXM_TRY(body, json_body(request));
  if (!body.is_object() || !body.contains("lang") || !body["lang"].is_string())
    return refuse(422, "invalid", "lang: required, one of \"en\", \"de\" or \"\" (the browser's)");
  const std::string lang = body["lang"].get<std::string>();
  if (!is_user_language(lang))
    return refuse(422, "invalid",
                  "lang: not a language of cxm's pages; choose \"en\", \"de\" or \"\"");
  ctx.store.set_user_lang(caller->user.id, lang);
  // Sessions are cached by token, each holding its user and so the
  // language: this user's are read again (not everyone's).
  const std::string user_id = caller->user.id;
  ctx.sessions.erase_if([&](const Caller& cached) { return cached.user.id == user_id; });
  return json_response(200, {{"lang", lang}});
}

http::Response log_out(Context& ctx, const http::Request& request, const http::PathParams&) {
  CXM_TRY(checked_, require_user(ctx, request));
  const std::string hash = token_hash(*request.cookie("cxm_session"));
  ctx.store.delete_session(hash);
  ctx.sessions.erase(hash);
  http::Response response;
  response.status = 204;
  response.headers.emplace_back("Set-Cookie", cookie(ctx, request, "", 0));
  return response;
}

}  // namespace

void add_session_routes(http::Router& router, Context& ctx) {
  router.on_worker("GET", "/api/setup", bind(ctx, setup_needed));
  router.on_worker("POST", "/api/setup", bind(ctx, set_up));
  router.on_worker("POST", "/api/session", bind(ctx, log_in));
  router.on_worker("GET", "/api/session", bind(ctx, who_am_i));
  router.on_worker("DELETE", "/api/session", bind(ctx, log_out));
  router.on_worker("PUT", "/api/session/password", bind(ctx, change_password));
  router.on_worker("PUT", "/api/session/language", bind(ctx, set_language));
}

}  // namespace cxm::api
