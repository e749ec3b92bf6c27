// Discussion notes as stored: saved, replaced, deleted, kept per cycle.
#include <gtest/gtest.h>

#include "../../tests/run_process.h"
#include "store/store.h"

namespace cxm::store {
namespace {

using cxm::testing::TempDir;

class DiscussionNotesTest : public ::testing::Test {
 protected:
  TempDir dir;
  std::unique_ptr<Store> store =
      Store::open(DatabaseUrl{DatabaseUrl::Kind::sqlite, dir.path() + "/cxm.db"});

  void SetUp() override {
    store->create_organization(Organization{"o1", "Acme", "Retail", "50-249", {}, false, 1},
                               std::nullopt);
    for (const char* id : {"c1", "c2"}) {
      store->create_cycle(Cycle{id, "o1", "Spring", CycleStatus::closed, "yaml", true, 3,
                                std::nullopt, std::nullopt, 2});
    }
  }
};

TEST_F(DiscussionNotesTest, SavedReplacedAndDeletedPerCycle) {
  EXPECT_TRUE(
      store->save_discussion_note({"c1", "LS2", "Sales sees this differently", 2, 10, "u1"}));
  EXPECT_TRUE(
      store->save_discussion_note({"c1", "CJ3", "", std::nullopt, 11, "u1"}));  // nothing: no row
  EXPECT_TRUE(store->save_discussion_note({"c2", "LS2", "other cycle", std::nullopt, 12, "u2"}));
  auto notes = store->discussion_notes("c1");
  ASSERT_EQ(notes.size(), 1u);
  EXPECT_EQ(notes[0].item_id, "LS2");
  EXPECT_EQ(notes[0].note, "Sales sees this differently");
  EXPECT_EQ(notes[0].decision, 2);
  EXPECT_EQ(notes[0].updated_by, "u1");

  EXPECT_TRUE(store->save_discussion_note({"c1", "LS2", "", 3, 20, "u2"}));
  notes = store->discussion_notes("c1");
  ASSERT_EQ(notes.size(), 1u);
  EXPECT_EQ(notes[0].note, "");
  EXPECT_EQ(notes[0].decision, 3);
  EXPECT_EQ(notes[0].updated_at, 20);

  EXPECT_TRUE(store->save_discussion_note({"c1", "LS2", "", std::nullopt, 30, "u2"}));
  EXPECT_TRUE(store->discussion_notes("c1").empty());
  EXPECT_EQ(store->discussion_notes("c2").size(), 1u);
}

TEST_F(DiscussionNotesTest, NothingIsSavedForAMissingCycle) {
  EXPECT_FALSE(store->save_discussion_note({"nope", "LS2", "x", 1, 10, "u1"}));
  EXPECT_TRUE(store->discussion_notes("nope").empty());
}

}  // namespace
}  // namespace cxm::store
