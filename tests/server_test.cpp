// The real `cxm serve` over HTTP on SQLite: the whole flow, access control
// on every route, bad input, durability across kill -9, graceful shutdown.
#include <gtest/gtest.h>
#include <nlohmann/json.hpp>
#include <signal.h>
#include <sys/resource.h>

#include <atomic>
#include <fstream>
#include <iostream>
#include <mutex>
#include <set>
#include <sstream>
#include <thread>

#include "postgres_cluster.h"
#include "run_process.h"
#include "server_process.h"

namespace cxm::testing {
namespace {

using nlohmann::json;

json body_of(const HttpResult& r) { return json::parse(r.body); }

// Every test runs on SQLite and on a private PostgreSQL cluster.
class ServerTest : public ::testing::TestWithParam<std::string> {
 protected:
  static PostgresCluster* cluster;  // started on first use, once per process
  static void TearDownTestSuite() {
    delete cluster;
    cluster = nullptr;
  }
  static std::string database(const std::string& kind, const TempDir& dir) {
    if (kind == "sqlite") return "sqlite:" + dir.path() + "/cxm.db";
    if (!cluster) {
      std::string why;
      auto started = PostgresCluster::start(why);
      if (!started) throw std::runtime_error("PostgreSQL: " + why);
      cluster = *started;
    }
    return cluster->create_database();
  }

  TempDir dir;
  std::string db = database(GetParam(), dir);
  std::unique_ptr<ServerProcess> server = std::make_unique<ServerProcess>(db);
  Client admin{*server};

  void SetUp() override { ASSERT_EQ(admin.setup("lead@example.org", "correct horse battery"), 201); }

  std::string create_org(const Client& who, const std::string& name) {
    const auto r = who.send("POST", "/api/orgs", json{{"name", name}, {"units", {"Sales", "Support"}}}.dump());
    EXPECT_EQ(r.status, 201) << r.body;
    return body_of(r)["id"];
  }
  // Anonymous cycles show results only once closed (docs/anonymity.md):
  // tests of live results use a cycle that is not anonymous.
  std::string create_open_cycle(const Client& who, const std::string& org, bool anonymous = true) {
    const auto r = who.send("POST", "/api/orgs/" + org + "/cycles",
                            json{{"name", "Spring"}, {"anonymous", anonymous}}.dump());
    EXPECT_EQ(r.status, 201) << r.body;
    const std::string id = body_of(r)["id"];
    EXPECT_EQ(who.send("POST", "/api/cycles/" + id + "/open").status, 200);
    return id;
  }
  std::vector<std::string> invite(const Client& who, const std::string& cycle, int count, const std::string& role) {
    const auto r = who.send("POST", "/api/cycles/" + cycle + "/invitations",
                            json{{"count", count}, {"role", role}, {"unit", "Sales"}}.dump());
    EXPECT_EQ(r.status, 201) << r.body;
    std::vector<std::string> tokens;
    if (r.status != 201) return std::vector<std::string>(static_cast<std::size_t>(count), "invitation-failed");
    const json created = body_of(r);
    for (const auto& i : created["invitations"]) tokens.push_back(i["token"]);
    return tokens;
  }
  HttpResult put_answers(const std::string& token, const json& answers) {
    return server->request("PUT", "/api/r/" + token + "/answers", json{{"answers", answers}}.dump(),
                           {{"Content-Type", "application/json"}});
  }
};

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
  const auto first = put_answers(execs[0], {{"LS2", 4}, {"LS3", nullptr}});
  ASSERT_EQ(first.status, 200) << first.body;
  const auto resumed = body_of(server->request("GET", "/api/r/" + execs[0]));
  EXPECT_EQ(resumed["answers"]["LS2"], 4);
  EXPECT_TRUE(resumed["answers"]["LS3"].is_null());
  EXPECT_EQ(resumed["progress"]["answered"], 2);
  EXPECT_EQ(resumed["items"].size(), 49u);
  EXPECT_EQ(resumed["cycle"]["name"], "Spring");

  for (const auto& token : execs) {
    ASSERT_EQ(put_answers(token, {{"LS2", 5}, {"LS3", 4}, {"GO2", 4}}).status, 200);
    ASSERT_EQ(server->request("POST", "/api/r/" + token + "/submit").status, 200);
  }
  for (const auto& token : front) {
    ASSERT_EQ(put_answers(token, {{"LS2", 2}, {"LS3", 1}, {"GO2", 3}}).status, 200);
    ASSERT_EQ(server->request("POST", "/api/r/" + token + "/submit").status, 200);
  }
  // Retried submit: same success. Changing answers after it: refused.
  EXPECT_EQ(server->request("POST", "/api/r/" + execs[0] + "/submit").status, 200);
  EXPECT_EQ(put_answers(execs[0], {{"LS2", 1}}).status, 409);

  const auto counts = body_of(admin.get("/api/cycles/" + cycle + "/responses"));
  EXPECT_EQ(counts["total"]["submitted"], 5);

