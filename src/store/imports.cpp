// Survey imports: a survey tool's respondents stored as submitted
// participants of a cycle, all in one transaction.
#include <set>

#include "store/store_impl.h"

namespace cxm::store {

ImportWrite Store::import_respondents(const SurveyImport& survey_import,
                                      const std::vector<ImportedRespondent>& respondents) {
  ImportWrite result;
  impl_->write([&](soci::session& sql) {
    result = ImportWrite{};
    // PostgreSQL: the row lock makes a concurrent close wait for this
    // commit, or this import wait for the close and see it (SQLite's writer
    // holds the database's write lock from the start).
    std::string status;
    soci::indicator none = soci::i_ok;
    sql << std::string("SELECT status FROM cycles WHERE id = :c") + (impl_->postgresql() ? " FOR UPDATE" : ""),
        soci::use(survey_import.cycle_id), soci::into(status, none);
    if (!sql.got_data() || none == soci::i_null) return;
    if (cycle_status_from(status) != CycleStatus::open) {
      result.outcome = ImportOutcome::cycle_not_open;
      return;
    }
    std::set<std::string> before;
    {
      soci::rowset<std::string> keys =
          (sql.prepare << "SELECT source_key FROM participants WHERE cycle_id = :c AND source_key IS NOT NULL",
           soci::use(survey_import.cycle_id));
      for (const auto& key : keys) before.insert(key);
    }
    for (const auto& r : respondents) {
      if (before.contains(r.source_key)) result.repeated.push_back(r.source_key);
    }
    if (!result.repeated.empty()) {
      result.outcome = ImportOutcome::already_imported;
      return;
    }
    const long long at = survey_import.imported_at;
    const long long count = static_cast<long long>(respondents.size());
    sql << "INSERT INTO imports (id, cycle_id, file_name, mapping, respondents, imported_by, imported_at) "
           "VALUES (:id, :c, :f, :m, :n, :by, :at)",
        soci::use(survey_import.id), soci::use(survey_import.cycle_id), soci::use(survey_import.file_name),
        soci::use(survey_import.mapping), soci::use(count), soci::use(survey_import.imported_by), soci::use(at);

    // Prepared once, executed per row with the values bound below. An
    // imported participant's token hash is no hash of any token ("import:"
    // and its id), so no link opens it.
    Participant p;
    std::string token, key;
    soci::statement insert_participant =
        (sql.prepare << "INSERT INTO participants (id, cycle_id, token_hash, label, role, unit, revoked, "
                        "submitted_at, created_at, import_id, source_key) "
                        "VALUES (:id, :c, :t, :l, :r, :u, 0, :s, :s2, :i, :k)",
         soci::use(p.id), soci::use(survey_import.cycle_id), soci::use(token), soci::use(p.label), soci::use(p.role),
         soci::use(p.unit), soci::use(at), soci::use(at), soci::use(survey_import.id), soci::use(key));
    std::string item;
    int value = 0;
    soci::indicator value_indicator = soci::i_ok;
    soci::statement insert_answer =
        (sql.prepare << "INSERT INTO answers (participant_id, item_id, value, updated_at) VALUES (:p, :i, :v, :t)",
         soci::use(p.id), soci::use(item), soci::use(value, value_indicator), soci::use(at));
    for (const auto& r : respondents) {
      p = r.participant;
      token = "import:" + p.id;
      key = r.source_key;
      insert_participant.execute(true);
      for (const auto& a : r.answers) {
        item = a.item_id;
        value = a.value.value_or(0);
        value_indicator = a.value ? soci::i_ok : soci::i_null;
        insert_answer.execute(true);
      }
    }
    sql << "UPDATE cycles SET answers_version = answers_version + 1 WHERE id = :c", soci::use(survey_import.cycle_id);
    impl_->announce(sql, ChangeKind::cycle, survey_import.cycle_id);
    result.outcome = ImportOutcome::imported;
  });
  return result;
}

std::vector<SurveyImport> Store::imports_of(const std::string& cycle_id) {
  return impl_->read([&](soci::session& sql) {
    std::vector<SurveyImport> out;
    soci::rowset<soci::row> rows =
        (sql.prepare << "SELECT id, cycle_id, file_name, mapping, respondents, imported_by, imported_at FROM imports "
                        "WHERE cycle_id = :c ORDER BY imported_at, id",
         soci::use(cycle_id));
    for (const auto& row : rows) {
      out.push_back(SurveyImport{as_text(row, 0), as_text(row, 1), as_text(row, 2), as_text(row, 3), as_int64(row, 4),
                                 as_text(row, 5), as_int64(row, 6)});
    }
    return out;
  });
}

std::vector<std::string> Store::imported_source_keys(const std::string& cycle_id) {
  return impl_->read([&](soci::session& sql) {
    std::vector<std::string> out;
    soci::rowset<std::string> keys =
        (sql.prepare << "SELECT source_key FROM participants WHERE cycle_id = :c AND source_key IS NOT NULL",
         soci::use(cycle_id));
    for (const auto& key : keys) out.push_back(key);
    return out;
  });
}

}  // namespace cxm::store
