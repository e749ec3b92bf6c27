// Organizations and their cycles over HTTP: demo data, review intervals,
// repeated cycles, targets and scope, unit stages, backups, settings.
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

TEST_P(ServerTest, DemoDataIsLabelledAndScored) {
  const auto demo = run_cxm({"demo", "--db", db});
  ASSERT_EQ(demo.exit_status, 0) << demo.err;
  const auto orgs = body_of(admin.get("/api/orgs"))["organizations"];
  ASSERT_EQ(orgs.size(), 1u);
  EXPECT_TRUE(orgs[0]["demo"].get<bool>());
  EXPECT_NE(orgs[0]["name"].get<std::string>().find("synthetic"), std::string::npos);
  const auto cycles =
      body_of(admin.get("/api/orgs/" + orgs[0]["id"].get<std::string>() + "/cycles"))["cycles"];
  ASSERT_EQ(cycles.size(), 3u);
  const auto earliest =
      body_of(admin.get("/api/cycles/" + cycles[0]["id"].get<std::string>() + "/report"));
  const auto first =
      body_of(admin.get("/api/cycles/" + cycles[1]["id"].get<std::string>() + "/report"));
  const auto second =
      body_of(admin.get("/api/cycles/" + cycles[2]["id"].get<std::string>() + "/report"));
  EXPECT_EQ(earliest["respondents"], 40);
  EXPECT_EQ(first["respondents"], 40);
  EXPECT_EQ(second["respondents"], 40);
  // A trend: each cycle scores higher than the one before.
  EXPECT_GT(first["overall_score"].get<double>(), earliest["overall_score"].get<double>());
  EXPECT_GT(second["overall_score"].get<double>(), first["overall_score"].get<double>());
  // Progress: the change between the last two, as the reports' scores give it.
  const auto progress =
      body_of(admin.get("/api/orgs/" + orgs[0]["id"].get<std::string>() + "/progress"));
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
  const auto actions =
      body_of(admin.get("/api/orgs/" + orgs[0]["id"].get<std::string>() + "/actions"))["actions"];
  for (const auto& a : actions)
    EXPECT_NE(a["title"].get<std::string>().find("(demo)"), std::string::npos);
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
  // Its people are roles across units, as in a real organization: no role
  // is the same people as a unit (role i in unit i made the two tables the
  // same and showed every perception gap twice).
  const auto& segments = second["segments"];
  ASSERT_GE(segments["role"].size(), 3u);
  ASSERT_EQ(segments["unit"].size(), 4u);
  for (const auto& role : segments["role"]) {
    for (const auto& unit : segments["unit"]) {
      EXPECT_FALSE(role["respondents"] == unit["respondents"] &&
                   role["overall_score"] == unit["overall_score"])
          << role["name"] << " and " << unit["name"] << " are the same people";
    }
  }
  EXPECT_EQ(orgs[0]["size_band"], "250-999");  // as datasets write it
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
  const json report =
      body_of(admin.get("/api/cycles/" + cycles[2]["id"].get<std::string>() + "/report"));
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

// Size bands are one list, written one way: the form's "250–999" (en
// dash) is stored as datasets write it, "250-999", so that the
// organization's own band finds its peers; a band not on the list is refused.
TEST_P(ServerTest, SizeBandsAreStoredInTheirCanonicalForm) {
  const auto made =
      admin.send("POST", "/api/orgs", R"({"name":"Helios","size_band":"250\u2013999"})");
  ASSERT_EQ(made.status, 201) << made.body;
  EXPECT_EQ(body_of(made)["size_band"], "250-999");
  const std::string org = body_of(made)["id"];
  const auto changed =
      admin.send("PATCH", "/api/orgs/" + org, R"({"size_band":"1,000 \u2013 4,999"})");
  ASSERT_EQ(changed.status, 200) << changed.body;
  EXPECT_EQ(body_of(changed)["size_band"], "1000-4999");
  const auto refused = admin.send("PATCH", "/api/orgs/" + org, R"({"size_band":"huge"})");
  EXPECT_EQ(refused.status, 422);
  EXPECT_NE(refused.body.find("size_band: must be one of 1-49, 50-249, 250-999, 1000-4999, 5000+"),
            std::string::npos)
      << refused.body;
  EXPECT_EQ(body_of(admin.get("/api/orgs/" + org))["size_band"], "1000-4999");
  EXPECT_EQ(admin.send("PATCH", "/api/orgs/" + org, R"({"size_band":""})").status, 200);
  EXPECT_EQ(body_of(admin.get("/api/orgs/" + org))["size_band"], "");
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
    ASSERT_EQ(put_answers(token, {{"LS2b", 4}}).status, 200);
    ASSERT_EQ(server->request("POST", "/api/r/" + token + "/submit").status, 200);
  }
  ASSERT_EQ(admin.send("POST", "/api/cycles/" + cycle + "/close").status, 200);
  const json result =
      body_of(admin.get("/api/orgs"))["organizations"][0]["overview"]["latest_result"];
  EXPECT_TRUE(result["stage"].is_null());
  EXPECT_TRUE(result["overall_score"].is_null());
  EXPECT_NE(result["withheld"].get<std::string>().find("anonymous"), std::string::npos)
      << result.dump();
}

