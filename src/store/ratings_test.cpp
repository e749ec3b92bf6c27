// Customer-ratings datasets as stored: provenance and rows read back as
// written, newest first, instance-wide (an organization's export does not
// carry them). On SQLite and PostgreSQL.
#include <gtest/gtest.h>

#include "../../tests/postgres_cluster.h"
#include "../../tests/run_process.h"
#include "store/store.h"

namespace cxm::store {
namespace {

using cxm::testing::TempDir;

class RatingsStore : public ::testing::TestWithParam<std::string> {
 protected:
  TempDir dir;
  std::unique_ptr<Store> store;

  void SetUp() override {
    std::string error;
    const auto url = parse_database_url(cxm::testing::test_database(GetParam(), dir.path()), error);
    ASSERT_TRUE(url) << error;
    store = Store::open(*url);
  }
  static RatingsDataset dataset(const std::string& id, std::int64_t at) {
    return RatingsDataset{id,
                          "Index " + id,
                          "Example Institute",
                          "Example Institute (2026), customer index",
                          "CC-BY-4.0",
                          "2026-02-01",
                          id == "r2",
                          2,
                          {"nps", "stars"},
                          "u1",
                          at};
  }
};

TEST_P(RatingsStore, DatasetsAreReadBackNewestFirstWithTheirRows) {
  const std::string csv = "company,industry,year,metric,value\nA,Retail,2025,nps,3\n";
  store->create_ratings_dataset(dataset("r1", 100), csv,
                                AuditEntry{"u1", "", "ratings.import", "Index r1", 100});
  store->create_ratings_dataset(dataset("r2", 200), "other");
  const auto all = store->ratings_datasets();
  ASSERT_EQ(all.size(), 2u);
  EXPECT_EQ(all[0].id, "r2");
  EXPECT_TRUE(all[0].synthetic);
  EXPECT_EQ(all[1].id, "r1");
  EXPECT_FALSE(all[1].synthetic);
  const auto found = store->find_ratings_dataset("r1");
  ASSERT_TRUE(found);
  EXPECT_EQ(found->name, "Index r1");
  EXPECT_EQ(found->source, "Example Institute");
  EXPECT_EQ(found->citation, "Example Institute (2026), customer index");
  EXPECT_EQ(found->licence, "CC-BY-4.0");
  EXPECT_EQ(found->published_on, "2026-02-01");
  EXPECT_EQ(found->ratings, 2);
  EXPECT_EQ(found->metrics, (std::vector<std::string>{"nps", "stars"}));
  EXPECT_EQ(found->created_by, "u1");
  EXPECT_EQ(found->created_at, 100);
  EXPECT_EQ(store->ratings_dataset_csv("r1"), csv);
  EXPECT_FALSE(store->find_ratings_dataset("r3"));
  EXPECT_EQ(store->ratings_dataset_csv("r3"), "");
}

TEST_P(RatingsStore, AnOrganizationMovesWithoutTheInstancesRatings) {
  store->create_organization(Organization{"o1", "Acme", "Retail", "50-249", {}, false, 1},
                             std::nullopt);
  store->create_ratings_dataset(dataset("r1", 100), "rows");
  const std::string file = dir.path() + "/acme.cxm";
  store->export_organization("o1", file, 5);
  auto other = Store::open(DatabaseUrl{DatabaseUrl::Kind::sqlite, dir.path() + "/other.db"});
  int n = 0;
  other->import_organization(file, [&] { return "n" + std::to_string(++n); });
  EXPECT_TRUE(other->ratings_datasets().empty());
  EXPECT_EQ(store->ratings_datasets().size(), 1u);
}

INSTANTIATE_TEST_SUITE_P(Databases, RatingsStore, ::testing::Values("sqlite", "postgresql"),
                         [](const auto& info) { return info.param; });

}  // namespace
}  // namespace cxm::store
