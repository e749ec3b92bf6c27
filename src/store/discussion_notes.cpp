// Discussion notes: a facilitator's note and the group's decision per
// statement of a cycle.
#include "store/store_impl.h"

namespace cxm::store {

bool Store::save_discussion_note(const DiscussionNote& n, const AuditEntry& audit) {
  bool saved = false;
  impl_->write([&](soci::session& sql) {
    saved = false;
    int cycles = 0;
    sql << "SELECT COUNT(*) FROM cycles WHERE id = :c", soci::use(n.cycle_id), soci::into(cycles);
    if (cycles == 0) return;
    if (n.note.empty() && !n.decision) {
      sql << "DELETE FROM discussion_notes WHERE cycle_id = :c AND item_id = :i",
          soci::use(n.cycle_id), soci::use(n.item_id);
    } else {
      int decision = n.decision.value_or(0);
      soci::indicator decided = n.decision ? soci::i_ok : soci::i_null;
      sql << "INSERT INTO discussion_notes (cycle_id, item_id, note, decision, updated_at, "
             "updated_by) "
             "VALUES (:c, :i, :n, :d, :t, :u) ON CONFLICT (cycle_id, item_id) DO UPDATE SET "
             "note = excluded.note, decision = excluded.decision, updated_at = "
             "excluded.updated_at, "
             "updated_by = excluded.updated_by",
          soci::use(n.cycle_id), soci::use(n.item_id), soci::use(n.note),
          soci::use(decision, decided), soci::use(static_cast<long long>(n.updated_at)),
          soci::use(n.updated_by);
    }
    saved = true;
    Impl::record_audit(sql, audit);
  });
  return saved;
}

std::vector<DiscussionNote> Store::discussion_notes(const std::string& cycle_id) {
  return impl_->read([&](soci::session& sql) {
    soci::rowset<soci::row> rows = (sql.prepare << "SELECT cycle_id, item_id, note, decision, "
                                                   "updated_at, updated_by FROM discussion_notes "
                                                   "WHERE cycle_id = :c ORDER BY item_id",
                                    soci::use(cycle_id));
    std::vector<DiscussionNote> out;
    for (const auto& row : rows) {
      const auto decision = as_optional_int64(row, 3);
      out.push_back(
          DiscussionNote{as_text(row, 0), as_text(row, 1), as_text(row, 2),
                         decision ? std::optional<int>(static_cast<int>(*decision)) : std::nullopt,
                         as_int64(row, 4), as_text(row, 5)});
    }
    return out;
  });
}

}  // namespace cxm::store
