// Internal to src/api: what handlers share (store, clock, caches) and the
// helpers every resource uses to read JSON, check access and answer.
#pragma once

#include <nlohmann/json.hpp>

#include <functional>
#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <string>

#include "api/app.h"
#include "api/auth.h"
#include "api/ttl_cache.h"
#include "core/model.h"
#include "http/message.h"
#include "http/router.h"
#include "store/store.h"

namespace cxm::api {

using nlohmann::json;

// Thrown by handlers, turned into {"error":{code,message}} by App::handle.
struct ApiError {
  int status;
  std::string code;
  std::string message;
};
[[noreturn]] void fail(int status, const std::string& code, const std::string& message);

// Cached per-cycle data: the parsed model snapshot (immutable) and report
// JSON per filter, valid while the cycle's answers_version is unchanged.
// The version is read with the cycle row (cached for a second, and evicted
// at once by this process's own submissions), so answers submitted through
// another process sharing the database show within that second.
class CycleCache {
 public:
  // The cycle's model, parsed once per process from its snapshot.
  std::shared_ptr<const core::Model> model(const store::Cycle& cycle, store::Store& store);
  std::shared_ptr<const std::string> report(const store::Cycle& cycle, const std::string& filter);
  std::shared_ptr<const std::string> put_report(const store::Cycle& cycle, const std::string& filter, std::string json);

 private:
  std::mutex mutex_;
  std::map<std::string, std::shared_ptr<const core::Model>> models_;
  std::map<std::pair<std::string, std::string>, std::pair<std::int64_t, std::shared_ptr<const std::string>>> reports_;
};

// The signed-in user behind a request.
struct Caller {
  store::User user;
  store::LoginSession session;
};

struct Context {
  Context(store::Store& s, AppOptions o, std::function<std::int64_t()> clock)
      : store(s), options(o), now(std::move(clock)) {}
  store::Store& store;
  AppOptions options;
  std::function<std::int64_t()> now;
  LoginLimiter limiter{5, std::chrono::minutes(15)};
  CycleCache cycles;
  // Short-lived copies of what nearly every request reads (see ttl_cache.h);
  // the rules that must hold exactly are checked again inside the writes.
  TtlCache<Caller> sessions{2000};            // by session token hash
  // Links live longer: a participant saves an answer every few seconds, and
  // every rule that matters (submitted, revoked, cycle open) is checked again
  // inside the write; this process evicts its copy on submit and revoke.
  TtlCache<store::Participant> links{30000};  // by participant token hash
  TtlCache<store::Cycle> cycle_rows{1000};    // by cycle id
  TtlCache<store::Organization> org_rows{1000};             // by organization id
  TtlCache<std::optional<std::string>> memberships{1000};  // role by "user|org"
};

// The cycle row, from the short-lived cache or the database; nullptr when
// there is none.
std::shared_ptr<const store::Cycle> find_cycle(Context& ctx, const std::string& cycle_id);

// 401 without a valid session cookie; 403 when a state-changing request
// lacks the session's CSRF token in X-CSRF-Token.
std::shared_ptr<const Caller> require_user(Context& ctx, const http::Request& request);

// Roles in an organization, weakest first.
enum class OrgRole { viewer, facilitator, owner };
// 404 when the caller has no access to the organization (its existence is
// not revealed); 403 when their role is below `needed`. Admins pass.
std::shared_ptr<const store::Organization> require_org(Context& ctx, const Caller& caller, const std::string& org_id, OrgRole needed);
// The same for the organization owning a cycle.
std::shared_ptr<const store::Cycle> require_cycle(Context& ctx, const Caller& caller, const std::string& cycle_id, OrgRole needed);

// The request body as a JSON object: 415 unless Content-Type is JSON, 400
// when malformed, 422 when not an object.
json json_body(const http::Request& request);

// Field readers: 422 naming the field when missing (if required), of the
// wrong type, or out of bounds.
std::optional<std::string> text_field(const json& body, const std::string& name, bool required,
                                      std::size_t max_length = 200);
std::optional<long> integer_field(const json& body, const std::string& name, long min, long max);
std::optional<bool> bool_field(const json& body, const std::string& name);

http::Response json_response(int status, const json& body);

// Route registration, one function per resource file.
void add_system_routes(http::Router& router, Context& ctx);
void add_session_routes(http::Router& router, Context& ctx);
void add_org_routes(http::Router& router, Context& ctx);
void add_cycle_routes(http::Router& router, Context& ctx);
void add_invitation_routes(http::Router& router, Context& ctx);
void add_participant_routes(http::Router& router, Context& ctx);
void add_report_routes(http::Router& router, Context& ctx);

// PUT /api/r/{token}/answers without a thread: when the batch can be checked
// from memory, a Deferred that queues the write and responds after the
// commit; nullptr when the regular route must handle it.
App::Deferred begin_saving_answers(Context& ctx, const http::Request& request, const std::string& token);

json cycle_json(Context& ctx, const store::Cycle& cycle);

}  // namespace cxm::api
