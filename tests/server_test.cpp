// The real `cxm serve` over HTTP on SQLite: the whole flow, access control
// on every route, bad input, durability across kill -9, graceful shutdown.
#include <gtest/gtest.h>
#include <nlohmann/json.hpp>
#include <signal.h>
#include <sys/resource.h>

#include <algorithm>
#include <atomic>
#include <fstream>
#include <iostream>
#include <map>
#include <mutex>
#include <set>
#include <sstream>
#include <thread>
#include <tuple>

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

// A phone in a live workshop: joined with the room's code, holding the
// claim cookie of the link the join minted.
struct Phone {
  int port = 0;
  std::string token;
  std::string cookie;

  HttpResult answer(int round, const json& answers, bool with_cookie = true) const {
    std::map<std::string, std::string> headers = {{"Content-Type", "application/json"}};
    if (with_cookie) headers["Cookie"] = cookie;
    return http_request(port, "PUT", "/api/r/" + token + "/workshop/answers",
                        json{{"round", round}, {"answers", answers}}.dump(), headers);
  }
  json room() const { return json::parse(http_request(port, "GET", "/api/r/" + token + "/workshop", "", {{"Cookie", cookie}}).body); }
};

HttpResult join_with(int port, const std::string& code) {
  return http_request(port, "POST", "/api/join", json{{"code", code}}.dump(), {{"Content-Type", "application/json"}});
}

std::optional<Phone> join_phone(int port, const std::string& code) {
  const auto r = join_with(port, code);
  if (r.status != 200 || !r.headers.contains("set-cookie")) return std::nullopt;
  const std::string set = r.headers.at("set-cookie");
  return Phone{port, json::parse(r.body)["token"], set.substr(0, set.find(';'))};
}

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
  // Scope and the roll-up rule changed through A: B's cached report (and
  // its organizations list) are computed again.
  ASSERT_EQ(body_of(admin_b.get("/api/cycles/" + cycle + "/report"))["items"].size(),
            body_of(admin.get("/api/orgs/" + org + "/aims"))["model"]["items"].size());
  ASSERT_EQ(admin.send("PUT", "/api/orgs/" + org + "/aims", R"({"out_of_scope":[{"item":"GO2","reason":"n/a"}]})").status, 200);
  EXPECT_TRUE(eventually([&] {
    const json report = body_of(admin_b.get("/api/cycles/" + cycle + "/report"));
    return report.contains("out_of_scope") && report["out_of_scope"].size() == 1;
  }));
  ASSERT_EQ(admin.send("PATCH", "/api/orgs/" + org, R"({"stage_rollup":"weakest_unit"})").status, 200);
  EXPECT_TRUE(eventually([&] {
    return body_of(admin_b.get("/api/cycles/" + cycle + "/report"))["stage_rollup"]["rule"] == "weakest_unit";
  }));
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
  ASSERT_EQ(cycles.size(), 3u);
  const auto earliest = body_of(admin.get("/api/cycles/" + cycles[0]["id"].get<std::string>() + "/report"));
  const auto first = body_of(admin.get("/api/cycles/" + cycles[1]["id"].get<std::string>() + "/report"));
  const auto second = body_of(admin.get("/api/cycles/" + cycles[2]["id"].get<std::string>() + "/report"));
  EXPECT_EQ(earliest["respondents"], 40);
  EXPECT_EQ(first["respondents"], 40);
  EXPECT_EQ(second["respondents"], 40);
  // A trend: each cycle scores higher than the one before.
  EXPECT_GT(first["overall_score"].get<double>(), earliest["overall_score"].get<double>());
  EXPECT_GT(second["overall_score"].get<double>(), first["overall_score"].get<double>());
  // Progress: the change between the last two, as the reports' scores give it.
  const auto progress = body_of(admin.get("/api/orgs/" + orgs[0]["id"].get<std::string>() + "/progress"));
  ASSERT_EQ(progress["cycles"].size(), 3u);
  EXPECT_TRUE(progress["cycles"][0]["change"].is_null());
  EXPECT_EQ(progress["cycles"][1]["compared_with"], cycles[0]["id"]);
  const auto& change = progress["cycles"][2]["change"];
  EXPECT_EQ(progress["cycles"][2]["compared_with"], cycles[1]["id"]);
  EXPECT_TRUE(change["basis"]["note"].is_null());  // the same statements
  // The plan worked on since the second cycle: done, in progress, planned, dropped.
  EXPECT_EQ(progress["actions"]["done"], 2);
  EXPECT_EQ(progress["actions"]["in_progress"], 2);
  EXPECT_EQ(progress["actions"]["planned"], 1);
  EXPECT_EQ(progress["actions"]["dropped"], 1);
  const auto actions = body_of(admin.get("/api/orgs/" + orgs[0]["id"].get<std::string>() + "/actions"))["actions"];
  for (const auto& a : actions) EXPECT_NE(a["title"].get<std::string>().find("(demo)"), std::string::npos);
  EXPECT_EQ(change["overall"]["n_before"], 40);
  EXPECT_EQ(change["overall"]["n_after"], 40);
  EXPECT_GT(change["overall"]["change"].get<double>(), 0.0);
  EXPECT_LT(change["overall"]["ci_low"].get<double>(), change["overall"]["change"].get<double>());
  EXPECT_EQ(change["competencies"].size(), 7u);
  EXPECT_EQ(change["stage"]["before"], first["stage"]["number"]);
  EXPECT_EQ(change["stage"]["after"], second["stage"]["number"]);
  EXPECT_EQ(progress["cycles"][2]["response_rate"], 1.0);
  EXPECT_FALSE(progress["next_due"].is_null());
  EXPECT_FALSE(progress["overdue"].get<bool>());
  // Loading twice does not duplicate it.
  ASSERT_EQ(run_cxm({"demo", "--db", db}).exit_status, 0);
  EXPECT_EQ(body_of(admin.get("/api/orgs"))["organizations"].size(), 1u);
}

// The organizations page: each organization's latest published stage, its
// last cycle and when the next is due, from the organization's own review
// interval; overdue once that day has passed.
TEST_P(ServerTest, TheReviewIntervalSetsWhenTheNextCycleIsDue) {
  ASSERT_EQ(run_cxm({"demo", "--db", db}).exit_status, 0);
  const json orgs = body_of(admin.get("/api/orgs"));
  ASSERT_EQ(orgs["organizations"].size(), 1u);
  const json& card = orgs["organizations"][0];
  const std::string org = card["id"];
  EXPECT_EQ(card["review_interval_months"], 6);
  EXPECT_EQ(card["stage_rollup"], "pooled");
  const json& overview = card["overview"];
  ASSERT_FALSE(overview["last_closed"].is_null());
  EXPECT_EQ(overview["last_closed"]["name"], "One-year review (demo)");
  const json cycles = body_of(admin.get("/api/orgs/" + org + "/cycles"))["cycles"];
  const json report = body_of(admin.get("/api/cycles/" + cycles[2]["id"].get<std::string>() + "/report"));
  EXPECT_EQ(overview["latest_result"]["stage"], report["stage"]["number"]);
  EXPECT_EQ(overview["latest_result"]["stage_name"], report["stage"]["name"]);
  EXPECT_EQ(overview["latest_result"]["respondents"], 40);
  const json progress = body_of(admin.get("/api/orgs/" + org + "/progress"));
  EXPECT_EQ(overview["next_due"], progress["next_due"]);
  EXPECT_FALSE(overview["overdue"].get<bool>());
  EXPECT_EQ(progress["months_between_cycles"], 6);

  // The last cycle closed a month ago: with one month between cycles the
  // next is overdue, on the organizations page and on the progress page.
  const auto changed = admin.send("PATCH", "/api/orgs/" + org, R"({"review_interval_months":1})");
  ASSERT_EQ(changed.status, 200) << changed.body;
  EXPECT_EQ(body_of(changed)["review_interval_months"], 1);
  const json monthly = body_of(admin.get("/api/orgs/" + org + "/progress"));
  EXPECT_EQ(monthly["months_between_cycles"], 1);
  EXPECT_TRUE(monthly["overdue"].get<bool>());
  EXPECT_LT(monthly["next_due"].get<std::string>(), progress["next_due"].get<std::string>());
  const json again = body_of(admin.get("/api/orgs"))["organizations"][0]["overview"];
  EXPECT_TRUE(again["overdue"].get<bool>());
  EXPECT_EQ(again["next_due"], monthly["next_due"]);
  // `cxm due` says the same.
  const auto due = run_cxm({"due", "--db", db, "--json"});
  ASSERT_EQ(due.exit_status, 0) << due.err;
  const json listed = json::parse(due.out)["organizations"][0];
  EXPECT_EQ(listed["status"], "overdue");
  EXPECT_EQ(listed["next_due"], monthly["next_due"]);

  for (const char* bad : {R"({"review_interval_months":0})", R"({"review_interval_months":61})",
                          R"({"review_interval_months":"6"})", R"({"stage_rollup":"average"})"}) {
    EXPECT_EQ(admin.send("PATCH", "/api/orgs/" + org, bad).status, 422) << bad;
  }
  EXPECT_EQ(body_of(admin.get("/api/orgs/" + org))["review_interval_months"], 1);
}