// Repeating a cycle: the same settings and invitation list, new links; the
// old links stay with the old cycle.
TEST_P(ServerTest, RepeatingACycleKeepsItsSettingsAndGivesNewLinks) {
  const std::string org = create_org(admin, "Acme");
  const auto made = admin.send(
      "POST", "/api/orgs/" + org + "/cycles",
      json{{"name", "Spring"}, {"anonymous", false}, {"min_group_size", 4}, {"pulse", true}}
          .dump());
  ASSERT_EQ(made.status, 201) << made.body;
  const std::string cycle = body_of(made)["id"];
  ASSERT_EQ(admin
                .send("PATCH", "/api/cycles/" + cycle,
                      R"({"reminders":{"after_days":[7,3,3],"before_close_days":[],"max":3}})")
                .status,
            200);
  EXPECT_EQ(admin.send("POST", "/api/cycles/" + cycle + "/repeat").status, 409);  // a draft
  ASSERT_EQ(admin.send("POST", "/api/cycles/" + cycle + "/open").status, 200);
  const auto old_tokens = invite(admin, cycle, 2, "manager");
  const auto people =
      admin.send("POST", "/api/cycles/" + cycle + "/invitations",
                 json{{"people",
                       {{{"label", "Ann"}, {"role", "executive"}, {"unit", "Support"}},
                        {{"label", "Bo"}, {"role", "frontline"}}}}}
                     .dump());
  ASSERT_EQ(people.status, 201);
  const std::string bo = body_of(people)["invitations"][1]["id"];
  ASSERT_EQ(admin.send("POST", "/api/cycles/" + cycle + "/invitations/" + bo + "/revoke").status,
            200);
  ASSERT_EQ(admin.send("POST", "/api/cycles/" + cycle + "/close").status, 200);

  const auto repeated =
      admin.send("POST", "/api/cycles/" + cycle + "/repeat", R"({"name":"Autumn"})");
  ASSERT_EQ(repeated.status, 201) << repeated.body;
  const json next = body_of(repeated);
  EXPECT_EQ(next["repeats"], cycle);
  const json old_cycle = body_of(admin.get("/api/cycles/" + cycle));
  EXPECT_EQ(next["cycle"]["name"], "Autumn");
  EXPECT_EQ(next["cycle"]["status"], "draft");
  EXPECT_NE(next["cycle"]["id"], cycle);
  EXPECT_EQ(next["cycle"]["reminders"],
            json({{"after_days", {3, 7}}, {"before_close_days", json::array()}, {"max", 3}}));
  for (const char* field : {"anonymous", "min_group_size", "pulse", "model", "reminders"}) {
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
  EXPECT_EQ(tags, (std::multiset<std::string>{"|manager|Sales", "|manager|Sales",
                                              "Ann|executive|Support"}));
  // The old links reach the old cycle, the new ones the new cycle; a
  // participant sees a cycle's title, never its internal name.
  const std::string next_id = next["cycle"]["id"];
  ASSERT_EQ(admin.send("PATCH", "/api/cycles/" + next_id, R"({"title":"Autumn check"})").status,
            200);
  const json old_view = body_of(server->request("GET", "/api/r/" + old_tokens[0]))["cycle"];
  EXPECT_NE(old_view["title"], "Autumn check");
  EXPECT_NE(old_view["name"], "Spring");
  EXPECT_EQ(old_view["name"], old_view["title"]);
  EXPECT_EQ(body_of(server->request(
                "GET", "/api/r/" + links[0]["token"].get<std::string>()))["cycle"]["title"],
            "Autumn check");
  const json listed =
      body_of(admin.get("/api/cycles/" + next["cycle"]["id"].get<std::string>() + "/invitations"));
  EXPECT_EQ(listed["invitations"].size(), 3u);
  EXPECT_EQ(body_of(admin.get("/api/cycles/" + cycle + "/invitations"))["invitations"].size(), 4u);
  // Without a name it says it repeats the cycle; an open cycle can be repeated too.
  ASSERT_EQ(admin.send("POST", "/api/cycles/" + cycle + "/open").status, 200);
  const auto unnamed = admin.send("POST", "/api/cycles/" + cycle + "/repeat");
  ASSERT_EQ(unnamed.status, 201);
  EXPECT_EQ(body_of(unnamed)["cycle"]["name"], "Spring (repeat)");
  EXPECT_EQ(admin.send("POST", "/api/cycles/" + cycle + "/repeat", R"({"name":"a\u0007b"})").status,
            422);
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
    for (const auto& id : ids) answers[id] = id == "LS2b" ? 1 : 4;
    ASSERT_EQ(put_answers(tokens[i], answers).status, 200);
    ASSERT_EQ(server->request("POST", "/api/r/" + tokens[i] + "/submit").status, 200);
  }
  const json before = body_of(admin.get("/api/cycles/" + cycle + "/report"));
  ASSERT_EQ(before["items"].size(), ids.size());
  EXPECT_EQ(before["stage_rollup"]["rule"], "pooled");

  const json aims = {
      {"targets", {{{"competency", "leadership"}, {"target_stage", 5}}}},
      {"out_of_scope", {{{"item", "LS2b"}, {"reason", "We have no executive team"}}}}};
  const auto saved = admin.send("PUT", "/api/orgs/" + org + "/aims", aims.dump());
  ASSERT_EQ(saved.status, 200) << saved.body;
  const json read = body_of(admin.get("/api/orgs/" + org + "/aims"));
  EXPECT_EQ(read["targets"][0]["competency"], "leadership");
  EXPECT_EQ(read["targets"][0]["target_stage"], 5);
  EXPECT_EQ(read["out_of_scope"][0]["item"], "LS2b");
  EXPECT_EQ(read["out_of_scope"][0]["reason"], "We have no executive team");
  EXPECT_EQ(read["model"]["items"].size(), ids.size());

  // The cached report was computed again: LS2b is out, its low answers no
  // longer pull leadership down, and the target stands beside it.
  const json after = body_of(admin.get("/api/cycles/" + cycle + "/report"));
  EXPECT_EQ(after["items"].size(), ids.size() - 1);
  for (const auto& item : after["items"]) EXPECT_NE(item["id"], "LS2b");
  EXPECT_EQ(after["out_of_scope"][0]["id"], "LS2b");
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
  EXPECT_NE(page.body.find("Out of scope: the organization took 1 statement out of scope"),
            std::string::npos);
  EXPECT_NE(page.body.find("We have no executive team"), std::string::npos);
  EXPECT_EQ(admin.get("/api/cycles/" + cycle + "/report.xlsx").status, 200);
  // The plan is not aimed at LS2b.
  const json plan = body_of(admin.get("/api/cycles/" + cycle + "/plan"));
  ASSERT_FALSE(plan["actions"].empty());
  for (const auto& a : plan["actions"]) {
    for (const auto& item : a["items"]) EXPECT_NE(item, "LS2b") << a["title"];
  }
  // The discussion leaves it out too.
  const json discussion = body_of(admin.get("/api/cycles/" + cycle + "/discussion"));
  ASSERT_EQ(discussion["statements"].size(), ids.size() - 1);
  for (const auto& st : discussion["statements"]) EXPECT_NE(st["id"], "LS2b");
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
      R"({"out_of_scope":[{"item":"LS2b","reason":""}]})",
      R"({"out_of_scope":[{"item":"LS2b"}]})",
      R"({"out_of_scope":[{"item":"LS2b","reason":"a"},{"item":"LS2b","reason":"b"}]})",
      R"({"out_of_scope":"LS2b"})",
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
    if (item["stage"] == 2)
      whole_stage["out_of_scope"].push_back({{"item", item["id"]}, {"reason", "n/a"}});
  }
  const auto refused = admin.send("PUT", "/api/orgs/" + org + "/aims", whole_stage.dump());
  EXPECT_EQ(refused.status, 422);
  EXPECT_NE(body_of(refused)["error"]["message"].get<std::string>().find("stage 2"),
            std::string::npos);
  EXPECT_EQ(body_of(admin.get("/api/orgs/" + org + "/aims")), read);
  // Back in scope: the report is as it was.
  ASSERT_EQ(
      admin.send("PUT", "/api/orgs/" + org + "/aims", R"({"targets":[],"out_of_scope":[]})").status,
      200);
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
  ASSERT_EQ(
      admin.send("PATCH", "/api/orgs/" + org, R"({"units":["Sales","Support","Ops"]})").status,
      200);
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

  ASSERT_EQ(admin.send("PATCH", "/api/orgs/" + org, R"({"stage_rollup":"weakest_unit"})").status,
            200);
  const json weakest = body_of(admin.get("/api/cycles/" + cycle + "/report"));
  EXPECT_EQ(weakest["stage"]["number"], 1);
  EXPECT_EQ(weakest["stage_rollup"]["rule"], "weakest_unit");
  EXPECT_EQ(weakest["stage_rollup"]["unit"], "Support");
  EXPECT_EQ(weakest["stage_rollup"]["units_shown"], 2);
  EXPECT_EQ(weakest["stage_rollup"]["pooled_stage"], pooled_stage);
  EXPECT_NE(weakest["stage_rollup"]["statement"].get<std::string>().find("weakest unit"),
            std::string::npos);
  EXPECT_EQ(weakest["overall_score"],
            pooled["overall_score"]);  // only the stage rolls up differently
  // A unit's own view keeps its own stage; the organizations page and the
  // progress page show the rolled-up one.
  EXPECT_EQ(body_of(admin.get("/api/cycles/" + cycle + "/report?unit=Sales"))["stage"]["number"],
            6);
  EXPECT_EQ(body_of(admin.get("/api/orgs/" + org + "/progress"))["cycles"][0]["stage"], 1);
  const auto html = admin.get("/api/cycles/" + cycle + "/report.html");
  EXPECT_NE(html.body.find("Stage roll-up: The organization&#39;s stage is its weakest unit"),
            std::string::npos);
}

