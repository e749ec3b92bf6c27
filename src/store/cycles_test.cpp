// Cycles as stored: the pulse flag, and cycles made before it existed.
#include <gtest/gtest.h>
#include <soci/soci.h>
#include <soci/sqlite3/soci-sqlite3.h>

#include "../../tests/run_process.h"
#include "store/schema_test_support.h"
#include "store/store.h"

namespace cxm::store {
namespace {

using cxm::testing::TempDir;

// Undoes migrations 26 (workshop steps as rows, changes' origin), 25 (the round a column of
// answers), 23 (languages), 22 (ratings datasets), 21 (customer metrics: its tables refer to
// organizations), 20 (comments: its table refers to links), 19 (closed links) and 18 (mail
// invitations: its tables refer to cycles and links, and it adds the reminder schedule to cycles).
void undo_mail_migration(soci::session& sql) {
  // 26: workshop steps as rows (their text columns back), changes' origin.
  sql << "DROP TABLE workshop_steps";
  sql << "ALTER TABLE workshops ADD COLUMN steps TEXT NOT NULL DEFAULT ''";
  sql << "ALTER TABLE workshops ADD COLUMN second_steps TEXT NOT NULL DEFAULT ''";
  sql << "ALTER TABLE changes DROP COLUMN origin";
  undo_round_column(sql);  // 25
  sql << "DROP TABLE cycle_translations";
  sql << "ALTER TABLE cycles DROP COLUMN languages";
  sql << "ALTER TABLE participants DROP COLUMN answered_lang";
  sql << "ALTER TABLE participants DROP COLUMN lang";
  sql << "ALTER TABLE users DROP COLUMN lang";
  sql << "DROP TABLE ratings_dataset_rows";
  sql << "DROP TABLE ratings_datasets";
  sql << "DROP TABLE customer_metric_definitions";
  sql << "DROP TABLE customer_metrics";
  sql << "DROP TABLE comments";
  sql << "ALTER TABLE participants DROP COLUMN link_closed";
  for (const char* table : {"mail_outbox", "mail_keys", "mail_recipients"}) {
    sql << std::string("DROP TABLE ") + table;
  }
  for (const char* column :
       {"reminder_after_days", "reminder_before_close_days", "max_reminders"}) {
    sql << std::string("ALTER TABLE cycles DROP COLUMN ") + column;
  }
}

class CycleStoreTest : public ::testing::Test {
 protected:
  TempDir dir;
  std::string path = dir.path() + "/cxm.db";
  std::unique_ptr<Store> store = Store::open(DatabaseUrl{DatabaseUrl::Kind::sqlite, path});

