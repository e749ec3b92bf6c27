#include "api/scheduler.h"

#include <spdlog/spdlog.h>

#include <algorithm>
#include <chrono>

#include "api/context.h"
#include "api/participant_link.h"
#include "core/forms.h"
#include "mail/compose.h"
#include "mail/smtp_client.h"

namespace cxm::api {
namespace {

// A message that failed for a passing reason is tried again after the
// retry delay, doubled each time up to an hour, at most this many times.
constexpr int kMaxAttempts = 10;
constexpr std::int64_t kMaxRetryDelayMs = 3600 * 1000;

std::int64_t retry_delay_ms(int retry_seconds, int attempts) {
  std::int64_t delay = static_cast<std::int64_t>(retry_seconds) * 1000;
  for (int i = 1; i < attempts && delay < kMaxRetryDelayMs; ++i) delay *= 2;
  return std::min(delay, kMaxRetryDelayMs);
}

}  // namespace

Scheduler::Scheduler(Context& ctx, int interval_seconds)
    : ctx_(ctx), interval_seconds_(interval_seconds), owner_(secrets::new_id()) {
  if (interval_seconds_ > 0) thread_ = std::thread([this] { run(); });
}

Scheduler::~Scheduler() {
  {
    std::lock_guard lock(mutex_);
    stopping_ = true;
  }
  wake_.notify_all();
  if (thread_.joinable()) thread_.join();
}

void Scheduler::wake() {
  {
    std::lock_guard lock(mutex_);
    woken_ = true;
  }
  wake_.notify_all();
}

SchedulerPass Scheduler::run_once() {
  SchedulerPass pass;
  check_dates(pass);
  send_due(pass, std::nullopt);
  return pass;
}

void Scheduler::run() {
  using Clock = std::chrono::steady_clock;
  const auto interval = std::chrono::seconds(interval_seconds_);
  // Retries fall due between the passes over dates: the outbox is looked
  // at more often when there is mail to send.
  const auto& mail = ctx_.options.mail;
  const auto poll = mail.smtp
                        ? std::min<std::chrono::seconds>(
                              interval, std::chrono::seconds(std::clamp(mail.retry_seconds, 1, 15)))
                        : interval;
  auto dates_due = Clock::now();
  for (;;) {
    SchedulerPass pass;
    bool more = false;
    try {
      if (Clock::now() >= dates_due) {
        check_dates(pass);
        dates_due = Clock::now() + interval;
      }
      // Sending stops when the dates are due again, so that a long queue
      // (or a mail server that hangs) never holds a cycle open past its
      // closing date.
      more = send_due(pass, dates_due);
    } catch (const store::StoreError& e) {
      spdlog::warn("scheduler: database: {}; trying again later", e.what());
    } catch (const std::exception& e) {
      spdlog::error("scheduler: {}", e.what());
    }
    std::unique_lock lock(mutex_);
    if (stopping_) return;
    if (more) continue;
    wake_.wait_for(lock, poll, [this] { return stopping_ || woken_; });
    if (stopping_) return;
    woken_ = false;
  }
}

// Opens and closes cycles whose dates have passed, through the same
// conditional transition a facilitator's click takes (a close releases an
// anonymous cycle's results by the same rules); then queues the reminders
// that each cycle's schedule makes due.
void Scheduler::check_dates(SchedulerPass& pass) {
  const std::int64_t now = ctx_.now();
  for (const auto& due : ctx_.store.due_transitions(now)) {
    const bool opening = due.to == store::CycleStatus::open;
    const store::AuditEntry audit{
        "schedule", due.org_id, opening ? "cycle.open" : "cycle.closed",
        due.cycle_id + (opening ? " on its opening date" : " on its closing date"), now};
    if (ctx_.store.transition_cycle(due.cycle_id, due.from, due.to, now, audit,
                                    /*when_due=*/true) != store::CycleChange::done)
      continue;  // another process (or a facilitator) was first
    ctx_.cycle_rows.erase(due.cycle_id);
    ++(opening ? pass.opened : pass.closed);
    spdlog::info("cycle {} {} on its date", due.cycle_id, opening ? "opened" : "closed");
  }
  if (ctx_.options.mail.smtp) pass.reminders_queued += ctx_.store.queue_due_reminders(now);
}

bool Scheduler::send_due(SchedulerPass& pass,
                         std::optional<std::chrono::steady_clock::time_point> until) {
  const auto& mail = ctx_.options.mail;
  if (!mail.smtp) return false;
  const mail::SmtpClient client(*mail.smtp);
  // One message at a time, leased for longer than a send can take.
  const std::int64_t lease_ms =
      (2 * static_cast<std::int64_t>(mail.smtp->timeout_seconds) + 60) * 1000;
  const auto spacing = std::chrono::milliseconds(60000 / std::max(1, mail.rate_per_minute));
  for (;;) {
    {
      std::lock_guard lock(mutex_);
      if (stopping_) return false;
    }
    if (until && std::chrono::steady_clock::now() >= *until) return true;
    const std::int64_t now = ctx_.now();
    const auto jobs = ctx_.store.claim_mail(owner_, now, lease_ms, 1);
    if (jobs.empty()) return false;
    const auto& job = jobs.front();
    auto finish = [&](store::MailResult result, const std::string& reply, std::int64_t next) {
      ctx_.store.finish_mail(job.id, owner_, result, reply, next, ctx_.now());
    };
    const auto cycle = ctx_.store.find_cycle(job.cycle_id);
    const auto org = cycle ? ctx_.store.find_organization(cycle->org_id) : std::nullopt;
    const std::string token = secrets::derive_link_token(job.link_key, job.participant_id);
    if (!cycle || !org || token.empty()) {
      finish(store::MailResult::failed, "the cycle or its links are gone", 0);
      ++pass.failed;
      continue;
    }
    mail::Letter letter;
    letter.kind =
        job.kind == store::MailKind::invitation ? mail::Kind::invitation : mail::Kind::reminder;
    // In the language the person chose on the welcome page (a reminder
    // after they started), else the cycle's default.
    const auto participant = ctx_.store.find_participant(job.participant_id);
    letter.lang = results::offered_language(*cycle, participant ? participant->lang : "");
    letter.recipient_name = job.to_name;
    letter.org_name = org->name;
    letter.title = participant_title(*cycle, org->name, letter.lang);
    letter.link = mail.public_url + "/r/" + token;
    letter.closes_at = cycle->closes_at;
    letter.minutes = core::estimated_minutes(ctx_.cycles.model(*cycle, ctx_.store)->items.size());
    letter.anonymous = cycle->anonymous;
    letter.min_group_size = cycle->min_group_size;
    letter.consultant = org->consultant;
    letter.confidentiality = org->confidentiality;
    if (const auto logo = ctx_.store.organization_logo(org->id)) {
      letter.logo_bytes = logo->bytes;
      letter.logo_type = logo->type;
    }
    letter.reminder_number = job.reminder_number;
    const auto message =
        mail::mime_message(mail::compose(letter), letter, mail.smtp->from, job.to_address, now,
                           job.id);  // the same on every attempt: a copy sent twice is known as one
    const auto result = client.send(job.to_address, message);
    switch (result.status) {
      case mail::SendResult::sent:
        finish(store::MailResult::sent, result.reply, 0);
        ++pass.sent;
        spdlog::info("mail {}: sent", job.id);
        break;
      case mail::SendResult::transient:
        if (job.attempts >= kMaxAttempts) {
          finish(store::MailResult::failed,
                 "gave up after " + std::to_string(job.attempts) + " attempts: " + result.reply, 0);
          ++pass.failed;
        } else {
          finish(store::MailResult::retry, result.reply,
                 ctx_.now() + retry_delay_ms(mail.retry_seconds, job.attempts));
          ++pass.retried;
        }
        spdlog::warn("mail {}: not sent ({}); attempt {}", job.id, result.reply, job.attempts);
        break;
      case mail::SendResult::permanent:
        finish(store::MailResult::failed, result.reply, 0);
        ++pass.failed;
        spdlog::warn("mail {}: refused ({})", job.id, result.reply);
        break;
    }
    // The rate limit: messages spaced evenly, the wait cut short by a stop.
    std::unique_lock lock(mutex_);
    wake_.wait_for(lock, spacing, [this] { return stopping_; });
  }
}

}  // namespace cxm::api
