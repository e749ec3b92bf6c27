// Internal to src/store: the SOCI sessions, the writers and the helpers
// every aggregate's file uses.
#pragma once

#include <soci/soci.h>

#include <atomic>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "store/store.h"
#include "store/writer.h"

namespace cxm::store {

class ChangeWatcher;

struct Store::Impl {
  DatabaseUrl url;
  StoreOptions options;
  soci::connection_pool readers;
  // One writer on SQLite, which writes one transaction at a time. Several on
  // PostgreSQL, where a group's statements each wait for a round trip: a
  // participant's writes always go to the same one (so they stay in order
  // and two groups never touch the same participant's answers), all other
  // writes to the first.
  std::vector<std::unique_ptr<Writer>> writers;
  std::unique_ptr<ChangeWatcher> watcher;
  // Names this process's announcements in the change feed (random, per
  // Store): the watcher tells its own changes from other processes'.
  const std::string origin;
  // Log-in attempts claimed by this process; every 64th also sweeps old
  // rows from login_throttle.
  std::atomic<unsigned> throttle_claims{0};

  Impl(DatabaseUrl u, StoreOptions o);
  ~Impl();

  bool postgresql() const { return url.kind == DatabaseUrl::Kind::postgresql; }

  // Runs `fn` with a pooled reading session; SOCI's errors become StoreError.
  // A read that failed because its PostgreSQL connection was lost (the
  // server restarted, a network fault) runs once more on a new connection:
  // reads change nothing, so the request need not fail.
  template <typename F>
  auto read(F&& fn) {
    const std::size_t slot = readers.lease();
    struct GiveBack {
      soci::connection_pool& pool;
      std::size_t slot;
      ~GiveBack() { pool.give_back(slot); }
    } give_back{readers, slot};
    try {
      return fn(readers.at(slot));
    } catch (const soci::soci_error& e) {
      if (!reconnect_if_lost(readers.at(slot))) throw failure(e);
    }
    try {
      return fn(readers.at(slot));
    } catch (const soci::soci_error& e) {
      reconnect_if_lost(readers.at(slot));
      throw failure(e);
    }
  }

  Writer& writer_for(const std::string& participant_id) {
    return *writers[std::hash<std::string>{}(participant_id) % writers.size()];
  }
  void write(Writer::Job job) { writers.front()->run(std::move(job)); }
  // A write that touches one participant's row or answers.
  void write_for(const std::string& participant_id, Writer::Job job) {
    writer_for(participant_id).run(std::move(job));
  }

  // Writes `entry` to the audit log inside the transaction of `sql`;
  // nothing when it has no action.
  static void record_audit(soci::session& sql, const AuditEntry& entry);

  // Announces a change to every process's caches, inside the transaction
  // of `sql` (see change_feed.h).
  void announce(soci::session& sql, ChangeKind kind, const std::string& key) const;

  // The error for a failed statement: the database's own message, without
  // the statement or its bound values (which may be secrets).
  static StoreError failure(const soci::soci_error& e);
  // PostgreSQL: replaces a lost connection; true when it was lost and a new
  // one is open. SQLite has no connection to lose.
  bool reconnect_if_lost(soci::session& session);
};

// A failed statement's message for a log or a client: the database's own
// words and code, without the statement, its bound values, or any quoted
// value or row the database repeats (which may be secrets).
std::string safe_error_message(const soci::soci_error& e);

void open_session(soci::session& session, const DatabaseUrl& url, const StoreOptions& options);
std::unique_ptr<soci::session> connect(const DatabaseUrl& url, const StoreOptions& options);
void migrate(soci::session& session);
int read_schema_version(soci::session& session);

// SOCI maps SQL integers to int or long long depending on the backend;
// these read a column whatever its stored type.
std::int64_t as_int64(const soci::row& row, std::size_t column);
std::optional<std::int64_t> as_optional_int64(const soci::row& row, std::size_t column);
std::string as_text(const soci::row& row, std::size_t column);
double as_double(const soci::row& row, std::size_t column);

// Inside a write that changes what an organization's reports say: every
// cached report of its cycles misses in every process (organizations.cpp).
void invalidate_reports(const Store::Impl& impl, soci::session& sql, const std::string& org_id);

// Runs `query`, whose text ends in an IN list of `values.size()`
// placeholders made by in_list(), binding each value, and calls `each` for
// every row. For reading several cycles (or organizations) in one query.
std::string in_list(std::size_t count);
void for_each_row(soci::session& sql, const std::string& query,
                  const std::vector<std::string>& values,
                  const std::function<void(const soci::row&)>& each);

// Executes a prepared statement and steps it to its end: a SELECT left on
// its row keeps SQLite's read snapshot open past the commit, and a later
// write on that stale snapshot fails with "database is locked" once another
// process has written. Returns whether a row was read.
bool fetch_one(soci::statement& statement);

// Every answer row is written here, whatever wrote it (a link's
// questionnaire, a workshop seat's round, a survey import): one row per
// participant, round and statement, inserted or replaced in place (round
// 1: the questionnaire's answers, or a workshop's first round). Its
// statements are prepared once; bound values are copied in per row.
class AnswerRows {
 public:
  explicit AnswerRows(soci::session& sql);
  // Kept with the writer's current session (Writer::session_slot): the
  // hot path prepares nothing.
  static AnswerRows& of(Writer& writer, soci::session& sql);