  const auto report = body_of(admin.get("/api/cycles/" + cycle + "/report"));
  EXPECT_EQ(report["schema"], "cxm.score/1");
  EXPECT_EQ(report["respondents"], 5);
  const auto& ls2 = report["items"][0];
  EXPECT_EQ(ls2["id"], "LS2");
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
  EXPECT_EQ(put_answers(front[0], {{"LS2", 1}}).status, 409);
}

TEST_P(ServerTest, ReportFollowsNewAnswers) {
  const std::string org = create_org(admin, "Acme");
  const std::string cycle = create_open_cycle(admin, org, false);
  const auto tokens = invite(admin, cycle, 4, "manager");
  for (int i = 0; i < 3; ++i) {
    put_answers(tokens[static_cast<std::size_t>(i)], {{"LS2", 5}});
    server->request("POST", "/api/r/" + tokens[static_cast<std::size_t>(i)] + "/submit");
  }
  EXPECT_EQ(body_of(admin.get("/api/cycles/" + cycle + "/report"))["respondents"], 3);
  put_answers(tokens[3], {{"LS2", 1}});
  server->request("POST", "/api/r/" + tokens[3] + "/submit");
  EXPECT_EQ(body_of(admin.get("/api/cycles/" + cycle + "/report"))["respondents"], 4);  // cache dropped
}

// Several stateless processes behind a load balancer share one database:
// a report cached by one process follows answers submitted through another.
TEST_P(ServerTest, TwoProcessesShareOneDatabase) {
  const std::string org = create_org(admin, "Acme");
  const std::string cycle = create_open_cycle(admin, org, false);
  const auto tokens = invite(admin, cycle, 4, "manager");
  for (std::size_t i = 0; i < 3; ++i) {
    put_answers(tokens[i], {{"LS2", 5}});
    server->request("POST", "/api/r/" + tokens[i] + "/submit");
  }
  EXPECT_EQ(body_of(admin.get("/api/cycles/" + cycle + "/report"))["respondents"], 3);
  ServerProcess second(db);
  const auto via_second = second.request("PUT", "/api/r/" + tokens[3] + "/answers", R"({"answers":{"LS2":1}})",
                                         {{"Content-Type", "application/json"}});
  ASSERT_EQ(via_second.status, 200) << via_second.body;
  ASSERT_EQ(second.request("POST", "/api/r/" + tokens[3] + "/submit").status, 200);
  // The first process hears of the other's submission (the change feed)
  // and recomputes the report.
  int respondents = 0;
  for (int attempt = 0; attempt < 50 && respondents != 4; ++attempt) {
    if (attempt) std::this_thread::sleep_for(std::chrono::milliseconds(100));
    respondents = body_of(admin.get("/api/cycles/" + cycle + "/report"))["respondents"];
  }
  EXPECT_EQ(respondents, 4);
}

// Live events (issue 16): a facilitator's screen on one process follows
// submissions made through another (the change feed); reconnecting with
// Last-Event-ID repeats nothing and loses nothing.
TEST_P(ServerTest, LiveEventsCrossProcessesAndResumeByLastEventId) {
  const std::string org = create_org(admin, "Acme");
  const std::string cycle = create_open_cycle(admin, org);
  const auto tokens = invite(admin, cycle, 4, "manager");
  ServerProcess second(db);
  const std::string path = "/api/cycles/" + cycle + "/events";
  const std::map<std::string, std::string> auth = {{"Cookie", admin.cookie()}};
  auto submit_via_second = [&](const std::string& token) {
    ASSERT_EQ(second.request("PUT", "/api/r/" + token + "/answers", R"({"answers":{"LS2":4}})",
                             {{"Content-Type", "application/json"}}).status, 200);
    ASSERT_EQ(second.request("POST", "/api/r/" + token + "/submit").status, 200);
  };
  // Events until one says `submitted` submissions (the poll may first send
  // one with the answers started).
  auto until_submitted = [](EventStreamClient& stream, int submitted) -> std::optional<ServerEvent> {
    for (auto e = stream.next(8000); e; e = stream.next(8000)) {
      if (json::parse(e->data)["responses"]["total"]["submitted"] == submitted) return e;
    }
    return std::nullopt;
  };

  auto stream = std::make_unique<EventStreamClient>(server->port(), path, auth);
  ASSERT_EQ(stream->status(), 200);
  const auto opened = stream->next(5000);
  ASSERT_TRUE(opened);
  EXPECT_EQ(opened->event, "cycle");
  const json state = json::parse(opened->data);
  EXPECT_EQ(state["status"], "open");
  EXPECT_EQ(state["responses"]["total"]["submitted"], 0);

  submit_via_second(tokens[0]);
  const auto one = until_submitted(*stream, 1);
  ASSERT_TRUE(one) << "the other process's submission never arrived";
  // One person in a role of an anonymous cycle shows as "fewer than 3".
  const json by_role = json::parse(one->data)["responses"]["by_role"];
  for (const auto& r : by_role) {
    if (r["role"] == "manager") {
      EXPECT_TRUE(r["submitted"].is_null());
    }
  }

  // Reconnecting with the last id: nothing is sent again, even past a poll.
  stream = std::make_unique<EventStreamClient>(server->port(), path,
                                               std::map<std::string, std::string>{{"Cookie", admin.cookie()}, {"Last-Event-ID", one->id}});
  ASSERT_EQ(stream->status(), 200);
  EXPECT_FALSE(stream->next(2600)) << "an event repeated after reconnecting";
  // What happened while away arrives on reconnection.
  stream.reset();
  submit_via_second(tokens[1]);
  stream = std::make_unique<EventStreamClient>(second.port(), path,
                                               std::map<std::string, std::string>{{"Cookie", admin.cookie()}, {"Last-Event-ID", one->id}});
  const auto caught_up = stream->next(5000);
  ASSERT_TRUE(caught_up);
  EXPECT_EQ(json::parse(caught_up->data)["responses"]["total"]["submitted"], 2);
  EXPECT_NE(caught_up->id, one->id);

  // Strangers get nothing.
  EventStreamClient anonymous(server->port(), path);
  EXPECT_EQ(anonymous.status(), 401);
}

// Process A still holds the cycle as open in its short-lived cache when
// process B closes it: the rule is checked again inside A's write.
TEST_P(ServerTest, ACycleClosedByAnotherProcessRefusesAnswersAtOnce) {
  const std::string org = create_org(admin, "Acme");
  const std::string cycle = create_open_cycle(admin, org);
  const auto tokens = invite(admin, cycle, 2, "manager");
  const std::map<std::string, std::string> json_type = {{"Content-Type", "application/json"}};
  const std::string put = "/api/r/" + tokens[0] + "/answers";
  ASSERT_EQ(server->request("PUT", put, R"({"answers":{"LS2":3}})", json_type).status, 200);  // A caches the link

  ServerProcess second(db);
  Client admin_b(second);
  ASSERT_EQ(admin_b.login("lead@example.org", "correct horse battery"), 200);
  ASSERT_EQ(admin_b.send("POST", "/api/cycles/" + cycle + "/close").status, 200);

  const auto refused = server->request("PUT", put, R"({"answers":{"LS2":5}})", json_type);
  EXPECT_EQ(refused.status, 409) << refused.body;
  EXPECT_EQ(body_of(refused)["error"]["code"], "cycle_not_open");
  EXPECT_EQ(body_of(server->request("GET", "/api/r/" + tokens[0]))["answers"]["LS2"], 3);  // unchanged
}

// Every rule that must hold exactly, with two processes on one database:
// whichever process a request reaches, and whatever it has cached, the
// write decides. Many rounds, so that races get their chance.
TEST_P(ServerTest, TwoProcessesKeepEveryRuleInsideTheWrite) {
  const std::string org = create_org(admin, "Acme");
  const std::string cycle = create_open_cycle(admin, org);
  ServerProcess second(db);
  Client admin_b(second);
  ASSERT_EQ(admin_b.login("lead@example.org", "correct horse battery"), 200);
  const std::map<std::string, std::string> json_type = {{"Content-Type", "application/json"}};
  auto put_via = [&](const ServerProcess& p, const std::string& token, int value) {
    return p.request("PUT", "/api/r/" + token + "/answers", json{{"answers", {{"LS2", value}}}}.dump(), json_type);
  };
  auto code = [](const HttpResult& r) { return r.status == 200 ? std::string("ok") : std::string(body_of(r)["error"]["code"]); };
  for (int round = 0; round < 8; ++round) {
    SCOPED_TRACE("round " + std::to_string(round));
    const auto tokens = invite(admin, cycle, 3, "manager");
    // Both processes cache the links and the open cycle.
    ASSERT_EQ(put_via(*server, tokens[0], 3).status, 200);
    ASSERT_EQ(put_via(second, tokens[0], 4).status, 200);
    ASSERT_EQ(put_via(second, tokens[1], 4).status, 200);
    ASSERT_EQ(put_via(*server, tokens[2], 4).status, 200);

    // Closed through A: B refuses at once, saving and submitting.
    ASSERT_EQ(admin.send("POST", "/api/cycles/" + cycle + "/close").status, 200);
    EXPECT_EQ(code(put_via(second, tokens[0], 5)), "cycle_not_open");
    EXPECT_EQ(code(second.request("POST", "/api/r/" + tokens[0] + "/submit")), "cycle_not_open");
    // Settings only in a draft, through either process.
    EXPECT_EQ(admin_b.send("PATCH", "/api/cycles/" + cycle, R"({"name":"Renamed"})").status, 409);

    // Reopen through B, then both close at once: one wins, one conflicts.
    ASSERT_EQ(admin_b.send("POST", "/api/cycles/" + cycle + "/open").status, 200);
    int close_a = 0, close_b = 0;
    std::thread racer([&] { close_a = admin.send("POST", "/api/cycles/" + cycle + "/close").status; });
    close_b = admin_b.send("POST", "/api/cycles/" + cycle + "/close").status;
    racer.join();
    EXPECT_EQ((close_a == 200) + (close_b == 200), 1) << close_a << " " << close_b;
    EXPECT_EQ((close_a == 409) + (close_b == 409), 1);
    ASSERT_EQ(admin.send("POST", "/api/cycles/" + cycle + "/open").status, 200);

    // Submitted through B: A refuses changes (409), a retried submit is fine.
    ASSERT_EQ(second.request("POST", "/api/r/" + tokens[1] + "/submit").status, 200);
    EXPECT_EQ(code(put_via(*server, tokens[1], 1)), "already_submitted");
    EXPECT_EQ(server->request("POST", "/api/r/" + tokens[1] + "/submit").status, 200);

    // Revoked through A: B refuses saving and submitting.
    const json links = body_of(admin.get("/api/cycles/" + cycle + "/invitations"));
    std::string revoked_id;
    for (const auto& link : links["invitations"]) {
      if (!link["submitted"] && !link["revoked"]) revoked_id = link["id"];
    }
    ASSERT_FALSE(revoked_id.empty());
    ASSERT_EQ(admin.send("POST", "/api/cycles/" + cycle + "/invitations/" + revoked_id + "/revoke").status, 200);
    for (const auto& token : {tokens[0], tokens[2]}) {
      const auto saved = put_via(second, token, 2);
      if (saved.status == 200) continue;  // the other unsubmitted link of this round
      EXPECT_EQ(code(saved), "revoked");
      EXPECT_EQ(code(second.request("POST", "/api/r/" + token + "/submit")), "revoked");
    }
  }
}

// Two facilitators edit one action through two processes from the same
// version: the write decides, one edit is saved and the other gets 409, and
// the history records exactly the status change that was saved.
TEST_P(ServerTest, ActionEditsRacingThroughTwoProcessesNeverOverwriteEachOther) {
  const std::string org = create_org(admin, "Acme");
  ServerProcess second(db);
  Client admin_b(second);
  ASSERT_EQ(admin_b.login("lead@example.org", "correct horse battery"), 200);
  for (int round = 0; round < 6; ++round) {
    SCOPED_TRACE("round " + std::to_string(round));
    const auto created = admin.send("POST", "/api/orgs/" + org + "/actions", R"({"title":"Map the claims journey"})");
    ASSERT_EQ(created.status, 201) << created.body;
    const std::string path = "/api/orgs/" + org + "/actions/" + body_of(created)["id"].get<std::string>();
    int a = 0, b = 0;
    std::thread racer([&] { a = admin.send("PATCH", path, R"({"version":1,"status":"done"})").status; });
    b = admin_b.send("PATCH", path, R"({"version":1,"status":"dropped","owner":"Bea"})").status;
    racer.join();
    EXPECT_EQ((a == 200) + (b == 200), 1) << a << " " << b;
    EXPECT_EQ((a == 409) + (b == 409), 1) << a << " " << b;
    const json now = body_of(admin_b.get("/api/orgs/" + org + "/actions"))["actions"].back();
    EXPECT_EQ(now["version"], 2);
    ASSERT_EQ(now["history"].size(), 2u);
    EXPECT_EQ(now["history"][1]["to"], a == 200 ? "done" : "dropped");
    EXPECT_EQ(now["status"], a == 200 ? "done" : "dropped");
    EXPECT_EQ(now["owner"], a == 200 ? "" : "Bea");
  }
}

// A log-out, a revocation, a close and a new submission through one process
// reach the other's caches: it stops serving the old state within a second.
TEST_P(ServerTest, ChangesThroughOneProcessReachTheOther) {
  const std::string org = create_org(admin, "Acme");
  const std::string cycle = create_open_cycle(admin, org, false);
  const auto tokens = invite(admin, cycle, 4, "manager");
  ServerProcess second(db);
  Client admin_b(second);
  ASSERT_EQ(admin_b.login("lead@example.org", "correct horse battery"), 200);
  Client viewer_session(*server);
  ASSERT_EQ(viewer_session.login("lead@example.org", "correct horse battery"), 200);
  for (std::size_t i = 0; i < 3; ++i) {
    ASSERT_EQ(put_answers(tokens[i], {{"LS2", 4}}).status, 200);
    ASSERT_EQ(server->request("POST", "/api/r/" + tokens[i] + "/submit").status, 200);
  }
  const std::string extra = invite(admin, cycle, 1, "manager")[0];
  // B caches the report, the cycle and the links.
  ASSERT_EQ(body_of(admin_b.get("/api/cycles/" + cycle + "/report"))["respondents"], 3);
  ASSERT_EQ(second.request("GET", "/api/r/" + tokens[3]).status, 200);
  ASSERT_EQ(second.request("GET", "/api/r/" + extra).status, 200);
  auto eventually = [](const std::function<bool()>& seen) {
    for (int attempt = 0; attempt < 100; ++attempt) {
      if (seen()) return true;
      std::this_thread::sleep_for(std::chrono::milliseconds(20));
    }
    return false;
  };
  // A new submission through A.
  ASSERT_EQ(put_answers(tokens[3], {{"LS2", 2}}).status, 200);
  ASSERT_EQ(server->request("POST", "/api/r/" + tokens[3] + "/submit").status, 200);
  EXPECT_TRUE(eventually([&] { return body_of(admin_b.get("/api/cycles/" + cycle + "/report"))["respondents"] == 4; }));
  // A close through A: B's cycle shows closed.
  ASSERT_EQ(admin.send("POST", "/api/cycles/" + cycle + "/close").status, 200);
  EXPECT_TRUE(eventually([&] { return body_of(admin_b.get("/api/cycles/" + cycle))["status"] == "closed"; }));
  // A revocation through A: B no longer serves the link (the only one
  // not submitted).
  std::string extra_id;
  const json listed = body_of(admin.get("/api/cycles/" + cycle + "/invitations"));
  for (const auto& link : listed["invitations"]) {
    if (link["submitted"] == false) extra_id = link["id"].get<std::string>();
  }
  const auto revoked = admin.send("POST", "/api/cycles/" + cycle + "/invitations/" + extra_id + "/revoke");
  ASSERT_EQ(revoked.status, 200) << revoked.body << extra_id;
  EXPECT_TRUE(eventually([&] { return second.request("GET", "/api/r/" + extra).status == 404; }));
  // A log-out through B ends the session in A, which had it cached.
  const std::map<std::string, std::string> b_cookie = {{"Cookie", admin_b.cookie()}};
  ASSERT_EQ(server->request("GET", "/api/session", "", b_cookie).status, 200);
  ASSERT_EQ(admin_b.send("DELETE", "/api/session").status, 204);
  EXPECT_TRUE(eventually([&] { return server->request("GET", "/api/session", "", b_cookie).status == 401; }));
  EXPECT_EQ(viewer_session.get("/api/session").status, 200);  // another session of the same user goes on
}

// Attack 1 (docs/anonymity.md): the facilitator holds every link, but a
// link opens no one's answers except in the browser that started it, or
// one that resumed it with its code; after submission, in none.
TEST_P(ServerTest, TheLinkIsNotAWindowIntoSomeonesAnswers) {
  const std::string org = create_org(admin, "Acme");
  const std::string cycle = create_open_cycle(admin, org);
  const std::string token = invite(admin, cycle, 1, "manager")[0];
  const std::string base = "/api/r/" + token;
  const int port = server->port();
  const std::map<std::string, std::string> json_type = {{"Content-Type", "application/json"}};
  auto as = [&](const std::string& cookie) {
    auto h = json_type;
    h["Cookie"] = cookie.empty() ? "none=1" : cookie;  // sent as it is, not as the test's own participant
    return h;
  };
  auto cookie_of = [](const HttpResult& r) {
    const std::string set = r.headers.count("set-cookie") ? r.headers.at("set-cookie") : "";
    EXPECT_NE(set.find("HttpOnly"), std::string::npos);
    EXPECT_NE(set.find("Path=/api/r/"), std::string::npos);
    return set.substr(0, set.find(';'));
  };
  // Opening the link claims nothing.
  EXPECT_EQ(body_of(http_request(port, "GET", base, "", as("")))["claim"], "none");
  // The participant starts: their browser holds the link, they see a code.
  const auto started = http_request(port, "POST", base + "/claim", "{}", as(""));
  ASSERT_EQ(started.status, 200) << started.body;
  const std::string phone = cookie_of(started);
  const std::string code = body_of(started)["resume_code"];
  EXPECT_EQ(code.size(), 9u);  // XXXX-XXXX
  ASSERT_EQ(http_request(port, "PUT", base + "/answers", R"({"answers":{"LS2":5,"LS3":1}})", as(phone)).status, 200);
  const auto own = body_of(http_request(port, "GET", base, "", as(phone)));
  EXPECT_EQ(own["claim"], "mine");
  EXPECT_EQ(own["answers"]["LS2"], 5);
  // The facilitator, with the same link: nothing of theirs, no way in.
  const auto peek = body_of(http_request(port, "GET", base, "", as("")));
  EXPECT_EQ(peek["claim"], "other");
  EXPECT_EQ(peek["answers"], json::object());
  EXPECT_EQ(peek["progress"]["answered"], 0);
  EXPECT_EQ(http_request(port, "PUT", base + "/answers", R"({"answers":{"LS2":1}})", as("")).status, 403);
  EXPECT_EQ(http_request(port, "POST", base + "/submit", "", as("")).status, 403);
  EXPECT_EQ(body_of(http_request(port, "POST", base + "/claim", "{}", as("")))["error"]["code"], "claimed");
  const auto guess = http_request(port, "POST", base + "/claim", R"({"resume_code":"AAAA-AAAA"})", as(""));
  EXPECT_EQ(guess.status, 422);
  EXPECT_EQ(body_of(guess)["error"]["code"], "wrong_code");
  // The participant moves to a laptop with the code (any case, no dash).
  std::string typed = code.substr(0, 4) + code.substr(5);
  for (auto& c : typed) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  const auto moved = http_request(port, "POST", base + "/claim", json{{"resume_code", typed}}.dump(), as(""));
  ASSERT_EQ(moved.status, 200) << moved.body;
  const std::string laptop = cookie_of(moved);
  // The code typed is retired: whoever else knew it cannot take the link back.
  const std::string next_code = body_of(moved)["resume_code"];
  EXPECT_NE(next_code, code);
  EXPECT_EQ(http_request(port, "POST", base + "/claim", json{{"resume_code", code}}.dump(), as(phone)).status, 422);
  EXPECT_EQ(body_of(http_request(port, "GET", base, "", as(laptop)))["answers"]["LS2"], 5);
  EXPECT_EQ(http_request(port, "PUT", base + "/answers", R"({"answers":{"LS2":2}})", as(phone)).status, 403);
  ASSERT_EQ(http_request(port, "POST", base + "/submit", "", as(laptop)).status, 200);
  // After submission: thank you, and nothing else, for anyone.
  for (const auto& who : {laptop, phone, std::string()}) {
    const auto after = body_of(http_request(port, "GET", base, "", as(who)));
    EXPECT_TRUE(after["submitted"].get<bool>());
    EXPECT_EQ(after["answers"], json::object());
    EXPECT_EQ(after["claim"], "none");
  }
}

// Ten wrong resume codes lock the link, also through another process.
TEST_P(ServerTest, GuessingResumeCodesLocksTheLink) {
  const std::string org = create_org(admin, "Acme");
  const std::string cycle = create_open_cycle(admin, org);
  const std::string token = invite(admin, cycle, 1, "manager")[0];
  const std::map<std::string, std::string> h = {{"Content-Type", "application/json"}, {"Cookie", "none=1"}};
  const auto started = http_request(server->port(), "POST", "/api/r/" + token + "/claim", "{}", h);
  ASSERT_EQ(started.status, 200);
  ServerProcess second(db);
  int wrong = 0, locked = 0;
  for (int i = 0; i < 12; ++i) {
    const int port = i % 2 ? second.port() : server->port();
    const auto r = http_request(port, "POST", "/api/r/" + token + "/claim", R"({"resume_code":"BBBB-BBBB"})", h);
    wrong += r.status == 422;
    locked += r.status == 409 && body_of(r)["error"]["code"] == "locked";
  }
  EXPECT_EQ(wrong, 9);
  EXPECT_EQ(locked, 3);
  const json right = {{"resume_code", body_of(started)["resume_code"]}};
  EXPECT_EQ(http_request(server->port(), "POST", "/api/r/" + token + "/claim", right.dump(), h).status, 409);
}

// Attack 2: units Sales (3) and Support (1). Support is hidden, and so is
// Sales, or the whole minus Sales would be the Support person.
TEST_P(ServerTest, SubtractingAUnitFromTheWholeRevealsNobody) {
  const std::string org = create_org(admin, "Acme");
  const std::string cycle = create_open_cycle(admin, org);
  std::vector<std::string> tokens;
  for (const char* unit : {"Sales", "Sales", "Sales", "Support"}) {
    const auto r = admin.send("POST", "/api/cycles/" + cycle + "/invitations",
                              json{{"count", 1}, {"role", "manager"}, {"unit", unit}}.dump());
    ASSERT_EQ(r.status, 201) << r.body;
    tokens.push_back(body_of(r)["invitations"][0]["token"]);
  }
  for (std::size_t i = 0; i < tokens.size(); ++i) {
    ASSERT_EQ(put_answers(tokens[i], {{"LS2", i == 3 ? 1 : 5}}).status, 200);
    ASSERT_EQ(server->request("POST", "/api/r/" + tokens[i] + "/submit").status, 200);
  }
  ASSERT_EQ(admin.send("POST", "/api/cycles/" + cycle + "/close").status, 200);
  const auto whole = body_of(admin.get("/api/cycles/" + cycle + "/report"));
  ASSERT_EQ(whole["respondents"], 4) << whole.dump();
  for (const auto& unit : whole["segments"]["unit"]) EXPECT_TRUE(unit["suppressed"].get<bool>()) << unit.dump();
  const auto support = body_of(admin.get("/api/cycles/" + cycle + "/report?unit=Support"));
  EXPECT_TRUE(support["suppressed"].get<bool>());
  const auto sales = body_of(admin.get("/api/cycles/" + cycle + "/report?unit=Sales"));
  EXPECT_TRUE(sales["suppressed"].get<bool>()) << "the whole minus Sales would be the Support person";
  EXPECT_FALSE(sales.contains("items"));
  // Counts say "fewer than 3" for Support, not 1.
  const auto counts = body_of(admin.get("/api/cycles/" + cycle + "/responses"));
  for (const auto& unit : counts["by_unit"]) {
    if (unit["unit"] == "Support") {
      EXPECT_TRUE(unit["submitted"].is_null());
      EXPECT_EQ(unit["fewer_than"], 3);
    }
  }
}

// Attack 3: the report just before and just after one person submits.
// While open an anonymous cycle shows no results; a close publishes the
// new submissions only when there are at least k of them.
TEST_P(ServerTest, ResultsDoNotMoveWithOneSubmission) {
  const std::string org = create_org(admin, "Acme");
  const std::string cycle = create_open_cycle(admin, org);
  const auto tokens = invite(admin, cycle, 6, "manager");
  auto report = [&] {
    json r = body_of(admin.get("/api/cycles/" + cycle + "/report"));
    r.erase("anonymity");  // says how many are held back; that is a count
    return r;
  };
  auto submit = [&](std::size_t i) {
    ASSERT_EQ(put_answers(tokens[i], {{"LS2", 1 + static_cast<int>(i % 5)}}).status, 200);
    ASSERT_EQ(server->request("POST", "/api/r/" + tokens[i] + "/submit").status, 200);
  };
  auto close = [&] { ASSERT_EQ(admin.send("POST", "/api/cycles/" + cycle + "/close").status, 200); };
  auto reopen = [&] { ASSERT_EQ(admin.send("POST", "/api/cycles/" + cycle + "/open").status, 200); };
  const json empty = report();
  EXPECT_TRUE(empty["suppressed"].get<bool>());
  for (std::size_t i = 0; i < 3; ++i) {
    submit(i);
    EXPECT_EQ(report(), empty) << "moved after submission " << i;
    EXPECT_EQ(body_of(admin.get("/api/cycles/" + cycle + "/responses"))["total"]["submitted"], i + 1);
  }
  close();
  const json first = report();
  ASSERT_EQ(first["respondents"], 3) << first.dump();
  reopen();
  submit(3);
  EXPECT_EQ(report(), first);
  close();  // one new submission: held back
  EXPECT_EQ(report(), first);
  EXPECT_EQ(body_of(admin.get("/api/cycles/" + cycle + "/report"))["anonymity"]["held_back"], 1);
  reopen();
  submit(4);
  submit(5);
  EXPECT_EQ(report(), first);
  close();  // three waiting: released together
  EXPECT_EQ(report()["respondents"], 6);
}

// The progress view shows an anonymous cycle over time as its report does:
// nothing before the first release, then only released responses, so
// comparing it before and after one more submission reveals nothing; and
// its figures are the report's.
TEST_P(ServerTest, ProgressOfAnAnonymousCycleMovesOnlyWithReleases) {
  const std::string org = create_org(admin, "Acme");
  const std::string cycle = create_open_cycle(admin, org);
  const auto tokens = invite(admin, cycle, 4, "manager");
  auto progress = [&] { return body_of(admin.get("/api/orgs/" + org + "/progress"))["cycles"][0]; };
  auto submit = [&](std::size_t i) {
    ASSERT_EQ(put_answers(tokens[i], {{"LS2", 1 + static_cast<int>(i)}, {"IN2", 5 - static_cast<int>(i)}}).status, 200);
    ASSERT_EQ(server->request("POST", "/api/r/" + tokens[i] + "/submit").status, 200);
  };
  submit(0);
  EXPECT_EQ(progress()["respondents"], 0);
  EXPECT_TRUE(progress()["overall_score"].is_null());
  submit(1);
  submit(2);
  EXPECT_EQ(progress()["respondents"], 0);
  ASSERT_EQ(admin.send("POST", "/api/cycles/" + cycle + "/close").status, 200);
  const json released = progress();
  const json report = body_of(admin.get("/api/cycles/" + cycle + "/report"));
  EXPECT_EQ(released["respondents"], 3);
  EXPECT_EQ(released["overall_score"], report["overall_score"]);
  EXPECT_EQ(released["stage"], report["stage"]["number"]);
  ASSERT_EQ(admin.send("POST", "/api/cycles/" + cycle + "/open").status, 200);
  submit(3);
  EXPECT_EQ(progress()["respondents"], 3);
  EXPECT_EQ(progress()["overall_score"], released["overall_score"]);
  ASSERT_EQ(admin.send("POST", "/api/cycles/" + cycle + "/close").status, 200);  // one waiting: held back
  EXPECT_EQ(progress()["competencies"], released["competencies"]);
  const json doc = body_of(admin.get("/api/orgs/" + org + "/progress"));
  EXPECT_FALSE(doc["next_due"].is_null());
  EXPECT_FALSE(doc["last_closed_at"].is_null());
}

// Attack 4: revoking a submitted link would take that person out of the
// report, and the difference would be their answers.
TEST_P(ServerTest, ASubmittedAnonymousResponseCannotBeRevoked) {
  const std::string org = create_org(admin, "Acme");
  const std::string cycle = create_open_cycle(admin, org);
  const auto tokens = invite(admin, cycle, 2, "manager");
  ASSERT_EQ(put_answers(tokens[0], {{"LS2", 4}}).status, 200);
  ASSERT_EQ(server->request("POST", "/api/r/" + tokens[0] + "/submit").status, 200);
  const json listed = body_of(admin.get("/api/cycles/" + cycle + "/invitations"));
  for (const auto& link : listed["invitations"]) {
    const auto r = admin.send("POST", "/api/cycles/" + cycle + "/invitations/" + link["id"].get<std::string>() + "/revoke");
    if (link["submitted"].get<bool>()) {
      EXPECT_EQ(r.status, 409);
      EXPECT_EQ(body_of(r)["error"]["code"], "submitted_anonymous");
    } else {
      EXPECT_EQ(r.status, 200);
    }
  }
}

TEST_P(ServerTest, DemoDataIsLabelledAndScored) {
  const auto demo = run_cxm({"demo", "--db", db});
  ASSERT_EQ(demo.exit_status, 0) << demo.err;
  const auto orgs = body_of(admin.get("/api/orgs"))["organizations"];
  ASSERT_EQ(orgs.size(), 1u);
  EXPECT_TRUE(orgs[0]["demo"].get<bool>());
  EXPECT_NE(orgs[0]["name"].get<std::string>().find("synthetic"), std::string::npos);
  const auto cycles = body_of(admin.get("/api/orgs/" + orgs[0]["id"].get<std::string>() + "/cycles"))["cycles"];
  ASSERT_EQ(cycles.size(), 2u);
  const auto first = body_of(admin.get("/api/cycles/" + cycles[0]["id"].get<std::string>() + "/report"));
  const auto second = body_of(admin.get("/api/cycles/" + cycles[1]["id"].get<std::string>() + "/report"));
  EXPECT_EQ(first["respondents"], 40);
  EXPECT_EQ(second["respondents"], 40);
  EXPECT_GT(second["overall_score"].get<double>(), first["overall_score"].get<double>());
  // Progress: the change between the two, as the reports' scores give it.
  const auto progress = body_of(admin.get("/api/orgs/" + orgs[0]["id"].get<std::string>() + "/progress"));
  ASSERT_EQ(progress["cycles"].size(), 2u);
  EXPECT_TRUE(progress["cycles"][0]["change"].is_null());
  const auto& change = progress["cycles"][1]["change"];
  EXPECT_EQ(progress["cycles"][1]["compared_with"], cycles[0]["id"]);
  EXPECT_EQ(change["overall"]["n_before"], 40);
  EXPECT_EQ(change["overall"]["n_after"], 40);
  EXPECT_GT(change["overall"]["change"].get<double>(), 0.0);
  EXPECT_LT(change["overall"]["ci_low"].get<double>(), change["overall"]["change"].get<double>());
  EXPECT_EQ(change["competencies"].size(), 7u);
  EXPECT_EQ(change["stage"]["before"], first["stage"]["number"]);
  EXPECT_EQ(change["stage"]["after"], second["stage"]["number"]);
  EXPECT_EQ(progress["cycles"][1]["response_rate"], 1.0);
  EXPECT_FALSE(progress["next_due"].is_null());
  // Loading twice does not duplicate it.
  ASSERT_EQ(run_cxm({"demo", "--db", db}).exit_status, 0);
  EXPECT_EQ(body_of(admin.get("/api/orgs"))["organizations"].size(), 1u);
}

// A backup taken while the server runs restores, into an empty database of
// either kind, to a server that gives every report exactly as before; a
// restore refuses a database that has data, and a backup an existing file.
TEST_P(ServerTest, BackupAndRestoreKeepEveryReport) {
  ASSERT_EQ(run_cxm({"demo", "--db", db}).exit_status, 0);
  const std::string org = create_org(admin, "Acme");
  const std::string open_cycle = create_open_cycle(admin, org, false);
  const auto tokens = invite(admin, open_cycle, 3, "manager");
  for (std::size_t i = 0; i < tokens.size(); ++i) {
    ASSERT_EQ(put_answers(tokens[i], {{"LS2", 1 + static_cast<int>(i)}, {"GO2", 4}}).status, 200);
    ASSERT_EQ(server->request("POST", "/api/r/" + tokens[i] + "/submit").status, 200);
  }
  std::vector<std::string> reports;
  std::vector<json> seen;
  const json orgs = body_of(admin.get("/api/orgs"));
  for (const auto& o : orgs["organizations"]) {
    const json cycles = body_of(admin.get("/api/orgs/" + o["id"].get<std::string>() + "/cycles"));
    for (const auto& c : cycles["cycles"]) {
      for (const std::string filter : {"", "?role=manager", "?unit=Sales"}) {
        reports.push_back("/api/cycles/" + c["id"].get<std::string>() + "/report" + filter);
        seen.push_back(body_of(admin.get(reports.back())));
      }
    }
  }
  ASSERT_EQ(reports.size(), 9u);  // two demo cycles and ours, three views each
  const std::string file = dir.path() + "/backup.cxm";
  const auto backup = run_cxm({"backup", "--db", db, file});  // while the server runs
  ASSERT_EQ(backup.exit_status, 0) << backup.err;
  EXPECT_NE(backup.out.find("backed up"), std::string::npos);
  EXPECT_EQ(run_cxm({"backup", "--db", db, file}).exit_status, 2);  // not over an existing file

  for (const std::string kind : {"sqlite", "postgresql"}) {
    TempDir other;
    const std::string target = database(kind, other);
    const auto restored = run_cxm({"restore", "--db", target, file});
    ASSERT_EQ(restored.exit_status, 0) << kind << ": " << restored.err;
    const auto again = run_cxm({"restore", "--db", target, file});
    EXPECT_EQ(again.exit_status, 2) << kind;
    EXPECT_NE(again.err.find("not empty"), std::string::npos) << again.err;
    ServerProcess copy(target);
    Client reader(copy);
    ASSERT_EQ(reader.login("lead@example.org", "correct horse battery"), 200) << kind;
    for (std::size_t i = 0; i < reports.size(); ++i) {
      EXPECT_EQ(body_of(reader.get(reports[i])), seen[i]) << kind << " " << reports[i];
    }
  }
  // Into a database that already has data: refused, nothing changed.
  const auto into_live = run_cxm({"restore", "--db", db, file});
  EXPECT_EQ(into_live.exit_status, 2);
  EXPECT_EQ(body_of(admin.get(reports[0])), seen[0]);
}

// The discussion (issue 16): every statement's figures, the agenda with the
// split statement first, notes and decisions kept with the cycle, small
// groups hidden, and nothing of an anonymous cycle before its release.
TEST_P(ServerTest, DiscussionShowsTheAgendaAndKeepsNotes) {
  const std::string org = create_org(admin, "Acme");
  const std::string cycle = create_open_cycle(admin, org, false);
  const auto execs = invite(admin, cycle, 3, "executive");
  const auto front = invite(admin, cycle, 3, "frontline");
  const auto managers = invite(admin, cycle, 1, "manager");
  // LS2 splits the room (1,1,1 against 5,5,5, one 3): mean 3, disagreement.
  // LS3 is nearly unanimous.
  for (std::size_t i = 0; i < 3; ++i) {
    ASSERT_EQ(put_answers(execs[i], {{"LS2", 5}, {"LS3", i == 1 ? 5 : 4}}).status, 200);
    ASSERT_EQ(server->request("POST", "/api/r/" + execs[i] + "/submit").status, 200);
    ASSERT_EQ(put_answers(front[i], {{"LS2", 1}, {"LS3", i == 2 ? 5 : 4}}).status, 200);
    ASSERT_EQ(server->request("POST", "/api/r/" + front[i] + "/submit").status, 200);
  }
  ASSERT_EQ(put_answers(managers[0], {{"LS2", 3}, {"LS3", 5}}).status, 200);
  ASSERT_EQ(server->request("POST", "/api/r/" + managers[0] + "/submit").status, 200);

  const auto path = "/api/cycles/" + cycle + "/discussion";
  json d = body_of(admin.get(path));
  ASSERT_TRUE(d["available"].get<bool>()) << d.dump();
  EXPECT_EQ(d["respondents"], 7);
  EXPECT_EQ(d["statements"].size(), 49u);
  const json& ls2 = d["statements"][0];
  ASSERT_EQ(ls2["id"], "LS2");
  EXPECT_EQ(ls2["figures"]["histogram"], json({3, 0, 1, 0, 3}));
  EXPECT_NEAR(ls2["figures"]["mean"].get<double>(), 3.0, 1e-9);
  EXPECT_EQ(ls2["figures"]["class"], "disagreement");
  EXPECT_TRUE(ls2["figures"]["bimodal"].get<bool>());
  EXPECT_TRUE(ls2["discussion"].is_null());
  ASSERT_GE(d["agenda"].size(), 2u);
  EXPECT_EQ(d["agenda"][0]["id"], "LS2");
  EXPECT_EQ(d["agenda"].back()["class"], "agreement");
  // The lone manager is too few to show, alone or as a gap.
  for (const auto& role : d["segments"]["role"]) {
    if (role["value"] == "manager") {
      EXPECT_TRUE(role["suppressed"].get<bool>());
    }
  }
  ASSERT_EQ(d["gaps"].size(), 1u);
  EXPECT_EQ(d["gaps"][0]["a"], "executive");
  EXPECT_EQ(d["gaps"][0]["b"], "frontline");
  EXPECT_FALSE(d["gaps"][0]["overall"]["cohens_d"].is_null());

  // A note and the group's decision, kept with the cycle.
  const auto saved = admin.send("PUT", path + "/notes/LS2", json{{"note", "Sales sees the customer\nfirst"}, {"decision", 2}}.dump());
  ASSERT_EQ(saved.status, 200) << saved.body;
  EXPECT_EQ(body_of(saved)["decision"], 2);
  d = body_of(admin.get(path));
  EXPECT_EQ(d["statements"][0]["discussion"]["note"], "Sales sees the customer\nfirst");
  EXPECT_EQ(d["statements"][0]["discussion"]["decision"], 2);
  EXPECT_EQ(admin.send("PUT", path + "/notes/LS2", json{{"decision", 6}}.dump()).status, 422);
  EXPECT_EQ(admin.send("PUT", path + "/notes/LS2", json{{"decision", "2"}}.dump()).status, 422);
  EXPECT_EQ(admin.send("PUT", path + "/notes/LS2", json{{"note", std::string(4001, 'x')}}.dump()).status, 422);
  EXPECT_EQ(admin.send("PUT", path + "/notes/NOPE", json{{"note", "x"}}.dump()).status, 404);
  EXPECT_EQ(admin.send("PUT", path + "/notes/LS2", "[1]").status, 422);
  EXPECT_EQ(server->request("PUT", path + "/notes/LS2", "{}", {{"Content-Type", "application/json"}}).status, 401);
  // Clearing both removes it.
  ASSERT_EQ(admin.send("PUT", path + "/notes/LS2", json{{"note", ""}, {"decision", nullptr}}.dump()).status, 200);
  EXPECT_TRUE(body_of(admin.get(path))["statements"][0]["discussion"].is_null());

  // An anonymous cycle shows no figures while open, not even in the discussion.
  const std::string anonymous = create_open_cycle(admin, org, true);
  for (const auto& t : invite(admin, anonymous, 3, "executive")) {
    ASSERT_EQ(put_answers(t, {{"LS2", 4}}).status, 200);
    ASSERT_EQ(server->request("POST", "/api/r/" + t + "/submit").status, 200);
  }
  const json hidden = body_of(admin.get("/api/cycles/" + anonymous + "/discussion"));
  EXPECT_FALSE(hidden["available"].get<bool>());
  EXPECT_TRUE(hidden["statements"][0]["figures"].is_null());
  EXPECT_TRUE(hidden["agenda"].empty());
  EXPECT_EQ(hidden["anonymity"]["release"], 0);
  ASSERT_EQ(admin.send("POST", "/api/cycles/" + anonymous + "/close").status, 200);
  const json released = body_of(admin.get("/api/cycles/" + anonymous + "/discussion"));
  EXPECT_TRUE(released["available"].get<bool>());
  EXPECT_EQ(released["statements"][0]["figures"]["histogram"], json({0, 0, 0, 3, 0}));
}

// Every route, called anonymously and by a user of another organization.
TEST_P(ServerTest, EveryRouteRefusesStrangers) {
  const std::string org = create_org(admin, "Acme");
  const std::string cycle = create_open_cycle(admin, org);
  const auto tokens = invite(admin, cycle, 1, "executive");
  const std::string participant = body_of(admin.get("/api/cycles/" + cycle + "/invitations"))["invitations"][0]["id"];
  const auto added_action = admin.send("POST", "/api/orgs/" + org + "/actions", R"({"title":"Call ten customers","due":"2026-06-30"})");
  ASSERT_EQ(added_action.status, 201) << added_action.body;
  const std::string action = body_of(added_action)["id"];

  // Someone with their own organization on the same instance.
  const auto added = run_cxm({"user", "add", "--db", db, "--email", "other@example.org"}, "another long password\n");
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
      {"GET", "/api/cycles/" + cycle + "/report.csv?table=actions&dataset=pool"},
      {"GET", "/api/cycles/" + cycle + "/plan"},
      {"GET", "/api/orgs/" + org + "/progress"},
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
      {"PUT", "/api/cycles/" + cycle + "/discussion/notes/LS2"},
      {"GET", "/api/cycles/" + cycle + "/events"},
  };
  for (const auto& route : routes) {
    SCOPED_TRACE(route.method + " " + route.path);
    const auto anonymous = server->request(route.method, route.path, "{}", {{"Content-Type", "application/json"}});
    EXPECT_EQ(anonymous.status, 401);
    EXPECT_EQ(body_of(anonymous)["error"]["code"], "unauthenticated");
    const auto other = route.method == "GET" ? stranger.get(route.path) : stranger.send(route.method, route.path, R"({"name":"x","count":1})");
    EXPECT_EQ(other.status, 404) << other.body;
  }
  // Nor through the stranger's own organization: Acme's action is not
  // theirs, and Acme's cycle cannot be named as the source of their action.
  EXPECT_EQ(stranger.send("PATCH", "/api/orgs/" + other_org + "/actions/" + action, R"({"version":1,"title":"x"})").status, 404);
  EXPECT_EQ(stranger.send("DELETE", "/api/orgs/" + other_org + "/actions/" + action).status, 404);
  EXPECT_EQ(stranger.send("POST", "/api/orgs/" + other_org + "/actions", R"({"title":"x","cycle":")" + cycle + R"("})").status, 422);
  EXPECT_EQ(body_of(stranger.get("/api/orgs/" + other_org + "/actions"))["actions"].size(), 0u);
  EXPECT_EQ(body_of(admin.get("/api/orgs/" + org + "/actions"))["actions"][0]["title"], "Call ten customers");
  // Benchmark datasets are reference data for every signed-in user; only
  // an administrator imports one.
  EXPECT_EQ(server->request("GET", "/api/benchmarks").status, 401);
  EXPECT_EQ(stranger.get("/api/benchmarks").status, 200);
  EXPECT_EQ(stranger.send("POST", "/api/benchmarks", R"({"name":"x","source":"x","licence":"x","csv":"x"})").status, 403);
  EXPECT_EQ(stranger.get("/api/benchmarks/export.csv").status, 403);
  // The stranger's organization list does not show Acme.
  EXPECT_EQ(body_of(stranger.get("/api/orgs"))["organizations"].size(), 1u);
  // Without the CSRF header a state-changing request is refused.
  const auto no_csrf = server->request("POST", "/api/orgs", R"({"name":"x"})", {{"Content-Type", "application/json"}});
  EXPECT_EQ(no_csrf.status, 401);
  // A made-up participant token reaches nothing; a real one only its cycle.
  EXPECT_EQ(server->request("GET", "/api/r/" + std::string(32, 'a')).status, 404);
  EXPECT_EQ(server->request("GET", "/api/r/x").status, 404);
  EXPECT_EQ(body_of(server->request("GET", "/api/r/" + tokens[0]))["cycle"]["name"], "Spring");
  // A revoked link reaches nothing.
  ASSERT_EQ(admin.send("POST", "/api/cycles/" + cycle + "/invitations/" + participant + "/revoke").status, 200);
  EXPECT_EQ(server->request("GET", "/api/r/" + tokens[0]).status, 404);
}

