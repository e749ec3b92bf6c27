// The scheduler with a clock the test moves: cycles open and close on
// their dates, invitations go out, and scheduled reminders reach only
// those who have not submitted, at the days the cycle's schedule names,
// at most `max` times — through a real SMTP server on loopback.
#include "api/scheduler.h"

#include <gtest/gtest.h>

#include <atomic>
#include <set>

#include "../../tests/run_process.h"
#include "../../tests/smtp_sink.h"
#include "api/app.h"
#include "model/model_parser.h"
#include "secrets/secrets.h"
#include "store/store.h"

namespace cxm::api {
namespace {

constexpr std::int64_t kDay = 86'400'000;
constexpr std::int64_t kSchedulerStart = 1'800'000'000'000;  // 2027-01-15

class SchedulerTest : public ::testing::Test {
 protected:
  cxm::testing::TempDir dir;
  cxm::testing::SmtpSink sink;
  std::unique_ptr<store::Store> store = store::Store::open(
      store::DatabaseUrl{store::DatabaseUrl::Kind::sqlite, dir.path() + "/cxm.db"});
  std::atomic<std::int64_t> now{kSchedulerStart};
  std::unique_ptr<App> app;

  void SetUp() override {
    ASSERT_TRUE(secrets::init_crypto());
    AppOptions options;
    mail::SmtpSettings smtp;
    smtp.host = "127.0.0.1";
    smtp.port = sink.port();
    smtp.security = mail::Security::none;
    smtp.from = "cxm@example.com";
    smtp.timeout_seconds = 5;
    options.mail.smtp = smtp;
    options.mail.public_url = "https://cxm.example.com";
    options.mail.rate_per_minute = 60000;
    app = std::make_unique<App>(*store, options, [this] { return now.load(); });
    store->create_organization(
        store::Organization{"o1", "Helios AG", "Retail", "50-249", {"Sales"}, false, 1},
        std::nullopt);
  }

  // A cycle with `people` invited by e-mail (their invitations queued).
  void make_cycle(store::CycleStatus status, std::optional<std::int64_t> opens,
                  std::optional<std::int64_t> closes, int people) {
    store::Cycle c{"c1", "o1", "Spring", status, std::string(model::default_model_text()),
                   true, 3,    opens,    closes, kSchedulerStart};
    c.reminder_after_days = {3, 7};
    c.reminder_before_close_days = {1};
    c.max_reminders = 2;
    store->create_cycle(c);
    store::MailInvite invite;
    invite.send = true;
    for (int i = 0; i < people; ++i) {
      const std::string id = "p" + std::to_string(i);
      invite.participants.push_back(store::Participant{id, "c1", "P" + std::to_string(i), "", "",
                                                       false, std::nullopt, kSchedulerStart, "",
                                                       std::nullopt});
      invite.recipients.push_back(store::MailRecipient{id, "c1", "P" + std::to_string(i),
                                                       id + "@example.org", std::nullopt, 0,
                                                       std::nullopt, kSchedulerStart});
    }
    const auto result = store->create_mail_invitations(
        invite,
        [](const std::string& key, const std::string& id) {
          return secrets::token_hash(secrets::derive_link_token(key, id));
        },
        kSchedulerStart);
    ASSERT_TRUE(result.created);
  }

