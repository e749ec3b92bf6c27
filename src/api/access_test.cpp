// Each access rule is written once (api/access.h): a check from memory
// alone and the same check reading the database answer alike, and a
// deferred handler whose caches hold everything answers without leaving
// the I/O thread.
#include "api/access.h"

#include <gtest/gtest.h>

#include <chrono>
#include <future>
#include <thread>

#include "../../tests/postgres_cluster.h"
#include "../../tests/run_process.h"
#include "api/participant_link.h"
#include "model/model_parser.h"
#include "store/database_url.h"

namespace cxm::api {
namespace {

constexpr std::int64_t kStart = 1'800'000'000'000;
const std::string kLinkToken = "0123456789abcdef0123456789abcdef";

// What a check said: "pass" or "STATUS code: message"; "not in memory"
// when a check from memory could not answer.
template <class T>
std::string said(Outcome<T> checked) {
  if (!checked) {
    const Refusal& r = checked.refusal();
    return std::to_string(r.status) + " " + r.code + ": " + r.message;
  }
  return *checked ? "pass" : "not in memory";
}

http::Request request(const std::string& method, const std::string& session,
                      const std::string& csrf = "") {
  http::Request r;
  r.method = method;
  r.target = r.path = "/api/x";
  if (!session.empty()) r.headers["cookie"] = "cxm_session=" + session;
  if (!csrf.empty()) r.headers["x-csrf-token"] = csrf;
  return r;
}

// Runs deferred handlers inline, counting the moves to a worker.
struct CountingThreads : http::Threads {
  int to_worker_moves = 0;
  void to_worker(std::function<void()> fn) override {
    ++to_worker_moves;
    fn();
  }
  void to_io_thread(std::function<void()> fn) override { fn(); }
};

class Access : public ::testing::TestWithParam<std::string> {
 protected:
  cxm::testing::TempDir dir;
  std::unique_ptr<store::Store> store;
  std::int64_t now = kStart;

  void SetUp() override {
    ASSERT_TRUE(secrets::init_crypto());
    std::string error;
    const auto url =
        store::parse_database_url(cxm::testing::test_database(GetParam(), dir.path()), error);
    ASSERT_TRUE(url) << error;
    store = store::Store::open(*url);
    store->create_user(store::User{"viewer", "v@example.org", "Vera", "x", false, kStart});
    store->create_user(store::User{"stranger", "s@example.org", "Sam", "x", false, kStart});
    store->create_user(store::User{"admin", "a@example.org", "Ada", "x", true, kStart});
    store->create_organization(store::Organization{"o1", "Helios AG", "Retail", "50-249", {}},
                               store::Membership{"viewer", "o1", store::OrgRole::viewer});
    store::Cycle cycle;
    cycle.id = "c1";
    cycle.org_id = "o1";
    cycle.name = "Spring";
    cycle.status = store::CycleStatus::open;
    cycle.model_yaml = model::default_model_text();
    cycle.created_at = kStart;
    store->create_cycle(cycle);
    ASSERT_TRUE(
        store->create_participants({store::Participant{"p1", "c1", "P1", "", "", false,
                                                       std::nullopt, kStart, "", std::nullopt}},
                                   {secrets::token_hash(kLinkToken)}));
    session("viewer-session", "viewer", kStart + 3'600'000);
    session("stranger-session", "stranger", kStart + 3'600'000);
    session("admin-session", "admin", kStart + 3'600'000);
  }

  void session(const std::string& token, const std::string& user, std::int64_t expires_at) {
    store->create_session(secrets::token_hash(token),
                          store::LoginSession{user, "csrf-" + user, expires_at, kStart});
  }

  // A process's context with empty caches.
  std::unique_ptr<Context> fresh() {
    return std::make_unique<Context>(*store, AppOptions{}, [this] { return now; });
  }