// A dataset of peers around our own overall score: the Retail cut holds
// `retail` of them (two below, one equal, the rest above), Banking four.
std::string peers_csv(const std::string& model_id, const std::string& competency, double own, int retail) {
  std::string csv = "organization,industry,size_band,region,assessed_on,model_id,stage,overall," + competency + "\n";
  const double offsets[] = {-10, -5, 0, 5, 10, 15};
  for (int i = 0; i < retail; ++i) {
    csv += "Secret Peer " + std::to_string(i) + ",Retail,250-999,EU,2025-0" + std::to_string(i + 1) + "-15," + model_id +
           "," + std::to_string(2 + i % 3) + "," + json(own + offsets[i]).dump() + ",50\n";
  }
  for (int i = 0; i < 4; ++i) csv += "Bank " + std::to_string(i) + ",Banking,1000+,US,2024-11-30," + model_id + ",3,40,\n";
  csv += "Other model,Retail,250-999,EU,2025-01-15,another-model,6,99,99\n";
  return csv;
}

TEST_P(ServerTest, BenchmarkDatasetsAreImportedWholeAndCompareAClosedCycle) {
  const std::string org = create_org(admin, "Acme");
  const std::string cycle = create_open_cycle(admin, org, false);
  for (const auto& token : invite(admin, cycle, 3, "executive")) {
    ASSERT_EQ(put_answers(token, {{"LS2", 4}, {"LS3", 3}, {"GO2", 2}}).status, 200);
    ASSERT_EQ(server->request("POST", "/api/r/" + token + "/submit").status, 200);
  }
  const json report = body_of(admin.get("/api/cycles/" + cycle + "/report"));
  const double own = report["overall_score"];
  const std::string model_id = report["model"]["id"];
  const std::string competency = report["competencies"][0]["id"];

  // One bad cell: refused with its line and column, nothing imported.
  std::string bad = peers_csv(model_id, competency, own, 5);
  bad.replace(bad.find("2025-03-15"), 10, "2025-02-30");
  const auto refused = admin.send("POST", "/api/benchmarks",
                                  json{{"name", "Peers"}, {"source", "Test"}, {"licence", "CC-BY-4.0"}, {"csv", bad}}.dump());
  ASSERT_EQ(refused.status, 422) << refused.body;
  EXPECT_EQ(body_of(refused)["error"]["message"],
            "csv: line 4, column 5: assessed_on '2025-02-30' is not a date as YYYY-MM-DD (from 1900); nothing was imported");
  EXPECT_EQ(body_of(admin.get("/api/benchmarks"))["datasets"].size(), 0u);

  const auto imported = admin.send("POST", "/api/benchmarks",
                                   json{{"name", "Consultancy clients 2025"},
                                        {"source", "Example Consulting"},
                                        {"citation", "Example Consulting (2025), client assessments"},
                                        {"licence", "CC-BY-4.0"},
                                        {"published_on", "2025-06-30"},
                                        {"synthetic", true},
                                        {"csv", peers_csv(model_id, competency, own, 5)}}
                                       .dump());
  ASSERT_EQ(imported.status, 201) << imported.body;
  const std::string dataset = body_of(imported)["id"];
  EXPECT_EQ(body_of(imported)["assessments"], 10);
  const json listed = body_of(admin.get("/api/benchmarks"));
  ASSERT_EQ(listed["datasets"].size(), 1u);
  EXPECT_EQ(listed["datasets"][0]["citation"], "Example Consulting (2025), client assessments");
  EXPECT_TRUE(listed["datasets"][0]["synthetic"].get<bool>());

  // An open cycle has no comparison by default: only closed ones count.
  const std::string path = "/api/orgs/" + org + "/benchmark?dataset=" + dataset;
  EXPECT_EQ(admin.get(path).status, 409);
  ASSERT_EQ(admin.send("POST", "/api/cycles/" + cycle + "/close").status, 200);

  const auto compared = admin.get(path + "&industry=retail");
  ASSERT_EQ(compared.status, 200) << compared.body;
  const json b = body_of(compared);
  EXPECT_EQ(b["cycle"]["id"], cycle);
  EXPECT_EQ(b["dataset"]["name"], "Consultancy clients 2025");
  EXPECT_EQ(b["dataset"]["source"], "Example Consulting");
  EXPECT_EQ(b["dataset"]["licence"], "CC-BY-4.0");
  EXPECT_TRUE(b["dataset"]["synthetic"].get<bool>());
  EXPECT_EQ(b["filter"]["model_id"], model_id);
  EXPECT_EQ(b["peers"], 5);
  EXPECT_EQ(b["overall"]["n"], 5);
  EXPECT_DOUBLE_EQ(b["overall"]["percentile"].get<double>(), 50.0);  // 2 below, 1 equal
  EXPECT_NEAR(b["overall"]["median"].get<double>(), own, 1e-5);
  EXPECT_EQ(b["competencies"][0]["id"], competency);
  EXPECT_EQ(b["competencies"][0]["n"], 5);
  EXPECT_EQ(b["stages"]["n"], 5);
  // Peers' names never leave the server.
  EXPECT_EQ(compared.body.find("Secret Peer"), std::string::npos);
  EXPECT_EQ(compared.body.find("Bank 0"), std::string::npos);

  // Four peers: nothing shown, and how many are missing.
  const json banking = body_of(admin.get(path + "&industry=Banking"));
  EXPECT_EQ(banking["peers"], 4);
  EXPECT_EQ(banking["missing"], 1);
  EXPECT_TRUE(banking["overall"]["percentile"].is_null());
  EXPECT_TRUE(banking["overall"]["median"].is_null());
  EXPECT_EQ(banking["stages"]["counts"].size(), 0u);
  const json since = body_of(admin.get(path + "&industry=Retail&since=2025-02-01"));
  EXPECT_EQ(since["peers"], 4);
  EXPECT_EQ(since["missing"], 1);

  // The instance's own closed cycles export as a dataset another instance
  // imports: a pseudonym, never the organization's name.
  const auto exported = admin.get("/api/benchmarks/export.csv");
  ASSERT_EQ(exported.status, 200) << exported.body;
  EXPECT_EQ(exported.body.rfind("organization,industry,size_band,region,assessed_on,model_id,stage,overall,", 0), 0u);
  EXPECT_EQ(exported.body.find("Acme"), std::string::npos);
  EXPECT_NE(exported.body.find("\nclient-"), std::string::npos);
  const auto reimported = admin.send("POST", "/api/benchmarks",
                                     json{{"name", "Our clients"}, {"source", "This instance"}, {"licence", "internal"},
                                          {"csv", exported.body}}.dump());
  ASSERT_EQ(reimported.status, 201) << reimported.body;
  EXPECT_EQ(body_of(reimported)["assessments"], 1);

  EXPECT_EQ(admin.get("/api/orgs/" + org + "/benchmark?dataset=nope").status, 404);
  EXPECT_EQ(admin.get("/api/orgs/" + org + "/benchmark").status, 422);
  EXPECT_EQ(admin.get(path + "&since=2025-13-01").status, 422);
}

