// The server when its database fails: a full disk and a write lock held
// too long by another process (SQLite), a lost connection and a server
// restart (PostgreSQL). Each failed request gets 503 with the JSON error
// shape, no acknowledged answer is lost, and the server recovers by itself
// when the fault ends.
//
// The server runs in this process (the API, the HTTP server and the store
// of `cxm serve`), so that the disk can fail on command: a SQLite VFS that
// wraps the system's refuses every write with SQLITE_FULL while told to.
#include <gtest/gtest.h>
#include <sqlite3.h>

#include <atomic>
#include <chrono>
#include <cstring>
#include <nlohmann/json.hpp>
#include <thread>

#include "api/app.h"
#include "http/server.h"
#include "postgres_cluster.h"
#include "run_process.h"
#include "secrets/secrets.h"
#include "server_process.h"
#include "store/store.h"

namespace cxm::testing {
namespace {

using nlohmann::json;

// ---- A disk that fills up on command --------------------------------------

std::atomic<bool> disk_full{false};

struct FaultyFile {
  sqlite3_file base;
  sqlite3_file* real;  // the system VFS's file, right after this struct
};

sqlite3_vfs* system_vfs = nullptr;

sqlite3_file* real(sqlite3_file* f) { return reinterpret_cast<FaultyFile*>(f)->real; }

int faulty_close(sqlite3_file* f) { return real(f)->pMethods->xClose(real(f)); }
int faulty_read(sqlite3_file* f, void* buffer, int amount, sqlite3_int64 offset) {
  return real(f)->pMethods->xRead(real(f), buffer, amount, offset);
}
int faulty_write(sqlite3_file* f, const void* buffer, int amount, sqlite3_int64 offset) {
  if (disk_full) return SQLITE_FULL;
  return real(f)->pMethods->xWrite(real(f), buffer, amount, offset);
}
int faulty_truncate(sqlite3_file* f, sqlite3_int64 size) {
  return real(f)->pMethods->xTruncate(real(f), size);
}
int faulty_sync(sqlite3_file* f, int flags) { return real(f)->pMethods->xSync(real(f), flags); }
int faulty_file_size(sqlite3_file* f, sqlite3_int64* size) {
  return real(f)->pMethods->xFileSize(real(f), size);
}
int faulty_lock(sqlite3_file* f, int level) { return real(f)->pMethods->xLock(real(f), level); }
int faulty_unlock(sqlite3_file* f, int level) { return real(f)->pMethods->xUnlock(real(f), level); }
int faulty_check_reserved(sqlite3_file* f, int* out) {
  return real(f)->pMethods->xCheckReservedLock(real(f), out);
}
int faulty_file_control(sqlite3_file* f, int op, void* arg) {
  return real(f)->pMethods->xFileControl(real(f), op, arg);
}
int faulty_sector_size(sqlite3_file* f) { return real(f)->pMethods->xSectorSize(real(f)); }
int faulty_device(sqlite3_file* f) { return real(f)->pMethods->xDeviceCharacteristics(real(f)); }
int faulty_shm_map(sqlite3_file* f, int region, int size, int extend, void volatile** out) {
  return real(f)->pMethods->xShmMap(real(f), region, size, extend, out);
}
int faulty_shm_lock(sqlite3_file* f, int offset, int n, int flags) {
  return real(f)->pMethods->xShmLock(real(f), offset, n, flags);
}
void faulty_shm_barrier(sqlite3_file* f) { real(f)->pMethods->xShmBarrier(real(f)); }
int faulty_shm_unmap(sqlite3_file* f, int remove) {
  return real(f)->pMethods->xShmUnmap(real(f), remove);
}
int faulty_fetch(sqlite3_file* f, sqlite3_int64 offset, int amount, void** out) {
  return real(f)->pMethods->xFetch(real(f), offset, amount, out);
}
int faulty_unfetch(sqlite3_file* f, sqlite3_int64 offset, void* page) {
  return real(f)->pMethods->xUnfetch(real(f), offset, page);
}

const sqlite3_io_methods faulty_methods = {
    3,
    faulty_close,
    faulty_read,
    faulty_write,
    faulty_truncate,
    faulty_sync,
    faulty_file_size,
    faulty_lock,
    faulty_unlock,
    faulty_check_reserved,
    faulty_file_control,
    faulty_sector_size,
    faulty_device,
    faulty_shm_map,
    faulty_shm_lock,
    faulty_shm_barrier,
    faulty_shm_unmap,
    faulty_fetch,
    faulty_unfetch,
};

int faulty_open(sqlite3_vfs*, sqlite3_filename name, sqlite3_file* file, int flags,
                int* out_flags) {
  auto* wrapper = reinterpret_cast<FaultyFile*>(file);
  wrapper->real = reinterpret_cast<sqlite3_file*>(wrapper + 1);
  const int rc = system_vfs->xOpen(system_vfs, name, wrapper->real, flags, out_flags);
  // SQLite calls xClose only when pMethods is set.
  wrapper->base.pMethods = wrapper->real->pMethods ? &faulty_methods : nullptr;
  return rc;
}

// Registers the faulty VFS as SQLite's default, for every connection this
// process opens from now on (the store's included).
void install_faulty_disk() {
  static sqlite3_vfs vfs = [] {
    system_vfs = sqlite3_vfs_find(nullptr);
    sqlite3_vfs v = *system_vfs;
    v.zName = "cxm-faulty";
    v.szOsFile = static_cast<int>(sizeof(FaultyFile)) + system_vfs->szOsFile;
    v.xOpen = faulty_open;
    v.pAppData = nullptr;
    return v;
  }();
  sqlite3_vfs_register(&vfs, 1);
}

// ---- cxm serve, in this process ---------------------------------------------

std::int64_t now_ms() {
  return std::chrono::duration_cast<std::chrono::milliseconds>(
             std::chrono::system_clock::now().time_since_epoch())
      .count();
}

class InProcessServer {
 public:
  InProcessServer(const std::string& db, store::StoreOptions options) {
    std::string error;
    const auto url = store::parse_database_url(db, error);
    if (!url) throw std::runtime_error(error);
    store_ = store::Store::open(*url, options);
    app_ = std::make_unique<api::App>(*store_, api::AppOptions{}, now_ms);
    http::ServerOptions server_options;
    server_options.port = 0;
    server_options.worker_threads = 4;
    server_ = std::make_unique<http::Server>(server_options, app_->router());
    port_ = server_->listen();
    thread_ = std::thread([this] { server_->run(); });
  }
  ~InProcessServer() {
    server_->stop();
    thread_.join();
  }
  int port() const { return port_; }
  HttpResult request(const std::string& method, const std::string& target,
                     const std::string& body = "") const {
    return participant_request(port_, method, target, body, {{"Content-Type", "application/json"}});
  }

