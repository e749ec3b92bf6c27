// The group discussion and the live workshop over HTTP: agenda and notes,
// phones joining with a code, reveals from k, two processes.
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

// The discussion (issue 16): every statement's figures, the agenda with the
// split statement first, notes and decisions kept with the cycle, small
// groups hidden, and nothing of an anonymous cycle before its release.
TEST_P(ServerTest, DiscussionShowsTheAgendaAndKeepsNotes) {
  const std::string org = create_org(admin, "Acme");
  const std::string cycle = create_open_cycle(admin, org, false);
  const auto execs = invite(admin, cycle, 3, "executive");
  const auto front = invite(admin, cycle, 3, "frontline");
  const auto managers = invite(admin, cycle, 1, "manager");
  // LS2b splits the room (1,1,1 against 5,5,5, one 3): mean 3, disagreement.
  // LS3 is nearly unanimous.
  for (std::size_t i = 0; i < 3; ++i) {
    ASSERT_EQ(put_answers(execs[i], {{"LS2b", 5}, {"LS3", i == 1 ? 5 : 4}}).status, 200);
    ASSERT_EQ(server->request("POST", "/api/r/" + execs[i] + "/submit").status, 200);
    ASSERT_EQ(put_answers(front[i], {{"LS2b", 1}, {"LS3", i == 2 ? 5 : 4}}).status, 200);
    ASSERT_EQ(server->request("POST", "/api/r/" + front[i] + "/submit").status, 200);
  }
  ASSERT_EQ(put_answers(managers[0], {{"LS2b", 3}, {"LS3", 5}}).status, 200);
  ASSERT_EQ(server->request("POST", "/api/r/" + managers[0] + "/submit").status, 200);

  const auto path = "/api/cycles/" + cycle + "/discussion";
  json d = body_of(admin.get(path));
  ASSERT_TRUE(d["available"].get<bool>()) << d.dump();
  EXPECT_EQ(d["respondents"], 7);
  EXPECT_EQ(d["statements"].size(), 49u);
  const json& ls2 = d["statements"][0];
  ASSERT_EQ(ls2["id"], "LS2b");
  EXPECT_EQ(ls2["figures"]["histogram"], json({3, 0, 1, 0, 3}));
  EXPECT_NEAR(ls2["figures"]["mean"].get<double>(), 3.0, 1e-9);
  EXPECT_EQ(ls2["figures"]["class"], "disagreement");
  EXPECT_TRUE(ls2["figures"]["bimodal"].get<bool>());
  EXPECT_TRUE(ls2["discussion"].is_null());
  ASSERT_GE(d["agenda"].size(), 2u);
  EXPECT_EQ(d["agenda"][0]["id"], "LS2b");
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
  const auto saved =
      admin.send("PUT", path + "/notes/LS2b",
                 json{{"note", "Sales sees the customer\nfirst"}, {"decision", 2}}.dump());
  ASSERT_EQ(saved.status, 200) << saved.body;
  EXPECT_EQ(body_of(saved)["decision"], 2);
  d = body_of(admin.get(path));
  EXPECT_EQ(d["statements"][0]["discussion"]["note"], "Sales sees the customer\nfirst");
  EXPECT_EQ(d["statements"][0]["discussion"]["decision"], 2);
  EXPECT_EQ(admin.send("PUT", path + "/notes/LS2b", json{{"decision", 6}}.dump()).status, 422);
  EXPECT_EQ(admin.send("PUT", path + "/notes/LS2b", json{{"decision", "2"}}.dump()).status, 422);
  EXPECT_EQ(
      admin.send("PUT", path + "/notes/LS2b", json{{"note", std::string(4001, 'x')}}.dump()).status,
      422);
  EXPECT_EQ(admin.send("PUT", path + "/notes/NOPE", json{{"note", "x"}}.dump()).status, 404);
  EXPECT_EQ(admin.send("PUT", path + "/notes/LS2b", "[1]").status, 422);
  EXPECT_EQ(
      server->request("PUT", path + "/notes/LS2b", "{}", {{"Content-Type", "application/json"}})
          .status,
      401);
  // Clearing both removes it.
  ASSERT_EQ(
      admin.send("PUT", path + "/notes/LS2b", json{{"note", ""}, {"decision", nullptr}}.dump())
          .status,
      200);
  EXPECT_TRUE(body_of(admin.get(path))["statements"][0]["discussion"].is_null());

  // An anonymous cycle shows no figures while open, not even in the discussion.
  const std::string anonymous = create_open_cycle(admin, org, true);
  for (const auto& t : invite(admin, anonymous, 3, "executive")) {
    ASSERT_EQ(put_answers(t, {{"LS2b", 4}}).status, 200);
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

// Issue 22: phones the facilitator joins themselves do not make up the k
// of a reveal. A phone joined in a browser logged in as a member of the
// organization never counts; one browser (its device cookie) joining
// three times is one seat. docs/anonymity.md rule 5.
TEST_P(ServerTest, ARevealNeedsKPhonesOfPeopleOtherThanTheOrganizers) {
  const std::string org = create_org(admin, "Acme");
  const std::string cycle = create_open_cycle(admin, org);  // anonymous, k = 3
  const auto started =
      admin.send("POST", "/api/cycles/" + cycle + "/workshops", R"({"pace":"statement"})");
  ASSERT_EQ(started.status, 201) << started.body;
  const std::string ws = body_of(started)["id"];
  const std::string code = body_of(started)["code"];
  const std::string first = body_of(started)["current"][0]["id"];
  // A join sending `cookies`; the phone keeps the claim (the last Set-Cookie).
  auto join_sending = [&](const std::string& cookies) {
    const auto r = http_request(server->port(), "POST", "/api/join", json{{"code", code}}.dump(),
                                {{"Content-Type", "application/json"}, {"Cookie", cookies}});
    EXPECT_EQ(r.status, 200) << r.body;
    const std::string set = r.headers.at("set-cookie");
    return Phone{server->port(), json::parse(r.body)["token"], set.substr(0, set.find(';'))};
  };
  std::vector<Phone> phones;
  phones.push_back(join_sending(admin.cookie()));  // the facilitator's own phone
  // One browser joining three times: one seat, held by its latest join.
  const std::string device = "cxm_device=" + std::string(32, 'a');
  for (int i = 0; i < 3; ++i) phones.push_back(join_sending(device));
  EXPECT_EQ(body_of(admin.get("/api/workshops/" + ws))["joined"], 2);
  EXPECT_NE(phones[1].answer(1, {{first, 4}}).status, 200);  // its seat was taken back
  for (const std::size_t i : {std::size_t{0}, std::size_t{3}})
    ASSERT_EQ(phones[i].answer(1, {{first, 4}}).status, 200);
  const auto refused = admin.send("POST", "/api/workshops/" + ws + "/reveal",
                                  json{{"round", 1}, {"item", first}}.dump());
  ASSERT_EQ(refused.status, 409) << refused.body;
  EXPECT_NE(body_of(refused)["error"]["message"].get<std::string>().find("; 1 so far"),
            std::string::npos)
      << refused.body;
  for (int i = 0; i < 2; ++i) {
    const auto phone = join_phone(server->port(), code);  // browsers of their own
    ASSERT_TRUE(phone);
    ASSERT_EQ(phone->answer(1, {{first, 2}}).status, 200);
  }
  const auto shown = admin.send("POST", "/api/workshops/" + ws + "/reveal",
                                json{{"round", 1}, {"item", first}}.dump());
  ASSERT_EQ(shown.status, 200) << shown.body;
  EXPECT_EQ(body_of(shown)["current"][0]["figures"]["histogram"], json({0, 2, 0, 2, 0}));
}

// Issue 16's live workshop, end to end through the API: join by code,
// answers counted live, the reveal rule (at least k ratings, then locked),
// pacing, the second round stored apart with its convergence verdict, and
// the end of the code. docs/anonymity.md "Live workshops".
TEST_P(ServerTest, AWorkshopRevealsOnlyFromKAndLocksWhatItShowed) {
  const std::string org = create_org(admin, "Acme");
  const std::string cycle = create_open_cycle(admin, org);  // anonymous, k = 3
  const auto started =
      admin.send("POST", "/api/cycles/" + cycle + "/workshops", R"({"pace":"statement"})");
  ASSERT_EQ(started.status, 201) << started.body;
  json state = body_of(started);
  const std::string ws = state["id"];
  const std::string code = state["code"];
  ASSERT_EQ(code.size(), 6u);
  EXPECT_EQ(state["join_path"], "/j/" + code + "?w=" + ws);
  EXPECT_EQ(state["status"], "open");
  EXPECT_EQ(state["steps"].size(), 49u);
  ASSERT_EQ(state["current"].size(), 1u);
  const std::string first = state["current"][0]["id"];
  EXPECT_EQ(admin.send("POST", "/api/cycles/" + cycle + "/workshops").status,
            409);  // one at a time
  EXPECT_EQ(body_of(admin.get("/api/cycles/" + cycle + "/workshop"))["workshop"]["id"], ws);

  // Wrong and malformed codes join nothing.
  EXPECT_EQ(join_with(server->port(), code == "ABCDEF" ? "ABCDEG" : "ABCDEF").status, 422);
  EXPECT_EQ(join_with(server->port(), "hello").status, 422);
  EXPECT_EQ(http_request(server->port(), "POST", "/api/join", "[1]",
                         {{"Content-Type", "application/json"}})
                .status,
            422);
  std::vector<Phone> phones;
  for (int i = 0; i < 3; ++i) {
    // Typed as people type it: lower case, with a space.
    std::string typed = code;
    for (auto& c : typed) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    const auto phone =
        join_phone(server->port(), i == 0 ? typed.substr(0, 3) + " " + typed.substr(3) : code);
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
  const auto early = admin.send("POST", "/api/workshops/" + ws + "/reveal",
                                json{{"round", 1}, {"item", first}}.dump());
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

  const auto revealed = admin.send("POST", "/api/workshops/" + ws + "/reveal",
                                   json{{"round", 1}, {"item", first}}.dump());
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
  EXPECT_EQ(body_of(admin.get("/api/workshops/" + ws))["current"][0]["figures"]["histogram"],
            json({1, 0, 0, 0, 2}));
  EXPECT_EQ(admin
                .send("POST", "/api/workshops/" + ws + "/reveal",
                      json{{"round", 1}, {"item", first}}.dump())
                .status,
            200);  // shown already

  // The workshop's links answer only here, and are never part of the
  // cycle's invitations or results.
  EXPECT_EQ(http_request(server->port(), "PUT", "/api/r/" + phones[0].token + "/answers",
                         R"({"answers":{"LS3":2}})",
                         {{"Content-Type", "application/json"}, {"Cookie", phones[0].cookie}})
                .status,
            409);
  EXPECT_EQ(http_request(server->port(), "POST", "/api/r/" + phones[0].token + "/submit", "",
                         {{"Cookie", phones[0].cookie}})
                .status,
            409);
  EXPECT_EQ(body_of(admin.get("/api/cycles/" + cycle + "/invitations"))["invitations"].size(), 0u);

  // Pacing: the next step, on the projector and on the phones.
  const auto moved =
      admin.send("POST", "/api/workshops/" + ws + "/step", json{{"round", 1}, {"step", 1}}.dump());
  ASSERT_EQ(moved.status, 200) << moved.body;
  const std::string second = body_of(moved)["current"][0]["id"];
  EXPECT_NE(second, first);
  EXPECT_EQ(phones[1].room()["current"][0]["id"], second);
  EXPECT_EQ(
      admin.send("POST", "/api/workshops/" + ws + "/step", json{{"round", 1}, {"step", 49}}.dump())
          .status,
      409);
  EXPECT_EQ(
      admin.send("POST", "/api/workshops/" + ws + "/step", json{{"round", 2}, {"step", 0}}.dump())
          .status,
      409);
  // Not on the screen any more: neither revealed nor revealed again.
  EXPECT_EQ(admin
                .send("POST", "/api/workshops/" + ws + "/reveal",
                      json{{"round", 1}, {"item", first}}.dump())
                .status,
            409);

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
  EXPECT_EQ(phones[0].room()["answers"], json::object());    // a new round, nothing answered yet
  EXPECT_EQ(phones[0].answer(1, {{first, 4}}).status, 409);  // round 1 is over
  ASSERT_EQ(phones[0].answer(2, {{first, 4}}).status, 200);
  ASSERT_EQ(phones[1].answer(2, {{first, 4}}).status, 200);
  EXPECT_EQ(admin
                .send("POST", "/api/workshops/" + ws + "/reveal",
                      json{{"round", 2}, {"item", first}}.dump())
                .status,
            409);
  ASSERT_EQ(phones[2].answer(2, {{first, 5}}).status, 200);
  const auto after = admin.send("POST", "/api/workshops/" + ws + "/reveal",
                                json{{"round", 2}, {"item", first}}.dump());
  ASSERT_EQ(after.status, 200) << after.body;
  state = body_of(after);
  EXPECT_EQ(state["current"][0]["figures"]["histogram"], json({0, 0, 0, 2, 1}));
  EXPECT_EQ(state["current"][0]["first_round"]["histogram"], json({1, 0, 0, 0, 2}));
  EXPECT_EQ(state["current"][0]["comparison"]["verdict"], "converged");
  EXPECT_GT(state["current"][0]["comparison"]["rwg_after"].get<double>(),
            state["current"][0]["comparison"]["rwg_before"].get<double>());
  EXPECT_EQ(phones[0].answer(2, {{first, 1}}).status, 409);

  // Issue 23: the discussion says what moved after talking, in plain words
  // with the numbers behind them.
  json rounds = body_of(admin.get("/api/cycles/" + cycle + "/discussion"))["workshop_rounds"];
  ASSERT_EQ(rounds.size(), 1u) << rounds.dump();
  EXPECT_EQ(rounds[0]["id"], first);
  EXPECT_EQ(rounds[0]["workshop_id"], ws);
  EXPECT_EQ(rounds[0]["verdict"], "converged");
  EXPECT_TRUE(rounds[0]["hidden"].is_null());
  EXPECT_EQ(rounds[0]["before"]["n"], 3);
  EXPECT_NEAR(rounds[0]["before"]["mean"].get<double>(), 11.0 / 3, 1e-9);
  EXPECT_NEAR(rounds[0]["after"]["mean"].get<double>(), 13.0 / 3, 1e-9);
  EXPECT_EQ(rounds[0]["words"],
            "The room came closer together: before talking the room disagreed (mean 3.7); "
            "after, the room agreed (mean 4.3).");

  // Issue 23: round 2 is no one-way door. It ends on its statement and
  // round 1 continues after the furthest step it revealed.
  EXPECT_TRUE(state["first_round_available"].get<bool>());
  const auto back = admin.send("POST", "/api/workshops/" + ws + "/first-round");
  ASSERT_EQ(back.status, 200) << back.body;
  state = body_of(back);
  EXPECT_EQ(state["round"], 1);
  EXPECT_EQ(state["step"], 1);
  EXPECT_EQ(state["current"][0]["id"], second);
  EXPECT_FALSE(state["first_round_available"].get<bool>());
  EXPECT_EQ(state["steps"][0]["revealed"], 1);
  EXPECT_EQ(state["steps"][1]["revealed"], 0);
  // What a second round revealed is not asked again.
  EXPECT_FALSE(state["second_round"]["available"].get<bool>());
  EXPECT_EQ(admin.send("POST", "/api/workshops/" + ws + "/second-round").status, 409);
  EXPECT_EQ(admin.send("POST", "/api/workshops/" + ws + "/first-round").status, 409);
  EXPECT_EQ(phones[1].room()["current"][0]["id"], second);
  ASSERT_EQ(phones[1].answer(1, {{second, 2}}).status, 200);
  EXPECT_EQ(phones[1].answer(2, {{first, 2}}).status, 409);

  // Ending: the code stops working at once, and so do the phones.
  const auto ended = admin.send("POST", "/api/workshops/" + ws + "/end");
  ASSERT_EQ(ended.status, 200);
  EXPECT_EQ(body_of(ended)["status"], "ended");
  EXPECT_TRUE(body_of(ended)["code"].is_null());
  EXPECT_EQ(join_with(server->port(), code).status, 422);
  EXPECT_EQ(phones[1].answer(2, {{first, 2}}).status, 409);
  EXPECT_EQ(phones[1].room()["status"], "ended");
  EXPECT_EQ(admin.send("POST", "/api/workshops/" + ws + "/end").status, 200);
  EXPECT_EQ(admin
                .send("POST", "/api/workshops/" + ws + "/reveal",
                      json{{"round", 2}, {"item", first}}.dump())
                .status,
            409);
  EXPECT_TRUE(body_of(admin.get("/api/cycles/" + cycle + "/workshop"))["workshop"].is_null());
  EXPECT_EQ(admin.send("POST", "/api/cycles/" + cycle + "/workshops").status,
            201);  // a new one may start
  // An invited link is no seat in a workshop.
  const auto invited = invite(admin, cycle, 1, "manager");
  EXPECT_EQ(server->request("GET", "/api/r/" + invited[0] + "/workshop").status, 404);
  // A closed cycle takes no workshop.
  ASSERT_EQ(admin.send("POST", "/api/cycles/" + cycle + "/close").status, 200);
  const auto closed = admin.send("POST", "/api/cycles/" + cycle + "/workshops");
  EXPECT_EQ(closed.status, 409);
  EXPECT_EQ(body_of(closed)["error"]["code"], "cycle_not_open");
}

// Issue 23: the printable report has a small Workshop section: what moved
// after talking, with the numbers behind the words; a statement a round of
// which has fewer ratings than k ("don't know" aside) says why it is hidden.
TEST_P(ServerTest, TheReportShowsWhatMovedAfterTalking) {
  const std::string org = create_org(admin, "Acme");
  const std::string cycle = create_open_cycle(admin, org, false);  // k = 3
  for (const auto& t : invite(admin, cycle, 3, "executive")) {
    ASSERT_EQ(put_answers(t, {{"LS2b", 4}}).status, 200);
    ASSERT_EQ(server->request("POST", "/api/r/" + t + "/submit").status, 200);
  }
  const auto started =
      admin.send("POST", "/api/cycles/" + cycle + "/workshops", R"({"pace":"statement"})");
  ASSERT_EQ(started.status, 201) << started.body;
  const std::string ws = body_of(started)["id"];
  const std::string code = body_of(started)["code"];
  const std::string first = body_of(started)["current"][0]["id"];
  std::vector<Phone> phones;
  for (int i = 0; i < 4; ++i) {
    const auto phone = join_phone(server->port(), code);
    ASSERT_TRUE(phone);
    phones.push_back(*phone);
  }
  const auto reveal = [&](int round, const std::string& item) {
    return admin.send("POST", "/api/workshops/" + ws + "/reveal",
                      json{{"round", round}, {"item", item}}.dump());
  };
  // The first statement: split, then agreed. The second: split, then two
  // ratings and two "don't know" (revealed: four answers; hidden here).
  const auto answer_all = [&](int round, const std::string& item, const json& low,
                              const json& high) {
    for (int i = 0; i < 4; ++i)
      ASSERT_EQ(phones[i].answer(round, {{item, i < 2 ? low : high}}).status, 200) << i;
    ASSERT_EQ(reveal(round, item).status, 200);
  };
  answer_all(1, first, 1, 5);
  const auto moved =
      admin.send("POST", "/api/workshops/" + ws + "/step", json{{"round", 1}, {"step", 1}}.dump());
  ASSERT_EQ(moved.status, 200);
  const std::string second_item = body_of(moved)["current"][0]["id"];
  answer_all(1, second_item, 1, 5);
  ASSERT_EQ(admin.send("POST", "/api/workshops/" + ws + "/second-round").status, 200);
  const json second = body_of(admin.get("/api/workshops/" + ws));
  ASSERT_EQ(second["steps"].size(), 2u);
  EXPECT_EQ(second["steps"][0]["items"][0], first);
  answer_all(2, first, 4, 4);
  ASSERT_EQ(
      admin.send("POST", "/api/workshops/" + ws + "/step", json{{"round", 2}, {"step", 1}}.dump())
          .status,
      200);
  answer_all(2, second_item, nullptr, 4);
  const json rounds = body_of(admin.get("/api/cycles/" + cycle + "/discussion"))["workshop_rounds"];
  ASSERT_EQ(rounds.size(), 2u) << rounds.dump();
  EXPECT_TRUE(rounds[0]["hidden"].is_null());
  EXPECT_TRUE(rounds[1]["before"].is_null());
  EXPECT_TRUE(rounds[1]["after"].is_null());
  EXPECT_EQ(rounds[1]["hidden"],
            "fewer than 3 ratings in the second round (don't know answers aside)");

  const auto page = admin.get("/api/cycles/" + cycle + "/report.html");
  ASSERT_EQ(page.status, 200);
  EXPECT_NE(page.body.find("<h2>Workshop: what moved after talking</h2>"), std::string::npos);
  EXPECT_NE(page.body.find("The room came closer together: before talking the room "),
            std::string::npos)
      << page.body;
  EXPECT_NE(page.body.find("3.0 → 4.0"), std::string::npos);
  EXPECT_NE(page.body.find("Not shown: fewer than 3 ratings in the second round"),
            std::string::npos);
  // The workbook and its CSV files have it too (the page alone had it).
  const auto table = admin.get("/api/cycles/" + cycle + "/report.csv?table=workshop");
  ASSERT_EQ(table.status, 200) << table.body;
  EXPECT_NE(table.body.find(",3,4,0,1,\"The room came closer together"), std::string::npos)
      << table.body;
  EXPECT_NE(table.body.find(",,,,,,fewer than 3 ratings in the second round"), std::string::npos)
      << table.body;

  // A statement the organization takes out of scope leaves the before and
  // after, as it leaves the report (it stayed in both).
  const json aims = {{"targets", json::array()},
                     {"out_of_scope", {{{"item", first}, {"reason", "Not ours"}}}}};
  ASSERT_EQ(admin.send("PUT", "/api/orgs/" + org + "/aims", aims.dump()).status, 200);
  const json scoped = body_of(admin.get("/api/cycles/" + cycle + "/discussion"))["workshop_rounds"];
  ASSERT_EQ(scoped.size(), 1u) << scoped.dump();
  EXPECT_EQ(scoped[0]["id"], second_item);
}

// The discussion agenda's order (disagreement first), once results may be
// shown; before that, a workshop walks in model order.
TEST_P(ServerTest, AWorkshopCanFollowTheDiscussionAgenda) {
  const std::string org = create_org(admin, "Acme");
  const std::string hidden = create_open_cycle(admin, org);  // anonymous: no results while open
  const auto refused =
      admin.send("POST", "/api/cycles/" + hidden + "/workshops", R"({"order":"agenda"})");
  EXPECT_EQ(refused.status, 409);
  EXPECT_EQ(body_of(refused)["error"]["code"], "no_agenda");
  EXPECT_EQ(
      admin.send("POST", "/api/cycles/" + hidden + "/workshops", R"({"order":"sideways"})").status,
      422);
  EXPECT_EQ(admin.send("POST", "/api/cycles/" + hidden + "/workshops", R"({"pace":"page"})").status,
            422);

  const std::string cycle = create_open_cycle(admin, org, false);
  const auto tokens = invite(admin, cycle, 4, "manager");
  // LS3 splits the room, LS2b does not.
  for (std::size_t i = 0; i < tokens.size(); ++i) {
    ASSERT_EQ(put_answers(tokens[i], {{"LS2b", 4}, {"LS3", i % 2 ? 1 : 5}}).status, 200);
    ASSERT_EQ(server->request("POST", "/api/r/" + tokens[i] + "/submit").status, 200);
  }
  const json agenda = body_of(admin.get("/api/cycles/" + cycle + "/discussion"))["agenda"];
  ASSERT_EQ(agenda[0]["id"], "LS3");
  const auto started = admin.send("POST", "/api/cycles/" + cycle + "/workshops",
                                  R"({"order":"agenda","pace":"statement"})");
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
    if (last.status == 429)
      ++refused;
    else
      ASSERT_EQ(last.status, 422) << i;
  }
  ASSERT_EQ(refused, 1) << "70 wrong codes in a row were all checked";
  EXPECT_TRUE(last.headers.contains("retry-after"));
  EXPECT_EQ(body_of(last)["error"]["code"], "too_many_attempts");
}

// Issue 21: one answer write with one link check for every kind of link.
// A workshop phone's PUT and an invited link's PUT are refused alike when
// the browser does not hold the claim and when the cycle is closed, and
// neither kind's link answers the other's way.
TEST_P(ServerTest, BothKindsOfLinkAreRefusedByTheOneLinkCheck) {
  const std::string org = create_org(admin, "Acme");
  const std::string cycle = create_open_cycle(admin, org);
  const auto started = admin.send("POST", "/api/cycles/" + cycle + "/workshops");
  ASSERT_EQ(started.status, 201);
  const std::string code = body_of(started)["code"];
  const std::string item = body_of(started)["current"][0]["id"];
  const auto phone = join_phone(server->port(), code);
  ASSERT_TRUE(phone);
  const std::string link = invite(admin, cycle, 1, "manager")[0];
  ASSERT_EQ(put_answers(link, {{item, 3}}).status, 200);  // claims the link
  const json answers = {{item, 4}};
  const auto questionnaire = [&](bool with_claim) {
    std::map<std::string, std::string> headers = {{"Content-Type", "application/json"}};
    // The claim cookie the test client keeps for the link, or none.
    return with_claim ? put_answers(link, answers)
                      : http_request(server->port(), "PUT", "/api/r/" + link + "/answers",
                                     json{{"answers", answers}}.dump(), headers);
  };
  const auto same = [](const HttpResult& a, const HttpResult& b, int status,
                       const std::string& error) {
    EXPECT_EQ(a.status, status) << a.body;
    EXPECT_EQ(b.status, status) << b.body;
    EXPECT_EQ(body_of(a)["error"]["code"], error);
    EXPECT_EQ(body_of(b)["error"]["code"], error);
  };
  same(questionnaire(false), phone->answer(1, answers, false), 403, "not_claimed");
  // A seat's link answers only on the workshop's page; an invited link is no seat.
  const auto seat_as_link =
      http_request(server->port(), "PUT", "/api/r/" + phone->token + "/answers",
                   json{{"answers", answers}}.dump(),
                   {{"Content-Type", "application/json"}, {"Cookie", phone->cookie}});
  EXPECT_EQ(seat_as_link.status, 409);
  EXPECT_EQ(body_of(seat_as_link)["error"]["code"], "workshop_link");
  EXPECT_EQ(http_request(server->port(), "PUT", "/api/r/" + link + "/workshop/answers",
                         json{{"round", 1}, {"answers", answers}}.dump(),
                         {{"Content-Type", "application/json"}})
                .status,
            404);
  ASSERT_EQ(questionnaire(true).status, 200);
  ASSERT_EQ(phone->answer(1, answers).status, 200);
  ASSERT_EQ(admin.send("POST", "/api/cycles/" + cycle + "/close").status, 200);
  same(questionnaire(true), phone->answer(1, answers), 409, "cycle_not_open");
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

  ASSERT_EQ(
      admin_b.send("POST", "/api/workshops/" + ws + "/step", json{{"round", 1}, {"step", 2}}.dump())
          .status,
      200);
  std::optional<json> moved;
  while (!moved) {
    const auto e = stream.next(5000);
    if (!e) break;
    if (json::parse(e->data)["step"] == 2) moved = json::parse(e->data);
  }
  ASSERT_TRUE(moved) << "the step set through the other process never reached the phone";
  const std::string item = (*moved)["current"][0]["id"];

  // Counts appear on B's projector stream as answers arrive through A.
  EventStreamClient projector(second.port(), "/api/workshops/" + ws + "/events",
                              {{"Cookie", admin.cookie()}});
  ASSERT_EQ(projector.status(), 200);
  for (int i = 0; i < 3; ++i)
    ASSERT_EQ(phones[static_cast<std::size_t>(i)].answer(1, {{item, 2 + i}}).status, 200);
  bool counted = false;
  while (!counted) {
    const auto e = projector.next(5000);
    if (!e) break;
    EXPECT_EQ(e->event, "workshop");
    counted = json::parse(e->data)["current"][0]["answered"] == 3;
  }
  EXPECT_TRUE(counted);

  ASSERT_EQ(admin_b
                .send("POST", "/api/workshops/" + ws + "/reveal",
                      json{{"round", 1}, {"item", item}}.dump())
                .status,
            200);
  const auto refused = phones[1].answer(1, {{item, 5}});  // through A
  EXPECT_EQ(refused.status, 409);
  EXPECT_EQ(body_of(refused)["error"]["code"], "revealed");
  EXPECT_EQ(body_of(admin.get("/api/workshops/" + ws))["current"][0]["figures"]["histogram"],
            json({0, 1, 1, 1, 0}));
  // A reveal through B racing answers through A: the frozen distribution
  // holds exactly the answers A accepted before it; every later one is refused.
  ASSERT_EQ(
      admin_b.send("POST", "/api/workshops/" + ws + "/step", json{{"round", 1}, {"step", 3}}.dump())
          .status,
      200);
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
        EXPECT_EQ(admin_b
                      .send("POST", "/api/workshops/" + ws + "/reveal",
                            json{{"round", 1}, {"item", raced}}.dump())
                      .status,
                  200);
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

}  // namespace
}  // namespace cxm::testing
