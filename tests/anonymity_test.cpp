// Participant links and anonymity over HTTP: claimed links, resume codes,
// releases and the groups that must stay hidden (docs/anonymity.md).
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
    h["Cookie"] =
        cookie.empty() ? "none=1" : cookie;  // sent as it is, not as the test's own participant
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
  ASSERT_EQ(
      http_request(port, "PUT", base + "/answers", R"({"answers":{"LS2b":5,"LS3":1}})", as(phone))
          .status,
      200);
  const auto own = body_of(http_request(port, "GET", base, "", as(phone)));
  EXPECT_EQ(own["claim"], "mine");
  EXPECT_EQ(own["answers"]["LS2b"], 5);
  // The facilitator, with the same link: nothing of theirs, no way in.
  const auto peek = body_of(http_request(port, "GET", base, "", as("")));
  EXPECT_EQ(peek["claim"], "other");
  EXPECT_EQ(peek["answers"], json::object());
  EXPECT_EQ(peek["progress"]["answered"], 0);
  EXPECT_EQ(
      http_request(port, "PUT", base + "/answers", R"({"answers":{"LS2b":1}})", as("")).status,
      403);
  EXPECT_EQ(http_request(port, "POST", base + "/submit", "", as("")).status, 403);
  EXPECT_EQ(body_of(http_request(port, "POST", base + "/claim", "{}", as("")))["error"]["code"],
            "claimed");
  const auto guess =
      http_request(port, "POST", base + "/claim", R"({"resume_code":"AAAA-AAAA"})", as(""));
  EXPECT_EQ(guess.status, 422);
  EXPECT_EQ(body_of(guess)["error"]["code"], "wrong_code");
  // The participant moves to a laptop with the code (any case, no dash).
  std::string typed = code.substr(0, 4) + code.substr(5);
  for (auto& c : typed) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  const auto moved =
      http_request(port, "POST", base + "/claim", json{{"resume_code", typed}}.dump(), as(""));
  ASSERT_EQ(moved.status, 200) << moved.body;
  const std::string laptop = cookie_of(moved);
  // The code typed is retired: whoever else knew it cannot take the link back.
  const std::string next_code = body_of(moved)["resume_code"];
  EXPECT_NE(next_code, code);
  EXPECT_EQ(
      http_request(port, "POST", base + "/claim", json{{"resume_code", code}}.dump(), as(phone))
          .status,
      422);
  EXPECT_EQ(body_of(http_request(port, "GET", base, "", as(laptop)))["answers"]["LS2b"], 5);
  EXPECT_EQ(
      http_request(port, "PUT", base + "/answers", R"({"answers":{"LS2b":2}})", as(phone)).status,
      403);
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
  const std::map<std::string, std::string> h = {{"Content-Type", "application/json"},
                                                {"Cookie", "none=1"}};
  const auto started = http_request(server->port(), "POST", "/api/r/" + token + "/claim", "{}", h);
  ASSERT_EQ(started.status, 200);
  ServerProcess second(db);
  int wrong = 0, locked = 0;
  for (int i = 0; i < 12; ++i) {
    const int port = i % 2 ? second.port() : server->port();
    const auto r = http_request(port, "POST", "/api/r/" + token + "/claim",
                                R"({"resume_code":"BBBB-BBBB"})", h);
    wrong += r.status == 422;
    locked += r.status == 409 && body_of(r)["error"]["code"] == "locked";
  }
  EXPECT_EQ(wrong, 9);
  EXPECT_EQ(locked, 3);
  const json right = {{"resume_code", body_of(started)["resume_code"]}};
  EXPECT_EQ(
      http_request(server->port(), "POST", "/api/r/" + token + "/claim", right.dump(), h).status,
      409);
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
    ASSERT_EQ(put_answers(tokens[i], {{"LS2b", i == 3 ? 1 : 5}}).status, 200);
    ASSERT_EQ(server->request("POST", "/api/r/" + tokens[i] + "/submit").status, 200);
  }
  ASSERT_EQ(admin.send("POST", "/api/cycles/" + cycle + "/close").status, 200);
  const auto whole = body_of(admin.get("/api/cycles/" + cycle + "/report"));
  ASSERT_EQ(whole["respondents"], 4) << whole.dump();
  for (const auto& unit : whole["segments"]["unit"])
    EXPECT_TRUE(unit["suppressed"].get<bool>()) << unit.dump();
  const auto support = body_of(admin.get("/api/cycles/" + cycle + "/report?unit=Support"));
  EXPECT_TRUE(support["suppressed"].get<bool>());
  const auto sales = body_of(admin.get("/api/cycles/" + cycle + "/report?unit=Sales"));
  EXPECT_TRUE(sales["suppressed"].get<bool>())
      << "the whole minus Sales would be the Support person";
  EXPECT_FALSE(sales.contains("items"));
  // Counts say "fewer than 3" for Support, not 1; and Sales' 3 is hidden
  // too, since the total (4) minus it would give Support's 1.
  const auto counts = body_of(admin.get("/api/cycles/" + cycle + "/responses"));
  EXPECT_EQ(counts["total"]["submitted"], 4);
  for (const auto& unit : counts["by_unit"]) {
    EXPECT_TRUE(unit["submitted"].is_null()) << unit.dump();
    if (unit["unit"] == "Support") {
      EXPECT_EQ(unit["fewer_than"], 3);
    }
    if (unit["unit"] == "Sales") {
      EXPECT_FALSE(unit.contains("fewer_than"))
          << "its count is not below 3: the reason is another";
      EXPECT_EQ(unit["hidden_to_protect"], json::array({"started", "submitted"}));
    }
  }
}

