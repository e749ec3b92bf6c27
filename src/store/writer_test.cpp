// The writer on its own: grouping, a failing job retried alone, order.
#include "store/writer.h"

#include <gtest/gtest.h>
#include <soci/sqlite3/soci-sqlite3.h>

#include <atomic>
#include <condition_variable>
#include <mutex>
#include <stdexcept>

#include "../../tests/run_process.h"

namespace cxm::store {
namespace {

using cxm::testing::TempDir;

class WriterTest : public ::testing::Test {
 protected:
  TempDir dir;
  std::string path = dir.path() + "/w.db";

  std::unique_ptr<soci::session> connect() {
    auto s = std::make_unique<soci::session>(*soci::factory_sqlite3(), "db=" + path);
    *s << "PRAGMA journal_mode=WAL";
    return s;
  }
  long long count(const std::string& where = "1=1") {
    auto s = connect();
    long long n = 0;
    *s << "SELECT COUNT(*) FROM t WHERE " + where, soci::into(n);
    return n;
  }
  void SetUp() override {
    *connect() << "CREATE TABLE t (k INTEGER PRIMARY KEY, v INTEGER NOT NULL)";
  }

  // A connection that counts the transactions it commits (SQLite's commit
  // hook runs once per commit, on the writer's thread).
  std::atomic<int> commits{0};
  std::unique_ptr<soci::session> counting_connection() {
    auto s = connect();
    auto* backend = static_cast<soci::sqlite3_session_backend*>(s->get_backend());
    sqlite_api::sqlite3_commit_hook(
        backend->conn_,
        [](void* counter) {
          ++*static_cast<std::atomic<int>*>(counter);
          return 0;  // go on with the commit
        },
        &commits);
    return s;
  }
};

// Jobs queued while the writer is busy share one transaction: a blocked
// first job lets the rest pile up, and they all commit.
TEST_F(WriterTest, JobsWaitingTogetherShareOneTransaction) {
  Writer writer(counting_connection(), nullptr);
  std::mutex mutex;
  std::condition_variable cv;
  bool release = false;
  int done = 0;
  std::vector<long long> seen_in_transaction;
  writer.submit(
      [&](soci::session& sql) {
        std::unique_lock lock(mutex);
        cv.wait(lock, [&] { return release; });
        sql << "INSERT INTO t (k, v) VALUES (0, 0)";
      },
      [&](std::exception_ptr) {
        std::lock_guard lock(mutex);
        ++done;
        cv.notify_all();
      });
  for (int i = 1; i <= 50; ++i) {
    writer.submit(
        [i](soci::session& sql) { sql << "INSERT INTO t (k, v) VALUES (:k, 1)", soci::use(i); },
        [&](std::exception_ptr failure) {
          std::lock_guard lock(mutex);
          EXPECT_FALSE(failure);
          ++done;
          cv.notify_all();
        });
  }
  {
    std::lock_guard lock(mutex);
    release = true;
  }
  cv.notify_all();
  std::unique_lock lock(mutex);
  cv.wait(lock, [&] { return done == 51; });
  EXPECT_EQ(count(), 51);
  // The first job alone (or with the others, had they come before the
  // writer took it), then the 50 that waited together: at most 2 commits,
  // where a writer committing job by job would make 51.
  EXPECT_GE(commits.load(), 1);
  EXPECT_LE(commits.load(), 2);
}

// One job failing in a group is rolled back alone: the others commit, and
// its caller gets what it threw.
TEST_F(WriterTest, AFailingJobFailsAloneAndOthersCommit) {
  Writer writer(connect(), nullptr);
  std::mutex mutex;
  std::condition_variable cv;
  int done = 0, failures = 0;
  std::string message;
  for (int i = 0; i < 40; ++i) {
    writer.submit(
        [i](soci::session& sql) {
          sql << "INSERT INTO t (k, v) VALUES (:k, 1)", soci::use(i);
          if (i == 17) throw std::runtime_error("job 17 fails");
        },
        [&](std::exception_ptr failure) {
          std::lock_guard lock(mutex);
          ++done;
          if (failure) {
            ++failures;
            try {
              std::rethrow_exception(failure);
            } catch (const std::exception& e) {
              message = e.what();
            }
          }
          cv.notify_all();
        });
  }
  std::unique_lock lock(mutex);
  cv.wait(lock, [&] { return done == 40; });
  EXPECT_EQ(failures, 1);
  EXPECT_EQ(message, "job 17 fails");
  EXPECT_EQ(count(), 39);
  EXPECT_EQ(count("k = 17"), 0);
}

// run() blocks until committed and rethrows; jobs run in submission order.
TEST_F(WriterTest, RunWaitsForTheCommitAndJobsKeepTheirOrder) {
  Writer writer(connect(), nullptr);
  for (int i = 0; i < 30; ++i) {
    writer.submit(
        [i](soci::session& sql) {
          sql << "INSERT OR REPLACE INTO t (k, v) VALUES (1, :v)", soci::use(i);
        },
        [](std::exception_ptr) {});
  }
  writer.run([](soci::session&) {});
  auto s = connect();
  long long v = -1;
  *s << "SELECT v FROM t WHERE k = 1", soci::into(v);
  EXPECT_EQ(v, 29);
  EXPECT_THROW(writer.run([](soci::session& sql) { sql << "INSERT INTO nowhere VALUES (1)"; }),
               std::exception);
}

// Merged jobs queued together run as one call per run of jobs of the same
// type, in queue order; a plain job or another type between them starts
// another call. When the group fails, each runs again alone.
class Insert final : public Writer::MergedJob {
 public:
  Insert(int key, std::vector<std::vector<int>>& calls) : key_(key), calls_(calls) {}
  void run(soci::session& sql, const std::vector<Writer::MergedJob*>& jobs) override {
    calls_.emplace_back();
    for (auto* job : jobs) {
      const int key = static_cast<Insert*>(job)->key_;
      calls_.back().push_back(key);
      if (key < 0) throw std::runtime_error("a negative key fails");
      sql << "INSERT OR REPLACE INTO t (k, v) VALUES (:k, :v)", soci::use(key),
          soci::use(static_cast<int>(calls_.size()));
    }
  }

