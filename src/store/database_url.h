// Where the database is: the --db argument of every cxm command, parsed.
#pragma once

#include <optional>
#include <string>

namespace cxm::store {

struct DatabaseUrl {
  enum class Kind { sqlite, postgresql };
  Kind kind = Kind::sqlite;
  std::string target;  // a file path for SQLite, a libpq connection string for PostgreSQL
};

// "sqlite:PATH" or "postgresql://user:password@host:port/db?key=value";
// nullopt (and `error` set) otherwise. The error never repeats a password.
std::optional<DatabaseUrl> parse_database_url(const std::string& url, std::string& error);

}  // namespace cxm::store
