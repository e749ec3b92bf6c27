// Comments: free text per participant and competency, kept apart from the
// answers (SPEC section 2). Saved with the answers (participants.cpp, in
// the same transaction and under the same rules); read back by their
// writer to resume, by the views that choose what may be shown
// (core/comments.h), and hidden by a facilitator, never changed.
#include "store/store_impl.h"

namespace cxm::store {

std::vector<StoredComment> Store::comments_of(const std::string& participant_id) {
  return impl_->read([&](soci::session& sql) {
    soci::rowset<soci::row> rows =
        (sql.prepare << "SELECT competency_id, text, id FROM comments WHERE participant_id = :p "
                        "ORDER BY competency_id",
         soci::use(participant_id));
    std::vector<StoredComment> out;
    for (const auto& row : rows)
      out.push_back(StoredComment{as_text(row, 0), as_text(row, 1), as_text(row, 2)});
    return out;
  });
}

std::vector<CycleComment> Store::cycle_comments(const std::string& cycle_id) {
  return impl_->read([&](soci::session& sql) {
    soci::rowset<soci::row> rows =
        (sql.prepare << "SELECT m.id, m.participant_id, m.competency_id, m.text, m.hidden, "
                        "m.hidden_reason, m.hidden_by, m.hidden_at FROM comments m JOIN "
                        "participants p ON p.id = m.participant_id WHERE p.cycle_id = :c AND "
                        "p.revoked = 0 AND p.workshop_id IS NULL ORDER BY m.id",
         soci::use(cycle_id));
    std::vector<CycleComment> out;
    for (const auto& row : rows) {
      CycleComment c{as_text(row, 0), as_text(row, 1), as_text(row, 2), as_text(row, 3)};
      c.hidden = as_int64(row, 4) != 0;
      c.hidden_reason = as_text(row, 5);
      c.hidden_by = as_text(row, 6);
      c.hidden_at = as_optional_int64(row, 7).value_or(0);
      out.push_back(std::move(c));
    }
    return out;
  });
}

HideOutcome Store::hide_comment(const std::string& cycle_id, const std::string& comment_id,
                                const std::string& reason, const std::string& user_id,
                                std::int64_t now, const AuditEntry& audit) {
  HideOutcome outcome = HideOutcome::not_found;
  impl_->write([&](soci::session& sql) {
    int hidden = 0;
    sql << "SELECT m.hidden FROM comments m JOIN participants p ON p.id = m.participant_id WHERE "
           "m.id = :id AND p.cycle_id = :c AND p.revoked = 0",
        soci::use(comment_id), soci::use(cycle_id), soci::into(hidden);
    if (!sql.got_data()) {
      outcome = HideOutcome::not_found;
      return;
    }
    if (hidden != 0) {
      outcome = HideOutcome::already_hidden;
      return;
    }
    const long long at = now;
    sql << "UPDATE comments SET hidden = 1, hidden_reason = :r, hidden_by = :u, hidden_at = :t "
           "WHERE id = :id AND hidden = 0",
        soci::use(reason), soci::use(user_id), soci::use(at), soci::use(comment_id);
    // The cached reports (with their comments section) must go, in every
    // process.
    sql << "UPDATE cycles SET answers_version = answers_version + 1 WHERE id = :c",
        soci::use(cycle_id);
    impl_->announce(sql, ChangeKind::cycle, cycle_id);
    outcome = HideOutcome::hidden;
    Impl::record_audit(sql, audit);
  });
  return outcome;
}

}  // namespace cxm::store
