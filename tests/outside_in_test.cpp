// Outside-in over HTTP (SPEC section 4.10, docs/outside-in.md): the
// customers' figures beside a cycle's report and on the progress page.
// The figures are imported through the store (the import routes are
// another part of the issue), into the database the real server uses:
// the import makes every cached report of the organization stale, in
// every process.
#include <gtest/gtest.h>

#include <chrono>
#include <ctime>
#include <nlohmann/json.hpp>
#include <thread>

#include "server_fixture.h"
#include "store/database_url.h"
#include "store/store.h"

namespace cxm::testing {
namespace {

using nlohmann::json;

// C1 and C2 are statements customers can feel (C2 worded in reverse); X is not.
const char* const kModel = R"(id: outside
version: "2.2.0"
title: Outside
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
  - {id: C1, competency: lead, stage: 2, themes: [customer], text: Customers reach us easily.}
  - {id: C2, competency: lead, stage: 2, themes: [customer], reverse: true, text: Customers repeat themselves.}
  - {id: X, competency: lead, stage: 2, text: We plan.}
)";

const char* const kOldModel = R"(id: outside
version: "2.1.0"
title: Outside
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
  - {id: C1, competency: lead, stage: 2, text: Customers reach us easily.}
  - {id: X, competency: lead, stage: 2, text: We plan.}
)";

std::string this_month() {
  const std::time_t now = std::time(nullptr);
  std::tm t{};
  gmtime_r(&now, &t);
  char out[16];
  std::strftime(out, sizeof out, "%Y-%m", &t);
  return out;
}

core::CustomerFigure figure(const std::string& metric, const std::string& period,
                            const std::string& unit, double value, std::int64_t respondents) {
  return {metric, period, unit, value, respondents, "Quarterly survey", false};
}

class OutsideInTest : public ServerTest {
 protected:
  std::unique_ptr<store::Store> direct() {
    std::string error;
    const auto url = store::parse_database_url(db, error);
    EXPECT_TRUE(url) << error;
    return store::Store::open(*url);
  }
  // A named cycle on `model`: four people of Sales and one of Support answer.
  std::string answered_cycle(const std::string& org, const std::string& model) {
    const auto created =
        admin.send("POST", "/api/orgs/" + org + "/cycles",
                   json{{"name", "Spring"}, {"anonymous", false}, {"model_yaml", model}}.dump());
    EXPECT_EQ(created.status, 201) << created.body;
    const std::string cycle = body_of(created)["id"];
    EXPECT_EQ(admin.send("POST", "/api/cycles/" + cycle + "/open").status, 200);
    for (const char* unit : {"Sales", "Sales", "Sales", "Sales", "Support"}) {
      const auto r = admin.send("POST", "/api/cycles/" + cycle + "/invitations",
                                json{{"count", 1}, {"role", "manager"}, {"unit", unit}}.dump());
      EXPECT_EQ(r.status, 201) << r.body;
      const std::string token = body_of(r)["invitations"][0]["token"];
      const bool sales = std::string(unit) == "Sales";
      json answers = {{"C1", sales ? 4 : 1}, {"X", 3}};
      if (model == kModel) answers["C2"] = sales ? 2 : 5;
      EXPECT_EQ(put_answers(token, answers).status, 200);
      EXPECT_EQ(server->request("POST", "/api/r/" + token + "/submit").status, 200);
    }
    return cycle;
  }
};

