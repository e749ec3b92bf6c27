// Raw SQLite durable upserts: the limit the disk and SQLite set for cxm's
// answer writes on SQLite (bench/run builds and runs it). Same settings as
// cxm (src/store/open.cpp): WAL, synchronous=FULL (the WAL synced at every
// commit), foreign keys on; same table shape as cxm's answers table. One
// writer, as in cxm; each transaction upserts ROWS rows for one participant
// (a different one each time), committed one by one.
//
//   cc -O2 -o sqlite_upserts bench/sqlite_upserts.c -lsqlite3
//   ./sqlite_upserts FILE ROWS SECONDS    prints "<transactions/s> <rows/s>"
#include <sqlite3.h>
#include <stdio.h>
#include <stdlib.h>
#include <time.h>

static double now(void) {
  struct timespec t;
  clock_gettime(CLOCK_MONOTONIC, &t);
  return (double)t.tv_sec + (double)t.tv_nsec / 1e9;
}

static void check(sqlite3* db, int rc, const char* what) {
  if (rc != SQLITE_OK && rc != SQLITE_DONE && rc != SQLITE_ROW) {
    fprintf(stderr, "sqlite_upserts: %s: %s\n", what, sqlite3_errmsg(db));
    exit(1);
  }
}

static void exec(sqlite3* db, const char* sql) { check(db, sqlite3_exec(db, sql, 0, 0, 0), sql); }

int main(int argc, char** argv) {
  if (argc != 4) {
    fprintf(stderr, "usage: sqlite_upserts FILE ROWS SECONDS\n");
    return 2;
  }
  const int rows = atoi(argv[2]);
  const double seconds = atof(argv[3]);
  sqlite3* db = 0;
  const int opened = sqlite3_open(argv[1], &db);
  check(db, opened, "open");
  exec(db, "PRAGMA busy_timeout=5000");
  exec(db, "PRAGMA journal_mode=WAL");
  exec(db, "PRAGMA synchronous=FULL");
  exec(db, "PRAGMA foreign_keys=ON");
  exec(db,
       "CREATE TABLE IF NOT EXISTS answers (participant_id TEXT NOT NULL, round INTEGER NOT NULL, "
       "item_id TEXT NOT NULL, value INTEGER, updated_at BIGINT NOT NULL, "
       "PRIMARY KEY (participant_id, round, item_id))");
  sqlite3_stmt* begin;
  sqlite3_stmt* commit;
  sqlite3_stmt* upsert;
  check(db, sqlite3_prepare_v2(db, "BEGIN IMMEDIATE", -1, &begin, 0), "prepare");
  check(db, sqlite3_prepare_v2(db, "COMMIT", -1, &commit, 0), "prepare");
  check(db,
        sqlite3_prepare_v2(db,
                           "INSERT INTO answers (participant_id, round, item_id, value, "
                           "updated_at) VALUES (?, 1, ?, 4, ?) ON CONFLICT (participant_id, "
                           "round, item_id) DO UPDATE SET value = excluded.value, updated_at = "
                           "excluded.updated_at",
                           -1, &upsert, 0),
        "prepare");
  char participant[32];
  char item[16];
  long transactions = 0;
  const double start = now();
  double elapsed = 0;
  while (elapsed < seconds) {
    snprintf(participant, sizeof participant, "p%ld", transactions % 100000);
    check(db, sqlite3_step(begin), "begin");
    sqlite3_reset(begin);
    for (int r = 0; r < rows; ++r) {
      snprintf(item, sizeof item, "i%d", r);
      sqlite3_bind_text(upsert, 1, participant, -1, SQLITE_TRANSIENT);
      sqlite3_bind_text(upsert, 2, item, -1, SQLITE_TRANSIENT);
      sqlite3_bind_int64(upsert, 3, transactions);
      check(db, sqlite3_step(upsert), "upsert");
      sqlite3_reset(upsert);
    }
    check(db, sqlite3_step(commit), "commit");
    sqlite3_reset(commit);
    ++transactions;
    elapsed = now() - start;
  }
  printf("%.0f %.0f\n", transactions / elapsed, transactions * rows / elapsed);
  sqlite3_finalize(begin);
  sqlite3_finalize(commit);
  sqlite3_finalize(upsert);
  sqlite3_close(db);
  return 0;
}