  void SetUp() override {
    store->create_organization(Organization{"o1", "Acme", "Retail", "50-249", {}, false, 1},
                               std::nullopt);
  }
  long long audit_rows() {
    soci::session sql(*soci::factory_sqlite3(), "db=" + path);
    long long n = 0;
    sql << "SELECT COUNT(*) FROM audit_log", soci::into(n);
    return n;
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
  ASSERT_EQ(store->transition_cycle("full", CycleStatus::draft, CycleStatus::open, 1000),
            CycleChange::done);
  changed.pulse = false;
  EXPECT_EQ(store->update_draft_cycle(changed), CycleChange::conflict);
  EXPECT_TRUE(store->find_cycle("full")->pulse);
}

// What a change records, it records in its own transaction: a refused
// change records nothing, and a change whose audit row cannot be written
// is not made either.
TEST_F(CycleStoreTest, AChangeAndItsAuditRowCommitTogether) {
  store->create_cycle(cycle("a", false));
  const AuditEntry opened{"u1", "o1", "cycle.open", "a", 10};
  EXPECT_EQ(store->transition_cycle("a", CycleStatus::open, CycleStatus::closed, 10, opened),
            CycleChange::conflict);
  EXPECT_EQ(audit_rows(), 0);
  {
    soci::session sql(*soci::factory_sqlite3(), "db=" + path);
    sql << "CREATE TRIGGER refuse_audit BEFORE INSERT ON audit_log BEGIN SELECT RAISE(ABORT, "
           "'audit refused'); END";
  }
  EXPECT_THROW(store->transition_cycle("a", CycleStatus::draft, CycleStatus::open, 10, opened),
               StoreError);
  EXPECT_EQ(store->find_cycle("a")->status, CycleStatus::draft);
  {
    soci::session sql(*soci::factory_sqlite3(), "db=" + path);
    sql << "DROP TRIGGER refuse_audit";
  }
  EXPECT_EQ(store->transition_cycle("a", CycleStatus::draft, CycleStatus::open, 10, opened),
            CycleChange::done);
  EXPECT_EQ(store->find_cycle("a")->status, CycleStatus::open);
  EXPECT_EQ(audit_rows(), 1);
}

// The organizations page reads every organization's cycles, and the
// answers of several cycles, each in one query.
TEST_F(CycleStoreTest, EveryOrganizationsLastCycleAndLastCloseInOneRead) {
  store->create_organization(Organization{"o2", "Beta", "", "", {"Sales"}, false, 1}, std::nullopt);
  store->create_organization(Organization{"o3", "Gamma", "", "", {}, false, 1}, std::nullopt);
  Cycle a = cycle("a", false), b = cycle("b", false), c = cycle("c", false);
  b.created_at = 5;
  c.org_id = "o2";
  for (const auto& x : {a, b, c}) store->create_cycle(x);
  ASSERT_EQ(store->transition_cycle("a", CycleStatus::draft, CycleStatus::open, 10),
            CycleChange::done);
  ASSERT_EQ(store->transition_cycle("c", CycleStatus::draft, CycleStatus::open, 10),
            CycleChange::done);
  std::vector<Participant> people;
  for (const auto& [id, cycle_id] :
       {std::pair{"p1", "a"}, std::pair{"p2", "c"}, std::pair{"p3", "c"}}) {
    people = {
        Participant{id, cycle_id, "", "manager", "", false, std::nullopt, 1, "", std::nullopt}};
    ASSERT_TRUE(store->create_participants(people, {std::string("hash-") + id}));
  }
  ASSERT_EQ(store->transition_cycle("a", CycleStatus::open, CycleStatus::closed, 20),
            CycleChange::done);
  User admin;
  admin.is_admin = true;
  const auto summaries = summarize_cycles(store->cycles_for(admin));
  ASSERT_EQ(summaries.size(), 2u);  // Gamma has no cycle
  EXPECT_EQ(summaries[0].org_id, "o1");
  EXPECT_EQ(summaries[0].last_cycle->id, "b");   // created last, a draft
  EXPECT_EQ(summaries[0].last_closed->id, "a");  // closed at 20
  EXPECT_EQ(*summaries[0].last_closed->closed_at, 20);
  EXPECT_EQ(summaries[1].last_cycle->id, "c");
  EXPECT_FALSE(summaries[1].last_closed);
  const auto answers = store->answers_of_cycles({"a", "c"});
  ASSERT_EQ(answers.size(), 3u);
  EXPECT_EQ(answers[0].participant.cycle_id, "a");
  EXPECT_EQ(answers[1].participant.cycle_id, "c");
  EXPECT_TRUE(store->answers_of_cycles({}).empty());
  // A member sees only the cycles of organizations they belong to.
  User member;
  member.id = "u1";
  EXPECT_TRUE(store->cycles_for(member).empty());
  // Organizations come with their settings and units.
  const auto orgs = store->organizations_for(admin);
  ASSERT_EQ(orgs.size(), 3u);
  EXPECT_EQ(orgs[1].units, std::vector<std::string>{"Sales"});
  EXPECT_EQ(orgs[0].review_interval_months, 6);
  EXPECT_EQ(orgs[0].stage_rollup, StageRollup::pooled);
}

// Targets and scope are replaced whole, and make the organization's cached
// reports stale: every cycle's version moves.
TEST_F(CycleStoreTest, SavingAimsMovesEveryCyclesVersion) {
  store->create_cycle(cycle("a", false));
  const auto before = store->find_cycle("a")->answers_version;
  store->save_org_aims("o1", OrgAims{{{"leadership", 4}}, {{"LS2", "no executive team"}}});
  EXPECT_GT(store->find_cycle("a")->answers_version, before);
  const OrgAims aims = store->org_aims("o1");
  ASSERT_EQ(aims.targets.size(), 1u);
  EXPECT_EQ(aims.targets[0].target_stage, 4);
  ASSERT_EQ(aims.out_of_scope.size(), 1u);
  EXPECT_EQ(aims.out_of_scope[0].reason, "no executive team");
  User admin;
  admin.is_admin = true;
  EXPECT_EQ(store->aims_for(admin).at("o1").targets[0].competency_id, "leadership");
  store->save_org_aims("o1", OrgAims{});
  EXPECT_TRUE(store->org_aims("o1").targets.empty());
  // Changing the roll-up rule does the same; other settings do not.
  Organization org = *store->find_organization("o1");
  const auto settled = store->find_cycle("a")->answers_version;
  org.review_interval_months = 3;
  ASSERT_FALSE(store->update_organization(org));
  EXPECT_EQ(store->find_cycle("a")->answers_version, settled);
  EXPECT_EQ(store->find_organization("o1")->review_interval_months, 3);
  org.stage_rollup = StageRollup::weakest_unit;
  ASSERT_FALSE(store->update_organization(org));
  EXPECT_GT(store->find_cycle("a")->answers_version, settled);
  EXPECT_EQ(store->find_organization("o1")->stage_rollup, StageRollup::weakest_unit);
}

// Migration 13: anonymous cycles made with a minimum group below 3 are
// raised to 3, and what they published in smaller steps is withdrawn: a
// closed cycle is released again as one step when 3 or more of its
// respondents answered themselves, else not at all.
TEST_F(CycleStoreTest, MigrationWithdrawsReleasesMadeBelowThree) {
  store.reset();
  {
    soci::session sql("sqlite3", "db=" + path);
    sql << "INSERT INTO organizations (id, name, industry, size_band, created_at) VALUES ('o9', "
           "'Old', '', '', 1)";
    // c1: k = 1, one person released alone; c2: k = 2, three people (and
    // an imported row) in two releases; c3: open, k = 1, released once.
    const char* cycles[][3] = {{"c1", "closed", "1"}, {"c2", "closed", "2"}, {"c3", "open", "1"}};
    for (const auto& [id, status, k] : cycles) {
      sql << std::string(
                 "INSERT INTO cycles (id, org_id, name, status, model_yaml, anonymous, "
                 "min_group_size, created_at, releases) VALUES ('") +
                 id + "', 'o9', '" + id + "', '" + status + "', 'id: x', 1, " + k + ", 5, 1)";
    }
    const char* people[][4] = {{"a1", "c1", "1", ""},  {"b1", "c2", "1", ""},
                               {"b2", "c2", "1", ""},  {"b3", "c2", "2", ""},
                               {"b4", "c2", "2", "i"}, {"d1", "c3", "1", ""}};
    for (const auto& [id, cycle, release, import] : people) {
      sql << std::string(
                 "INSERT INTO participants (id, cycle_id, token_hash, label, role, unit, "
                 "revoked, created_at, submitted_at, released_in, import_id) VALUES ('") +
                 id + "', '" + cycle + "', 'h" + id + "', '', '', '', 0, 1, 2, " + release + ", '" +
                 import + "')";
    }
    undo_mail_migration(sql);
    sql << "ALTER TABLE participants DROP COLUMN joined_by_member";
    sql << "ALTER TABLE participants DROP COLUMN device_hash";
    sql << "ALTER TABLE cycles DROP COLUMN title";  // 15: participant-facing titles
    // Undo migration 16 (branding).
    for (const char* column :
         {"consultant", "confidentiality", "logo_type", "logo_base64", "logo_updated_at"}) {
      sql << std::string("ALTER TABLE organizations DROP COLUMN ") + column;
    }
    sql << "DELETE FROM schema_migrations WHERE version >= 13";
  }
  store = Store::open(DatabaseUrl{DatabaseUrl::Kind::sqlite, path});
  for (const char* id : {"c1", "c2", "c3"}) EXPECT_EQ(store->find_cycle(id)->min_group_size, 3);
  EXPECT_EQ(store->find_cycle("c1")->releases, 0);
  EXPECT_FALSE(store->find_participant("a1")->released_in);
  EXPECT_EQ(store->find_cycle("c2")->releases, 1);
  for (const char* id : {"b1", "b2", "b3", "b4"})
    EXPECT_EQ(store->find_participant(id)->released_in, 1) << id;
  EXPECT_EQ(store->find_cycle("c3")->releases, 0);  // released again at its next close
  EXPECT_FALSE(store->find_participant("d1")->released_in);
}

// Migration 17: the size bands the organization form wrote (en dashes,
// thousands separators) become the canonical bands datasets use; other
// text stays.
TEST_F(CycleStoreTest, MigrationWritesSizeBandsAsDatasetsDo) {
  store.reset();
  {
    soci::session sql("sqlite3", "db=" + path);
    const char* orgs[][2] = {
        {"m1", "1\u201349"}, {"m2", "250\u2013999"}, {"m3", "1,000\u20134,999"},
        {"m4", "5,000+"},    {"m5", "Large"},        {"m6", ""}};
    for (const auto& [id, band] : orgs) {
      sql << std::string(
                 "INSERT INTO organizations (id, name, industry, size_band, created_at) "
                 "VALUES ('") +
                 id + "', 'Old', '', '" + band + "', 1)";
    }
    undo_mail_migration(sql);
    sql << "DELETE FROM schema_migrations WHERE version >= 17";
  }
  store = Store::open(DatabaseUrl{DatabaseUrl::Kind::sqlite, path});
  const std::pair<const char*, const char*> expected[] = {{"m1", "1-49"},      {"m2", "250-999"},
                                                          {"m3", "1000-4999"}, {"m4", "5000+"},
                                                          {"m5", "Large"},     {"m6", ""}};
  for (const auto& [id, band] : expected) EXPECT_EQ(store->find_organization(id)->size_band, band);
}

// Migration 18: cycles made before e-mail reminders have no schedule and
// the default limit of 2; the mail tables start empty and take rows.
TEST_F(CycleStoreTest, MigrationGivesOlderCyclesNoScheduleAndTheDefaultLimit) {
  store.reset();
  {
    soci::session sql("sqlite3", "db=" + path);
    undo_mail_migration(sql);
    sql << "DELETE FROM schema_migrations WHERE version >= 18";  // and 19, 20
    sql << "INSERT INTO cycles (id, org_id, name, status, model_yaml, anonymous, min_group_size, "
           "created_at) VALUES ('old', 'o1', 'Autumn', 'open', 'id: x', 1, 3, 5)";
  }
  store = Store::open(DatabaseUrl{DatabaseUrl::Kind::sqlite, path});
  EXPECT_EQ(store->schema_version(), latest_schema_version());
  const auto old = store->find_cycle("old");
  ASSERT_TRUE(old);
  EXPECT_TRUE(old->reminder_after_days.empty());
  EXPECT_TRUE(old->reminder_before_close_days.empty());
  EXPECT_EQ(old->max_reminders, 2);
  EXPECT_TRUE(store->mail_recipients("old").empty());
  MailInvite invite;
  invite.participants.push_back(
      Participant{"p1", "old", "", "", "", false, std::nullopt, 5, "", std::nullopt});
  invite.recipients.push_back(MailRecipient{"p1", "old", "Ann", "ann@example.org"});
  const auto made = store->create_mail_invitations(
      invite, [](const std::string& key, const std::string& id) { return key + id; }, 10);
  EXPECT_TRUE(made.created);
  EXPECT_EQ(store->mail_recipients("old").size(), 1u);
  EXPECT_EQ(store->cycle_link_key("old"), made.link_key);
}

// A participant-facing title is saved with the cycle and changes in any
// status, written to the audit log with the change.
TEST_F(CycleStoreTest, TitlesAreSavedAndChangeInAnyStatus) {
  store->create_cycle(cycle("untitled", false));
  Cycle titled = cycle("titled", false);
  titled.title = "Our customers";
  store->create_cycle(titled);
  EXPECT_EQ(store->find_cycle("untitled")->title, "");
  EXPECT_EQ(store->find_cycle("titled")->title, "Our customers");
  titled.title = "Our customers, today";
  EXPECT_EQ(store->update_draft_cycle(titled), CycleChange::done);
  EXPECT_EQ(store->find_cycle("titled")->title, "Our customers, today");
  ASSERT_EQ(store->transition_cycle("titled", CycleStatus::draft, CycleStatus::open, 1000),
            CycleChange::done);
  const long long audited = audit_rows();
  const AuditEntry audit{"u1", "o1", "cycle.title", "titled", 2000};
  ASSERT_TRUE(store->set_cycle_title("titled", "How we serve our customers", audit));
  EXPECT_EQ(store->find_cycle("titled")->title, "How we serve our customers");
  EXPECT_EQ(audit_rows(), audited + 1);
  EXPECT_FALSE(store->set_cycle_title("no-such-cycle", "x", audit));
  EXPECT_EQ(audit_rows(), audited + 1);
}

// A database made before migration 4 keeps its cycles, as full cycles with
// their model snapshots.
TEST_F(CycleStoreTest, CyclesMadeBeforeThePulseFlagAreFullCycles) {
  store.reset();
  {
    soci::session sql("sqlite3", "db=" + path);
    undo_mail_migration(sql);  // 18: its tables refer to cycles and links
    // Undo migration 11 (live workshops) first: its tables refer to cycles.
    for (const char* table : {"round_answers", "workshop_reveals", "workshops"}) {
      sql << std::string("DROP TABLE ") + table;
    }
    sql << "DROP INDEX participants_by_workshop";
    sql << "ALTER TABLE participants DROP COLUMN workshop_id";
    // Back to schema 5: undo migration 10 (review interval, roll-up, targets
    // and scope), 7 (action plans, closed_at), then 6 (the pulse flag).
    sql << "DROP TABLE out_of_scope_items";
    sql << "DROP TABLE competency_targets";
    sql << "ALTER TABLE organizations DROP COLUMN stage_rollup";
    sql << "ALTER TABLE organizations DROP COLUMN review_interval_months";
    sql << "DROP TABLE action_status_changes";
    sql << "DROP TABLE actions";
    sql << "ALTER TABLE cycles DROP COLUMN closed_at";
    sql << "ALTER TABLE cycles DROP COLUMN pulse";
    sql << "DELETE FROM schema_migrations WHERE version >= 6";  // the pulse flag's migration and
                                                                // later ones
    // What later migrations made did not exist either (8: benchmarks).
    for (const char* table : {"benchmark_pool", "benchmark_dataset_rows", "benchmark_datasets"}) {
      sql << std::string("DROP TABLE ") + table;
    }
    // 15: participant-facing titles.
    sql << "ALTER TABLE cycles DROP COLUMN title";
    // 14: workshop phones' devices.
    sql << "ALTER TABLE participants DROP COLUMN joined_by_member";
    sql << "ALTER TABLE participants DROP COLUMN device_hash";
    // 16: branding.
    for (const char* column :
         {"consultant", "confidentiality", "logo_type", "logo_base64", "logo_updated_at"}) {
      sql << std::string("ALTER TABLE organizations DROP COLUMN ") + column;
    }
    // 12: survey imports.
    sql << "DROP INDEX participants_by_source_key";
    sql << "ALTER TABLE participants DROP COLUMN source_key";
    sql << "ALTER TABLE participants DROP COLUMN import_id";
    sql << "DROP TABLE imports";
    sql << "INSERT INTO cycles (id, org_id, name, status, model_yaml, anonymous, min_group_size, "
           "created_at) "
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