TEST_P(OutsideInTest, TheReportSetsTheCustomersFiguresBesideTheOwnView) {
  const std::string org = create_org(admin, "Acme");
  const std::string cycle = answered_cycle(org, kModel);
  // Before any figure: the whole report says null, and the progress page
  // has no metrics.
  auto report = body_of(admin.get("/api/cycles/" + cycle + "/report"));
  ASSERT_TRUE(report.contains("outside_in")) << report.dump();
  EXPECT_TRUE(report["outside_in"].is_null());

  const std::string month = this_month();
  const auto imported = direct()->import_customer_metrics(
      org, {},
      {figure("nps", month, "", 10, 420), figure("nps", month, "Sales", 0, 180),
       figure("nps", month, "Support", 30, 90), figure("nps", "2019-01", "", -50, 100),
       figure("csat", "2019-01", "", 80, 200)});
  ASSERT_EQ(imported.outcome, store::MetricsImportOutcome::imported);

  // The import made the cached report stale in the server's process too,
  // as soon as its change feed (polled every 100 ms) tells it.
  for (int i = 0; i < 50; ++i) {
    report = body_of(admin.get("/api/cycles/" + cycle + "/report"));
    if (report["outside_in"].is_object()) break;
    std::this_thread::sleep_for(std::chrono::milliseconds(100));
  }
  const json& o = report["outside_in"];
  ASSERT_TRUE(o.is_object()) << report.dump();
  EXPECT_NE(o["caveat"].get<std::string>().find("Closing the Delivery Gap"), std::string::npos);
  EXPECT_NE(o["caveat"].get<std::string>().find("not a cause"), std::string::npos);
  ASSERT_EQ(o["metrics"].size(), 2u);
  const json& nps = o["metrics"][0];
  EXPECT_EQ(nps["metric"], "nps");
  EXPECT_TRUE(nps["reason"].is_null());
  // The whole organization first, then units by name; 2019 is too early.
  ASSERT_EQ(nps["figures"].size(), 3u) << nps.dump();
  EXPECT_TRUE(nps["figures"][0]["unit"].is_null());
  EXPECT_EQ(nps["figures"][0]["period"], month);
  EXPECT_EQ(nps["figures"][0]["value"], 10);
  EXPECT_EQ(nps["figures"][0]["respondents"], 420);
  EXPECT_TRUE(nps["figures"][0]["change"].is_null()) << "the first cycle has nothing to compare";
  EXPECT_EQ(nps["figures"][1]["unit"], "Sales");
  EXPECT_EQ(nps["figures"][2]["unit"], "Support");
  const json& csat = o["metrics"][1];
  EXPECT_EQ(csat["reason"], "no customer figure for this cycle's period");
  ASSERT_EQ(csat["missing"].size(), 1u);
  EXPECT_TRUE(csat["missing"][0]["unit"].is_null());

  const json& gap = o["delivery_gap"];
  EXPECT_EQ(gap["statements"], json::array({"C1", "C2"}));
  EXPECT_TRUE(gap["reason"].is_null());
  // Everyone: C1 (4,4,4,4,1) 3.4 -> 60; C2 reversed (4,4,4,4,1) -> 60: own
  // 60; NPS 10 is 55 of 100: +5. Sales: own 75, NPS 0 is 50: +25.
  ASSERT_EQ(gap["rows"].size(), 2u) << gap.dump();
  EXPECT_TRUE(gap["rows"][0]["unit"].is_null());
  EXPECT_NEAR(gap["rows"][0]["own"].get<double>(), 60.0, 1e-9);
  EXPECT_EQ(gap["rows"][0]["own_respondents"], 5);
  EXPECT_EQ(gap["rows"][0]["customer_respondents"], 420);
  EXPECT_NEAR(gap["rows"][0]["customers"].get<double>(), 55.0, 1e-9);
  EXPECT_NEAR(gap["rows"][0]["gap"].get<double>(), 5.0, 1e-9);
  EXPECT_EQ(gap["rows"][1]["unit"], "Sales");
  EXPECT_NEAR(gap["rows"][1]["own"].get<double>(), 75.0, 1e-9);
  EXPECT_EQ(gap["rows"][1]["own_respondents"], 4);
  EXPECT_NEAR(gap["rows"][1]["gap"].get<double>(), 25.0, 1e-9);
  // Support (one person) has a customers' figure but no own view: hidden,
  // saying why.
  ASSERT_EQ(gap["hidden"].size(), 1u);
  EXPECT_EQ(gap["hidden"][0]["unit"], "Support");
  EXPECT_NE(gap["hidden"][0]["reason"].get<std::string>().find("fewer than 3"), std::string::npos)
      << gap.dump();
  EXPECT_EQ(gap.dump().find("\"own\":100"), std::string::npos);

  // A unit's or a role's view carries no outside-in section.
  for (const char* filter : {"?unit=Sales", "?role=manager"}) {
    const auto filtered = body_of(admin.get("/api/cycles/" + cycle + "/report" + filter));
    EXPECT_FALSE(filtered.contains("outside_in")) << filter;
  }
  // The CSV table, the page and the Markdown say it too.
  const auto csv = admin.get("/api/cycles/" + cycle + "/report.csv?table=outside_in");
  ASSERT_EQ(csv.status, 200) << csv.body;
  EXPECT_NE(csv.body.find("Net Promoter Score,Whole organization," + month + ",10,"),
            std::string::npos)
      << csv.body;
  EXPECT_NE(csv.body.find("Delivery gap: not shown in this cycle's report"), std::string::npos);
  const auto html = admin.get("/api/cycles/" + cycle + "/report.html");
  EXPECT_NE(html.body.find("<h2>Outside-in</h2>"), std::string::npos);
  EXPECT_NE(html.body.find("5 points above the customers&#39; figure"), std::string::npos);
  EXPECT_NE(html.body.find("Bain &amp; Company"), std::string::npos);

  // The progress page: the metrics as the customer-metrics route gives them,
  // and no correlation from two pairs (everyone and Sales).
  const auto progress = body_of(admin.get("/api/orgs/" + org + "/progress"));
  ASSERT_EQ(progress["customer_metrics"].size(), 2u);
  EXPECT_EQ(progress["customer_metrics"][0]["metric"], "nps");
  const json& correlations = progress["outside_in"]["correlations"];
  ASSERT_EQ(correlations.size(), 2u);
  EXPECT_EQ(correlations[0]["n"], 2);
  EXPECT_TRUE(correlations[0]["rho"].is_null());
  EXPECT_EQ(correlations[0]["min_pairs"], 8);
  EXPECT_NE(correlations[0]["reason"].get<std::string>().find("only 2 pairs"), std::string::npos);
  ASSERT_EQ(correlations[0]["pairs"].size(), 2u);
  EXPECT_EQ(correlations[0]["pairs"][1]["unit"], "Sales");
  EXPECT_EQ(correlations[1]["n"], 0);
  // Maturity points: everyone and Sales, never Support.
  EXPECT_EQ(progress["outside_in"]["maturity"].size(), 2u);
  EXPECT_EQ(progress["outside_in"].dump().find("Support"), std::string::npos);
}

