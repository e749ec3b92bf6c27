// Customer metrics over HTTP (SPEC sections 4.10 and 5,
// docs/customer-metrics.md): imported from CSV text or rows, all or
// nothing, the first problem named by line and column or row and field;
// listed for viewers, imported and deleted by facilitators.
#include <gtest/gtest.h>

#include <nlohmann/json.hpp>

#include "server_fixture.h"

namespace cxm::testing {
namespace {

using nlohmann::json;

class CustomerMetricsTest : public ServerTest {
 protected:
  HttpResult import(const std::string& org, const json& body) {
    return admin.send("POST", "/api/orgs/" + org + "/customer-metrics", body.dump());
  }
  json metrics(const std::string& org) {
    return body_of(admin.get("/api/orgs/" + org + "/customer-metrics"))["metrics"];
  }
};

const std::string kCsv =
    "period,unit,metric,value,respondents,source,name,definition,scale_min,scale_max\n"
    "2026-01,,nps,12,400,Quarterly NPS survey,,,,\n"
    "2026-01,Sales,nps,18,120,Quarterly NPS survey,,,,\n"
    "2026-02,,nps,15,380,Quarterly NPS survey,,,,\n"
    "2026-02-15,,stars,4.2,900,Shop reviews,Shop stars,Mean stars of the reviews,1,5\n";

TEST_P(CustomerMetricsTest, ImportedFiguresAreListedWithTheirDefinitions) {
  const std::string org = create_org(admin, "Acme");
  EXPECT_EQ(metrics(org), json::array());
  const auto r = import(org, {{"csv", kCsv}});
  ASSERT_EQ(r.status, 200) << r.body;
  const json imported = body_of(r);
  EXPECT_EQ(imported["added"], 4);
  EXPECT_EQ(imported["replaced"], 0);
  const json listed = metrics(org);
  EXPECT_EQ(listed, imported["metrics"]);
  ASSERT_EQ(listed.size(), 2u);
  EXPECT_EQ(listed[0]["metric"], "nps");
  EXPECT_EQ(listed[0]["name"], "Net Promoter Score");
  EXPECT_EQ(listed[0]["scale"], json({{"min", -100}, {"max", 100}}));
  EXPECT_EQ(listed[0]["builtin"], true);
  EXPECT_EQ(listed[0]["synthetic"], false);
  ASSERT_EQ(listed[0]["series"].size(), 3u);
  EXPECT_EQ(listed[0]["series"][0], json({{"period", "2026-01"},
                                          {"unit", nullptr},
                                          {"value", 12},
                                          {"respondents", 400},
                                          {"source", "Quarterly NPS survey"},
                                          {"synthetic", false}}));
  EXPECT_EQ(listed[0]["series"][2]["unit"], "Sales");
  EXPECT_EQ(listed[1]["metric"], "stars");
  EXPECT_EQ(listed[1]["name"], "Shop stars");
  EXPECT_EQ(listed[1]["definition"], "Mean stars of the reviews");
  EXPECT_EQ(listed[1]["scale"], json({{"min", 1}, {"max", 5}}));
  EXPECT_EQ(listed[1]["series"][0]["period"], "2026-02-15");
}

TEST_P(CustomerMetricsTest, AFigureReplacesTheOneOfItsMetricPeriodAndUnit) {
  const std::string org = create_org(admin, "Acme");
  ASSERT_EQ(import(org, {{"csv", kCsv}}).status, 200);
  const auto r = import(org, {{"rows",
                               {{{"period", "2026-01"},
                                 {"unit", "Sales"},
                                 {"metric", "nps"},
                                 {"value", 21},
                                 {"respondents", 130},
                                 {"source", "Quarterly NPS survey"}},
                                {{"period", "2026-03"},
                                 {"metric", "csat"},
                                 {"value", 81.5},
                                 {"respondents", 70},
                                 {"source", "Post-purchase survey"}}}}});
  ASSERT_EQ(r.status, 200) << r.body;
  EXPECT_EQ(body_of(r)["added"], 1);
  EXPECT_EQ(body_of(r)["replaced"], 1);
  const json listed = metrics(org);
  ASSERT_EQ(listed.size(), 3u);
  EXPECT_EQ(listed[0]["series"][2]["value"], 21);
  EXPECT_EQ(listed[0]["series"][2]["respondents"], 130);
  EXPECT_EQ(listed[1]["metric"], "csat");
}

TEST_P(CustomerMetricsTest, ABadRowRefusesTheWholeFileAndSaysWhere) {
  const std::string org = create_org(admin, "Acme");
  ASSERT_EQ(import(org, {{"csv", kCsv}}).status, 200);
  const json before = metrics(org);
  // Line 3 would replace a figure; line 4 is off the scale: nothing is written.
  const auto csv = import(org, {{"csv",
                                 "period,unit,metric,value,respondents,source\n"
                                 "2026-04,,nps,30,100,Survey\n"
                                 "2026-01,,nps,99,100,Survey\n"
                                 "2026-04,,csat,140,100,Survey\n"}});
  EXPECT_EQ(csv.status, 422);
  EXPECT_EQ(body_of(csv)["error"]["code"], "invalid");
  EXPECT_EQ(body_of(csv)["error"]["message"],
            "line 4, column value: 140 is outside the scale of csat (0 to 100); nothing was "
            "imported");
  const auto rows = import(org, {{"rows",
                                  {{{"period", "2026-04"},
                                    {"metric", "nps"},
                                    {"value", 1},
                                    {"respondents", 1},
                                    {"source", "S"}},
                                   {{"period", "2026-04"},
                                    {"unit", "Billing"},
                                    {"metric", "nps"},
                                    {"value", 1},
                                    {"respondents", 1},
                                    {"source", "S"}}}}});
  EXPECT_EQ(rows.status, 422);
  EXPECT_EQ(body_of(rows)["error"]["message"],
            "row 2, field unit: 'Billing' is not one of the organization's units (Sales, "
            "Support); leave it empty for the whole organization; nothing was imported");
  EXPECT_EQ(import(org, {{"csv", ""}}).status, 422);
  EXPECT_EQ(import(org, {{"csv", "x"}, {"rows", json::array()}}).status, 422);
  EXPECT_EQ(import(org, {{"file", "x"}}).status, 422);
  const auto empty = import(org, json::object());
  EXPECT_EQ(empty.status, 422);
  EXPECT_EQ(body_of(empty)["error"]["message"],
            "give the figures as csv (the CSV file's text) or as rows (a list)");
  EXPECT_EQ(metrics(org), before);
}

TEST_P(CustomerMetricsTest, ANamedRatingKeepsItsScale) {
  const std::string org = create_org(admin, "Acme");
  ASSERT_EQ(import(org, {{"csv", kCsv}}).status, 200);
  const auto r = import(org, {{"csv",
                               "period,unit,metric,value,respondents,source,definition,scale_min,"
                               "scale_max\n"
                               "2026-05,,nps,20,100,Survey,,,\n"
                               "2026-05,,stars,7,100,Shop reviews,Mean stars,0,10\n"}});
  EXPECT_EQ(r.status, 409);
  EXPECT_EQ(body_of(r)["error"]["code"], "scale_changed");
  EXPECT_EQ(body_of(r)["error"]["message"],
            "line 3, column scale_min: stars was imported before on the scale 1 to 5; a named "
            "rating keeps its scale (delete it first to import it on another); nothing was "
            "imported");
  EXPECT_EQ(metrics(org)[0]["series"].size(), 3u);
  // Deleted, it may come back on another scale.
  // Ids are read in lower case, as the import reads them.
  const auto deleted = admin.send("DELETE", "/api/orgs/" + org + "/customer-metrics/STARS");
  ASSERT_EQ(deleted.status, 200) << deleted.body;
  EXPECT_EQ(body_of(deleted)["deleted"], 1);
  EXPECT_EQ(admin.send("DELETE", "/api/orgs/" + org + "/customer-metrics/stars").status, 404);
  EXPECT_EQ(admin.send("DELETE", "/api/orgs/" + org + "/customer-metrics/Not%20a%20metric").status,
            404);
  EXPECT_EQ(import(org, {{"csv",
                          "period,unit,metric,value,respondents,source,definition,scale_min,"
                          "scale_max\n2026-05,,stars,7,100,Shop reviews,Mean stars,0,10\n"}})
                .status,
            200);
}

TEST_P(CustomerMetricsTest, ViewersReadButDoNotChange) {
  const std::string org = create_org(admin, "Acme");
  ASSERT_EQ(import(org, {{"csv", kCsv}}).status, 200);
  ASSERT_EQ(run_cxm({"user", "add", "--db", db, "--email", "vera@example.org", "--org", org,
                     "--role", "viewer"},
                    "a long enough password\n")
                .exit_status,
            0);
  Client vera(*server);
  ASSERT_EQ(vera.login("vera@example.org", "a long enough password"), 200);
  const auto seen = vera.get("/api/orgs/" + org + "/customer-metrics");
  EXPECT_EQ(seen.status, 200);
  EXPECT_EQ(body_of(seen)["metrics"].size(), 2u);
  EXPECT_EQ(vera.send("POST", "/api/orgs/" + org + "/customer-metrics", json{{"csv", kCsv}}.dump())
                .status,
            403);
  EXPECT_EQ(vera.send("DELETE", "/api/orgs/" + org + "/customer-metrics/nps").status, 403);
  EXPECT_EQ(metrics(org)[0]["series"].size(), 3u);
}

INSTANTIATE_TEST_SUITE_P(Databases, CustomerMetricsTest, ::testing::Values("sqlite", "postgresql"),
                         [](const auto& info) { return info.param; });

}  // namespace
}  // namespace cxm::testing
