// Reads a cxm database as it is on disk, beside the server, for the crash
// loop (tests/crash_loop_test.cpp): SQLite through its C library,
// PostgreSQL through libpq. Not the product's store: the check must not
// share what it checks.
#pragma once

#include <optional>
#include <string>
#include <vector>

namespace cxm::testing {

using DbRow = std::vector<std::optional<std::string>>;  // nullopt: SQL NULL

class RawDatabase {
 public:
  // "sqlite:PATH" or "postgresql://...". Throws std::runtime_error.
  explicit RawDatabase(const std::string& url);
  ~RawDatabase();
  RawDatabase(const RawDatabase&) = delete;
  RawDatabase& operator=(const RawDatabase&) = delete;

  // Every row of `sql` (a SELECT) as text. Throws std::runtime_error.
  std::vector<DbRow> rows(const std::string& sql);
  bool postgresql() const { return pg_ != nullptr; }

 private:
  void* sqlite_ = nullptr;  // sqlite3*
  void* pg_ = nullptr;      // PGconn*
};

// 'a', 'b' -> "('a','b')" for an IN list (ids are hex: nothing to escape).
std::string sql_list(const std::vector<std::string>& values);

}  // namespace cxm::testing