TEST_P(ServerTest, ThePoolComparesWithFiveOtherMembersAndNeverNamesThem) {
  // An organization whose one closed cycle has one respondent answering `value`.
  auto organization = [&](const std::string& name, int value) {
    const auto created = admin.send("POST", "/api/orgs", json{{"name", name}, {"industry", "Retail"}, {"units", {"Sales"}}}.dump());
    EXPECT_EQ(created.status, 201) << created.body;
    const std::string org = body_of(created)["id"];
    const std::string cycle = create_open_cycle(admin, org, false);
    const std::string token = invite(admin, cycle, 1, "executive")[0];
    EXPECT_EQ(put_answers(token, {{"LS2", value}, {"GO2", value}, {"IN2", value}}).status, 200);
    EXPECT_EQ(server->request("POST", "/api/r/" + token + "/submit").status, 200);
    EXPECT_EQ(admin.send("POST", "/api/cycles/" + cycle + "/close").status, 200);
    return org;
  };
  auto join = [&](const std::string& org, bool member) {
    const auto r = admin.send("PUT", "/api/orgs/" + org + "/benchmark-pool", json{{"member", member}}.dump());
    EXPECT_EQ(r.status, 200) << r.body;
    return body_of(r);
  };
  const std::string ours = organization("Our Company", 3);
  const std::string path = "/api/orgs/" + ours + "/benchmark?dataset=pool";
  // Only members compare with the pool.
  const auto outsider = admin.get(path);
  EXPECT_EQ(outsider.status, 409);
  EXPECT_EQ(body_of(outsider)["error"]["code"], "not_in_pool");
  EXPECT_TRUE(join(ours, true)["member"].get<bool>());

  std::vector<std::string> others;
  for (int i = 0; i < 4; ++i) others.push_back(organization("Pool Member " + std::to_string(i), 1 + i));
  organization("Not A Member", 5);  // never counted
  for (const auto& org : others) join(org, true);
  const json four = body_of(admin.get(path));
  EXPECT_EQ(four["peers"], 4);
  EXPECT_EQ(four["missing"], 1);
  EXPECT_TRUE(four["overall"]["percentile"].is_null());
  EXPECT_TRUE(four["overall"]["median"].is_null());

  others.push_back(organization("Pool Member 4", 5));
  join(others.back(), true);
  const auto five = admin.get(path);
  ASSERT_EQ(five.status, 200) << five.body;
  const json b = body_of(five);
  EXPECT_EQ(b["peers"], 5);
  EXPECT_EQ(b["missing"], 0);
  EXPECT_EQ(b["dataset"]["id"], "pool");
  EXPECT_FALSE(b["dataset"]["synthetic"].get<bool>());
  // Overall scores rank as their answers 1..5 do; ours (3) has two below and one equal.
  EXPECT_DOUBLE_EQ(b["overall"]["percentile"].get<double>(), 100.0 * (2 + 0.5) / 5);
  for (const char* name : {"Pool Member", "Not A Member", "Our Company"}) {
    EXPECT_EQ(five.body.find(name), std::string::npos) << name;
  }
  // A cut the pool does not fill: how many are missing.
  EXPECT_EQ(body_of(admin.get(path + "&industry=Banking"))["missing"], 5);
  // Leaving takes an organization out at once.
  EXPECT_FALSE(join(others[0], false)["member"].get<bool>());
  EXPECT_EQ(body_of(admin.get(path))["peers"], 4);
}

