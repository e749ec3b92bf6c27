// Internal to src/store: the thread that runs every write on one database
// session, grouping the jobs waiting at the moment into one transaction
// (group commit), so that a write is acknowledged only once committed and
// durability does not cost throughput.
#pragma once

#include <soci/soci.h>

#include <condition_variable>
#include <deque>
#include <exception>
#include <functional>
#include <map>
#include <memory>
#include <mutex>
#include <thread>
#include <vector>

namespace cxm::store {

class Writer {
 public:
  // A job runs inside the writer's transaction. When one job of a group
  // throws, or the commit fails, the group is rolled back and each job runs
  // again in a transaction of its own, so one failing job does not undo the
  // others. Jobs must therefore be repeatable: they (re)set whatever they
  // report back on every run. A rule refusing a write is not a failure: the
  // job records the refusal and returns.
  using Job = std::function<void(soci::session&)>;
  // Called on the writer thread once the job's transaction has committed
  // (nullptr) or failed (a StoreError, or what the job threw). Must not
  // block; must not throw.
  using Done = std::function<void(std::exception_ptr)>;
  // Opens a session; called again to replace one that was lost.
  using Connect = std::function<std::unique_ptr<soci::session>()>;

  // `session` is the first session; `connect` makes the next one after a
  // lost connection. On SQLite the transaction starts with BEGIN IMMEDIATE:
  // it takes the write lock first, so every check inside a job reads the
  // newest committed state of every process.
  Writer(std::unique_ptr<soci::session> session, Connect connect);
  ~Writer();  // finishes queued jobs, then stops

  // A job that runs merged with the jobs of its own type queued next to it
  // in a group: on PostgreSQL, where each statement waits for a round trip,
  // a group of answer saves checks its links in one statement and writes
  // its rows in one more, not a few statements per save. Like a Job it runs
  // inside the writer's transaction and must be repeatable; after a failed
  // group each runs again alone (given only itself).
  class MergedJob {
   public:
    virtual ~MergedJob() = default;
    // Runs `jobs` (of this job's dynamic type, in queue order, this one
    // first) in the transaction of `sql`.
    virtual void run(soci::session& sql, const std::vector<MergedJob*>& jobs) = 0;
  };

  // Blocks until `job` is committed; rethrows what it threw.
  void run(Job job);
  void run(std::shared_ptr<MergedJob> job);
  // Queues `job` and returns at once; `done` reports the outcome. Throws
  // StoreError when the writer is stopping.
  void submit(Job job, Done done);
  void submit(std::shared_ptr<MergedJob> job, Done done);

  // For a job: what it keeps with the writer's current session (prepared
  // statements), under `key`; empty at first. Cleared before the session is
  // replaced (after a lost connection) or closed, so that nothing outlives
  // the session it was prepared on.
  std::shared_ptr<void>& session_slot(const void* key) { return session_slots_[key]; }

 private:
  struct Pending {
    Job job;                            // or
    std::shared_ptr<MergedJob> merged;  // when not null
    Done done;
  };
  void queue(std::unique_ptr<Pending> pending);
  void loop();
  bool run_together(const std::vector<std::unique_ptr<Pending>>& group);
  std::exception_ptr run_alone(Pending& pending);
  void begin();
  void rollback() noexcept;
  void reconnect_if_lost() noexcept;
  void replace_session();

  std::unique_ptr<soci::session> session_;
  // Declared after session_: destroyed before it.
  std::map<const void*, std::shared_ptr<void>> session_slots_;
  Connect connect_;
  bool immediate_ = false;  // SQLite: BEGIN IMMEDIATE
  std::mutex mutex_;
  std::condition_variable wake_;
  std::deque<std::unique_ptr<Pending>> queue_;
  bool stopping_ = false;
  std::thread thread_;
};

}  // namespace cxm::store
