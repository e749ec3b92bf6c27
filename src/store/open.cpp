// Opening the database: sessions with their settings, the reader pool, the
// writers, migrations, and what every aggregate's file shares.
#include <libpq-fe.h>
#include <soci/postgresql/soci-postgresql.h>
#include <soci/sqlite3/soci-sqlite3.h>
#include <spdlog/spdlog.h>
#include <sqlite3.h>

#include <cstdio>
#include <filesystem>
#include <random>
#include <string_view>

#include "store/change_watcher.h"
#include "store/store_impl.h"

namespace cxm::store {

namespace {

// What the server says outside a query (a warning, or "terminating
// connection due to administrator command" before a connection is ended)
// goes to the log as one line, not raw to stderr. Only its first line: the
// detail of a message may quote data.
void log_notice(void*, const char* message) {
  std::string_view text(message);
  if (text.starts_with("NOTICE:") || text.starts_with("INFO:") || text.starts_with("LOG:") ||
      text.starts_with("DEBUG")) {
    return;  // "relation already exists, skipping" and the like
  }
  text = text.substr(0, text.find('\n'));
  spdlog::warn("postgresql: {}", text);
}

}  // namespace

void open_session(soci::session& session, const DatabaseUrl& url, const StoreOptions& options) {
  try {
    if (url.kind == DatabaseUrl::Kind::postgresql) {
      session.open(*soci::factory_postgresql(), url.target);
      auto* backend = static_cast<soci::postgresql_session_backend*>(session.get_backend());
      PQsetNoticeProcessor(backend->conn_, &log_notice, nullptr);
      return;
    }
    session.open(*soci::factory_sqlite3(), "db=" + url.target);
    // WAL lets readers run beside the writer. synchronous=FULL syncs the
    // WAL at every commit, so an acknowledged answer survives a crash of the
    // process and of the machine; group commit keeps that affordable.
    session << "PRAGMA busy_timeout=" + std::to_string(options.sqlite_busy_timeout_ms);
    session << "PRAGMA journal_mode=WAL";
    session << "PRAGMA synchronous=FULL";
    session << "PRAGMA foreign_keys=ON";
  } catch (const soci::soci_error& e) {
    throw StoreError("cannot open the database: " + safe_error_message(e));
  }
}

std::unique_ptr<soci::session> connect(const DatabaseUrl& url, const StoreOptions& options) {
  auto session = std::make_unique<soci::session>();
  open_session(*session, url, options);
  return session;
}

std::int64_t as_int64(const soci::row& row, std::size_t column) {
  switch (row.get_properties(column).get_data_type()) {
    case soci::dt_integer:
      return row.get<int>(column);
    case soci::dt_long_long:
      return row.get<long long>(column);
    case soci::dt_unsigned_long_long:
      return static_cast<std::int64_t>(row.get<unsigned long long>(column));
    case soci::dt_double:
      return static_cast<std::int64_t>(row.get<double>(column));
    default:
      return std::stoll(row.get<std::string>(column));
  }
}

std::optional<std::int64_t> as_optional_int64(const soci::row& row, std::size_t column) {
  if (row.get_indicator(column) == soci::i_null) return std::nullopt;
  return as_int64(row, column);
}

double as_double(const soci::row& row, std::size_t column) {
  switch (row.get_properties(column).get_data_type()) {
    case soci::dt_double:
      return row.get<double>(column);
    case soci::dt_string:
      return std::stod(row.get<std::string>(column));
    default:
      return static_cast<double>(as_int64(row, column));
  }
}

std::string as_text(const soci::row& row, std::size_t column) {
  if (row.get_indicator(column) == soci::i_null) return {};
  return row.get<std::string>(column);
}

bool fetch_one(soci::statement& statement) {
  const bool found = statement.execute(true);
  if (found) statement.fetch();
  return found;
}

namespace {

// Each SQLite connection is used by one thread at a time (the writer, or a
// reader leased from the pool), so SQLite's own per-connection mutexes and
// its global allocation statistics (one global mutex per malloc) only cost
// contention. Must run before SQLite initializes; later calls are refused
// harmlessly.
void configure_sqlite_once() {
  static const bool configured = [] {
    sqlite_api::sqlite3_config(SQLITE_CONFIG_MULTITHREAD);
    sqlite_api::sqlite3_config(SQLITE_CONFIG_MEMSTATUS, 0);
    return true;
  }();
  (void)configured;
}

const char* kind_text(ChangeKind kind) {
  switch (kind) {
    case ChangeKind::session:
      return "session";
    case ChangeKind::user:
      return "user";
    case ChangeKind::organization:
      return "organization";
    case ChangeKind::membership:
      return "membership";
    case ChangeKind::cycle:
      return "cycle";
    case ChangeKind::link:
      return "link";
    case ChangeKind::workshop:
      return "workshop";
  }
  return "unknown";
}

// Writers (connections) on PostgreSQL; see Store::Impl::writers. Each
// group of saves costs four round trips and one commit whatever its size
// (AnswerRows::write_groups), so more writers only make smaller groups:
// measured with bench/http_bench.sh at 256 connections on 2 cores, 2 and 4
// take alike, 8 and 16 spend 2-5x the database's CPU per answer.
constexpr int kPostgresqlWriters = 4;

}  // namespace

namespace {

std::string random_origin() {
  std::random_device random;
  char text[17];
  std::snprintf(text, sizeof text, "%08x%08x", random(), random());
  return text;
}

}  // namespace

Store::Impl::Impl(DatabaseUrl u, StoreOptions o)
    : url(std::move(u)), options(o), readers(o.readers), origin(random_origin()) {}
Store::Impl::~Impl() = default;

namespace {

// The database's message without what may be a secret: only its first line
// (PostgreSQL's DETAIL repeats the failing row or key, with an e-mail
// address or a password hash), with every quoted part replaced (values are
// quoted: `invalid input syntax for type bigint: "..."`). SOCI's context
// (the statement and its bound values) is never read: it is only in what().
std::string without_values(const std::string& message) {
  std::string line = message.substr(0, message.find('\n'));
  std::string out;
  char quote = 0;
  for (const char c : line) {
    if (quote != 0) {
      if (c == quote) {
        out += "...";
        out += c;
        quote = 0;
      }
      continue;
    }
    out += c;
    if (c == '"' || c == '\'') quote = c;
  }
  if (quote != 0) out += "...";
  while (!out.empty() && (out.back() == ' ' || out.back() == '.')) out.pop_back();
  return out;
}

// SOCI puts its own words before the database's ("sqlite3_statement_
// backend::loadOne: ", "Cannot execute query. Fatal error. ERROR:  ").
std::string database_words(const std::string& message) {
  if (const auto error = message.find("ERROR:"); error != std::string::npos) {
    const auto start = message.find_first_not_of(' ', error + 6);
    return start == std::string::npos ? message : message.substr(start);
  }
  if (message.rfind("sqlite3_", 0) == 0) {
    if (const auto colon = message.find(": "); colon != std::string::npos)
      return message.substr(colon + 2);
  }
  return message;
}

}  // namespace

std::string safe_error_message(const soci::soci_error& e) {
  std::string message = without_values(database_words(e.get_error_message()));
  if (const auto* pg = dynamic_cast<const soci::postgresql_soci_error*>(&e)) {
    message += " (SQLSTATE " + pg->sqlstate() + ")";
  } else if (const auto* lite = dynamic_cast<const soci::sqlite3_soci_error*>(&e)) {
    message += " (SQLite error " + std::to_string(lite->result()) + ")";
  }
  return message;
}

StoreError Store::Impl::failure(const soci::soci_error& e) {
  return StoreError(safe_error_message(e));
}

bool Store::Impl::reconnect_if_lost(soci::session& session) {
  if (!postgresql()) return false;
  try {
    if (session.is_connected()) return false;
    session.reconnect();
    return true;
  } catch (const soci::soci_error&) {
    return false;  // still unreachable; the next failing read tries again
  }
}

void Store::Impl::announce(soci::session& sql, ChangeKind kind, const std::string& key) const {
  const std::string what = kind_text(kind);
  if (postgresql()) {
    // Delivered to every LISTENing session when (and only if) this commits.
    // "KIND:KEY ORIGIN" (no key holds a space).
    const std::string payload = what + ":" + key + " " + origin;
    sql << "SELECT pg_notify('cxm_changes', :payload)", soci::use(payload);
    return;
  }
  // The writer holds SQLite's write lock (BEGIN IMMEDIATE): MAX(seq) + 1 is
  // unique. Old rows go, keeping the table small; a process that fell that
  // far behind forgets its caches (ChangeListener::missed).
  long long seq = 0;
  soci::indicator none = soci::i_ok;
  sql << "SELECT MAX(seq) FROM changes", soci::into(seq, none);
  seq = none == soci::i_null ? 1 : seq + 1;
  sql << "INSERT INTO changes (seq, kind, change_key, origin) VALUES (:s, :k, :key, :o)",
      soci::use(seq), soci::use(what), soci::use(key), soci::use(origin);
  if (seq % 1000 == 0) sql << "DELETE FROM changes WHERE seq <= :s", soci::use(seq - 10000);
}

Store::Store(std::unique_ptr<Impl> impl) : impl_(std::move(impl)) {}
Store::~Store() {
  if (impl_) impl_->watcher.reset();  // stop delivering before the rest goes
}

std::unique_ptr<Store> Store::open(const DatabaseUrl& url, StoreOptions options) {
  if (url.kind == DatabaseUrl::Kind::sqlite) {
    configure_sqlite_once();
    const auto parent = std::filesystem::path(url.target).parent_path();
    std::error_code ignored;
    if (!parent.empty()) std::filesystem::create_directories(parent, ignored);
  }
  auto writer_session = connect(url, options);
  try {
    migrate(*writer_session);
  } catch (const soci::soci_error& e) {
    throw StoreError("cannot migrate the database: " + safe_error_message(e));
  }
  auto impl = std::make_unique<Impl>(url, options);
  for (std::size_t i = 0; i < options.readers; ++i) open_session(impl->readers.at(i), url, options);
  auto reconnect = [url, options] { return connect(url, options); };
  impl->writers.push_back(std::make_unique<Writer>(std::move(writer_session), reconnect));
  if (url.kind == DatabaseUrl::Kind::postgresql) {
    for (int i = 1; i < kPostgresqlWriters; ++i) {
      impl->writers.push_back(std::make_unique<Writer>(connect(url, options), reconnect));
    }
  }
  return std::unique_ptr<Store>(new Store(std::move(impl)));
}

const DatabaseUrl& Store::url() const { return impl_->url; }

int Store::schema_version() {
  return impl_->read([](soci::session& sql) { return read_schema_version(sql); });
}

void Store::watch_changes(ChangeListener listener) {
  impl_->watcher.reset();
  impl_->watcher = std::make_unique<ChangeWatcher>(impl_->url, impl_->options, impl_->origin,
                                                   std::move(listener));
}

void Store::stop_watching() { impl_->watcher.reset(); }

void Store::Impl::record_audit(soci::session& sql, const AuditEntry& entry) {
  if (entry.action.empty()) return;
  sql << "INSERT INTO audit_log (at, actor, org_id, action, detail) VALUES (:at, :actor, :org, "
         ":action, :detail)",
      soci::use(static_cast<long long>(entry.at)), soci::use(entry.actor), soci::use(entry.org_id),
      soci::use(entry.action), soci::use(entry.detail);
}

void Store::audit(const std::string& actor, const std::string& org_id, const std::string& action,
                  const std::string& detail, std::int64_t now) {
  impl_->write([&](soci::session& sql) {
    Impl::record_audit(sql, AuditEntry{actor, org_id, action, detail, now});
  });
}

}  // namespace cxm::store
