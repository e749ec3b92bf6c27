// Cycles as stored: the pulse flag, and cycles made before it existed.
#include <soci/soci.h>

#include <gtest/gtest.h>

#include "../../tests/run_process.h"
#include "store/store.h"

namespace cxm::store {
namespace {

using cxm::testing::TempDir;

class CycleStoreTest : public ::testing::Test {
 protected:
  TempDir dir;
  std::string path = dir.path() + "/cxm.db";
  std::unique_ptr<Store> store = Store::open(DatabaseUrl{DatabaseUrl::Kind::sqlite, path});

  void SetUp() override {
    store->create_organization(Organization{"o1", "Acme", "Retail", "50-249", {}, false, 1}, std::nullopt);
  }
  static Cycle cycle(const std::string& id, bool pulse) {
    Cycle c{id, "o1", "Spring", CycleStatus::draft, "yaml", true, 3, std::nullopt, std::nullopt, 2};
    c.pulse = pulse;
    return c;
  }
};

TEST_F(CycleStoreTest, ThePulseFlagIsStoredAndChangesOnlyInADraft) {
  store->create_cycle(cycle("full", false));
  store->create_cycle(cycle("pulse", true));
  EXPECT_FALSE(store->find_cycle("full")->pulse);
  EXPECT_TRUE(store->find_cycle("pulse")->pulse);
  EXPECT_TRUE(store->cycles_of("o1")[1].pulse);

  Cycle changed = *store->find_cycle("full");
  changed.pulse = true;
  EXPECT_EQ(store->update_draft_cycle(changed), CycleChange::done);
  EXPECT_TRUE(store->find_cycle("full")->pulse);
  ASSERT_EQ(store->transition_cycle("full", CycleStatus::draft, CycleStatus::open, 1000), CycleChange::done);
  changed.pulse = false;
  EXPECT_EQ(store->update_draft_cycle(changed), CycleChange::conflict);
  EXPECT_TRUE(store->find_cycle("full")->pulse);
}

// A database made before migration 4 keeps its cycles, as full cycles with
// their model snapshots.
TEST_F(CycleStoreTest, CyclesMadeBeforeThePulseFlagAreFullCycles) {
  store.reset();
  {
    soci::session sql("sqlite3", "db=" + path);
    // Undo migration 11 (live workshops) first: its tables refer to cycles.
    for (const char* table : {"round_answers", "workshop_reveals", "workshops"}) {
      sql << std::string("DROP TABLE ") + table;
    }
    sql << "DROP INDEX participants_by_workshop";
    sql << "ALTER TABLE participants DROP COLUMN workshop_id";
    // Back to schema 5: undo migration 7 (action plans, closed_at), then 6 (the pulse flag).
    sql << "DROP TABLE action_status_changes";
    sql << "DROP TABLE actions";
    sql << "ALTER TABLE cycles DROP COLUMN closed_at";
    sql << "ALTER TABLE cycles DROP COLUMN pulse";
    sql << "DELETE FROM schema_migrations WHERE version >= 6";  // the pulse flag's migration and later ones
    // What later migrations made did not exist either (8: benchmarks).
    for (const char* table : {"benchmark_pool", "benchmark_dataset_rows", "benchmark_datasets"}) {
      sql << std::string("DROP TABLE ") + table;
    }
    sql << "INSERT INTO cycles (id, org_id, name, status, model_yaml, anonymous, min_group_size, created_at) "
           "VALUES ('old', 'o1', 'Autumn 2025', 'closed', 'id: snapshot', 1, 3, 5)";
  }
  store = Store::open(DatabaseUrl{DatabaseUrl::Kind::sqlite, path});
  EXPECT_EQ(store->schema_version(), latest_schema_version());
  const auto old = store->find_cycle("old");
  ASSERT_TRUE(old);
  EXPECT_FALSE(old->pulse);
  EXPECT_EQ(old->status, CycleStatus::closed);
  EXPECT_EQ(store->cycle_model_yaml("old"), "id: snapshot");
}

}  // namespace
}  // namespace cxm::store