// A cycle on a model that marks no statements customers can feel (2.1.0)
// has the customers' figures but no delivery gap, and says why.
TEST_P(OutsideInTest, AnOlderModelSaysItMarksNoStatementsCustomersCanFeel) {
  const std::string org = create_org(admin, "Acme");
  const std::string cycle = answered_cycle(org, kOldModel);
  ASSERT_EQ(direct()
                ->import_customer_metrics(org, {}, {figure("nps", this_month(), "", 10, 420)})
                .outcome,
            store::MetricsImportOutcome::imported);
  const auto report = body_of(admin.get("/api/cycles/" + cycle + "/report"));
  const json& gap = report["outside_in"]["delivery_gap"];
  EXPECT_EQ(gap["reason"],
            "the model this cycle ran with (outside 2.1.0) marks no statements customers can feel");
  EXPECT_TRUE(gap["rows"].empty());
  EXPECT_EQ(report["outside_in"]["metrics"][0]["figures"].size(), 1u);
  const auto md = admin.get("/api/cycles/" + cycle + "/report.html");
  EXPECT_NE(md.body.find("marks no statements customers can feel"), std::string::npos);
}

// With every statement customers can feel out of scope, the delivery gap
// says so rather than blaming the model.
TEST_P(OutsideInTest, StatementsOutOfScopeAreNamedAsTheReason) {
  const std::string org = create_org(admin, "Acme");
  const std::string cycle = answered_cycle(org, kModel);
  const auto aims = admin.send("PUT", "/api/orgs/" + org + "/aims",
                               json{{"targets", json::array()},
                                    {"out_of_scope",
                                     {{{"item", "C1"}, {"reason", "No call centre"}},
                                      {{"item", "C2"}, {"reason", "No call centre"}}}}}
                                   .dump());
  ASSERT_EQ(aims.status, 200) << aims.body;
  ASSERT_EQ(direct()
                ->import_customer_metrics(org, {}, {figure("nps", this_month(), "", 10, 420)})
                .outcome,
            store::MetricsImportOutcome::imported);
  json report;
  for (int i = 0; i < 50; ++i) {
    report = body_of(admin.get("/api/cycles/" + cycle + "/report"));
    if (report["outside_in"].is_object()) break;
    std::this_thread::sleep_for(std::chrono::milliseconds(100));
  }
  EXPECT_EQ(report["outside_in"]["delivery_gap"]["reason"],
            "every statement customers can feel is out of scope for this organization");
}