 private:
  std::unique_ptr<store::Store> store_;
  std::unique_ptr<api::App> app_;
  std::unique_ptr<http::Server> server_;
  int port_ = 0;
  std::thread thread_;
};

json body_of(const HttpResult& r) { return json::parse(r.body); }

// 503 with the API's error shape, saying to try again.
void expect_unavailable(const HttpResult& r, const std::string& what) {
  EXPECT_EQ(r.status, 503) << what << ": " << r.body;
  if (r.status != 503) return;
  const json body = body_of(r);
  EXPECT_EQ(body["error"]["code"], "database_unavailable") << what;
  EXPECT_TRUE(body["error"]["message"].is_string()) << what;
}

// A signed-in facilitator with one open cycle and three links.
struct Assessment {
  Client admin;
  std::string cycle;
  std::vector<std::string> tokens;

  explicit Assessment(const InProcessServer& server) : admin(server.port()) {
    EXPECT_EQ(admin.setup("lead@example.org", "correct horse battery"), 201);
    auto r = admin.send("POST", "/api/orgs", R"({"name":"Acme","units":["Sales"]})");
    const std::string org = body_of(r)["id"];
    r = admin.send("POST", "/api/orgs/" + org + "/cycles", R"({"name":"Spring"})");
    cycle = body_of(r)["id"];
    EXPECT_EQ(admin.send("POST", "/api/cycles/" + cycle + "/open").status, 200);
    r = admin.send("POST", "/api/cycles/" + cycle + "/invitations",
                   R"({"count":3,"role":"frontline","unit":"Sales"})");
    const json created = body_of(r);
    for (const auto& i : created["invitations"]) tokens.push_back(i["token"]);
    // Each participant's browser starts its link (a write of its own).
    for (const auto& t : tokens) {
      EXPECT_EQ(server.request("POST", "/api/r/" + t + "/claim", "{}").status, 200);
    }
  }
};

HttpResult put_answers(const InProcessServer& server, const std::string& token,
                       const json& answers) {
  return server.request("PUT", "/api/r/" + token + "/answers", json{{"answers", answers}}.dump());
}

json saved_answers(const InProcessServer& server, const std::string& token) {
  const auto r = server.request("GET", "/api/r/" + token);
  EXPECT_EQ(r.status, 200) << r.body;
  return r.status == 200 ? body_of(r)["answers"] : json();
}

class Faults : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    ASSERT_TRUE(secrets::init_crypto());
    install_faulty_disk();
  }
  void TearDown() override { disk_full = false; }
  TempDir dir;
};