// docs/anonymity.md, comparing two moments: a comparison shows an anonymous
// cycle's released results only, so it moves in steps of at least k people,
// never with one submission.
TEST_P(ServerTest, ABenchmarkOfAnAnonymousCycleMovesOnlyWithReleases) {
  const std::string org = create_org(admin, "Acme");
  const std::string cycle = create_open_cycle(admin, org);
  const auto tokens = invite(admin, cycle, 4, "manager");
  auto submit = [&](std::size_t i, int value) {
    ASSERT_EQ(put_answers(tokens[i], {{"LS2", value}, {"GO2", value}}).status, 200);
    ASSERT_EQ(server->request("POST", "/api/r/" + tokens[i] + "/submit").status, 200);
  };
  std::string csv = "organization,industry,size_band,region,assessed_on,model_id,stage,overall\n";
  for (int i = 0; i < 5; ++i) csv += "p" + std::to_string(i) + ",,,,2025-01-0" + std::to_string(i + 1) + ",cx-maturity,2," + std::to_string(10 + 20 * i) + "\n";
  const auto imported = admin.send("POST", "/api/benchmarks",
                                   json{{"name", "Peers"}, {"source", "Test"}, {"licence", "CC0"}, {"csv", csv}}.dump());
  ASSERT_EQ(imported.status, 201) << imported.body;
  const std::string path = "/api/orgs/" + org + "/benchmark?dataset=" + body_of(imported)["id"].get<std::string>() + "&cycle=" + cycle;

  for (std::size_t i = 0; i < 3; ++i) submit(i, 2 + static_cast<int>(i));
  const auto open = admin.get(path);
  EXPECT_EQ(open.status, 409) << "nothing is released while the cycle is open: " << open.body;
  ASSERT_EQ(admin.send("POST", "/api/cycles/" + cycle + "/close").status, 200);
  const auto released = admin.get(path);
  ASSERT_EQ(released.status, 200) << released.body;
  const json first = body_of(released);
  EXPECT_DOUBLE_EQ(first["overall"]["score"].get<double>(),
                   body_of(admin.get("/api/cycles/" + cycle + "/report"))["overall_score"].get<double>());

  // One more submission, released with nobody else: the comparison stays.
  ASSERT_EQ(admin.send("POST", "/api/cycles/" + cycle + "/open").status, 200);
  submit(3, 5);
  EXPECT_EQ(body_of(admin.get(path)), first);
  ASSERT_EQ(admin.send("POST", "/api/cycles/" + cycle + "/close").status, 200);
  EXPECT_EQ(body_of(admin.get(path)), first);
}