  // What `check(ctx, lookup)` says from memory, once the same check read
  // the database, and what it says from the database in a process that
  // never read it before: the two must be the same.
  template <class Check>
  void expect_same_both_ways(Check check, const std::string& expected) {
    auto warm = fresh();
    static_cast<void>(check(*warm, Lookup::database));
    const std::string from_memory = said(check(*warm, Lookup::memory));
    const std::string from_database = said(check(*fresh(), Lookup::database));
    EXPECT_EQ(from_memory, expected);
    EXPECT_EQ(from_database, expected);
  }
};

TEST_P(Access, SessionRulesAreTheSameFromMemoryAndFromTheDatabase) {
  const auto user = [](const http::Request& r) {
    return [r](Context& ctx, Lookup lookup) { return require_user(ctx, r, lookup); };
  };
  expect_same_both_ways(user(request("GET", "viewer-session")), "pass");
  expect_same_both_ways(user(request("GET", "")), "401 unauthenticated: log in first");
  expect_same_both_ways(user(request("PUT", "viewer-session")),
                        "403 csrf: missing or wrong X-CSRF-Token header");
  expect_same_both_ways(user(request("PUT", "viewer-session", "csrf-admin")),
                        "403 csrf: missing or wrong X-CSRF-Token header");
  expect_same_both_ways(user(request("PUT", "viewer-session", "csrf-viewer")), "pass");
}

// A session cached while valid refuses once it has expired, as the
// database does; an unknown session cannot be told from memory.
TEST_P(Access, AnExpiredSessionIsRefusedFromMemoryAsFromTheDatabase) {
  session("short-session", "viewer", kStart + 1000);
  const auto r = request("GET", "short-session");
  auto warm = fresh();
  ASSERT_EQ(said(require_user(*warm, r, Lookup::database)), "pass");
  now = kStart + 2000;  // expired, though its cache entry lives on
  const std::string expired = "401 unauthenticated: the session has expired; log in again";
  EXPECT_EQ(said(require_user(*warm, r, Lookup::memory)), expired);
  EXPECT_EQ(said(require_user(*warm, r)), expired);
  EXPECT_EQ(said(require_user(*fresh(), r)), expired);
  EXPECT_EQ(said(require_user(*fresh(), r, Lookup::memory)), "not in memory");
  EXPECT_EQ(said(require_user(*warm, request("GET", "no-such-session"))), expired);
}

TEST_P(Access, RoleRulesAreTheSameFromMemoryAndFromTheDatabase) {
  const auto cycle = [](const std::string& session, store::OrgRole needed) {
    return [session, needed](Context& ctx, Lookup lookup) {
      auto caller = require_user(ctx, request("GET", session));
      EXPECT_TRUE(caller);
      return require_cycle(ctx, **caller, "c1", needed, lookup);
    };
  };
  const std::string forbidden = "403 forbidden: your role in this organization does not allow this";
  const std::string hidden = "404 not_found: no such cycle";
  expect_same_both_ways(cycle("viewer-session", store::OrgRole::viewer), "pass");
  // A viewer asking for a facilitator's action.
  expect_same_both_ways(cycle("viewer-session", store::OrgRole::facilitator), forbidden);
  expect_same_both_ways(cycle("viewer-session", store::OrgRole::owner), forbidden);
  // Someone outside the organization learns nothing of the cycle.
  expect_same_both_ways(cycle("stranger-session", store::OrgRole::viewer), hidden);
  // An administrator may do anything anywhere.
  expect_same_both_ways(cycle("admin-session", store::OrgRole::owner), "pass");

  const auto org = [](const std::string& session, store::OrgRole needed) {
    return [session, needed](Context& ctx, Lookup lookup) {
      auto caller = require_user(ctx, request("GET", session));
      EXPECT_TRUE(caller);
      return require_org(ctx, **caller, "o1", needed, lookup);
    };
  };
  expect_same_both_ways(org("viewer-session", store::OrgRole::viewer), "pass");
  expect_same_both_ways(org("viewer-session", store::OrgRole::facilitator), forbidden);
  expect_same_both_ways(org("stranger-session", store::OrgRole::viewer),
                        "404 not_found: no such organization");
  expect_same_both_ways(org("admin-session", store::OrgRole::owner), "pass");

  // No such cycle: the database says so; memory cannot know.
  auto ctx = fresh();
  auto caller = require_user(*ctx, request("GET", "viewer-session"));
  ASSERT_TRUE(caller);
  EXPECT_EQ(said(require_cycle(*ctx, **caller, "c2", store::OrgRole::viewer)), hidden);
  EXPECT_EQ(said(require_cycle(*ctx, **caller, "c2", store::OrgRole::viewer, Lookup::memory)),
            "not in memory");
}

TEST_P(Access, AdministratorRuleNamesWhatIsRefused) {
  auto ctx = fresh();
  auto viewer = require_user(*ctx, request("GET", "viewer-session"));
  auto admin = require_user(*ctx, request("GET", "admin-session"));
  ASSERT_TRUE(viewer && admin);
  const auto refused = require_admin(**viewer, "imports benchmark datasets");
  ASSERT_TRUE(refused);
  EXPECT_EQ(refused->status, 403);
  EXPECT_EQ(refused->code, "forbidden");
  EXPECT_EQ(refused->message, "only an administrator imports benchmark datasets");
  EXPECT_FALSE(require_admin(**admin, "imports benchmark datasets"));
}

// A link's token shape and existence are judged alike from memory and
// from the database; a revoked link resolves either way (the write
// refuses it, store::LinkRefusal::revoked), whether this process's copy
// knows of the revocation or not.
TEST_P(Access, LinkRulesAreTheSameFromMemoryAndFromTheDatabase) {
  const auto link = [](const std::string& token) {
    return [token](Context& ctx, Lookup lookup) { return resolve(ctx, token, lookup); };
  };
  const std::string invalid =
      "404 not_found: this link is not valid; ask your facilitator for a new one";
  expect_same_both_ways(link(kLinkToken), "pass");
  expect_same_both_ways(link("short"), invalid);
  expect_same_both_ways(link(kLinkToken + "0"), invalid);
  EXPECT_EQ(said(resolve(*fresh(), "fedcba9876543210fedcba9876543210")), invalid);
  EXPECT_EQ(said(resolve(*fresh(), "fedcba9876543210fedcba9876543210", Lookup::memory)),
            "not in memory");

  auto warm = fresh();
  ASSERT_EQ(said(resolve(*warm, kLinkToken)), "pass");
  ASSERT_EQ(store->revoke_participant("p1"), store::RevokeOutcome::revoked);
  auto cached = resolve(*warm, kLinkToken, Lookup::memory);
  auto read = resolve(*fresh(), kLinkToken);
  ASSERT_TRUE(cached && read);
  EXPECT_EQ(cached->participant->id, read->participant->id);
  EXPECT_EQ(cached->cycle->id, read->cycle->id);
  EXPECT_TRUE(read->participant->revoked || read->participant->link_closed);
}

// The hot paths: once its caches hold the caller, the cycle and the report
// (or the link), a deferred handler answers without moving to a worker;
// with cold caches it moves once, and answers the same.
class DeferredAccess : public Access {
 protected:
  // Runs the route `method path` of `app` to its response, counting moves.
  http::Response run(App& app, http::Request r, int& moves) {
    r.path = r.path.empty() ? r.target : r.path;
    const auto match = app.router().match(r);
    EXPECT_EQ(match.runs_on, http::RunsOn::deferred) << r.method << " " << r.path;
    CountingThreads threads;
    http::Exchange exchange(r, match.params, threads);
    std::promise<http::Response> done;
    app.router().start(match, exchange,
                       [&](http::Response response) { done.set_value(std::move(response)); });
    auto response = done.get_future().get();
    moves = threads.to_worker_moves;
    return response;
  }