TEST_F(Faults, AFullDiskGives503AndLosesNoAcknowledgedAnswer) {
  InProcessServer server("sqlite:" + dir.path() + "/cxm.db", {});
  Assessment a(server);
  ASSERT_EQ(a.tokens.size(), 3u);
  ASSERT_EQ(put_answers(server, a.tokens[0], {{"LS2b", 3}}).status, 200);

  disk_full = true;
  expect_unavailable(put_answers(server, a.tokens[0], {{"LS3", 4}}), "saving answers");
  expect_unavailable(put_answers(server, a.tokens[1], {{"LS2b", 5}}),
                     "saving another link's answers");
  expect_unavailable(server.request("POST", "/api/r/" + a.tokens[0] + "/submit"), "submitting");
  expect_unavailable(a.admin.send("POST", "/api/cycles/" + a.cycle + "/close"),
                     "closing the cycle");
  Client other(server.port());
  EXPECT_EQ(other.login("lead@example.org", "correct horse battery"),
            503);  // a new session is a write
  // Reading goes on: the acknowledged answer is there, the refused ones not.
  EXPECT_EQ(saved_answers(server, a.tokens[0]), json({{"LS2b", 3}}));
  EXPECT_EQ(saved_answers(server, a.tokens[1]), json::object());
  EXPECT_EQ(a.admin.get("/api/cycles/" + a.cycle).status, 200);

  disk_full = false;  // space freed: the same requests go through
  ASSERT_EQ(put_answers(server, a.tokens[0], {{"LS3", 4}}).status, 200);
  EXPECT_EQ(saved_answers(server, a.tokens[0]), json({{"LS2b", 3}, {"LS3", 4}}));
  EXPECT_EQ(server.request("POST", "/api/r/" + a.tokens[0] + "/submit").status, 200);
  EXPECT_EQ(other.login("lead@example.org", "correct horse battery"), 200);
  EXPECT_EQ(a.admin.send("POST", "/api/cycles/" + a.cycle + "/close").status, 200);
}

