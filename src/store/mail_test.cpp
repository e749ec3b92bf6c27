// E-mail invitations, reminders, the outbox and cycles that open and close
// on their dates, as stored: every rule checked in the write, on SQLite and
// PostgreSQL, and with several processes sharing one database.
#include <gtest/gtest.h>
#include <soci/soci.h>
#include <soci/sqlite3/soci-sqlite3.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <chrono>
#include <filesystem>
#include <fstream>
#include <set>
#include <thread>

#include "../../tests/postgres_cluster.h"
#include "../../tests/run_process.h"
#include "secrets/secrets.h"
#include "store/store.h"

namespace cxm::store {
namespace {

using cxm::testing::TempDir;

constexpr std::int64_t kT0 = 1'800'000'000'000;
constexpr std::int64_t kHour = 60LL * 60 * 1000;
constexpr std::int64_t kDay = 24 * kHour;

struct Person {
  std::string id, name, email;
};

std::string hash_of(const std::string& key, const std::string& participant_id) {
  return secrets::token_hash(secrets::derive_link_token(key, participant_id));
}

class MailStore : public ::testing::TestWithParam<std::string> {
 protected:
  TempDir dir;
  DatabaseUrl url;
  std::unique_ptr<Store> store;

  void SetUp() override {
    ASSERT_TRUE(secrets::init_crypto());
    std::string error;
    const auto parsed =
        parse_database_url(cxm::testing::test_database(GetParam(), dir.path()), error);
    ASSERT_TRUE(parsed) << error;
    url = *parsed;
    store = Store::open(url);
    store->create_organization(Organization{"o1", "Acme", "Retail", "50-249", {}, false, 1},
                               std::nullopt);
  }

  bool sqlite() const { return url.kind == DatabaseUrl::Kind::sqlite; }

  void make_cycle(const std::string& id, CycleStatus status,
                  std::optional<std::int64_t> closes_at = std::nullopt,
                  std::optional<std::int64_t> opens_at = std::nullopt) {
    store->create_cycle(Cycle{id, "o1", "Spring", status, "yaml", true, 3, opens_at, closes_at, 2});
  }

  MailInviteResult invite(const std::string& cycle, const std::vector<Person>& people, bool send,
                          const AuditEntry& audit = {}) {
    MailInvite in;
    in.send = send;
    for (const auto& p : people) {
      in.participants.push_back(
          Participant{p.id, cycle, "", "", "", false, std::nullopt, kT0, "", std::nullopt});
      in.recipients.push_back(MailRecipient{p.id, cycle, p.name, p.email});
    }
    return store->create_mail_invitations(in, hash_of, kT0, audit);
  }

  // Sends every due message of open cycles at `now`, as a sender would.
  std::size_t deliver(std::int64_t now) {
    std::size_t sent = 0;
    for (const auto& job : store->claim_mail("deliver", now, kHour, 1000)) {
      EXPECT_TRUE(store->finish_mail(job.id, "deliver", MailResult::sent, "250 ok", 0, now));
      ++sent;
    }
    return sent;
  }

  void submit(const std::string& participant_id) {
    ASSERT_EQ(store->claim_link(participant_id, "claim", "resume"), ClaimOutcome::claimed);
    ASSERT_EQ(store->save_answers(participant_id, "claim", {{"LS2", 3}}, kT0).refusal,
              LinkRefusal::none);
    ASSERT_EQ(store->submit(participant_id, "claim", kT0), LinkRefusal::none);
  }

  // SQLite only (-1 on PostgreSQL): audit rows matching `where`.
  long long audit_rows(const std::string& where = "1 = 1") {
    if (!sqlite()) return -1;
    soci::session sql(*soci::factory_sqlite3(), "db=" + url.target);
    long long n = 0;
    sql << "SELECT COUNT(*) FROM audit_log WHERE " + where, soci::into(n);
    return n;
  }