// Before the one person of a unit answers, their unit's count is not "0":
// "0" then "fewer than 3" would say the moment they submitted.
TEST_P(ServerTest, AUnitOfOneShowsNoCountBeforeOrAfterItsPersonSubmits) {
  const std::string org = create_org(admin, "Acme");
  const std::string cycle = create_open_cycle(admin, org);
  std::vector<std::string> sales, support;
  for (int i = 0; i < 4; ++i) {
    const auto r = admin.send("POST", "/api/cycles/" + cycle + "/invitations",
                              json{{"count", 1}, {"unit", i < 3 ? "Sales" : "Support"}}.dump());
    ASSERT_EQ(r.status, 201) << r.body;
    (i < 3 ? sales : support).push_back(body_of(r)["invitations"][0]["token"]);
  }
  for (const auto& token : sales) {
    ASSERT_EQ(put_answers(token, {{"LS2b", 4}}).status, 200);
    ASSERT_EQ(server->request("POST", "/api/r/" + token + "/submit").status, 200);
  }
  auto by_unit = [&] {
    json counts = body_of(admin.get("/api/cycles/" + cycle + "/responses"));
    json units = counts["by_unit"];
    return units.dump();
  };
  const std::string before = by_unit();
  ASSERT_EQ(put_answers(support[0], {{"LS2b", 2}}).status, 200);
  ASSERT_EQ(server->request("POST", "/api/r/" + support[0] + "/submit").status, 200);
  EXPECT_EQ(by_unit(), before) << "the units say nothing about the one Support person";
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
    ASSERT_EQ(put_answers(tokens[i], {{"LS2b", 1 + static_cast<int>(i % 5)}}).status, 200);
    ASSERT_EQ(server->request("POST", "/api/r/" + tokens[i] + "/submit").status, 200);
  };
  auto close = [&] {
    ASSERT_EQ(admin.send("POST", "/api/cycles/" + cycle + "/close").status, 200);
  };
  auto reopen = [&] {
    ASSERT_EQ(admin.send("POST", "/api/cycles/" + cycle + "/open").status, 200);
  };
  const json empty = report();
  EXPECT_TRUE(empty["suppressed"].get<bool>());
  for (std::size_t i = 0; i < 3; ++i) {
    submit(i);
    EXPECT_EQ(report(), empty) << "moved after submission " << i;
    EXPECT_EQ(body_of(admin.get("/api/cycles/" + cycle + "/responses"))["total"]["submitted"],
              i + 1);
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
    ASSERT_EQ(put_answers(tokens[i],
                          {{"LS2b", 1 + static_cast<int>(i)}, {"IN2", 5 - static_cast<int>(i)}})
                  .status,
              200);
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
  ASSERT_EQ(admin.send("POST", "/api/cycles/" + cycle + "/close").status,
            200);  // one waiting: held back
  EXPECT_EQ(progress()["competencies"], released["competencies"]);
  const json doc = body_of(admin.get("/api/orgs/" + org + "/progress"));
  EXPECT_FALSE(doc["next_due"].is_null());
  EXPECT_FALSE(doc["last_closed_at"].is_null());
}

