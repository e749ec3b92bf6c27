// The security promises of SECURITY.md against the real `cxm serve`, on
// SQLite and on a private PostgreSQL cluster: log-in limits that hold under
// parallel guessing and across processes, the trusted-proxy setting, the
// cookie's Secure flag, password and name rules, database errors logged
// without secrets, and a health check that tells a database that takes no
// writes.
#include <gtest/gtest.h>
#include <pwd.h>
#include <sqlite3.h>
#include <sys/stat.h>
#include <unistd.h>

#include <atomic>
#include <chrono>
#include <filesystem>
#include <nlohmann/json.hpp>
#include <thread>

#include "postgres_cluster.h"
#include "run_process.h"
#include "server_process.h"

namespace cxm::testing {
namespace {

using nlohmann::json;

json body_of(const HttpResult& r) { return json::parse(r.body); }

const std::string kEmail = "lead@example.org";
const std::string kPassword = "correct horse battery";

HttpResult log_in(const ServerProcess& server, const std::string& email,
                  const std::string& password, std::map<std::string, std::string> headers = {}) {
  headers["Content-Type"] = "application/json";
  return server.request("POST", "/api/session",
                        json{{"email", email}, {"password", password}}.dump(), headers);
}

// The wait a 429 asks for, in seconds (its Retry-After).
int retry_after(const HttpResult& r) {
  const auto it = r.headers.find("retry-after");
  return it == r.headers.end() ? -1 : std::stoi(it->second);
}

class Security : public ::testing::TestWithParam<std::string> {
 protected:
  static PostgresCluster& postgres() { return shared_postgres(); }
  bool on_postgresql() const { return GetParam() == "postgresql"; }

  TempDir dir;
  std::string db = test_database(GetParam(), dir.path());

