#include "store/change_watcher.h"

#include <libpq-fe.h>
#include <poll.h>
#include <soci/postgresql/soci-postgresql.h>
#include <soci/soci.h>

#include <chrono>

#include "store/store_impl.h"

namespace cxm::store {
namespace {

constexpr auto kPollInterval = std::chrono::milliseconds(100);

std::optional<ChangeKind> kind_from(const std::string& text) {
  static const std::pair<const char*, ChangeKind> kKinds[] = {
      {"session", ChangeKind::session},
      {"user", ChangeKind::user},
      {"organization", ChangeKind::organization},
      {"membership", ChangeKind::membership},
      {"cycle", ChangeKind::cycle},
      {"link", ChangeKind::link},
      {"workshop", ChangeKind::workshop}};
  for (const auto& [name, kind] : kKinds) {
    if (text == name) return kind;
  }
  return std::nullopt;
}

}  // namespace

ChangeWatcher::ChangeWatcher(DatabaseUrl url, StoreOptions options, std::string origin,
                             ChangeListener listener)
    : url_(std::move(url)),
      options_(options),
      origin_(std::move(origin)),
      listener_(std::move(listener)) {
  thread_ = std::thread([this] {
    if (url_.kind == DatabaseUrl::Kind::postgresql) {
      watch_postgresql();
    } else {
      watch_sqlite();
    }
  });
}

ChangeWatcher::~ChangeWatcher() {
  stopping_ = true;
  thread_.join();
}

void ChangeWatcher::deliver(const std::string& kind, const std::string& key,
                            const std::string& origin) {
  const auto parsed = kind_from(kind);
  if (!parsed) return;  // announced by a newer cxm; nothing of ours caches it
  try {
    listener_.changed(Change{*parsed, key, origin == origin_});
  } catch (...) {
    // A listener must not throw; if one does, watching goes on.
  }
}

// PRAGMA data_version moves when another connection (any process, or this
// process's writer) has committed; only then is the changes table read.
void ChangeWatcher::watch_sqlite() {
  std::unique_ptr<soci::session> sql;
  long long version = -1, last_seq = -1;
  while (!stopping_) {
    try {
      if (!sql) {
        sql = connect(url_, options_);
        version = -1;
      }
      long long now_version = 0;
      *sql << "PRAGMA data_version", soci::into(now_version);
      if (now_version != version) {
        version = now_version;
        soci::transaction read(*sql);  // one snapshot for both queries
        long long first = 0, newest = 0;
        soci::indicator first_null = soci::i_ok, newest_null = soci::i_ok;
        *sql << "SELECT MIN(seq), MAX(seq) FROM changes", soci::into(first, first_null),
            soci::into(newest, newest_null);
        if (newest_null == soci::i_null) newest = 0;
        if (last_seq < 0) {
          last_seq = newest;  // start: nothing cached yet
        } else if (newest > last_seq) {
          if (first_null == soci::i_null || first > last_seq + 1) {
            listener_.missed();  // the rows we needed are gone
          } else {
            soci::rowset<soci::row> rows =
                (sql->prepare << "SELECT kind, change_key, origin FROM changes WHERE seq > :s "
                                 "ORDER BY seq",
                 soci::use(last_seq));
            for (const auto& row : rows) deliver(as_text(row, 0), as_text(row, 1), as_text(row, 2));
          }
          last_seq = newest;
        } else if (newest < last_seq) {
          listener_.missed();  // the database was replaced
          last_seq = newest;
        }
        read.commit();
      }
    } catch (const std::exception&) {
      sql.reset();  // e.g. locked or the file is gone: open anew next time
    }
    std::this_thread::sleep_for(kPollInterval);
  }
}

void ChangeWatcher::watch_postgresql() {
  std::unique_ptr<soci::session> sql;
  while (!stopping_) {
    if (!sql) {
      try {
        sql = connect(url_, options_);
        *sql << "LISTEN cxm_changes";
        // Whatever was announced while we were not listening is unknown.
        listener_.missed();
      } catch (const std::exception&) {
        sql.reset();
        std::this_thread::sleep_for(kPollInterval * 5);
        continue;
      }
    }
    auto* backend = static_cast<soci::postgresql_session_backend*>(sql->get_backend());
    PGconn* conn = backend->conn_;
    pollfd fd{PQsocket(conn), POLLIN, 0};
    const int ready = poll(&fd, 1, static_cast<int>(kPollInterval.count()));
    if (ready < 0) continue;
    if (ready > 0 && PQconsumeInput(conn) == 0) {
      sql.reset();  // the connection is lost: reconnect and forget
      continue;
    }
    while (PGnotify* notify = PQnotifies(conn)) {
      const std::string payload = notify->extra;
      PQfreemem(notify);
      // "KIND:KEY ORIGIN"; a process of an earlier version sends "KIND:KEY"
      // (no origin: never this process's own change).
      const auto colon = payload.find(':');
      if (colon == std::string::npos) continue;
      auto space = payload.rfind(' ');
      if (space == std::string::npos || space < colon) space = payload.size();
      deliver(payload.substr(0, colon), payload.substr(colon + 1, space - colon - 1),
              space < payload.size() ? payload.substr(space + 1) : std::string());
    }
    if (PQstatus(conn) == CONNECTION_BAD) sql.reset();
  }
}

}  // namespace cxm::store