// In an anonymous cycle the weakest unit is found only among the units the
// disclosure rule shows: a unit hidden because the whole minus the others
// would give away a smaller group never sets the stage.
TEST_P(ServerTest, TheWeakestUnitOfAnAnonymousCycleIsAShownOne) {
  const std::string org = create_org(admin, "Acme");
  ASSERT_EQ(admin
                .send("PATCH", "/api/orgs/" + org,
                      R"({"units":["Sales","Support","Ops"],"stage_rollup":"weakest_unit"})")
                .status,
            200);
  const std::string cycle = create_open_cycle(admin, org, true);
  const auto ids = model_items(admin, org);
  for (const auto& [unit, count, value] : std::vector<std::tuple<std::string, int, int>>{
           {"Sales", 3, 5}, {"Support", 3, 3}, {"Ops", 2, 5}}) {
    const auto r = admin.send("POST", "/api/cycles/" + cycle + "/invitations",
                              json{{"count", count}, {"role", "manager"}, {"unit", unit}}.dump());
    ASSERT_EQ(r.status, 201);
    const json created = body_of(r);
    for (const auto& link : created["invitations"]) {
      json answers;
      for (const auto& id : ids) answers[id] = value;
      ASSERT_EQ(put_answers(link["token"].get<std::string>(), answers).status, 200);
      ASSERT_EQ(
          server->request("POST", "/api/r/" + link["token"].get<std::string>() + "/submit").status,
          200);
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
    const auto made =
        admin.send("POST", "/api/orgs/" + org + "/cycles",
                   json{{"name", name}, {"anonymous", false}, {"pulse", pulse}}.dump());
    EXPECT_EQ(made.status, 201) << made.body;
    const std::string cycle = body_of(made)["id"];
    EXPECT_EQ(admin.send("POST", "/api/cycles/" + cycle + "/open").status, 200);
    for (const auto& token : invite(admin, cycle, 3, "manager")) {
      json answers;
      // A pulse link takes only the pulse statements.
      const json questionnaire = body_of(server->request("GET", "/api/r/" + token));
      for (const auto& item : questionnaire["items"])
        answers[item["id"].get<std::string>()] = value;
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
  for (const auto& c : p["change"]["competencies"])
    EXPECT_NEAR(c["change"].get<double>(), 25.0, 1e-9) << c["id"];
  const json& a = progress["cycles"][2];
  EXPECT_EQ(a["compared_with"], full);
  EXPECT_TRUE(a["change"]["basis"]["note"].is_null());
  EXPECT_EQ(a["change"]["basis"]["shared_statements"], ids.size());
  EXPECT_FALSE(a["change"]["stage"]["before"].is_null());
  (void)autumn;
}

// A statement id that another model version gave to another statement is
// not a statement both cycles asked: only the same id with the same wording
// is compared (model 1.0.0 and 2.x both have an LS3, about different things).
TEST_P(ServerTest, AnIdReusedForAnotherStatementIsNotCompared) {
  auto model = [](const std::string& version, const std::string& b2) {
    return "id: reuse\nversion: \"" + version +
           "\"\ntitle: Reuse\nscale: {min: 1, max: 5, labels: [SD, D, N, A, SA]}\n"
           "threshold: 60\nroles:\n  - {id: manager, name: Manager}\nstages:\n"
           "  - {number: 1, id: ignore, name: Ignore, description: d1, obstacle: o1}\n"
           "  - {number: 2, id: explore, name: Explore, description: d2, obstacle: o2}\n"
           "competencies:\n  - {id: lead, name: Leadership}\nitems:\n"
           "  - {id: A2, competency: lead, stage: 2, text: We listen.}\n"
           "  - {id: B2, competency: lead, stage: 2, text: " +
           b2 + "}\n";
  };
  const std::string org = create_org(admin, "Acme");
  auto run_cycle = [&](const std::string& yaml, int a2, int b2) {
    const auto made =
        admin.send("POST", "/api/orgs/" + org + "/cycles",
                   json{{"name", "Cycle"}, {"anonymous", false}, {"model_yaml", yaml}}.dump());
    EXPECT_EQ(made.status, 201) << made.body;
    const std::string cycle = body_of(made)["id"];
    EXPECT_EQ(admin.send("POST", "/api/cycles/" + cycle + "/open").status, 200);
    for (const auto& token : invite(admin, cycle, 3, "manager")) {
      EXPECT_EQ(put_answers(token, {{"A2", a2}, {"B2", b2}}).status, 200);
      EXPECT_EQ(server->request("POST", "/api/r/" + token + "/submit").status, 200);
    }
    EXPECT_EQ(admin.send("POST", "/api/cycles/" + cycle + "/close").status, 200);
  };
  run_cycle(model("1", "We have a budget."), 3, 1);
  run_cycle(model("2", "Every team owns its customers' problems."), 4, 5);
  const json progress = body_of(admin.get("/api/orgs/" + org + "/progress"));
  ASSERT_EQ(progress["cycles"].size(), 2u);
  const json& change = progress["cycles"][1]["change"];
  EXPECT_EQ(change["basis"]["shared_statements"], 1);
  EXPECT_NE(change["basis"]["note"].get<std::string>().find("the 1 statement both asked"),
            std::string::npos)
      << change["basis"];
  // A2 alone: 3 -> 4 is 25 points (with B2 taken as the same: 62.5).
  EXPECT_NEAR(change["overall"]["change"].get<double>(), 25.0, 1e-9) << change["overall"];
}

// A backup taken while the server runs restores, into an empty database of
// either kind, to a server that gives every report exactly as before (once
// an operator has granted the administrator's rights again); a restore
// refuses a database that has data, and a backup an existing file.
TEST_P(ServerTest, BackupAndRestoreKeepEveryReport) {
  ASSERT_EQ(run_cxm({"demo", "--db", db}).exit_status, 0);
  const std::string org = create_org(admin, "Acme");
  const std::string open_cycle = create_open_cycle(admin, org, false);
  const auto tokens = invite(admin, open_cycle, 3, "manager");
  for (std::size_t i = 0; i < tokens.size(); ++i) {
    ASSERT_EQ(put_answers(tokens[i], {{"LS2b", 1 + static_cast<int>(i)}, {"GO2", 4}}).status, 200);
    ASSERT_EQ(server->request("POST", "/api/r/" + tokens[i] + "/submit").status, 200);
  }
  // Targets, scope and settings are data too: the restored reports show them.
  ASSERT_EQ(
      admin
          .send(
              "PUT", "/api/orgs/" + org + "/aims",
              R"({"targets":[{"competency":"leadership","target_stage":4}],"out_of_scope":[{"item":"GO2","reason":"n/a"}]})")
          .status,
      200);
  ASSERT_EQ(admin
                .send("PATCH", "/api/orgs/" + org,
                      R"({"review_interval_months":3,"stage_rollup":"weakest_unit"})")
                .status,
            200);
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
  ASSERT_EQ(admin
                .send("POST", "/api/workshops/" + ws + "/reveal",
                      json{{"round", 1}, {"item", item}}.dump())
                .status,
            200);
  ASSERT_EQ(admin.send("POST", "/api/workshops/" + ws + "/second-round").status, 200);
  for (int i = 0; i < 3; ++i)
    ASSERT_EQ(phones[static_cast<std::size_t>(i)].answer(2, {{item, 4}}).status, 200);
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
    const std::string target = test_database(kind, other.path());
    const auto restored = run_cxm({"restore", "--db", target, file});
    ASSERT_EQ(restored.exit_status, 0) << kind << ": " << restored.err;
    // Administrator rights are not taken from a file: the restore says
    // whose they were, and an operator grants them again.
    EXPECT_NE(restored.out.find("administrator rights not restored for 1 users: lead@example.org"),
              std::string::npos)
        << restored.out;
    ASSERT_EQ(
        run_cxm({"user", "grant-admin", "--db", target, "--email", "lead@example.org"}).exit_status,
        0);
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
    EXPECT_EQ(body_of(reader.get("/api/orgs/" + org + "/aims"))["out_of_scope"][0]["item"], "GO2")
        << kind;
  }
  // Into a database that already has data: refused, nothing changed.
  const auto into_live = run_cxm({"restore", "--db", db, file});
  EXPECT_EQ(into_live.exit_status, 2);
  EXPECT_EQ(body_of(admin.get(reports[0])), seen[0]);
}

TEST_P(ServerTest, OrganizationSettingsChangeButUnitsInUseStay) {
  const std::string org = create_org(admin, "Acme");
  const std::string cycle = create_open_cycle(admin, org);
  ASSERT_EQ(
      admin.send("POST", "/api/cycles/" + cycle + "/invitations", R"({"count":1,"unit":"Sales"})")
          .status,
      201);

  const auto changed = admin.send(
      "PATCH", "/api/orgs/" + org,
      R"({"name":"Acme Group","industry":"Retail","size_band":"5,000+","units":["Sales","Support","Claims"]})");
  ASSERT_EQ(changed.status, 200) << changed.body;
  const auto org_now = body_of(admin.get("/api/orgs/" + org));
  EXPECT_EQ(org_now["name"], "Acme Group");
  EXPECT_EQ(org_now["industry"], "Retail");
  EXPECT_EQ(org_now["units"], nlohmann::json::parse(R"(["Sales","Support","Claims"])"));

  // Sales tags a link: it cannot go; an unused unit can.
  const auto refused = admin.send("PATCH", "/api/orgs/" + org, R"({"units":["Support"]})");
  EXPECT_EQ(refused.status, 409);
  EXPECT_NE(body_of(refused)["error"]["message"].get<std::string>().find("'Sales'"),
            std::string::npos);
  EXPECT_EQ(body_of(admin.get("/api/orgs/" + org))["units"].size(), 3u);  // nothing changed
  EXPECT_EQ(admin.send("PATCH", "/api/orgs/" + org, R"({"units":["Claims","Sales"]})").status, 200);
  EXPECT_EQ(body_of(admin.get("/api/orgs/" + org))["units"],
            nlohmann::json::parse(R"(["Claims","Sales"])"));

  EXPECT_EQ(admin.send("PATCH", "/api/orgs/" + org, R"({"name":""})").status, 422);
  EXPECT_EQ(admin.send("PATCH", "/api/orgs/" + org, R"({"units":["A","A"]})").status, 422);
  EXPECT_EQ(admin.send("PATCH", "/api/orgs/" + org, R"({"units":"Sales"})").status, 422);
}

// A 1×1 PNG.
const std::string kPng(
    "\x89PNG\r\n\x1a\n\0\0\0\rIHDR\0\0\0\x01\0\0\0\x01\x08\x06\0\0\0\x1f\x15\xc4\x89"
    "\0\0\0\rIDATx\x9c"
    "c\xf8\xcf\xc0\xf0\x1f\0\x05\0\x01\xff\x89\x99=\x1d\0\0\0\0IEND\xae"
    "B`\x82",
    67);

// Branding: the consultant and the confidentiality line with the other
// settings; the logo on its own address, checked by its bytes (PNG or JPEG,
// at most 256 kB, never SVG), changed only by the organization's
// facilitators, served with its type, to members and to the org's own
// participant links; the report carries all three.
TEST_P(ServerTest, BrandingIsSetCheckedAndShown) {
  const std::string org = create_org(admin, "Helios AG");
  const auto created = admin.send("POST", "/api/orgs",
                                  json{{"name", "Other"},
                                       {"units", {"Sales"}},
                                       {"consultant", "Acme Consulting"},
                                       {"confidentiality", "Internal"}}
                                      .dump());
  ASSERT_EQ(created.status, 201) << created.body;
  EXPECT_EQ(body_of(created)["consultant"], "Acme Consulting");
  EXPECT_EQ(body_of(created)["confidentiality"], "Internal");
  EXPECT_TRUE(body_of(created)["logo"].is_null());
  const std::string other = body_of(created)["id"];

  const auto changed = admin.send(
      "PATCH", "/api/orgs/" + org,
      json{{"consultant", "Acme Consulting"},
           {"confidentiality", "Confidential — prepared for Helios AG by Acme Consulting"}}
          .dump());
  ASSERT_EQ(changed.status, 200) << changed.body;
  EXPECT_EQ(body_of(admin.get("/api/orgs/" + org))["confidentiality"],
            "Confidential — prepared for Helios AG by Acme Consulting");

  // Bad images: SVG, wrong magic, too big, empty.
  const std::string logo = "/api/orgs/" + org + "/logo";
  EXPECT_EQ(
      admin.send("PUT", logo, "<svg xmlns=\"http://www.w3.org/2000/svg\" onload=\"alert(1)\"/>")
          .status,
      415);
  EXPECT_EQ(admin.send("PUT", logo, "GIF89a" + kPng).status, 415);
  EXPECT_EQ(admin.send("PUT", logo, kPng + std::string(300 * 1024, '\0')).status, 413);
  EXPECT_EQ(admin.send("PUT", logo, "").status, 422);
  EXPECT_EQ(admin.get(logo).status, 404);

  const auto put = admin.send("PUT", logo, kPng);
  ASSERT_EQ(put.status, 200) << put.body;
  const std::string url = body_of(put)["logo"];
  EXPECT_EQ(url.rfind(logo + "?v=", 0), 0u) << url;
  const auto got = admin.get(url);
  ASSERT_EQ(got.status, 200);
  EXPECT_EQ(got.body, kPng);
  EXPECT_EQ(got.headers.at("content-type"), "image/png");
  EXPECT_EQ(got.headers.at("x-content-type-options"), "nosniff");
  EXPECT_EQ(got.headers.at("cache-control"), "private, max-age=300");
  EXPECT_EQ(body_of(admin.get("/api/orgs/" + org))["logo"], url);

  // Someone who is not a member can neither see nor change it.
  ASSERT_EQ(run_cxm({"user", "add", "--db", db, "--email", "mallory@example.org"},
                    "a long enough password\n")
                .exit_status,
            0);
  Client mallory(*server);
  ASSERT_EQ(mallory.login("mallory@example.org", "a long enough password"), 200);
  EXPECT_EQ(mallory.get(logo).status, 404);
  EXPECT_EQ(mallory.send("PUT", logo, kPng).status, 404);
  EXPECT_EQ(mallory.send("DELETE", logo).status, 404);
  // A viewer of the organization sees it but cannot change it.
  ASSERT_EQ(run_cxm({"user", "add", "--db", db, "--email", "vera@example.org", "--org", org,
                     "--role", "viewer"},
                    "a long enough password\n")
                .exit_status,
            0);
  Client vera(*server);
  ASSERT_EQ(vera.login("vera@example.org", "a long enough password"), 200);
  EXPECT_EQ(vera.get(logo).status, 200);
  EXPECT_EQ(vera.send("PUT", logo, kPng).status, 403);
  EXPECT_EQ(vera.send("DELETE", logo).status, 403);

  // A participant's link names its organization and reaches its logo, and
  // only its own: a link of the other organization finds none.
  const std::string cycle = create_open_cycle(admin, org, false);
  const std::string token = invite(admin, cycle, 1, "manager")[0];
  const auto page = body_of(server->request("GET", "/api/r/" + token));
  EXPECT_EQ(page["organization"]["name"], "Helios AG");
  const std::string participant_logo = page["organization"]["logo"];
  EXPECT_EQ(participant_logo.rfind("/api/r/" + token + "/logo?v=", 0), 0u);
  const auto seen = server->request("GET", participant_logo);
  ASSERT_EQ(seen.status, 200);
  EXPECT_EQ(seen.body, kPng);
  EXPECT_EQ(seen.headers.at("content-type"), "image/png");
  const std::string other_cycle = create_open_cycle(admin, other, false);
  const std::string other_token = invite(admin, other_cycle, 1, "manager")[0];
  EXPECT_TRUE(
      body_of(server->request("GET", "/api/r/" + other_token))["organization"]["logo"].is_null());
  EXPECT_EQ(server->request("GET", "/api/r/" + other_token + "/logo").status, 404);
  EXPECT_EQ(server->request("GET", "/api/r/" + std::string(32, 'a') + "/logo").status, 404);

  // The report: the organization's name, the branding, the logo inlined.
  for (int i = 0; i < 3; ++i) {
    const std::string t = invite(admin, cycle, 1, "manager")[0];
    ASSERT_EQ(put_answers(t, {{"LS2b", 4}}).status, 200);
    ASSERT_EQ(server->request("POST", "/api/r/" + t + "/submit").status, 200);
  }
  const auto html = admin.get("/api/cycles/" + cycle + "/report.html");
  ASSERT_EQ(html.status, 200);
  EXPECT_NE(html.body.find("Helios AG: customer experience maturity"), std::string::npos);
  EXPECT_NE(html.body.find("Prepared by Acme Consulting for Helios AG"), std::string::npos);
  EXPECT_NE(html.body.find("Confidential — prepared for Helios AG by Acme Consulting"),
            std::string::npos);
  EXPECT_NE(html.body.find("src=\"data:image/png;base64,iVBORw0KGgo"), std::string::npos);
  EXPECT_NE(html.headers.at("content-security-policy").find("img-src data:"), std::string::npos);

  // Removed: gone from the organization, the link and the report.
  ASSERT_EQ(admin.send("DELETE", logo).status, 200);
  EXPECT_TRUE(body_of(admin.get("/api/orgs/" + org))["logo"].is_null());
  EXPECT_EQ(admin.get(logo).status, 404);
  EXPECT_EQ(server->request("GET", "/api/r/" + token + "/logo").status, 404);
  EXPECT_EQ(admin.get("/api/cycles/" + cycle + "/report.html").body.find("data:image"),
            std::string::npos);
}

// A hidden group's printable report says it is hidden and why (not "No
// report yet"); its workbook is refused in JSON, which the page never
// offers as a download (web/e2e).
TEST_P(ServerTest, AHiddenGroupsReportStatesTheTrueReason) {
  const std::string org = create_org(admin, "Acme");
  const std::string cycle = create_open_cycle(admin, org, false);
  for (const auto& t : invite(admin, cycle, 1, "executive")) {
    ASSERT_EQ(put_answers(t, {{"LS2b", 4}}).status, 200);
    ASSERT_EQ(server->request("POST", "/api/r/" + t + "/submit").status, 200);
  }
  const auto html = admin.get("/api/cycles/" + cycle + "/report.html?role=executive");
  ASSERT_EQ(html.status, 200);
  EXPECT_NE(html.body.find("<h1>Results for this group are hidden</h1>"), std::string::npos);
  EXPECT_NE(html.body.find("Fewer than"), std::string::npos);
  EXPECT_NE(html.body.find("Role: Executive"), std::string::npos);
  EXPECT_EQ(html.body.find("No report yet"), std::string::npos);
}

}  // namespace
}  // namespace cxm::testing