  // The same once the caches hold what it needs: run again until a run
  // stays on the I/O thread (another process's change, announced by the
  // store's change feed, may empty a cache meanwhile; here only the
  // set-up's own changes, heard late). `moves` of the last run.
  http::Response run_warm(App& app, const http::Request& r, int& moves) {
    http::Response response;
    for (int i = 0; i < 100; ++i) {
      response = run(app, r, moves);
      if (moves == 0) break;
      std::this_thread::sleep_for(std::chrono::milliseconds(20));
    }
    return response;
  }
};

TEST_P(DeferredAccess, AReportReadFromMemoryStaysOnTheIoThread) {
  App app(*store, AppOptions{}, [this] { return now; });
  auto r = request("GET", "viewer-session");
  r.target = r.path = "/api/cycles/c1/report";
  int moves = -1;
  const auto first = run(app, r, moves);
  EXPECT_EQ(first.status, 200) << first.body;
  EXPECT_GE(moves, 1);
  const auto second = run_warm(app, r, moves);
  EXPECT_EQ(second.status, 200);
  EXPECT_EQ(moves, 0);
  const auto body = [](const http::Response& x) { return x.shared_body ? *x.shared_body : x.body; };
  EXPECT_EQ(body(second), body(first));

  // A stranger is refused from memory as from the database.
  auto stranger = request("GET", "stranger-session");
  stranger.target = stranger.path = r.path;
  const auto cold = run(app, stranger, moves);
  EXPECT_EQ(cold.status, 404);
  const auto warm = run_warm(app, stranger, moves);
  EXPECT_EQ(moves, 0);
  EXPECT_EQ(warm.status, 404);
  EXPECT_EQ(warm.body, cold.body);
}

TEST_P(DeferredAccess, AnAnswerFromMemoryStaysOnTheIoThreadUntilTheWrite) {
  App app(*store, AppOptions{}, [this] { return now; });
  const std::string secret = "00112233445566778899aabbccddeeff";
  ASSERT_EQ(store->claim_link("p1", secrets::token_hash(secret), "resume"),
            store::ClaimOutcome::claimed);
  http::Request r;
  r.method = "PUT";
  r.target = r.path = "/api/r/" + kLinkToken + "/answers";
  r.headers["content-type"] = "application/json";
  r.headers["cookie"] = "cxm_claim=" + secret;
  r.body = R"({"answers":{"LS3":4}})";
  int moves = -1;
  const auto first = run(app, r, moves);
  EXPECT_EQ(first.status, 200) << first.body;
  EXPECT_EQ(moves, 1);
  const auto second = run_warm(app, r, moves);
  EXPECT_EQ(second.status, 200) << second.body;
  EXPECT_EQ(moves, 0);
  EXPECT_EQ(second.body, first.body);
}

INSTANTIATE_TEST_SUITE_P(Databases, Access, ::testing::Values("sqlite", "postgresql"),
                         [](const auto& info) { return info.param; });
INSTANTIATE_TEST_SUITE_P(Databases, DeferredAccess, ::testing::Values("sqlite", "postgresql"),
                         [](const auto& info) { return info.param; });

}  // namespace
}  // namespace cxm::api
