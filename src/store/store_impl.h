// Internal to src/store: the SOCI sessions and the group-committing writer.
#pragma once

#include <soci/soci.h>

#include <condition_variable>
#include <deque>
#include <functional>
#include <future>
#include <mutex>
#include <thread>
#include <vector>

#include "store/store.h"

namespace cxm::store {

// Runs write jobs on one session, grouping all jobs waiting at the moment
// into one transaction (group commit). When a job fails, the group is rolled
// back and each job runs again in a transaction of its own, so one failing
// job does not undo the others. Jobs must therefore be repeatable: they
// (re)set whatever they report back on every run.
class Writer {
 public:
  using Job = std::function<void(soci::session&)>;
  // Called on the writer thread once the job's transaction has committed
  // (nullptr) or failed (what the job or the commit threw).
  using Done = std::function<void(std::exception_ptr)>;
  explicit Writer(std::unique_ptr<soci::session> session);
  ~Writer();  // finishes queued jobs, then stops

  // Blocks until `job` is committed; rethrows what it threw.
  void run(Job job);
  // Queues `job` and returns at once; `done` reports the outcome.
  void submit(Job job, Done done);

 private:
  struct Pending {
    Job job;
    Done done;
  };
  void loop();
  bool run_together(const std::vector<std::unique_ptr<Pending>>& group);
  std::exception_ptr run_alone(Pending& pending);

  std::unique_ptr<soci::session> session_;
  std::mutex mutex_;
  std::condition_variable wake_;
  std::deque<std::unique_ptr<Pending>> queue_;
  bool stopping_ = false;
  std::thread thread_;
};

struct Store::Impl {
  DatabaseUrl url;
  soci::connection_pool readers;
  std::size_t reader_count;
  // One writer on SQLite, which writes one transaction at a time. Several on
  // PostgreSQL, where a group's statements each wait for a round trip: a
  // participant's writes always go to the same one (so they stay in order
  // and two groups never touch the same participant's answers), all other
  // writes to the first.
  std::vector<std::unique_ptr<Writer>> writers;

  Impl(DatabaseUrl u, std::size_t n) : url(std::move(u)), readers(n), reader_count(n) {}

  // Runs `fn` with a pooled reading session.
  template <typename F>
  auto read(F&& fn) {
    if (MemoryOnlyScope::active()) throw WouldBlock();
    const std::size_t slot = readers.lease();
    struct GiveBack {
      soci::connection_pool& pool;
      std::size_t slot;
      ~GiveBack() { pool.give_back(slot); }
    } give_back{readers, slot};
    try {
      return fn(readers.at(slot));
    } catch (const soci::soci_error& e) {
      throw StoreError(e.what());
    }
  }

  Writer& writer_for(const std::string& participant_id) {
    return *writers[std::hash<std::string>{}(participant_id) % writers.size()];
  }
  void write(Writer::Job job) {
    if (MemoryOnlyScope::active()) throw WouldBlock();
    writers.front()->run(std::move(job));
  }
  // A write that touches one participant's row or answers.
  void write_for(const std::string& participant_id, Writer::Job job) {
    if (MemoryOnlyScope::active()) throw WouldBlock();
    writer_for(participant_id).run(std::move(job));
  }
  // Never blocks, so it is allowed inside a MemoryOnlyScope.
  void write_async_for(const std::string& participant_id, Writer::Job job, Writer::Done done) {
    writer_for(participant_id).submit(std::move(job), std::move(done));
  }
};

void open_session(soci::session& session, const DatabaseUrl& url);
std::unique_ptr<soci::session> connect(const DatabaseUrl& url);
void migrate(soci::session& session);
int read_schema_version(soci::session& session);

// SOCI maps SQL integers to int or long long depending on the backend;
// these read a column whatever its stored type.
std::int64_t as_int64(const soci::row& row, std::size_t column);
std::optional<std::int64_t> as_optional_int64(const soci::row& row, std::size_t column);
std::string as_text(const soci::row& row, std::size_t column);

}  // namespace cxm::store