TEST_P(ServerTest, OrganizationSettingsChangeButUnitsInUseStay) {
  const std::string org = create_org(admin, "Acme");
  const std::string cycle = create_open_cycle(admin, org);
  ASSERT_EQ(admin.send("POST", "/api/cycles/" + cycle + "/invitations", R"({"count":1,"unit":"Sales"})").status, 201);

  const auto changed = admin.send("PATCH", "/api/orgs/" + org,
                                  R"({"name":"Acme Group","industry":"Retail","size_band":"5,000+","units":["Sales","Support","Claims"]})");
  ASSERT_EQ(changed.status, 200) << changed.body;
  const auto org_now = body_of(admin.get("/api/orgs/" + org));
  EXPECT_EQ(org_now["name"], "Acme Group");
  EXPECT_EQ(org_now["industry"], "Retail");
  EXPECT_EQ(org_now["units"], nlohmann::json::parse(R"(["Sales","Support","Claims"])"));

  // Sales tags a link: it cannot go; an unused unit can.
  const auto refused = admin.send("PATCH", "/api/orgs/" + org, R"({"units":["Support"]})");
  EXPECT_EQ(refused.status, 409);
  EXPECT_NE(body_of(refused)["error"]["message"].get<std::string>().find("'Sales'"), std::string::npos);
  EXPECT_EQ(body_of(admin.get("/api/orgs/" + org))["units"].size(), 3u);  // nothing changed
  EXPECT_EQ(admin.send("PATCH", "/api/orgs/" + org, R"({"units":["Claims","Sales"]})").status, 200);
  EXPECT_EQ(body_of(admin.get("/api/orgs/" + org))["units"], nlohmann::json::parse(R"(["Claims","Sales"])"));

  EXPECT_EQ(admin.send("PATCH", "/api/orgs/" + org, R"({"name":""})").status, 422);
  EXPECT_EQ(admin.send("PATCH", "/api/orgs/" + org, R"({"units":["A","A"]})").status, 422);
  EXPECT_EQ(admin.send("PATCH", "/api/orgs/" + org, R"({"units":"Sales"})").status, 422);
}