  std::multiset<std::string> recipients() const {
    std::multiset<std::string> to;
    for (const auto& m : sink.received()) to.insert(m.to);
    return to;
  }
};

TEST_F(SchedulerTest, ADraftOpensOnItsDateAndItsInvitationsGoOutThen) {
  make_cycle(store::CycleStatus::draft, kSchedulerStart + kDay, kSchedulerStart + 20 * kDay, 2);
  auto pass = app->run_scheduler();
  EXPECT_EQ(pass.opened, 0u);
  EXPECT_EQ(pass.sent, 0u) << "a draft's invitations wait for it to open";
  now = kSchedulerStart + kDay;
  pass = app->run_scheduler();
  EXPECT_EQ(pass.opened, 1u);
  EXPECT_EQ(pass.sent, 2u);
  EXPECT_EQ(store->find_cycle("c1")->status, store::CycleStatus::open);
  EXPECT_EQ(sink.wait_for(2).size(), 2u);
}

TEST_F(SchedulerTest, RemindersFollowTheScheduleOnlyToThoseWhoHaveNotSubmittedAtMostMaxTimes) {
  make_cycle(store::CycleStatus::open, std::nullopt, kSchedulerStart + 20 * kDay, 3);
  ASSERT_EQ(app->run_scheduler().sent, 3u);  // the invitations, "sent" at kSchedulerStart

  // p0 answers and submits through its link.
  const auto key = store->cycle_link_key("c1");
  ASSERT_TRUE(key);
  ASSERT_EQ(store->claim_link("p0", "claim", "resume"), store::ClaimOutcome::claimed);
  ASSERT_EQ(store->save_answers("p0", "claim", {{"LS2", 4}}, kSchedulerStart + kDay).refusal,
            store::LinkRefusal::none);
  ASSERT_EQ(store->submit("p0", "claim", kSchedulerStart + kDay), store::LinkRefusal::none);

  now = kSchedulerStart + 2 * kDay;  // no point of the schedule has passed
  EXPECT_EQ(app->run_scheduler().reminders_queued, 0u);
  now = kSchedulerStart + 3 * kDay + 1;  // 3 days after the invitation
  auto pass = app->run_scheduler();
  EXPECT_EQ(pass.reminders_queued, 2u);
  EXPECT_EQ(pass.sent, 2u);
  now = kSchedulerStart + 3 * kDay + 2;  // the same point again: nothing
  EXPECT_EQ(app->run_scheduler().reminders_queued, 0u);
  now = kSchedulerStart + 7 * kDay + 1;  // 7 days: the second and last
  EXPECT_EQ(app->run_scheduler().reminders_queued, 2u);
  now = kSchedulerStart + 19 * kDay + 1;  // 1 day before the close, but max is 2
  EXPECT_EQ(app->run_scheduler().reminders_queued, 0u);
  sink.wait_for(7);
  const auto to = recipients();
  EXPECT_EQ(to.count("p0@example.org"), 1u) << "the invitation only";
  EXPECT_EQ(to.count("p1@example.org"), 3u);
  EXPECT_EQ(to.count("p2@example.org"), 3u);
  // Each reminder carries the person's one link.
  const std::string link = "https://cxm.example.com/r/" + secrets::derive_link_token(*key, "p1");
  for (const auto& m : sink.received()) {
    if (m.to == "p1@example.org") {
      EXPECT_EQ(cxm::testing::link_token(m.raw), secrets::derive_link_token(*key, "p1")) << link;
    }
  }
}

TEST_F(SchedulerTest, ACycleClosesOnItsDateOnceAndItsAddressesGo) {
  make_cycle(store::CycleStatus::open, std::nullopt, kSchedulerStart + 5 * kDay, 2);
  ASSERT_EQ(app->run_scheduler().sent, 2u);
  now = kSchedulerStart + 5 * kDay;
  EXPECT_EQ(app->run_scheduler().closed, 1u);
  EXPECT_EQ(store->find_cycle("c1")->status, store::CycleStatus::closed);
  EXPECT_TRUE(store->mail_recipients("c1").empty());
  EXPECT_FALSE(store->cycle_link_key("c1"));
  EXPECT_EQ(app->run_scheduler().closed, 0u);
  // Reopened by hand after its date, it stays open.
  ASSERT_EQ(store->transition_cycle("c1", store::CycleStatus::closed, store::CycleStatus::open,
                                    now.load()),
            store::CycleChange::done);
  now = kSchedulerStart + 6 * kDay;
  EXPECT_EQ(app->run_scheduler().closed, 0u);
  EXPECT_EQ(store->find_cycle("c1")->status, store::CycleStatus::open);
}

}  // namespace
}  // namespace cxm::api
