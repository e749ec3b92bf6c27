// Comments as stored: saved with the answers under the same rules,
// idempotent, checked, erased with a named cycle's revoked link, hidden
// (never changed) by a facilitator, and carried by backups and
// organization exports.
#include <gtest/gtest.h>

#include <stdexcept>

#include "../../tests/run_process.h"
#include "store/store.h"

namespace cxm::store {
namespace {

using cxm::testing::TempDir;

class CommentStoreTest : public ::testing::Test {
 protected:
  TempDir dir;
  std::unique_ptr<Store> store =
      Store::open(DatabaseUrl{DatabaseUrl::Kind::sqlite, dir.path() + "/cxm.db"});

  void make_cycle(bool anonymous) {
    store->create_user(User{"fay", "fay@example.org", "Fay", "h", false, 1});
    store->create_organization(Organization{"o1", "Acme", "Retail", "50-249", {}, false, 1},
                               Membership{"fay", "o1", OrgRole::facilitator});
    store->create_cycle(
        Cycle{"c1", "o1", "Spring", CycleStatus::open, "yaml", anonymous, 3, std::nullopt, 99, 2});
    store->create_participants(
        {Participant{"p1", "c1", "", "", "", false, std::nullopt, 3, "", std::nullopt},
         Participant{"p2", "c1", "", "", "", false, std::nullopt, 4, "", std::nullopt}},
        {"hash1", "hash2"});
    for (const char* id : {"p1", "p2"}) {
      ASSERT_EQ(store->claim_link(id, std::string("claim-") + id, std::string("resume-") + id),
                ClaimOutcome::claimed);
    }
  }
  SaveOutcome save(const std::string& participant, std::vector<StoredComment> comments,
                   std::vector<StoredAnswer> answers = {{"a1", 4}}) {
    return store->save_answers(participant, "claim-" + participant, answers, 10, comments);
  }
};

TEST_F(CommentStoreTest, SavedWithTheAnswersIdempotentlyKeepingTheFirstId) {
  make_cycle(true);
  EXPECT_EQ(save("p1", {{"A", "More training, please.", "id-1"}}).refusal, LinkRefusal::none);
  // The same save again (a retry), then an edit with another would-be id.
  EXPECT_EQ(save("p1", {{"A", "More training, please.", "id-1"}}).refusal, LinkRefusal::none);
  EXPECT_EQ(save("p1", {{"A", "More training.\nAnd time.", "id-2"}}).refusal, LinkRefusal::none);
  auto mine = store->comments_of("p1");
  ASSERT_EQ(mine.size(), 1u);
  EXPECT_EQ(mine[0].competency_id, "A");
  EXPECT_EQ(mine[0].text, "More training.\nAnd time.");
  EXPECT_EQ(mine[0].id, "id-1");
  EXPECT_EQ(store->answers_of("p1").size(), 1u);
  // An empty text deletes it; other people's comments are theirs.
  EXPECT_EQ(save("p2", {{"A", "Mine.", "id-3"}}).refusal, LinkRefusal::none);
  EXPECT_EQ(save("p1", {{"A", "", ""}}).refusal, LinkRefusal::none);
  EXPECT_TRUE(store->comments_of("p1").empty());
  EXPECT_EQ(store->comments_of("p2").size(), 1u);
}

TEST_F(CommentStoreTest, RefusedWritesSaveNoComment) {
  make_cycle(true);
  // Not the browser holding the claim.
  EXPECT_EQ(store->save_answers("p1", "claim-p2", {{"a1", 4}}, 10, {{"A", "x", "id-1"}}).refusal,
            LinkRefusal::not_claimed);
  EXPECT_TRUE(store->comments_of("p1").empty());
  // After submission: read-only.
  EXPECT_EQ(save("p1", {{"A", "before", "id-1"}}).refusal, LinkRefusal::none);
  EXPECT_EQ(store->submit("p1", "claim-p1", 11), LinkRefusal::none);
  EXPECT_EQ(save("p1", {{"A", "after", "id-2"}}).refusal, LinkRefusal::already_submitted);
  EXPECT_EQ(store->comments_of("p1")[0].text, "before");
}

TEST_F(CommentStoreTest, TextsThatWouldNotPassAreRefusedBeforeAnythingIsWritten) {
  make_cycle(true);
  const std::vector<StoredComment> bad[] = {
      {{"A", std::string(2001, 'x'), "id"}},  // too long
      {{"A", "bell\a", "id"}},                // a control character
      {{"A", "\xC0\xAF", "id"}},              // not UTF-8
      {{"A", "  untrimmed ", "id"}},          // not normalized
      {{"A", "no id", ""}},                   // a new comment needs its id
      {{"", "no competency", "id"}},
  };
  for (const auto& comments : bad) {
    EXPECT_THROW(save("p1", comments), std::invalid_argument);
  }
  EXPECT_TRUE(store->comments_of("p1").empty());
  EXPECT_TRUE(store->answers_of("p1").empty());
  EXPECT_EQ(save("p1", {{"A", std::string(2000, 'x'), "id"}}).refusal, LinkRefusal::none);
}

TEST_F(CommentStoreTest, ANamedCyclesRevokedLinkTakesItsCommentsAlong) {
  make_cycle(false);
  save("p1", {{"A", "one", "id-1"}});
  save("p2", {{"A", "two", "id-2"}});
  EXPECT_EQ(store->revoke_participant("p1"), RevokeOutcome::revoked);
  EXPECT_TRUE(store->comments_of("p1").empty());
  const auto all = store->cycle_comments("c1");
  ASSERT_EQ(all.size(), 1u);
  EXPECT_EQ(all[0].text, "two");
  EXPECT_EQ(all[0].participant_id, "p2");
}

TEST_F(CommentStoreTest, AnAnonymousCyclesClosedLinkKeepsItsComments) {
  make_cycle(true);
  save("p1", {{"A", "one", "id-1"}});
  EXPECT_EQ(store->submit("p1", "claim-p1", 11), LinkRefusal::none);
  EXPECT_EQ(store->revoke_participant("p1"), RevokeOutcome::revoked);
  EXPECT_EQ(store->cycle_comments("c1").size(), 1u);  // revoking says nothing
}

TEST_F(CommentStoreTest, HidingKeepsTextAndReasonAndIsAudited) {
  make_cycle(true);
  save("p1", {{"A", "Bob in Support is the problem.", "id-1"}});
  const AuditEntry audit{"fay", "o1", "comment.hide", "c1 id-1", 20};
  EXPECT_EQ(store->hide_comment("c1", "id-1", "names a colleague", "fay", 20, audit),
            HideOutcome::hidden);
  EXPECT_EQ(store->hide_comment("c1", "id-1", "again", "fay", 21, audit),
            HideOutcome::already_hidden);
  EXPECT_EQ(store->hide_comment("other-cycle", "id-1", "x", "fay", 21, audit),
            HideOutcome::not_found);
  EXPECT_EQ(store->hide_comment("c1", "no-such", "x", "fay", 21, audit), HideOutcome::not_found);
  const auto all = store->cycle_comments("c1");
  ASSERT_EQ(all.size(), 1u);
  EXPECT_TRUE(all[0].hidden);
  EXPECT_EQ(all[0].text, "Bob in Support is the problem.");  // kept, never edited
  EXPECT_EQ(all[0].hidden_reason, "names a colleague");
  EXPECT_EQ(all[0].hidden_by, "fay");
  EXPECT_EQ(all[0].hidden_at, 20);
}

TEST_F(CommentStoreTest, BackupsAndOrganizationExportsCarryComments) {
  make_cycle(true);
  save("p1", {{"A", "kept", "id-1"}});
  save("p2", {{"A", "hidden one", "id-2"}});
  store->hide_comment("c1", "id-2", "off topic", "fay", 20);
  store->backup(dir.path() + "/backup.db");
  auto restored = Store::open(DatabaseUrl{DatabaseUrl::Kind::sqlite, dir.path() + "/r.db"});
  restored->restore(dir.path() + "/backup.db");
  EXPECT_EQ(restored->cycle_comments("c1").size(), 2u);

  store->export_organization("o1", dir.path() + "/org.db", 30);
  auto moved = Store::open(DatabaseUrl{DatabaseUrl::Kind::sqlite, dir.path() + "/m.db"});
  int n = 0;
  const auto summary =
      moved->import_organization(dir.path() + "/org.db", [&] { return "n" + std::to_string(++n); });
  const auto cycles = moved->cycles_of(summary.org_id);
  ASSERT_EQ(cycles.size(), 1u);
  const auto comments = moved->cycle_comments(cycles[0].id);
  ASSERT_EQ(comments.size(), 2u);
  for (const auto& c : comments) {
    EXPECT_NE(c.id, "id-1");  // new ids, as every key gets
    EXPECT_NE(c.id, "id-2");
    EXPECT_NE(c.participant_id, "p1");
    if (c.hidden) {
      EXPECT_EQ(c.hidden_reason, "off topic");
      // The hiding facilitator is the user the import matched or made.
      const auto who = moved->find_user(c.hidden_by);
      ASSERT_TRUE(who);
      EXPECT_EQ(who->email, "fay@example.org");
      EXPECT_FALSE(who->is_admin);
    }
  }
}

}  // namespace
}  // namespace cxm::store