// A new organization has no cycle: nothing is due yet, and its card says so.
TEST_P(ServerTest, AnOrganizationWithoutClosedCyclesHasNothingDue) {
  const std::string org = create_org(admin, "Acme");
  create_open_cycle(admin, org);
  const json card = body_of(admin.get("/api/orgs"))["organizations"][0];
  EXPECT_EQ(card["overview"]["last_cycle"]["status"], "open");
  EXPECT_TRUE(card["overview"]["last_closed"].is_null());
  EXPECT_TRUE(card["overview"]["latest_result"].is_null());
  EXPECT_TRUE(card["overview"]["next_due"].is_null());
}

// An anonymous cycle closed with fewer than k submissions publishes
// nothing: its card shows no stage, and says why.
TEST_P(ServerTest, TheOrganizationCardShowsOnlyAPublishedStage) {
  const std::string org = create_org(admin, "Acme");
  const std::string cycle = create_open_cycle(admin, org);
  const auto tokens = invite(admin, cycle, 2, "manager");
  for (const auto& token : tokens) {
    ASSERT_EQ(put_answers(token, {{"LS2", 4}}).status, 200);
    ASSERT_EQ(server->request("POST", "/api/r/" + token + "/submit").status, 200);
  }
  ASSERT_EQ(admin.send("POST", "/api/cycles/" + cycle + "/close").status, 200);
  const json result = body_of(admin.get("/api/orgs"))["organizations"][0]["overview"]["latest_result"];
  EXPECT_TRUE(result["stage"].is_null());
  EXPECT_TRUE(result["overall_score"].is_null());
  EXPECT_NE(result["withheld"].get<std::string>().find("anonymous"), std::string::npos) << result.dump();
}

// Repeating a cycle: the same settings and invitation list, new links; the
// old links stay with the old cycle.
TEST_P(ServerTest, RepeatingACycleKeepsItsSettingsAndGivesNewLinks) {
  const std::string org = create_org(admin, "Acme");
  const auto made = admin.send("POST", "/api/orgs/" + org + "/cycles",
                               json{{"name", "Spring"}, {"anonymous", false}, {"min_group_size", 4}, {"pulse", true}}.dump());
  ASSERT_EQ(made.status, 201) << made.body;
  const std::string cycle = body_of(made)["id"];
  EXPECT_EQ(admin.send("POST", "/api/cycles/" + cycle + "/repeat").status, 409);  // a draft
  ASSERT_EQ(admin.send("POST", "/api/cycles/" + cycle + "/open").status, 200);
  const auto old_tokens = invite(admin, cycle, 2, "manager");
  const auto people = admin.send("POST", "/api/cycles/" + cycle + "/invitations",
                                 json{{"people", {{{"label", "Ann"}, {"role", "executive"}, {"unit", "Support"}},
                                                  {{"label", "Bo"}, {"role", "frontline"}}}}}.dump());
  ASSERT_EQ(people.status, 201);
  const std::string bo = body_of(people)["invitations"][1]["id"];
  ASSERT_EQ(admin.send("POST", "/api/cycles/" + cycle + "/invitations/" + bo + "/revoke").status, 200);
  ASSERT_EQ(admin.send("POST", "/api/cycles/" + cycle + "/close").status, 200);

  const auto repeated = admin.send("POST", "/api/cycles/" + cycle + "/repeat", R"({"name":"Autumn"})");
  ASSERT_EQ(repeated.status, 201) << repeated.body;
  const json next = body_of(repeated);
  EXPECT_EQ(next["repeats"], cycle);
  const json old_cycle = body_of(admin.get("/api/cycles/" + cycle));
  EXPECT_EQ(next["cycle"]["name"], "Autumn");
  EXPECT_EQ(next["cycle"]["status"], "draft");
  EXPECT_NE(next["cycle"]["id"], cycle);
  for (const char* field : {"anonymous", "min_group_size", "pulse", "model"}) {
    EXPECT_EQ(next["cycle"][field], old_cycle[field]) << field;
  }
  // Three links (the revoked one is not repeated), tagged as before, with new tokens.
  const json& links = next["invitations"];
  ASSERT_EQ(links.size(), 3u);
  std::multiset<std::string> tags;
  for (const auto& l : links) {
    tags.insert(l["label"].get<std::string>() + "|" + l["role"].get<std::string>() + "|" +
                (l["unit"].is_null() ? "" : l["unit"].get<std::string>()));
    EXPECT_EQ(std::count(old_tokens.begin(), old_tokens.end(), l["token"].get<std::string>()), 0);
    EXPECT_EQ(l["token"].get<std::string>().size(), 32u);
  }
  EXPECT_EQ(tags, (std::multiset<std::string>{"|manager|Sales", "|manager|Sales", "Ann|executive|Support"}));
  // The old links reach the old cycle, the new ones the new cycle.
  EXPECT_EQ(body_of(server->request("GET", "/api/r/" + old_tokens[0]))["cycle"]["name"], "Spring");
  EXPECT_EQ(body_of(server->request("GET", "/api/r/" + links[0]["token"].get<std::string>()))["cycle"]["name"], "Autumn");
  const json listed = body_of(admin.get("/api/cycles/" + next["cycle"]["id"].get<std::string>() + "/invitations"));
  EXPECT_EQ(listed["invitations"].size(), 3u);
  EXPECT_EQ(body_of(admin.get("/api/cycles/" + cycle + "/invitations"))["invitations"].size(), 4u);
  // Without a name it says it repeats the cycle; an open cycle can be repeated too.
  ASSERT_EQ(admin.send("POST", "/api/cycles/" + cycle + "/open").status, 200);
  const auto unnamed = admin.send("POST", "/api/cycles/" + cycle + "/repeat");
  ASSERT_EQ(unnamed.status, 201);
  EXPECT_EQ(body_of(unnamed)["cycle"]["name"], "Spring (repeat)");
  EXPECT_EQ(admin.send("POST", "/api/cycles/" + cycle + "/repeat", R"({"name":"a\u0007b"})").status, 422);
}

// Every statement id of the model the organization's aims are stated
// against (the built-in one here).
std::vector<std::string> model_items(const Client& who, const std::string& org) {
  const json aims = body_of(who.get("/api/orgs/" + org + "/aims"));
  std::vector<std::string> ids;
  for (const auto& item : aims["model"]["items"]) ids.push_back(item["id"]);
  return ids;
}

