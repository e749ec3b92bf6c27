// Several `cxm serve` processes on one database: changes, live events and
// every rule that must hold exactly, decided inside the write.
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

// Several stateless processes behind a load balancer share one database:
// a report cached by one process follows answers submitted through another.
TEST_P(ServerTest, TwoProcessesShareOneDatabase) {
  const std::string org = create_org(admin, "Acme");
  const std::string cycle = create_open_cycle(admin, org, false);
  const auto tokens = invite(admin, cycle, 4, "manager");
  for (std::size_t i = 0; i < 3; ++i) {
    put_answers(tokens[i], {{"LS2b", 5}});
    server->request("POST", "/api/r/" + tokens[i] + "/submit");
  }
  EXPECT_EQ(body_of(admin.get("/api/cycles/" + cycle + "/report"))["respondents"], 3);
  ServerProcess second(db);
  const auto via_second =
      second.request("PUT", "/api/r/" + tokens[3] + "/answers", R"({"answers":{"LS2b":1}})",
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
    ASSERT_EQ(second
                  .request("PUT", "/api/r/" + token + "/answers", R"({"answers":{"LS2b":4}})",
                           {{"Content-Type", "application/json"}})
                  .status,
              200);
    ASSERT_EQ(second.request("POST", "/api/r/" + token + "/submit").status, 200);
  };
  // Events until one says `submitted` submissions (the poll may first send
  // one with the answers started).
  auto until_submitted = [](EventStreamClient& stream,
                            int submitted) -> std::optional<ServerEvent> {
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
  stream = std::make_unique<EventStreamClient>(
      server->port(), path,
      std::map<std::string, std::string>{{"Cookie", admin.cookie()}, {"Last-Event-ID", one->id}});
  ASSERT_EQ(stream->status(), 200);
  EXPECT_FALSE(stream->next(2600)) << "an event repeated after reconnecting";
  // What happened while away arrives on reconnection.
  stream.reset();
  submit_via_second(tokens[1]);
  stream = std::make_unique<EventStreamClient>(
      second.port(), path,
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
  ASSERT_EQ(server->request("PUT", put, R"({"answers":{"LS2b":3}})", json_type).status,
            200);  // A caches the link

  ServerProcess second(db);
  Client admin_b(second);
  ASSERT_EQ(admin_b.login("lead@example.org", "correct horse battery"), 200);
  ASSERT_EQ(admin_b.send("POST", "/api/cycles/" + cycle + "/close").status, 200);

  const auto refused = server->request("PUT", put, R"({"answers":{"LS2b":5}})", json_type);
  EXPECT_EQ(refused.status, 409) << refused.body;
  EXPECT_EQ(body_of(refused)["error"]["code"], "cycle_not_open");
  EXPECT_EQ(body_of(server->request("GET", "/api/r/" + tokens[0]))["answers"]["LS2b"],
            3);  // unchanged
}

// Every rule that must hold exactly, with two processes on one database:
// whichever process a request reaches, and whatever it has cached, the
// write decides. Many rounds, so that races get their chance.
TEST_P(ServerTest, TwoProcessesKeepEveryRuleInsideTheWrite) {
  const std::string org = create_org(admin, "Acme");
  // Named: a started link of an anonymous cycle cannot be revoked.
  const std::string cycle = create_open_cycle(admin, org, /*anonymous=*/false);
  ServerProcess second(db);
  Client admin_b(second);
  ASSERT_EQ(admin_b.login("lead@example.org", "correct horse battery"), 200);
  const std::map<std::string, std::string> json_type = {{"Content-Type", "application/json"}};
  auto put_via = [&](const ServerProcess& p, const std::string& token, int value) {
    return p.request("PUT", "/api/r/" + token + "/answers",
                     json{{"answers", {{"LS2b", value}}}}.dump(), json_type);
  };
  auto code = [](const HttpResult& r) {
    return r.status == 200 ? std::string("ok") : std::string(body_of(r)["error"]["code"]);
  };
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
    std::thread racer(
        [&] { close_a = admin.send("POST", "/api/cycles/" + cycle + "/close").status; });
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
    ASSERT_EQ(admin.send("POST", "/api/cycles/" + cycle + "/invitations/" + revoked_id + "/revoke")
                  .status,
              200);
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
    const auto created = admin.send("POST", "/api/orgs/" + org + "/actions",
                                    R"({"title":"Map the claims journey"})");
    ASSERT_EQ(created.status, 201) << created.body;
    const std::string path =
        "/api/orgs/" + org + "/actions/" + body_of(created)["id"].get<std::string>();
    int a = 0, b = 0;
    std::thread racer(
        [&] { a = admin.send("PATCH", path, R"({"version":1,"status":"done"})").status; });
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
// A link revoked through one process is closed at once in another whose
// copy of the link is older: the questionnaire reads the link afresh and
// refuses it, whether or not the other process has heard of the change.
TEST_P(ServerTest, ALinkRevokedInOneProcessIsClosedAtOnceInTheOther) {
  const std::string org = create_org(admin, "Acme");
  const std::string cycle = create_open_cycle(admin, org, false);
  const auto created =
      admin.send("POST", "/api/cycles/" + cycle + "/invitations",
                 json{{"count", 1}, {"role", "manager"}, {"unit", "Sales"}}.dump());
  ASSERT_EQ(created.status, 201) << created.body;
  const std::string token = body_of(created)["invitations"][0]["token"];
  const std::string id = body_of(created)["invitations"][0]["id"];
  ServerProcess second(db);
  ASSERT_EQ(second.request("GET", "/api/r/" + token).status, 200);  // B keeps a copy of the link
  ASSERT_EQ(admin.send("POST", "/api/cycles/" + cycle + "/invitations/" + id + "/revoke").status,
            200);
  EXPECT_EQ(second.request("GET", "/api/r/" + token).status, 404);
}

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
    ASSERT_EQ(put_answers(tokens[i], {{"LS2b", 4}}).status, 200);
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
  ASSERT_EQ(put_answers(tokens[3], {{"LS2b", 2}}).status, 200);
  ASSERT_EQ(server->request("POST", "/api/r/" + tokens[3] + "/submit").status, 200);
  EXPECT_TRUE(eventually([&] {
    return body_of(admin_b.get("/api/cycles/" + cycle + "/report"))["respondents"] == 4;
  }));
  // A close through A: B's cycle shows closed.
  ASSERT_EQ(admin.send("POST", "/api/cycles/" + cycle + "/close").status, 200);
  EXPECT_TRUE(eventually(
      [&] { return body_of(admin_b.get("/api/cycles/" + cycle))["status"] == "closed"; }));
  // A revocation through A: B no longer serves the link (the only one
  // not submitted).
  std::string extra_id;
  const json listed = body_of(admin.get("/api/cycles/" + cycle + "/invitations"));
  for (const auto& link : listed["invitations"]) {
    if (link["submitted"] == false) extra_id = link["id"].get<std::string>();
  }
  const auto revoked =
      admin.send("POST", "/api/cycles/" + cycle + "/invitations/" + extra_id + "/revoke");
  ASSERT_EQ(revoked.status, 200) << revoked.body << extra_id;
  EXPECT_TRUE(eventually([&] { return second.request("GET", "/api/r/" + extra).status == 404; }));
  // Scope and the roll-up rule changed through A: B's cached report (and
  // its organizations list) are computed again.
  ASSERT_EQ(body_of(admin_b.get("/api/cycles/" + cycle + "/report"))["items"].size(),
            body_of(admin.get("/api/orgs/" + org + "/aims"))["model"]["items"].size());
  ASSERT_EQ(admin
                .send("PUT", "/api/orgs/" + org + "/aims",
                      R"({"out_of_scope":[{"item":"GO2","reason":"n/a"}]})")
                .status,
            200);
  EXPECT_TRUE(eventually([&] {
    const json report = body_of(admin_b.get("/api/cycles/" + cycle + "/report"));
    return report.contains("out_of_scope") && report["out_of_scope"].size() == 1;
  }));
  ASSERT_EQ(admin.send("PATCH", "/api/orgs/" + org, R"({"stage_rollup":"weakest_unit"})").status,
            200);
  EXPECT_TRUE(eventually([&] {
    return body_of(admin_b.get("/api/cycles/" + cycle + "/report"))["stage_rollup"]["rule"] ==
           "weakest_unit";
  }));
  // A log-out through B ends the session in A, which had it cached.
  const std::map<std::string, std::string> b_cookie = {{"Cookie", admin_b.cookie()}};
  ASSERT_EQ(server->request("GET", "/api/session", "", b_cookie).status, 200);
  ASSERT_EQ(admin_b.send("DELETE", "/api/session").status, 204);
  EXPECT_TRUE(eventually(
      [&] { return server->request("GET", "/api/session", "", b_cookie).status == 401; }));
  EXPECT_EQ(viewer_session.get("/api/session").status,
            200);  // another session of the same user goes on
}

}  // namespace
}  // namespace cxm::testing
