// Live workshops as stored: the second round's answers apart from the
// first's, the reveal's frozen histogram, the lock after it, the code
// freed at the end, and threads racing a reveal against answers.
#include <gtest/gtest.h>
#include <soci/soci.h>
#include <soci/sqlite3/soci-sqlite3.h>

#include <atomic>
#include <thread>

#include "../../tests/run_process.h"
#include "store/store.h"

namespace cxm::store {
namespace {

using cxm::testing::TempDir;

class WorkshopStoreTest : public ::testing::Test {
 protected:
  TempDir dir;
  std::string path = dir.path() + "/cxm.db";
  std::unique_ptr<Store> store = Store::open(DatabaseUrl{DatabaseUrl::Kind::sqlite, path});

  void SetUp() override {
    store->create_organization(Organization{"o1", "Acme", "Retail", "50-249", {}, false, 1},
                               std::nullopt);
    store->create_cycle(Cycle{"c1", "o1", "Spring", CycleStatus::open, "yaml", true, 3,
                              std::nullopt, std::nullopt, 2});
    Workshop w;
    w.id = "w1";
    w.cycle_id = "c1";
    w.code = "ABC234";
    w.pace = core::Pace::statement;
    w.step_order = core::StepOrder::model;
    w.steps = {{"LS2"}, {"LS3", "LS4"}};
    w.created_by = "u1";
    w.created_at = 5;
    ASSERT_EQ(store->start_workshop(w), WorkshopStart::started);
  }

