// The schema as one ordered list of migrations, applied at start-up. Each
// runs in its own transaction; schema_migrations records what ran. SQL is
// the subset SQLite and PostgreSQL share: TEXT ids made by the application,
// BIGINT Unix-millisecond times, INTEGER flags.
#include <array>
#include <chrono>
#include <sstream>
#include <string>
#include <vector>

#include "store/store_impl.h"

namespace cxm::store {
namespace {

struct Migration {
  int version;
  const char* statements[16];
  // Runs after the statements, in their transaction: moves data SQL alone
  // cannot move in both databases.
  void (*then)(soci::session&) = nullptr;
};

// Migration 26: each workshop's steps, stored until then as text ("a b|c":
// item ids separated by spaces, steps by '|'), become rows of
// workshop_steps; the two text columns go.
void steps_to_rows(soci::session& sql) {
  struct Old {
    std::string id, steps, second_steps;
  };
  std::vector<Old> old;
  {
    soci::rowset<soci::row> rows = sql.prepare << "SELECT id, steps, second_steps FROM workshops";
    for (const auto& row : rows)
      old.push_back(Old{as_text(row, 0), as_text(row, 1), as_text(row, 2)});
  }
  for (const auto& w : old) {
    for (int round : {1, 2}) {
      std::stringstream all(round == 1 ? w.steps : w.second_steps);
      std::string step_text;
      for (int step = 0; std::getline(all, step_text, '|'); ++step) {
        std::stringstream one(step_text);
        std::string item;
        for (int position = 0; one >> item; ++position) {
          sql << "INSERT INTO workshop_steps (workshop_id, round, step, position, item_id) VALUES "
                 "(:w, :r, :s, :p, :i)",
              soci::use(w.id), soci::use(round), soci::use(step), soci::use(position),
              soci::use(item);
        }
      }
    }
  }
  sql << "ALTER TABLE workshops DROP COLUMN steps";
  sql << "ALTER TABLE workshops DROP COLUMN second_steps";
}

constexpr std::array kMigrations = {
    Migration{
        1,
        {"CREATE TABLE organizations (id TEXT PRIMARY KEY, name TEXT NOT NULL, "
         "industry TEXT NOT NULL DEFAULT '', size_band TEXT NOT NULL DEFAULT '', "
         "demo INTEGER NOT NULL DEFAULT 0, created_at BIGINT NOT NULL)",
         "CREATE TABLE units (org_id TEXT NOT NULL REFERENCES organizations(id), name TEXT NOT "
         "NULL, "
         "position INTEGER NOT NULL, PRIMARY KEY (org_id, name))",
         "CREATE TABLE users (id TEXT PRIMARY KEY, email TEXT NOT NULL UNIQUE, name TEXT NOT NULL, "
         "password_hash TEXT NOT NULL, is_admin INTEGER NOT NULL DEFAULT 0, created_at BIGINT NOT "
         "NULL)",
         "CREATE TABLE memberships (user_id TEXT NOT NULL REFERENCES users(id), "
         "org_id TEXT NOT NULL REFERENCES organizations(id), role TEXT NOT NULL, "
         "PRIMARY KEY (user_id, org_id))",
         "CREATE TABLE login_sessions (token_hash TEXT PRIMARY KEY, user_id TEXT NOT NULL "
         "REFERENCES users(id), "
         "csrf_token TEXT NOT NULL, created_at BIGINT NOT NULL, expires_at BIGINT NOT NULL)",
         "CREATE TABLE cycles (id TEXT PRIMARY KEY, org_id TEXT NOT NULL REFERENCES "
         "organizations(id), "
         "name TEXT NOT NULL, status TEXT NOT NULL, model_yaml TEXT NOT NULL, anonymous INTEGER "
         "NOT NULL, "
         "min_group_size INTEGER NOT NULL, opens_at BIGINT, closes_at BIGINT, created_at BIGINT "
         "NOT NULL)",
         "CREATE INDEX cycles_by_org ON cycles (org_id, created_at)",
         "CREATE TABLE participants (id TEXT PRIMARY KEY, cycle_id TEXT NOT NULL REFERENCES "
         "cycles(id), "
         "token_hash TEXT NOT NULL UNIQUE, label TEXT NOT NULL DEFAULT '', role TEXT NOT NULL "
         "DEFAULT '', "
         "unit TEXT NOT NULL DEFAULT '', revoked INTEGER NOT NULL DEFAULT 0, submitted_at BIGINT, "
         "created_at BIGINT NOT NULL)",
         "CREATE INDEX participants_by_cycle ON participants (cycle_id)",
         "CREATE TABLE answers (participant_id TEXT NOT NULL REFERENCES participants(id), "
         "item_id TEXT NOT NULL, value INTEGER, updated_at BIGINT NOT NULL, "
         "PRIMARY KEY (participant_id, item_id))",
         "CREATE TABLE audit_log (at BIGINT NOT NULL, actor TEXT NOT NULL, org_id TEXT NOT NULL, "
         "action TEXT NOT NULL, detail TEXT NOT NULL)",
         nullptr}},
    // Counts changes to a cycle's submitted answers, so that every cxm
    // process can tell whether a cached report is still current.
    Migration{2,
              {"ALTER TABLE cycles ADD COLUMN answers_version BIGINT NOT NULL DEFAULT 0", nullptr}},
    // What other processes must forget from their caches, on SQLite (see
    // change_feed.h; PostgreSQL uses NOTIFY instead).
    Migration{3,
              {"CREATE TABLE changes (seq BIGINT PRIMARY KEY, kind TEXT NOT NULL, change_key TEXT "
               "NOT NULL)",
               nullptr}},
    // Log-in attempts counted for every process (see login_throttle.cpp),
    // by a hash of the account or client address, never the address itself;
    // and the row that /api/health writes to prove the database takes writes.
    Migration{
        4,
        {"CREATE TABLE login_throttle (throttle_key TEXT PRIMARY KEY, failures INTEGER NOT NULL, "
         "last_attempt_at BIGINT NOT NULL)",
         "CREATE INDEX login_throttle_by_time ON login_throttle (last_attempt_at)",
         "CREATE TABLE health_probe (id INTEGER PRIMARY KEY, written_at BIGINT NOT NULL)",
         "INSERT INTO health_probe (id, written_at) VALUES (1, 0)", nullptr}},
    // Anonymity (docs/anonymity.md): a link is claimed by the first browser
    // that starts it (the hash of a secret that browser keeps) and resumed
    // elsewhere with a resume code; an anonymous cycle's results are
    // published in releases. Cycles already closed count as released once.
    Migration{5,
              {"ALTER TABLE participants ADD COLUMN claim_hash TEXT",
               "ALTER TABLE participants ADD COLUMN resume_hash TEXT",
               "ALTER TABLE participants ADD COLUMN resume_failures INTEGER NOT NULL DEFAULT 0",
               "ALTER TABLE participants ADD COLUMN released_in INTEGER",
               "ALTER TABLE cycles ADD COLUMN releases INTEGER NOT NULL DEFAULT 0",
               "UPDATE participants SET released_in = 1 WHERE submitted_at IS NOT NULL AND revoked "
               "= 0 AND "
               "cycle_id IN (SELECT id FROM cycles WHERE status = 'closed')",
               "UPDATE cycles SET releases = 1 WHERE status = 'closed' AND id IN "
               "(SELECT cycle_id FROM participants WHERE released_in = 1)",
               nullptr}},
    // A cycle run as a pulse asks only the model's pulse statements; every
    // earlier cycle was a full one.
    Migration{6, {"ALTER TABLE cycles ADD COLUMN pulse INTEGER NOT NULL DEFAULT 0", nullptr}},
    // Action plans: an organization's actions (items: statement ids
    // separated by spaces) and the history of their status changes; and
    // when each cycle was last closed.
    Migration{
        7,
        {"CREATE TABLE actions (id TEXT PRIMARY KEY, org_id TEXT NOT NULL REFERENCES "
         "organizations(id), "
         "cycle_id TEXT NOT NULL DEFAULT '', kind TEXT NOT NULL DEFAULT '', title TEXT NOT NULL, "
         "description TEXT NOT NULL DEFAULT '', reason TEXT NOT NULL DEFAULT '', "
         "competency TEXT NOT NULL DEFAULT '', target_stage INTEGER, items TEXT NOT NULL DEFAULT "
         "'', "
         "owner TEXT NOT NULL DEFAULT '', success_measure TEXT NOT NULL DEFAULT '', due TEXT, "
         "status TEXT NOT NULL, version BIGINT NOT NULL, created_at BIGINT NOT NULL, "
         "updated_at BIGINT NOT NULL)",
         "CREATE INDEX actions_by_org ON actions (org_id, created_at)",
         "CREATE TABLE action_status_changes (action_id TEXT NOT NULL REFERENCES actions(id), "
         "seq INTEGER NOT NULL, from_status TEXT, to_status TEXT NOT NULL, user_id TEXT NOT NULL, "
         "user_name TEXT NOT NULL, at BIGINT NOT NULL, PRIMARY KEY (action_id, seq))",
         // When a cycle was last closed, for the next cycle's due date
         // (six months later); cycles closed before have none.
         "ALTER TABLE cycles ADD COLUMN closed_at BIGINT", nullptr}},
    // Benchmark datasets (docs/benchmark-datasets.md): their provenance and
    // the validated PEERS.csv text, kept whole (a dataset never changes) and
    // indexed in memory by each process that compares against it.
    Migration{
        8,
        {"CREATE TABLE benchmark_datasets (id TEXT PRIMARY KEY, name TEXT NOT NULL, source TEXT "
         "NOT NULL, "
         "citation TEXT NOT NULL, licence TEXT NOT NULL, published_on TEXT NOT NULL, "
         "synthetic INTEGER NOT NULL, assessments BIGINT NOT NULL, competency_ids TEXT NOT NULL, "
         "created_by TEXT NOT NULL, created_at BIGINT NOT NULL)",
         // Apart from the description, so that listing datasets never
         // walks through tens of megabytes of rows.
         "CREATE TABLE benchmark_dataset_rows (dataset_id TEXT PRIMARY KEY REFERENCES "
         "benchmark_datasets(id), "
         "peers_csv TEXT NOT NULL)",
         // Organizations that contribute their closed cycles,
         // anonymized, to this instance's pool (and may compare with it).
         "CREATE TABLE benchmark_pool (org_id TEXT PRIMARY KEY REFERENCES organizations(id), "
         "joined_at BIGINT NOT NULL)",
         nullptr}},
    // The group discussion: a facilitator's note and the group's decision
    // per statement of a cycle, kept with the cycle.
    Migration{9,
              {"CREATE TABLE IF NOT EXISTS discussion_notes (cycle_id TEXT NOT NULL REFERENCES "
               "cycles(id), item_id TEXT NOT NULL, "
               "note TEXT NOT NULL, decision INTEGER, updated_at BIGINT NOT NULL, updated_by TEXT "
               "NOT NULL, "
               "PRIMARY KEY (cycle_id, item_id))",
               nullptr}},
    // Progress between cycles (issue 14): how many months after a cycle
    // closes the next is due, and how the organization's stage rolls up
    // from its units ('pooled': everyone's answers together; 'weakest_unit':
    // the lowest stage among the units shown). Per competency, the stage the
    // organization aims for; statements it has taken out of scope, with why.
    Migration{
        10,
        {"ALTER TABLE organizations ADD COLUMN review_interval_months INTEGER NOT NULL DEFAULT 6",
         "ALTER TABLE organizations ADD COLUMN stage_rollup TEXT NOT NULL DEFAULT 'pooled'",
         "CREATE TABLE competency_targets (org_id TEXT NOT NULL REFERENCES organizations(id), "
         "competency_id TEXT NOT NULL, target_stage INTEGER NOT NULL, PRIMARY KEY (org_id, "
         "competency_id))",
         "CREATE TABLE out_of_scope_items (org_id TEXT NOT NULL REFERENCES organizations(id), "
         "item_id TEXT NOT NULL, reason TEXT NOT NULL, PRIMARY KEY (org_id, item_id))",
         nullptr}},
    // Live workshops (core/workshop.h): a room joins with a short code
    // (open_code: unique among open workshops, NULL once ended), a link per
    // person who joined (participants.workshop_id), each statement's
    // answers frozen when revealed, and second-round answers apart from
    // the first round's.
    Migration{
        11,
        {"CREATE TABLE workshops (id TEXT PRIMARY KEY, cycle_id TEXT NOT NULL REFERENCES "
         "cycles(id), "
         "code TEXT NOT NULL, open_code TEXT UNIQUE, pace TEXT NOT NULL, step_order TEXT NOT NULL, "
         "round INTEGER NOT NULL, step INTEGER NOT NULL, steps TEXT NOT NULL, second_steps TEXT "
         "NOT NULL, "
         "version BIGINT NOT NULL, created_by TEXT NOT NULL, created_at BIGINT NOT NULL, ended_at "
         "BIGINT)",
         "CREATE INDEX workshops_by_cycle ON workshops (cycle_id, created_at)",
         "CREATE TABLE workshop_reveals (workshop_id TEXT NOT NULL REFERENCES workshops(id), "
         "round INTEGER NOT NULL, item_id TEXT NOT NULL, histogram TEXT NOT NULL, dont_know "
         "INTEGER NOT NULL, "
         "revealed_at BIGINT NOT NULL, PRIMARY KEY (workshop_id, round, item_id))",
         "ALTER TABLE participants ADD COLUMN workshop_id TEXT",
         "CREATE INDEX participants_by_workshop ON participants (workshop_id)",
         "CREATE TABLE round_answers (participant_id TEXT NOT NULL REFERENCES participants(id), "
         "round INTEGER NOT NULL, item_id TEXT NOT NULL, value INTEGER, updated_at BIGINT NOT "
         "NULL, "
         "PRIMARY KEY (participant_id, round, item_id))",
         nullptr}},
    // Survey imports (docs/import.md): respondents of a survey tool's export
    // become submitted participants of a cycle, marked with their import;
    // source_key (a hash of the export's respondent id) refuses the same
    // respondent twice in one cycle. No foreign key from participants to
    // imports: a restore copies participants first.
    Migration{
        12,
        {"CREATE TABLE imports (id TEXT PRIMARY KEY, cycle_id TEXT NOT NULL REFERENCES cycles(id), "
         "file_name TEXT NOT NULL, mapping TEXT NOT NULL, respondents BIGINT NOT NULL, "
         "imported_by TEXT NOT NULL, imported_at BIGINT NOT NULL)",
         "CREATE INDEX imports_by_cycle ON imports (cycle_id, imported_at)",
         "ALTER TABLE participants ADD COLUMN import_id TEXT",
         "ALTER TABLE participants ADD COLUMN source_key TEXT",
         "CREATE UNIQUE INDEX participants_by_source_key ON participants (cycle_id, source_key)",
         nullptr}},
    // An anonymous cycle's minimum group is at least 3 (SPEC section 8);
    // cycles made before the rule are raised to it, and what they released
    // in steps below 3 is withdrawn: a closed one is released again as one
    // step when at least 3 of its respondents answered themselves, an open
    // one at its next close.
    Migration{
        13,
        {"UPDATE participants SET released_in = CASE WHEN submitted_at IS NOT NULL AND revoked = 0 "
         "AND (SELECT status FROM cycles c WHERE c.id = participants.cycle_id) = 'closed' AND "
         "(SELECT COUNT(*) FROM participants q WHERE q.cycle_id = participants.cycle_id AND "
         "q.submitted_at IS NOT NULL AND q.revoked = 0 AND COALESCE(q.import_id, '') = '') >= 3 "
         "THEN 1 ELSE NULL END WHERE cycle_id IN (SELECT id FROM cycles WHERE anonymous = 1 AND "
         "min_group_size < 3)",
         "UPDATE cycles SET releases = CASE WHEN EXISTS (SELECT 1 FROM participants p WHERE "
         "p.cycle_id = cycles.id AND p.released_in = 1) THEN 1 ELSE 0 END, answers_version = "
         "answers_version + 1 WHERE anonymous = 1 AND min_group_size < 3",
         "UPDATE cycles SET min_group_size = 3 WHERE anonymous = 1 AND min_group_size < 3",
         nullptr}},
    // Workshop phones: the browser that joined (a hash of its device
    // cookie) and whether a member of the organization joined it, so that a
    // reveal counts distinct phones of people other than the organizers.
    Migration{14,
              {"ALTER TABLE participants ADD COLUMN device_hash TEXT",
               "ALTER TABLE participants ADD COLUMN joined_by_member INTEGER NOT NULL DEFAULT 0",
               nullptr}},
    // A participant-facing title per cycle (SPEC section 5): participants
    // never see the internal name.
    Migration{15, {"ALTER TABLE cycles ADD COLUMN title TEXT NOT NULL DEFAULT ''", nullptr}},
    // An organization's branding on its reports, cards and participant
    // pages: the consultant or firm, a confidentiality line, and a logo (a
    // checked PNG or JPEG of at most 256 kB, kept as base64 text so that
    // SQLite and PostgreSQL store it alike; empty for none).
    Migration{16,
              {"ALTER TABLE organizations ADD COLUMN consultant TEXT NOT NULL DEFAULT ''",
               "ALTER TABLE organizations ADD COLUMN confidentiality TEXT NOT NULL DEFAULT ''",
               "ALTER TABLE organizations ADD COLUMN logo_type TEXT NOT NULL DEFAULT ''",
               "ALTER TABLE organizations ADD COLUMN logo_base64 TEXT NOT NULL DEFAULT ''",
               "ALTER TABLE organizations ADD COLUMN logo_updated_at BIGINT NOT NULL DEFAULT 0",
               nullptr}},
    // Size bands in their canonical form (core::kSizeBands): the
    // organization form wrote en dashes and thousands separators, which no
    // dataset's "250-999" matched.
    Migration{17,
              {"UPDATE organizations SET size_band = '1-49' WHERE size_band = '1\u201349'",
               "UPDATE organizations SET size_band = '50-249' WHERE size_band = '50\u2013249'",
               "UPDATE organizations SET size_band = '250-999' WHERE size_band = '250\u2013999'",
               "UPDATE organizations SET size_band = '1000-4999' WHERE size_band = "
               "'1,000\u20134,999'",
               "UPDATE organizations SET size_band = '5000+' WHERE size_band = '5,000+'", nullptr}},
    // E-mail invitations and reminders (SPEC section 4.7): the people a
    // cycle's links are mailed to, apart from the answers (email_key: the
    // address in lower case, one per cycle), each mailing cycle's link key
    // (links are re-made from it, never stored), and the outbox (never a
    // link nor a body). The reminder schedule per cycle: days as text
    // lists ("3,7").
    Migration{
        18,
        {"CREATE TABLE mail_recipients (participant_id TEXT PRIMARY KEY REFERENCES "
         "participants(id), cycle_id TEXT NOT NULL REFERENCES cycles(id), name TEXT NOT NULL, "
         "email TEXT NOT NULL, email_key TEXT NOT NULL, invited_at BIGINT, reminders INTEGER NOT "
         "NULL DEFAULT 0, last_reminded_at BIGINT, created_at BIGINT NOT NULL)",
         "CREATE UNIQUE INDEX mail_recipients_by_address ON mail_recipients (cycle_id, email_key)",
         "CREATE TABLE mail_keys (cycle_id TEXT PRIMARY KEY REFERENCES cycles(id), link_key TEXT "
         "NOT NULL, created_at BIGINT NOT NULL)",
         "CREATE TABLE mail_outbox (id TEXT PRIMARY KEY, cycle_id TEXT NOT NULL REFERENCES "
         "cycles(id), participant_id TEXT REFERENCES participants(id), kind TEXT NOT NULL, state "
         "TEXT NOT NULL, attempts INTEGER NOT NULL DEFAULT 0, next_attempt_at BIGINT NOT NULL, "
         "lease_owner TEXT, lease_until BIGINT, last_error TEXT NOT NULL DEFAULT '', created_at "
         "BIGINT NOT NULL, sent_at BIGINT)",
         "CREATE INDEX mail_outbox_due ON mail_outbox (state, next_attempt_at)",
         "CREATE INDEX mail_outbox_by_cycle ON mail_outbox (cycle_id, created_at)",
         "ALTER TABLE cycles ADD COLUMN reminder_after_days TEXT NOT NULL DEFAULT ''",
         "ALTER TABLE cycles ADD COLUMN reminder_before_close_days TEXT NOT NULL DEFAULT ''",
         "ALTER TABLE cycles ADD COLUMN max_reminders INTEGER NOT NULL DEFAULT 2", nullptr}},
    // Revoking a link of an anonymous cycle closes it and keeps it counted
    // (docs/anonymity.md rule 4): the link opens no more, its person stays
    // invited, and a submitted response stays in the results.
    Migration{
        19,
        {"ALTER TABLE participants ADD COLUMN link_closed INTEGER NOT NULL DEFAULT 0", nullptr}},
    // Comments (SPEC section 2): free text per participant and competency,
    // apart from the answers, with a random id (no order of submission);
    // a facilitator may hide one with a reason (kept with who and when),
    // never change it.
    Migration{
        20,
        {"CREATE TABLE comments (id TEXT PRIMARY KEY, participant_id TEXT NOT NULL REFERENCES "
         "participants(id), competency_id TEXT NOT NULL, text TEXT NOT NULL, updated_at BIGINT NOT "
         "NULL, hidden INTEGER NOT NULL DEFAULT 0, hidden_reason TEXT NOT NULL DEFAULT '', "
         "hidden_by TEXT, hidden_at BIGINT)",
         "CREATE UNIQUE INDEX comments_by_participant ON comments (participant_id, competency_id)",
         nullptr}},
    // Customer metrics (SPEC section 4.10): an organization's figures per
    // metric, period and unit ('' for the whole organization), and the
    // definitions of its named ratings.
    Migration{
        21,
        {"CREATE TABLE customer_metrics (org_id TEXT NOT NULL REFERENCES organizations(id), "
         "metric TEXT NOT NULL, period TEXT NOT NULL, unit TEXT NOT NULL DEFAULT '', value DOUBLE "
         "PRECISION NOT NULL, respondents BIGINT NOT NULL, source TEXT NOT NULL, synthetic "
         "INTEGER NOT NULL DEFAULT 0, PRIMARY KEY (org_id, metric, period, unit))",
         "CREATE TABLE customer_metric_definitions (org_id TEXT NOT NULL REFERENCES "
         "organizations(id), metric TEXT NOT NULL, name TEXT NOT NULL, definition TEXT NOT NULL, "
         "scale_min DOUBLE PRECISION NOT NULL, scale_max DOUBLE PRECISION NOT NULL, PRIMARY KEY "
         "(org_id, metric))",
         nullptr}},
    // Customer-ratings datasets (docs/ratings-datasets.md): provenance, and
    // the validated rows as CSV kept whole apart from it, as benchmark
    // datasets are kept.
    Migration{
        22,
        {"CREATE TABLE ratings_datasets (id TEXT PRIMARY KEY, name TEXT NOT NULL, source TEXT NOT "
         "NULL, citation TEXT NOT NULL, licence TEXT NOT NULL, published_on TEXT NOT NULL, "
         "synthetic INTEGER NOT NULL, ratings BIGINT NOT NULL, metrics TEXT NOT NULL, created_by "
         "TEXT NOT NULL, created_at BIGINT NOT NULL)",
         "CREATE TABLE ratings_dataset_rows (dataset_id TEXT PRIMARY KEY REFERENCES "
         "ratings_datasets(id), ratings_csv TEXT NOT NULL)",
         nullptr}},
    // Languages (SPEC section 4.8): the languages a cycle offers (the first
    // its default) with a snapshot of its model's translations, the one a
    // participant chose ('' when none), and a user's for the application
    // ('' follows the browser).
    Migration{
        23,
        {"ALTER TABLE cycles ADD COLUMN languages TEXT NOT NULL DEFAULT 'en'",
         "CREATE TABLE cycle_translations (cycle_id TEXT NOT NULL REFERENCES cycles(id), lang TEXT "
         "NOT NULL, yaml TEXT NOT NULL, PRIMARY KEY (cycle_id, lang))",
         "ALTER TABLE participants ADD COLUMN lang TEXT NOT NULL DEFAULT ''",
         "ALTER TABLE users ADD COLUMN lang TEXT NOT NULL DEFAULT ''", nullptr}},
    // The language a link had chosen when it submitted: what the report
    // counts, fixed with the answers (a later choice, say on the thank-you
    // page or a workshop seat, must not move a published count).
    Migration{
        24,
        {"ALTER TABLE participants ADD COLUMN answered_lang TEXT NOT NULL DEFAULT ''", nullptr}},
    // One table of answers, the round a column (1: the questionnaire, or a
    // workshop's first round; 2: a workshop's second round): round_answers
    // moves in. SQLite cannot change a primary key in place, so the table
    // is rebuilt, on both databases alike; nothing refers to it.
    Migration{
        25,
        {"CREATE TABLE answers_by_round (participant_id TEXT NOT NULL REFERENCES "
         "participants(id), round INTEGER NOT NULL, item_id TEXT NOT NULL, value INTEGER, "
         "updated_at BIGINT NOT NULL, PRIMARY KEY (participant_id, round, item_id))",
         "INSERT INTO answers_by_round (participant_id, round, item_id, value, updated_at) SELECT "
         "participant_id, 1, item_id, value, updated_at FROM answers",
         "INSERT INTO answers_by_round (participant_id, round, item_id, value, updated_at) SELECT "
         "participant_id, round, item_id, value, updated_at FROM round_answers WHERE round <> 1",
         "DROP TABLE round_answers", "DROP TABLE answers",
         "ALTER TABLE answers_by_round RENAME TO answers", nullptr}},
    // A workshop's steps as rows: the statements (item_id) of each step of
    // each round, in order (the text columns move in, steps_to_rows). And
    // the process that announced each change on SQLite (change_feed.h), so
    // that a process tells its own changes from others'.
    Migration{26,
              {"CREATE TABLE workshop_steps (workshop_id TEXT NOT NULL REFERENCES workshops(id), "
               "round INTEGER NOT NULL, step INTEGER NOT NULL, position INTEGER NOT NULL, item_id "
               "TEXT NOT NULL, PRIMARY KEY (workshop_id, round, step, position))",
               "ALTER TABLE changes ADD COLUMN origin TEXT NOT NULL DEFAULT ''", nullptr},
              steps_to_rows},
};

// Versions run 1, 2, 3, ... with no gap: apply() skips every version up
// to the database's, so one added later below the latest would never run.
constexpr bool contiguous() {
  for (std::size_t i = 0; i < kMigrations.size(); ++i) {
    if (kMigrations[i].version != static_cast<int>(i) + 1) return false;
  }
  return true;
}
static_assert(contiguous(), "migration versions must be 1, 2, 3, ... without gaps");

}  // namespace

int latest_schema_version() { return kMigrations.back().version; }

int read_schema_version(soci::session& sql) {
  int version = 0;
  soci::indicator indicator = soci::i_ok;
  sql << "SELECT MAX(version) FROM schema_migrations", soci::into(version, indicator);
  return indicator == soci::i_null ? 0 : version;
}

void migrate(soci::session& sql) {
  const bool postgres = sql.get_backend_name() == "postgresql";
  {
    // Under the lock too: on PostgreSQL, CREATE TABLE IF NOT EXISTS racing
    // itself in another session fails ("type already exists") when several
    // processes start at once on an empty database.
    soci::transaction transaction(sql);
    if (postgres) sql << "SELECT pg_advisory_xact_lock(7012001)";
    sql << "CREATE TABLE IF NOT EXISTS schema_migrations (version INTEGER PRIMARY KEY, "
           "applied_at BIGINT NOT NULL)";
    transaction.commit();
  }
  for (const Migration& migration : kMigrations) {
    soci::transaction transaction(sql);
    // Several cxm processes may start at once against one PostgreSQL: the
    // transaction-scoped advisory lock lets one migrate while others wait.
    if (postgres) sql << "SELECT pg_advisory_xact_lock(7012001)";
    if (read_schema_version(sql) >= migration.version) continue;
    for (const char* statement : migration.statements) {
      if (statement == nullptr) break;
      sql << statement;
    }
    if (migration.then) migration.then(sql);
    const long long now = std::chrono::duration_cast<std::chrono::milliseconds>(
                              std::chrono::system_clock::now().time_since_epoch())
                              .count();
    sql << "INSERT INTO schema_migrations (version, applied_at) VALUES (:v, :t)",
        soci::use(migration.version), soci::use(now);
    transaction.commit();
  }
}

}  // namespace cxm::store