TEST_P(ServerTest, CsrfTokenRequiredForChanges) {
  const auto r = server->request("POST", "/api/orgs", R"({"name":"x"})",
                                 {{"Content-Type", "application/json"}, {"Cookie", "cxm_session=forged"}});
  EXPECT_EQ(r.status, 401);
}

TEST_P(ServerTest, LoginIsRateLimited) {
  Client guesser(*server);
  for (int i = 0; i < 5; ++i) EXPECT_EQ(guesser.login("lead@example.org", "wrong password " + std::to_string(i)), 401);
  EXPECT_EQ(guesser.login("lead@example.org", "correct horse battery"), 429);
}

TEST_P(ServerTest, BadInputGetsAClearClientError) {
  const std::string org = create_org(admin, "Acme");
  const std::string cycle = create_open_cycle(admin, org);
  const auto token = invite(admin, cycle, 1, "executive")[0];
  const std::string answers = "/api/r/" + token + "/answers";
  const std::map<std::string, std::string> json_type = {{"Content-Type", "application/json"}};

  EXPECT_EQ(server->request("PUT", answers, "{\"answers\":", json_type).status, 400);
  EXPECT_EQ(server->request("PUT", answers, R"({"answers":{"LS2":4}})", {{"Content-Type", "text/plain"}}).status, 415);
  EXPECT_EQ(server->request("PUT", answers, "{\"answers\":{\"LS2\":\"\xff\"}}", json_type).status, 400);
  EXPECT_EQ(server->request("PUT", answers, std::string(2 << 20, ' '), json_type).status, 413);
  const auto unknown = server->request("PUT", answers, R"({"answers":{"LS2":4,"NOPE":3}})", json_type);
  EXPECT_EQ(unknown.status, 422);
  EXPECT_EQ(body_of(unknown)["error"]["message"], "answers.NOPE: unknown item");
  EXPECT_EQ(server->request("PUT", answers, R"({"answers":{"LS2":9}})", json_type).status, 422);
  EXPECT_EQ(server->request("PUT", answers, R"({"answers":{"LS2":"4"}})", json_type).status, 422);
  EXPECT_EQ(server->request("PUT", answers, R"({"answers":[4]})", json_type).status, 422);
  EXPECT_EQ(server->request("PUT", answers, R"([])", json_type).status, 422);
  // Nothing of the rejected batches was saved.
  EXPECT_EQ(body_of(server->request("GET", "/api/r/" + token))["progress"]["answered"], 0);

  EXPECT_EQ(admin.send("POST", "/api/orgs", R"({"name":""})").status, 422);
  EXPECT_EQ(admin.send("POST", "/api/orgs", R"({"name":"'; DROP TABLE organizations; --"})").status, 201);
  EXPECT_EQ(admin.send("POST", "/api/orgs/" + org + "/cycles", R"({"name":"x","min_group_size":0})").status, 422);
  const auto broken_model = admin.send("POST", "/api/orgs/" + org + "/cycles", R"({"name":"x","model_yaml":"id: ["})");
  EXPECT_EQ(broken_model.status, 422);
  EXPECT_EQ(body_of(broken_model)["error"]["message"].get<std::string>().rfind("model_yaml: line 1, column ", 0), 0u)
      << broken_model.body;
  EXPECT_EQ(admin.send("POST", "/api/cycles/" + cycle + "/invitations", R"({"count":501})").status, 422);
  EXPECT_EQ(admin.send("POST", "/api/cycles/" + cycle + "/invitations", R"({"count":1,"role":"ceo"})").status, 422);
  EXPECT_EQ(admin.send("PATCH", "/api/cycles/" + cycle, R"({"name":"y"})").status, 409);  // not a draft
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
  std::map<std::string, int> acknowledged;  // token -> last acknowledged LS2 value
  std::atomic<bool> go{true};
  std::vector<std::thread> writers;
  for (int t = 0; t < 8; ++t) {
    writers.emplace_back([&, t] {
      for (std::size_t i = static_cast<std::size_t>(t); i < tokens.size() && go; i += 8) {
        const int value = 1 + static_cast<int>(i % 5);
        const auto r = put_answers(tokens[i], {{"LS2", value}, {"LS3", value}});
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
    ASSERT_EQ(q["answers"]["LS2"], value) << token;
    EXPECT_EQ(q["progress"]["answered"], 2);  // no duplicates
  }
  // Idempotent retry of a batch after the restart.
  const auto& [token, value] = *acknowledged.begin();
  ASSERT_EQ(put_answers(token, {{"LS2", value}, {"LS3", value}}).status, 200);
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

PostgresCluster* ServerTest::cluster = nullptr;

INSTANTIATE_TEST_SUITE_P(Databases, ServerTest, ::testing::Values("sqlite", "postgresql"),
                         [](const auto& info) { return info.param; });

}  // namespace
}  // namespace cxm::testing
