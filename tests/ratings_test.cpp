// Customer-ratings datasets over HTTP: imports by administrators (all or
// nothing, the bad cell named), the list with provenance, and the
// organization's place among its industry's ratings with every hidden
// figure's reason. On SQLite and PostgreSQL.
#include <gtest/gtest.h>
#include <sqlite3.h>

#include <nlohmann/json.hpp>

#include "server_fixture.h"

namespace cxm::testing {
namespace {

using nlohmann::json;

// The organization's own customer figures, written as the store keeps
// them (how they are imported is the customer-metrics routes' matter).
void insert_own_figure(const std::string& db, const std::string& org, const std::string& metric,
                       const std::string& period, double value) {
  const std::string statement =
      "INSERT INTO customer_metrics (org_id, metric, period, unit, value, respondents, source, "
      "synthetic) VALUES ('" +
      org + "', '" + metric + "', '" + period + "', '', " + json(value).dump() +
      ", 250, 'Survey', 0)";
  if (db.rfind("sqlite:", 0) == 0) {
    sqlite3* sql = nullptr;
    ASSERT_EQ(sqlite3_open(db.substr(7).c_str(), &sql), SQLITE_OK);
    sqlite3_busy_timeout(sql, 10000);
    EXPECT_EQ(sqlite3_exec(sql, statement.c_str(), nullptr, nullptr, nullptr), SQLITE_OK);
    sqlite3_close(sql);
  } else {
    ASSERT_TRUE(shared_postgres().execute(db, statement));
  }
}

// Retail NPS: 2025 six companies (10, 20, 30, 30, 40, 50), 2026 four;
// Banking's ratings are no peers of a retailer.
json ratings_dataset() {
  json rows = json::array();
  const double retail_2025[] = {10, 20, 30, 30, 40, 50};
  for (int i = 0; i < 6; ++i) {
    rows.push_back({{"company", "Retailer 0" + std::to_string(i + 1)},
                    {"industry", "Retail"},
                    {"year", 2025},
                    {"metric", "nps"},
                    {"value", retail_2025[i]},
                    {"respondents", 1000 + i}});
  }
  for (int i = 0; i < 4; ++i) {
    rows.push_back({{"company", "Retailer 0" + std::to_string(i + 1)},
                    {"industry", "retail "},
                    {"year", 2026},
                    {"metric", "nps"},
                    {"value", 20 + i}});
  }
  for (int i = 0; i < 5; ++i) {
    rows.push_back({{"company", "Bank " + std::to_string(i)},
                    {"industry", "Banking"},
                    {"year", 2025},
                    {"metric", "nps"},
                    {"value", -20}});
  }
  return {{"metadata",
           {{"name", "Customer index 2026"},
            {"source", "Example Institute"},
            {"citation", "Example Institute (2026), customer index"},
            {"licence", "CC-BY-4.0"},
            {"date", "2026-02-01"},
            {"synthetic", true}}},
          {"rows", rows}};
}

const json* position(const json& doc, int year) {
  for (const auto& p : doc["positions"]) {
    if (p["metric"] == "nps" && p["year"] == year) return &p;
  }
  return nullptr;
}

TEST_P(ServerTest, CustomerRatingsPlaceTheOrganizationAmongItsIndustry) {
  const std::string org = create_org(admin, "Acme");

  // One bad cell: refused with its line and column, nothing imported.
  const auto refused = admin.send(
      "POST", "/api/ratings",
      json{{"name", "Index"},
           {"source", "Example"},
           {"licence", "CC-BY-4.0"},
           {"csv",
            "company,industry,year,metric,value\nA,Retail,2025,nps,3\nB,Retail,2025,csat,140\n"}}
          .dump());
  ASSERT_EQ(refused.status, 422) << refused.body;
  EXPECT_EQ(body_of(refused)["error"]["message"],
            "csv: line 3, column 5: value 140 is outside the scale of csat (0 to 100); nothing "
            "was imported");
  const auto bad_json = admin.send("POST", "/api/ratings",
                                   json{{"dataset",
                                         {{"rows",
                                           {{{"company", "A"},
                                             {"industry", "Retail"},
                                             {"year", 2025},
                                             {"metric", "ces"},
                                             {"value", 9}}}}}}}
                                       .dump());
  ASSERT_EQ(bad_json.status, 422) << bad_json.body;
  EXPECT_EQ(body_of(bad_json)["error"]["message"],
            "dataset: row 1, field value: value 9 is outside the scale of ces (1 to 7); nothing "
            "was imported");
  EXPECT_EQ(body_of(admin.get("/api/ratings"))["datasets"].size(), 0u);

  // The JSON form gives its provenance in its metadata.
  const auto imported =
      admin.send("POST", "/api/ratings", json{{"dataset", ratings_dataset()}}.dump());
  ASSERT_EQ(imported.status, 201) << imported.body;
  const json created = body_of(imported);
  const std::string dataset = created["id"];
  EXPECT_EQ(created["name"], "Customer index 2026");
  EXPECT_EQ(created["source"], "Example Institute");
  EXPECT_EQ(created["citation"], "Example Institute (2026), customer index");
  EXPECT_EQ(created["licence"], "CC-BY-4.0");
  EXPECT_EQ(created["date"], "2026-02-01");
  EXPECT_EQ(created["synthetic"], true);
  EXPECT_EQ(created["ratings"], 15);
  EXPECT_EQ(created["metrics"], json::array({"nps"}));
  const json listed = body_of(admin.get("/api/ratings"))["datasets"];
  ASSERT_EQ(listed.size(), 1u);
  EXPECT_EQ(listed[0]["id"], dataset);

  const std::string path = "/api/orgs/" + org + "/ratings?dataset=" + dataset;
  // No industry yet: no peers, and the answer says why.
  json doc = body_of(admin.get(path));
  EXPECT_EQ(doc["dataset"]["name"], "Customer index 2026");
  EXPECT_EQ(doc["dataset"]["synthetic"], true);
  EXPECT_TRUE(doc["industry"].is_null());
  ASSERT_EQ(doc["positions"].size(), 2u);
  for (const auto& p : doc["positions"]) {
    EXPECT_TRUE(p["percentile"].is_null());
    EXPECT_TRUE(p["median"].is_null());
    EXPECT_EQ(p["peers"], 0);
    EXPECT_NE(p["reason"].get<std::string>().find("no industry set"), std::string::npos);
  }

  ASSERT_EQ(admin.send("PATCH", "/api/orgs/" + org, R"({"industry":"RETAIL"})").status, 200);
  insert_own_figure(db, org, "nps", "2025-06", 15);
  insert_own_figure(db, org, "nps", "2025-11", 30);  // the latest of 2025
  insert_own_figure(db, org, "nps", "2026-02", 25);
  doc = body_of(admin.get(path));
  EXPECT_EQ(doc["industry"], "RETAIL");
  const json* y2025 = position(doc, 2025);
  ASSERT_TRUE(y2025);
  EXPECT_EQ((*y2025)["name"], "Net Promoter Score");
  EXPECT_EQ((*y2025)["own"]["period"], "2025-11");
  EXPECT_EQ((*y2025)["own"]["value"], 30);
  EXPECT_EQ((*y2025)["own"]["respondents"], 250);
  EXPECT_EQ((*y2025)["peers"], 6);
  EXPECT_EQ((*y2025)["missing"], 0);
  EXPECT_EQ((*y2025)["percentile"], 50);  // (2 below + 2 equal / 2) / 6
  EXPECT_EQ((*y2025)["median"], 30);
  EXPECT_EQ((*y2025)["q1"], 22.5);
  EXPECT_EQ((*y2025)["q3"], 37.5);
  EXPECT_TRUE((*y2025)["reason"].is_null());
  const json* y2026 = position(doc, 2026);
  ASSERT_TRUE(y2026);
  EXPECT_EQ((*y2026)["own"]["period"], "2026-02");
  EXPECT_EQ((*y2026)["peers"], 4);
  EXPECT_EQ((*y2026)["missing"], 1);
  EXPECT_TRUE((*y2026)["percentile"].is_null());
  EXPECT_TRUE((*y2026)["median"].is_null());
  EXPECT_TRUE((*y2026)["q1"].is_null());
  EXPECT_EQ((*y2026)["reason"],
            "fewer than 5 peers: the dataset has 4 RETAIL ratings of Net Promoter Score for 2026 "
            "(1 missing)");

  EXPECT_EQ(admin.get("/api/orgs/" + org + "/ratings").status, 422);
  EXPECT_EQ(admin.get("/api/orgs/" + org + "/ratings?dataset=nope").status, 404);
}

// `cxm demo` loads a made-up ratings dataset of retailers, labelled
// synthetic, once; the demo organization (Retail) has 30 peers each year.
TEST_P(ServerTest, TheDemoLoadsASyntheticRatingsDatasetOnce) {
  const auto demo = run_cxm({"demo", "--db", db});
  ASSERT_EQ(demo.exit_status, 0) << demo.err;
  json datasets = body_of(admin.get("/api/ratings"))["datasets"];
  ASSERT_EQ(datasets.size(), 1u);
  const json& d = datasets[0];
  EXPECT_EQ(d["name"], "Retail customer ratings (demo, synthetic data)");
  EXPECT_EQ(d["synthetic"], true);
  EXPECT_EQ(d["ratings"], 60);
  EXPECT_EQ(d["metrics"], json::array({"nps"}));
  EXPECT_NE(d["citation"].get<std::string>().find("Made up by cxm demo"), std::string::npos);

  const std::string org = body_of(admin.get("/api/orgs"))["organizations"][0]["id"];
  const json doc =
      body_of(admin.get("/api/orgs/" + org + "/ratings?dataset=" + d["id"].get<std::string>()));
  EXPECT_EQ(doc["industry"], "Retail");
  ASSERT_EQ(doc["positions"].size(), 2u);
  EXPECT_EQ(doc["positions"][0]["year"], 2026);
  EXPECT_EQ(doc["positions"][1]["year"], 2025);
  for (const auto& p : doc["positions"]) {
    EXPECT_EQ(p["peers"], 30);
    EXPECT_TRUE(p["median"].is_number());
    EXPECT_EQ(p["percentile"].is_null(), p["own"].is_null());
  }
  // Deterministic: the same figures at every load.
  EXPECT_EQ(doc["positions"][1]["median"], 12.5);

  ASSERT_EQ(run_cxm({"demo", "--db", db}).exit_status, 0);
  EXPECT_EQ(body_of(admin.get("/api/ratings"))["datasets"].size(), 1u);
}

}  // namespace
}  // namespace cxm::testing