// docs/anonymity.md: an anonymous cycle with Sales (3) and Support (1)
// shows neither unit (everyone minus Sales would be the Support person), so
// neither has an own view in the delivery gap; each says why, and the own
// view of everyone is that of the released results.
TEST_P(OutsideInTest, AnAnonymousCycleHasAnOwnViewOnlyForUnitsItsReportShows) {
  const std::string org = create_org(admin, "Acme");
  const auto created =
      admin.send("POST", "/api/orgs/" + org + "/cycles",
                 json{{"name", "Spring"}, {"anonymous", true}, {"model_yaml", kModel}}.dump());
  ASSERT_EQ(created.status, 201) << created.body;
  const std::string cycle = body_of(created)["id"];
  ASSERT_EQ(admin.send("POST", "/api/cycles/" + cycle + "/open").status, 200);
  for (const char* unit : {"Sales", "Sales", "Sales", "Support"}) {
    const auto r = admin.send("POST", "/api/cycles/" + cycle + "/invitations",
                              json{{"count", 1}, {"role", "manager"}, {"unit", unit}}.dump());
    ASSERT_EQ(r.status, 201) << r.body;
    const std::string token = body_of(r)["invitations"][0]["token"];
    const bool sales = std::string(unit) == "Sales";
    ASSERT_EQ(put_answers(token, {{"C1", sales ? 4 : 1}, {"C2", sales ? 2 : 5}, {"X", 3}}).status,
              200);
    ASSERT_EQ(server->request("POST", "/api/r/" + token + "/submit").status, 200);
  }
  const std::string month = this_month();
  ASSERT_EQ(direct()
                ->import_customer_metrics(
                    org, {},
                    {figure("nps", month, "", 10, 420), figure("nps", month, "Sales", 0, 180),
                     figure("nps", month, "Support", 30, 90)})
                .outcome,
            store::MetricsImportOutcome::imported);
  // Before the close nothing is published: no report, so no section.
  const auto open = body_of(admin.get("/api/cycles/" + cycle + "/report"));
  EXPECT_FALSE(open.contains("outside_in")) << open.dump();
  ASSERT_EQ(admin.send("POST", "/api/cycles/" + cycle + "/close").status, 200);
  json report;
  for (int i = 0; i < 50; ++i) {
    report = body_of(admin.get("/api/cycles/" + cycle + "/report"));
    if (report.contains("outside_in") && report["outside_in"].is_object()) break;
    std::this_thread::sleep_for(std::chrono::milliseconds(100));
  }
  const json& gap = report["outside_in"]["delivery_gap"];
  ASSERT_EQ(gap["rows"].size(), 1u) << gap.dump();
  EXPECT_TRUE(gap["rows"][0]["unit"].is_null());
  // Everyone: C1 (4,4,4,1) 3.25 -> 56.25; C2 reversed the same: 56.25.
  EXPECT_NEAR(gap["rows"][0]["own"].get<double>(), 56.25, 1e-9);
  ASSERT_EQ(gap["hidden"].size(), 2u);
  for (const auto& h : gap["hidden"]) {
    const std::string reason = h["reason"];
    EXPECT_EQ(reason.rfind("not shown in this cycle's report: ", 0), 0u) << reason;
  }
  // The progress page's maturity points: everyone only.
  const auto progress = body_of(admin.get("/api/orgs/" + org + "/progress"));
  ASSERT_EQ(progress["outside_in"]["maturity"].size(), 1u) << progress["outside_in"].dump();
  EXPECT_TRUE(progress["outside_in"]["maturity"][0]["unit"].is_null());
}

INSTANTIATE_TEST_SUITE_P(Databases, OutsideInTest, ::testing::Values("sqlite", "postgresql"),
                         [](const auto& info) { return info.param; });

}  // namespace
}  // namespace cxm::testing