// Attack 4: revoking a submitted link would take that person out of the
// report, and the difference would be their answers; and a revocation
// refused only for those who answered would tell who has. In an anonymous
// cycle every link revokes alike: it closes and stays counted, so the
// answer, the counts and the results are the same whatever its person did.
TEST_P(ServerTest, ASubmittedAnonymousResponseCannotBeRevoked) {
  const std::string org = create_org(admin, "Acme");
  const std::string cycle = create_open_cycle(admin, org);
  const auto created = body_of(admin.send("POST", "/api/cycles/" + cycle + "/invitations",
                                          json{{"count", 5}, {"role", "manager"}}.dump()));
  std::vector<std::string> ids, tokens;
  for (const auto& link : created["invitations"]) {
    ids.push_back(link["id"]);
    tokens.push_back(link["token"]);
  }
  ASSERT_EQ(tokens.size(), 5u);
  for (int i : {0, 3, 4}) {  // three submit: a release is possible
    ASSERT_EQ(put_answers(tokens[i], {{"LS2b", 4}}).status, 200);
    ASSERT_EQ(server->request("POST", "/api/r/" + tokens[i] + "/submit").status, 200);
  }
  ASSERT_EQ(put_answers(tokens[1], {{"LS2b", 2}}).status, 200);  // started, not submitted
  const json listed = body_of(admin.get("/api/cycles/" + cycle + "/invitations"));
  for (const auto& link : listed["invitations"])
    EXPECT_TRUE(link["submitted"].is_null()) << "nobody's own progress in an anonymous cycle";
  const std::string counts_before = admin.get("/api/cycles/" + cycle + "/responses").body;
  // Submitted, started, untouched: the same answer, and nothing else moves.
  std::vector<json> answers;
  for (int i : {0, 1, 2}) {
    const auto r =
        admin.send("POST", "/api/cycles/" + cycle + "/invitations/" + ids[i] + "/revoke");
    ASSERT_EQ(r.status, 200) << r.body;
    json j = body_of(r);
    EXPECT_TRUE(j["revoked"].get<bool>());
    j.erase("id");
    answers.push_back(j);
  }
  EXPECT_EQ(answers[0], answers[1]);
  EXPECT_EQ(answers[1], answers[2]);
  EXPECT_EQ(admin.get("/api/cycles/" + cycle + "/responses").body, counts_before);
  // The links open no more.
  for (int i : {0, 1, 2}) EXPECT_EQ(server->request("GET", "/api/r/" + tokens[i]).status, 404);
  // The submitted response is still in the results.
  ASSERT_EQ(admin.send("POST", "/api/cycles/" + cycle + "/close").status, 200);
  EXPECT_EQ(body_of(admin.get("/api/cycles/" + cycle + "/report"))["respondents"], 3);
}