// Many answers in flight when the disk fills: each request is either
// acknowledged (and then kept) or refused with 503, never acknowledged and
// lost, whichever group commit it fell into.
TEST_F(Faults, EveryAnswerIsEitherKeptOrRefused) {
  InProcessServer server("sqlite:" + dir.path() + "/cxm.db", {});
  Assessment a(server);
  ASSERT_EQ(a.tokens.size(), 3u);
  std::vector<std::string> statements;
  const json questionnaire = body_of(server.request("GET", "/api/r/" + a.tokens[0]));
  for (const auto& item : questionnaire["items"]) {
    if (statements.size() < 10) statements.push_back(item["id"]);
  }
  ASSERT_EQ(statements.size(), 10u);
  std::vector<std::vector<int>> status(3, std::vector<int>(statements.size()));
  std::vector<std::thread> writers;
  for (std::size_t t = 0; t < 3; ++t) {
    writers.emplace_back([&, t] {
      for (std::size_t i = 0; i < statements.size(); ++i) {
        if (t == 0 && i == statements.size() / 2) disk_full = true;
        status[t][i] =
            put_answers(server, a.tokens[t], {{statements[i], 1 + static_cast<int>(i % 5)}}).status;
      }
    });
  }
  for (auto& w : writers) w.join();
  disk_full = false;
  int acknowledged = 0, refused = 0;
  for (std::size_t t = 0; t < 3; ++t) {
    const json saved = saved_answers(server, a.tokens[t]);
    for (std::size_t i = 0; i < statements.size(); ++i) {
      ASSERT_TRUE(status[t][i] == 200 || status[t][i] == 503) << status[t][i];
      if (status[t][i] == 200) {
        ++acknowledged;
        EXPECT_EQ(saved.value(statements[i], 0), 1 + static_cast<int>(i % 5))
            << a.tokens[t] << " " << statements[i];
      } else {
        ++refused;
        EXPECT_FALSE(saved.contains(statements[i])) << "refused but saved: " << statements[i];
      }
    }
  }
  EXPECT_GT(acknowledged, 0);
  EXPECT_GT(refused, 0);
}

// GET /api/health until it answers `status` (the last good write is
// trusted for a few seconds), at most 10 s.
HttpResult health_until(const InProcessServer& server, int status) {
  HttpResult r;
  for (int i = 0; i < 100; ++i) {
    r = server.request("GET", "/api/health");
    if (r.status == status) break;
    std::this_thread::sleep_for(std::chrono::milliseconds(100));
  }
  return r;
}

// Reads still work on a full disk, so a health check that only read would
// say "ok"; the write probe tells, and the health recovers with the disk.
TEST_F(Faults, HealthReportsAFullDiskAndRecovers) {
  InProcessServer server("sqlite:" + dir.path() + "/cxm.db", {});
  EXPECT_EQ(server.request("GET", "/api/health").status, 200);
  disk_full = true;
  auto r = health_until(server, 503);
  ASSERT_EQ(r.status, 503) << r.body;
  EXPECT_EQ(body_of(r)["error"]["code"], "unhealthy");
  EXPECT_NE(body_of(r)["error"]["message"].get<std::string>().find("does not take writes"),
            std::string::npos)
      << r.body;
  EXPECT_NE(r.body.find("disk is full"), std::string::npos) << r.body;
  disk_full = false;
  r = health_until(server, 200);
  EXPECT_EQ(r.status, 200) << r.body;
  EXPECT_EQ(body_of(r), json({{"status", "ok"}}));
}

TEST_F(Faults, AWriteLockHeldTooLongGives503UntilItIsReleased) {
  const std::string file = dir.path() + "/cxm.db";
  store::StoreOptions options;
  options.sqlite_busy_timeout_ms = 200;
  InProcessServer server("sqlite:" + file, options);
  Assessment a(server);
  ASSERT_EQ(a.tokens.size(), 3u);
  ASSERT_EQ(put_answers(server, a.tokens[0], {{"LS2b", 3}}).status, 200);

  // Another process (here: another connection) takes the write lock and
  // keeps it, as a stuck batch job would.
  sqlite3* other = nullptr;
  ASSERT_EQ(sqlite3_open(file.c_str(), &other), SQLITE_OK);
  ASSERT_EQ(sqlite3_exec(other, "BEGIN IMMEDIATE", nullptr, nullptr, nullptr), SQLITE_OK);
  expect_unavailable(put_answers(server, a.tokens[0], {{"LS3", 4}}), "saving answers");
  expect_unavailable(server.request("POST", "/api/r/" + a.tokens[0] + "/submit"), "submitting");
  EXPECT_EQ(saved_answers(server, a.tokens[0]), json({{"LS2b", 3}}));  // WAL: reading goes on

  ASSERT_EQ(sqlite3_exec(other, "ROLLBACK", nullptr, nullptr, nullptr), SQLITE_OK);
  sqlite3_close(other);
  ASSERT_EQ(put_answers(server, a.tokens[0], {{"LS3", 4}}).status, 200);
  EXPECT_EQ(saved_answers(server, a.tokens[0]), json({{"LS2b", 3}, {"LS3", 4}}));
  EXPECT_EQ(server.request("POST", "/api/r/" + a.tokens[0] + "/submit").status, 200);
}

