// For store tests of migrations: undoing a later migration on a database
// made at the latest schema, so that an older one can be made and opened.
#pragma once

#include <soci/soci.h>

namespace cxm::store {

// Undoes migration 25 (answers of every round in one table, the round a
// column): round-1 answers back in answers, later rounds in round_answers,
// as schema 24 kept them. SQL both databases take.
inline void undo_round_column(soci::session& sql) {
  sql << "CREATE TABLE round_answers (participant_id TEXT NOT NULL REFERENCES participants(id), "
         "round INTEGER NOT NULL, item_id TEXT NOT NULL, value INTEGER, updated_at BIGINT NOT "
         "NULL, PRIMARY KEY (participant_id, round, item_id))";
  sql << "INSERT INTO round_answers (participant_id, round, item_id, value, updated_at) SELECT "
         "participant_id, round, item_id, value, updated_at FROM answers WHERE round <> 1";
  sql << "CREATE TABLE answers_of_round_one (participant_id TEXT NOT NULL REFERENCES "
         "participants(id), item_id TEXT NOT NULL, value INTEGER, updated_at BIGINT NOT NULL, "
         "PRIMARY KEY (participant_id, item_id))";
  sql << "INSERT INTO answers_of_round_one (participant_id, item_id, value, updated_at) SELECT "
         "participant_id, item_id, value, updated_at FROM answers WHERE round = 1";
  sql << "DROP TABLE answers";
  sql << "ALTER TABLE answers_of_round_one RENAME TO answers";
}

}  // namespace cxm::store
