// Customer metrics as stored: all or nothing, units and scales checked in
// the write, a figure replaced by a later one of the same metric, period and
// unit, reports made stale, and carried by organization exports. On SQLite
// and PostgreSQL.
#include <gtest/gtest.h>
#include <soci/soci.h>
#include <soci/sqlite3/soci-sqlite3.h>

#include "../../tests/postgres_cluster.h"
#include "../../tests/run_process.h"
#include "store/store.h"

namespace cxm::store {
namespace {

using cxm::testing::TempDir;

class CustomerMetricStore : public ::testing::TestWithParam<std::string> {
 protected:
  TempDir dir;
  std::unique_ptr<Store> store;

  void SetUp() override {
    std::string error;
    const auto url = parse_database_url(cxm::testing::test_database(GetParam(), dir.path()), error);
    ASSERT_TRUE(url) << error;
    store = Store::open(*url);
    store->create_organization(
        Organization{"o1", "Acme", "Retail", "50-249", {"Sales", "Service"}, false, 1},
        std::nullopt);
  }
  static core::CustomerFigure figure(const std::string& metric, const std::string& period,
                                     const std::string& unit, double value) {
    return core::CustomerFigure{metric, period, unit, value, 120, "Survey", false};
  }
};

TEST_P(CustomerMetricStore, ImportedFiguresAreReadBackInOrder) {
  const core::MetricDefinition stars{"stars", "Store rating", "Mean of 1-5 stars", 1, 5, false};
  const auto done = store->import_customer_metrics(
      "o1", {stars},
      {figure("nps", "2026-03", "", 31.5), figure("nps", "2026-01", "", 28),
       figure("nps", "2026-01", "Sales", 40), figure("stars", "2026-02-14", "", 4.2)});
  ASSERT_EQ(done.outcome, MetricsImportOutcome::imported);
  EXPECT_EQ(done.added, 4u);
  EXPECT_EQ(done.replaced, 0u);
  const auto read = store->customer_metrics_of("o1");
  ASSERT_EQ(read.named.size(), 1u);
  EXPECT_EQ(read.named[0].id, "stars");
  EXPECT_EQ(read.named[0].scale_min, 1);
  EXPECT_EQ(read.named[0].scale_max, 5);
  ASSERT_EQ(read.figures.size(), 4u);
  EXPECT_EQ(read.figures[0].period, "2026-01");
  EXPECT_EQ(read.figures[0].unit, "");
  EXPECT_EQ(read.figures[1].period, "2026-03");
  EXPECT_DOUBLE_EQ(read.figures[1].value, 31.5);
  EXPECT_EQ(read.figures[1].respondents, 120);
  EXPECT_EQ(read.figures[2].unit, "Sales");
  EXPECT_EQ(read.figures[3].metric, "stars");
  EXPECT_TRUE(store->customer_metrics_of("other").figures.empty());
}

TEST_P(CustomerMetricStore, ALaterFigureReplacesTheSameMetricPeriodAndUnit) {
  store->import_customer_metrics("o1", {}, {figure("csat", "2026-03", "", 70)});
  const auto again = store->import_customer_metrics(
      "o1", {}, {figure("csat", "2026-03", "", 72), figure("csat", "2026-03", "Sales", 60)});
  EXPECT_EQ(again.added, 1u);
  EXPECT_EQ(again.replaced, 1u);
  const auto read = store->customer_metrics_of("o1");
  ASSERT_EQ(read.figures.size(), 2u);
  EXPECT_DOUBLE_EQ(read.figures[0].value, 72);
}

TEST_P(CustomerMetricStore, AnUnknownUnitOrAChangedScaleRefusesEverything) {
  const auto unknown = store->import_customer_metrics(
      "o1", {}, {figure("nps", "2026-03", "Sales", 10), figure("nps", "2026-03", "Billing", 5)});
  EXPECT_EQ(unknown.outcome, MetricsImportOutcome::unknown_unit);
  EXPECT_EQ(unknown.index, 1u);
  EXPECT_EQ(unknown.detail, "Billing");
  EXPECT_TRUE(store->customer_metrics_of("o1").figures.empty());

  const core::MetricDefinition stars{"stars", "Stars", "1-5", 1, 5, false};
  store->import_customer_metrics("o1", {stars}, {figure("stars", "2026-03", "", 4)});
  core::MetricDefinition tens = stars;
  tens.scale_max = 10;
  const auto changed = store->import_customer_metrics(
      "o1", {tens}, {figure("stars", "2026-04", "", 8), figure("nps", "2026-04", "", 1)});
  EXPECT_EQ(changed.outcome, MetricsImportOutcome::scale_changed);
  EXPECT_EQ(changed.detail, "stars");
  EXPECT_EQ(store->customer_metrics_of("o1").figures.size(), 1u);
  // The same scale with new words is taken.
  core::MetricDefinition reworded = stars;
  reworded.definition = "Mean star rating, 1 to 5";
  EXPECT_EQ(store->import_customer_metrics("o1", {reworded}, {}).outcome,
            MetricsImportOutcome::imported);
  EXPECT_EQ(store->customer_metrics_of("o1").named[0].definition, "Mean star rating, 1 to 5");
  EXPECT_EQ(store->import_customer_metrics("gone", {}, {}).outcome,
            MetricsImportOutcome::org_not_found);
}

TEST_P(CustomerMetricStore, ImportingMakesReportsStaleAndAUnitWithFiguresStays) {
  store->create_cycle(Cycle{"c1", "o1", "Spring", CycleStatus::open, "yaml", true, 3, std::nullopt,
                            std::nullopt, 2});
  const auto before = store->find_cycle("c1")->answers_version;
  store->import_customer_metrics("o1", {}, {figure("nps", "2026-03", "Service", 10)});
  EXPECT_GT(store->find_cycle("c1")->answers_version, before);
  auto org = *store->find_organization("o1");
  org.units = {"Sales"};
  const auto refused = store->update_organization(org);
  ASSERT_TRUE(refused);
  EXPECT_NE(refused->find("Service"), std::string::npos);
  EXPECT_EQ(store->find_organization("o1")->units.size(), 2u);
  EXPECT_EQ(store->delete_customer_metric("o1", "nps"), 1u);
  EXPECT_FALSE(store->update_organization(org));
}

TEST_P(CustomerMetricStore, AnOrganizationExportCarriesItsMetrics) {
  const core::MetricDefinition stars{"stars", "Stars", "1-5", 1, 5, false};
  store->import_customer_metrics(
      "o1", {stars}, {figure("stars", "2026-03", "Sales", 4.5), figure("nps", "2026-03", "", -12)});
  const std::string file = dir.path() + "/acme.cxm";
  store->export_organization("o1", file, 5);
  auto other = Store::open(DatabaseUrl{DatabaseUrl::Kind::sqlite, dir.path() + "/other.db"});
  int n = 0;
  const auto summary = other->import_organization(file, [&] { return "n" + std::to_string(++n); });
  const auto moved = other->customer_metrics_of(summary.org_id);
  ASSERT_EQ(moved.figures.size(), 2u);
  EXPECT_DOUBLE_EQ(moved.figures[0].value, -12);
  ASSERT_EQ(moved.named.size(), 1u);
  EXPECT_EQ(moved.named[0].name, "Stars");
}

// A report's outside-in section depends on its cycle's days and on the
// previous cycle's: closing any cycle of an organization with figures makes
// every report of it stale; without figures, only the closed cycle's own.
TEST_P(CustomerMetricStore, ClosingACycleMakesTheOutsideInOfEveryReportStale) {
  store->create_organization(Organization{"o2", "Other", "Retail", "50-249", {"Sales"}, false, 1},
                             std::nullopt);
  for (const char* org : {"o1", "o2"}) {
    for (const char* name : {"a", "b"}) {
      const std::string id = std::string(org) + name;
      store->create_cycle(
          Cycle{id, org, id, CycleStatus::open, "yaml", false, 3, std::nullopt, std::nullopt, 2});
    }
  }
  store->import_customer_metrics("o1", {}, {figure("nps", "2026-03", "", 10)});
  const auto with_before = store->find_cycle("o1a")->answers_version;
  const auto without_before = store->find_cycle("o2a")->answers_version;
  ASSERT_EQ(store->transition_cycle("o1b", CycleStatus::open, CycleStatus::closed, 5),
            CycleChange::done);
  ASSERT_EQ(store->transition_cycle("o2b", CycleStatus::open, CycleStatus::closed, 5),
            CycleChange::done);
  EXPECT_GT(store->find_cycle("o1a")->answers_version, with_before);
  EXPECT_EQ(store->find_cycle("o2a")->answers_version, without_before);
}

INSTANTIATE_TEST_SUITE_P(Databases, CustomerMetricStore, ::testing::Values("sqlite", "postgresql"),
                         [](const auto& info) { return info.param; });

// A deletion records who deleted what, in its transaction; deleting what
// is not there changes nothing and records nothing.
TEST(CustomerMetricAudit, ADeleteOfNothingRecordsNothing) {
  TempDir dir;
  const std::string path = dir.path() + "/cxm.db";
  auto store = Store::open(DatabaseUrl{DatabaseUrl::Kind::sqlite, path});
  store->create_organization(Organization{"o1", "Acme", "Retail", "50-249", {}, false, 1},
                             std::nullopt);
  auto deletions = [&] {
    soci::session sql(*soci::factory_sqlite3(), "db=" + path);
    long long n = 0;
    sql << "SELECT COUNT(*) FROM audit_log WHERE action = 'customer_metrics.delete'", soci::into(n);
    return n;
  };
  const AuditEntry audit{"u1", "o1", "customer_metrics.delete", "nps", 5};
  EXPECT_EQ(store->delete_customer_metric("o1", "nps", audit), 0u);
  EXPECT_EQ(deletions(), 0);
  store->import_customer_metrics("o1", {},
                                 {core::CustomerFigure{"nps", "2026-03", "", 10, 120, "S", false}});
  EXPECT_EQ(store->delete_customer_metric("o1", "nps", audit), 1u);
  EXPECT_EQ(deletions(), 1);
}

}  // namespace
}  // namespace cxm::store
