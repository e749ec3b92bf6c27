// A private PostgreSQL cluster for tests: initdb and pg_ctl in a temporary
// directory on a free loopback port, stopped (by its own pg_ctl) at the end.
#pragma once

#include <optional>
#include <string>

namespace cxm::testing {

class PostgresCluster {
 public:
  // nullopt (and `why` set) when PostgreSQL's server binaries are missing
  // or the cluster cannot start.
  static std::optional<PostgresCluster*> start(std::string& why);
  ~PostgresCluster();

  // Creates a new empty database and returns its postgresql:// URL.
  std::string create_database();
  // Ends every connection to the database of `url` (pg_terminate_backend),
  // as a server restart or a network fault would. Returns how many.
  int terminate_connections(const std::string& url);
  // Runs `sql` (no double quotes) in the database of `url` with psql, as
  // the cluster's superuser; true when it succeeded.
  bool execute(const std::string& url, const std::string& sql);
  // Stops the server (fast shutdown) and starts it again on the same port.
  bool stop_server();
  bool start_server();

 private:
  PostgresCluster() = default;
  std::string bin_, dir_, user_prefix_;
  int port_ = 0;
  int databases_ = 0;
};

}  // namespace cxm::testing
