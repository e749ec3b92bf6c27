#include "store/store.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <atomic>
#include <chrono>
#include <condition_variable>
#include <mutex>
#include <thread>

#include "../../tests/postgres_cluster.h"
#include "../../tests/run_process.h"
#include "store/schema_test_support.h"
#include "store/store_impl.h"

namespace cxm::store {
namespace {

using cxm::testing::TempDir;

// Tests claim each link as its browser would, with "claim-" + id.
void claim(Store& store, const std::string& id) {
  ASSERT_EQ(store.claim_link(id, "claim-" + id, "resume-" + id), ClaimOutcome::claimed) << id;
}

class StoreTest : public ::testing::Test {
 protected:
  TempDir dir;
  std::unique_ptr<Store> store =
      Store::open(DatabaseUrl{DatabaseUrl::Kind::sqlite, dir.path() + "/db/cxm.db"});

  // An open cycle with two started links. Revoking a started link works
  // only in a named cycle (in an anonymous one it would show who answered).
  void make_cycle(bool anonymous = true) {
    store->create_organization(
        Organization{"o1", "Acme", "Retail", "50-249", {"Sales", "Support"}, false, 1},
        std::nullopt);
    store->create_cycle(
        Cycle{"c1", "o1", "Spring", CycleStatus::open, "yaml", anonymous, 3, std::nullopt, 99, 2});
    store->create_participants(
        {Participant{"p1", "c1", "", "executive", "Sales", false, std::nullopt, 3, "",
                     std::nullopt},
         Participant{"p2", "c1", "Ann", "", "", false, std::nullopt, 4, "", std::nullopt}},
        {"hash1", "hash2"});
    claim(*store, "p1");
    claim(*store, "p2");
  }
};

TEST(DatabaseUrl, ParsesBothKindsAndRejectsOthers) {
  std::string error;
  EXPECT_EQ(parse_database_url("sqlite:data/x.db", error)->target, "data/x.db");
  const auto pg =
      parse_database_url("postgresql://u:p%40ss@localhost:5433/db?sslmode=disable", error);
  ASSERT_TRUE(pg);
  EXPECT_EQ(pg->kind, DatabaseUrl::Kind::postgresql);
  EXPECT_EQ(pg->target,
            "user='u' password='p@ss' host='localhost' port='5433' dbname='db' sslmode='disable'");
  EXPECT_EQ(parse_database_url("postgresql://it's@h/db", error)->target,
            "user='it\\'s' host='h' dbname='db'");
  EXPECT_FALSE(parse_database_url("postgresql://h/db?sslmode=%zz", error));
  EXPECT_FALSE(parse_database_url("mysql://x", error));
  EXPECT_NE(error.find("unsupported database URL"), std::string::npos);
  EXPECT_FALSE(parse_database_url("sqlite:", error));
}

TEST_F(StoreTest, MigratesToTheLatestVersionOnceAndReopens) {
  EXPECT_EQ(store->schema_version(), latest_schema_version());
  store.reset();
  store = Store::open(DatabaseUrl{DatabaseUrl::Kind::sqlite, dir.path() + "/db/cxm.db"});
  EXPECT_EQ(store->schema_version(), latest_schema_version());
}

TEST_F(StoreTest, FirstAdminOnlyWhileNoUserExists) {
  EXPECT_EQ(store->user_count(), 0u);
  EXPECT_TRUE(store->create_first_admin(User{"u1", "a@example.org", "A", "h", true, 1}));
  EXPECT_FALSE(store->create_first_admin(User{"u2", "b@example.org", "B", "h", true, 1}));
  EXPECT_EQ(store->user_count(), 1u);
  EXPECT_FALSE(store->create_user(User{"u3", "a@example.org", "C", "h", false, 1}));
  EXPECT_EQ(store->find_user_by_email("a@example.org")->id, "u1");
  EXPECT_FALSE(store->find_user_by_email("nobody@example.org"));
}

TEST_F(StoreTest, SessionsExpire) {
  store->create_first_admin(User{"u1", "a@example.org", "A", "h", true, 1});
  store->create_session("t", LoginSession{"u1", "csrf", 1000, 1});
  EXPECT_EQ(store->find_session("t", 999)->csrf_token, "csrf");
  EXPECT_FALSE(store->find_session("t", 1000));
  store->delete_session("t");
  EXPECT_FALSE(store->find_session("t", 1));
}

TEST_F(StoreTest, OrganizationsWithUnitsAndMemberships) {
  store->create_first_admin(User{"u1", "a@example.org", "A", "h", true, 1});
  store->create_user(User{"u2", "f@example.org", "F", "h", false, 1});
  store->create_organization(
      Organization{"o1", "Acme", "Retail", "50-249", {"Sales", "Support"}, false, 1},
      Membership{"u2", "o1", OrgRole::facilitator});
  store->create_organization(Organization{"o2", "Beta", "", "", {}, true, 1},
                             Membership{"u1", "o2", OrgRole::owner});
  const auto acme = store->find_organization("o1");
  ASSERT_TRUE(acme);
  EXPECT_EQ(acme->units, (std::vector<std::string>{"Sales", "Support"}));
  EXPECT_EQ(store->organizations_for(*store->find_user("u1")).size(), 2u);  // admin sees all
  const auto mine = store->organizations_for(*store->find_user("u2"));
  ASSERT_EQ(mine.size(), 1u);
  EXPECT_EQ(mine[0].id, "o1");
  EXPECT_EQ(store->membership_role("u2", "o1"), OrgRole::facilitator);
  EXPECT_FALSE(store->membership_role("u2", "o2"));
}

TEST_F(StoreTest, AnswersAreSavedIdempotentlyAndSubmittedOnce) {
  make_cycle();
  EXPECT_EQ(store->submit("p1", "claim-p1", 9), LinkRefusal::no_answers);
  EXPECT_EQ(store->save_answers("p1", "claim-p1", {{"LS2", 4}, {"LS3", std::nullopt}}, 10).saved,
            2u);
  EXPECT_EQ(store->save_answers("p1", "claim-p1", {{"LS2", 4}, {"LS3", std::nullopt}}, 11).saved,
            2u);  // the same request again
  EXPECT_EQ(store->save_answers("p1", "claim-p1", {{"LS2", 5}}, 12).saved, 2u);  // changed in place
  const auto answers = store->answers_of("p1");
  ASSERT_EQ(answers.size(), 2u);
  EXPECT_EQ(answers[0].item_id == "LS2" ? answers[0].value : answers[1].value, 5);
  EXPECT_EQ(store->submit("p1", "claim-p1", 13), LinkRefusal::none);
  EXPECT_EQ(store->submit("p1", "claim-p1", 14), LinkRefusal::already_submitted);
  // Read-only after submission, whatever a caller believed.
  EXPECT_EQ(store->save_answers("p1", "claim-p1", {{"LS2", 1}}, 15).refusal,
            LinkRefusal::already_submitted);
  // In an anonymous cycle any link is revoked alike, started (p2) or
  // submitted (p1): it closes, and it stays counted, so that revoking says
  // nothing about what its person did.
  const auto version = store->find_cycle("c1")->answers_version;
  EXPECT_EQ(store->revoke_participant("p2"), RevokeOutcome::revoked);
  EXPECT_EQ(store->revoke_participant("p2"), RevokeOutcome::already_revoked);
  EXPECT_EQ(store->revoke_participant("p1"), RevokeOutcome::revoked);
  EXPECT_EQ(store->revoke_participant("nobody"), RevokeOutcome::not_found);
  EXPECT_TRUE(store->find_participant("p1")->link_closed);
  EXPECT_FALSE(store->find_participant("p1")->revoked);
  EXPECT_EQ(store->cycle_answers("c1").size(), 2u) << "both still counted";
  EXPECT_EQ(store->find_cycle("c1")->answers_version, version) << "no result changed";
  EXPECT_EQ(store->save_answers("p2", "claim-p2", {{"LS2", 1}}, 15).refusal, LinkRefusal::revoked);
  EXPECT_EQ(store->submit("p2", "claim-p2", 15), LinkRefusal::revoked);
  EXPECT_EQ(store->resume_link("p2", "x", "y", "z"), ClaimOutcome::revoked);
  store->create_participants(
      {Participant{"p3", "c1", "", "", "", false, std::nullopt, 5, "", std::nullopt}}, {"hash3"});
  EXPECT_EQ(store->revoke_participant("p3"), RevokeOutcome::revoked);
  EXPECT_EQ(store->claim_link("p3", "claim-p3", "resume-p3"), ClaimOutcome::revoked);
  EXPECT_EQ(store->save_answers("nobody", "claim-nobody", {{"LS2", 1}}, 15).refusal,
            LinkRefusal::unknown_link);
  EXPECT_TRUE(store->find_participant("p1")->submitted_at.has_value());
  EXPECT_EQ(store->find_participant_by_token("hash2")->label, "Ann");
}

TEST_F(StoreTest, CycleAnswersGroupByParticipantAndSkipRevoked) {
  make_cycle(/*anonymous=*/false);
  store->save_answers("p1", "claim-p1", {{"LS2", 4}}, 10);
  store->save_answers("p2", "claim-p2", {{"LS2", 2}, {"GO2", 3}}, 10);
  auto all = store->cycle_answers("c1");
  ASSERT_EQ(all.size(), 2u);
  EXPECT_EQ(all[0].answers.size(), 1u);
  EXPECT_EQ(all[1].answers.size(), 2u);
  store->revoke_participant("p2");
  all = store->cycle_answers("c1");
  ASSERT_EQ(all.size(), 1u);
  EXPECT_EQ(all[0].participant.role, "executive");
}

TEST_F(StoreTest, SubmissionsAndRevocationsBumpTheAnswersVersion) {
  make_cycle(/*anonymous=*/false);
  EXPECT_EQ(store->find_cycle("c1")->answers_version, 0);
  store->save_answers("p1", "claim-p1", {{"LS2", 4}}, 10);
  EXPECT_EQ(store->find_cycle("c1")->answers_version, 0);  // saved, not submitted
  store->submit("p1", "claim-p1", 11);
  EXPECT_EQ(store->find_cycle("c1")->answers_version, 1);
  store->submit("p1", "claim-p1", 12);  // already submitted: no change
  EXPECT_EQ(store->find_cycle("c1")->answers_version, 1);
  store->revoke_participant("p2");
  EXPECT_EQ(store->find_cycle("c1")->answers_version, 2);
}

TEST_F(StoreTest, CyclesUpdateAndList) {
  make_cycle();
  auto c = *store->find_cycle("c1");
  EXPECT_EQ(c.model_yaml, "");  // read on demand only
  EXPECT_EQ(store->cycle_model_yaml("c1"), "yaml");
  EXPECT_EQ(c.closes_at, 99);
  EXPECT_FALSE(c.opens_at);
  // Settings only while a draft; transitions only from the stored status.
  c.opens_at = 5;
  EXPECT_EQ(store->update_draft_cycle(c), CycleChange::conflict);
  EXPECT_FALSE(store->find_cycle("c1")->opens_at);
  EXPECT_EQ(store->transition_cycle("c1", CycleStatus::draft, CycleStatus::open, 1000),
            CycleChange::conflict);
  EXPECT_EQ(store->transition_cycle("c1", CycleStatus::open, CycleStatus::closed, 1000),
            CycleChange::done);
  EXPECT_EQ(store->transition_cycle("c1", CycleStatus::open, CycleStatus::closed, 1000),
            CycleChange::conflict);
  EXPECT_EQ(store->transition_cycle("nope", CycleStatus::open, CycleStatus::closed, 1000),
            CycleChange::not_found);
  EXPECT_EQ(store->find_cycle("c1")->status, CycleStatus::closed);
  EXPECT_FALSE(store->create_participants(
      {Participant{"p3", "c1", "", "", "", false, std::nullopt, 3, "", std::nullopt}}, {"hash3"}));
  EXPECT_EQ(store->save_answers("p1", "claim-p1", {{"LS2", 1}}, 15).refusal,
            LinkRefusal::cycle_not_open);
  EXPECT_EQ(store->save_answers("p3", "claim-p3", {{"LS2", 1}}, 15).refusal,
            LinkRefusal::unknown_link);
  EXPECT_EQ(store->submit("p1", "claim-p1", 15), LinkRefusal::cycle_not_open);
  EXPECT_TRUE(store->answers_of("p3").empty());
  store->create_cycle(Cycle{"c2", "o1", "Autumn", CycleStatus::draft, "yaml", true, 3, std::nullopt,
                            std::nullopt, 2});
  auto draft = *store->find_cycle("c2");
  draft.opens_at = 5;
  draft.min_group_size = 7;
  EXPECT_EQ(store->update_draft_cycle(draft), CycleChange::done);
  EXPECT_EQ(store->find_cycle("c2")->opens_at, 5);
  EXPECT_EQ(store->find_cycle("c2")->min_group_size, 7);
  EXPECT_EQ(store->cycles_of("o1").size(), 2u);
}

// A link is claimed once; another browser needs the resume code, and ten
// wrong codes lock it. Writes need the claim.
TEST_F(StoreTest, ALinkIsClaimedOnceAndResumedWithItsCode) {
  make_cycle(/*anonymous=*/false);
  auto add = [&](const std::string& id) {
    store->create_participants({Participant{id, "c1", "", "", "", false, std::nullopt, 3}},
                               {"hash-" + id});
  };
  add("p4");
  EXPECT_EQ(store->resume_link("p4", "r4", "x", "y"), ClaimOutcome::unclaimed);
  EXPECT_EQ(store->save_answers("p4", "a4", {{"LS2", 1}}, 10).refusal, LinkRefusal::not_claimed);
  EXPECT_EQ(store->claim_link("p4", "a4", "r4"), ClaimOutcome::claimed);
  EXPECT_EQ(store->find_participant("p4")->claim_hash, "a4");
  EXPECT_EQ(store->claim_link("p4", "b4", "other"), ClaimOutcome::already_claimed);
  EXPECT_EQ(store->save_answers("p4", "b4", {{"LS2", 1}}, 10).refusal, LinkRefusal::not_claimed);
  EXPECT_EQ(store->save_answers("p4", "", {{"LS2", 1}}, 10).refusal, LinkRefusal::not_claimed);
  EXPECT_EQ(store->save_answers("p4", "a4", {{"LS2", 2}}, 10).refusal, LinkRefusal::none);
  EXPECT_EQ(store->submit("p4", "b4", 11), LinkRefusal::not_claimed);
  // Another device takes over with the code; the first one loses the link.
  EXPECT_EQ(store->resume_link("p4", "wrong", "b4", "r4-next"), ClaimOutcome::wrong_code);
  EXPECT_EQ(store->resume_link("p4", "r4", "b4", "r4-next"), ClaimOutcome::resumed);
  EXPECT_EQ(store->resume_link("p4", "r4", "a4", "x"),
            ClaimOutcome::wrong_code);  // the old code is retired
  EXPECT_EQ(store->save_answers("p4", "a4", {{"LS2", 3}}, 12).refusal, LinkRefusal::not_claimed);
  EXPECT_EQ(store->save_answers("p4", "b4", {{"LS2", 4}}, 12).refusal, LinkRefusal::none);
  EXPECT_EQ(store->answers_of("p4")[0].value, 4);
  EXPECT_EQ(store->submit("p4", "b4", 13), LinkRefusal::none);
  EXPECT_EQ(store->claim_link("p4", "c4", "r"), ClaimOutcome::submitted);
  EXPECT_EQ(store->resume_link("p4", "r4-next", "c4", "x"), ClaimOutcome::submitted);
  // Ten wrong codes lock it, even against the right one.
  add("p5");
  ASSERT_EQ(store->claim_link("p5", "a5", "r5"), ClaimOutcome::claimed);
  for (int i = 1; i < kMaxResumeFailures; ++i) {
    EXPECT_EQ(store->resume_link("p5", "guess", "x", "y"), ClaimOutcome::wrong_code);
  }
  EXPECT_EQ(store->resume_link("p5", "guess", "x", "y"), ClaimOutcome::locked);
  EXPECT_EQ(store->resume_link("p5", "r5", "x", "y"), ClaimOutcome::locked);
  EXPECT_EQ(store->save_answers("p5", "a5", {{"LS2", 1}}, 14).refusal,
            LinkRefusal::none);  // its browser goes on
  EXPECT_EQ(store->revoke_participant("p5"), RevokeOutcome::revoked);
  EXPECT_EQ(store->claim_link("p5", "z", "z"), ClaimOutcome::revoked);
  EXPECT_EQ(store->claim_link("nobody", "z", "z"), ClaimOutcome::unknown_link);
  // Claims are not submissions: reports need not be recomputed.
  EXPECT_EQ(store->find_cycle("c1")->answers_version, 2);  // p4 submitted, p5 revoked
}

// Closing an anonymous cycle publishes the waiting submissions only when
// there are at least min_group_size of them; a non-anonymous one never
// needs to.
TEST_F(StoreTest, ClosingAnAnonymousCycleReleasesInStepsOfTheMinimumGroup) {
  make_cycle();  // anonymous, minimum group 3; p1 and p2 claimed
  for (const std::string id : {"p3", "p4", "p5"}) {
    store->create_participants({Participant{id, "c1", "", "", "", false, std::nullopt, 3}},
                               {"hash-" + id});
    claim(*store, id);
  }
  auto submit = [&](const std::string& id) {
    ASSERT_EQ(store->save_answers(id, "claim-" + id, {{"LS2", 3}}, 10).refusal, LinkRefusal::none);
    ASSERT_EQ(store->submit(id, "claim-" + id, 11), LinkRefusal::none);
  };
  auto close_and_reopen = [&] {
    EXPECT_EQ(store->transition_cycle("c1", CycleStatus::open, CycleStatus::closed, 1000),
              CycleChange::done);
    const int releases = store->find_cycle("c1")->releases;
    EXPECT_EQ(store->transition_cycle("c1", CycleStatus::closed, CycleStatus::open, 1000),
              CycleChange::done);
    return releases;
  };
  submit("p1");
  submit("p2");
  EXPECT_EQ(close_and_reopen(), 0);  // two are fewer than three: held back
  EXPECT_FALSE(store->find_participant("p1")->released_in);
  submit("p3");
  const auto before = store->find_cycle("c1")->answers_version;
  EXPECT_EQ(close_and_reopen(), 1);
  EXPECT_EQ(store->find_cycle("c1")->answers_version, before + 1);  // reports recompute
  for (const std::string id : {"p1", "p2", "p3"})
    EXPECT_EQ(store->find_participant(id)->released_in, 1) << id;
  submit("p4");
  EXPECT_EQ(close_and_reopen(), 1);
  EXPECT_FALSE(store->find_participant("p4")->released_in);
  submit("p5");
  store->create_participants({Participant{"p6", "c1", "", "", "", false, std::nullopt, 3}},
                             {"hash-p6"});
  claim(*store, "p6");
  submit("p6");
  EXPECT_EQ(close_and_reopen(), 2);
  for (const std::string id : {"p4", "p5", "p6"})
    EXPECT_EQ(store->find_participant(id)->released_in, 2) << id;

  store->create_cycle(Cycle{"c2", "o1", "Open", CycleStatus::open, "yaml", false, 3, std::nullopt,
                            std::nullopt, 2});
  store->create_participants({Participant{"n1", "c2", "", "", "", false, std::nullopt, 3}},
                             {"hash-n1"});
  claim(*store, "n1");
  submit("n1");
  ASSERT_EQ(store->transition_cycle("c2", CycleStatus::open, CycleStatus::closed, 1000),
            CycleChange::done);
  EXPECT_EQ(store->find_cycle("c2")->releases, 0);
  EXPECT_EQ(store->revoke_participant("n1"), RevokeOutcome::revoked);  // not anonymous: allowed
}

// Many threads writing at once: every acknowledged write is there, and a
// refused write in the same group does not take the others down.
TEST_F(StoreTest, GroupCommitKeepsEveryAcknowledgedWrite) {
  make_cycle();
  std::vector<std::string> ids;
  std::vector<Participant> people;
  std::vector<std::string> hashes;
  for (int i = 0; i < 64; ++i) {
    ids.push_back("q" + std::to_string(i));
    people.push_back(
        Participant{ids.back(), "c1", "", "", "", false, std::nullopt, 5, "", std::nullopt});
    hashes.push_back("h" + std::to_string(i));
  }
  store->create_participants(people, hashes);
  for (const auto& id : ids) claim(*store, id);
  std::atomic<int> acknowledged{0}, conflicts{0};
  std::vector<std::thread> threads;
  for (int t = 0; t < 16; ++t) {
    threads.emplace_back([&, t] {
      for (int i = t; i < 64; i += 16) {
        store->save_answers(ids[static_cast<std::size_t>(i)],
                            "claim-" + ids[static_cast<std::size_t>(i)], {{"LS2", 1 + i % 5}}, 20);
        ++acknowledged;
        if (!store->create_user(
                User{"dup" + std::to_string(i), "same@example.org", "X", "h", false, 1})) {
          ++conflicts;
        }
      }
    });
  }
  for (auto& t : threads) t.join();
  EXPECT_EQ(acknowledged, 64);
  EXPECT_EQ(conflicts, 63);  // exactly one insert of the shared e-mail won
  std::size_t stored = 0;
  for (const auto& p : store->cycle_answers("c1")) stored += p.answers.size();
  EXPECT_EQ(stored, 64u);
}

}  // namespace
}  // namespace cxm::store