// The silo score names only the units shown: a unit below k never, and in
// an anonymous cycle not one whose figures, subtracted from everyone's,
// would give a smaller group away (docs/anonymity.md).
TEST_P(ServerTest, TheSiloScoreNamesOnlyTheUnitsShown) {
  const std::string model = R"(id: silo
version: "1"
title: Silo
scale: {min: 1, max: 5, labels: [SD, D, N, A, SA], dont_know: Don't know}
threshold: 60
roles:
  - {id: manager, name: Manager}
stages:
  - {number: 1, id: ignore, name: Ignore, description: d1, obstacle: o1}
  - {number: 2, id: explore, name: Explore, description: d2, obstacle: o2}
competencies:
  - {id: lead, name: Leadership}
items:
  - {id: L2, competency: lead, stage: 2, themes: [silo], text: We hand over well.}
  - {id: L2r, competency: lead, stage: 2, themes: [silo], reverse: true, text: Targets divide us.}
)";
  const std::string org = create_org(admin, "Acme");
  for (const bool anonymous : {false, true}) {
    const auto created = admin.send("POST", "/api/orgs/" + org + "/cycles",
                                    json{{"name", anonymous ? "Anonymous" : "Named"},
                                         {"anonymous", anonymous},
                                         {"model_yaml", model}}
                                        .dump());
    ASSERT_EQ(created.status, 201) << created.body;
    const std::string cycle = body_of(created)["id"];
    ASSERT_EQ(admin.send("POST", "/api/cycles/" + cycle + "/open").status, 200);
    // Sales: three people answer 4 and 2 (reversed: 4): silo 75. Support:
    // one person answers 1 and 5 (reversed: 1): silo 0.
    for (const char* unit : {"Sales", "Sales", "Sales", "Support"}) {
      const auto r = admin.send("POST", "/api/cycles/" + cycle + "/invitations",
                                json{{"count", 1}, {"role", "manager"}, {"unit", unit}}.dump());
      ASSERT_EQ(r.status, 201) << r.body;
      const std::string token = body_of(r)["invitations"][0]["token"];
      const bool sales = std::string(unit) == "Sales";
      ASSERT_EQ(put_answers(token, {{"L2", sales ? 4 : 1}, {"L2r", sales ? 2 : 5}}).status, 200);
      ASSERT_EQ(server->request("POST", "/api/r/" + token + "/submit").status, 200);
    }
    if (anonymous) {
      ASSERT_EQ(admin.send("POST", "/api/cycles/" + cycle + "/close").status, 200);
    }
    const auto report = body_of(admin.get("/api/cycles/" + cycle + "/report"));
    ASSERT_TRUE(report["silo"].is_object()) << report.dump();
    // Everyone: L2 (4,4,4,1) 13/4 -> 56.25; L2r (2,2,2,5) 11/4 -> 43.75,
    // reversed 56.25: 56.25.
    EXPECT_DOUBLE_EQ(report["silo"]["score"].get<double>(), 56.25);
    EXPECT_EQ(report["silo"]["statements"], json::array({"L2", "L2r"}));
    std::vector<std::string> shown;
    for (const auto& u : report["segments"]["unit"]) {
      if (!u["suppressed"].get<bool>()) shown.push_back(u["value"]);
    }
    std::vector<std::string> silo_units;
    for (const auto& u : report["silo"]["units"]) silo_units.push_back(u["name"]);
    EXPECT_EQ(silo_units, shown) << report["silo"].dump();
    const std::string text = report["silo"].dump();
    EXPECT_EQ(text.find("Support"), std::string::npos) << "a unit of one is never named";
    if (anonymous) {
      // Sales' figure subtracted from everyone's would be the Support person's.
      EXPECT_TRUE(silo_units.empty()) << text;
    } else {
      ASSERT_EQ(silo_units, std::vector<std::string>{"Sales"});
      EXPECT_DOUBLE_EQ(report["silo"]["units"][0]["score"].get<double>(), 75.0);
    }
    EXPECT_TRUE(report["silo"]["spread"].is_null()) << "fewer than two units shown";
  }
}

