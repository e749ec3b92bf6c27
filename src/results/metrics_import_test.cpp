// What the store refuses in the write is said with the place the file has
// it: a unit the file was not checked against (or that went meanwhile), and
// a named rating imported before on another scale.
#include "results/metrics_import.h"

#include <gtest/gtest.h>

#include "../../tests/run_process.h"

namespace cxm::results {
namespace {

class MetricsImportTest : public ::testing::Test {
 protected:
  cxm::testing::TempDir dir;
  std::unique_ptr<store::Store> store = store::Store::open(
      store::DatabaseUrl{store::DatabaseUrl::Kind::sqlite, dir.path() + "/x.db"});

  void SetUp() override {
    store::Organization org;
    org.id = "o1";
    org.name = "Acme";
    org.units = {"Sales", "Service"};
    store->create_organization(org, std::nullopt);
  }
  MetricsImportResult import(const std::string& text) {
    const auto read = metrics::read_metrics(text);  // units not checked: the store does
    EXPECT_TRUE(read.file) << read.error;
    return import_metrics_file(*store, "o1", *read.file, {});
  }
};

TEST_F(MetricsImportTest, AUnitTheOrganizationHasNotIsNamedWhereTheFileHasIt) {
  const auto r = import(
      "period,unit,metric,value,respondents,source\n2026-01,Sales,nps,1,1,S\n\n"
      "2026-01,Billing,nps,1,1,S\n");
  EXPECT_EQ(r.outcome, store::MetricsImportOutcome::unknown_unit);
  EXPECT_EQ(r.problem,
            "line 4, column unit: 'Billing' is not one of the organization's units (Sales, "
            "Service); leave it empty for the whole organization");
  EXPECT_TRUE(store->customer_metrics_of("o1").figures.empty());
}

TEST_F(MetricsImportTest, ANamedRatingOnAnotherScaleIsNamedWhereTheFileDefinesIt) {
  const auto first = import(
      R"({"rows":[{"period":"2026-01","metric":"stars","value":4,"respondents":9,"source":"S",)"
      R"("definition":"Mean stars","scale_min":1,"scale_max":5}]})");
  ASSERT_EQ(first.outcome, store::MetricsImportOutcome::imported);
  EXPECT_EQ(first.added, 1u);
  const auto r = import(
      R"({"rows":[{"period":"2026-02","metric":"nps","value":4,"respondents":9,"source":"S"},)"
      R"({"period":"2026-02","metric":"stars","value":4,"respondents":9,"source":"S",)"
      R"("definition":"Mean stars","scale_min":0.5,"scale_max":5}]})");
  EXPECT_EQ(r.outcome, store::MetricsImportOutcome::scale_changed);
  EXPECT_EQ(r.problem,
            "row 2, field scale_min: stars was imported before on the scale 1 to 5; a named "
            "rating keeps its scale (delete it first to import it on another)");
  EXPECT_EQ(store->customer_metrics_of("o1").figures.size(), 1u);
}

}  // namespace
}  // namespace cxm::results
