// Internal to src/api: what every `cxm serve` does on its own, apart from
// requests (SPEC section 4.7). It opens and closes cycles on their dates,
// queues the reminders of each cycle's schedule, and sends the outbox when
// mail is set up. Several processes may run it on one database: every step
// is a write that checks its rule inside the transaction (a transition
// from the status it expects, a message leased to one process), so nothing
// happens twice.
#pragma once

#include <chrono>
#include <condition_variable>
#include <cstdint>
#include <mutex>
#include <optional>
#include <string>
#include <thread>

namespace cxm::mail {
struct SmtpSettings;
}

namespace cxm::api {

struct Context;

// What one pass did, for tests and the log.
struct SchedulerPass {
  std::size_t opened = 0, closed = 0, reminders_queued = 0;
  std::size_t sent = 0, retried = 0, failed = 0;
};

class Scheduler {
 public:
  // Starts the thread when `interval_seconds` > 0; otherwise passes run
  // only through run_once() (tests).
  Scheduler(Context& ctx, int interval_seconds);
  ~Scheduler();  // stops the thread, after the message being sent
  Scheduler(const Scheduler&) = delete;
  Scheduler& operator=(const Scheduler&) = delete;

  // Something was queued: send now rather than at the next poll.
  void wake();
  // One pass now, on the caller's thread: dates, scheduled reminders, and
  // every due message of the outbox.
  SchedulerPass run_once();

 private:
  void run();
  void check_dates(SchedulerPass& pass);
  // Sends every due message, or until `until`; true when it stopped there
  // with messages still due.
  bool send_due(SchedulerPass& pass, std::optional<std::chrono::steady_clock::time_point> until);

  Context& ctx_;
  const int interval_seconds_;
  const std::string owner_;  // this process's name on the messages it leases
  std::mutex mutex_;
  std::condition_variable wake_;
  bool woken_ = false;
  bool stopping_ = false;
  std::thread thread_;
};

}  // namespace cxm::api