// The change at the same mix of roles (SPEC section 3) on the progress
// page: a role that an anonymous cycle's results do not show (fewer than k,
// or hidden by the disclosure rule) never takes part and its share is not
// shown, since the plain and the balanced means side by side would tell
// its mean. Executives rate 5 and frontline staff 2 in every cycle;
// managers and "other" (2 each) are below k = 3.
TEST_P(ServerTest, OnlyRolesShownInBothCyclesTakePartInTheBalancedChange) {
  const std::string org = create_org(admin, "Acme");
  auto run_cycle = [&](const std::vector<std::pair<std::string, int>>& roles) {
    const std::string cycle = create_open_cycle(admin, org);
    for (const auto& [role, count] : roles) {
      const int value = role == "executive" ? 5 : role == "frontline" ? 2 : 3;
      for (const auto& token : invite(admin, cycle, count, role)) {
        EXPECT_EQ(put_answers(token, {{"LS2b", value}, {"IN2", value}}).status, 200);
        EXPECT_EQ(server->request("POST", "/api/r/" + token + "/submit").status, 200);
      }
    }
    EXPECT_EQ(admin.send("POST", "/api/cycles/" + cycle + "/close").status, 200);
    return cycle;
  };
  run_cycle({{"executive", 4}, {"frontline", 6}, {"manager", 2}, {"other", 2}});
  const std::string second =
      run_cycle({{"executive", 8}, {"frontline", 3}, {"manager", 2}, {"other", 2}});
  json progress = body_of(admin.get("/api/orgs/" + org + "/progress"));
  ASSERT_EQ(progress["cycles"].size(), 2u);
  const json& change = progress["cycles"][1]["change"]["overall"];
  ASSERT_TRUE(change["role_balanced"].is_object()) << change.dump();
  const json& b = change["role_balanced"];
  EXPECT_TRUE(change["role_balanced_note"].is_null());
  ASSERT_EQ(b["roles"].size(), 2u) << b.dump();
  EXPECT_EQ(b["roles"][0]["role"], "executive");
  EXPECT_EQ(b["roles"][1]["role"], "frontline");
  EXPECT_EQ(b.dump().find("manager"), std::string::npos);
  EXPECT_EQ(b.dump().find("other"), std::string::npos);
  // Shares of all 14 and 15 respondents; weights (4 + 8) / 21, (6 + 3) / 21.
  EXPECT_NEAR(b["roles"][0]["share_before"].get<double>(), 4.0 / 14.0, 1e-12);
  EXPECT_NEAR(b["roles"][0]["share_after"].get<double>(), 8.0 / 15.0, 1e-12);
  EXPECT_NEAR(b["roles"][0]["weight"].get<double>(), 12.0 / 21.0, 1e-12);
  // Nothing changed inside either role: no variance, the interval is 0.
  EXPECT_NEAR(b["change"].get<double>(), 0.0, 1e-9);
  EXPECT_NEAR(b["ci_low"].get<double>(), 0.0, 1e-9);
  EXPECT_TRUE(b["df"].is_null());
  EXPECT_EQ(b["verdict"], "no clear change");
  EXPECT_NEAR(b["before"].get<double>(), (12.0 * 100 + 9.0 * 25) / 21.0, 1e-9);
  // The executives' share rose by 24.8 points: flagged, saying so.
  EXPECT_TRUE(b["flagged"].get<bool>());
  EXPECT_NE(b["reason"].get<std::string>().find("Executive respondents rose from 29% to 53%"),
            std::string::npos)
      << b["reason"];
  for (const auto& c : progress["cycles"][1]["change"]["competencies"]) {
    if (c["role_balanced"].is_object()) {
      EXPECT_EQ(c["role_balanced"]["roles"].size(), 2u) << c.dump();
      EXPECT_EQ(c["role_balanced"].dump().find("manager"), std::string::npos);
    }
  }
  // The report's change since the previous cycle: the same roles.
  const auto mix = admin.get("/api/cycles/" + second + "/report.csv?table=role_mix");
  ASSERT_EQ(mix.status, 200) << mix.body;
  EXPECT_NE(mix.body.find("executive"), std::string::npos);
  EXPECT_NE(mix.body.find("frontline"), std::string::npos);
  EXPECT_EQ(mix.body.find("manager"), std::string::npos);

  // A third cycle where only 2 executives answer: they are hidden, and the
  // disclosure rule hides one more small role beside them, so only the
  // frontline is shown in both: no balanced change, and the note says why.
  run_cycle({{"executive", 2}, {"frontline", 6}, {"manager", 3}, {"other", 3}});
  progress = body_of(admin.get("/api/orgs/" + org + "/progress"));
  const json& third = progress["cycles"][2]["change"]["overall"];
  EXPECT_TRUE(third["role_balanced"].is_null()) << third.dump();
  EXPECT_NE(third["role_balanced_note"].get<std::string>().find("hidden to protect anonymity"),
            std::string::npos);
}

}  // namespace
}  // namespace cxm::testing
