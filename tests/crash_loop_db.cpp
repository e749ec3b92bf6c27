#include "crash_loop_db.h"

#include <libpq-fe.h>
#include <sqlite3.h>

#include <stdexcept>

namespace cxm::testing {

RawDatabase::RawDatabase(const std::string& url) {
  if (url.rfind("sqlite:", 0) == 0) {
    sqlite3* db = nullptr;
    // Read-write (never written): a read-only connection cannot take part
    // in WAL recovery after a kill.
    if (sqlite3_open_v2(url.substr(7).c_str(), &db, SQLITE_OPEN_READWRITE, nullptr) != SQLITE_OK) {
      const std::string why = db ? sqlite3_errmsg(db) : "out of memory";
      sqlite3_close(db);
      throw std::runtime_error("cannot open " + url + ": " + why);
    }
    sqlite3_busy_timeout(db, 10000);
    sqlite_ = db;
    return;
  }
  PGconn* conn = PQconnectdb(url.c_str());
  if (PQstatus(conn) != CONNECTION_OK) {
    const std::string why = PQerrorMessage(conn);
    PQfinish(conn);
    throw std::runtime_error("cannot connect to " + url + ": " + why);
  }
  pg_ = conn;
}

RawDatabase::~RawDatabase() {
  if (sqlite_) sqlite3_close(static_cast<sqlite3*>(sqlite_));
  if (pg_) PQfinish(static_cast<PGconn*>(pg_));
}

std::vector<DbRow> RawDatabase::rows(const std::string& sql) {
  std::vector<DbRow> out;
  if (pg_) {
    PGresult* r = PQexec(static_cast<PGconn*>(pg_), sql.c_str());
    if (PQresultStatus(r) != PGRES_TUPLES_OK) {
      const std::string why = PQresultErrorMessage(r);
      PQclear(r);
      throw std::runtime_error(sql + ": " + why);
    }
    const int n = PQntuples(r), columns = PQnfields(r);
    out.reserve(static_cast<std::size_t>(n));
    for (int i = 0; i < n; ++i) {
      DbRow row;
      for (int c = 0; c < columns; ++c) {
        if (PQgetisnull(r, i, c)) {
          row.emplace_back(std::nullopt);
        } else {
          row.emplace_back(std::string(PQgetvalue(r, i, c)));
        }
      }
      out.push_back(std::move(row));
    }
    PQclear(r);
    return out;
  }
  auto* db = static_cast<sqlite3*>(sqlite_);
  sqlite3_stmt* statement = nullptr;
  if (sqlite3_prepare_v2(db, sql.c_str(), -1, &statement, nullptr) != SQLITE_OK)
    throw std::runtime_error(sql + ": " + sqlite3_errmsg(db));
  int rc = SQLITE_ROW;
  while ((rc = sqlite3_step(statement)) == SQLITE_ROW) {
    DbRow row;
    const int columns = sqlite3_column_count(statement);
    for (int c = 0; c < columns; ++c) {
      if (sqlite3_column_type(statement, c) == SQLITE_NULL) {
        row.emplace_back(std::nullopt);
      } else {
        row.emplace_back(
            std::string(reinterpret_cast<const char*>(sqlite3_column_text(statement, c))));
      }
    }
    out.push_back(std::move(row));
  }
  const std::string why = rc == SQLITE_DONE ? "" : sqlite3_errmsg(db);
  sqlite3_finalize(statement);
  if (!why.empty()) throw std::runtime_error(sql + ": " + why);
  return out;
}

std::string sql_list(const std::vector<std::string>& values) {
  std::string out = "(";
  for (const auto& v : values) out += (out.size() > 1 ? ",'" : "'") + v + "'";
  if (values.empty()) out += "''";
  return out + ")";
}

}  // namespace cxm::testing