  // A joined seat: its participant id; its claim is "claim-<id>". Each
  // seat on a device of its own unless `joiner` says otherwise.
  std::string join(const std::string& id, Joiner joiner = {}) {
    Participant p;
    p.id = id;
    p.created_at = 6;
    if (joiner.device_hash.empty()) joiner.device_hash = "device-" + id;
    EXPECT_EQ(store->join_workshop("ABC234", p, joiner, "token-" + id, "claim-" + id).outcome,
              JoinOutcome::joined);
    return id;
  }
  LinkRefusal answer(const std::string& id, int round, const std::string& item,
                     std::optional<int> value) {
    return store->save_workshop_answers(id, "claim-" + id, round, {{item, value}}, 7);
  }
};

using Steps = std::vector<std::vector<std::string>>;

// A round's steps are rows (workshop, round, step, position, statement),
// read back in order; a second round started again replaces its steps. The
// pace and order are the core's enums, stored as their words.
TEST_F(WorkshopStoreTest, StepsAreRowsOfTheirRound) {
  auto w = store->find_workshop("w1");
  EXPECT_EQ(w->steps, (Steps{{"LS2"}, {"LS3", "LS4"}}));
  EXPECT_TRUE(w->second_steps.empty());
  {
    soci::session sql(*soci::factory_sqlite3(), "db=" + path);
    std::vector<std::string> rows;
    soci::rowset<std::string> found =
        sql.prepare << "SELECT round || '/' || step || '/' || position || ' ' || item_id FROM "
                       "workshop_steps WHERE workshop_id = 'w1' ORDER BY round, step, position";
    for (const auto& r : found) rows.push_back(r);
    EXPECT_EQ(rows, (std::vector<std::string>{"1/0/0 LS2", "1/1/0 LS3", "1/1/1 LS4"}));
    std::string pace, order;
    sql << "SELECT pace, step_order FROM workshops WHERE id = 'w1'", soci::into(pace),
        soci::into(order);
    EXPECT_EQ(pace, "statement");
    EXPECT_EQ(order, "model");
  }
  for (const char* id : {"p1", "p2", "p3"}) join(id);
  for (const char* id : {"p1", "p2", "p3"}) ASSERT_EQ(answer(id, 1, "LS2", 3), LinkRefusal::none);
  ASSERT_EQ(store->reveal_statement("w1", 1, "LS2", 1, 5, 8).outcome, RevealOutcome::revealed);
  ASSERT_EQ(store->start_second_round("w1", {{"LS4", "LS3"}, {"LS2"}}), WorkshopChange::done);
  w = store->find_workshop("w1");
  EXPECT_EQ(w->steps, (Steps{{"LS2"}, {"LS3", "LS4"}}));
  EXPECT_EQ(w->second_steps, (Steps{{"LS4", "LS3"}, {"LS2"}}));
  EXPECT_EQ(w->round_steps(), w->second_steps);
  ASSERT_EQ(store->return_to_first_round("w1"), WorkshopChange::done);
  ASSERT_EQ(store->start_second_round("w1", {{"LS3"}}), WorkshopChange::done);
  const auto all = store->workshops_of("c1");
  ASSERT_EQ(all.size(), 1u);
  EXPECT_EQ(all[0].steps, (Steps{{"LS2"}, {"LS3", "LS4"}}));
  EXPECT_EQ(all[0].second_steps, (Steps{{"LS3"}}));

  ASSERT_EQ(store->end_workshop("w1", 9), WorkshopChange::done);
  Workshop other;
  other.id = "w2";
  other.cycle_id = "c1";
  other.code = "XYZ234";
  other.pace = core::Pace::competency;
  other.step_order = core::StepOrder::agenda;
  other.steps = {{"LS3", "LS4"}, {"LS2"}};
  other.created_at = 10;
  ASSERT_EQ(store->start_workshop(other), WorkshopStart::started);
  const auto read = store->find_workshop("w2");
  EXPECT_EQ(read->pace, core::Pace::competency);
  EXPECT_EQ(read->step_order, core::StepOrder::agenda);
  EXPECT_EQ(read->steps, other.steps);
  soci::session sql(*soci::factory_sqlite3(), "db=" + path);
  std::string pace, order;
  sql << "SELECT pace, step_order FROM workshops WHERE id = 'w2'", soci::into(pace),
      soci::into(order);
  EXPECT_EQ(pace, "competency");
  EXPECT_EQ(order, "agenda");
}

// A database from before migration 26 kept steps as text ("a b|c": item
// ids by spaces, steps by '|'): it opens with every workshop's steps of
// both rounds as they were, and the text columns gone.
TEST_F(WorkshopStoreTest, StepsKeptAsTextBeforeMigration26OpenAsTheSameSteps) {
  store.reset();
  {
    soci::session sql(*soci::factory_sqlite3(), "db=" + path);
    // Back to the schema before 26.
    sql << "DROP TABLE workshop_steps";
    sql << "ALTER TABLE workshops ADD COLUMN steps TEXT NOT NULL DEFAULT ''";
    sql << "ALTER TABLE workshops ADD COLUMN second_steps TEXT NOT NULL DEFAULT ''";
    sql << "ALTER TABLE changes DROP COLUMN origin";
    sql << "DELETE FROM schema_migrations WHERE version >= 26";
    sql << "UPDATE workshops SET round = 2, steps = 'LS2|LS3 LS4', second_steps = 'LS4 LS3' "
           "WHERE id = 'w1'";
    sql << "INSERT INTO workshops (id, cycle_id, code, open_code, pace, step_order, round, step, "
           "steps, second_steps, version, created_by, created_at, ended_at) VALUES ('w0', 'c1', "
           "'QRS234', NULL, 'competency', 'agenda', 1, 1, 'LS3 LS4|LS2', '', 3, 'u1', 1, 2)";
  }
  store = Store::open(DatabaseUrl{DatabaseUrl::Kind::sqlite, path});
  const auto w1 = store->find_workshop("w1");
  ASSERT_TRUE(w1);
  EXPECT_EQ(w1->steps, (Steps{{"LS2"}, {"LS3", "LS4"}}));
  EXPECT_EQ(w1->second_steps, (Steps{{"LS4", "LS3"}}));
  EXPECT_EQ(w1->round_steps(), (Steps{{"LS4", "LS3"}}));
  const auto w0 = store->find_workshop("w0");
  ASSERT_TRUE(w0);
  EXPECT_EQ(w0->steps, (Steps{{"LS3", "LS4"}, {"LS2"}}));
  EXPECT_TRUE(w0->second_steps.empty());
  EXPECT_EQ(w0->pace, core::Pace::competency);
  EXPECT_EQ(w0->step_order, core::StepOrder::agenda);
  EXPECT_FALSE(w0->open);
  EXPECT_EQ(store->workshops_of("c1").size(), 2u);
  // The steps moved: the text columns are gone.
  soci::session sql(*soci::factory_sqlite3(), "db=" + path);
  int columns = 0;
  sql << "SELECT COUNT(*) FROM pragma_table_info('workshops') WHERE name IN ('steps', "
         "'second_steps')",
      soci::into(columns);
  EXPECT_EQ(columns, 0);
  // And the workshop still works on its rows.
  join("p1");
  EXPECT_EQ(answer("p1", 2, "LS4", 3), LinkRefusal::not_in_first_round);
}

TEST_F(WorkshopStoreTest, TheSecondRoundIsStoredApartFromTheFirst) {
  for (const char* id : {"p1", "p2", "p3"}) join(id);
  EXPECT_EQ(store->workshop_joined("w1"), 3u);
  ASSERT_EQ(answer("p1", 1, "LS2", 1), LinkRefusal::none);
  ASSERT_EQ(answer("p2", 1, "LS2", 5), LinkRefusal::none);
  ASSERT_EQ(answer("p3", 1, "LS2", std::nullopt), LinkRefusal::none);
  const auto revealed = store->reveal_statement("w1", 1, "LS2", 1, 5, 8);
  ASSERT_EQ(revealed.outcome, RevealOutcome::revealed);
  EXPECT_EQ(revealed.answered, 3u);
  EXPECT_EQ(answer("p1", 1, "LS2", 2), LinkRefusal::revealed);

  ASSERT_EQ(store->start_second_round("w1", {{"LS2"}}), WorkshopChange::done);
  EXPECT_EQ(store->start_second_round("w1", {{"LS2"}}), WorkshopChange::conflict);
  EXPECT_EQ(answer("p1", 1, "LS2", 2), LinkRefusal::wrong_round);
  ASSERT_EQ(answer("p1", 2, "LS2", 4), LinkRefusal::none);
  ASSERT_EQ(answer("p1", 2, "LS2", 3), LinkRefusal::none);  // changed, not added

  const auto first = store->workshop_answers_of("p1", 1);
  ASSERT_EQ(first.size(), 1u);
  EXPECT_EQ(first[0].value, 1);  // round 1 untouched
  const auto second = store->workshop_answers_of("p1", 2);
  ASSERT_EQ(second.size(), 1u);
  EXPECT_EQ(second[0].value, 3);
  const auto counts = store->workshop_answer_counts("w1", 2);
  ASSERT_EQ(counts.size(), 1u);
  EXPECT_EQ(counts[0].answered, 1u);
  EXPECT_EQ(store->workshop_answer_counts("w1", 1)[0].answered, 3u);

  const auto reveals = store->workshop_reveals("w1");
  ASSERT_EQ(reveals.size(), 1u);
  EXPECT_EQ(reveals[0].histogram, (std::vector<std::size_t>{1, 0, 0, 0, 1}));
  EXPECT_EQ(reveals[0].dont_know, 1u);
  // The cycle's own lists and results know nothing of the workshop's seats.
  EXPECT_TRUE(store->participants_of("c1").empty());
  EXPECT_TRUE(store->cycle_answers("c1").empty());
}

TEST_F(WorkshopStoreTest, OnlyTheStepOnTheScreenAndOnlyWithTheClaim) {
  join("p1");
  EXPECT_EQ(answer("p1", 1, "LS3", 2), LinkRefusal::not_current);
  EXPECT_EQ(store->save_workshop_answers("p1", "claim-other", 1, {{"LS2", 2}}, 7),
            LinkRefusal::not_claimed);
  EXPECT_EQ(store->save_workshop_answers("nobody", "", 1, {{"LS2", 2}}, 7),
            LinkRefusal::unknown_link);
  EXPECT_EQ(store->set_workshop_step("w1", 1, 2), WorkshopChange::conflict);
  ASSERT_EQ(store->set_workshop_step("w1", 1, 1), WorkshopChange::done);
  EXPECT_EQ(answer("p1", 1, "LS4", 2), LinkRefusal::none);
  EXPECT_EQ(answer("p1", 1, "LS2", 2), LinkRefusal::not_current);
  EXPECT_EQ(store->reveal_statement("w1", 1, "LS2", 1, 5, 8).outcome, RevealOutcome::not_current);
  const auto few = store->reveal_statement("w1", 1, "LS4", 1, 5, 8);
  EXPECT_EQ(few.outcome, RevealOutcome::too_few_answers);
  EXPECT_EQ(few.min_group_size, 3);
  EXPECT_TRUE(store->workshop_reveals("w1").empty());
}

TEST_F(WorkshopStoreTest, EndingFreesTheCodeAtOnce) {
  join("p1");
  EXPECT_EQ(store->open_workshop_of("c1")->id, "w1");
  Workshop other;
  other.id = "w2";
  other.cycle_id = "c1";
  other.code = "ABC234";
  other.pace = core::Pace::statement;
  other.step_order = core::StepOrder::model;
  other.steps = {{"LS2"}};
  EXPECT_EQ(store->start_workshop(other), WorkshopStart::already_open);
  ASSERT_EQ(store->end_workshop("w1", 9), WorkshopChange::done);
  EXPECT_EQ(store->end_workshop("w1", 9), WorkshopChange::ended);
  EXPECT_EQ(store->end_workshop("nope", 9), WorkshopChange::not_found);
  EXPECT_FALSE(store->open_workshop_of("c1"));
  EXPECT_FALSE(store->find_workshop("w1")->open);
  Participant late;
  late.id = "p9";
  EXPECT_EQ(store->join_workshop("ABC234", late, {}, "token-p9", "claim-p9").outcome,
            JoinOutcome::no_such_code);
  EXPECT_EQ(answer("p1", 1, "LS2", 2), LinkRefusal::workshop_ended);
  EXPECT_EQ(store->reveal_statement("w1", 1, "LS2", 1, 5, 8).outcome, RevealOutcome::ended);
  EXPECT_EQ(store->set_workshop_step("w1", 1, 0), WorkshopChange::ended);
  // The code is free for the next workshop.
  EXPECT_EQ(store->start_workshop(other), WorkshopStart::started);
  EXPECT_EQ(store->join_workshop("ABC234", late, {}, "token-p9", "claim-p9").workshop_id, "w2");
}

// Issue 22: a reveal needs k answers from distinct phones of people other
// than the organizers. One browser joining three times gets its one seat
// back each time; a phone joined by a member of the organization (the
// facilitator, logged in) never counts, though its answer is shown with
// the others.
TEST_F(WorkshopStoreTest, ARevealCountsDistinctPhonesOfPeopleOtherThanTheOrganizers) {
  store->create_user(User{"u1", "fay@example.org", "Fay", "", false, 1});
  store->add_membership(Membership{"u1", "o1", OrgRole::facilitator});
  join("same1", Joiner{"one-browser", "", false});
  ASSERT_EQ(answer("same1", 1, "LS2", 4), LinkRefusal::none);
  for (const char* again : {"same2", "same3"}) {
    Participant p;
    p.id = again;
    const auto rejoined = store->join_workshop("ABC234", p, Joiner{"one-browser", "", false},
                                               std::string("token-") + again, "claim-again");
    EXPECT_EQ(rejoined.outcome, JoinOutcome::joined);
    EXPECT_TRUE(rejoined.rejoined);
  }
  EXPECT_EQ(store->workshop_joined("w1"), 1u);                        // one seat
  EXPECT_EQ(answer("same1", 1, "LS2", 3), LinkRefusal::not_claimed);  // the old claim
  ASSERT_EQ(store->save_workshop_answers("same1", "claim-again", 1, {{"LS2", 4}}, 7),
            LinkRefusal::none);
  join("fay", Joiner{"fays-phone", "u1", false});
  join("root", Joiner{"admins-phone", "someone", true});
  for (const char* id : {"fay", "root"})
    ASSERT_EQ(answer(id, 1, "LS2", 4), LinkRefusal::none) << id;
  auto few = store->reveal_statement("w1", 1, "LS2", 1, 5, 8);
  EXPECT_EQ(few.outcome, RevealOutcome::too_few_answers);
  EXPECT_EQ(few.answered, 3u);
  EXPECT_EQ(few.counted, 1u);
  join("p1");
  join("p2");
  ASSERT_EQ(answer("p1", 1, "LS2", 2), LinkRefusal::none);
  EXPECT_EQ(store->reveal_statement("w1", 1, "LS2", 1, 5, 8).outcome,
            RevealOutcome::too_few_answers);
  ASSERT_EQ(answer("p2", 1, "LS2", 2), LinkRefusal::none);
  const auto revealed = store->reveal_statement("w1", 1, "LS2", 1, 5, 8);
  EXPECT_EQ(revealed.outcome, RevealOutcome::revealed);
  EXPECT_EQ(revealed.counted, 3u);
  EXPECT_EQ(store->workshop_reveals("w1")[0].histogram, (std::vector<std::size_t>{0, 2, 0, 3, 0}));
}

// Issue 22: someone who joins late and answers only round 2 would be
// singled out by comparing the rounds; round 2 asks again only those who
// answered the statement in round 1.
TEST_F(WorkshopStoreTest, RoundTwoAsksAgainOnlyThoseWhoAnsweredRoundOne) {
  for (const char* id : {"p1", "p2", "p3"}) {
    join(id);
    ASSERT_EQ(answer(id, 1, "LS2", 3), LinkRefusal::none);
  }
  ASSERT_EQ(store->reveal_statement("w1", 1, "LS2", 1, 5, 8).outcome, RevealOutcome::revealed);
  ASSERT_EQ(store->start_second_round("w1", {{"LS2"}}), WorkshopChange::done);
  join("late");
  EXPECT_EQ(answer("late", 2, "LS2", 1), LinkRefusal::not_in_first_round);
  EXPECT_TRUE(store->workshop_answers_of("late", 2).empty());
  for (const char* id : {"p1", "p2", "p3"})
    ASSERT_EQ(answer(id, 2, "LS2", 4), LinkRefusal::none) << id;
  EXPECT_EQ(store->workshop_answer_counts("w1", 2)[0].answered, 3u);
  EXPECT_EQ(store->reveal_statement("w1", 2, "LS2", 1, 5, 9).counted, 3u);
}

// Answers race a reveal from many threads: whatever the order, the frozen
// histogram holds exactly the answers that were accepted before it, and
// every answer after it was refused.
// Issue 23: round 2 is not a one-way door. It ends on a statement, the
// first round continues with its next statements, and a later second round
// asks again what was split since; only round-1 answerers answer round 2.
TEST_F(WorkshopStoreTest, TheSecondRoundReturnsToTheFirstAndStartsAgain) {
  for (const char* id : {"p1", "p2", "p3"}) join(id);
  EXPECT_EQ(store->return_to_first_round("w1"), WorkshopChange::conflict);  // in round 1
  for (const char* id : {"p1", "p2", "p3"}) ASSERT_EQ(answer(id, 1, "LS2", 3), LinkRefusal::none);
  ASSERT_EQ(store->reveal_statement("w1", 1, "LS2", 1, 5, 8).outcome, RevealOutcome::revealed);
  ASSERT_EQ(store->start_second_round("w1", {{"LS2"}}), WorkshopChange::done);
  for (const char* id : {"p1", "p2", "p3"}) ASSERT_EQ(answer(id, 2, "LS2", 4), LinkRefusal::none);
  ASSERT_EQ(store->reveal_statement("w1", 2, "LS2", 1, 5, 9).outcome, RevealOutcome::revealed);

  // Back to round 1, at the step after the one revealed (LS3 and LS4).
  ASSERT_EQ(store->return_to_first_round("w1"), WorkshopChange::done);
  auto w = store->find_workshop("w1");
  EXPECT_EQ(w->round, 1);
  EXPECT_EQ(w->step, 1);
  EXPECT_EQ(store->return_to_first_round("w1"), WorkshopChange::conflict);
  EXPECT_EQ(answer("p1", 2, "LS2", 5), LinkRefusal::wrong_round);
  join("p4");  // came late: answers round 1 from here on
  for (const char* id : {"p1", "p2", "p4"}) ASSERT_EQ(answer(id, 1, "LS3", 1), LinkRefusal::none);
  ASSERT_EQ(store->reveal_statement("w1", 1, "LS3", 1, 5, 10).outcome, RevealOutcome::revealed);

  // A second round again, on LS3: p3 did not answer it in round 1.
  ASSERT_EQ(store->start_second_round("w1", {{"LS3"}}), WorkshopChange::done);
  w = store->find_workshop("w1");
  EXPECT_EQ(w->round, 2);
  EXPECT_EQ(w->step, 0);
  EXPECT_EQ(answer("p4", 2, "LS3", 2), LinkRefusal::none);
  EXPECT_EQ(answer("p3", 2, "LS3", 2), LinkRefusal::not_in_first_round);
  // Answers and reveals of both rounds stay.
  EXPECT_EQ(store->workshop_answers_of("p1", 2).size(), 1u);  // LS2 of round 2; LS3 not yet
  EXPECT_EQ(store->workshop_reveals("w1").size(), 3u);
  // LS4 of step 1 is not revealed: the first round continues on that step.
  ASSERT_EQ(store->return_to_first_round("w1"), WorkshopChange::done);
  EXPECT_EQ(store->find_workshop("w1")->step, 1);
  ASSERT_EQ(store->end_workshop("w1", 11), WorkshopChange::done);
  EXPECT_EQ(store->return_to_first_round("w1"), WorkshopChange::ended);
}

TEST_F(WorkshopStoreTest, ARevealRacingAnswersFreezesExactlyWhatWasAccepted) {
  constexpr int kSeats = 24;
  for (int i = 0; i < kSeats; ++i) join("p" + std::to_string(i));
  for (int i = 0; i < 3; ++i)
    ASSERT_EQ(answer("p" + std::to_string(i), 1, "LS2", 4), LinkRefusal::none);
  std::atomic<int> accepted{3};
  std::atomic<int> refused{0};
  std::vector<std::thread> threads;
  for (int i = 3; i < kSeats; ++i) {
    threads.emplace_back([&, i] {
      const auto r = answer("p" + std::to_string(i), 1, "LS2", 4);
      if (r == LinkRefusal::none)
        ++accepted;
      else if (r == LinkRefusal::revealed)
        ++refused;
    });
    if (i == kSeats / 2) {
      threads.emplace_back([&] {
        ASSERT_EQ(store->reveal_statement("w1", 1, "LS2", 1, 5, 8).outcome,
                  RevealOutcome::revealed);
      });
    }
  }
  for (auto& t : threads) t.join();
  EXPECT_EQ(accepted + refused, kSeats);
  const auto reveals = store->workshop_reveals("w1");
  ASSERT_EQ(reveals.size(), 1u);
  EXPECT_EQ(reveals[0].histogram[3], static_cast<std::size_t>(accepted.load()));
  EXPECT_EQ(store->workshop_answer_counts("w1", 1)[0].answered,
            static_cast<std::size_t>(accepted.load()));
}

}  // namespace
}  // namespace cxm::store
