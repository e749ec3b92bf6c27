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

 private:
  PostgresCluster() = default;
  std::string bin_, dir_, user_prefix_;
  int port_ = 0;
  int databases_ = 0;
};

}  // namespace cxm::testing