  std::unique_ptr<ServerProcess> start(const std::vector<std::string>& args = {},
                                       const std::string& log = "") {
    ServerProcessOptions options;
    options.extra_args = args;
    options.log_file = log;
    return std::make_unique<ServerProcess>(db, options);
  }
};

// ---- Log-in limits ----------------------------------------------------------

// 64 wrong passwords at once on a fresh process: the attempts are counted
// before any password is checked, so only the five free ones are checked
// (401) and every other gets 429 without a check.
TEST_P(Security, ParallelWrongPasswordsGetOnlyTheAllowedChecks) {
  auto server = start();
  Client admin(*server);
  ASSERT_EQ(admin.setup(kEmail, kPassword), 201);
  std::atomic<int> checked{0}, refused{0}, other{0};
  std::vector<std::thread> threads;
  for (int i = 0; i < 64; ++i) {
    threads.emplace_back([&, i] {
      const auto r = log_in(*server, kEmail, "wrong password " + std::to_string(i));
      if (r.status == 401) {
        ++checked;
      } else if (r.status == 429 && retry_after(r) >= 1 &&
                 body_of(r)["error"]["code"] == "too_many_attempts") {
        ++refused;
      } else {
        ++other;
      }
    });
  }
  for (auto& t : threads) t.join();
  EXPECT_EQ(checked.load(), 5);
  EXPECT_EQ(refused.load(), 59);
  EXPECT_EQ(other.load(), 0);

  // The owner is not locked out for long: refused for at most the short
  // wait, then in. (On a slow machine the 64 tries can take longer than
  // that wait, which is then over already: the right password gets in.)
  auto early = log_in(*server, kEmail, kPassword);
  if (early.status == 429) {
    EXPECT_LE(retry_after(early), 2);
    std::this_thread::sleep_for(std::chrono::seconds(retry_after(early)));
    early = log_in(*server, kEmail, kPassword);
  }
  EXPECT_EQ(early.status, 200) << early.body;
  EXPECT_EQ(log_in(*server, kEmail, "wrong again").status, 401);  // the account started afresh
}

// Two processes on one database share the counts: the same attack split
// between them gets no more checks, and the back-off one sets holds in the
// other.
TEST_P(Security, LogInLimitsAreSharedByProcesses) {
  auto a = start();
  auto b = start();
  Client admin(*a);
  ASSERT_EQ(admin.setup(kEmail, kPassword), 201);
  std::atomic<int> checked{0}, refused{0};
  std::vector<std::thread> threads;
  for (int i = 0; i < 40; ++i) {
    threads.emplace_back([&, i] {
      const auto r = log_in(i % 2 == 0 ? *a : *b, kEmail, "wrong password " + std::to_string(i));
      (r.status == 401 ? checked : refused)++;
      EXPECT_TRUE(r.status == 401 || r.status == 429) << r.status << " " << r.body;
    });
  }
  for (auto& t : threads) t.join();
  EXPECT_EQ(checked.load(), 5);
  EXPECT_EQ(refused.load(), 35);

  // The back-off grows: 1 s after the fifth failure, then 2 s.
  std::this_thread::sleep_for(std::chrono::milliseconds(1100));
  EXPECT_EQ(log_in(*b, kEmail, "wrong password six").status, 401);
  const auto next = log_in(*a, kEmail, "wrong password seven");
  EXPECT_EQ(next.status, 429);
  EXPECT_EQ(retry_after(next), 2);
}

// Without --trusted-proxy, X-Forwarded-For is anyone's to forge and is
// ignored: every client behind one proxy is one address, and after its
// allowance it waits. With it, each client behind the proxy has its own
// allowance, and one client's guessing does not lock out the others.
TEST_P(Security, ClientAddressComesFromATrustedProxyOnly) {
  auto plain = start();
  Client admin(*plain);
  ASSERT_EQ(admin.setup(kEmail, kPassword), 201);
  for (int i = 0; i < 20; ++i) {
    const auto r = log_in(*plain, "nobody" + std::to_string(i) + "@example.org", "wrong password",
                          {{"X-Forwarded-For", "198.51.100." + std::to_string(i)}});
    ASSERT_EQ(r.status, 401) << i << " " << r.body;
  }
  EXPECT_EQ(log_in(*plain, kEmail, kPassword, {{"X-Forwarded-For", "198.51.100.99"}}).status, 429);
  plain.reset();

  auto proxied = start({"--trusted-proxy", "127.0.0.1"});
  for (int i = 0; i < 20; ++i) {
    const auto r = log_in(*proxied, "someone" + std::to_string(i) + "@example.org",
                          "wrong password", {{"X-Forwarded-For", "203.0.113.7"}});
    ASSERT_EQ(r.status, 401) << i << " " << r.body;
  }
  // The guesser behind the proxy waits ...
  EXPECT_EQ(log_in(*proxied, "someone@example.org", "wrong password",
                   {{"X-Forwarded-For", "203.0.113.7"}})
                .status,
            429);
  // ... even when it adds a forged address at the left ...
  EXPECT_EQ(log_in(*proxied, "someone@example.org", "wrong password",
                   {{"X-Forwarded-For", "192.0.2.1, 203.0.113.7"}})
                .status,
            429);
  // ... while another client behind the same proxy logs in.
  EXPECT_EQ(log_in(*proxied, kEmail, kPassword, {{"X-Forwarded-For", "203.0.113.8"}}).status, 200);
}

// ---- Cookies ----------------------------------------------------------------

TEST_P(Security, SessionCookieIsSecureWhenConfiguredOrBehindAnHttpsProxy) {
  auto server = start();
  Client admin(*server);
  ASSERT_EQ(admin.setup(kEmail, kPassword), 201);
  auto cookie = [](const HttpResult& r) {
    return r.headers.count("set-cookie") ? r.headers.at("set-cookie") : "";
  };
  auto r = log_in(*server, kEmail, kPassword);
  ASSERT_EQ(r.status, 200);
  EXPECT_EQ(cookie(r).find("Secure"), std::string::npos);
  EXPECT_NE(cookie(r).find("HttpOnly"), std::string::npos);
  // Anyone may send X-Forwarded-Proto; only a trusted proxy is believed.
  r = log_in(*server, kEmail, kPassword, {{"X-Forwarded-Proto", "https"}});
  EXPECT_EQ(cookie(r).find("Secure"), std::string::npos);
  server.reset();

  server = start({"--secure-cookies"});
  r = log_in(*server, kEmail, kPassword);
  ASSERT_EQ(r.status, 200);
  EXPECT_NE(cookie(r).find("; Secure"), std::string::npos) << cookie(r);
  Client signed_in(*server);
  ASSERT_EQ(signed_in.login(kEmail, kPassword), 200);
  const auto out = signed_in.send("DELETE", "/api/session");
  EXPECT_EQ(out.status, 204);
  EXPECT_NE(cookie(out).find("; Secure"), std::string::npos) << cookie(out);
  server.reset();

  server = start({"--trusted-proxy", "127.0.0.1"});
  r = log_in(*server, kEmail, kPassword, {{"X-Forwarded-Proto", "https"}});
  ASSERT_EQ(r.status, 200);
  EXPECT_NE(cookie(r).find("; Secure"), std::string::npos) << cookie(r);
  r = log_in(*server, kEmail, kPassword, {{"X-Forwarded-Proto", "http"}});
  EXPECT_EQ(cookie(r).find("Secure"), std::string::npos);
}

// A participant's claim cookie follows the same rule as the session's.
TEST_P(Security, ClaimCookieIsSecureLikeTheSessionCookie) {
  auto server = start({"--trusted-proxy", "127.0.0.1"});
  Client admin(*server);
  ASSERT_EQ(admin.setup(kEmail, kPassword), 201);
  const auto org = json::parse(admin.send("POST", "/api/orgs", R"({"name":"Acme"})").body)["id"]
                       .get<std::string>();
  const auto cycle =
      json::parse(
          admin.send("POST", "/api/orgs/" + org + "/cycles", R"({"name":"Spring"})").body)["id"]
          .get<std::string>();
  const auto links = json::parse(
      admin.send("POST", "/api/cycles/" + cycle + "/invitations", R"({"count":2})").body);
  ASSERT_EQ(admin.send("POST", "/api/cycles/" + cycle + "/open").status, 200);
  auto claim = [&](int i, const std::string& proto) {
    const std::string token = links["invitations"][i]["token"];
    const auto r = http_request(
        server->port(), "POST", "/api/r/" + token + "/claim", "{}",
        {{"Content-Type", "application/json"}, {"Cookie", "none=1"}, {"X-Forwarded-Proto", proto}});
    EXPECT_EQ(r.status, 200) << r.body;
    return r.headers.count("set-cookie") ? r.headers.at("set-cookie") : "";
  };
  EXPECT_NE(claim(0, "https").find("; Secure"), std::string::npos);
  EXPECT_EQ(claim(1, "http").find("Secure"), std::string::npos);
}

TEST_P(Security, ABadTrustedProxyListIsRefusedAtStartUp) {
  const auto r = run_cxm(
      {"serve", "--db", db, "--listen", "127.0.0.1:0", "--trusted-proxy", "10.0.0.1,proxy.local"});
  EXPECT_EQ(r.exit_status, 2);
  EXPECT_NE(r.err.find("proxy.local"), std::string::npos) << r.err;
}

// ---- Passwords and names ------------------------------------------------------

HttpResult set_up(const ServerProcess& server, const json& body) {
  return server.request("POST", "/api/setup", body.dump(), {{"Content-Type", "application/json"}});
}

void expect_refused(const HttpResult& r, const std::string& field) {
  EXPECT_EQ(r.status, 422) << r.body;
  if (r.status != 422) return;
  EXPECT_EQ(body_of(r)["error"]["message"].get<std::string>().rfind(field + ":", 0), 0u) << r.body;
}

TEST_P(Security, PasswordsMustBeLongUncommonAndNotOnlySpaces) {
  auto server = start();
  auto admin_with = [](const std::string& password) {
    return json{{"email", kEmail}, {"name", "Lead"}, {"password", password}};
  };
  expect_refused(set_up(*server, admin_with("          ")), "password");
  expect_refused(set_up(*server, admin_with("short")), "password");
  expect_refused(set_up(*server, admin_with("Password123")), "password");
  expect_refused(set_up(*server, admin_with("qwertyuiop")), "password");
  expect_refused(set_up(*server, admin_with(kEmail)), "password");
  Client lead(*server);
  ASSERT_EQ(lead.setup(kEmail, kPassword), 201);

  // Changing it: the current password is checked; the new one by the same rules.
  auto change = [&](const std::string& current, const std::string& next) {
    return lead.send("PUT", "/api/session/password",
                     json{{"current_password", current}, {"new_password", next}}.dump());
  };
  expect_refused(change(kPassword, "           "), "new_password");
  expect_refused(change(kPassword, "football2024"), "new_password");
  EXPECT_EQ(change("not my password", "a fresh long passphrase").status, 403);
  Client elsewhere(*server);
  ASSERT_EQ(elsewhere.login(kEmail, kPassword), 200);
  const auto changed = change(kPassword, "a fresh long passphrase");
  ASSERT_EQ(changed.status, 200) << changed.body;
  EXPECT_EQ(elsewhere.get("/api/session").status, 401);  // other sessions end
  EXPECT_EQ(log_in(*server, kEmail, kPassword).status, 401);
  EXPECT_EQ(log_in(*server, kEmail, "a fresh long passphrase").status, 200);
}

TEST_P(Security, ThePasswordRulesHoldInTheCommandLineToo) {
  auto r = run_cxm({"user", "add", "--db", db, "--email", "ann@example.org"}, "          \n");
  EXPECT_EQ(r.exit_status, 2);
  EXPECT_NE(r.err.find("only spaces"), std::string::npos) << r.err;
  r = run_cxm({"user", "add", "--db", db, "--email", "ann@example.org"}, "password1234\n");
  EXPECT_EQ(r.exit_status, 2);
  EXPECT_NE(r.err.find("too common"), std::string::npos) << r.err;
  r = run_cxm({"user", "add", "--db", db, "--email", "ann@example.org", "--name",
               std::string("Ann\x1b[2J")},
              "a long good passphrase\n");
  EXPECT_EQ(r.exit_status, 2);
  EXPECT_NE(r.err.find("--name"), std::string::npos) << r.err;
  r = run_cxm({"user", "add", "--db", db, "--email", "ann@example.org"},
              "a long good passphrase\n");
  EXPECT_EQ(r.exit_status, 0) << r.err;
  r = run_cxm({"user", "reset-password", "--db", db, "--email", "ann@example.org"},
              "iloveyou123\n");
  EXPECT_EQ(r.exit_status, 2);
  EXPECT_NE(r.err.find("too common"), std::string::npos) << r.err;
}

// U+0000 to U+001F, U+007F and U+0080 to U+009F in a name: 422 naming the field.
TEST_P(Security, NamesWithControlCharactersAreRefused) {
  auto server = start();
  expect_refused(
      set_up(*server, {{"email", kEmail}, {"name", "Le\u0085ad"}, {"password", kPassword}}),
      "name");
  Client lead(*server);
  ASSERT_EQ(lead.setup(kEmail, kPassword), 201);
  for (const std::string& bad :
       {std::string("Ac\0me", 5), std::string("Acme\n"), std::string("Ac\x7fme"),
        std::string("Ac\u009bme"), std::string("\x1b[31mAcme")}) {
    expect_refused(lead.send("POST", "/api/orgs", json{{"name", bad}}.dump()), "name");
  }
  expect_refused(lead.send("POST", "/api/orgs",
                           json{{"name", "Acme"}, {"units", {"Sales", "Sup\tport"}}}.dump()),
                 "units");
  const auto org = lead.send("POST", "/api/orgs",
                             json{{"name", "Zürich Ärzte – Nord"}, {"units", {"Sales"}}}.dump());
  ASSERT_EQ(org.status, 201) << org.body;
  const std::string org_id = body_of(org)["id"];
  expect_refused(lead.send("PATCH", "/api/orgs/" + org_id,
                           json{{"industry", std::string("Re\0tail", 7)}}.dump()),
                 "industry");
  expect_refused(
      lead.send("POST", "/api/orgs/" + org_id + "/cycles", json{{"name", "Spring\r"}}.dump()),
      "name");
  const auto cycle =
      lead.send("POST", "/api/orgs/" + org_id + "/cycles", json{{"name", "Spring"}}.dump());
  ASSERT_EQ(cycle.status, 201) << cycle.body;
  const std::string cycle_id = body_of(cycle)["id"];
  expect_refused(
      lead.send("PATCH", "/api/cycles/" + cycle_id, json{{"name", "Spr\u0007ing"}}.dump()), "name");
  ASSERT_EQ(lead.send("POST", "/api/cycles/" + cycle_id + "/open").status, 200);
  const auto links =
      lead.send("POST", "/api/cycles/" + cycle_id + "/invitations",
                json{{"people", {{{"label", std::string("Ann\0Smith", 9)}}}}}.dump());
  EXPECT_EQ(links.status, 422) << links.body;
  EXPECT_NE(links.body.find("label"), std::string::npos) << links.body;
}

// ---- Secrets stay out of logs ----------------------------------------------------

// A write that the database refuses (here: a constraint an operator added,
// which makes every new user fail): the request gets 503, and the server's
// log names the failure without the row. PostgreSQL's DETAIL would repeat
// the whole failing row, password hash and e-mail address included.
TEST_P(Security, AFailedWriteLogsNoHashNoEmailNoStatement) {
  const std::string log = dir.path() + "/server.log";
  { auto migrate = start(); }  // creates the schema
  if (on_postgresql()) {
    ASSERT_TRUE(postgres().execute(
        db, "ALTER TABLE users ADD CONSTRAINT refuse_users CHECK (length(email) < 3)"));
  } else {
    sqlite3* sql = nullptr;
    ASSERT_EQ(sqlite3_open((dir.path() + "/cxm.db").c_str(), &sql), SQLITE_OK);
    ASSERT_EQ(sqlite3_exec(sql,
                           "CREATE TRIGGER refuse_users BEFORE INSERT ON users "
                           "BEGIN SELECT RAISE(ABORT, 'refused by the test'); END",
                           nullptr, nullptr, nullptr),
              SQLITE_OK);
    sqlite3_close(sql);
  }
  auto server = start({}, log);
  const std::string email = "secret.person@example.org";
  const auto r =
      set_up(*server, {{"email", email}, {"name", "Secret Person"}, {"password", kPassword}});
  EXPECT_EQ(r.status, 503) << r.body;
  server->stop(SIGTERM);  // flushes the log
  const std::string text = read_text(log);
  EXPECT_NE(text.find("database:"), std::string::npos) << text;  // the failure is logged ...
  for (const std::string& secret :
       {email, std::string("$argon2id$"), std::string("INSERT"), std::string("Secret Person")}) {
    EXPECT_EQ(text.find(secret), std::string::npos) << "the log holds " << secret << ":\n"
                                                    << text;  // ... without it
  }
  EXPECT_EQ(r.body.find(email), std::string::npos);
}

// ---- Health ---------------------------------------------------------------------

// A database that answers reads but refuses writes is not healthy.
TEST_P(Security, HealthReportsADatabaseThatTakesNoWrites) {
  auto server = start();
  EXPECT_EQ(server->request("GET", "/api/health").status, 200);
  if (!on_postgresql())
    GTEST_SKIP() << "SQLite: see Faults.HealthReports* and StartUpRefusesAReadOnlyDatabase";
  // From another database: a read-only database could not undo it itself.
  const std::string name = db.substr(db.rfind('/') + 1);
  const std::string other = db.substr(0, db.rfind('/') + 1) + "postgres";
  ASSERT_TRUE(postgres().execute(
      other, "ALTER DATABASE " + name + " SET default_transaction_read_only = on"));
  postgres().terminate_connections(db);  // new connections read the setting
  HttpResult r;
  for (int i = 0; i < 100; ++i) {  // the last good write is trusted for 5 s
    r = server->request("GET", "/api/health");
    if (r.status == 503) break;
    std::this_thread::sleep_for(std::chrono::milliseconds(100));
  }
  ASSERT_EQ(r.status, 503) << r.body;
  EXPECT_EQ(body_of(r)["error"]["code"], "unhealthy");
  EXPECT_NE(body_of(r)["error"]["message"].get<std::string>().find("does not take writes"),
            std::string::npos)
      << r.body;

  ASSERT_TRUE(
      postgres().execute(other, "ALTER DATABASE " + name + " RESET default_transaction_read_only"));
  postgres().terminate_connections(db);
  for (int i = 0; i < 100; ++i) {
    r = server->request("GET", "/api/health");
    if (r.status == 200) break;
    std::this_thread::sleep_for(std::chrono::milliseconds(100));
  }
  EXPECT_EQ(r.status, 200) << r.body;
}

// `cxm serve` on a database file it may not write refuses to start and says
// why (as root, whom file modes do not stop, the server runs as nobody).
TEST_P(Security, StartUpRefusesAReadOnlyDatabase) {
  if (on_postgresql()) GTEST_SKIP() << "a file's permissions are SQLite's";
  { auto migrate = start(); }
  const std::string file = dir.path() + "/cxm.db";
  const passwd* nobody = getpwnam("nobody");
  std::string prefix;
  // Run a copy of the binary from the test's own directory: the build tree
  // may sit in a directory only root may enter (a clone made by mktemp -d).
  std::string binary = CXM_BINARY;
  if (geteuid() == 0) {
    binary = dir.path() + "/cxm";
    std::filesystem::copy_file(CXM_BINARY, binary);
    ASSERT_NE(nobody, nullptr);
    for (const auto& entry : std::filesystem::directory_iterator(dir.path())) {
      ASSERT_EQ(chown(entry.path().c_str(), nobody->pw_uid, nobody->pw_gid), 0);
    }
    ASSERT_EQ(chown(dir.path().c_str(), nobody->pw_uid, nobody->pw_gid), 0);
    prefix = "runuser -u nobody -- ";
  }
  ASSERT_EQ(chmod(file.c_str(), 0444), 0);
  const std::string err = dir.path() + "/err.txt";
  const int status = std::system(("timeout 20 " + prefix + binary + " serve --db sqlite:" + file +
                                  " --listen 127.0.0.1:0 >/dev/null 2>" + err)
                                     .c_str());
  EXPECT_TRUE(WIFEXITED(status) && WEXITSTATUS(status) == 1) << status;
  const std::string said = read_text(err);
  EXPECT_NE(said.find("cannot be written"), std::string::npos) << said;
  EXPECT_NE(said.find("readonly"), std::string::npos) << said;
}

INSTANTIATE_TEST_SUITE_P(Databases, Security, ::testing::Values("sqlite", "postgresql"),
                         [](const auto& info) { return info.param; });

}  // namespace
}  // namespace cxm::testing
