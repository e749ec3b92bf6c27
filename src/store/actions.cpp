// Action plans: an organization's actions and their status history.
#include <sstream>

#include "store/store_impl.h"

namespace cxm::store {
namespace {

constexpr const char* kActionColumns =
    "SELECT id, org_id, cycle_id, kind, title, description, reason, competency, target_stage, "
    "items, owner, "
    "success_measure, due, status, version, created_at, updated_at FROM actions ";

std::vector<std::string> split_items(const std::string& text) {
  std::vector<std::string> out;
  std::istringstream in(text);
  for (std::string id; in >> id;) out.push_back(id);
  return out;
}

std::string join_items(const std::vector<std::string>& items) {
  std::string out;
  for (const auto& id : items) out += (out.empty() ? "" : " ") + id;
  return out;
}

Action action_from(const soci::row& row) {
  Action a;
  a.id = as_text(row, 0);
  a.org_id = as_text(row, 1);
  a.cycle_id = as_text(row, 2);
  a.kind = core::plan_action_kind_from(as_text(row, 3));  // '': added by hand
  a.title = as_text(row, 4);
  a.description = as_text(row, 5);
  a.reason = as_text(row, 6);
  a.competency = as_text(row, 7);
  if (const auto stage = as_optional_int64(row, 8)) a.target_stage = static_cast<int>(*stage);
  a.items = split_items(as_text(row, 9));
  a.owner = as_text(row, 10);
  a.success_measure = as_text(row, 11);
  if (row.get_indicator(12) != soci::i_null) a.due = as_text(row, 12);
  a.status = action_status_from(as_text(row, 13)).value_or(ActionStatus::planned);
  a.version = as_int64(row, 14);
  a.created_at = as_int64(row, 15);
  a.updated_at = as_int64(row, 16);
  return a;
}

void read_history(soci::session& sql, Action& a) {
  soci::rowset<soci::row> rows =
      (sql.prepare
           << "SELECT from_status, to_status, user_id, user_name, at FROM action_status_changes "
              "WHERE action_id = :id ORDER BY seq",
       soci::use(a.id));
  for (const auto& row : rows) {
    StatusChange change;
    if (row.get_indicator(0) != soci::i_null) change.from = action_status_from(as_text(row, 0));
    change.to = action_status_from(as_text(row, 1)).value_or(ActionStatus::planned);
    change.user_id = as_text(row, 2);
    change.user_name = as_text(row, 3);
    change.at = as_int64(row, 4);
    a.history.push_back(std::move(change));
  }
}

void insert_history(soci::session& sql, const std::string& action_id, const StatusChange& change) {
  long long seq = 0;
  sql << "SELECT COALESCE(MAX(seq), 0) + 1 FROM action_status_changes WHERE action_id = :id",
      soci::use(action_id), soci::into(seq);
  const std::string from(change.from ? to_text(*change.from) : "");
  soci::indicator from_indicator = change.from ? soci::i_ok : soci::i_null;
  const std::string to(to_text(change.to));
  sql << "INSERT INTO action_status_changes (action_id, seq, from_status, to_status, user_id, "
         "user_name, at) "
         "VALUES (:a, :s, :f, :t, :u, :n, :at)",
      soci::use(action_id), soci::use(seq), soci::use(from, from_indicator), soci::use(to),
      soci::use(change.user_id), soci::use(change.user_name),
      soci::use(static_cast<long long>(change.at));
}

// The nullable columns, bound with their indicators.
struct NullableFields {
  int stage = 0;
  soci::indicator stage_indicator = soci::i_null;
  std::string due;
  soci::indicator due_indicator = soci::i_null;
  std::string items;
  std::string status;
  std::string kind;  // '' for an action added by hand
  explicit NullableFields(const Action& a)
      : stage(a.target_stage.value_or(0)),
        stage_indicator(a.target_stage ? soci::i_ok : soci::i_null),
        due(a.due.value_or("")),
        due_indicator(a.due ? soci::i_ok : soci::i_null),
        items(join_items(a.items)),
        status(to_text(a.status)),
        kind(a.kind ? core::to_string(*a.kind) : "") {}
};

}  // namespace

void Store::create_action(const Action& a, const StatusChange& created, const AuditEntry& audit) {
  impl_->write([&](soci::session& sql) {
    NullableFields f(a);
    sql << "INSERT INTO actions (id, org_id, cycle_id, kind, title, description, reason, "
           "competency, target_stage, "
           "items, owner, success_measure, due, status, version, created_at, updated_at) VALUES "
           "(:id, :org, :cycle, "
           ":kind, :title, :description, :reason, :competency, :stage, :items, :owner, :measure, "
           ":due, :status, 1, "
           ":created, :updated)",
        soci::use(a.id), soci::use(a.org_id), soci::use(a.cycle_id), soci::use(f.kind),
        soci::use(a.title), soci::use(a.description), soci::use(a.reason), soci::use(a.competency),
        soci::use(f.stage, f.stage_indicator), soci::use(f.items), soci::use(a.owner),
        soci::use(a.success_measure), soci::use(f.due, f.due_indicator), soci::use(f.status),
        soci::use(static_cast<long long>(a.created_at)),
        soci::use(static_cast<long long>(a.updated_at));
    insert_history(sql, a.id, created);
    Impl::record_audit(sql, audit);
  });
}

std::vector<Action> Store::actions_of(const std::string& org_id) {
  return impl_->read([&](soci::session& sql) {
    std::vector<Action> out;
    {
      soci::rowset<soci::row> rows =
          (sql.prepare << std::string(kActionColumns) + "WHERE org_id = :o ORDER BY created_at, id",
           soci::use(org_id));
      for (const auto& row : rows) out.push_back(action_from(row));
    }
    for (auto& a : out) read_history(sql, a);
    return out;
  });
}

std::optional<Action> Store::find_action(const std::string& org_id, const std::string& id) {
  return impl_->read([&](soci::session& sql) -> std::optional<Action> {
    std::optional<Action> found;
    {
      soci::rowset<soci::row> rows =
          (sql.prepare << std::string(kActionColumns) + "WHERE id = :id AND org_id = :o",
           soci::use(id), soci::use(org_id));
      for (const auto& row : rows) found = action_from(row);
    }
    if (found) read_history(sql, *found);
    return found;
  });
}

ActionChange Store::update_action(const Action& a, std::int64_t expected_version,
                                  const StatusChange& who, const AuditEntry& audit) {
  ActionChange outcome = ActionChange::not_found;
  impl_->write([&](soci::session& sql) {
    std::string old_status;
    long long version = 0;
    soci::indicator found = soci::i_null;
    soci::statement select =
        (sql.prepare << "SELECT status, version FROM actions WHERE id = :id AND org_id = :o",
         soci::use(a.id), soci::use(a.org_id), soci::into(old_status, found), soci::into(version));
    if (!fetch_one(select) || found == soci::i_null) {
      outcome = ActionChange::not_found;
      return;
    }
    if (version != expected_version) {
      outcome = ActionChange::conflict;
      return;
    }
    NullableFields f(a);
    const long long expected = expected_version;
    soci::statement update =
        (sql.prepare
             << "UPDATE actions SET title = :title, description = :description, competency = "
                ":competency, "
                "target_stage = :stage, items = :items, owner = :owner, success_measure = "
                ":measure, "
                "due = :due, status = :status, version = version + 1, updated_at = :updated "
                "WHERE id = :id AND org_id = :o AND version = :v",
         soci::use(a.title), soci::use(a.description), soci::use(a.competency),
         soci::use(f.stage, f.stage_indicator), soci::use(f.items), soci::use(a.owner),
         soci::use(a.success_measure), soci::use(f.due, f.due_indicator), soci::use(f.status),
         soci::use(static_cast<long long>(who.at)), soci::use(a.id), soci::use(a.org_id),
         soci::use(expected));
    update.execute(true);
    if (update.get_affected_rows() != 1) {
      outcome = ActionChange::conflict;
      return;
    }
    if (f.status != old_status) {
      StatusChange change = who;
      change.from = action_status_from(old_status);
      change.to = a.status;
      insert_history(sql, a.id, change);
    }
    outcome = ActionChange::done;
    Impl::record_audit(sql, audit);
  });
  return outcome;
}

bool Store::delete_action(const std::string& org_id, const std::string& id,
                          const AuditEntry& audit) {
  bool deleted = false;
  impl_->write([&](soci::session& sql) {
    long long count = 0;
    sql << "SELECT COUNT(*) FROM actions WHERE id = :id AND org_id = :o", soci::use(id),
        soci::use(org_id), soci::into(count);
    deleted = count == 1;
    if (!deleted) return;
    sql << "DELETE FROM action_status_changes WHERE action_id = :id", soci::use(id);
    sql << "DELETE FROM actions WHERE id = :id AND org_id = :o", soci::use(id), soci::use(org_id);
    Impl::record_audit(sql, audit);
  });
  return deleted;
}

}  // namespace cxm::store