// Targets and scope: a statement out of scope leaves the report, the plan
// and every score; a target stands beside each competency's stage in the
// report, the page and the workbook. Bad aims change nothing.
TEST_P(ServerTest, TargetsAndScopeChangeTheReportAndThePlan) {
  const std::string org = create_org(admin, "Acme");
  const std::string cycle = create_open_cycle(admin, org, false);
  const auto tokens = invite(admin, cycle, 3, "manager");
  const auto ids = model_items(admin, org);
  for (std::size_t i = 0; i < tokens.size(); ++i) {
    json answers;
    for (const auto& id : ids) answers[id] = id == "LS2" ? 1 : 4;
    ASSERT_EQ(put_answers(tokens[i], answers).status, 200);
    ASSERT_EQ(server->request("POST", "/api/r/" + tokens[i] + "/submit").status, 200);
  }
  const json before = body_of(admin.get("/api/cycles/" + cycle + "/report"));
  ASSERT_EQ(before["items"].size(), ids.size());
  EXPECT_EQ(before["stage_rollup"]["rule"], "pooled");

  const json aims = {{"targets", {{{"competency", "leadership"}, {"target_stage", 5}}}},
                     {"out_of_scope", {{{"item", "LS2"}, {"reason", "We have no executive team"}}}}};
  const auto saved = admin.send("PUT", "/api/orgs/" + org + "/aims", aims.dump());
  ASSERT_EQ(saved.status, 200) << saved.body;
  const json read = body_of(admin.get("/api/orgs/" + org + "/aims"));
  EXPECT_EQ(read["targets"][0]["competency"], "leadership");
  EXPECT_EQ(read["targets"][0]["target_stage"], 5);
  EXPECT_EQ(read["out_of_scope"][0]["item"], "LS2");
  EXPECT_EQ(read["out_of_scope"][0]["reason"], "We have no executive team");
  EXPECT_EQ(read["model"]["items"].size(), ids.size());

  // The cached report was computed again: LS2 is out, its low answers no
  // longer pull leadership down, and the target stands beside it.
  const json after = body_of(admin.get("/api/cycles/" + cycle + "/report"));
  EXPECT_EQ(after["items"].size(), ids.size() - 1);
  for (const auto& item : after["items"]) EXPECT_NE(item["id"], "LS2");
  EXPECT_EQ(after["out_of_scope"][0]["id"], "LS2");
  EXPECT_EQ(after["out_of_scope"][0]["reason"], "We have no executive team");
  for (std::size_t c = 0; c < after["competencies"].size(); ++c) {
    const json& now = after["competencies"][c];
    if (now["id"] == "leadership") {
      EXPECT_EQ(now["target_stage"], 5);
      EXPECT_GT(now["score"].get<double>(), before["competencies"][c]["score"].get<double>());
    } else {
      EXPECT_TRUE(now["target_stage"].is_null());
    }
  }
  const auto page = admin.get("/api/cycles/" + cycle + "/report.html");
  ASSERT_EQ(page.status, 200);
  EXPECT_NE(page.body.find("<th>Target</th>"), std::string::npos);
  EXPECT_NE(page.body.find("Out of scope: the organization took 1 statement out of scope"), std::string::npos);
  EXPECT_NE(page.body.find("We have no executive team"), std::string::npos);
  EXPECT_EQ(admin.get("/api/cycles/" + cycle + "/report.xlsx").status, 200);
  // The plan is not aimed at LS2.
  const json plan = body_of(admin.get("/api/cycles/" + cycle + "/plan"));
  ASSERT_FALSE(plan["actions"].empty());
  for (const auto& a : plan["actions"]) {
    for (const auto& item : a["items"]) EXPECT_NE(item, "LS2") << a["title"];
  }
  // The discussion leaves it out too.
  const json discussion = body_of(admin.get("/api/cycles/" + cycle + "/discussion"));
  ASSERT_EQ(discussion["statements"].size(), ids.size() - 1);
  for (const auto& st : discussion["statements"]) EXPECT_NE(st["id"], "LS2");
  // Progress scores the same statements as the report.
  const json progress = body_of(admin.get("/api/orgs/" + org + "/progress"));
  EXPECT_EQ(progress["cycles"][0]["overall_score"], after["overall_score"]);
  EXPECT_EQ(progress["targets"][0]["target_stage"], 5);

  // Bad aims: refused with the field named, and nothing changes.
  const std::vector<std::string> bad = {
      R"({"targets":[{"competency":"nope","target_stage":2}]})",
      R"({"targets":[{"competency":"leadership","target_stage":0}]})",
      R"({"targets":[{"competency":"leadership","target_stage":7}]})",
      R"({"targets":[{"competency":"leadership","target_stage":2},{"competency":"leadership","target_stage":3}]})",
      R"({"out_of_scope":[{"item":"ZZ9","reason":"x"}]})",
      R"({"out_of_scope":[{"item":"LS2","reason":""}]})",
      R"({"out_of_scope":[{"item":"LS2"}]})",
      R"({"out_of_scope":[{"item":"LS2","reason":"a"},{"item":"LS2","reason":"b"}]})",
      R"({"out_of_scope":"LS2"})",
      R"({"targets":[5]})",
  };
  for (const auto& body : bad) {
    const auto r = admin.send("PUT", "/api/orgs/" + org + "/aims", body);
    EXPECT_EQ(r.status, 422) << body << " " << r.body;
  }
  // Every statement of a stage out of scope would leave the stage unreachable.
  json whole_stage = {{"out_of_scope", json::array()}};
  const json model = read["model"];
  for (const auto& item : model["items"]) {
    if (item["stage"] == 2) whole_stage["out_of_scope"].push_back({{"item", item["id"]}, {"reason", "n/a"}});
  }
  const auto refused = admin.send("PUT", "/api/orgs/" + org + "/aims", whole_stage.dump());
  EXPECT_EQ(refused.status, 422);
  EXPECT_NE(body_of(refused)["error"]["message"].get<std::string>().find("stage 2"), std::string::npos);
  EXPECT_EQ(body_of(admin.get("/api/orgs/" + org + "/aims")), read);
  // Back in scope: the report is as it was.
  ASSERT_EQ(admin.send("PUT", "/api/orgs/" + org + "/aims", R"({"targets":[],"out_of_scope":[]})").status, 200);
  const json restored = body_of(admin.get("/api/cycles/" + cycle + "/report"));
  EXPECT_EQ(restored["overall_score"], before["overall_score"]);
  EXPECT_EQ(restored["items"].size(), ids.size());
}

// Units at different stages: each unit with at least k respondents has its
// own stage; smaller units show none. Under the weakest-unit rule the
// organization's stage is the lowest stage among the units shown, and the
// report says which rule gave it.
TEST_P(ServerTest, UnitStagesAndTheWeakestUnitRule) {
  const std::string org = create_org(admin, "Acme");
  ASSERT_EQ(admin.send("PATCH", "/api/orgs/" + org, R"({"units":["Sales","Support","Ops"]})").status, 200);
  const std::string cycle = create_open_cycle(admin, org, false);
  const auto ids = model_items(admin, org);
  auto answer = [&](const char* unit, int count, int value) {
    const auto r = admin.send("POST", "/api/cycles/" + cycle + "/invitations",
                              json{{"count", count}, {"role", "manager"}, {"unit", unit}}.dump());
    ASSERT_EQ(r.status, 201) << r.body;
    const json created = body_of(r);
    for (const auto& link : created["invitations"]) {
      json answers;
      for (const auto& id : ids) answers[id] = value;
      const std::string token = link["token"];
      ASSERT_EQ(put_answers(token, answers).status, 200);
      ASSERT_EQ(server->request("POST", "/api/r/" + token + "/submit").status, 200);
    }
  };
  answer("Sales", 3, 5);    // every stage attained
  answer("Support", 3, 3);  // 50 of 100: stage 1
  answer("Ops", 2, 5);      // fewer than k = 3
  const json pooled = body_of(admin.get("/api/cycles/" + cycle + "/report"));
  std::map<std::string, json> units;
  for (const auto& u : pooled["segments"]["unit"]) units[u["value"]] = u;
  EXPECT_EQ(units["Sales"]["stage"], 6);
  EXPECT_EQ(units["Support"]["stage"], 1);
  EXPECT_TRUE(units["Ops"]["suppressed"].get<bool>());
  EXPECT_FALSE(units["Ops"].contains("stage"));
  const int pooled_stage = pooled["stage"]["number"];
  EXPECT_GT(pooled_stage, 1);
  EXPECT_EQ(pooled["stage_rollup"]["rule"], "pooled");

  ASSERT_EQ(admin.send("PATCH", "/api/orgs/" + org, R"({"stage_rollup":"weakest_unit"})").status, 200);
  const json weakest = body_of(admin.get("/api/cycles/" + cycle + "/report"));
  EXPECT_EQ(weakest["stage"]["number"], 1);
  EXPECT_EQ(weakest["stage_rollup"]["rule"], "weakest_unit");
  EXPECT_EQ(weakest["stage_rollup"]["unit"], "Support");
  EXPECT_EQ(weakest["stage_rollup"]["units_shown"], 2);
  EXPECT_EQ(weakest["stage_rollup"]["pooled_stage"], pooled_stage);
  EXPECT_NE(weakest["stage_rollup"]["statement"].get<std::string>().find("weakest unit"), std::string::npos);
  EXPECT_EQ(weakest["overall_score"], pooled["overall_score"]);  // only the stage rolls up differently
  // A unit's own view keeps its own stage; the organizations page and the
  // progress page show the rolled-up one.
  EXPECT_EQ(body_of(admin.get("/api/cycles/" + cycle + "/report?unit=Sales"))["stage"]["number"], 6);
  EXPECT_EQ(body_of(admin.get("/api/orgs/" + org + "/progress"))["cycles"][0]["stage"], 1);
  const auto html = admin.get("/api/cycles/" + cycle + "/report.html");
  EXPECT_NE(html.body.find("Stage roll-up: The organization&#39;s stage is its weakest unit"), std::string::npos);
}