namespace cxm::store {
namespace {

// Writes on SQLite (one writer) and on a private PostgreSQL cluster (several
// writers, a participant's writes always on the same one).
class Concurrency : public ::testing::TestWithParam<std::string> {
 protected:
  TempDir dir;
  std::unique_ptr<Store> store;

  void SetUp() override {
    std::string error;
    const auto url = parse_database_url(cxm::testing::test_database(GetParam(), dir.path()), error);
    ASSERT_TRUE(url) << error;
    store = Store::open(*url);
  }

  // A second store on the same database: its own connections, as another
  // cxm process has.
  std::unique_ptr<Store> other() { return Store::open(store->url()); }

  // A live workshop "w1" (join code ABC234) of cycle c1, one step: LS2.
  WorkshopStart start_workshop_on_ls2() {
    Workshop w;
    w.id = "w1";
    w.cycle_id = "c1";
    w.code = "ABC234";
    w.pace = cxm::core::Pace::statement;
    w.step_order = cxm::core::StepOrder::model;
    w.steps = {{"LS2"}};
    w.created_by = "u1";
    w.created_at = 5;
    return store->start_workshop(w);
  }
  void make_open_cycle() {
    store->create_organization(Organization{"o1", "Acme", "Retail", "50-249", {}, false, 1},
                               std::nullopt);
    store->create_cycle(
        Cycle{"c1", "o1", "Spring", CycleStatus::open, "yaml", true, 3, std::nullopt, 99, 2});
  }
  void add_participant(const std::string& id) {
    store->create_participants(
        {Participant{id, "c1", "", "", "", false, std::nullopt, 3, "", std::nullopt}},
        {"hash-" + id});
    claim(*store, id);
  }
};

// Every participant's saves are queued without waiting, several per
// participant: each participant ends with the value it was sent last, and
// once submitted takes no more.
TEST_P(Concurrency, EachParticipantsWritesStayInOrder) {
  store->create_organization(Organization{"o1", "Acme", "Retail", "50-249", {}, false, 1},
                             std::nullopt);
  store->create_cycle(
      Cycle{"c1", "o1", "Spring", CycleStatus::open, "yaml", true, 3, std::nullopt, 99, 2});
  constexpr int kPeople = 48;
  constexpr int kSaves = 12;
  std::vector<Participant> people;
  std::vector<std::string> hashes;
  for (int i = 0; i < kPeople; ++i) {
    people.push_back(Participant{"p" + std::to_string(i), "c1", "", "", "", false, std::nullopt, 3,
                                 "", std::nullopt});
    hashes.push_back("h" + std::to_string(i));
  }
  store->create_participants(people, hashes);
  for (const auto& p : people) claim(*store, p.id);
  std::mutex mutex;
  std::condition_variable all_done;
  int done = 0, failed = 0;
  for (int round = 0; round < kSaves; ++round) {
    for (int i = 0; i < kPeople; ++i) {
      const int value = 1 + (round + i) % 5;
      store->save_answers_async(AnswerWrite{"p" + std::to_string(i),
                                            "claim-p" + std::to_string(i),
                                            {{"LS2", value}, {"LS3", round % 5 + 1}},
                                            {},
                                            10 + round},
                                [&](const SaveOutcome* saved, const StoreError*) {
                                  std::lock_guard lock(mutex);
                                  ++done;
                                  if (!saved || saved->refusal != LinkRefusal::none) ++failed;
                                  all_done.notify_one();
                                });
    }
  }
  {
    std::unique_lock lock(mutex);
    all_done.wait(lock, [&] { return done == kPeople * kSaves; });
  }
  EXPECT_EQ(failed, 0);
  for (int i = 0; i < kPeople; ++i) {
    const auto answers = store->answers_of("p" + std::to_string(i));
    ASSERT_EQ(answers.size(), 2u);
    for (const auto& a : answers) {
      const int expected = a.item_id == "LS2" ? 1 + (kSaves - 1 + i) % 5 : (kSaves - 1) % 5 + 1;
      EXPECT_EQ(a.value, expected) << "p" << i << " " << a.item_id;
    }
  }
  // A submission queued behind saves of the same participant comes after them.
  for (int i = 0; i < kPeople; i += 2) {
    store->save_answers_async(
        AnswerWrite{"p" + std::to_string(i), "claim-p" + std::to_string(i), {{"LS4", 2}}, {}, 50},
        [](const SaveOutcome*, const StoreError*) {});
    EXPECT_EQ(store->submit("p" + std::to_string(i), "claim-p" + std::to_string(i), 51),
              LinkRefusal::none);
    EXPECT_EQ(
        store
            ->save_answers("p" + std::to_string(i), "claim-p" + std::to_string(i), {{"LS4", 3}}, 52)
            .refusal,
        LinkRefusal::already_submitted);
    const auto answers = store->answers_of("p" + std::to_string(i));
    EXPECT_EQ(answers.size(), 3u) << "the save queued before the submission is kept";
  }
}

// A cycle closed through one store while another saves: every save that
// starts after the close was acknowledged is refused, and so is the submit.
TEST_P(Concurrency, AClosedCycleRefusesWritesFromAnotherStoreAtOnce) {
  make_open_cycle();
  auto b = other();
  for (int round = 0; round < 20; ++round) {
    const std::string p = "p" + std::to_string(round);
    add_participant(p);
    std::atomic<bool> closed{false};
    std::atomic<int> accepted{0}, wrong{0};
    std::thread saver([&] {
      for (int i = 0; i < 1000; ++i) {
        const bool after_close = closed.load();
        const auto outcome = b->save_answers(p, "claim-" + p, {{"LS2", 1 + i % 5}}, 10 + i);
        if (outcome.refusal == LinkRefusal::none) {
          ++accepted;
          if (after_close) ++wrong;
        } else if (outcome.refusal == LinkRefusal::cycle_not_open) {
          if (after_close) return;
        } else {
          ++wrong;
        }
      }
    });
    std::this_thread::sleep_for(std::chrono::microseconds(500 * (round % 7)));
    ASSERT_EQ(store->transition_cycle("c1", CycleStatus::open, CycleStatus::closed, 1000),
              CycleChange::done);
    closed = true;
    saver.join();
    EXPECT_EQ(wrong, 0) << "round " << round;
    EXPECT_EQ(b->submit(p, "claim-" + p, 5000), LinkRefusal::cycle_not_open);
    ASSERT_EQ(b->transition_cycle("c1", CycleStatus::closed, CycleStatus::open, 1000),
              CycleChange::done);
  }
}

// New links are refused inside the write once the cycle is closed, through
// whichever store closed it; a reopened cycle takes them again.
TEST_P(Concurrency, AClosedCycleTakesNoNewLinks) {
  make_open_cycle();
  auto b = other();
  ASSERT_EQ(store->transition_cycle("c1", CycleStatus::open, CycleStatus::closed, 1000),
            CycleChange::done);
  EXPECT_FALSE(b->create_participants(
      {Participant{"late", "c1", "", "", "", false, std::nullopt, 3, "", std::nullopt}},
      {"h-late"}));
  EXPECT_TRUE(b->participants_of("c1").empty());
  EXPECT_FALSE(b->create_participants(
      {Participant{"x", "no-such-cycle", "", "", "", false, std::nullopt, 3, "", std::nullopt}},
      {"h-x"}));
  ASSERT_EQ(b->transition_cycle("c1", CycleStatus::closed, CycleStatus::open, 1000),
            CycleChange::done);
  EXPECT_TRUE(store->create_participants(
      {Participant{"late", "c1", "", "", "", false, std::nullopt, 3, "", std::nullopt}},
      {"h-late"}));
  EXPECT_EQ(b->participants_of("c1").size(), 1u);
}

// Two stores racing the same transition, submission or revocation: exactly
// one wins, the other is told; no update is lost.
TEST_P(Concurrency, RacingWritesThroughTwoStoresHaveOneWinner) {
  make_open_cycle();
  auto b = other();
  for (int round = 0; round < 20; ++round) {
    const std::string p = "p" + std::to_string(round);
    add_participant(p);
    ASSERT_EQ(store->save_answers(p, "claim-" + p, {{"LS2", 3}}, 10).refusal, LinkRefusal::none);
    LinkRefusal first{}, second{};
    std::thread t1([&] { first = store->submit(p, "claim-" + p, 20); });
    std::thread t2([&] { second = b->submit(p, "claim-" + p, 21); });
    t1.join();
    t2.join();
    EXPECT_EQ((first == LinkRefusal::none) + (second == LinkRefusal::none), 1) << "round " << round;
    EXPECT_EQ(
        (first == LinkRefusal::already_submitted) + (second == LinkRefusal::already_submitted), 1);

    // (A submitted link of this anonymous cycle closes; it stays counted.)
    EXPECT_EQ(b->revoke_participant(p), RevokeOutcome::revoked);
    EXPECT_TRUE(store->find_participant(p)->link_closed);
    // A link nobody started can be.
    store->create_participants(
        {Participant{p + "r", "c1", "", "", "", false, std::nullopt, 3, "", std::nullopt}},
        {"hash-" + p + "r"});
    RevokeOutcome revoked_a{}, revoked_b{};
    std::thread r1([&] { revoked_a = store->revoke_participant(p + "r"); });
    std::thread r2([&] { revoked_b = b->revoke_participant(p + "r"); });
    r1.join();
    r2.join();
    EXPECT_EQ((revoked_a == RevokeOutcome::revoked) + (revoked_b == RevokeOutcome::revoked), 1);
    EXPECT_EQ((revoked_a == RevokeOutcome::already_revoked) +
                  (revoked_b == RevokeOutcome::already_revoked),
              1);

    CycleChange close_a{}, close_b{};
    std::thread c1([&] {
      close_a = store->transition_cycle("c1", CycleStatus::open, CycleStatus::closed, 1000);
    });
    std::thread c2(
        [&] { close_b = b->transition_cycle("c1", CycleStatus::open, CycleStatus::closed, 1000); });
    c1.join();
    c2.join();
    EXPECT_EQ((close_a == CycleChange::done) + (close_b == CycleChange::done), 1);
    EXPECT_EQ((close_a == CycleChange::conflict) + (close_b == CycleChange::conflict), 1);
    ASSERT_EQ(b->transition_cycle("c1", CycleStatus::closed, CycleStatus::open, 1000),
              CycleChange::done);
  }
  // A submission per round moved the version once, and so did every
  // release: a close with at least 3 new submissions (rounds 3, 6, ... 18),
  // whichever store closed it. Revoking in an anonymous cycle closes the
  // link and changes no result: the version stays.
  const auto cycle = store->find_cycle("c1");
  EXPECT_EQ(cycle->releases, 6);
  EXPECT_EQ(cycle->answers_version, 20 + 6);
}

// Changes made through one store reach a watcher on another.
TEST_P(Concurrency, ChangesReachAWatcherOnAnotherStore) {
  make_open_cycle();
  // Not started: a started link of an anonymous cycle is not revoked.
  store->create_participants(
      {Participant{"p1", "c1", "", "", "", false, std::nullopt, 3, "", std::nullopt}}, {"hash-p1"});
  auto b = other();
  std::mutex mutex;
  std::condition_variable arrived;
  std::vector<std::string> seen;
  b->watch_changes(ChangeListener{[&](const Change& c) {
                                    std::lock_guard lock(mutex);
                                    seen.push_back(std::to_string(static_cast<int>(c.kind)) + ":" +
                                                   c.key);
                                    arrived.notify_all();
                                  },
                                  [] {}});
  auto wait_for = [&](ChangeKind kind, const std::string& key) {
    const std::string wanted = std::to_string(static_cast<int>(kind)) + ":" + key;
    std::unique_lock lock(mutex);
    return arrived.wait_for(lock, std::chrono::seconds(10), [&] {
      return std::find(seen.begin(), seen.end(), wanted) != seen.end();
    });
  };
  std::this_thread::sleep_for(std::chrono::milliseconds(300));  // the watcher is listening
  store->transition_cycle("c1", CycleStatus::open, CycleStatus::closed, 1000);
  EXPECT_TRUE(wait_for(ChangeKind::cycle, "c1"));
  EXPECT_EQ(store->revoke_participant("p1"), RevokeOutcome::revoked);
  EXPECT_TRUE(wait_for(ChangeKind::link, "hash-p1"));
  store->delete_session("token-hash");
  EXPECT_TRUE(wait_for(ChangeKind::session, "token-hash"));
  store->create_user(User{"u1", "v@example.org", "V", "h", false, 1});
  store->add_membership(Membership{"u1", "o1", OrgRole::viewer});
  EXPECT_TRUE(wait_for(ChangeKind::membership, "u1|o1"));
  b->stop_watching();
}

// A watcher tells the changes of its own store (this process) from those of
// another: a workshop handler publishes its own change itself, and only
// another process's change is rebuilt from the feed (api/cycle_events.h).
TEST_P(Concurrency, AWatcherTellsItsOwnChangesFromAnotherStores) {
  make_open_cycle();
  auto b = other();
  std::mutex mutex;
  std::condition_variable arrived;
  std::vector<std::pair<std::string, bool>> seen;  // cycle id, own
  store->watch_changes(ChangeListener{[&](const Change& c) {
                                        if (c.kind != ChangeKind::cycle) return;
                                        std::lock_guard lock(mutex);
                                        seen.emplace_back(c.key, c.own);
                                        arrived.notify_all();
                                      },
                                      [] {}});
  auto wait_for = [&](const std::string& key) -> std::optional<bool> {
    std::unique_lock lock(mutex);
    std::optional<bool> own;
    arrived.wait_for(lock, std::chrono::seconds(10), [&] {
      for (const auto& [k, o] : seen) {
        if (k == key) own = o;
      }
      return own.has_value();
    });
    return own;
  };
  std::this_thread::sleep_for(std::chrono::milliseconds(300));  // the watcher is listening
  store->create_cycle(
      Cycle{"c2", "o1", "Autumn", CycleStatus::draft, "yaml", true, 3, std::nullopt, 99, 2});
  store->transition_cycle("c2", CycleStatus::draft, CycleStatus::open, 1000);
  b->create_cycle(
      Cycle{"c3", "o1", "Winter", CycleStatus::draft, "yaml", true, 3, std::nullopt, 99, 2});
  b->transition_cycle("c3", CycleStatus::draft, CycleStatus::open, 1000);
  const auto own = wait_for("c2");
  const auto others = wait_for("c3");
  ASSERT_TRUE(own && others);
  EXPECT_TRUE(*own) << "a change of this store came as another process's";
  EXPECT_FALSE(*others) << "another store's change came as this store's own";
  store->stop_watching();
}

// A process of the previous version announces "KIND:KEY" without an
// origin (PostgreSQL): its changes still reach this process's watcher, as
// another process's.
TEST_P(Concurrency, AnAnnouncementWithoutAnOriginComesAsAnotherProcesss) {
  if (GetParam() != "postgresql") GTEST_SKIP() << "SQLite announces through its changes table";
  std::mutex mutex;
  std::condition_variable arrived;
  std::optional<bool> own;
  store->watch_changes(ChangeListener{[&](const Change& c) {
                                        if (c.kind != ChangeKind::cycle || c.key != "c9") return;
                                        std::lock_guard lock(mutex);
                                        own = c.own;
                                        arrived.notify_all();
                                      },
                                      [] {}});
  std::this_thread::sleep_for(std::chrono::milliseconds(300));  // the watcher is listening
  auto sql = connect(store->url(), StoreOptions{});
  *sql << "SELECT pg_notify('cxm_changes', 'cycle:c9')";
  std::unique_lock lock(mutex);
  arrived.wait_for(lock, std::chrono::seconds(10), [&] { return own.has_value(); });
  ASSERT_TRUE(own.has_value()) << "an announcement without an origin was dropped";
  EXPECT_FALSE(*own);
  lock.unlock();
  store->stop_watching();
}

// Issue 21: one link check for every kind of link. An invited link's
// questionnaire and a workshop seat's phone are refused alike, by the
// same check inside the one answer write, and neither takes the other's
// answers; nothing refused is saved.
TEST_P(Concurrency, EveryKindOfLinkIsRefusedByTheOneLinkCheck) {
  make_open_cycle();
  ASSERT_EQ(start_workshop_on_ls2(), WorkshopStart::started);
  add_participant("q");  // claimed by "claim-q"
  Participant seat;
  seat.id = "s";
  seat.created_at = 6;
  ASSERT_EQ(
      store->join_workshop("ABC234", seat, Joiner{"device-s", "", false}, "token-s", "claim-s")
          .outcome,
      JoinOutcome::joined);
  auto b = other();  // the write through another process's store
  const auto questionnaire = [&](const std::string& claim) {
    return b->save_answers("q", claim, {{"LS2", 3}}, 10).refusal;
  };
  const auto phone = [&](const std::string& claim) {
    return b->save_workshop_answers("s", claim, 1, {{"LS2", 3}}, 10);
  };
  // Not claimed: another browser's secret, or none.
  EXPECT_EQ(questionnaire("claim-other"), LinkRefusal::not_claimed);
  EXPECT_EQ(phone("claim-other"), LinkRefusal::not_claimed);
  EXPECT_EQ(questionnaire(""), LinkRefusal::not_claimed);
  EXPECT_EQ(phone(""), LinkRefusal::not_claimed);
  // Each kind answers only its own way.
  EXPECT_EQ(b->save_answers("s", "claim-s", {{"LS2", 3}}, 10).refusal, LinkRefusal::workshop_link);
  EXPECT_EQ(b->save_workshop_answers("q", "claim-q", 1, {{"LS2", 3}}, 10),
            LinkRefusal::unknown_link);
  EXPECT_EQ(b->save_answers("nobody", "", {{"LS2", 3}}, 10).refusal, LinkRefusal::unknown_link);
  EXPECT_EQ(b->save_workshop_answers("nobody", "", 1, {{"LS2", 3}}, 10), LinkRefusal::unknown_link);
  // The cycle closed (through the other store): both refused, before any
  // workshop rule.
  ASSERT_EQ(store->transition_cycle("c1", CycleStatus::open, CycleStatus::closed, 1000),
            CycleChange::done);
  EXPECT_EQ(questionnaire("claim-q"), LinkRefusal::cycle_not_open);
  EXPECT_EQ(phone("claim-s"), LinkRefusal::cycle_not_open);
  ASSERT_EQ(store->transition_cycle("c1", CycleStatus::closed, CycleStatus::open, 1000),
            CycleChange::done);
  EXPECT_TRUE(b->answers_of("q").empty());
  EXPECT_TRUE(b->workshop_answers_of("s", 1).empty());
  // Both take answers with their claim, then revoked (in this anonymous
  // cycle a revoked link closes) both are refused alike.
  ASSERT_EQ(questionnaire("claim-q"), LinkRefusal::none);
  ASSERT_EQ(phone("claim-s"), LinkRefusal::none);
  ASSERT_EQ(store->revoke_participant("q"), RevokeOutcome::revoked);
  ASSERT_EQ(store->revoke_participant("s"), RevokeOutcome::revoked);
  EXPECT_EQ(b->save_answers("q", "claim-q", {{"LS2", 5}}, 11).refusal, LinkRefusal::revoked);
  EXPECT_EQ(b->save_workshop_answers("s", "claim-s", 1, {{"LS2", 5}}, 11), LinkRefusal::revoked);
  EXPECT_EQ(b->answers_of("q")[0].value, 3);
  EXPECT_EQ(b->workshop_answers_of("s", 1)[0].value, 3);
}

// A workshop's rule decided inside the one answer write, across
// processes: a workshop ended through one store while phones answer
// through another. No answer is accepted once the end has committed, and
// every accepted answer is kept (the count the projector reads).
TEST_P(Concurrency, AWorkshopEndedThroughOneStoreTakesNoLaterAnswerThroughAnother) {
  make_open_cycle();
  ASSERT_EQ(start_workshop_on_ls2(), WorkshopStart::started);
  constexpr int kSeats = 60;
  for (int i = 0; i < kSeats; ++i) {
    Participant seat;
    seat.id = "s" + std::to_string(i);
    seat.created_at = 6;
    ASSERT_EQ(store
                  ->join_workshop("ABC234", seat, Joiner{"device-" + seat.id, "", false},
                                  "token-" + seat.id, "claim-" + seat.id)
                  .outcome,
              JoinOutcome::joined);
  }
  auto b = other();
  std::atomic<bool> ended{false};
  int accepted = 0, wrong = 0;
  std::thread phones([&] {
    for (int i = 0; i < kSeats; ++i) {
      const std::string id = "s" + std::to_string(i);
      const bool after_end = ended.load();
      const auto refusal = b->save_workshop_answers(id, "claim-" + id, 1, {{"LS2", 3}}, 7);
      if (refusal == LinkRefusal::none) {
        ++accepted;
        if (after_end) ++wrong;
      } else if (refusal != LinkRefusal::workshop_ended) {
        ++wrong;
      }
    }
  });
  std::this_thread::sleep_for(std::chrono::milliseconds(GetParam() == "sqlite" ? 5 : 40));
  ASSERT_EQ(store->end_workshop("w1", 9), WorkshopChange::done);
  ended = true;
  phones.join();
  EXPECT_EQ(wrong, 0);
  const auto counts = store->workshop_answer_counts("w1", 1);
  EXPECT_EQ(counts.empty() ? 0 : static_cast<int>(counts[0].answered), accepted);
  EXPECT_EQ(b->save_workshop_answers("s0", "claim-s0", 1, {{"LS2", 4}}, 10),
            LinkRefusal::workshop_ended);
}

// Issue 28: the saves queued together run as one (one link check and one
// write of the rows for the group on PostgreSQL). Each keeps its own
// refusal and count: a refused save takes nothing and stops no other; a
// participant saving twice in the group has both saves applied in order;
// an item given twice in one save keeps its last value.
TEST_P(Concurrency, SavesQueuedTogetherKeepEachOnesRefusal) {
  make_open_cycle();
  ASSERT_EQ(start_workshop_on_ls2(), WorkshopStart::started);
  for (int i = 0; i < 12; ++i) add_participant("a" + std::to_string(i));
  for (const char* id : {"wrong", "done", "gone", "dup"}) add_participant(id);
  ASSERT_EQ(store->save_answers("done", "claim-done", {{"LS2", 1}}, 5).refusal, LinkRefusal::none);
  ASSERT_EQ(store->submit("done", "claim-done", 6), LinkRefusal::none);
  ASSERT_EQ(store->revoke_participant("gone"), RevokeOutcome::revoked);
  Participant seat;
  seat.id = "s";
  seat.created_at = 6;
  ASSERT_EQ(
      store->join_workshop("ABC234", seat, Joiner{"device-s", "", false}, "token-s", "claim-s")
          .outcome,
      JoinOutcome::joined);

  struct Expected {
    AnswerWrite write;
    LinkRefusal refusal;
    std::size_t saved;
  };
  std::vector<Expected> saves;
  for (int i = 0; i < 12; ++i) {
    const std::string id = "a" + std::to_string(i);
    saves.push_back({{id, "claim-" + id, {{"LS2", 1 + i % 5}, {"LS3", std::nullopt}}, {}, 10},
                     LinkRefusal::none,
                     2});
  }
  saves.push_back({{"wrong", "claim-other", {{"LS2", 1}}, {}, 10}, LinkRefusal::not_claimed, 0});
  saves.push_back({{"nobody", "", {{"LS2", 1}}, {}, 10}, LinkRefusal::unknown_link, 0});
  saves.push_back(
      {{"done", "claim-done", {{"LS2", 2}}, {}, 10}, LinkRefusal::already_submitted, 0});
  saves.push_back({{"gone", "claim-gone", {{"LS2", 2}}, {}, 10}, LinkRefusal::revoked, 0});
  saves.push_back({{"s", "claim-s", {{"LS2", 2}}, {}, 10}, LinkRefusal::workshop_link, 0});
  saves.push_back({{"s", "claim-s", {{"LS2", 4}}, {}, 10, 2}, LinkRefusal::wrong_round, 0});
  saves.push_back({{"s", "claim-s", {{"LS3", 4}}, {}, 10, 1}, LinkRefusal::not_current, 0});
  saves.push_back({{"s", "claim-s", {{"LS2", 4}}, {}, 10, 1}, LinkRefusal::none, 1});
  saves.push_back({{"dup", "claim-dup", {{"LS2", 1}, {"LS2", 5}}, {}, 10}, LinkRefusal::none, 1});
  // Second saves in the same group: one more item, one replaced.
  saves.push_back({{"a0", "claim-a0", {{"LS3", 4}, {"LS4", 2}}, {}, 11}, LinkRefusal::none, 3});
  saves.push_back({{"a5", "claim-a5", {{"LS2", 3}}, {}, 11}, LinkRefusal::none, 2});

  // Another connection holds what every save waits for (PostgreSQL: the
  // participants' rows; SQLite: the write lock) while they are queued:
  // the writers' groups gather them all.
  auto holder = connect(store->url(), StoreOptions{});
  if (GetParam() == "postgresql") {
    holder->begin();
    *holder << "LOCK TABLE participants IN EXCLUSIVE MODE";
  } else {
    *holder << "BEGIN IMMEDIATE";
  }
  std::mutex mutex;
  std::condition_variable all_done;
  std::vector<std::optional<SaveOutcome>> outcomes(saves.size());
  std::size_t done = 0, failed = 0;
  for (std::size_t i = 0; i < saves.size(); ++i) {
    store->save_answers_async(saves[i].write, [&, i](const SaveOutcome* saved, const StoreError*) {
      std::lock_guard lock(mutex);
      if (saved)
        outcomes[i] = *saved;
      else
        ++failed;
      ++done;
      all_done.notify_one();
    });
  }
  std::this_thread::sleep_for(std::chrono::milliseconds(100));
  if (GetParam() == "postgresql") {
    holder->commit();
  } else {
    *holder << "COMMIT";
  }
  {
    std::unique_lock lock(mutex);
    all_done.wait(lock, [&] { return done == saves.size(); });
  }
  EXPECT_EQ(failed, 0u);
  for (std::size_t i = 0; i < saves.size(); ++i) {
    ASSERT_TRUE(outcomes[i]) << i;
    EXPECT_EQ(outcomes[i]->refusal, saves[i].refusal) << i << " " << saves[i].write.participant_id;
    EXPECT_EQ(outcomes[i]->saved, saves[i].saved) << i << " " << saves[i].write.participant_id;
  }
  const auto value_of = [&](const std::string& id, const std::string& item) {
    for (const auto& a : store->answers_of(id)) {
      if (a.item_id == item) return a.value;
    }
    return std::optional<int>(-1);
  };
  for (int i = 1; i < 12; ++i) {
    const std::string id = "a" + std::to_string(i);
    EXPECT_EQ(value_of(id, "LS2"), i == 5 ? 3 : 1 + i % 5) << id;
    EXPECT_EQ(value_of(id, "LS3"), std::nullopt) << id;
  }
  EXPECT_EQ(value_of("a0", "LS2"), 1);
  EXPECT_EQ(value_of("a0", "LS3"), 4);
  EXPECT_EQ(value_of("a0", "LS4"), 2);
  EXPECT_EQ(value_of("dup", "LS2"), 5);
  EXPECT_TRUE(store->answers_of("wrong").empty());
  EXPECT_TRUE(store->answers_of("gone").empty());
  EXPECT_EQ(value_of("done", "LS2"), 1);
  const auto seat_answers = store->workshop_answers_of("s", 1);
  ASSERT_EQ(seat_answers.size(), 1u);
  EXPECT_EQ(seat_answers[0].value, 4);
  EXPECT_TRUE(store->workshop_answers_of("s", 2).empty());
}

// Two processes saving for the same participants at once, in opposite
// orders, each in groups: every save is acknowledged (a group that met the
// other's in a deadlock runs again save by save), and each participant
// ends with one of the two values sent last.
TEST_P(Concurrency, TwoStoresSavingTheSameParticipantsAtOnceLoseNothing) {
  make_open_cycle();
  constexpr int kPeople = 64;
  for (int i = 0; i < kPeople; ++i) add_participant("p" + std::to_string(i));
  auto b = other();
  std::mutex mutex;
  std::condition_variable all_done;
  int done = 0, failed = 0;
  constexpr int kRounds = 5;
  const auto save_all = [&](Store& s, bool reversed, int value) {
    for (int round = 0; round < kRounds; ++round) {
      for (int n = 0; n < kPeople; ++n) {
        const int i = reversed ? kPeople - 1 - n : n;
        const std::string id = "p" + std::to_string(i);
        s.save_answers_async(
            AnswerWrite{id, "claim-" + id, {{"LS2", value}, {"LS3", round + 1}}, {}, 10},
            [&](const SaveOutcome* saved, const StoreError*) {
              std::lock_guard lock(mutex);
              ++done;
              if (!saved || saved->refusal != LinkRefusal::none) ++failed;
              all_done.notify_one();
            });
      }
    }
  };
  std::thread one([&] { save_all(*store, false, 1); });
  std::thread two([&] { save_all(*b, true, 2); });
  one.join();
  two.join();
  {
    std::unique_lock lock(mutex);
    all_done.wait(lock, [&] { return done == 2 * kPeople * kRounds; });
  }
  EXPECT_EQ(failed, 0);
  for (int i = 0; i < kPeople; ++i) {
    const auto answers = store->answers_of("p" + std::to_string(i));
    ASSERT_EQ(answers.size(), 2u);
    for (const auto& a : answers) {
      if (a.item_id == "LS2")
        EXPECT_TRUE(a.value == 1 || a.value == 2);
      else
        EXPECT_EQ(a.value, kRounds);
    }
  }
}

// Migration 25: a database of schema 24, with a workshop's second-round
// answers apart in round_answers, opens with every answer where it was:
// the questionnaire's and round 1's as round 1, round 2's as round 2.
TEST_P(Concurrency, AnOlderDatabasesRoundTwoAnswersMoveIntoAnswers) {
  make_open_cycle();
  ASSERT_EQ(start_workshop_on_ls2(), WorkshopStart::started);
  for (const char* id : {"s1", "s2"}) {
    Participant seat;
    seat.id = id;
    seat.created_at = 6;
    ASSERT_EQ(store
                  ->join_workshop("ABC234", seat, Joiner{std::string("device-") + id, "", false},
                                  std::string("token-") + id, std::string("claim-") + id)
                  .outcome,
              JoinOutcome::joined);
  }
  ASSERT_EQ(store->save_workshop_answers("s1", "claim-s1", 1, {{"LS2", 1}}, 7), LinkRefusal::none);
  ASSERT_EQ(store->save_workshop_answers("s2", "claim-s2", 1, {{"LS2", std::nullopt}}, 7),
            LinkRefusal::none);
  ASSERT_EQ(store->start_second_round("w1", {{"LS2"}}), WorkshopChange::done);
  ASSERT_EQ(store->save_workshop_answers("s1", "claim-s1", 2, {{"LS2", 4}}, 8), LinkRefusal::none);
  add_participant("q");
  ASSERT_EQ(store->save_answers("q", "claim-q", {{"LS2", 5}, {"LS3", std::nullopt}}, 9).refusal,
            LinkRefusal::none);
  const DatabaseUrl url = store->url();
  store.reset();
  {
    auto sql = connect(url, StoreOptions{});
    // 26 first: the workshop's steps back as text (one step, LS2, in both rounds).
    *sql << "DROP TABLE workshop_steps";
    *sql << "ALTER TABLE workshops ADD COLUMN steps TEXT NOT NULL DEFAULT 'LS2'";
    *sql << "ALTER TABLE workshops ADD COLUMN second_steps TEXT NOT NULL DEFAULT 'LS2'";
    *sql << "ALTER TABLE changes DROP COLUMN origin";
    undo_round_column(*sql);
    *sql << "DELETE FROM schema_migrations WHERE version >= 25";
    long long apart = 0, first = 0;
    *sql << "SELECT COUNT(*) FROM round_answers", soci::into(apart);
    *sql << "SELECT COUNT(*) FROM answers", soci::into(first);
    ASSERT_EQ(apart, 1);  // schema 24: round 2 apart
    ASSERT_EQ(first, 4);
  }
  store = Store::open(url);
  EXPECT_EQ(store->schema_version(), latest_schema_version());
  const auto round_one = store->workshop_answers_of("s1", 1);
  ASSERT_EQ(round_one.size(), 1u);
  EXPECT_EQ(round_one[0].value, 1);
  const auto round_two = store->workshop_answers_of("s1", 2);
  ASSERT_EQ(round_two.size(), 1u);
  EXPECT_EQ(round_two[0].value, 4);
  ASSERT_EQ(store->workshop_answers_of("s2", 1).size(), 1u);
  EXPECT_FALSE(store->workshop_answers_of("s2", 1)[0].value);  // "don't know" kept
  EXPECT_TRUE(store->workshop_answers_of("s2", 2).empty());
  EXPECT_EQ(store->workshop_answer_counts("w1", 1)[0].answered, 2u);
  EXPECT_EQ(store->workshop_answer_counts("w1", 2)[0].answered, 1u);
  EXPECT_EQ(store->answers_of("q").size(), 2u);
  EXPECT_EQ(store->answers_of("s1").size(), 1u);  // round 1 only
  // The rounds' rules read the moved rows: s2 answered round 1, a changed
  // round-2 answer replaces its row.
  EXPECT_EQ(store->save_workshop_answers("s2", "claim-s2", 2, {{"LS2", 2}}, 10), LinkRefusal::none);
  EXPECT_EQ(store->save_workshop_answers("s1", "claim-s1", 2, {{"LS2", 3}}, 10), LinkRefusal::none);
  EXPECT_EQ(store->workshop_answers_of("s1", 2)[0].value, 3);
  EXPECT_EQ(store->workshop_answer_counts("w1", 2)[0].answered, 2u);
  auto sql = connect(url, StoreOptions{});
  EXPECT_THROW(*sql << "SELECT COUNT(*) FROM round_answers", soci::soci_error);
}

INSTANTIATE_TEST_SUITE_P(Databases, Concurrency, ::testing::Values("sqlite", "postgresql"),
                         [](const auto& info) { return info.param; });

}  // namespace
}  // namespace cxm::store
