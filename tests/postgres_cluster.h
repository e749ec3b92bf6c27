// PostgreSQL for tests. One cluster serves a whole `ctest` run: the CTest
// fixture `postgres` starts it (tests/postgres_fixture.sh, fsync off) and
// names its state file in CXM_TEST_POSTGRES; each test takes a new database
// of it. A test binary run by hand starts a private cluster on first use
// instead. Tests that stop the server (tests/fault_test.cpp) start a
// private cluster of their own. Every cluster here runs without fsync.
#pragma once

#include <optional>
#include <string>

namespace cxm::testing {

class PostgresCluster {
 public:
  // A private cluster in a temporary directory on a free loopback port,
  // stopped (by its own pg_ctl) when destroyed. nullopt (and `why` set)
  // when PostgreSQL's server binaries are missing or the cluster cannot
  // start.
  static std::optional<PostgresCluster*> start(std::string& why);
  // The cluster the CTest fixture started, from its state file (a line
  // "DIR PORT BIN USER"); not stopped when destroyed.
  static std::optional<PostgresCluster*> attach(const std::string& state_file, std::string& why);
  ~PostgresCluster();
  PostgresCluster(const PostgresCluster&) = delete;
  PostgresCluster& operator=(const PostgresCluster&) = delete;

  // Creates a new empty database, named uniquely across the processes
  // sharing the cluster, and returns its postgresql:// URL. Throws
  // std::runtime_error when createdb fails.
  std::string create_database();
  // Ends every connection to the database of `url` (pg_terminate_backend),
  // as a server restart or a network fault would. Returns how many.
  int terminate_connections(const std::string& url);
  // Runs `sql` (no double quotes) in the database of `url` with psql, as
  // the cluster's superuser; true when it succeeded.
  bool execute(const std::string& url, const std::string& sql);
  // Stops the server (fast shutdown) and starts it again on the same port.
  // Only on a private cluster: others share the fixture's.
  bool stop_server();
  bool start_server();

 private:
  PostgresCluster() = default;
  std::string bin_, dir_, user_prefix_;
  int port_ = 0;
  int databases_ = 0;
  bool owned_ = true;
};

// The cluster this process's tests share: the fixture's, else a private
// one started on first use and stopped at exit. Throws std::runtime_error
// saying why when there is none.
PostgresCluster& shared_postgres();

// A new empty database for a test of `kind` ("sqlite" or "postgresql"):
// "sqlite:DIR/FILE", or a new database of shared_postgres().
std::string test_database(const std::string& kind, const std::string& dir,
                          const std::string& file = "cxm.db");

}  // namespace cxm::testing
