// Backup and restore: one portable format for both databases, a SQLite file
// with this build's schema. A backup copies every table in one read
// snapshot of the live database (REPEATABLE READ on PostgreSQL, a read
// transaction on SQLite's WAL), so it is consistent while the server runs;
// a restore copies the file's tables into an empty database in one write
// transaction. The same code serves SQLite -> SQLite, PostgreSQL -> SQLite
// and back, so a backup also moves an instance from one kind to the other.
#include <filesystem>
#include <set>

#include "store/store_impl.h"

namespace cxm::store {
namespace {

// Tables that are not data: the migration record (each side has its own),
// SQLite's change feed for caches, the health probe's row and the log-in
// throttle (transient, and made again by attempts).
const std::set<std::string> kNotData = {"schema_migrations", "changes", "health_probe",
                                        "login_throttle"};

// Data a restore leaves out (SPEC section 8, "Insiders": a file grants no
// rights): log-in sessions, whose tokens whoever wrote the file may hold.
// Administrator rights are not restored either (see restore()).
const std::set<std::string> kNotRestored = {"login_sessions"};

// The data tables in the order they were created: a table that refers to
// another comes after it.
std::vector<std::string> data_tables(soci::session& file) {
  std::vector<std::string> tables;
  soci::rowset<std::string> names =
      (file.prepare << "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE "
                       "'sqlite_%' ORDER BY rowid");
  for (const auto& name : names) {
    if (!kNotData.contains(name)) tables.push_back(name);
  }
  return tables;
}

// PostgreSQL: rows restored with their generated ids leave each column's
// sequence behind them; move every sequence past the largest id restored,
// or the next insert would collide.
void advance_sequences(soci::session& sql) {
  std::vector<std::pair<std::string, std::string>> serials;
  soci::rowset<soci::row> columns =
      (sql.prepare
       << "SELECT table_name, column_name FROM information_schema.columns WHERE table_schema = "
          "current_schema() AND (column_default LIKE 'nextval(%' OR is_identity = 'YES')");
  for (const auto& row : columns) serials.emplace_back(as_text(row, 0), as_text(row, 1));
  for (const auto& [table, column] : serials) {
    sql << "SELECT setval(pg_get_serial_sequence('" + table + "', '" + column +
               "'), COALESCE((SELECT MAX(" + column + ") FROM " + table + "), 0) + 1, false)";
  }
}

}  // namespace

std::unique_ptr<soci::session> open_sqlite_file(const std::string& path, const std::string& what) {
  auto file = connect(DatabaseUrl{DatabaseUrl::Kind::sqlite, path}, StoreOptions{});
  try {
    migrate(*file);  // an older file is brought up to this build's schema
  } catch (const soci::soci_error& e) {
    throw StoreError("cannot read the " + what + " " + path + ": " +
                     Store::Impl::failure(e).what());
  }
  return file;
}

std::vector<std::string> columns_of(soci::session& file, const std::string& table) {
  std::vector<std::string> columns;
  soci::rowset<soci::row> info = (file.prepare << "PRAGMA table_info(" + table + ")");
  for (const auto& row : info) columns.push_back(as_text(row, 1));
  return columns;
}

// Copies the rows `select` finds (binding `key` as :org when not empty)
// into `table` of `to`, value by value whatever its type, NULL as NULL.
std::size_t copy_rows(soci::session& from, soci::session& to, const std::string& table,
                      const std::vector<std::string>& columns, const std::string& where,
                      const std::string& key, const MapText& map_text) {
  std::string list, marks;
  for (std::size_t i = 0; i < columns.size(); ++i) {
    list += (i ? ", " : "") + columns[i];
    marks += (i ? ", :p" : ":p") + std::to_string(i);
  }
  const std::string insert = "INSERT INTO " + table + " (" + list + ") VALUES (" + marks + ")";
  const std::string select =
      "SELECT " + list + " FROM " + table + (where.empty() ? "" : " WHERE " + where);
  const std::size_t n = columns.size();
  std::vector<std::string> texts(n);
  std::vector<long long> integers(n);
  std::vector<double> reals(n);
  std::vector<soci::indicator> indicators(n);
  std::size_t copied = 0;
  auto copy = [&](const soci::row& row) {
    soci::statement st(to);
    for (std::size_t i = 0; i < n; ++i) {
      indicators[i] = row.get_indicator(i) == soci::i_null ? soci::i_null : soci::i_ok;
      const auto type = row.get_properties(i).get_data_type();
      if (type == soci::dt_string) {
        texts[i] = indicators[i] == soci::i_null ? std::string() : row.get<std::string>(i);
        if (indicators[i] == soci::i_ok && map_text) map_text(i, texts[i]);
        st.exchange(soci::use(texts[i], indicators[i]));
      } else if (type == soci::dt_double) {
        reals[i] = indicators[i] == soci::i_null ? 0.0 : row.get<double>(i);
        st.exchange(soci::use(reals[i], indicators[i]));
      } else {
        integers[i] = indicators[i] == soci::i_null ? 0 : static_cast<long long>(as_int64(row, i));
        st.exchange(soci::use(integers[i], indicators[i]));
      }
    }
    st.alloc();
    st.prepare(insert);
    st.define_and_bind();
    st.execute(true);
    ++copied;
  };
  if (key.empty()) {
    soci::rowset<soci::row> rows = (from.prepare << select);
    for (const auto& row : rows) copy(row);
  } else {
    soci::rowset<soci::row> rows = (from.prepare << select, soci::use(key, "org"));
    for (const auto& row : rows) copy(row);
  }
  return copied;
}

BackupSummary Store::backup(const std::string& path) {
  if (std::filesystem::exists(path))
    throw StoreError("the backup file " + path + " exists already; choose a new name");
  BackupSummary summary;
  try {
    auto file = open_sqlite_file(path, "backup");
    impl_->read([&](soci::session& sql) {
      summary = BackupSummary{};  // run again on a new connection after a lost one
      if (impl_->postgresql()) {
        sql << "BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY";
      } else {
        sql << "BEGIN";
      }
      try {
        soci::transaction writing(*file);
        for (const auto& table : data_tables(*file)) {
          summary.rows += copy_rows(sql, *file, table, columns_of(*file, table), "", "", nullptr);
          ++summary.tables;
        }
        writing.commit();
        sql << "COMMIT";
      } catch (...) {
        try {
          sql << "ROLLBACK";
        } catch (...) {
        }
        throw;
      }
      return 0;
    });
    summary.schema_version = read_schema_version(*file);
  } catch (...) {
    std::error_code ignored;
    std::filesystem::remove(path, ignored);
    for (const char* suffix : {"-wal", "-shm"}) std::filesystem::remove(path + suffix, ignored);
    throw;
  }
  return summary;
}

BackupSummary Store::restore(const std::string& path) {
  if (!std::filesystem::exists(path)) throw StoreError("no backup file at " + path);
  BackupSummary summary;
  auto file = open_sqlite_file(path, "backup");
  long long org_export = 0;
  *file << "SELECT COUNT(*) FROM sqlite_master WHERE type = 'table' AND name = 'org_export'",
      soci::into(org_export);
  if (org_export)
    throw StoreError(path +
                     " is one organization's export, not a backup: load it with cxm import-org");
  const auto tables = data_tables(*file);
  summary.schema_version = read_schema_version(*file);
  {
    // Any value but 0 is a claim (SQLite keeps whatever a file wrote).
    soci::rowset<std::string> admins =
        (file->prepare << "SELECT email FROM users WHERE is_admin <> 0 ORDER BY email");
    for (const auto& email : admins) summary.admin_rights_not_restored.push_back(email);
    long long sessions = 0;
    *file << "SELECT COUNT(*) FROM login_sessions", soci::into(sessions);
    summary.sessions_not_restored = static_cast<std::size_t>(sessions);
  }
  impl_->write([&](soci::session& sql) {
    summary.rows = 0;
    summary.tables = 0;
    for (const auto& table : tables) {
      long long present = 0;
      sql << "SELECT COUNT(*) FROM " + table, soci::into(present);
      if (present != 0) {
        throw StoreError("the database is not empty (table " + table +
                         " has rows); restore only into a new, empty database");
      }
    }
    for (const auto& table : tables) {
      if (kNotRestored.contains(table)) continue;
      summary.rows += copy_rows(*file, sql, table, columns_of(*file, table), "", "", nullptr);
      ++summary.tables;
    }
    // The database was empty: every user is the file's, and none is an
    // administrator until an operator says so (cxm user grant-admin).
    sql << "UPDATE users SET is_admin = 0";
    if (impl_->postgresql()) advance_sequences(sql);
  });
  return summary;
}

}  // namespace cxm::store