 private:
  const int key_;
  std::vector<std::vector<int>>& calls_;
};

class Other final : public Writer::MergedJob {
 public:
  explicit Other(std::vector<std::vector<int>>& calls) : calls_(calls) {}
  void run(soci::session&, const std::vector<Writer::MergedJob*>& jobs) override {
    calls_.emplace_back(jobs.size(), 0);
  }

 private:
  std::vector<std::vector<int>>& calls_;
};

TEST_F(WriterTest, MergedJobsQueuedTogetherRunAsOneCall) {
  Writer writer(connect(), nullptr);
  std::vector<std::vector<int>> calls;  // on the writer's thread only
  std::mutex mutex;
  std::condition_variable cv;
  bool started = false, release = false;
  int done = 0, failures = 0;
  const auto count_done = [&](std::exception_ptr failure) {
    std::lock_guard lock(mutex);
    ++done;
    if (failure) ++failures;
    cv.notify_all();
  };
  // Holds the writer while the rest are queued behind it.
  writer.submit(
      [&](soci::session&) {
        std::unique_lock lock(mutex);
        started = true;
        cv.notify_all();
        cv.wait(lock, [&] { return release; });
      },
      count_done);
  {
    // Taken alone: the rest are queued only once it runs.
    std::unique_lock lock(mutex);
    cv.wait(lock, [&] { return started; });
  }
  for (int k = 1; k <= 3; ++k) writer.submit(std::make_shared<Insert>(k, calls), count_done);
  writer.submit(std::make_shared<Other>(calls), count_done);
  writer.submit(std::make_shared<Other>(calls), count_done);
  writer.submit(std::make_shared<Insert>(4, calls), count_done);
  writer.submit([](soci::session&) {}, count_done);
  writer.submit(std::make_shared<Insert>(5, calls), count_done);
  writer.submit(std::make_shared<Insert>(6, calls), count_done);
  {
    std::lock_guard lock(mutex);
    release = true;
  }
  cv.notify_all();
  {
    std::unique_lock lock(mutex);
    cv.wait(lock, [&] { return done == 10; });
  }
  EXPECT_EQ(failures, 0);
  // The holding job was taken alone; the others made the next group.
  const std::vector<std::vector<int>> expected{{1, 2, 3}, {0, 0}, {4}, {5, 6}};
  EXPECT_EQ(calls, expected);
  EXPECT_EQ(count(), 6);

  // A failing merged job: the group is rolled back, and each job runs again
  // alone; only the failing one fails.
  calls.clear();
  {
    std::lock_guard lock(mutex);
    started = release = false;
    done = failures = 0;
  }
  writer.submit(
      [&](soci::session&) {
        std::unique_lock lock(mutex);
        started = true;
        cv.notify_all();
        cv.wait(lock, [&] { return release; });
      },
      count_done);
  {
    // Taken alone: the rest are queued only once it runs.
    std::unique_lock lock(mutex);
    cv.wait(lock, [&] { return started; });
  }
  for (const int k : {7, -1, 8}) writer.submit(std::make_shared<Insert>(k, calls), count_done);
  {
    std::lock_guard lock(mutex);
    release = true;
  }
  cv.notify_all();
  {
    std::unique_lock lock(mutex);
    cv.wait(lock, [&] { return done == 4; });
  }
  EXPECT_EQ(failures, 1);
  const std::vector<std::vector<int>> retried{{7, -1}, {7}, {-1}, {8}};
  EXPECT_EQ(calls, retried);
  EXPECT_EQ(count("k IN (7, 8)"), 2);
  EXPECT_EQ(count(), 8);
}

}  // namespace
}  // namespace cxm::store