// ---- PostgreSQL -------------------------------------------------------------

class PostgresqlFaults : public Faults {
 protected:
  static PostgresCluster* cluster;
  static void SetUpTestSuite() {
    Faults::SetUpTestSuite();
    std::string why;
    // A private cluster: these tests stop its server.
    auto started = PostgresCluster::start(why);
    ASSERT_TRUE(started) << why;
    cluster = *started;
  }
  static void TearDownTestSuite() {
    delete cluster;
    cluster = nullptr;
  }
};
PostgresCluster* PostgresqlFaults::cluster = nullptr;

// Connections ended under the server (a failover, a proxy's restart):
// nothing was in flight, so no request fails; every connection is replaced.
TEST_F(PostgresqlFaults, LostConnectionsAreReplacedWithoutAFailedRequest) {
  const std::string db = cluster->create_database();
  InProcessServer server(db, {});
  Assessment a(server);
  ASSERT_EQ(a.tokens.size(), 3u);
  ASSERT_EQ(put_answers(server, a.tokens[0], {{"LS2b", 3}}).status, 200);
  for (int round = 0; round < 3; ++round) {
    // At first every connection of the store: 4 readers, 4 writers, the
    // change listener; later those that were replaced.
    EXPECT_GE(cluster->terminate_connections(db), round == 0 ? 9 : 1);
    EXPECT_EQ(put_answers(server, a.tokens[round], {{"LS3", 2 + round}}).status, 200);
    EXPECT_EQ(saved_answers(server, a.tokens[round]).value("LS3", 0), 2 + round);
    EXPECT_EQ(a.admin.get("/api/cycles/" + a.cycle).status, 200);
    EXPECT_EQ(a.admin.get("/api/cycles/" + a.cycle + "/report").status, 200);
  }
  EXPECT_EQ(saved_answers(server, a.tokens[0]), json({{"LS2b", 3}, {"LS3", 2}}));
  EXPECT_EQ(server.request("POST", "/api/r/" + a.tokens[0] + "/submit").status, 200);
}

// The database server down: requests get 503 at once (no hang), and the
// server is back by itself when the database is.
TEST_F(PostgresqlFaults, ADatabaseDownGives503AndTheServerRecovers) {
  const std::string db = cluster->create_database();
  InProcessServer server(db, {});
  Assessment a(server);
  ASSERT_EQ(a.tokens.size(), 3u);
  ASSERT_EQ(put_answers(server, a.tokens[0], {{"LS2b", 3}}).status, 200);

  ASSERT_TRUE(cluster->stop_server());
  expect_unavailable(put_answers(server, a.tokens[0], {{"LS3", 4}}), "saving answers");
  expect_unavailable(server.request("POST", "/api/r/" + a.tokens[0] + "/submit"), "submitting");
  expect_unavailable(server.request("GET", "/api/r/" + a.tokens[1]), "an uncached link");
  const auto down = server.request("GET", "/api/health");
  EXPECT_EQ(down.status, 503);
  EXPECT_EQ(body_of(down)["error"]["code"], "unhealthy") << down.body;

  ASSERT_TRUE(cluster->start_server());
  ASSERT_EQ(put_answers(server, a.tokens[0], {{"LS3", 4}}).status, 200);
  EXPECT_EQ(saved_answers(server, a.tokens[0]), json({{"LS2b", 3}, {"LS3", 4}}));
  EXPECT_EQ(server.request("POST", "/api/r/" + a.tokens[0] + "/submit").status, 200);
  EXPECT_EQ(server.request("GET", "/api/health").status, 200);
  EXPECT_EQ(a.admin.send("POST", "/api/cycles/" + a.cycle + "/close").status, 200);
}

}  // namespace
}  // namespace cxm::testing