  std::vector<MailMessage> messages_of(const std::string& cycle, const std::string& participant) {
    std::vector<MailMessage> out;
    for (const auto& m : store->mail_messages(cycle)) {
      if (m.participant_id == participant) out.push_back(m);
    }
    return out;
  }
};

TEST_P(MailStore, InvitingCreatesLinksRecipientsTheKeyAndMessagesInOneWrite) {
  make_cycle("c1", CycleStatus::open);
  const long long audited = audit_rows();
  const auto made =
      invite("c1", {{"p1", "Ann", "ann@example.org"}, {"p2", "Bob", "Bob@Example.org"}}, true,
             AuditEntry{"u1", "o1", "cycle.invite", "c1: 2", kT0});
  ASSERT_TRUE(made.created);
  EXPECT_TRUE(made.taken_addresses.empty());
  ASSERT_EQ(made.link_key.size(), 64u);
  EXPECT_EQ(store->cycle_link_key("c1"), made.link_key);
  // The link is re-made from the key: its hash finds the participant.
  EXPECT_EQ(store->find_participant_by_token(hash_of(made.link_key, "p2"))->id, "p2");
  const auto recipients = store->mail_recipients("c1");
  ASSERT_EQ(recipients.size(), 2u);
  std::set<std::string> emails;
  for (const auto& r : recipients) {
    emails.insert(r.email);
    EXPECT_EQ(r.cycle_id, "c1");
    EXPECT_FALSE(r.invited_at);
    EXPECT_EQ(r.reminders, 0);
    EXPECT_EQ(r.created_at, kT0);
  }
  EXPECT_EQ(emails, (std::set<std::string>{"ann@example.org", "Bob@Example.org"}));
  const auto messages = store->mail_messages("c1");
  ASSERT_EQ(messages.size(), 2u);
  for (const auto& m : messages) {
    EXPECT_EQ(m.kind, MailKind::invitation);
    EXPECT_EQ(m.state, MailState::queued);
    EXPECT_EQ(m.attempts, 0);
    EXPECT_EQ(m.next_attempt_at, kT0);
  }
  if (sqlite()) {
    EXPECT_EQ(audit_rows(), audited + 1);
  }

  // More people later: the same key, and no message when not sent.
  const auto more = invite("c1", {{"p3", "Cy", "cy@example.org"}}, false);
  ASSERT_TRUE(more.created);
  EXPECT_EQ(more.link_key, made.link_key);
  EXPECT_EQ(store->mail_messages("c1").size(), 2u);
  EXPECT_EQ(store->participants_of("c1").size(), 3u);
  // Each cycle has its own key.
  make_cycle("c2", CycleStatus::draft);
  const auto other = invite("c2", {{"q1", "Ann", "ann@example.org"}}, true);
  ASSERT_TRUE(other.created);  // the same address in another cycle
  EXPECT_NE(other.link_key, made.link_key);
}

TEST_P(MailStore, AnAddressInvitedAlreadyRefusesTheWholeList) {
  make_cycle("c1", CycleStatus::open);
  ASSERT_TRUE(invite("c1", {{"p1", "Ann", "ann@example.org"}}, true).created);
  const long long audited = audit_rows();
  const auto refused =
      invite("c1", {{"p2", "New", "new@example.org"}, {"p3", "Ann", "ANN@Example.ORG"}}, true,
             AuditEntry{"u1", "o1", "cycle.invite", "c1", kT0});
  EXPECT_FALSE(refused.created);
  EXPECT_EQ(refused.taken_addresses, (std::vector<std::string>{"ANN@Example.ORG"}));
  EXPECT_TRUE(refused.link_key.empty());
  // Nothing of it was written.
  EXPECT_EQ(store->participants_of("c1").size(), 1u);
  EXPECT_EQ(store->mail_recipients("c1").size(), 1u);
  EXPECT_EQ(store->mail_messages("c1").size(), 1u);
  EXPECT_FALSE(store->find_participant("p2"));
  if (sqlite()) {
    EXPECT_EQ(audit_rows(), audited);
  }
  // The same address twice in one list.
  const auto twice =
      invite("c1", {{"p4", "X", "x@example.org"}, {"p5", "X", "X@example.org"}}, false);
  EXPECT_FALSE(twice.created);
  EXPECT_EQ(twice.taken_addresses, (std::vector<std::string>{"X@example.org"}));
  EXPECT_EQ(store->participants_of("c1").size(), 1u);

  // Revoking Ann's link (not started) cancels her queued invitation and
  // frees her address: she can be invited again, say with her name fixed.
  ASSERT_EQ(store->revoke_participant("p1"), RevokeOutcome::revoked);
  EXPECT_TRUE(store->mail_recipients("c1").empty());
  EXPECT_EQ(store->mail_messages("c1").front().state, MailState::cancelled);
  EXPECT_EQ(store->mail_messages("c1").front().last_error, "not sent: the link was revoked");
  EXPECT_TRUE(invite("c1", {{"p8", "Ann Smith", "ann@example.org"}}, true).created);
  EXPECT_EQ(store->mail_recipients("c1").size(), 1u);

  // A closed or missing cycle takes no invitations.
  ASSERT_EQ(store->transition_cycle("c1", CycleStatus::open, CycleStatus::closed, kT0),
            CycleChange::done);
  const auto closed = invite("c1", {{"p6", "Zoe", "zoe@example.org"}}, true);
  EXPECT_FALSE(closed.created);
  EXPECT_TRUE(closed.taken_addresses.empty());
  EXPECT_FALSE(store->find_participant("p6"));
  EXPECT_FALSE(invite("gone", {{"p7", "Zoe", "zoe@example.org"}}, true).created);
  EXPECT_FALSE(store->find_participant("p7"));
  EXPECT_FALSE(store->cycle_link_key("gone"));
}

TEST_P(MailStore, QueueingInvitationsTakesThoseWithoutOne) {
  make_cycle("c1", CycleStatus::open);
  ASSERT_TRUE(invite("c1",
                     {{"p1", "Ann", "ann@example.org"},
                      {"p2", "Bob", "bob@example.org"},
                      {"p3", "Cy", "cy@example.org"}},
                     false)
                  .created);
  EXPECT_TRUE(store->mail_messages("c1").empty());
  ASSERT_EQ(store->revoke_participant("p3"), RevokeOutcome::revoked);
  const long long audited = audit_rows();
  EXPECT_EQ(store->queue_invitations("c1", kT0, AuditEntry{"u1", "o1", "cycle.send", "c1", kT0}),
            2u);
  if (sqlite()) {
    EXPECT_EQ(audit_rows(), audited + 1);
  }
  EXPECT_EQ(store->queue_invitations("c1", kT0, AuditEntry{"u1", "o1", "cycle.send", "c1", kT0}),
            0u);
  if (sqlite()) {
    EXPECT_EQ(audit_rows(), audited + 1);
  }  // nothing done, nothing recorded
  // A failed invitation is queued again; a sent one is not.
  const auto jobs = store->claim_mail("w", kT0, kHour, 10);
  ASSERT_EQ(jobs.size(), 2u);
  for (const auto& job : jobs) {
    const auto result = job.participant_id == "p1" ? MailResult::failed : MailResult::sent;
    ASSERT_TRUE(store->finish_mail(job.id, "w", result, "550 no", 0, kT0));
  }
  EXPECT_EQ(store->queue_invitations("c1", kT0 + 1), 1u);
  EXPECT_EQ(messages_of("c1", "p1").size(), 2u);
  EXPECT_EQ(messages_of("c1", "p2").size(), 1u);
  EXPECT_TRUE(messages_of("c1", "p3").empty());
  // A draft's messages are queued and wait until it opens.
  make_cycle("d1", CycleStatus::draft);
  ASSERT_TRUE(invite("d1", {{"q1", "Dee", "dee@example.org"}}, true).created);
  EXPECT_EQ(store->claim_mail("w", kT0 + 2, kHour, 10).size(), 1u);  // p1's again, not q1's
  EXPECT_EQ(messages_of("d1", "q1")[0].state, MailState::queued);
  ASSERT_EQ(store->transition_cycle("d1", CycleStatus::draft, CycleStatus::open, kT0),
            CycleChange::done);
  const auto opened = store->claim_mail("w", kT0 + 3, kHour, 10);
  ASSERT_EQ(opened.size(), 1u);
  EXPECT_EQ(opened[0].participant_id, "q1");
  // A closed cycle queues nothing.
  ASSERT_EQ(store->transition_cycle("c1", CycleStatus::open, CycleStatus::closed, kT0),
            CycleChange::done);
  EXPECT_EQ(store->queue_invitations("c1", kT0), 0u);
  EXPECT_EQ(store->queue_invitations("gone", kT0), 0u);
}

TEST_P(MailStore, AClaimLeasesEachMessageToOneOwner) {
  make_cycle("c1", CycleStatus::open);
  const auto made = invite("c1", {{"p1", "Ann", "ann@example.org"}}, true);
  const auto first = store->claim_mail("a", kT0, 60'000, 10);
  ASSERT_EQ(first.size(), 1u);
  const MailJob& job = first[0];
  EXPECT_EQ(job.kind, MailKind::invitation);
  EXPECT_EQ(job.cycle_id, "c1");
  EXPECT_EQ(job.participant_id, "p1");
  EXPECT_EQ(job.to_name, "Ann");
  EXPECT_EQ(job.to_address, "ann@example.org");
  EXPECT_EQ(job.link_key, made.link_key);
  EXPECT_EQ(job.attempts, 1);
  EXPECT_EQ(job.reminder_number, 0);
  EXPECT_EQ(store->mail_messages("c1")[0].state, MailState::sending);
  // Held: nobody else gets it until the lease ends (a crashed sender).
  EXPECT_TRUE(store->claim_mail("b", kT0 + 59'999, 60'000, 10).empty());
  const auto again = store->claim_mail("b", kT0 + 60'000, 60'000, 10);
  ASSERT_EQ(again.size(), 1u);
  EXPECT_EQ(again[0].id, job.id);
  EXPECT_EQ(again[0].attempts, 2);
  // Only the holder finishes it.
  EXPECT_FALSE(store->finish_mail(job.id, "a", MailResult::sent, "250 ok", 0, kT0 + 60'001));
  EXPECT_EQ(store->mail_messages("c1")[0].state, MailState::sending);
  EXPECT_TRUE(store->finish_mail(job.id, "b", MailResult::sent, "250 ok", 0, kT0 + 61'000));
  EXPECT_FALSE(store->finish_mail(job.id, "b", MailResult::failed, "x", 0, kT0 + 62'000));
  const auto sent = store->mail_messages("c1")[0];
  EXPECT_EQ(sent.state, MailState::sent);
  EXPECT_EQ(sent.sent_at, kT0 + 61'000);
  EXPECT_EQ(sent.attempts, 2);
  EXPECT_EQ(store->mail_recipients("c1")[0].invited_at, kT0 + 61'000);
  EXPECT_TRUE(store->claim_mail("c", kT0 + kDay, 60'000, 10).empty());
  EXPECT_TRUE(store->claim_mail("c", kT0 + kDay, 60'000, 0).empty());
}

TEST_P(MailStore, RetriesWaitAndFailuresKeepTheServersAnswer) {
  make_cycle("c1", CycleStatus::open);
  invite("c1", {{"p1", "Ann", "ann@example.org"}, {"p2", "Bob", "bob@example.org"}}, true);
  // At most `limit` at a time.
  auto jobs = store->claim_mail("w", kT0, kHour, 1);
  ASSERT_EQ(jobs.size(), 1u);
  const auto more = store->claim_mail("w", kT0, kHour, 5);
  ASSERT_EQ(more.size(), 1u);
  jobs.push_back(more[0]);
  for (const auto& job : jobs) {
    if (job.participant_id == "p1") {
      ASSERT_TRUE(store->finish_mail(job.id, "w", MailResult::retry, "421 try again later",
                                     kT0 + 5000, kT0 + 10));
    } else {
      ASSERT_TRUE(store->finish_mail(job.id, "w", MailResult::failed, "550 5.1.1 no such user", 0,
                                     kT0 + 10));
    }
  }
  const auto retried = messages_of("c1", "p1")[0];
  EXPECT_EQ(retried.state, MailState::queued);
  EXPECT_EQ(retried.next_attempt_at, kT0 + 5000);
  EXPECT_EQ(retried.last_error, "421 try again later");
  const auto failed = messages_of("c1", "p2")[0];
  EXPECT_EQ(failed.state, MailState::failed);
  EXPECT_EQ(failed.last_error, "550 5.1.1 no such user");
  EXPECT_FALSE(failed.sent_at);
  EXPECT_TRUE(store->claim_mail("w", kT0 + 4999, kHour, 5).empty());
  const auto later = store->claim_mail("w", kT0 + 5000, kHour, 5);
  ASSERT_EQ(later.size(), 1u);
  EXPECT_EQ(later[0].participant_id, "p1");
  EXPECT_EQ(later[0].attempts, 2);
  for (const auto& r : store->mail_recipients("c1")) EXPECT_FALSE(r.invited_at) << r.email;
}

TEST_P(MailStore, AClaimCancelsWhatMustNotBeSent) {
  make_cycle("c1", CycleStatus::open);
  invite("c1",
         {{"p1", "Ann", "ann@example.org"},
          {"p2", "Bob", "bob@example.org"},
          {"p3", "Cy", "cy@example.org"}},
         true);
  ASSERT_EQ(deliver(kT0), 3u);
  ASSERT_EQ(store->queue_reminders("c1", kT0 + kDay).queued, 3u);
  // Meanwhile p1 answers and p2's link is revoked.
  submit("p1");
  ASSERT_EQ(store->revoke_participant("p2"), RevokeOutcome::revoked);
  // And p4's invitation waits while its link is revoked.
  invite("c1", {{"p4", "Dee", "dee@example.org"}}, true);
  ASSERT_EQ(store->revoke_participant("p4"), RevokeOutcome::revoked);
  const auto jobs = store->claim_mail("w", kT0 + kDay, kHour, 10);
  ASSERT_EQ(jobs.size(), 1u);
  EXPECT_EQ(jobs[0].participant_id, "p3");
  EXPECT_EQ(jobs[0].kind, MailKind::reminder);
  EXPECT_EQ(jobs[0].reminder_number, 1);
  const auto answered = messages_of("c1", "p1").back();
  EXPECT_EQ(answered.kind, MailKind::reminder);
  EXPECT_EQ(answered.state, MailState::cancelled);
  EXPECT_EQ(answered.last_error, "not sent: already answered");
  EXPECT_EQ(messages_of("c1", "p2").back().state, MailState::cancelled);
  EXPECT_EQ(messages_of("c1", "p2").back().last_error, "not sent: the link was revoked");
  EXPECT_EQ(messages_of("c1", "p4").back().state, MailState::cancelled);
}

TEST_P(MailStore, RemindersByHandFollowTheRules) {
  make_cycle("c1", CycleStatus::open);
  invite("c1",
         {{"p1", "Ann", "ann@example.org"},
          {"p2", "Bob", "bob@example.org"},
          {"p3", "Cy", "cy@example.org"},
          {"p4", "Dee", "dee@example.org"},
          {"p5", "Eve", "eve@example.org"}},
         true);
  deliver(kT0);
  submit("p4");
  ASSERT_EQ(store->revoke_participant("p5"), RevokeOutcome::revoked);
  const long long audited = audit_rows();
  const AuditEntry audit{"u1", "o1", "cycle.remind", "c1", kT0};
  auto queued = store->queue_reminders("c1", kT0, audit);
  EXPECT_EQ(queued.queued, 3u);
  EXPECT_EQ(queued.at_limit, 0u);
  EXPECT_EQ(queued.recent, 0u);
  if (sqlite()) {
    EXPECT_EQ(audit_rows(), audited + 1);
  }
  // A double click: nothing twice within 12 hours.
  queued = store->queue_reminders("c1", kT0 + 12 * kHour - 1, audit);
  EXPECT_EQ(queued.queued, 0u);
  EXPECT_EQ(queued.recent, 3u);
  if (sqlite()) {
    EXPECT_EQ(audit_rows(), audited + 1);
  }
  EXPECT_EQ(store->queue_reminders("c1", kT0 + 12 * kHour, audit).queued, 3u);
  // At most max_reminders (2) each.
  queued = store->queue_reminders("c1", kT0 + 3 * kDay, audit);
  EXPECT_EQ(queued.queued, 0u);
  EXPECT_EQ(queued.at_limit, 3u);
  for (const auto& r : store->mail_recipients("c1")) {
    const bool reminded = r.participant_id < "p4";
    EXPECT_EQ(r.reminders, reminded ? 2 : 0) << r.email;
    EXPECT_EQ(r.last_reminded_at,
              reminded ? std::optional<std::int64_t>(kT0 + 12 * kHour) : std::nullopt);
  }
  EXPECT_EQ(messages_of("c1", "p1").size(), 3u);  // the invitation and two reminders
  EXPECT_EQ(messages_of("c1", "p4").size(), 1u);
  // The second reminder says so.
  const auto jobs = store->claim_mail("w", kT0 + 3 * kDay, kHour, 10);
  ASSERT_EQ(jobs.size(), 6u);
  for (const auto& job : jobs) EXPECT_EQ(job.kind, MailKind::reminder);
  // A higher limit allows more.
  ASSERT_TRUE(store->set_cycle_reminders("c1", {}, {}, 3, audit));
  EXPECT_EQ(store->queue_reminders("c1", kT0 + 3 * kDay, audit).queued, 3u);
  // Only an open cycle reminds.
  make_cycle("d1", CycleStatus::draft);
  invite("d1", {{"q1", "Fay", "fay@example.org"}}, false);
  EXPECT_EQ(store->queue_reminders("d1", kT0).queued, 0u);
  ASSERT_EQ(store->transition_cycle("c1", CycleStatus::open, CycleStatus::closed, kT0 + 4 * kDay),
            CycleChange::done);
  const auto closed = store->queue_reminders("c1", kT0 + 5 * kDay);
  EXPECT_EQ(closed.queued + closed.at_limit + closed.recent, 0u);
  EXPECT_EQ(store->queue_reminders("gone", kT0).queued, 0u);
}

TEST_P(MailStore, ScheduledRemindersComeAtTheirPoints) {
  make_cycle("c1", CycleStatus::open, kT0 + 10 * kDay);
  ASSERT_TRUE(store->set_cycle_reminders("c1", {3, 7}, {1}, 3, {}));
  invite("c1", {{"p1", "Ann", "ann@example.org"}, {"p2", "Bob", "bob@example.org"}}, true);
  ASSERT_EQ(deliver(kT0), 2u);
  // Not invited yet (no message sent): not on the schedule.
  invite("c1", {{"p3", "Cy", "cy@example.org"}}, false);
  // A cycle without a schedule reminds nobody by itself.
  make_cycle("c2", CycleStatus::open, kT0 + 10 * kDay);
  ASSERT_TRUE(store->set_cycle_reminders("c2", {}, {}, 2, {}));
  invite("c2", {{"q1", "Dee", "dee@example.org"}}, true);
  ASSERT_EQ(deliver(kT0), 1u);

  const long long audited = audit_rows("actor = 'schedule'");
  EXPECT_EQ(store->queue_due_reminders(kT0 + 3 * kDay - 1), 0u);
  EXPECT_EQ(store->queue_due_reminders(kT0 + 3 * kDay), 2u);
  if (sqlite()) {
    EXPECT_EQ(audit_rows("actor = 'schedule'"), audited + 1);
  }
  EXPECT_EQ(store->queue_due_reminders(kT0 + 3 * kDay + kHour), 0u);
  EXPECT_EQ(store->queue_due_reminders(kT0 + 6 * kDay), 0u);
  EXPECT_EQ(store->queue_due_reminders(kT0 + 7 * kDay), 2u);
  // The day before the close.
  EXPECT_EQ(store->queue_due_reminders(kT0 + 8 * kDay + 23 * kHour), 0u);
  EXPECT_EQ(store->queue_due_reminders(kT0 + 9 * kDay), 2u);
  EXPECT_EQ(store->queue_due_reminders(kT0 + 9 * kDay + 13 * kHour), 0u);
  for (const auto& r : store->mail_recipients("c1")) {
    EXPECT_EQ(r.reminders, r.participant_id == "p3" ? 0 : 3) << r.email;
  }
  EXPECT_TRUE(messages_of("c1", "p3").empty());
  EXPECT_EQ(store->mail_recipients("c2")[0].reminders, 0);

  // Points missed while no process ran: one reminder, not one per point.
  make_cycle("c3", CycleStatus::open);
  ASSERT_TRUE(store->set_cycle_reminders("c3", {1, 2}, {1}, 2, {}));  // no close date
  invite("c3", {{"r1", "Eve", "eve@example.org"}}, true);
  ASSERT_EQ(deliver(kT0), 1u);
  EXPECT_EQ(store->queue_due_reminders(kT0 + 5 * kDay), 1u);
  EXPECT_EQ(store->queue_due_reminders(kT0 + 6 * kDay), 0u);
  EXPECT_EQ(store->mail_recipients("c3")[0].reminders, 1);
  // Someone who answered is never reminded.
  make_cycle("c4", CycleStatus::open);
  ASSERT_TRUE(store->set_cycle_reminders("c4", {1}, {}, 2, {}));
  invite("c4", {{"s1", "Fay", "fay@example.org"}}, true);
  ASSERT_EQ(deliver(kT0), 1u);
  submit("s1");
  EXPECT_EQ(store->queue_due_reminders(kT0 + 2 * kDay), 0u);
}

TEST_P(MailStore, ClosingErasesAddressesAndTheKeyAndCancelsQueuedMail) {
  make_cycle("c1", CycleStatus::open);
  invite("c1",
         {{"p1", "Ann", "ann@example.org"},
          {"p2", "Bob", "bob@example.org"},
          {"p3", "Cy", "cy@example.org"}},
         true);
  const auto in_flight = store->claim_mail("w", kT0, 1000, 2);
  ASSERT_EQ(in_flight.size(), 2u);
  const long long audited = audit_rows();
  ASSERT_EQ(store->transition_cycle("c1", CycleStatus::open, CycleStatus::closed, kT0 + 10,
                                    AuditEntry{"u1", "o1", "cycle.closed", "c1", kT0}),
            CycleChange::done);
  if (sqlite()) {
    EXPECT_EQ(audit_rows(), audited + 1);
  }
  EXPECT_TRUE(store->mail_recipients("c1").empty());
  EXPECT_FALSE(store->cycle_link_key("c1"));
  std::size_t cancelled = 0, sending = 0;
  for (const auto& m : store->mail_messages("c1")) {
    EXPECT_EQ(m.participant_id, "") << "no outbox row says whom it was for";
    if (m.state == MailState::cancelled) {
      ++cancelled;
      EXPECT_EQ(m.last_error, "the cycle closed");
    }
    if (m.state == MailState::sending) ++sending;
  }
  EXPECT_EQ(cancelled, 1u);
  EXPECT_EQ(sending, 2u);
  // What was on its way is recorded; what a crashed sender left is
  // cancelled at the next claim.
  EXPECT_TRUE(store->finish_mail(in_flight[0].id, "w", MailResult::sent, "250 ok", 0, kT0 + 20));
  EXPECT_TRUE(store->claim_mail("x", kT0 + 5000, kHour, 10).empty());
  for (const auto& m : store->mail_messages("c1")) {
    EXPECT_EQ(m.state, m.id == in_flight[0].id ? MailState::sent : MailState::cancelled);
  }
  // Reopened, it mails nobody: the addresses are gone.
  ASSERT_EQ(store->transition_cycle("c1", CycleStatus::closed, CycleStatus::open, kT0 + 30),
            CycleChange::done);
  EXPECT_EQ(store->queue_invitations("c1", kT0 + 40), 0u);
  EXPECT_EQ(store->queue_reminders("c1", kT0 + kDay).queued, 0u);
  EXPECT_EQ(store->participants_of("c1").size(), 3u);  // the links stay
  // Invited again, with a new key.
  const auto again = invite("c1", {{"p9", "Ann", "ann@example.org"}}, true);
  ASSERT_TRUE(again.created);
  EXPECT_EQ(store->claim_mail("y", kT0 + kDay, kHour, 10).size(), 1u);
}

TEST_P(MailStore, CyclesOpenAndCloseOnTheirDates) {
  make_cycle("d1", CycleStatus::draft, std::nullopt, kT0 - 1);  // opens
  make_cycle("d2", CycleStatus::draft, std::nullopt, kT0 + 1);  // not yet
  make_cycle("d3", CycleStatus::draft, kT0 - 1, kT0 - 2);       // both passed: stays
  make_cycle("d4", CycleStatus::draft);                         // no dates
  make_cycle("o1", CycleStatus::open, kT0 - 1);                 // closes
  make_cycle("o2", CycleStatus::open, kT0 + 1);                 // not yet
  make_cycle("o3", CycleStatus::open, kT0 - 10 * kHour);        // reopened after: stays
  make_cycle("o4", CycleStatus::open, kT0 - 10 * kHour);        // closed early: closes
  make_cycle("x1", CycleStatus::closed, kT0 - 1);               // closed
  ASSERT_EQ(store->transition_cycle("o3", CycleStatus::open, CycleStatus::closed, kT0 - 5 * kHour),
            CycleChange::done);
  ASSERT_EQ(store->transition_cycle("o3", CycleStatus::closed, CycleStatus::open, kT0 - 4 * kHour),
            CycleChange::done);
  ASSERT_EQ(store->transition_cycle("o4", CycleStatus::open, CycleStatus::closed, kT0 - 20 * kHour),
            CycleChange::done);
  ASSERT_EQ(store->transition_cycle("o4", CycleStatus::closed, CycleStatus::open, kT0 - 19 * kHour),
            CycleChange::done);
  std::set<std::string> due;
  for (const auto& t : store->due_transitions(kT0)) {
    EXPECT_EQ(t.org_id, "o1");
    EXPECT_EQ(t.from, t.cycle_id[0] == 'd' ? CycleStatus::draft : CycleStatus::open);
    EXPECT_EQ(t.to, t.cycle_id[0] == 'd' ? CycleStatus::open : CycleStatus::closed);
    due.insert(t.cycle_id);
  }
  EXPECT_EQ(due, (std::set<std::string>{"d1", "o1", "o4"}));
  // The scheduler's transition checks the rule again in the write.
  const AuditEntry schedule{"schedule", "o1", "cycle.closed", "", kT0};
  EXPECT_EQ(
      store->transition_cycle("o2", CycleStatus::open, CycleStatus::closed, kT0, schedule, true),
      CycleChange::conflict);
  EXPECT_EQ(
      store->transition_cycle("o3", CycleStatus::open, CycleStatus::closed, kT0, schedule, true),
      CycleChange::conflict);
  EXPECT_EQ(
      store->transition_cycle("d2", CycleStatus::draft, CycleStatus::open, kT0, schedule, true),
      CycleChange::conflict);
  EXPECT_EQ(
      store->transition_cycle("d3", CycleStatus::draft, CycleStatus::open, kT0, schedule, true),
      CycleChange::conflict);
  EXPECT_EQ(
      store->transition_cycle("d1", CycleStatus::draft, CycleStatus::open, kT0, schedule, true),
      CycleChange::done);
  EXPECT_EQ(
      store->transition_cycle("o4", CycleStatus::open, CycleStatus::closed, kT0, schedule, true),
      CycleChange::done);
  EXPECT_EQ(store->find_cycle("o4")->closed_at, kT0);
  // Reopened by hand after the scheduled close: a list read before does
  // not close it again.
  ASSERT_EQ(store->transition_cycle("o4", CycleStatus::closed, CycleStatus::open, kT0 + 1),
            CycleChange::done);
  EXPECT_EQ(store->transition_cycle("o4", CycleStatus::open, CycleStatus::closed, kT0 + 2, schedule,
                                    true),
            CycleChange::conflict);
  std::set<std::string> left;
  for (const auto& t : store->due_transitions(kT0 + 2)) left.insert(t.cycle_id);
  EXPECT_EQ(left, (std::set<std::string>{"o1", "d2", "o2"}));  // d2 and o2's dates came too
}

TEST_P(MailStore, TheReminderScheduleIsStoredWithTheCycle) {
  Cycle c{"c1", "o1", "Spring", CycleStatus::draft, "yaml", true, 3, std::nullopt, std::nullopt, 2};
  EXPECT_EQ(c.max_reminders, 2);
  c.reminder_after_days = {3, 7};
  c.reminder_before_close_days = {1};
  c.max_reminders = 4;
  store->create_cycle(c);
  auto read = store->find_cycle("c1");
  EXPECT_EQ(read->reminder_after_days, (std::vector<int>{3, 7}));
  EXPECT_EQ(read->reminder_before_close_days, (std::vector<int>{1}));
  EXPECT_EQ(read->max_reminders, 4);
  EXPECT_EQ(store->cycles_of("o1")[0].reminder_after_days, (std::vector<int>{3, 7}));
  User admin{"u1", "a@example.org", "A", "h", true, 1};
  EXPECT_EQ(store->cycles_for(admin)[0].max_reminders, 4);
  c.reminder_after_days = {2};
  c.reminder_before_close_days = {};
  c.max_reminders = 1;
  ASSERT_EQ(store->update_draft_cycle(c), CycleChange::done);
  read = store->find_cycle("c1");
  EXPECT_EQ(read->reminder_after_days, (std::vector<int>{2}));
  EXPECT_TRUE(read->reminder_before_close_days.empty());
  EXPECT_EQ(read->max_reminders, 1);
  // Editable in a draft and an open cycle, not once closed.
  const long long audited = audit_rows();
  const AuditEntry audit{"u1", "o1", "cycle.reminders", "c1", kT0};
  ASSERT_EQ(store->transition_cycle("c1", CycleStatus::draft, CycleStatus::open, kT0),
            CycleChange::done);
  EXPECT_TRUE(store->set_cycle_reminders("c1", {1, 5, 10}, {2}, 3, audit));
  read = store->find_cycle("c1");
  EXPECT_EQ(read->reminder_after_days, (std::vector<int>{1, 5, 10}));
  EXPECT_EQ(read->reminder_before_close_days, (std::vector<int>{2}));
  EXPECT_EQ(read->max_reminders, 3);
  if (sqlite()) {
    EXPECT_EQ(audit_rows(), audited + 1);
  }
  ASSERT_EQ(store->transition_cycle("c1", CycleStatus::open, CycleStatus::closed, kT0),
            CycleChange::done);
  EXPECT_FALSE(store->set_cycle_reminders("c1", {}, {}, 0, audit));
  EXPECT_EQ(store->find_cycle("c1")->max_reminders, 3);
  EXPECT_FALSE(store->set_cycle_reminders("gone", {}, {}, 0, audit));
  if (sqlite()) {
    EXPECT_EQ(audit_rows(), audited + 1);
  }
}

// A backup keeps the mail (a restored instance goes on reminding); an
// organization's export never carries addresses, keys or the outbox.
TEST_P(MailStore, ABackupKeepsTheMailAnExportLeavesItOut) {
  make_cycle("c1", CycleStatus::open);
  ASSERT_TRUE(store->set_cycle_reminders("c1", {3}, {}, 2, {}));
  const auto made =
      invite("c1", {{"p1", "Ann", "ann@example.org"}, {"p2", "Bob", "bob@example.org"}}, true);
  const auto first = store->claim_mail("w", kT0, kHour, 1);
  ASSERT_EQ(first.size(), 1u);
  ASSERT_TRUE(store->finish_mail(first[0].id, "w", MailResult::sent, "250 ok", 0, kT0));

  const std::string backup = dir.path() + "/backup.db";
  store->backup(backup);
  TempDir other_dir;
  auto restored = Store::open(DatabaseUrl{DatabaseUrl::Kind::sqlite, other_dir.path() + "/r.db"});
  restored->restore(backup);
  EXPECT_EQ(restored->cycle_link_key("c1"), made.link_key);
  EXPECT_EQ(restored->mail_recipients("c1").size(), 2u);
  EXPECT_EQ(restored->mail_messages("c1").size(), 2u);
  EXPECT_EQ(restored->find_cycle("c1")->reminder_after_days, (std::vector<int>{3}));
  const auto jobs = restored->claim_mail("r", kT0, kHour, 10);
  ASSERT_EQ(jobs.size(), 1u);
  EXPECT_EQ(jobs[0].link_key, made.link_key);
  EXPECT_EQ(restored->queue_due_reminders(kT0 + 3 * kDay), 1u);  // the one invited

  const std::string exported = dir.path() + "/acme.cxm";
  store->export_organization("o1", exported, kT0);
  {
    soci::session file(*soci::factory_sqlite3(), "db=" + exported);
    for (const char* table : {"mail_recipients", "mail_keys", "mail_outbox"}) {
      long long rows = -1;
      file << std::string("SELECT COUNT(*) FROM ") + table, soci::into(rows);
      EXPECT_EQ(rows, 0) << table;
    }
    long long found = 0;
    file << "SELECT COUNT(*) FROM participants", soci::into(found);
    EXPECT_EQ(found, 2);
  }
  TempDir import_dir;
  auto imported = Store::open(DatabaseUrl{DatabaseUrl::Kind::sqlite, import_dir.path() + "/i.db"});
  int n = 0;
  const auto summary =
      imported->import_organization(exported, [&] { return "n" + std::to_string(++n); });
  for (const auto& c : imported->cycles_of(summary.org_id)) {
    EXPECT_TRUE(imported->mail_recipients(c.id).empty());
    EXPECT_FALSE(imported->cycle_link_key(c.id));
    EXPECT_EQ(c.reminder_after_days, (std::vector<int>{3}));  // the cycle's settings move
  }
}

INSTANTIATE_TEST_SUITE_P(Databases, MailStore, ::testing::Values("sqlite", "postgresql"),
                         [](const auto& info) { return info.param; });

// Several processes sharing one database: each child is a separate process
// (fork) with its own Store and connections; they start together.
class MailRaces : public MailStore {
 protected:
  // Runs `work(store, child, out)` in `children` processes; each writes
  // lines to `out`. Returns every child's lines.
  std::vector<std::vector<std::string>> race(
      int children, const std::function<void(Store&, int, std::ofstream&)>& work) {
    store.reset();  // no thread or connection of this process crosses fork()
    const std::string go = dir.path() + "/go";
    std::vector<pid_t> pids;
    for (int i = 0; i < children; ++i) {
      const pid_t pid = fork();
      if (pid == 0) {
        int status = 0;
        try {
          auto mine = Store::open(url);
          std::ofstream out(dir.path() + "/child" + std::to_string(i));
          while (!std::filesystem::exists(go))
            std::this_thread::sleep_for(std::chrono::milliseconds(1));
          work(*mine, i, out);
          out.close();
        } catch (const std::exception& e) {
          std::ofstream(dir.path() + "/error" + std::to_string(i)) << e.what();
          status = 1;
        }
        _exit(status);  // no test teardown, no atexit handler in a child
      }
      pids.push_back(pid);
    }
    std::this_thread::sleep_for(std::chrono::milliseconds(200));  // every child connected
    std::ofstream(go) << "go";
    std::vector<std::vector<std::string>> lines;
    for (int i = 0; i < children; ++i) {
      int status = 0;
      waitpid(pids[static_cast<std::size_t>(i)], &status, 0);
      EXPECT_TRUE(WIFEXITED(status) && WEXITSTATUS(status) == 0)
          << "child " << i << ": "
          << (std::filesystem::exists(dir.path() + "/error" + std::to_string(i))
                  ? cxm::testing::read_text(dir.path() + "/error" + std::to_string(i))
                  : std::string("crashed"));
      std::ifstream in(dir.path() + "/child" + std::to_string(i));
      std::vector<std::string> mine;
      for (std::string line; std::getline(in, line);) mine.push_back(line);
      lines.push_back(std::move(mine));
    }
    std::filesystem::remove(go);
    store = Store::open(url);
    return lines;
  }

  std::vector<Person> people(const std::string& prefix, int n) {
    std::vector<Person> out;
    for (int i = 0; i < n; ++i) {
      const std::string id = prefix + std::to_string(i);
      out.push_back(Person{id, "Person " + id, id + "@example.org"});
    }
    return out;
  }
};

TEST_P(MailRaces, TwoProcessesNeverClaimTheSameMessage) {
  make_cycle("c1", CycleStatus::open);
  constexpr int kMessages = 120;
  ASSERT_TRUE(invite("c1", people("p", kMessages), true).created);
  const auto lines = race(2, [](Store& s, int child, std::ofstream& out) {
    const std::string owner = "sender" + std::to_string(child);
    for (;;) {
      const auto jobs = s.claim_mail(owner, kT0, 10 * 60'000, 4);
      if (jobs.empty()) return;
      for (const auto& job : jobs) {
        out << job.id << "\n";
        if (!s.finish_mail(job.id, owner, MailResult::sent, "250 ok", 0, kT0))
          throw std::runtime_error("lost the lease on " + job.id);
      }
    }
  });
  std::set<std::string> claimed;
  std::size_t total = 0;
  for (const auto& child : lines) {
    total += child.size();
    claimed.insert(child.begin(), child.end());
  }
  EXPECT_EQ(total, static_cast<std::size_t>(kMessages)) << "each message claimed once";
  EXPECT_EQ(claimed.size(), static_cast<std::size_t>(kMessages));
  for (const auto& m : store->mail_messages("c1")) {
    EXPECT_EQ(m.state, MailState::sent);
    EXPECT_EQ(m.attempts, 1);
  }
}

TEST_P(MailRaces, ScheduledRemindersRacingAreQueuedOnce) {
  make_cycle("c1", CycleStatus::open);
  ASSERT_TRUE(store->set_cycle_reminders("c1", {1}, {}, 2, {}));
  constexpr int kPeople = 40;
  ASSERT_TRUE(invite("c1", people("p", kPeople), true).created);
  ASSERT_EQ(deliver(kT0), static_cast<std::size_t>(kPeople));
  // Two schedulers and a facilitator clicking "remind" at the same time:
  // everyone gets one reminder (the next would come within 12 hours).
  const auto lines = race(3, [](Store& s, int child, std::ofstream& out) {
    std::size_t queued = 0;
    for (int i = 0; i < 10; ++i) {
      const std::int64_t now = kT0 + kDay + i * 1000;
      queued += child == 2 ? s.queue_reminders("c1", now).queued : s.queue_due_reminders(now);
    }
    out << queued << "\n";
  });
  std::size_t total = 0;
  for (const auto& child : lines) {
    ASSERT_EQ(child.size(), 1u);
    total += std::stoul(child[0]);
  }
  EXPECT_EQ(total, static_cast<std::size_t>(kPeople));
  for (const auto& r : store->mail_recipients("c1")) EXPECT_EQ(r.reminders, 1) << r.email;
  std::size_t reminders = 0;
  for (const auto& m : store->mail_messages("c1")) reminders += m.kind == MailKind::reminder;
  EXPECT_EQ(reminders, static_cast<std::size_t>(kPeople));
}

TEST_P(MailRaces, ScheduledClosesRacingCloseEachCycleOnce) {
  constexpr int kCycles = 8;
  for (int c = 0; c < kCycles; ++c) {
    const std::string id = "c" + std::to_string(c);
    make_cycle(id, CycleStatus::open, kT0 - 1);
    ASSERT_TRUE(invite(id, people(id + "p", 3), true).created);
    for (int p = 0; p < 3; ++p) submit(id + "p" + std::to_string(p));
  }
  const long long audited = audit_rows("action = 'cycle.closed'");
  const auto lines = race(3, [](Store& s, int, std::ofstream& out) {
    for (int round = 0; round < 5; ++round) {
      for (const auto& t : s.due_transitions(kT0)) {
        const auto outcome = s.transition_cycle(
            t.cycle_id, t.from, t.to, kT0,
            AuditEntry{"schedule", t.org_id, "cycle.closed", t.cycle_id, kT0}, true);
        if (outcome == CycleChange::done) out << t.cycle_id << "\n";
      }
    }
  });
  std::multiset<std::string> closed;
  for (const auto& child : lines) closed.insert(child.begin(), child.end());
  EXPECT_EQ(closed.size(), static_cast<std::size_t>(kCycles));
  for (int c = 0; c < kCycles; ++c) {
    const std::string id = "c" + std::to_string(c);
    EXPECT_EQ(closed.count(id), 1u) << id;
    const auto cycle = store->find_cycle(id);
    EXPECT_EQ(cycle->status, CycleStatus::closed);
    EXPECT_EQ(cycle->releases, 1) << id << ": released once";
    EXPECT_TRUE(store->mail_recipients(id).empty());
  }
  if (sqlite()) {
    EXPECT_EQ(audit_rows("action = 'cycle.closed'"), audited + kCycles);
  }
  EXPECT_TRUE(store->due_transitions(kT0).empty());
}

INSTANTIATE_TEST_SUITE_P(Databases, MailRaces, ::testing::Values("sqlite", "postgresql"),
                         [](const auto& info) { return info.param; });

}  // namespace
}  // namespace cxm::store
