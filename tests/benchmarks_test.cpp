// Benchmark datasets and the instance's pool over HTTP: imports, the
// 5-peer rule, the export, anonymous cycles.
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

// A dataset of peers around our own overall score: the Retail cut holds
// `retail` of them (two below, one equal, the rest above), Banking four.
std::string peers_csv(const std::string& model_id, const std::string& competency, double own,
                      int retail) {
  std::string csv = "organization,industry,size_band,region,assessed_on,model_id,stage,overall," +
                    competency + "\n";
  const double offsets[] = {-10, -5, 0, 5, 10, 15};
  for (int i = 0; i < retail; ++i) {
    csv += "Secret Peer " + std::to_string(i) + ",Retail,250-999,EU,2025-0" +
           std::to_string(i + 1) + "-15," + model_id + "," + std::to_string(2 + i % 3) + "," +
           json(own + offsets[i]).dump() + ",50\n";
  }
  for (int i = 0; i < 4; ++i)
    csv += "Bank " + std::to_string(i) + ",Banking,1000+,US,2024-11-30," + model_id + ",3,40,\n";
  csv += "Other model,Retail,250-999,EU,2025-01-15,another-model,6,99,99\n";
  return csv;
}

TEST_P(ServerTest, BenchmarkDatasetsAreImportedWholeAndCompareAClosedCycle) {
  const std::string org = create_org(admin, "Acme");
  const std::string cycle = create_open_cycle(admin, org, false);
  for (const auto& token : invite(admin, cycle, 3, "executive")) {
    ASSERT_EQ(put_answers(token, {{"LS2b", 4}, {"LS3", 3}, {"GO2", 2}}).status, 200);
    ASSERT_EQ(server->request("POST", "/api/r/" + token + "/submit").status, 200);
  }
  const json report = body_of(admin.get("/api/cycles/" + cycle + "/report"));
  const double own = report["overall_score"];
  const std::string model_id = report["model"]["id"];
  const std::string competency = report["competencies"][0]["id"];

  // One bad cell: refused with its line and column, nothing imported.
  std::string bad = peers_csv(model_id, competency, own, 5);
  bad.replace(bad.find("2025-03-15"), 10, "2025-02-30");
  const auto refused = admin.send(
      "POST", "/api/benchmarks",
      json{{"name", "Peers"}, {"source", "Test"}, {"licence", "CC-BY-4.0"}, {"csv", bad}}.dump());
  ASSERT_EQ(refused.status, 422) << refused.body;
  EXPECT_EQ(body_of(refused)["error"]["message"],
            "csv: line 4, column 5: assessed_on '2025-02-30' is not a date as YYYY-MM-DD (from "
            "1900); nothing was imported");
  EXPECT_EQ(body_of(admin.get("/api/benchmarks"))["datasets"].size(), 0u);

  const auto imported =
      admin.send("POST", "/api/benchmarks",
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
  // A byte-order mark for Excel; the import below reads past it.
  EXPECT_EQ(exported.body.rfind("\xEF\xBB\xBF"
                                "organization,industry,size_band,region,assessed_on,model_id,"
                                "stage,overall,",
                                0),
            0u);
  EXPECT_EQ(exported.body.find("Acme"), std::string::npos);
  EXPECT_NE(exported.body.find("\nclient-"), std::string::npos);
  const auto reimported = admin.send("POST", "/api/benchmarks",
                                     json{{"name", "Our clients"},
                                          {"source", "This instance"},
                                          {"licence", "internal"},
                                          {"csv", exported.body}}
                                         .dump());
  ASSERT_EQ(reimported.status, 201) << reimported.body;
  EXPECT_EQ(body_of(reimported)["assessments"], 1);

  EXPECT_EQ(admin.get("/api/orgs/" + org + "/benchmark?dataset=nope").status, 404);
  EXPECT_EQ(admin.get("/api/orgs/" + org + "/benchmark").status, 422);
  EXPECT_EQ(admin.get(path + "&since=2025-13-01").status, 422);
}

TEST_P(ServerTest, ThePoolComparesWithFiveOtherMembersAndNeverNamesThem) {
  // An organization whose one closed cycle has three respondents answering
  // `value` (a pool peer needs at least 3 who answered themselves).
  auto organization = [&](const std::string& name, int value) {
    const auto created =
        admin.send("POST", "/api/orgs",
                   json{{"name", name}, {"industry", "Retail"}, {"units", {"Sales"}}}.dump());
    EXPECT_EQ(created.status, 201) << created.body;
    const std::string org = body_of(created)["id"];
    const std::string cycle = create_open_cycle(admin, org, false);
    for (const auto& token : invite(admin, cycle, 3, "executive")) {
      EXPECT_EQ(put_answers(token, {{"LS2b", value}, {"GO2", value}, {"IN2", value}}).status, 200);
      EXPECT_EQ(server->request("POST", "/api/r/" + token + "/submit").status, 200);
    }
    EXPECT_EQ(admin.send("POST", "/api/cycles/" + cycle + "/close").status, 200);
    return org;
  };
  auto join = [&](const std::string& org, bool member) {
    const auto r =
        admin.send("PUT", "/api/orgs/" + org + "/benchmark-pool", json{{"member", member}}.dump());
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
  for (int i = 0; i < 4; ++i)
    others.push_back(organization("Pool Member " + std::to_string(i), 1 + i));
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

// Issue 22's attack on the 5-peer rule: one ordinary user creates four
// organizations in their own industry, each with a cycle answered all-1 or
// all-5, enters them in the pool and asks for a fifth. None of them is
// independent of the asker (SPEC section 8): no cut of five. A one-person
// cycle of someone else is no peer either.
TEST_P(ServerTest, FakeOrganizationsNeverMakeAPeerGroup) {
  ASSERT_EQ(run_cxm({"user", "add", "--db", db, "--email", "mallory@example.org"},
                    "a long enough password\n")
                .exit_status,
            0);
  Client mallory(*server);
  ASSERT_EQ(mallory.login("mallory@example.org", "a long enough password"), 200);
  // An organization of `who`, in the pool, whose closed cycle (minimum
  // group `min_group`) has `people` respondents answering `value`.
  auto organization = [&](const Client& who, const std::string& name, int value, int people,
                          int min_group) {
    const auto created =
        who.send("POST", "/api/orgs",
                 json{{"name", name}, {"industry", "Retail"}, {"units", {"Sales"}}}.dump());
    EXPECT_EQ(created.status, 201) << created.body;
    const std::string org = body_of(created)["id"];
    const auto cycle_created = who.send(
        "POST", "/api/orgs/" + org + "/cycles",
        json{{"name", "Spring"}, {"anonymous", false}, {"min_group_size", min_group}}.dump());
    EXPECT_EQ(cycle_created.status, 201) << cycle_created.body;
    const std::string cycle = body_of(cycle_created)["id"];
    EXPECT_EQ(who.send("POST", "/api/cycles/" + cycle + "/open").status, 200);
    for (const auto& token : invite(who, cycle, people, "executive")) {
      json answers;
      for (const char* item : {"LS2b", "LS3", "GO2", "GO3", "IN2", "IN3", "OP2", "ME2", "BR2"})
        answers[item] = value;
      EXPECT_EQ(put_answers(token, answers).status, 200);
      EXPECT_EQ(server->request("POST", "/api/r/" + token + "/submit").status, 200);
    }
    EXPECT_EQ(who.send("POST", "/api/cycles/" + cycle + "/close").status, 200);
    const auto joined =
        who.send("PUT", "/api/orgs/" + org + "/benchmark-pool", json{{"member", true}}.dump());
    EXPECT_EQ(joined.status, 200) << joined.body;
    return org;
  };
  const std::string target = organization(mallory, "Target", 3, 3, 3);
  // Each fake with three "respondents" (Mallory's own links): large enough,
  // but none independent of the asker.
  for (int i = 0; i < 4; ++i)
    organization(mallory, "Fake " + std::to_string(i), i < 2 ? 1 : 5, 3, 3);
  // A one-person organization of someone else is no peer either, and two
  // real organizations are two peers.
  organization(admin, "One person", 5, 1, 1);
  organization(admin, "Real A", 2, 3, 3);
  organization(admin, "Real B", 4, 3, 3);

  const auto asked = mallory.get("/api/orgs/" + target + "/benchmark?dataset=pool&industry=Retail");
  ASSERT_EQ(asked.status, 200) << asked.body;
  const json b = body_of(asked);
  EXPECT_EQ(b["peers"], 2) << b.dump();
  EXPECT_EQ(b["missing"], 3);
  EXPECT_TRUE(b["overall"]["median"].is_null());
  EXPECT_TRUE(b["overall"]["percentile"].is_null());
  for (const auto& c : b["competencies"]) EXPECT_TRUE(c["median"].is_null()) << c.dump();
  // The instance's export, too, holds independent organizations only: the
  // target and Mallory's fakes are one peer, the one-person cycles none.
  const auto exported = admin.get("/api/benchmarks/export.csv");
  ASSERT_EQ(exported.status, 200);
  EXPECT_EQ(std::count(exported.body.begin(), exported.body.end(), '\n'), 1 + 3) << exported.body;
}

// SPEC section 8: the pool export goes to the instance's administrator's
// spreadsheet; an industry any facilitator typed is never a formula there,
// and a ';' never splits a cell. A size band is one of the list, never text.
TEST_P(ServerTest, ThePoolExportNeverWritesAFormula) {
  const auto band = admin.send("POST", "/api/orgs",
                               json{{"name", "Hostile"}, {"size_band", "Ann;@SUM(1+1)"}}.dump());
  EXPECT_EQ(band.status, 422) << band.body;
  const auto created = admin.send(
      "POST", "/api/orgs",
      json{{"name", "Hostile"}, {"industry", "=HYPERLINK(\"http://x\";1)"}, {"units", {"Sales"}}}
          .dump());
  ASSERT_EQ(created.status, 201) << created.body;
  const std::string org = body_of(created)["id"];
  const std::string cycle = create_open_cycle(admin, org, false);
  for (const auto& token : invite(admin, cycle, 3, "executive")) {
    ASSERT_EQ(put_answers(token, {{"LS2b", 4}, {"GO2", 4}}).status, 200);
    ASSERT_EQ(server->request("POST", "/api/r/" + token + "/submit").status, 200);
  }
  ASSERT_EQ(admin.send("POST", "/api/cycles/" + cycle + "/close").status, 200);
  const auto exported = admin.get("/api/benchmarks/export.csv");
  ASSERT_EQ(exported.status, 200);
  EXPECT_NE(exported.body.find(R"x(,"'=HYPERLINK(""http://x"";1)",)x"), std::string::npos)
      << exported.body;
}

// docs/anonymity.md, comparing two moments: a comparison shows an anonymous
// cycle's released results only, so it moves in steps of at least k people,
// never with one submission.
TEST_P(ServerTest, ABenchmarkOfAnAnonymousCycleMovesOnlyWithReleases) {
  const std::string org = create_org(admin, "Acme");
  const std::string cycle = create_open_cycle(admin, org);
  const auto tokens = invite(admin, cycle, 4, "manager");
  auto submit = [&](std::size_t i, int value) {
    ASSERT_EQ(put_answers(tokens[i], {{"LS2b", value}, {"GO2", value}}).status, 200);
    ASSERT_EQ(server->request("POST", "/api/r/" + tokens[i] + "/submit").status, 200);
  };
  std::string csv = "organization,industry,size_band,region,assessed_on,model_id,stage,overall\n";
  for (int i = 0; i < 5; ++i)
    csv += "p" + std::to_string(i) + ",,,,2025-01-0" + std::to_string(i + 1) + ",cx-maturity,2," +
           std::to_string(10 + 20 * i) + "\n";
  const auto imported = admin.send(
      "POST", "/api/benchmarks",
      json{{"name", "Peers"}, {"source", "Test"}, {"licence", "CC0"}, {"csv", csv}}.dump());
  ASSERT_EQ(imported.status, 201) << imported.body;
  const std::string path = "/api/orgs/" + org +
                           "/benchmark?dataset=" + body_of(imported)["id"].get<std::string>() +
                           "&cycle=" + cycle;

  for (std::size_t i = 0; i < 3; ++i) submit(i, 2 + static_cast<int>(i));
  const auto open = admin.get(path);
  EXPECT_EQ(open.status, 409) << "nothing is released while the cycle is open: " << open.body;
  ASSERT_EQ(admin.send("POST", "/api/cycles/" + cycle + "/close").status, 200);
  const auto released = admin.get(path);
  ASSERT_EQ(released.status, 200) << released.body;
  const json first = body_of(released);
  EXPECT_DOUBLE_EQ(
      first["overall"]["score"].get<double>(),
      body_of(admin.get("/api/cycles/" + cycle + "/report"))["overall_score"].get<double>());

  // One more submission, released with nobody else: the comparison stays.
  ASSERT_EQ(admin.send("POST", "/api/cycles/" + cycle + "/open").status, 200);
  submit(3, 5);
  EXPECT_EQ(body_of(admin.get(path)), first);
  ASSERT_EQ(admin.send("POST", "/api/cycles/" + cycle + "/close").status, 200);
  EXPECT_EQ(body_of(admin.get(path)), first);
}

}  // namespace
}  // namespace cxm::testing
