#include <soci/postgresql/soci-postgresql.h>
#include <soci/sqlite3/soci-sqlite3.h>
#include <sqlite3.h>

#include <cctype>
#include <filesystem>

#include "store/store_impl.h"

namespace cxm::store {

namespace {

std::optional<std::string> percent_decode(const std::string& s) {
  std::string out;
  for (std::size_t i = 0; i < s.size(); ++i) {
    if (s[i] != '%') {
      out += s[i];
      continue;
    }
    if (i + 2 >= s.size() || !std::isxdigit(static_cast<unsigned char>(s[i + 1])) ||
        !std::isxdigit(static_cast<unsigned char>(s[i + 2]))) {
      return std::nullopt;
    }
    out += static_cast<char>(std::stoi(s.substr(i + 1, 2), nullptr, 16));
    i += 2;
  }
  return out;
}

// "user:password@host:port/db?k=v" -> "user='..' password='..' host=.. ..."
// SOCI hands libpq a keyword string, so URLs are translated here.
std::optional<std::string> libpq_keywords(const std::string& rest) {
  std::string authority = rest, path, query;
  if (const auto q = authority.find('?'); q != std::string::npos) {
    query = authority.substr(q + 1);
    authority.resize(q);
  }
  if (const auto slash = authority.find('/'); slash != std::string::npos) {
    path = authority.substr(slash + 1);
    authority.resize(slash);
  }
  std::vector<std::pair<std::string, std::string>> keywords;
  if (const auto at = authority.rfind('@'); at != std::string::npos) {
    const std::string userinfo = authority.substr(0, at);
    authority = authority.substr(at + 1);
    const auto colon = userinfo.find(':');
    keywords.emplace_back("user", userinfo.substr(0, colon));
    if (colon != std::string::npos) keywords.emplace_back("password", userinfo.substr(colon + 1));
  }
  if (!authority.empty()) {
    const auto colon = authority.rfind(':');
    keywords.emplace_back("host", authority.substr(0, colon));
    if (colon != std::string::npos) keywords.emplace_back("port", authority.substr(colon + 1));
  }
  if (!path.empty()) keywords.emplace_back("dbname", path);
  std::size_t at = 0;
  while (at < query.size()) {
    std::size_t end = query.find('&', at);
    if (end == std::string::npos) end = query.size();
    const std::string pair = query.substr(at, end - at);
    const auto eq = pair.find('=');
    if (eq == std::string::npos) return std::nullopt;
    keywords.emplace_back(pair.substr(0, eq), pair.substr(eq + 1));
    at = end + 1;
  }
  std::string out;
  for (const auto& [key, raw] : keywords) {
    const auto value = percent_decode(raw);
    if (!value || key.empty()) return std::nullopt;
    std::string quoted;
    for (char c : *value) {
      if (c == '\\' || c == '\'') quoted += '\\';
      quoted += c;
    }
    out += (out.empty() ? "" : " ") + key + "='" + quoted + "'";
  }
  return out;
}

}  // namespace

std::optional<DatabaseUrl> parse_database_url(const std::string& url, std::string& error) {
  if (url.rfind("sqlite:", 0) == 0) {
    DatabaseUrl parsed{DatabaseUrl::Kind::sqlite, url.substr(7)};
    if (parsed.target.empty()) {
      error = "sqlite: needs a file path, e.g. sqlite:data/cxm.db";
      return std::nullopt;
    }
    return parsed;
  }
  if (url.rfind("postgresql://", 0) == 0 || url.rfind("postgres://", 0) == 0) {
    auto keywords = libpq_keywords(url.substr(url.find("://") + 3));
    if (!keywords) {
      error = "malformed PostgreSQL URL; expected postgresql://user:password@host:port/database";
      return std::nullopt;
    }
    return DatabaseUrl{DatabaseUrl::Kind::postgresql, *keywords};
  }
  error = "unsupported database URL '" + url + "'; use sqlite:PATH or postgresql://...";
  return std::nullopt;
}

void open_session(soci::session& session, const DatabaseUrl& url) {
  try {
    if (url.kind == DatabaseUrl::Kind::postgresql) {
      session.open(*soci::factory_postgresql(), url.target);
      return;
    }
    session.open(*soci::factory_sqlite3(), "db=" + url.target);
    // WAL lets readers run beside the writer. synchronous=FULL syncs the
    // WAL at every commit, so an acknowledged answer survives a crash of the
    // process and of the machine; group commit keeps that affordable.
    session << "PRAGMA busy_timeout=10000";
    session << "PRAGMA journal_mode=WAL";
    session << "PRAGMA synchronous=FULL";
    session << "PRAGMA foreign_keys=ON";
  } catch (const soci::soci_error& e) {
    throw StoreError(std::string("cannot open the database: ") + e.what());
  }
}

std::unique_ptr<soci::session> connect(const DatabaseUrl& url) {
  auto session = std::make_unique<soci::session>();
  open_session(*session, url);
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

std::string as_text(const soci::row& row, std::size_t column) {
  if (row.get_indicator(column) == soci::i_null) return {};
  return row.get<std::string>(column);
}

Writer::Writer(std::unique_ptr<soci::session> session)
    : session_(std::move(session)), thread_([this] { loop(); }) {}

Writer::~Writer() {
  {
    std::lock_guard lock(mutex_);
    stopping_ = true;
  }
  wake_.notify_one();
  thread_.join();
}

void Writer::run(Job job) {
  std::promise<void> committed;
  auto outcome = committed.get_future();
  submit(std::move(job), [&committed](std::exception_ptr failure) {
    if (failure) {
      committed.set_exception(failure);
    } else {
      committed.set_value();
    }
  });
  outcome.get();
}

void Writer::submit(Job job, Done done) {
  auto pending = std::make_unique<Pending>(Pending{std::move(job), std::move(done)});
  {
    std::lock_guard lock(mutex_);
    if (stopping_) throw StoreError("the database is shutting down");
    queue_.push_back(std::move(pending));
  }
  wake_.notify_one();
}

void Writer::loop() {
  constexpr std::size_t kMaxGroup = 512;
  for (;;) {
    std::vector<std::unique_ptr<Pending>> group;
    {
      std::unique_lock lock(mutex_);
      wake_.wait(lock, [this] { return stopping_ || !queue_.empty(); });
      if (queue_.empty()) return;  // stopping, nothing left
      while (!queue_.empty() && group.size() < kMaxGroup) {
        group.push_back(std::move(queue_.front()));
        queue_.pop_front();
      }
    }
    std::vector<std::exception_ptr> outcome(group.size());
    if (!run_together(group)) {
      // A job failed (or the commit did): undo the group and give every job
      // a transaction of its own, so that one bad job fails alone.
      for (std::size_t i = 0; i < group.size(); ++i) outcome[i] = run_alone(*group[i]);
    }
    for (std::size_t i = 0; i < group.size(); ++i) {
      try {
        group[i]->done(outcome[i]);
      } catch (...) {
        // A callback must not throw; if one does, the writer carries on.
      }
    }
  }
}

// All jobs in one transaction: the common case, one commit for the group.
bool Writer::run_together(const std::vector<std::unique_ptr<Pending>>& group) {
  soci::session& sql = *session_;
  try {
    sql.begin();
    for (const auto& p : group) p->job(sql);
    sql.commit();
    return true;
  } catch (...) {
    try {
      sql.rollback();
    } catch (...) {
    }
    return false;
  }
}

std::exception_ptr Writer::run_alone(Pending& pending) {
  soci::session& sql = *session_;
  try {
    sql.begin();
    pending.job(sql);
    sql.commit();
    return nullptr;
  } catch (const soci::soci_error& e) {
    try {
      sql.rollback();
    } catch (...) {
    }
    return std::make_exception_ptr(StoreError(e.what()));
  } catch (...) {
    auto failure = std::current_exception();
    try {
      sql.rollback();
    } catch (...) {
    }
    return failure;
  }
}

namespace {
thread_local int memory_only_depth = 0;
}  // namespace

MemoryOnlyScope::MemoryOnlyScope() { ++memory_only_depth; }
MemoryOnlyScope::~MemoryOnlyScope() { --memory_only_depth; }
bool MemoryOnlyScope::active() { return memory_only_depth > 0; }

Store::Store(std::unique_ptr<Impl> impl) : impl_(std::move(impl)) {}
Store::~Store() = default;

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

}  // namespace

// Writers (connections) on PostgreSQL; see Store::Impl::writers.
constexpr int kPostgresqlWriters = 4;

std::unique_ptr<Store> Store::open(const DatabaseUrl& url, std::size_t readers) {
  if (url.kind == DatabaseUrl::Kind::sqlite) {
    configure_sqlite_once();
    const auto parent = std::filesystem::path(url.target).parent_path();
    std::error_code ignored;
    if (!parent.empty()) std::filesystem::create_directories(parent, ignored);
  }
  auto writer_session = connect(url);
  try {
    migrate(*writer_session);
  } catch (const soci::soci_error& e) {
    throw StoreError(std::string("cannot migrate the database: ") + e.what());
  }
  auto impl = std::make_unique<Impl>(url, readers);
  for (std::size_t i = 0; i < readers; ++i) open_session(impl->readers.at(i), url);
  impl->writers.push_back(std::make_unique<Writer>(std::move(writer_session)));
  if (url.kind == DatabaseUrl::Kind::postgresql) {
    for (int i = 1; i < kPostgresqlWriters; ++i) impl->writers.push_back(std::make_unique<Writer>(connect(url)));
  }
  return std::unique_ptr<Store>(new Store(std::move(impl)));
}

int Store::schema_version() {
  return impl_->read([](soci::session& sql) { return read_schema_version(sql); });
}

void Store::audit(const std::string& actor, const std::string& org_id, const std::string& action,
                  const std::string& detail, std::int64_t now) {
  impl_->write([&](soci::session& sql) {
    sql << "INSERT INTO audit_log (at, actor, org_id, action, detail) VALUES (:at, :actor, :org, :action, :detail)",
        soci::use(static_cast<long long>(now)), soci::use(actor), soci::use(org_id), soci::use(action),
        soci::use(detail);
  });
}

}  // namespace cxm::store
