// E-mail invitations, reminders and the outbox (SPEC section 4.7).
//
// Addresses are kept apart from the answers (mail_recipients, read by
// nothing that reads answers) and erased when the cycle closes. A mailed
// link's token is re-made from the cycle's link key (mail_keys) when a
// message is sent: neither the link nor a message's body is stored.
//
// Every rule is checked inside the write. On SQLite the writer's BEGIN
// IMMEDIATE makes every check read the newest state of every process; on
// PostgreSQL a write about one cycle's mail first locks the cycle's row
// (FOR UPDATE), so that two processes take turns and each reads what the
// other committed, and a claim takes outbox rows FOR UPDATE SKIP LOCKED.
#include <algorithm>
#include <set>
#include <stdexcept>

#include "secrets/secrets.h"
#include "store/store_impl.h"

namespace cxm::store {
namespace {

constexpr std::int64_t kDayMs = 24LL * 60 * 60 * 1000;
constexpr const char* kCycleClosed = "the cycle closed";
constexpr const char* kLinkRevoked = "not sent: the link was revoked";
constexpr const char* kAnswered = "not sent: already answered";

std::string fresh_id() {
  static const bool ready = secrets::init_crypto();
  (void)ready;
  return secrets::new_id();
}

std::string fresh_link_key() {
  static const bool ready = secrets::init_crypto();
  (void)ready;
  return secrets::random_hex(32);
}

// Addresses compare ignoring ASCII case.
std::string address_key(const std::string& email) {
  std::string key = email;
  for (auto& c : key) {
    if (c >= 'A' && c <= 'Z') c = static_cast<char>(c - 'A' + 'a');
  }
  return key;
}

// The cycle's status, its row locked on PostgreSQL until the commit (so
// that writes about one cycle's mail, and its close, take turns); nullopt
// when there is no such cycle.
std::optional<CycleStatus> lock_cycle(const Store::Impl& impl, soci::session& sql,
                                      const std::string& cycle_id) {
  std::string status;
  soci::indicator none = soci::i_ok;
  sql << std::string("SELECT status FROM cycles WHERE id = :c") +
             (impl.postgresql() ? " FOR UPDATE" : ""),
      soci::use(cycle_id), soci::into(status, none);
  if (!sql.got_data() || none == soci::i_null) return std::nullopt;
  return cycle_status_from(status);
}

void queue_message(soci::session& sql, const std::string& cycle_id,
                   const std::string& participant_id, MailKind kind, std::int64_t now) {
  const std::string id = fresh_id();
  const std::string kind_text(to_text(kind));
  const long long at = now;
  sql << "INSERT INTO mail_outbox (id, cycle_id, participant_id, kind, state, attempts, "
         "next_attempt_at, last_error, created_at) VALUES (:id, :c, :p, :k, 'queued', 0, :next, "
         "'', :created)",
      soci::use(id), soci::use(cycle_id), soci::use(participant_id), soci::use(kind_text),
      soci::use(at), soci::use(at);
}

// A recipient who may be reminded: the link neither submitted nor revoked.
struct Remindable {
  std::string participant_id;
  int reminders = 0;
  std::optional<std::int64_t> invited_at, last_reminded_at;
};

std::vector<Remindable> remindable(soci::session& sql, const std::string& cycle_id) {
  std::vector<Remindable> out;
  soci::rowset<soci::row> rows =
      (sql.prepare << "SELECT r.participant_id, r.reminders, r.invited_at, r.last_reminded_at "
                      "FROM mail_recipients r JOIN participants p ON p.id = r.participant_id "
                      "WHERE r.cycle_id = :c AND p.revoked = 0 AND p.submitted_at IS NULL "
                      "ORDER BY r.created_at, r.email_key",
       soci::use(cycle_id));
  for (const auto& row : rows) {
    out.push_back(Remindable{as_text(row, 0), static_cast<int>(as_int64(row, 1)),
                             as_optional_int64(row, 2), as_optional_int64(row, 3)});
  }
  return out;
}

// Queues a reminder and counts it against the person, in one write.
void queue_reminder(soci::session& sql, const std::string& cycle_id,
                    const std::string& participant_id, std::int64_t now) {
  queue_message(sql, cycle_id, participant_id, MailKind::reminder, now);
  const long long at = now;
  sql << "UPDATE mail_recipients SET reminders = reminders + 1, last_reminded_at = :at WHERE "
         "participant_id = :p",
      soci::use(at), soci::use(participant_id);
}

bool reminded_recently(const Remindable& r, std::int64_t now) {
  return r.last_reminded_at && now - *r.last_reminded_at < kReminderGapMs;
}

void cancel_message(soci::session& sql, const std::string& id, const std::string& why) {
  sql << "UPDATE mail_outbox SET state = 'cancelled', last_error = :why, lease_owner = NULL, "
         "lease_until = NULL WHERE id = :id AND state IN ('queued', 'sending')",
      soci::use(why), soci::use(id);
}

}  // namespace

std::string day_list_text(const std::vector<int>& days) {
  std::string text;
  for (std::size_t i = 0; i < days.size(); ++i) text += (i ? "," : "") + std::to_string(days[i]);
  return text;
}

std::vector<int> day_list(const std::string& text) {
  std::vector<int> days;
  std::size_t start = 0;
  while (start <= text.size()) {
    const std::size_t end = std::min(text.find(',', start), text.size());
    const std::string part = text.substr(start, end - start);
    try {
      std::size_t used = 0;
      const int day = std::stoi(part, &used);
      if (used == part.size()) days.push_back(day);
    } catch (const std::exception&) {
    }
    start = end + 1;
  }
  return days;
}

void erase_mail_on_close(soci::session& sql, const std::string& cycle_id) {
  // The outbox first, then the recipients: the order finish_mail takes
  // their rows in (PostgreSQL row locks), so the two never wait in a circle.
  const std::string why = kCycleClosed;
  sql << "UPDATE mail_outbox SET state = 'cancelled', last_error = :why, lease_owner = NULL, "
         "lease_until = NULL WHERE cycle_id = :c AND state = 'queued'",
      soci::use(why), soci::use(cycle_id);
  sql << "UPDATE mail_outbox SET participant_id = NULL WHERE cycle_id = :c", soci::use(cycle_id);
  sql << "DELETE FROM mail_recipients WHERE cycle_id = :c", soci::use(cycle_id);
  sql << "DELETE FROM mail_keys WHERE cycle_id = :c", soci::use(cycle_id);
}

void erase_mail_on_revoke(soci::session& sql, const std::string& participant_id) {
  const std::string why = kLinkRevoked;
  sql << "UPDATE mail_outbox SET state = 'cancelled', last_error = :why, lease_owner = NULL, "
         "lease_until = NULL WHERE participant_id = :p AND state = 'queued'",
      soci::use(why), soci::use(participant_id);
  sql << "DELETE FROM mail_recipients WHERE participant_id = :p", soci::use(participant_id);
}

MailInviteResult Store::create_mail_invitations(
    const MailInvite& invite,
    const std::function<std::string(const std::string&, const std::string&)>& token_hash_of,
    std::int64_t now, const AuditEntry& audit) {
  if (invite.recipients.size() != invite.participants.size())
    throw std::invalid_argument("create_mail_invitations: one recipient per link");
  MailInviteResult result;
  if (invite.participants.empty()) {
    result.created = true;
    return result;
  }
  const std::string cycle_id = invite.participants.front().cycle_id;
  const std::string new_key = fresh_link_key();
  impl_->write([&](soci::session& sql) {
    result = MailInviteResult{};
    const auto status = lock_cycle(*impl_, sql, cycle_id);
    if (!status || *status == CycleStatus::closed) return;
    std::set<std::string> taken;
    {
      soci::rowset<std::string> keys =
          (sql.prepare << "SELECT email_key FROM mail_recipients WHERE cycle_id = :c",
           soci::use(cycle_id));
      for (const auto& key : keys) taken.insert(key);
    }
    for (const auto& r : invite.recipients) {
      if (!taken.insert(address_key(r.email)).second) result.taken_addresses.push_back(r.email);
    }
    if (!result.taken_addresses.empty()) return;

    std::string key;
    soci::indicator none = soci::i_ok;
    sql << "SELECT link_key FROM mail_keys WHERE cycle_id = :c", soci::use(cycle_id),
        soci::into(key, none);
    if (!sql.got_data() || none == soci::i_null) {
      key = new_key;
      const long long at = now;
      sql << "INSERT INTO mail_keys (cycle_id, link_key, created_at) VALUES (:c, :k, :at)",
          soci::use(cycle_id), soci::use(key), soci::use(at);
    }
    for (const Participant& p : invite.participants) {
      const std::string hash = token_hash_of(key, p.id);
      sql << "INSERT INTO participants (id, cycle_id, token_hash, label, role, unit, revoked, "
             "created_at) VALUES (:id, :cycle, :token, :label, :role, :unit, 0, :created)",
          soci::use(p.id), soci::use(cycle_id), soci::use(hash), soci::use(p.label),
          soci::use(p.role), soci::use(p.unit), soci::use(static_cast<long long>(p.created_at));
    }
    for (std::size_t i = 0; i < invite.recipients.size(); ++i) {
      const MailRecipient& r = invite.recipients[i];
      const std::string& participant_id = invite.participants[i].id;
      const std::string email_key = address_key(r.email);
      const long long created = now;
      sql << "INSERT INTO mail_recipients (participant_id, cycle_id, name, email, email_key, "
             "reminders, created_at) VALUES (:p, :c, :name, :email, :key, 0, :created)",
          soci::use(participant_id), soci::use(cycle_id), soci::use(r.name), soci::use(r.email),
          soci::use(email_key), soci::use(created);
      if (invite.send) queue_message(sql, cycle_id, participant_id, MailKind::invitation, now);
    }
    Impl::record_audit(sql, audit);
    result.created = true;
    result.link_key = key;
  });
  return result;
}

std::size_t Store::queue_invitations(const std::string& cycle_id, std::int64_t now,
                                     const AuditEntry& audit) {
  std::size_t queued = 0;
  impl_->write([&](soci::session& sql) {
    queued = 0;
    const auto status = lock_cycle(*impl_, sql, cycle_id);
    if (!status || *status == CycleStatus::closed) return;
    std::vector<std::string> people;
    {
      soci::rowset<std::string> rows =
          (sql.prepare << "SELECT r.participant_id FROM mail_recipients r JOIN participants p ON "
                          "p.id = r.participant_id WHERE r.cycle_id = :c AND p.revoked = 0 AND "
                          // Not "and has not submitted": the count would say who had.
                          "NOT EXISTS (SELECT 1 FROM mail_outbox o "
                          "WHERE o.participant_id = r.participant_id AND o.kind = 'invitation' "
                          "AND o.state IN ('queued', 'sending', 'sent')) "
                          "ORDER BY r.created_at, r.email_key",
           soci::use(cycle_id));
      for (const auto& id : rows) people.push_back(id);
    }
    for (const auto& id : people) queue_message(sql, cycle_id, id, MailKind::invitation, now);
    queued = people.size();
    if (queued > 0) Impl::record_audit(sql, audit);
  });
  return queued;
}

std::vector<MailRecipient> Store::mail_recipients(const std::string& cycle_id) {
  return impl_->read([&](soci::session& sql) {
    std::vector<MailRecipient> out;
    soci::rowset<soci::row> rows =
        (sql.prepare << "SELECT participant_id, cycle_id, name, email, invited_at, reminders, "
                        "last_reminded_at, created_at FROM mail_recipients WHERE cycle_id = :c "
                        "ORDER BY created_at, email_key",
         soci::use(cycle_id));
    for (const auto& row : rows) {
      out.push_back(MailRecipient{as_text(row, 0), as_text(row, 1), as_text(row, 2),
                                  as_text(row, 3), as_optional_int64(row, 4),
                                  static_cast<int>(as_int64(row, 5)), as_optional_int64(row, 6),
                                  as_int64(row, 7)});
    }
    return out;
  });
}

std::optional<std::string> Store::cycle_link_key(const std::string& cycle_id) {
  return impl_->read([&](soci::session& sql) -> std::optional<std::string> {
    std::string key;
    soci::indicator none = soci::i_ok;
    sql << "SELECT link_key FROM mail_keys WHERE cycle_id = :c", soci::use(cycle_id),
        soci::into(key, none);
    if (!sql.got_data() || none == soci::i_null) return std::nullopt;
    return key;
  });
}

ReminderQueue Store::queue_reminders(const std::string& cycle_id, std::int64_t now,
                                     const AuditEntry& audit) {
  ReminderQueue result;
  impl_->write([&](soci::session& sql) {
    result = ReminderQueue{};
    const auto status = lock_cycle(*impl_, sql, cycle_id);
    if (status != CycleStatus::open) return;
    int max_reminders = 0;
    sql << "SELECT max_reminders FROM cycles WHERE id = :c", soci::use(cycle_id),
        soci::into(max_reminders);
    for (const auto& r : remindable(sql, cycle_id)) {
      if (r.reminders >= max_reminders) {
        ++result.at_limit;
      } else if (reminded_recently(r, now)) {
        ++result.recent;
      } else {
        queue_reminder(sql, cycle_id, r.participant_id, now);
        ++result.queued;
      }
    }
    if (result.queued > 0) Impl::record_audit(sql, audit);
  });
  return result;
}

std::size_t Store::queue_due_reminders(std::int64_t now) {
  std::size_t total = 0;
  impl_->write([&](soci::session& sql) {
    total = 0;
    struct Scheduled {
      std::string id, org_id;
    };
    std::vector<Scheduled> cycles;
    {
      soci::rowset<soci::row> rows =
          (sql.prepare << "SELECT id, org_id FROM cycles WHERE status = 'open' AND max_reminders "
                          "> 0 AND (reminder_after_days <> '' OR reminder_before_close_days <> "
                          "'') ORDER BY id");
      for (const auto& row : rows) cycles.push_back(Scheduled{as_text(row, 0), as_text(row, 1)});
    }
    for (const auto& cycle : cycles) {
      // Locked in id order: two processes never wait for each other in turn.
      if (lock_cycle(*impl_, sql, cycle.id) != CycleStatus::open) continue;
      std::string after_text, before_text;
      int max_reminders = 0;
      long long closes_value = 0;
      soci::indicator closes_null = soci::i_ok;
      sql << "SELECT reminder_after_days, reminder_before_close_days, max_reminders, closes_at "
             "FROM cycles WHERE id = :c",
          soci::use(cycle.id), soci::into(after_text), soci::into(before_text),
          soci::into(max_reminders), soci::into(closes_value, closes_null);
      const std::vector<int> after = day_list(after_text);
      std::vector<int> before;
      if (closes_null == soci::i_ok) before = day_list(before_text);
      std::size_t queued = 0;
      for (const auto& r : remindable(sql, cycle.id)) {
        // The schedule counts from the invitation: nobody is reminded of
        // one that was never sent.
        if (!r.invited_at || r.reminders >= max_reminders || reminded_recently(r, now)) continue;
        const std::int64_t since = r.last_reminded_at.value_or(*r.invited_at);
        bool due = false;
        for (int d : after) {
          const std::int64_t point = *r.invited_at + d * kDayMs;
          due = due || (point > since && point <= now);
        }
        for (int d : before) {
          const std::int64_t point = closes_value - d * kDayMs;
          due = due || (point > since && point <= now);
        }
        if (!due) continue;
        queue_reminder(sql, cycle.id, r.participant_id, now);
        ++queued;
      }
      if (queued > 0) {
        Impl::record_audit(
            sql, AuditEntry{"schedule", cycle.org_id, "cycle.reminders",
                            cycle.id + ": " + std::to_string(queued) + " on the schedule", now});
      }
      total += queued;
    }
  });
  return total;
}

std::vector<MailJob> Store::claim_mail(const std::string& owner, std::int64_t now,
                                       std::int64_t lease_ms, std::size_t limit) {
  std::vector<MailJob> jobs;
  if (limit == 0) return jobs;
  impl_->write([&](soci::session& sql) {
    jobs.clear();
    const long long at = now, until = now + lease_ms;
    std::set<std::string> seen;
    while (jobs.size() < limit) {
      // Due messages of cycles that are not drafts (a closed cycle's
      // leftovers are cancelled below); another process's locked rows are
      // skipped on PostgreSQL.
      const long long batch = static_cast<long long>(limit - jobs.size());
      std::vector<std::string> ids;
      {
        soci::rowset<std::string> rows =
            (sql.prepare << std::string(
                                "SELECT o.id FROM mail_outbox o JOIN cycles c ON c.id = "
                                "o.cycle_id WHERE c.status <> 'draft' AND ((o.state = 'queued' "
                                "AND o.next_attempt_at <= :n1) OR (o.state = 'sending' AND "
                                "o.lease_until <= :n2)) ORDER BY o.next_attempt_at, o.created_at, "
                                "o.id LIMIT :lim") +
                                (impl_->postgresql() ? " FOR UPDATE OF o SKIP LOCKED" : ""),
             soci::use(at), soci::use(at), soci::use(batch));
        for (const auto& id : rows) {
          if (seen.insert(id).second) ids.push_back(id);
        }
      }
      if (ids.empty()) break;
      for (const auto& id : ids) {
        std::string kind_text, participant_id, cycle_id, status;
        soci::indicator no_participant = soci::i_ok;
        int attempts = 0;
        sql << "SELECT o.kind, o.participant_id, o.cycle_id, c.status, o.attempts FROM "
               "mail_outbox o JOIN cycles c ON c.id = o.cycle_id WHERE o.id = :id",
            soci::use(id), soci::into(kind_text), soci::into(participant_id, no_participant),
            soci::into(cycle_id), soci::into(status), soci::into(attempts);
        if (!sql.got_data()) continue;
        const MailKind kind = mail_kind_from(kind_text).value_or(MailKind::invitation);
        if (status != "open" || no_participant == soci::i_null) {
          cancel_message(sql, id, kCycleClosed);
          continue;
        }
        MailJob job{id, kind, cycle_id, participant_id, "", "", "", attempts + 1, 0};
        int revoked = 0, reminders = 0;
        long long submitted_value = 0;
        soci::indicator submitted = soci::i_null;
        sql << "SELECT r.name, r.email, r.reminders, p.revoked + p.link_closed, p.submitted_at "
               "FROM "
               "mail_recipients r JOIN participants p ON p.id = r.participant_id WHERE "
               "r.participant_id = :p AND r.cycle_id = :c",
            soci::use(participant_id), soci::use(cycle_id), soci::into(job.to_name),
            soci::into(job.to_address), soci::into(reminders), soci::into(revoked),
            soci::into(submitted_value, submitted);
        if (!sql.got_data()) {
          cancel_message(sql, id, kCycleClosed);
          continue;
        }
        if (revoked != 0) {
          cancel_message(sql, id, kLinkRevoked);
          continue;
        }
        if (kind == MailKind::reminder && submitted == soci::i_ok) {
          cancel_message(sql, id, kAnswered);
          continue;
        }
        soci::indicator no_key = soci::i_ok;
        sql << "SELECT link_key FROM mail_keys WHERE cycle_id = :c", soci::use(cycle_id),
            soci::into(job.link_key, no_key);
        if (!sql.got_data() || no_key == soci::i_null) {
          cancel_message(sql, id, kCycleClosed);
          continue;
        }
        job.reminder_number = kind == MailKind::reminder ? reminders : 0;
        soci::statement take =
            (sql.prepare << "UPDATE mail_outbox SET state = 'sending', lease_owner = :owner, "
                            "lease_until = :until, attempts = attempts + 1 WHERE id = :id AND "
                            "((state = 'queued' AND next_attempt_at <= :n1) OR (state = "
                            "'sending' AND lease_until <= :n2))",
             soci::use(owner), soci::use(until), soci::use(id), soci::use(at), soci::use(at));
        take.execute(true);
        if (take.get_affected_rows() == 1) jobs.push_back(std::move(job));
      }
    }
  });
  return jobs;
}

bool Store::finish_mail(const std::string& id, const std::string& owner, MailResult result,
                        const std::string& reply, std::int64_t next_attempt_at, std::int64_t now) {
  bool finished = false;
  impl_->write([&](soci::session& sql) {
    finished = false;
    const long long at = now, next = next_attempt_at;
    std::string query;
    soci::statement update(sql);
    if (result == MailResult::sent) {
      query = "UPDATE mail_outbox SET state = 'sent', sent_at = :at, last_error = ''";
      update.exchange(soci::use(at));
    } else if (result == MailResult::retry) {
      query =
          "UPDATE mail_outbox SET state = 'queued', next_attempt_at = :next, last_error = :reply";
      update.exchange(soci::use(next));
      update.exchange(soci::use(reply));
    } else {
      query = "UPDATE mail_outbox SET state = 'failed', last_error = :reply";
      update.exchange(soci::use(reply));
    }
    query +=
        ", lease_owner = NULL, lease_until = NULL WHERE id = :id AND state = 'sending' AND "
        "lease_owner = :owner";
    update.exchange(soci::use(id));
    update.exchange(soci::use(owner));
    update.alloc();
    update.prepare(query);
    update.define_and_bind();
    update.execute(true);
    finished = update.get_affected_rows() == 1;
    if (!finished || result != MailResult::sent) return;
    // The schedule counts from the first invitation sent.
    sql << "UPDATE mail_recipients SET invited_at = COALESCE(invited_at, :at) WHERE "
           "participant_id = (SELECT participant_id FROM mail_outbox WHERE id = :id AND kind = "
           "'invitation')",
        soci::use(at), soci::use(id);
  });
  return finished;
}

MailHealth Store::mail_health() {
  return impl_->read([&](soci::session& sql) {
    MailHealth health;
    long long waiting = 0, failed = 0, oldest = 0;
    soci::indicator oldest_null = soci::i_ok;
    sql << "SELECT COUNT(*) FROM mail_outbox WHERE state IN ('queued', 'sending')",
        soci::into(waiting);
    sql << "SELECT COUNT(*) FROM mail_outbox WHERE state = 'failed'", soci::into(failed);
    sql << "SELECT MIN(created_at) FROM mail_outbox WHERE state IN ('queued', 'sending')",
        soci::into(oldest, oldest_null);
    health.waiting = static_cast<std::size_t>(waiting);
    health.failed = static_cast<std::size_t>(failed);
    if (oldest_null == soci::i_ok && waiting > 0) health.oldest_waiting_since = oldest;
    std::string error;
    soci::indicator error_null = soci::i_ok;
    sql << "SELECT last_error FROM mail_outbox WHERE last_error <> '' AND state IN ('queued', "
           "'sending', 'failed') ORDER BY created_at DESC, id DESC LIMIT 1",
        soci::into(error, error_null);
    if (sql.got_data() && error_null == soci::i_ok) health.latest_error = error;
    return health;
  });
}

std::vector<MailMessage> Store::mail_messages(const std::string& cycle_id) {
  return impl_->read([&](soci::session& sql) {
    std::vector<MailMessage> out;
    soci::rowset<soci::row> rows =
        (sql.prepare << "SELECT id, cycle_id, participant_id, kind, state, attempts, "
                        "next_attempt_at, last_error, created_at, sent_at FROM mail_outbox WHERE "
                        "cycle_id = :c ORDER BY created_at, id",
         soci::use(cycle_id));
    for (const auto& row : rows) {
      MailMessage m;
      m.id = as_text(row, 0);
      m.cycle_id = as_text(row, 1);
      m.participant_id = row.get_indicator(2) == soci::i_null ? "" : as_text(row, 2);
      m.kind = mail_kind_from(as_text(row, 3)).value_or(MailKind::invitation);
      m.state = mail_state_from(as_text(row, 4)).value_or(MailState::queued);
      m.attempts = static_cast<int>(as_int64(row, 5));
      m.next_attempt_at = as_int64(row, 6);
      m.last_error = as_text(row, 7);
      m.created_at = as_int64(row, 8);
      m.sent_at = as_optional_int64(row, 9);
      out.push_back(std::move(m));
    }
    return out;
  });
}

}  // namespace cxm::store