// In an anonymous cycle the weakest unit is found only among the units the
// disclosure rule shows: a unit hidden because the whole minus the others
// would give away a smaller group never sets the stage.
TEST_P(ServerTest, TheWeakestUnitOfAnAnonymousCycleIsAShownOne) {
  const std::string org = create_org(admin, "Acme");
  ASSERT_EQ(admin.send("PATCH", "/api/orgs/" + org, R"({"units":["Sales","Support","Ops"],"stage_rollup":"weakest_unit"})").status, 200);
  const std::string cycle = create_open_cycle(admin, org, true);
  const auto ids = model_items(admin, org);
  for (const auto& [unit, count, value] : std::vector<std::tuple<std::string, int, int>>{{"Sales", 3, 5}, {"Support", 3, 3}, {"Ops", 2, 5}}) {
    const auto r = admin.send("POST", "/api/cycles/" + cycle + "/invitations",
                              json{{"count", count}, {"role", "manager"}, {"unit", unit}}.dump());
    ASSERT_EQ(r.status, 201);
    const json created = body_of(r);
    for (const auto& link : created["invitations"]) {
      json answers;
      for (const auto& id : ids) answers[id] = value;
      ASSERT_EQ(put_answers(link["token"].get<std::string>(), answers).status, 200);
      ASSERT_EQ(server->request("POST", "/api/r/" + link["token"].get<std::string>() + "/submit").status, 200);
    }
  }
  ASSERT_EQ(admin.send("POST", "/api/cycles/" + cycle + "/close").status, 200);
  const json report = body_of(admin.get("/api/cycles/" + cycle + "/report"));
  std::size_t shown = 0;
  std::map<std::string, int> stages;
  for (const auto& u : report["segments"]["unit"]) {
    if (u["suppressed"].get<bool>()) {
      EXPECT_FALSE(u.contains("stage")) << u.dump();
      continue;
    }
    ++shown;
    stages[u["value"]] = u["stage"];
  }
  // Ops (2) is hidden, and with it one more unit: the whole minus Sales and
  // Support would be the two Ops people.
  EXPECT_LE(shown, 1u);
  EXPECT_EQ(report["stage_rollup"]["units_shown"], shown);
  if (shown == 1) {
    EXPECT_EQ(report["stage"]["number"], stages.begin()->second);
    EXPECT_EQ(report["stage_rollup"]["unit"], stages.begin()->first);
  } else {
    EXPECT_EQ(report["stage"]["number"], report["stage_rollup"]["pooled_stage"]);
  }
}

