// Assessment cycles.
#include "store/store_impl.h"

namespace cxm::store {
namespace {

// The model snapshot is large and immutable: rows are read without it, and
// cycle_model_yaml() fetches it when a process first needs it.
constexpr const char* kCycleColumns =
    "SELECT id, org_id, name, status, '', anonymous, min_group_size, opens_at, closes_at, "
    "created_at, "
    "answers_version, pulse, releases, closed_at, title, reminder_after_days, "
    "reminder_before_close_days, max_reminders, languages FROM cycles ";

// "en,de" <-> {"en", "de"}: language tags hold no comma.
std::vector<std::string> language_list(const std::string& text) {
  std::vector<std::string> out;
  std::size_t start = 0;
  while (start <= text.size()) {
    const std::size_t comma = std::min(text.find(',', start), text.size());
    if (comma > start) out.push_back(text.substr(start, comma - start));
    start = comma + 1;
  }
  if (out.empty()) out.push_back("en");
  return out;
}

std::string language_list_text(const std::vector<std::string>& languages) {
  std::string out;
  for (const auto& l : languages) out += (out.empty() ? "" : ",") + l;
  return out.empty() ? "en" : out;
}

Cycle cycle_from(const soci::row& row) {
  Cycle c{as_text(row, 0),
          as_text(row, 1),
          as_text(row, 2),
          cycle_status_from(as_text(row, 3)).value_or(CycleStatus::draft),
          as_text(row, 4),
          as_int64(row, 5) != 0,
          static_cast<int>(as_int64(row, 6)),
          as_optional_int64(row, 7),
          as_optional_int64(row, 8),
          as_int64(row, 9),
          as_int64(row, 10),
          as_int64(row, 11) != 0,
          static_cast<int>(as_int64(row, 12)),
          as_optional_int64(row, 13),
          as_text(row, 14)};
  c.reminder_after_days = day_list(as_text(row, 15));
  c.reminder_before_close_days = day_list(as_text(row, 16));
  c.max_reminders = static_cast<int>(as_int64(row, 17));
  c.languages = language_list(as_text(row, 18));
  return c;
}

// SOCI binds an optional time as a value with a null indicator.
struct OptionalTime {
  long long value = 0;
  soci::indicator indicator = soci::i_null;
  explicit OptionalTime(const std::optional<std::int64_t>& t)
      : value(t.value_or(0)), indicator(t ? soci::i_ok : soci::i_null) {}
};

// The cycle's row (creating a cycle, and repeating one).
void insert_cycle(soci::session& sql, const Cycle& c) {
  const int anonymous = c.anonymous ? 1 : 0;
  const int pulse = c.pulse ? 1 : 0;
  const std::string status(to_text(c.status));
  OptionalTime opens(c.opens_at), closes(c.closes_at);
  const std::string after = day_list_text(c.reminder_after_days);
  const std::string before = day_list_text(c.reminder_before_close_days);
  const std::string languages = language_list_text(c.languages);
  sql << "INSERT INTO cycles (id, org_id, name, status, model_yaml, anonymous, min_group_size, "
         "opens_at, "
         "closes_at, created_at, pulse, title, reminder_after_days, reminder_before_close_days, "
         "max_reminders, languages) VALUES (:id, :org, :name, :status, :model, :anon, "
         ":min, :opens, :closes, "
         ":created, :pulse, :title, :after, :before, :max, :languages)",
      soci::use(c.id), soci::use(c.org_id), soci::use(c.name), soci::use(status),
      soci::use(c.model_yaml), soci::use(anonymous), soci::use(c.min_group_size),
      soci::use(opens.value, opens.indicator), soci::use(closes.value, closes.indicator),
      soci::use(static_cast<long long>(c.created_at)), soci::use(pulse), soci::use(c.title),
      soci::use(after), soci::use(before), soci::use(c.max_reminders), soci::use(languages);
  for (const auto& [lang, yaml] : c.translation_yamls) {
    sql << "INSERT INTO cycle_translations (cycle_id, lang, yaml) VALUES (:c, :l, :y)",
        soci::use(c.id), soci::use(lang), soci::use(yaml);
  }
}

}  // namespace

void Store::create_cycle(const Cycle& c, const AuditEntry& audit) {
  impl_->write([&](soci::session& sql) {
    insert_cycle(sql, c);
    Impl::record_audit(sql, audit);
  });
}

std::optional<Cycle> Store::find_cycle(const std::string& id) {
  return impl_->read([&](soci::session& sql) -> std::optional<Cycle> {
    soci::rowset<soci::row> rows =
        (sql.prepare << std::string(kCycleColumns) + "WHERE id = :id", soci::use(id));
    for (const auto& row : rows) return cycle_from(row);
    return std::nullopt;
  });
}

std::vector<Cycle> Store::cycles_of(const std::string& org_id) {
  return impl_->read([&](soci::session& sql) {
    soci::rowset<soci::row> rows =
        (sql.prepare << std::string(kCycleColumns) + "WHERE org_id = :o ORDER BY created_at",
         soci::use(org_id));
    std::vector<Cycle> out;
    for (const auto& row : rows) out.push_back(cycle_from(row));
    return out;
  });
}

std::vector<Cycle> Store::cycles_for(const User& user) {
  return impl_->read([&](soci::session& sql) {
    std::vector<Cycle> out;
    if (user.is_admin) {
      soci::rowset<soci::row> rows =
          (sql.prepare << std::string(kCycleColumns) + "ORDER BY org_id, created_at");
      for (const auto& row : rows) out.push_back(cycle_from(row));
    } else {
      soci::rowset<soci::row> rows =
          (sql.prepare << std::string(kCycleColumns) +
                              "WHERE org_id IN (SELECT org_id FROM memberships WHERE user_id = :u) "
                              "ORDER BY org_id, created_at",
           soci::use(user.id));
      for (const auto& row : rows) out.push_back(cycle_from(row));
    }
    return out;
  });
}

std::vector<OrgCycleSummary> summarize_cycles(const std::vector<Cycle>& cycles) {
  std::vector<OrgCycleSummary> out;
  for (const auto& c : cycles) {
    if (out.empty() || out.back().org_id != c.org_id)
      out.push_back(OrgCycleSummary{c.org_id, std::nullopt, std::nullopt});
    OrgCycleSummary& s = out.back();
    if (!s.last_cycle || c.created_at >= s.last_cycle->created_at) s.last_cycle = c;
    if (c.closed_at && (!s.last_closed || *c.closed_at >= *s.last_closed->closed_at))
      s.last_closed = c;
  }
  return out;
}

CycleChange Store::create_cycle_with_participants(const Cycle& c,
                                                  const std::vector<Participant>& participants,
                                                  const std::vector<std::string>& token_hashes,
                                                  const AuditEntry& audit) {
  CycleChange outcome = CycleChange::not_found;
  impl_->write([&](soci::session& sql) {
    outcome = CycleChange::not_found;
    long long org = 0;
    sql << "SELECT COUNT(*) FROM organizations WHERE id = :o", soci::use(c.org_id), soci::into(org);
    if (org == 0) return;
    outcome = CycleChange::done;
    insert_cycle(sql, c);
    for (std::size_t i = 0; i < participants.size(); ++i) {
      const Participant& p = participants[i];
      sql << "INSERT INTO participants (id, cycle_id, token_hash, label, role, unit, revoked, "
             "created_at) "
             "VALUES (:id, :cycle, :token, :label, :role, :unit, 0, :created)",
          soci::use(p.id), soci::use(c.id), soci::use(token_hashes[i]), soci::use(p.label),
          soci::use(p.role), soci::use(p.unit), soci::use(static_cast<long long>(p.created_at));
    }
    Impl::record_audit(sql, audit);
  });
  return outcome;
}

std::string in_list(std::size_t count) {
  std::string in;
  for (std::size_t i = 0; i < count; ++i) in += (i ? ", :v" : ":v") + std::to_string(i);
  return in;
}

void for_each_row(soci::session& sql, const std::string& query,
                  const std::vector<std::string>& values,
                  const std::function<void(const soci::row&)>& each) {
  soci::row row;
  soci::statement st(sql);
  for (const auto& v : values) st.exchange(soci::use(v));
  st.exchange(soci::into(row));
  st.alloc();
  st.prepare(query);
  st.define_and_bind();
  if (!st.execute(true)) return;
  do each(row);
  while (st.fetch());
}

std::map<std::string, std::string> Store::cycle_model_yamls(const std::vector<std::string>& ids) {
  std::map<std::string, std::string> out;
  if (ids.empty()) return out;
  return impl_->read([&](soci::session& sql) {
    out.clear();
    for_each_row(sql, "SELECT id, model_yaml FROM cycles WHERE id IN (" + in_list(ids.size()) + ")",
                 ids, [&](const soci::row& row) { out[as_text(row, 0)] = as_text(row, 1); });
    return out;
  });
}

std::map<std::string, std::string> Store::cycle_translation_yamls(const std::string& id) {
  return impl_->read([&](soci::session& sql) {
    std::map<std::string, std::string> out;
    soci::rowset<soci::row> rows =
        (sql.prepare << "SELECT lang, yaml FROM cycle_translations WHERE cycle_id = :id",
         soci::use(id));
    for (const auto& row : rows) out[as_text(row, 0)] = as_text(row, 1);
    return out;
  });
}

std::string Store::cycle_model_yaml(const std::string& id) {
  return impl_->read([&](soci::session& sql) {
    std::string yaml;
    sql << "SELECT model_yaml FROM cycles WHERE id = :id", soci::use(id), soci::into(yaml);
    return yaml;
  });
}

namespace {

// The outcome of a conditional UPDATE of one cycle: done when it matched,
// else not_found or conflict, told apart in the same transaction.
CycleChange changed_or_why(soci::session& sql, soci::statement& update, const std::string& id) {
  update.execute(true);
  if (update.get_affected_rows() == 1) return CycleChange::done;
  long long count = 0;
  sql << "SELECT COUNT(*) FROM cycles WHERE id = :id", soci::use(id), soci::into(count);
  return count == 0 ? CycleChange::not_found : CycleChange::conflict;
}

// Closing an anonymous cycle releases the submissions not yet published,
// when at least min_group_size of them were answered by the respondents
// themselves: results change only in steps of that many people. Imported
// rows (answers the facilitator supplied) are released with them but never
// make up the step: a facilitator who knows k - 1 answers must not be able
// to manufacture them (SPEC section 8). Imported rows alone, with no one
// else waiting, are a step of their own when there are k of them (as
// core::counted_towards_group counts). Fewer wait for a later close.
void release_on_close(soci::session& sql, const std::string& id) {
  int anonymous = 0, min_group = 0, releases = 0;
  sql << "SELECT anonymous, min_group_size, releases FROM cycles WHERE id = :id", soci::use(id),
      soci::into(anonymous), soci::into(min_group), soci::into(releases);
  if (anonymous == 0) return;
  long long waiting = 0, own = 0;
  sql << "SELECT COUNT(*), COALESCE(SUM(CASE WHEN COALESCE(import_id, '') = '' THEN 1 ELSE 0 "
         "END), 0) FROM participants WHERE cycle_id = :c AND submitted_at IS NOT NULL AND "
         "revoked = 0 AND released_in IS NULL",
      soci::use(id), soci::into(waiting), soci::into(own);
  const long long counted = own > 0 ? own : waiting;
  if (waiting == 0 || counted < min_group) return;
  const int release = releases + 1;
  sql << "UPDATE participants SET released_in = :r WHERE cycle_id = :c AND submitted_at IS NOT "
         "NULL AND "
         "revoked = 0 AND released_in IS NULL",
      soci::use(release), soci::use(id);
  sql << "UPDATE cycles SET releases = :r, answers_version = answers_version + 1 WHERE id = :id",
      soci::use(release), soci::use(id);
}

}  // namespace

CycleChange Store::transition_cycle(const std::string& id, CycleStatus from, CycleStatus to,
                                    std::int64_t now, const AuditEntry& audit, bool when_due) {
  CycleChange outcome = CycleChange::conflict;
  impl_->write([&](soci::session& sql) {
    const std::string from_text(to_text(from)), to_text_(to_text(to));
    // Closing records when; reopening keeps the last close until the next.
    long long closed_at = now;
    soci::indicator closing = to == CycleStatus::closed ? soci::i_ok : soci::i_null;
    // The scheduler's transitions hold only while their date rule does
    // (the rule of due_transitions, checked again here).
    std::string query =
        "UPDATE cycles SET status = :to, closed_at = COALESCE(:closed, closed_at) WHERE id = :id "
        "AND status = :from";
    std::vector<long long> times;
    if (when_due && to == CycleStatus::open) {
      query +=
          " AND opens_at IS NOT NULL AND opens_at <= :n1 AND (closes_at IS NULL OR closes_at "
          "> :n2)";
      times = {now, now};
    } else if (when_due && to == CycleStatus::closed) {
      query +=
          " AND closes_at IS NOT NULL AND closes_at <= :n1 AND (closed_at IS NULL OR "
          "closed_at < closes_at)";
      times = {now};
    }
    soci::statement update(sql);
    update.exchange(soci::use(to_text_));
    update.exchange(soci::use(closed_at, closing));
    update.exchange(soci::use(id));
    update.exchange(soci::use(from_text));
    for (auto& t : times) update.exchange(soci::use(t));
    update.alloc();
    update.prepare(query);
    update.define_and_bind();
    outcome = changed_or_why(sql, update, id);
    if (outcome != CycleChange::done) return;
    if (to == CycleStatus::closed) {
      release_on_close(sql, id);
      erase_mail_on_close(sql, id);
    }
    // A report's outside-in section matches customer figures to its
    // cycle's days and compares with the previous cycle's: an opened or
    // closed cycle moves both, so an organization with customer figures
    // has every report computed again.
    std::string org_id;
    long long figures = 0;
    sql << "SELECT org_id FROM cycles WHERE id = :id", soci::use(id), soci::into(org_id);
    sql << "SELECT COUNT(*) FROM customer_metrics WHERE org_id = :o", soci::use(org_id),
        soci::into(figures);
    if (figures > 0) invalidate_reports(*impl_, sql, org_id);
    impl_->announce(sql, ChangeKind::cycle, id);
    Impl::record_audit(sql, audit);
  });
  return outcome;
}

CycleChange Store::update_draft_cycle(const Cycle& c) {
  CycleChange outcome = CycleChange::conflict;
  impl_->write([&](soci::session& sql) {
    const int anonymous = c.anonymous ? 1 : 0;
    const int pulse = c.pulse ? 1 : 0;
    OptionalTime opens(c.opens_at), closes(c.closes_at);
    const std::string after = day_list_text(c.reminder_after_days);
    const std::string before = day_list_text(c.reminder_before_close_days);
    const std::string languages = language_list_text(c.languages);
    soci::statement update =
        (sql.prepare << "UPDATE cycles SET name = :name, anonymous = :anon, min_group_size = :min, "
                        "opens_at = :opens, closes_at = :closes, pulse = :pulse, title = :title, "
                        "reminder_after_days = :after, reminder_before_close_days = :before, "
                        "max_reminders = :max, languages = :languages WHERE id = :id AND status = "
                        "'draft'",
         soci::use(c.name), soci::use(anonymous), soci::use(c.min_group_size),
         soci::use(opens.value, opens.indicator), soci::use(closes.value, closes.indicator),
         soci::use(pulse), soci::use(c.title), soci::use(after), soci::use(before),
         soci::use(c.max_reminders), soci::use(languages), soci::use(c.id));
    outcome = changed_or_why(sql, update, c.id);
    if (outcome == CycleChange::done) impl_->announce(sql, ChangeKind::cycle, c.id);
  });
  return outcome;
}

bool Store::set_cycle_title(const std::string& id, const std::string& title,
                            const AuditEntry& audit) {
  bool found = false;
  impl_->write([&](soci::session& sql) {
    soci::statement update = (sql.prepare << "UPDATE cycles SET title = :title WHERE id = :id",
                              soci::use(title), soci::use(id));
    update.execute(true);
    found = update.get_affected_rows() > 0;
    if (!found) return;
    Impl::record_audit(sql, audit);
    impl_->announce(sql, ChangeKind::cycle, id);
  });
  return found;
}

CycleChange Store::set_closing_date(const std::string& id, std::int64_t closes_at, std::int64_t now,
                                    const AuditEntry& audit) {
  CycleChange outcome = CycleChange::not_found;
  impl_->write([&](soci::session& sql) {
    const long long at = closes_at, after = now;
    soci::statement update =
        (sql.prepare << "UPDATE cycles SET closes_at = :a WHERE id = :id AND status = 'open' AND "
                        ":b > :now AND (opens_at IS NULL OR opens_at < :c)",
         soci::use(at), soci::use(id), soci::use(at), soci::use(after), soci::use(at));
    update.execute(true);
    if (update.get_affected_rows() == 0) {
      int found = 0;
      sql << "SELECT COUNT(*) FROM cycles WHERE id = :id", soci::use(id), soci::into(found);
      outcome = found ? CycleChange::conflict : CycleChange::not_found;
      return;
    }
    outcome = CycleChange::done;
    Impl::record_audit(sql, audit);
    impl_->announce(sql, ChangeKind::cycle, id);
  });
  return outcome;
}

bool Store::set_cycle_reminders(const std::string& id, const std::vector<int>& after_days,
                                const std::vector<int>& before_close_days, int max_reminders,
                                const AuditEntry& audit) {
  bool found = false;
  impl_->write([&](soci::session& sql) {
    const std::string after = day_list_text(after_days);
    const std::string before = day_list_text(before_close_days);
    soci::statement update =
        (sql.prepare << "UPDATE cycles SET reminder_after_days = :after, "
                        "reminder_before_close_days = :before, max_reminders = :max WHERE id = "
                        ":id AND status IN ('draft', 'open')",
         soci::use(after), soci::use(before), soci::use(max_reminders), soci::use(id));
    update.execute(true);
    found = update.get_affected_rows() > 0;
    if (!found) return;
    Impl::record_audit(sql, audit);
    impl_->announce(sql, ChangeKind::cycle, id);
  });
  return found;
}

std::vector<DueTransition> Store::due_transitions(std::int64_t now) {
  return impl_->read([&](soci::session& sql) {
    std::vector<DueTransition> out;
    const long long n = now;
    soci::rowset<soci::row> rows =
        (sql.prepare << "SELECT id, org_id, status FROM cycles WHERE (status = 'draft' AND "
                        "opens_at IS NOT NULL AND opens_at <= :n1 AND (closes_at IS NULL OR "
                        "closes_at > :n2)) OR (status = 'open' AND closes_at IS NOT NULL AND "
                        "closes_at <= :n3 AND (closed_at IS NULL OR closed_at < closes_at)) "
                        "ORDER BY COALESCE(closes_at, opens_at), id",
         soci::use(n), soci::use(n), soci::use(n));
    for (const auto& row : rows) {
      const bool draft = as_text(row, 2) == "draft";
      out.push_back(DueTransition{as_text(row, 0), as_text(row, 1),
                                  draft ? CycleStatus::draft : CycleStatus::open,
                                  draft ? CycleStatus::open : CycleStatus::closed});
    }
    return out;
  });
}

}  // namespace cxm::store