  // One participant's answers in `round`.
  void write(const std::string& participant_id, int round, const std::vector<StoredAnswer>& answers,
             std::int64_t at);
  // Many participants' answers in round 1 (a survey import). On
  // PostgreSQL, where a statement is a round trip, 200 rows per statement;
  // on SQLite, in process, the prepared statement row by row (measured
  // with bench/import_bench.sh: 0.5 s and 0.06 s for 500 x 49 answers).
  struct Of {
    const std::string* participant_id;
    const std::vector<StoredAnswer>* answers;
  };
  void write_many(const std::vector<Of>& participants, std::int64_t at);
  // How many answers of `round` the participant has.
  std::size_t count(const std::string& participant_id, int round);

  // Several participants' answers, each in its round (a group of saves in
  // one transaction; each participant and round at most once); returns, in
  // order, how many answers of its round each participant has now. On
  // PostgreSQL one statement writes and counts them all (the rows as
  // arrays, unnest), prepared once: a round trip per group, not two or
  // more per save. The participants' rows must be locked (the link check)
  // so that the counts are exact. An item given twice in a group keeps its
  // last value.
  struct Group {
    const std::string* participant_id;
    int round;
    const std::vector<StoredAnswer>* answers;
    std::int64_t at;
  };
  std::vector<std::size_t> write_groups(const std::vector<Group>& groups);

 private:
  soci::session& sql_;
  std::string participant_, item_;
  int round_ = 1;
  int value_ = 0;
  soci::indicator value_indicator_ = soci::i_ok;
  long long at_ = 0;
  long long count_ = 0;
  soci::statement upsert_;
  soci::statement counted_;
  // write_groups on PostgreSQL: its arrays (text literals) and its counts.
  std::string group_participants_, group_rounds_, group_items_, group_values_, group_at_;
  std::string group_keys_, group_key_rounds_, group_counts_;
  std::unique_ptr<soci::statement> upsert_groups_;  // prepared on first use
};

// Appends `value` to a PostgreSQL array's text literal being built in `out`
// ("{" first, "}" after the last): quoted, so any text passes as it is.
void append_array_text(std::string& out, const std::string& value);

// Inserts `rows` rows, up to 200 in each statement (`prefix` ends in
// VALUES; each row has `columns` placeholders; `suffix` follows the rows,
// e.g. an ON CONFLICT clause), binding row i's values with `bind(statement,
// i)`; the values must outlive the call.
void insert_rows(soci::session& sql, const std::string& prefix, std::size_t columns,
                 std::size_t rows, const std::function<void(soci::statement&, std::size_t)>& bind,
                 const std::string& suffix = "");

// Inside an answer write (participants.cpp), after the link check: the
// workshop's rules for a seat's `answers` in `round` (workshops.cpp). The
// workshop's row is read FOR SHARE on PostgreSQL, so a reveal, a step or
// the end waits for this write or this write sees it. none when they
// hold; `workshop_id` is the seat's workshop.
LinkRefusal workshop_answer_refusal(const Store::Impl& impl, soci::session& sql,
                                    const std::string& workshop_id,
                                    const std::string& participant_id, int round,
                                    const std::vector<StoredAnswer>& answers);

// A reminder schedule's days as stored ("3,7") and back; text that is not
// a number is skipped.
std::string day_list_text(const std::vector<int>& days);
std::vector<int> day_list(const std::string& text);

// A list of ids as stored ("a,b,c") and back; ids hold no comma
// (benchmarks.cpp).
std::string id_list_text(const std::vector<std::string>& ids);
std::vector<std::string> id_list(const std::string& text);

// Closing a cycle (inside transition_cycle's transaction, mail.cpp): erases
// its mail recipients and link key, cancels its queued messages and clears
// participant_id on its outbox rows.
void erase_mail_on_close(soci::session& sql, const std::string& cycle_id);
// In the transaction that revokes a link: its queued messages are
// cancelled and its address erased (the person may be invited again with
// the same address, say after a typo in their name).
void erase_mail_on_revoke(soci::session& sql, const std::string& participant_id);

// Copying rows between databases (backup.cpp; backups and organization
// exports). open_sqlite_file: a backup or export file (`what` names it in
// the error), brought up to this build's schema. columns_of: a SQLite
// file's columns of `table`, in order.
// copy_rows: the rows of `table` that `where` selects (binding `key` as
// :org when not empty; every row when `where` is empty) into `to`, value by
// value whatever its type, NULL as NULL; `map_text` (may be empty) may
// rewrite a text value on the way (ids mapped). Returns the rows copied.
using MapText = std::function<void(std::size_t column, std::string& text)>;
std::unique_ptr<soci::session> open_sqlite_file(const std::string& path, const std::string& what);
std::vector<std::string> columns_of(soci::session& file, const std::string& table);
std::size_t copy_rows(soci::session& from, soci::session& to, const std::string& table,
                      const std::vector<std::string>& columns, const std::string& where,
                      const std::string& key, const MapText& map_text);

}  // namespace cxm::store
