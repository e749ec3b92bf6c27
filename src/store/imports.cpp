// Survey imports: a survey tool's respondents stored as submitted
// participants of a cycle, all in one transaction.
#include <algorithm>
#include <set>

#include "store/store_impl.h"

namespace cxm::store {
namespace {

const int kNotRevoked = 0;

// How the participants of an import are written, measured with
// bench/import_bench.sh (500 respondents x 49 statements): on PostgreSQL a
// statement is a round trip, so one per row took 2.8 s and 200 rows per
// statement 0.5 s; on SQLite, in process, one prepared statement executed
// per row took 0.06 s and 200 rows per statement 0.26 s. Their answers go
// through the one writer of answer rows (AnswerRows), likewise. An
// imported participant's token hash is no hash of any token ("import:" and
// its id), so no link opens it: it is a participant without a link, whose
// answers the facilitator supplied (import_id marks it, and never
// completes anyone's group).
void insert_participants(soci::session& sql, bool many_per_statement,
                         const SurveyImport& survey_import,
                         const std::vector<ImportedRespondent>& respondents) {
  const long long at = survey_import.imported_at;
  std::vector<std::string> tokens;
  for (const auto& r : respondents) tokens.push_back("import:" + r.participant.id);
  if (many_per_statement) {
    insert_rows(sql,
                "INSERT INTO participants (id, cycle_id, token_hash, label, role, unit, revoked, "
                "submitted_at, created_at, import_id, source_key) VALUES ",
                11, respondents.size(), [&](soci::statement& st, std::size_t i) {
                  const Participant& p = respondents[i].participant;
                  st.exchange(soci::use(p.id));
                  st.exchange(soci::use(survey_import.cycle_id));
                  st.exchange(soci::use(tokens[i]));
                  st.exchange(soci::use(p.label));
                  st.exchange(soci::use(p.role));
                  st.exchange(soci::use(p.unit));
                  st.exchange(soci::use(kNotRevoked));
                  st.exchange(soci::use(at));
                  st.exchange(soci::use(at));
                  st.exchange(soci::use(survey_import.id));
                  st.exchange(soci::use(respondents[i].source_key));
                });
    return;
  }
  Participant p;
  std::string token, key;
  soci::statement insert_participant =
      (sql.prepare
           << "INSERT INTO participants (id, cycle_id, token_hash, label, role, unit, revoked, "
              "submitted_at, created_at, import_id, source_key) "
              "VALUES (:id, :c, :t, :l, :r, :u, 0, :s, :s2, :i, :k)",
       soci::use(p.id), soci::use(survey_import.cycle_id), soci::use(token), soci::use(p.label),
       soci::use(p.role), soci::use(p.unit), soci::use(at), soci::use(at),
       soci::use(survey_import.id), soci::use(key));
  for (std::size_t i = 0; i < respondents.size(); ++i) {
    p = respondents[i].participant;
    token = tokens[i];
    key = respondents[i].source_key;
    insert_participant.execute(true);
  }
}

}  // namespace

ImportWrite Store::import_respondents(const SurveyImport& survey_import,
                                      const std::vector<ImportedRespondent>& respondents,
                                      const AuditEntry& audit) {
  ImportWrite result;
  impl_->write([&](soci::session& sql) {
    result = ImportWrite{};
    // PostgreSQL: the row lock makes a concurrent close wait for this
    // commit, or this import wait for the close and see it (SQLite's writer
    // holds the database's write lock from the start).
    std::string status;
    soci::indicator none = soci::i_ok;
    sql << std::string("SELECT status FROM cycles WHERE id = :c") +
               (impl_->postgresql() ? " FOR UPDATE" : ""),
        soci::use(survey_import.cycle_id), soci::into(status, none);
    if (!sql.got_data() || none == soci::i_null) return;
    if (cycle_status_from(status) != CycleStatus::open) {
      result.outcome = ImportOutcome::cycle_not_open;
      return;
    }
    std::set<std::string> before;
    {
      soci::rowset<std::string> keys = (sql.prepare << "SELECT source_key FROM participants WHERE "
                                                       "cycle_id = :c AND source_key IS NOT NULL",
                                        soci::use(survey_import.cycle_id));
      for (const auto& key : keys) before.insert(key);
    }
    for (const auto& r : respondents) {
      if (before.contains(r.source_key) || (!r.typed_key.empty() && before.contains(r.typed_key)))
        result.repeated.push_back(r.source_key);
    }
    if (!result.repeated.empty()) {
      result.outcome = ImportOutcome::already_imported;
      return;
    }
    const long long at = survey_import.imported_at;
    const long long count = static_cast<long long>(respondents.size());
    sql << "INSERT INTO imports (id, cycle_id, file_name, mapping, respondents, imported_by, "
           "imported_at) "
           "VALUES (:id, :c, :f, :m, :n, :by, :at)",
        soci::use(survey_import.id), soci::use(survey_import.cycle_id),
        soci::use(survey_import.file_name), soci::use(survey_import.mapping), soci::use(count),
        soci::use(survey_import.imported_by), soci::use(at);

    insert_participants(sql, impl_->postgresql(), survey_import, respondents);
    std::vector<AnswerRows::Of> answers;
    for (const auto& r : respondents) answers.push_back({&r.participant.id, &r.answers});
    AnswerRows(sql).write_many(answers, survey_import.imported_at);
    // Comments of imported rows (rarely many): one statement per comment.
    for (const auto& r : respondents) {
      for (const auto& c : r.comments) {
        if (c.text.empty()) continue;
        sql << "INSERT INTO comments (id, participant_id, competency_id, text, updated_at) VALUES "
               "(:id, :p, :c, :t, :at)",
            soci::use(c.id), soci::use(r.participant.id), soci::use(c.competency_id),
            soci::use(c.text), soci::use(at);
      }
    }
    sql << "UPDATE cycles SET answers_version = answers_version + 1 WHERE id = :c",
        soci::use(survey_import.cycle_id);
    impl_->announce(sql, ChangeKind::cycle, survey_import.cycle_id);
    result.outcome = ImportOutcome::imported;
    Impl::record_audit(sql, audit);
  });
  return result;
}

std::vector<SurveyImport> Store::imports_of(const std::string& cycle_id) {
  return impl_->read([&](soci::session& sql) {
    std::vector<SurveyImport> out;
    soci::rowset<soci::row> rows =
        (sql.prepare << "SELECT id, cycle_id, file_name, mapping, respondents, imported_by, "
                        "imported_at FROM imports "
                        "WHERE cycle_id = :c ORDER BY imported_at, id",
         soci::use(cycle_id));
    for (const auto& row : rows) {
      out.push_back(SurveyImport{as_text(row, 0), as_text(row, 1), as_text(row, 2), as_text(row, 3),
                                 as_int64(row, 4), as_text(row, 5), as_int64(row, 6)});
    }
    return out;
  });
}

std::vector<std::string> Store::imported_source_keys(const std::string& cycle_id) {
  return impl_->read([&](soci::session& sql) {
    std::vector<std::string> out;
    soci::rowset<std::string> keys = (sql.prepare << "SELECT source_key FROM participants WHERE "
                                                     "cycle_id = :c AND source_key IS NOT NULL",
                                      soci::use(cycle_id));
    for (const auto& key : keys) out.push_back(key);
    return out;
  });
}

}  // namespace cxm::store