// A pulse between full cycles is compared with the cycle before it on the
// statements both asked, and says so; the next full cycle is compared with
// the full one before it, on every statement.
TEST_P(ServerTest, CyclesThatAskedDifferentStatementsCompareOnTheSharedOnes) {
  const std::string org = create_org(admin, "Acme");
  const auto ids = model_items(admin, org);
  auto run_cycle = [&](const std::string& name, bool pulse, int value) {
    const auto made = admin.send("POST", "/api/orgs/" + org + "/cycles",
                                 json{{"name", name}, {"anonymous", false}, {"pulse", pulse}}.dump());
    EXPECT_EQ(made.status, 201) << made.body;
    const std::string cycle = body_of(made)["id"];
    EXPECT_EQ(admin.send("POST", "/api/cycles/" + cycle + "/open").status, 200);
    for (const auto& token : invite(admin, cycle, 3, "manager")) {
      json answers;
      // A pulse link takes only the pulse statements.
      const json questionnaire = body_of(server->request("GET", "/api/r/" + token));
      for (const auto& item : questionnaire["items"]) answers[item["id"].get<std::string>()] = value;
      EXPECT_EQ(put_answers(token, answers).status, 200);
      EXPECT_EQ(server->request("POST", "/api/r/" + token + "/submit").status, 200);
    }
    EXPECT_EQ(admin.send("POST", "/api/cycles/" + cycle + "/close").status, 200);
    return cycle;
  };
  const std::string full = run_cycle("Spring", false, 3);
  const std::string pulse = run_cycle("Summer pulse", true, 4);
  const std::string autumn = run_cycle("Autumn", false, 4);
  const json progress = body_of(admin.get("/api/orgs/" + org + "/progress"));
  ASSERT_EQ(progress["cycles"].size(), 3u);
  const json& p = progress["cycles"][1];
  EXPECT_TRUE(p["pulse"].get<bool>());
  EXPECT_EQ(p["compared_with"], full);
  const json& basis = p["change"]["basis"];
  EXPECT_EQ(basis["statements_before"], ids.size());
  EXPECT_LT(basis["statements_after"].get<std::size_t>(), ids.size());
  EXPECT_EQ(basis["shared_statements"], basis["statements_after"]);
  EXPECT_NE(basis["note"].get<std::string>().find("statements both asked"), std::string::npos);
  EXPECT_TRUE(p["change"]["stage"]["before"].is_null());
  EXPECT_TRUE(p["change"]["stage"]["after"].is_null());
  // 3 -> 4 on every shared statement: 25 points, overall and per competency.
  EXPECT_NEAR(p["change"]["overall"]["change"].get<double>(), 25.0, 1e-9);
  for (const auto& c : p["change"]["competencies"]) EXPECT_NEAR(c["change"].get<double>(), 25.0, 1e-9) << c["id"];
  const json& a = progress["cycles"][2];
  EXPECT_EQ(a["compared_with"], full);
  EXPECT_TRUE(a["change"]["basis"]["note"].is_null());
  EXPECT_EQ(a["change"]["basis"]["shared_statements"], ids.size());
  EXPECT_FALSE(a["change"]["stage"]["before"].is_null());
  (void)autumn;
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
  // Targets, scope and settings are data too: the restored reports show them.
  ASSERT_EQ(admin.send("PUT", "/api/orgs/" + org + "/aims",
                       R"({"targets":[{"competency":"leadership","target_stage":4}],"out_of_scope":[{"item":"GO2","reason":"n/a"}]})")
                .status,
            200);
  ASSERT_EQ(admin.send("PATCH", "/api/orgs/" + org, R"({"review_interval_months":3,"stage_rollup":"weakest_unit"})").status, 200);
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
  ASSERT_EQ(reports.size(), 12u);  // three demo cycles and ours, three views each
  // A live workshop with both rounds: its frozen reveals and round-2
  // answers come back too.
  const auto started = admin.send("POST", "/api/cycles/" + open_cycle + "/workshops");
  ASSERT_EQ(started.status, 201);
  const std::string ws = body_of(started)["id"];
  const std::string item = body_of(started)["current"][0]["id"];
  std::vector<Phone> phones;
  for (int i = 0; i < 3; ++i) {
    auto phone = join_phone(server->port(), body_of(started)["code"]);
    ASSERT_TRUE(phone);
    ASSERT_EQ(phone->answer(1, {{item, 1 + 4 * (i % 2)}}).status, 200);
    phones.push_back(*phone);
  }
  ASSERT_EQ(admin.send("POST", "/api/workshops/" + ws + "/reveal", json{{"round", 1}, {"item", item}}.dump()).status, 200);
  ASSERT_EQ(admin.send("POST", "/api/workshops/" + ws + "/second-round").status, 200);
  for (int i = 0; i < 3; ++i) ASSERT_EQ(phones[static_cast<std::size_t>(i)].answer(2, {{item, 4}}).status, 200);
  reports.push_back("/api/workshops/" + ws);
  seen.push_back(body_of(admin.get(reports.back())));
  ASSERT_EQ(seen.back()["current"][0]["answered"], 3);
  ASSERT_FALSE(seen.back()["current"][0]["first_round"].is_null());
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
    const json settings = body_of(reader.get("/api/orgs/" + org));
    EXPECT_EQ(settings["review_interval_months"], 3) << kind;
    EXPECT_EQ(settings["stage_rollup"], "weakest_unit") << kind;
    EXPECT_EQ(body_of(reader.get("/api/orgs/" + org + "/aims"))["out_of_scope"][0]["item"], "GO2") << kind;
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

// Survey imports (docs/import.md): a survey tool's CSV export into a cycle.
std::string base64(const std::string& bytes) {
  static const char* const kAlphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
  std::string out;
  std::size_t i = 0;
  for (; i + 2 < bytes.size(); i += 3) {
    const unsigned n = (static_cast<unsigned char>(bytes[i]) << 16) | (static_cast<unsigned char>(bytes[i + 1]) << 8) |
                       static_cast<unsigned char>(bytes[i + 2]);
    for (int shift : {18, 12, 6, 0}) out += kAlphabet[(n >> shift) & 63];
  }
  if (i < bytes.size()) {
    const unsigned n = (static_cast<unsigned char>(bytes[i]) << 16) |
                       (i + 1 < bytes.size() ? static_cast<unsigned char>(bytes[i + 1]) << 8 : 0);
    out += kAlphabet[(n >> 18) & 63];
    out += kAlphabet[(n >> 12) & 63];
    out += i + 1 < bytes.size() ? kAlphabet[(n >> 6) & 63] : '=';
    out += '=';
  }
  return out;
}

std::string test_data(const std::string& name) {
  std::ifstream in(std::string(CXM_SOURCE_DIR) + "/tests/data/" + name, std::ios::binary);
  std::stringstream s;
  s << in.rdbuf();
  return s.str();
}

json import_request(const std::string& file_name, const std::string& csv, bool preview,
                    const std::string& mapping = "limesurvey") {
  return {{"file_name", file_name}, {"csv_base64", base64(csv)}, {"mapping", mapping}, {"preview", preview}};
}

TEST_P(ServerTest, APreviewThenTheImportCountsAndMarksTheRespondents) {
  const std::string org = create_org(admin, "Acme");
  const std::string cycle = create_open_cycle(admin, org, false);
  const std::string path = "/api/cycles/" + cycle + "/imports";
  const std::string csv = test_data("limesurvey_export.csv");

  const auto preview = admin.send("POST", path, import_request("limesurvey_export.csv", csv, true).dump());
  ASSERT_EQ(preview.status, 200) << preview.body;
  const json shown = body_of(preview);
  EXPECT_TRUE(shown["ok"].get<bool>()) << preview.body;
  EXPECT_EQ(shown["preview"]["rows"], 12);
  EXPECT_EQ(shown["preview"]["skipped_rows"], 2);
  EXPECT_EQ(shown["preview"]["respondents"], 10);
  EXPECT_EQ(shown["preview"]["items"].size(), 49u);
  EXPECT_EQ(shown["preview"]["unmapped_columns"], json({"CXcomment"}));
  // A preview writes nothing.
  EXPECT_EQ(body_of(admin.get("/api/cycles/" + cycle + "/invitations"))["invitations"].size(), 0u);
  EXPECT_EQ(body_of(admin.get("/api/cycles/" + cycle + "/responses"))["total"]["submitted"], 0);

  const auto imported = admin.send("POST", path, import_request("limesurvey_export.csv", csv, false).dump());
  ASSERT_EQ(imported.status, 201) << imported.body;
  const json created = body_of(imported);
  EXPECT_EQ(created["import"]["respondents"], 10);
  EXPECT_EQ(created["import"]["file_name"], "limesurvey_export.csv");
  EXPECT_EQ(created["import"]["mapping"], "limesurvey");

  // Listed as imported, counted like submissions, scored in the report.
  const json listed = body_of(admin.get("/api/cycles/" + cycle + "/invitations"));
  ASSERT_EQ(listed["invitations"].size(), 10u);
  for (const auto& p : listed["invitations"]) {
    EXPECT_EQ(p["imported_from"], "limesurvey_export.csv");
    EXPECT_TRUE(p["submitted"].get<bool>());
  }
  EXPECT_EQ(body_of(admin.get("/api/cycles/" + cycle + "/responses"))["total"]["submitted"], 10);
  const json report = body_of(admin.get("/api/cycles/" + cycle + "/report"));
  EXPECT_EQ(report["respondents"], 10);
  const json imports = body_of(admin.get(path));
  ASSERT_EQ(imports["imports"].size(), 1u);
  EXPECT_EQ(imports["imports"][0]["respondents"], 10);
  EXPECT_EQ(imports["mappings"][0]["name"], "limesurvey");
  const auto page = admin.get("/api/cycles/" + cycle + "/report.html");
  EXPECT_NE(page.body.find("10 of the respondents were imported from a survey tool"), std::string::npos);

  // The same file again: refused, named, and nothing doubles.
  const auto again = admin.send("POST", path, import_request("limesurvey_export.csv", csv, false).dump());
  EXPECT_EQ(again.status, 422) << again.body;
  EXPECT_NE(body_of(again)["error"]["message"].get<std::string>().find("10 of these respondents were imported into this cycle before"),
            std::string::npos)
      << again.body;
  const json repeated = body_of(admin.send("POST", path, import_request("limesurvey_export.csv", csv, true).dump()));
  EXPECT_FALSE(repeated["ok"].get<bool>());
  EXPECT_EQ(body_of(admin.get("/api/cycles/" + cycle + "/responses"))["total"]["submitted"], 10);

  // Another tool's export of other people: a second import adds to the first.
  const auto formbricks =
      admin.send("POST", path, import_request("formbricks.csv", test_data("formbricks_export.csv"), false, "formbricks").dump());
  ASSERT_EQ(formbricks.status, 201) << formbricks.body;
  EXPECT_EQ(body_of(admin.get("/api/cycles/" + cycle + "/responses"))["total"]["submitted"], 20);
}

TEST_P(ServerTest, AnImportIsAllOrNothing) {
  const std::string org = create_org(admin, "Acme");
  const std::string cycle = create_open_cycle(admin, org, false);
  const std::string path = "/api/cycles/" + cycle + "/imports";
  const std::string csv =
      "id,submitdate,unit,CX[LS2],CX[LS3]\n"
      "1,2026-01-01,Sales,A1,A2\n"
      "2,2026-01-01,Sales,A3,Agree strongly\n"
      "3,2026-01-01,Marketing,A3,A4\n";
  const json preview = body_of(admin.send("POST", path, import_request("x.csv", csv, true).dump()));
  EXPECT_FALSE(preview["ok"].get<bool>());
  ASSERT_EQ(preview["problems"].size(), 1u) << preview.dump();
  EXPECT_EQ(preview["problems"][0]["row"], 3);
  EXPECT_EQ(preview["problems"][0]["column"], 5);
  EXPECT_EQ(preview["problems"][0]["heading"], "CX[LS3]");
  EXPECT_NE(preview["problems"][0]["message"].get<std::string>().find("'Agree strongly'"), std::string::npos);

  const auto refused = admin.send("POST", path, import_request("x.csv", csv, false).dump());
  EXPECT_EQ(refused.status, 422);
  EXPECT_EQ(body_of(refused)["error"]["code"], "invalid_export");
  EXPECT_EQ(body_of(refused)["error"]["message"],
            "x.csv: row 3, column 5 (E) 'CX[LS3]': unknown answer label 'Agree strongly' for item LS3 (known: 'A1', 'A2', "
            "'A3', 'A4', 'A5', 'Don't know', 'DK', 'No answer', 'N/A', 'Strongly disagree', 'Disagree', 'Neither agree "
            "nor disagree', 'Agree', 'Strongly agree', …)");
  // A unit the organization does not have is a problem too, by row and column.
  std::string fixed = csv;
  fixed.replace(fixed.find("Agree strongly"), 14, "A4");
  const json units = body_of(admin.send("POST", path, import_request("x.csv", fixed, true).dump()));
  ASSERT_EQ(units["problems"].size(), 1u) << units.dump();
  EXPECT_EQ(units["problems"][0]["row"], 4);
  EXPECT_EQ(units["problems"][0]["column"], 3);
  EXPECT_EQ(units["problems"][0]["message"], "'Marketing' is not a unit of this organization (Sales, Support)");
  EXPECT_EQ(admin.send("POST", path, import_request("x.csv", fixed, false).dump()).status, 422);
  EXPECT_EQ(body_of(admin.get("/api/cycles/" + cycle + "/invitations"))["invitations"].size(), 0u);
  EXPECT_EQ(body_of(admin.get(path))["imports"].size(), 0u);

  // Not base64, no mapping, an unknown mapping: 422 naming the field.
  json bad = import_request("x.csv", fixed, false);
  bad["csv_base64"] = "%%%";
  EXPECT_EQ(body_of(admin.send("POST", path, bad.dump()))["error"]["message"], "csv_base64: not base64");
  bad = import_request("x.csv", fixed, false, "qualtrics");
  EXPECT_EQ(admin.send("POST", path, bad.dump()).status, 422);
  // An uploaded mapping: its problems are named by line and column.
  bad = import_request("x.csv", fixed, true);
  bad.erase("mapping");
  bad["mapping_yaml"] = "respondent: id\nitems: [{pattern: '*'}]\n";
  const json mapped = body_of(admin.send("POST", path, bad.dump()));
  EXPECT_FALSE(mapped["ok"].get<bool>());
  EXPECT_EQ(mapped["problems"][0]["message"], "mapping.yaml:2:19: items[0].pattern must hold exactly one {item} or {text}");
  bad["mapping_yaml"] = "respondent: id\nunit: unit\nitems: [{pattern: '*[{item}]'}]\nlabels: {A1: 1, A2: 2, A3: 3, A4: 4}\n";
  bad["csv_base64"] = base64("id,unit,CX[LS2]\n9,Sales,A4\n");
  bad["preview"] = false;
  const auto uploaded = admin.send("POST", path, bad.dump());
  EXPECT_EQ(uploaded.status, 201) << uploaded.body;
  EXPECT_EQ(body_of(uploaded)["import"]["mapping"], "uploaded mapping");
}

TEST_P(ServerTest, OnlyAnOpenCycleTakesAnImport) {
  const std::string org = create_org(admin, "Acme");
  const std::string csv = test_data("formbricks_export.csv");
  const auto draft = admin.send("POST", "/api/orgs/" + org + "/cycles", json{{"name", "Draft"}}.dump());
  const std::string draft_id = body_of(draft)["id"];
  const auto into_draft =
      admin.send("POST", "/api/cycles/" + draft_id + "/imports", import_request("f.csv", csv, false, "formbricks").dump());
  EXPECT_EQ(into_draft.status, 409);
  EXPECT_EQ(body_of(into_draft)["error"]["message"], "f.csv: the cycle is a draft; open it to import responses");

  const std::string cycle = create_open_cycle(admin, org);
  ASSERT_EQ(admin.send("POST", "/api/cycles/" + cycle + "/close").status, 200);
  const json preview =
      body_of(admin.send("POST", "/api/cycles/" + cycle + "/imports", import_request("f.csv", csv, true, "formbricks").dump()));
  EXPECT_FALSE(preview["ok"].get<bool>());
  EXPECT_EQ(preview["preview"]["respondents"], 10);  // what it would have done
  const auto closed =
      admin.send("POST", "/api/cycles/" + cycle + "/imports", import_request("f.csv", csv, false, "formbricks").dump());
  EXPECT_EQ(closed.status, 409);
  EXPECT_EQ(body_of(closed)["error"]["code"], "conflict");
  EXPECT_EQ(body_of(admin.get("/api/cycles/" + cycle + "/invitations"))["invitations"].size(), 0u);
}

// In an anonymous cycle imported respondents are published like everyone
// else: at a close, with at least k; none of them can be read or taken out.
TEST_P(ServerTest, ImportedRespondentsOfAnAnonymousCycleArePublishedLikeOthers) {
  const std::string org = create_org(admin, "Acme");
  const std::string cycle = create_open_cycle(admin, org);
  const auto imported = admin.send("POST", "/api/cycles/" + cycle + "/imports",
                                   import_request("lime.csv", test_data("limesurvey_export.csv"), false).dump());
  ASSERT_EQ(imported.status, 201) << imported.body;
  EXPECT_FALSE(body_of(admin.get("/api/cycles/" + cycle + "/report")).contains("schema"));  // not before the close
  const json listed = body_of(admin.get("/api/cycles/" + cycle + "/invitations"));
  const std::string someone = listed["invitations"][0]["id"];
  const auto revoke = admin.send("POST", "/api/cycles/" + cycle + "/invitations/" + someone + "/revoke");
  EXPECT_EQ(revoke.status, 409);
  EXPECT_EQ(body_of(revoke)["error"]["code"], "submitted_anonymous");
  ASSERT_EQ(admin.send("POST", "/api/cycles/" + cycle + "/close").status, 200);
  const json report = body_of(admin.get("/api/cycles/" + cycle + "/report"));
  EXPECT_EQ(report["respondents"], 10);
  EXPECT_EQ(report["anonymity"]["released"], 10);
}

// Issue 16's live workshop, end to end through the API: join by code,
// answers counted live, the reveal rule (at least k ratings, then locked),
// pacing, the second round stored apart with its convergence verdict, and
// the end of the code. docs/anonymity.md "Live workshops".
TEST_P(ServerTest, AWorkshopRevealsOnlyFromKAndLocksWhatItShowed) {
  const std::string org = create_org(admin, "Acme");
  const std::string cycle = create_open_cycle(admin, org);  // anonymous, k = 3
  const auto started = admin.send("POST", "/api/cycles/" + cycle + "/workshops", R"({"pace":"statement"})");
  ASSERT_EQ(started.status, 201) << started.body;
  json state = body_of(started);
  const std::string ws = state["id"];
  const std::string code = state["code"];
  ASSERT_EQ(code.size(), 6u);
  EXPECT_EQ(state["join_path"], "/j/" + code);
  EXPECT_EQ(state["status"], "open");
  EXPECT_EQ(state["steps"].size(), 49u);
  ASSERT_EQ(state["current"].size(), 1u);
  const std::string first = state["current"][0]["id"];
  EXPECT_EQ(admin.send("POST", "/api/cycles/" + cycle + "/workshops").status, 409);  // one at a time
  EXPECT_EQ(body_of(admin.get("/api/cycles/" + cycle + "/workshop"))["workshop"]["id"], ws);

  // Wrong and malformed codes join nothing.
  EXPECT_EQ(join_with(server->port(), code == "ABCDEF" ? "ABCDEG" : "ABCDEF").status, 422);
  EXPECT_EQ(join_with(server->port(), "hello").status, 422);
  EXPECT_EQ(http_request(server->port(), "POST", "/api/join", "[1]", {{"Content-Type", "application/json"}}).status, 422);
  std::vector<Phone> phones;
  for (int i = 0; i < 3; ++i) {
    // Typed as people type it: lower case, with a space.
    std::string typed = code;
    for (auto& c : typed) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    const auto phone = join_phone(server->port(), i == 0 ? typed.substr(0, 3) + " " + typed.substr(3) : code);
    ASSERT_TRUE(phone);
    phones.push_back(*phone);
  }
  json room = phones[0].room();
  EXPECT_EQ(room["current"][0]["id"], first);
  EXPECT_EQ(room["round"], 1);
  EXPECT_EQ(room["answers"], json::object());
  EXPECT_FALSE(room.contains("joined"));  // the room learns nothing but the step

  // Two ratings: counted, nothing else shown, and no reveal below k.
  ASSERT_EQ(phones[0].answer(1, {{first, 1}}).status, 200);
  ASSERT_EQ(phones[1].answer(1, {{first, 5}}).status, 200);
  state = body_of(admin.get("/api/workshops/" + ws));
  EXPECT_EQ(state["joined"], 3);
  EXPECT_EQ(state["current"][0]["answered"], 2);
  EXPECT_FALSE(state["current"][0]["revealed"].get<bool>());
  EXPECT_TRUE(state["current"][0]["figures"].is_null());
  const auto early = admin.send("POST", "/api/workshops/" + ws + "/reveal", json{{"round", 1}, {"item", first}}.dump());
  EXPECT_EQ(early.status, 409);
  EXPECT_EQ(body_of(early)["error"]["code"], "too_few_answers");
  // Before the reveal the projector learns nothing but the count: not
  // even whether an answer was "don't know".
  ASSERT_EQ(phones[2].answer(1, {{first, nullptr}}).status, 200);
  state = body_of(admin.get("/api/workshops/" + ws));
  EXPECT_EQ(state["current"][0]["answered"], 3);
  EXPECT_EQ(state["current"][0].size(), 8u) << state["current"][0].dump();
  EXPECT_TRUE(state["current"][0]["figures"].is_null());
  // Only this browser, only the statement on the screen, only real values.
  EXPECT_EQ(phones[2].answer(1, {{first, 5}}, false).status, 403);
  EXPECT_EQ(phones[2].answer(1, {{"LS3", 5}}).status, 409);
  EXPECT_EQ(phones[2].answer(1, {{first, 6}}).status, 422);
  EXPECT_EQ(phones[2].answer(1, {{"NOPE", 1}}).status, 422);
  EXPECT_EQ(phones[2].answer(3, {{first, 1}}).status, 422);
  ASSERT_EQ(phones[2].answer(1, {{first, 5}}).status, 200);  // changed until the reveal
  EXPECT_EQ(phones[2].room()["answers"][first], 5);
  EXPECT_EQ(phones[0].room()["answers"][first], 1);  // each phone sees its own only

  const auto revealed = admin.send("POST", "/api/workshops/" + ws + "/reveal", json{{"round", 1}, {"item", first}}.dump());
  ASSERT_EQ(revealed.status, 200) << revealed.body;
  state = body_of(revealed);
  EXPECT_TRUE(state["current"][0]["revealed"].get<bool>());
  EXPECT_EQ(state["current"][0]["figures"]["histogram"], json({1, 0, 0, 0, 2}));
  EXPECT_EQ(state["current"][0]["figures"]["class"], "disagreement");
  EXPECT_TRUE(phones[1].room()["current"][0]["revealed"].get<bool>());
  // Locked: no one changes what was shown, not even by joining late.
  const auto late = phones[0].answer(1, {{first, 5}});
  EXPECT_EQ(late.status, 409);
  EXPECT_EQ(body_of(late)["error"]["code"], "revealed");
  const auto newcomer = join_phone(server->port(), code);
  ASSERT_TRUE(newcomer);
  EXPECT_EQ(newcomer->answer(1, {{first, 3}}).status, 409);
  EXPECT_EQ(body_of(admin.get("/api/workshops/" + ws))["current"][0]["figures"]["histogram"], json({1, 0, 0, 0, 2}));
  EXPECT_EQ(admin.send("POST", "/api/workshops/" + ws + "/reveal", json{{"round", 1}, {"item", first}}.dump()).status, 200);  // shown already

  // The workshop's links answer only here, and are never part of the
  // cycle's invitations or results.
  EXPECT_EQ(http_request(server->port(), "PUT", "/api/r/" + phones[0].token + "/answers", R"({"answers":{"LS3":2}})",
                         {{"Content-Type", "application/json"}, {"Cookie", phones[0].cookie}}).status, 409);
  EXPECT_EQ(http_request(server->port(), "POST", "/api/r/" + phones[0].token + "/submit", "",
                         {{"Cookie", phones[0].cookie}}).status, 409);
  EXPECT_EQ(body_of(admin.get("/api/cycles/" + cycle + "/invitations"))["invitations"].size(), 0u);

  // Pacing: the next step, on the projector and on the phones.
  const auto moved = admin.send("POST", "/api/workshops/" + ws + "/step", json{{"round", 1}, {"step", 1}}.dump());
  ASSERT_EQ(moved.status, 200) << moved.body;
  const std::string second = body_of(moved)["current"][0]["id"];
  EXPECT_NE(second, first);
  EXPECT_EQ(phones[1].room()["current"][0]["id"], second);
  EXPECT_EQ(admin.send("POST", "/api/workshops/" + ws + "/step", json{{"round", 1}, {"step", 49}}.dump()).status, 409);
  EXPECT_EQ(admin.send("POST", "/api/workshops/" + ws + "/step", json{{"round", 2}, {"step", 0}}.dump()).status, 409);
  // Not on the screen any more: neither revealed nor revealed again.
  EXPECT_EQ(admin.send("POST", "/api/workshops/" + ws + "/reveal", json{{"round", 1}, {"item", first}}.dump()).status, 409);

  // The second round asks the split statement again, stored apart.
  EXPECT_EQ(body_of(moved)["second_round"]["items"], json({first}));
  const auto again = admin.send("POST", "/api/workshops/" + ws + "/second-round");
  ASSERT_EQ(again.status, 200) << again.body;
  state = body_of(again);
  EXPECT_EQ(state["round"], 2);
  EXPECT_EQ(state["steps"].size(), 1u);
  EXPECT_EQ(state["current"][0]["id"], first);
  EXPECT_EQ(state["current"][0]["first_round"]["histogram"], json({1, 0, 0, 0, 2}));
  EXPECT_TRUE(state["current"][0]["figures"].is_null());
  EXPECT_EQ(admin.send("POST", "/api/workshops/" + ws + "/second-round").status, 409);
  EXPECT_EQ(phones[0].room()["answers"], json::object());  // a new round, nothing answered yet
  EXPECT_EQ(phones[0].answer(1, {{first, 4}}).status, 409);  // round 1 is over
  ASSERT_EQ(phones[0].answer(2, {{first, 4}}).status, 200);
  ASSERT_EQ(phones[1].answer(2, {{first, 4}}).status, 200);
  EXPECT_EQ(admin.send("POST", "/api/workshops/" + ws + "/reveal", json{{"round", 2}, {"item", first}}.dump()).status, 409);
  ASSERT_EQ(phones[2].answer(2, {{first, 5}}).status, 200);
  const auto after = admin.send("POST", "/api/workshops/" + ws + "/reveal", json{{"round", 2}, {"item", first}}.dump());
  ASSERT_EQ(after.status, 200) << after.body;
  state = body_of(after);
  EXPECT_EQ(state["current"][0]["figures"]["histogram"], json({0, 0, 0, 2, 1}));
  EXPECT_EQ(state["current"][0]["first_round"]["histogram"], json({1, 0, 0, 0, 2}));
  EXPECT_EQ(state["current"][0]["comparison"]["verdict"], "converged");
  EXPECT_GT(state["current"][0]["comparison"]["rwg_after"].get<double>(), state["current"][0]["comparison"]["rwg_before"].get<double>());
  EXPECT_EQ(phones[0].answer(2, {{first, 1}}).status, 409);

  // Ending: the code stops working at once, and so do the phones.
  const auto ended = admin.send("POST", "/api/workshops/" + ws + "/end");
  ASSERT_EQ(ended.status, 200);
  EXPECT_EQ(body_of(ended)["status"], "ended");
  EXPECT_TRUE(body_of(ended)["code"].is_null());
  EXPECT_EQ(join_with(server->port(), code).status, 422);
  EXPECT_EQ(phones[1].answer(2, {{first, 2}}).status, 409);
  EXPECT_EQ(phones[1].room()["status"], "ended");
  EXPECT_EQ(admin.send("POST", "/api/workshops/" + ws + "/end").status, 200);
  EXPECT_EQ(admin.send("POST", "/api/workshops/" + ws + "/reveal", json{{"round", 2}, {"item", first}}.dump()).status, 409);
  EXPECT_TRUE(body_of(admin.get("/api/cycles/" + cycle + "/workshop"))["workshop"].is_null());
  EXPECT_EQ(admin.send("POST", "/api/cycles/" + cycle + "/workshops").status, 201);  // a new one may start
  // An invited link is no seat in a workshop.
  const auto invited = invite(admin, cycle, 1, "manager");
  EXPECT_EQ(server->request("GET", "/api/r/" + invited[0] + "/workshop").status, 404);
  // A closed cycle takes no workshop.
  ASSERT_EQ(admin.send("POST", "/api/cycles/" + cycle + "/close").status, 200);
  const auto closed = admin.send("POST", "/api/cycles/" + cycle + "/workshops");
  EXPECT_EQ(closed.status, 409);
  EXPECT_EQ(body_of(closed)["error"]["code"], "cycle_not_open");
}

// The discussion agenda's order (disagreement first), once results may be
// shown; before that, a workshop walks in model order.
TEST_P(ServerTest, AWorkshopCanFollowTheDiscussionAgenda) {
  const std::string org = create_org(admin, "Acme");
  const std::string hidden = create_open_cycle(admin, org);  // anonymous: no results while open
  const auto refused = admin.send("POST", "/api/cycles/" + hidden + "/workshops", R"({"order":"agenda"})");
  EXPECT_EQ(refused.status, 409);
  EXPECT_EQ(body_of(refused)["error"]["code"], "no_agenda");
  EXPECT_EQ(admin.send("POST", "/api/cycles/" + hidden + "/workshops", R"({"order":"sideways"})").status, 422);
  EXPECT_EQ(admin.send("POST", "/api/cycles/" + hidden + "/workshops", R"({"pace":"page"})").status, 422);

  const std::string cycle = create_open_cycle(admin, org, false);
  const auto tokens = invite(admin, cycle, 4, "manager");
  // LS3 splits the room, LS2 does not.
  for (std::size_t i = 0; i < tokens.size(); ++i) {
    ASSERT_EQ(put_answers(tokens[i], {{"LS2", 4}, {"LS3", i % 2 ? 1 : 5}}).status, 200);
    ASSERT_EQ(server->request("POST", "/api/r/" + tokens[i] + "/submit").status, 200);
  }
  const json agenda = body_of(admin.get("/api/cycles/" + cycle + "/discussion"))["agenda"];
  ASSERT_EQ(agenda[0]["id"], "LS3");
  const auto started = admin.send("POST", "/api/cycles/" + cycle + "/workshops", R"({"order":"agenda","pace":"statement"})");
  ASSERT_EQ(started.status, 201) << started.body;
  const json state = body_of(started);
  EXPECT_EQ(state["order"], "agenda");
  EXPECT_EQ(state["current"][0]["id"], "LS3");
  EXPECT_EQ(state["steps"][1]["items"], json({agenda[1]["id"]}));
  EXPECT_EQ(state["steps"].size(), 49u);  // the rest follow in model order
}

// Guessing codes: wrong ones are counted per client address before the
// code is checked, and the address must then wait.
TEST_P(ServerTest, GuessingJoinCodesIsSlowedDown) {
  int refused = 0;
  HttpResult last;
  for (int i = 0; i < 70 && refused == 0; ++i) {
    last = join_with(server->port(), "ZZZZZ" + std::string(1, "23456789"[i % 8]));
    if (last.status == 429) ++refused;
    else ASSERT_EQ(last.status, 422) << i;
  }
  ASSERT_EQ(refused, 1) << "70 wrong codes in a row were all checked";
  EXPECT_TRUE(last.headers.contains("retry-after"));
  EXPECT_EQ(body_of(last)["error"]["code"], "too_many_attempts");
}

// Two processes on one database: a phone joined through A follows the
// step set through B (the change feed), and a reveal decided through B
// holds for answers sent through A, whatever A has cached.
TEST_P(ServerTest, AWorkshopSpansTwoProcesses) {
  const std::string org = create_org(admin, "Acme");
  const std::string cycle = create_open_cycle(admin, org);
  ServerProcess second(db);
  Client admin_b(second);
  ASSERT_EQ(admin_b.login("lead@example.org", "correct horse battery"), 200);
  const auto started = admin.send("POST", "/api/cycles/" + cycle + "/workshops");
  ASSERT_EQ(started.status, 201);
  const std::string ws = body_of(started)["id"];
  const std::string code = body_of(started)["code"];
  std::vector<Phone> phones;
  for (int i = 0; i < 3; ++i) {
    auto phone = join_phone(server->port(), code);
    ASSERT_TRUE(phone);
    phones.push_back(*phone);
  }
  EventStreamClient stream(server->port(), "/api/r/" + phones[0].token + "/workshop/events");
  ASSERT_EQ(stream.status(), 200);
  const auto opened = stream.next(5000);
  ASSERT_TRUE(opened);
  EXPECT_EQ(opened->event, "room");
  EXPECT_EQ(json::parse(opened->data)["step"], 0);
  EXPECT_EQ(json::parse(opened->data).dump().find("answered"), std::string::npos);

  ASSERT_EQ(admin_b.send("POST", "/api/workshops/" + ws + "/step", json{{"round", 1}, {"step", 2}}.dump()).status, 200);
  std::optional<json> moved;
  while (!moved) {
    const auto e = stream.next(5000);
    if (!e) break;
    if (json::parse(e->data)["step"] == 2) moved = json::parse(e->data);
  }
  ASSERT_TRUE(moved) << "the step set through the other process never reached the phone";
  const std::string item = (*moved)["current"][0]["id"];

  // Counts appear on B's projector stream as answers arrive through A.
  EventStreamClient projector(second.port(), "/api/workshops/" + ws + "/events", {{"Cookie", admin.cookie()}});
  ASSERT_EQ(projector.status(), 200);
  for (int i = 0; i < 3; ++i) ASSERT_EQ(phones[static_cast<std::size_t>(i)].answer(1, {{item, 2 + i}}).status, 200);
  bool counted = false;
  while (!counted) {
    const auto e = projector.next(5000);
    if (!e) break;
    EXPECT_EQ(e->event, "workshop");
    counted = json::parse(e->data)["current"][0]["answered"] == 3;
  }
  EXPECT_TRUE(counted);

  ASSERT_EQ(admin_b.send("POST", "/api/workshops/" + ws + "/reveal", json{{"round", 1}, {"item", item}}.dump()).status, 200);
  const auto refused = phones[1].answer(1, {{item, 5}});  // through A
  EXPECT_EQ(refused.status, 409);
  EXPECT_EQ(body_of(refused)["error"]["code"], "revealed");
  EXPECT_EQ(body_of(admin.get("/api/workshops/" + ws))["current"][0]["figures"]["histogram"], json({0, 1, 1, 1, 0}));
  // A reveal through B racing answers through A: the frozen distribution
  // holds exactly the answers A accepted before it; every later one is refused.
  ASSERT_EQ(admin_b.send("POST", "/api/workshops/" + ws + "/step", json{{"round", 1}, {"step", 3}}.dump()).status, 200);
  const std::string raced = body_of(admin.get("/api/workshops/" + ws))["current"][0]["id"];
  std::vector<Phone> room;
  for (int i = 0; i < 12; ++i) {
    auto phone = join_phone(server->port(), code);
    ASSERT_TRUE(phone);
    room.push_back(*phone);
  }
  for (std::size_t i = 0; i < 3; ++i) ASSERT_EQ(room[i].answer(1, {{raced, 3}}).status, 200);
  std::atomic<int> accepted{3};
  std::atomic<int> locked{0};
  std::vector<std::thread> threads;
  for (std::size_t i = 3; i < room.size(); ++i) {
    threads.emplace_back([&, i] {
      const auto r = room[i].answer(1, {{raced, 3}});
      if (r.status == 200) ++accepted;
      if (r.status == 409) ++locked;
    });
    if (i == 6) {
      threads.emplace_back([&] {
        EXPECT_EQ(admin_b.send("POST", "/api/workshops/" + ws + "/reveal", json{{"round", 1}, {"item", raced}}.dump()).status, 200);
      });
    }
  }
  for (auto& t : threads) t.join();
  EXPECT_EQ(accepted + locked, 12);
  const json raced_state = body_of(admin.get("/api/workshops/" + ws))["current"][0];
  EXPECT_EQ(raced_state["figures"]["histogram"][2], accepted.load());
  EXPECT_EQ(raced_state["answered"], accepted.load());

  // Ended through B: A refuses the code at once.
  ASSERT_EQ(admin_b.send("POST", "/api/workshops/" + ws + "/end").status, 200);
  EXPECT_EQ(join_with(server->port(), code).status, 422);
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
  const auto workshop_started = admin.send("POST", "/api/cycles/" + cycle + "/workshops");
  ASSERT_EQ(workshop_started.status, 201) << workshop_started.body;
  const std::string workshop = body_of(workshop_started)["id"];

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
      {"PUT", "/api/cycles/" + cycle + "/discussion/notes/LS2"},
      {"GET", "/api/cycles/" + cycle + "/events"},
      {"GET", "/api/cycles/" + cycle + "/imports"},
      {"POST", "/api/cycles/" + cycle + "/imports"},
      {"POST", "/api/cycles/" + cycle + "/workshops"},
      {"GET", "/api/cycles/" + cycle + "/workshop"},
      {"GET", "/api/workshops/" + workshop},
      {"POST", "/api/workshops/" + workshop + "/step"},
      {"POST", "/api/workshops/" + workshop + "/reveal"},
      {"POST", "/api/workshops/" + workshop + "/second-round"},
      {"POST", "/api/workshops/" + workshop + "/end"},
      {"GET", "/api/workshops/" + workshop + "/events"},
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
  // The workshop is still running after all that, and a made-up seat
  // reaches no workshop.
  EXPECT_EQ(body_of(admin.get("/api/workshops/" + workshop))["status"], "open");
  EXPECT_EQ(server->request("GET", "/api/r/" + std::string(32, 'a') + "/workshop").status, 404);
  EXPECT_EQ(server->request("GET", "/api/r/" + std::string(32, 'a') + "/workshop/events").status, 404);
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
