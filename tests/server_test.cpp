// The real `cxm serve` over HTTP on SQLite and PostgreSQL: the whole flow,
// access control on every route, bad input, durability across kill -9,
// graceful shutdown.
#include <gtest/gtest.h>
#include <signal.h>
#include <sys/resource.h>

#include <algorithm>
#include <atomic>
#include <fstream>
#include <iostream>
#include <map>
#include <mutex>
#include <nlohmann/json.hpp>
#include <set>
#include <sstream>
#include <thread>
#include <tuple>

#include "server_fixture.h"

namespace cxm::testing {
namespace {

using nlohmann::json;

TEST_P(ServerTest, HealthAndOpenApi) {
  const auto health = server->request("GET", "/api/health");
  EXPECT_EQ(health.status, 200);
  EXPECT_EQ(body_of(health), json({{"status", "ok"}}));
  const auto doc = body_of(server->request("GET", "/api/openapi.json"));
  EXPECT_EQ(doc["openapi"], "3.0.3");
  EXPECT_TRUE(doc["paths"].contains("/api/r/{token}/answers"));
  const auto home = server->request("GET", "/");
  EXPECT_EQ(home.status, 200);
  EXPECT_EQ(home.headers.at("content-type"), "text/html; charset=utf-8");
}

// The test reads only the first line of the server's stdout: a server that
// logged each request there would fill the pipe and hang after a few hundred.
TEST_P(ServerTest, ManyRequestsDoNotBlockOnLogging) {
  for (int i = 0; i < 3000; ++i) ASSERT_EQ(server->request("GET", "/api/nothing").status, 404) << i;
}

TEST_P(ServerTest, SetupOnlyOnce) {
  EXPECT_FALSE(body_of(server->request("GET", "/api/setup"))["needed"].get<bool>());
  Client other(*server);
  EXPECT_EQ(other.setup("other@example.org", "another long password"), 409);
}

TEST_P(ServerTest, WholeFlowFromSetupToReport) {
  const std::string org = create_org(admin, "Acme");
  const std::string cycle = create_open_cycle(admin, org, false);
  const auto execs = invite(admin, cycle, 3, "executive");
  const auto front = invite(admin, cycle, 2, "frontline");

  // A participant answers part, leaves, comes back to the same place.
  const auto first = put_answers(execs[0], {{"LS2b", 4}, {"LS3", nullptr}});
  ASSERT_EQ(first.status, 200) << first.body;
  const auto resumed = body_of(server->request("GET", "/api/r/" + execs[0]));
  EXPECT_EQ(resumed["answers"]["LS2b"], 4);
  EXPECT_TRUE(resumed["answers"]["LS3"].is_null());
  EXPECT_EQ(resumed["progress"]["answered"], 2);
  EXPECT_EQ(resumed["items"].size(), 49u);
  // Participants see the title (none set: a neutral one), never the internal name.
  EXPECT_NE(resumed["cycle"]["name"], "Spring");
  EXPECT_NE(resumed["cycle"]["title"].get<std::string>().find("customer-experience assessment"),
            std::string::npos);

  for (const auto& token : execs) {
    ASSERT_EQ(put_answers(token, {{"LS2b", 5}, {"LS3", 4}, {"GO2", 4}}).status, 200);
    ASSERT_EQ(server->request("POST", "/api/r/" + token + "/submit").status, 200);
  }
  for (const auto& token : front) {
    ASSERT_EQ(put_answers(token, {{"LS2b", 2}, {"LS3", 1}, {"GO2", 3}}).status, 200);
    ASSERT_EQ(server->request("POST", "/api/r/" + token + "/submit").status, 200);
  }
  // Retried submit: same success. Changing answers after it: refused.
  EXPECT_EQ(server->request("POST", "/api/r/" + execs[0] + "/submit").status, 200);
  EXPECT_EQ(put_answers(execs[0], {{"LS2b", 1}}).status, 409);

  const auto counts = body_of(admin.get("/api/cycles/" + cycle + "/responses"));
  EXPECT_EQ(counts["total"]["submitted"], 5);

  const auto report = body_of(admin.get("/api/cycles/" + cycle + "/report"));
  EXPECT_EQ(report["schema"], "cxm.score/1");
  EXPECT_EQ(report["respondents"], 5);
  const auto& ls2 = report["items"][0];
  EXPECT_EQ(ls2["id"], "LS2b");
  EXPECT_EQ(ls2["n"], 5);
  EXPECT_DOUBLE_EQ(ls2["mean"].get<double>(), (3 * 5 + 2 * 2) / 5.0);
  // Segments: executives shown, frontline (2 < 3) suppressed.
  const auto execs_only = body_of(admin.get("/api/cycles/" + cycle + "/report?role=executive"));
  EXPECT_EQ(execs_only["respondents"], 3);
  const auto front_only = body_of(admin.get("/api/cycles/" + cycle + "/report?role=frontline"));
  EXPECT_TRUE(front_only["suppressed"].get<bool>());
  EXPECT_FALSE(front_only.contains("items"));

  // Closing refuses further answers.
  EXPECT_EQ(admin.send("POST", "/api/cycles/" + cycle + "/close").status, 200);
  EXPECT_EQ(put_answers(front[0], {{"LS2b", 1}}).status, 409);
}

TEST_P(ServerTest, ReportFollowsNewAnswers) {
  const std::string org = create_org(admin, "Acme");
  const std::string cycle = create_open_cycle(admin, org, false);
  const auto tokens = invite(admin, cycle, 4, "manager");
  for (int i = 0; i < 3; ++i) {
    put_answers(tokens[static_cast<std::size_t>(i)], {{"LS2b", 5}});
    server->request("POST", "/api/r/" + tokens[static_cast<std::size_t>(i)] + "/submit");
  }
  EXPECT_EQ(body_of(admin.get("/api/cycles/" + cycle + "/report"))["respondents"], 3);
  put_answers(tokens[3], {{"LS2b", 1}});
  server->request("POST", "/api/r/" + tokens[3] + "/submit");
  EXPECT_EQ(body_of(admin.get("/api/cycles/" + cycle + "/report"))["respondents"],
            4);  // cache dropped
}

// Every route, called anonymously and by a user of another organization.
TEST_P(ServerTest, EveryRouteRefusesStrangers) {
  const std::string org = create_org(admin, "Acme");
  const std::string cycle = create_open_cycle(admin, org);
  const auto tokens = invite(admin, cycle, 1, "executive");
  const std::string participant =
      body_of(admin.get("/api/cycles/" + cycle + "/invitations"))["invitations"][0]["id"];
  const auto added_action = admin.send("POST", "/api/orgs/" + org + "/actions",
                                       R"({"title":"Call ten customers","due":"2026-06-30"})");
  ASSERT_EQ(added_action.status, 201) << added_action.body;
  const std::string action = body_of(added_action)["id"];
  const auto workshop_started = admin.send("POST", "/api/cycles/" + cycle + "/workshops");
  ASSERT_EQ(workshop_started.status, 201) << workshop_started.body;
  const std::string workshop = body_of(workshop_started)["id"];

  // Someone with their own organization on the same instance.
  const auto added = run_cxm({"user", "add", "--db", db, "--email", "other@example.org"},
                             "another long password\n");
  ASSERT_EQ(added.exit_status, 0) << added.err;
  Client stranger(*server);
  ASSERT_EQ(stranger.login("other@example.org", "another long password"), 200);
  const std::string other_org = create_org(stranger, "Other Co");

  struct Route {
    std::string method, path;
  };
  const std::vector<Route> routes = {
      {"GET", "/api/orgs/" + org},
      {"PATCH", "/api/orgs/" + org},
      {"GET", "/api/orgs/" + org + "/cycles"},
      {"POST", "/api/orgs/" + org + "/cycles"},
      {"GET", "/api/cycles/" + cycle},
      {"PATCH", "/api/cycles/" + cycle},
      {"POST", "/api/cycles/" + cycle + "/open"},
      {"POST", "/api/cycles/" + cycle + "/close"},
      {"GET", "/api/cycles/" + cycle + "/responses"},
      {"GET", "/api/cycles/" + cycle + "/invitations"},
      {"POST", "/api/cycles/" + cycle + "/invitations"},
      {"POST", "/api/cycles/" + cycle + "/invitations/" + participant + "/revoke"},
      {"GET", "/api/cycles/" + cycle + "/report"},
      {"GET", "/api/cycles/" + cycle + "/report.html"},
      {"GET", "/api/cycles/" + cycle + "/report.xlsx"},
      {"GET", "/api/cycles/" + cycle + "/report.csv?table=competencies"},
      // Without ?table: 401 and 404 before the 422 that names the tables.
      {"GET", "/api/cycles/" + cycle + "/report.csv"},
      {"GET", "/api/cycles/" + cycle + "/report.csv?table=actions&dataset=pool"},
      {"GET", "/api/cycles/" + cycle + "/plan"},
      {"GET", "/api/orgs/" + org + "/progress"},
      {"GET", "/api/orgs/" + org + "/aims"},
      {"PUT", "/api/orgs/" + org + "/aims"},
      {"POST", "/api/cycles/" + cycle + "/repeat"},
      {"GET", "/api/orgs/" + org + "/actions"},
      {"POST", "/api/orgs/" + org + "/actions"},
      {"GET", "/api/orgs/" + org + "/actions.csv"},
      {"GET", "/api/orgs/" + org + "/actions.ics"},
      {"PATCH", "/api/orgs/" + org + "/actions/" + action},
      {"DELETE", "/api/orgs/" + org + "/actions/" + action},
      {"GET", "/api/orgs/" + org + "/benchmark?dataset=x"},
      {"GET", "/api/orgs/" + org + "/benchmark?dataset=pool"},
      {"GET", "/api/orgs/" + org + "/benchmark-pool"},
      {"PUT", "/api/orgs/" + org + "/benchmark-pool"},
      {"GET", "/api/cycles/" + cycle + "/discussion"},
      {"PUT", "/api/cycles/" + cycle + "/discussion/notes/LS2b"},
      {"GET", "/api/cycles/" + cycle + "/comments"},
      {"POST", "/api/cycles/" + cycle + "/comments/x/hide"},
      {"GET", "/api/cycles/" + cycle + "/events"},
      {"GET", "/api/cycles/" + cycle + "/imports"},
      {"POST", "/api/cycles/" + cycle + "/imports"},
      {"POST", "/api/cycles/" + cycle + "/workshops"},
      {"GET", "/api/cycles/" + cycle + "/workshop"},
      {"GET", "/api/workshops/" + workshop},
      {"POST", "/api/workshops/" + workshop + "/step"},
      {"POST", "/api/workshops/" + workshop + "/reveal"},
      {"POST", "/api/workshops/" + workshop + "/second-round"},
      {"POST", "/api/workshops/" + workshop + "/first-round"},
      {"POST", "/api/workshops/" + workshop + "/end"},
      {"GET", "/api/workshops/" + workshop + "/events"},
      {"POST", "/api/cycles/" + cycle + "/invitations/send"},
      {"POST", "/api/cycles/" + cycle + "/reminders"},
      {"GET", "/api/cycles/" + cycle + "/outbox"},
      {"GET", "/api/orgs/" + org + "/customer-metrics"},
      {"POST", "/api/orgs/" + org + "/customer-metrics"},
      {"DELETE", "/api/orgs/" + org + "/customer-metrics/nps"},
  };
  for (const auto& route : routes) {
    SCOPED_TRACE(route.method + " " + route.path);
    const auto anonymous =
        server->request(route.method, route.path, "{}", {{"Content-Type", "application/json"}});
    EXPECT_EQ(anonymous.status, 401);
    EXPECT_EQ(body_of(anonymous)["error"]["code"], "unauthenticated");
    const auto other = route.method == "GET"
                           ? stranger.get(route.path)
                           : stranger.send(route.method, route.path, R"({"name":"x","count":1})");
    EXPECT_EQ(other.status, 404) << other.body;
  }
  // The instance's mail settings are the administrators' alone.
  for (const auto& [method, path] : std::vector<std::pair<std::string, std::string>>{
           {"GET", "/api/admin/mail"}, {"POST", "/api/admin/mail/test"}}) {
    SCOPED_TRACE(method + " " + path);
    EXPECT_EQ(server->request(method, path, "{}", {{"Content-Type", "application/json"}}).status,
              401);
    const auto other = method == "GET" ? stranger.get(path)
                                       : stranger.send(method, path, R"({"to":"x@example.org"})");
    EXPECT_EQ(other.status, 403) << other.body;
  }
  // Who may see the cycle learns what the request lacks.
  EXPECT_EQ(admin.get("/api/cycles/" + cycle + "/report.csv").status, 422);
  // Nor through the stranger's own organization: Acme's action is not
  // theirs, and Acme's cycle cannot be named as the source of their action.
  EXPECT_EQ(stranger
                .send("PATCH", "/api/orgs/" + other_org + "/actions/" + action,
                      R"({"version":1,"title":"x"})")
                .status,
            404);
  EXPECT_EQ(stranger.send("DELETE", "/api/orgs/" + other_org + "/actions/" + action).status, 404);
  EXPECT_EQ(stranger
                .send("POST", "/api/orgs/" + other_org + "/actions",
                      R"({"title":"x","cycle":")" + cycle + R"("})")
                .status,
            422);
  EXPECT_EQ(body_of(stranger.get("/api/orgs/" + other_org + "/actions"))["actions"].size(), 0u);
  EXPECT_EQ(body_of(admin.get("/api/orgs/" + org + "/actions"))["actions"][0]["title"],
            "Call ten customers");
  // Benchmark datasets are reference data for every signed-in user; only
  // an administrator imports one.
  EXPECT_EQ(server->request("GET", "/api/benchmarks").status, 401);
  EXPECT_EQ(stranger.get("/api/benchmarks").status, 200);
  EXPECT_EQ(
      stranger
          .send("POST", "/api/benchmarks", R"({"name":"x","source":"x","licence":"x","csv":"x"})")
          .status,
      403);
  EXPECT_EQ(stranger.get("/api/benchmarks/export.csv").status, 403);
  // The stranger's organization list does not show Acme.
  EXPECT_EQ(body_of(stranger.get("/api/orgs"))["organizations"].size(), 1u);
  // Without the CSRF header a state-changing request is refused.
  const auto no_csrf = server->request("POST", "/api/orgs", R"({"name":"x"})",
                                       {{"Content-Type", "application/json"}});
  EXPECT_EQ(no_csrf.status, 401);
  // The workshop is still running after all that, and a made-up seat
  // reaches no workshop.
  EXPECT_EQ(body_of(admin.get("/api/workshops/" + workshop))["status"], "open");
  EXPECT_EQ(server->request("GET", "/api/r/" + std::string(32, 'a') + "/workshop").status, 404);
  EXPECT_EQ(server->request("GET", "/api/r/" + std::string(32, 'a') + "/workshop/events").status,
            404);
  // A made-up participant token reaches nothing; a real one only its cycle.
  EXPECT_EQ(server->request("GET", "/api/r/" + std::string(32, 'a')).status, 404);
  EXPECT_EQ(server->request("GET", "/api/r/x").status, 404);
  EXPECT_NE(body_of(server->request("GET", "/api/r/" + tokens[0]))["cycle"]["title"], nullptr);
  // A revoked link reaches nothing.
  ASSERT_EQ(
      admin.send("POST", "/api/cycles/" + cycle + "/invitations/" + participant + "/revoke").status,
      200);
  EXPECT_EQ(server->request("GET", "/api/r/" + tokens[0]).status, 404);
}

TEST_P(ServerTest, CsrfTokenRequiredForChanges) {
  const auto r =
      server->request("POST", "/api/orgs", R"({"name":"x"})",
                      {{"Content-Type", "application/json"}, {"Cookie", "cxm_session=forged"}});
  EXPECT_EQ(r.status, 401);
}

TEST_P(ServerTest, LoginIsRateLimited) {
  Client guesser(*server);
  for (int i = 0; i < 5; ++i)
    EXPECT_EQ(guesser.login("lead@example.org", "wrong password " + std::to_string(i)), 401);
  EXPECT_EQ(guesser.login("lead@example.org", "correct horse battery"), 429);
}

TEST_P(ServerTest, BadInputGetsAClearClientError) {
  const std::string org = create_org(admin, "Acme");
  const std::string cycle = create_open_cycle(admin, org);
  const auto token = invite(admin, cycle, 1, "executive")[0];
  const std::string answers = "/api/r/" + token + "/answers";
  const std::map<std::string, std::string> json_type = {{"Content-Type", "application/json"}};

  EXPECT_EQ(server->request("PUT", answers, "{\"answers\":", json_type).status, 400);
  EXPECT_EQ(
      server->request("PUT", answers, R"({"answers":{"LS2b":4}})", {{"Content-Type", "text/plain"}})
          .status,
      415);
  EXPECT_EQ(server->request("PUT", answers, "{\"answers\":{\"LS2b\":\"\xff\"}}", json_type).status,
            400);
  EXPECT_EQ(server->request("PUT", answers, std::string(2 << 20, ' '), json_type).status, 413);
  const auto unknown =
      server->request("PUT", answers, R"({"answers":{"LS2b":4,"NOPE":3}})", json_type);
  EXPECT_EQ(unknown.status, 422);
  EXPECT_EQ(body_of(unknown)["error"]["message"], "answers.NOPE: unknown item");
  EXPECT_EQ(server->request("PUT", answers, R"({"answers":{"LS2b":9}})", json_type).status, 422);
  EXPECT_EQ(server->request("PUT", answers, R"({"answers":{"LS2b":"4"}})", json_type).status, 422);
  EXPECT_EQ(server->request("PUT", answers, R"({"answers":[4]})", json_type).status, 422);
  EXPECT_EQ(server->request("PUT", answers, R"([])", json_type).status, 422);
  // Nothing of the rejected batches was saved.
  EXPECT_EQ(body_of(server->request("GET", "/api/r/" + token))["progress"]["answered"], 0);

  EXPECT_EQ(admin.send("POST", "/api/orgs", R"({"name":""})").status, 422);
  EXPECT_EQ(admin.send("POST", "/api/orgs", R"({"name":"'; DROP TABLE organizations; --"})").status,
            201);
  EXPECT_EQ(admin.send("POST", "/api/orgs/" + org + "/cycles", R"({"name":"x","min_group_size":0})")
                .status,
            422);
  const auto broken_model =
      admin.send("POST", "/api/orgs/" + org + "/cycles", R"({"name":"x","model_yaml":"id: ["})");
  EXPECT_EQ(broken_model.status, 422);
  EXPECT_EQ(body_of(broken_model)["error"]["message"].get<std::string>().rfind(
                "model_yaml: line 1, column ", 0),
            0u)
      << broken_model.body;
  EXPECT_EQ(admin.send("POST", "/api/cycles/" + cycle + "/invitations", R"({"count":501})").status,
            422);
  EXPECT_EQ(
      admin.send("POST", "/api/cycles/" + cycle + "/invitations", R"({"count":1,"role":"ceo"})")
          .status,
      422);
  EXPECT_EQ(admin.send("PATCH", "/api/cycles/" + cycle, R"({"name":"y"})").status,
            409);  // not a draft
  EXPECT_EQ(server->request("DELETE", "/api/health").status, 405);
  EXPECT_EQ(server->request("GET", "/api/nothing").status, 404);
  EXPECT_EQ(body_of(server->request("GET", "/api/nothing"))["error"]["code"], "not_found");
}

// Answers acknowledged before a kill -9 are all there after a restart, and
// retried batches do not duplicate anything.
TEST_P(ServerTest, AcknowledgedAnswersSurviveKill9) {
  const std::string org = create_org(admin, "Acme");
  const std::string cycle = create_open_cycle(admin, org);
  const auto tokens = invite(admin, cycle, 200, "frontline");
  std::mutex mutex;
  std::map<std::string, int> acknowledged;  // token -> last acknowledged LS2b value
  std::atomic<bool> go{true};
  std::vector<std::thread> writers;
  for (int t = 0; t < 8; ++t) {
    writers.emplace_back([&, t] {
      for (std::size_t i = static_cast<std::size_t>(t); i < tokens.size() && go; i += 8) {
        const int value = 1 + static_cast<int>(i % 5);
        const auto r = put_answers(tokens[i], {{"LS2b", value}, {"LS3", value}});
        if (r.status == 200) {
          std::lock_guard lock(mutex);
          acknowledged[tokens[i]] = value;
        }
      }
    });
  }
  while (true) {
    std::lock_guard lock(mutex);
    if (acknowledged.size() >= 60) break;
  }
  EXPECT_EQ(server->stop(SIGKILL), 128 + SIGKILL);
  go = false;
  for (auto& w : writers) w.join();

  server = std::make_unique<ServerProcess>(db);
  for (const auto& [token, value] : acknowledged) {
    const auto q = body_of(server->request("GET", "/api/r/" + token));
    ASSERT_EQ(q["answers"]["LS2b"], value) << token;
    EXPECT_EQ(q["progress"]["answered"], 2);  // no duplicates
  }
  // Idempotent retry of a batch after the restart.
  const auto& [token, value] = *acknowledged.begin();
  ASSERT_EQ(put_answers(token, {{"LS2b", value}, {"LS3", value}}).status, 200);
  EXPECT_EQ(body_of(server->request("GET", "/api/r/" + token))["progress"]["answered"], 2);
}

TEST_P(ServerTest, SigtermShutsDownCleanly) {
  const std::string org = create_org(admin, "Acme");
  EXPECT_EQ(server->stop(SIGTERM), 0);
  server = std::make_unique<ServerProcess>(db);
  EXPECT_EQ(server->request("GET", "/api/health").status, 200);
  Client again(*server);
  ASSERT_EQ(again.login("lead@example.org", "correct horse battery"), 200);
  EXPECT_EQ(body_of(again.get("/api/orgs"))["organizations"][0]["id"], org);
}

// "Max open files  SOFT  HARD  files" from /proc/PID/limits.
std::pair<std::string, std::string> open_file_limits(pid_t pid) {
  std::ifstream in("/proc/" + std::to_string(pid) + "/limits");
  std::string line;
  while (std::getline(in, line)) {
    if (line.rfind("Max open files", 0) != 0) continue;
    std::istringstream fields(line.substr(14));
    std::string soft, hard;
    fields >> soft >> hard;
    return {soft, hard};
  }
  return {};
}

TEST(Serve, RaisesTheOpenFileLimitForManyConnections) {
  rlimit saved{};
  ASSERT_EQ(getrlimit(RLIMIT_NOFILE, &saved), 0);
  if (saved.rlim_max <= 256) GTEST_SKIP() << "the hard limit is too low to tell";
  rlimit low = saved;
  low.rlim_cur = 256;  // inherited by the server
  ASSERT_EQ(setrlimit(RLIMIT_NOFILE, &low), 0);
  TempDir dir;
  ServerProcess server("sqlite:" + dir.path() + "/cxm.db");
  ASSERT_EQ(setrlimit(RLIMIT_NOFILE, &saved), 0);
  const auto [soft, hard] = open_file_limits(server.pid());
  EXPECT_EQ(soft, std::to_string(saved.rlim_max));
  EXPECT_EQ(soft, hard);
}

}  // namespace

INSTANTIATE_TEST_SUITE_P(Databases, ServerTest, ::testing::Values("sqlite", "postgresql"),
                         [](const auto& info) { return info.param; });

}  // namespace cxm::testing
