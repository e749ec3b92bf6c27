// `cxm export` and `cxm import-org` on the real binary: one organization
// moved from a SQLite database into another SQLite database and into a
// PostgreSQL database that already holds other organizations. Every report
// of the moved organization reads the same before and after; the other
// organizations are untouched; the file holds no row of another
// organization and no password.
#include <gtest/gtest.h>
#include <nlohmann/json.hpp>
#include <sqlite3.h>

#include "postgres_cluster.h"
#include "run_process.h"
#include "server_process.h"

namespace cxm::testing {
namespace {

using nlohmann::json;

json body_of(const HttpResult& r) { return json::parse(r.body); }

// A record's id: 96 random bits as hex.
bool is_row_id(const std::string& text) {
  return text.size() == 24 && text.find_first_not_of("0123456789abcdef") == std::string::npos;
}

// Drops the ids a move renews (they name rows, not results), recursively.
json without_row_ids(json value) {
  if (value.is_object()) {
    json out = json::object();
    for (auto& [key, v] : value.items()) {
      if (v.is_string() && is_row_id(v.get<std::string>())) continue;  // "id", "compared_with", ...
      if (key == "cycle_id" || key == "org_id" || key == "user_id" || key == "version") continue;
      out[key] = without_row_ids(v);
    }
    return out;
  }
  if (value.is_array()) {
    json out = json::array();
    for (auto& v : value) out.push_back(without_row_ids(v));
    return out;
  }
  return value;
}

std::string org_named(const Client& who, const std::string& name) {
  const json orgs = body_of(who.get("/api/orgs"));
  for (const auto& o : orgs["organizations"]) {
    if (o["name"] == name) return o["id"];
  }
  return "";
}

// What a viewer of the organization can read, without row ids: every
// cycle's report (whole and per unit), discussion and plan, and the
// organization's actions and progress.
json snapshot(const Client& who, const std::string& org) {
  json out;
  out["org"] = without_row_ids(body_of(who.get("/api/orgs/" + org)));
  const json cycles = body_of(who.get("/api/orgs/" + org + "/cycles"));
  for (const auto& c : cycles["cycles"]) {
    const std::string id = c["id"];
    json& cycle = out["cycles"][c["name"].get<std::string>()];
    cycle["report"] = body_of(who.get("/api/cycles/" + id + "/report"));
    cycle["report_sales"] = body_of(who.get("/api/cycles/" + id + "/report?unit=Sales"));
    cycle["discussion"] = without_row_ids(body_of(who.get("/api/cycles/" + id + "/discussion")));
    cycle["csv"] = who.get("/api/cycles/" + id + "/report.csv?table=statements").body;
  }
  out["actions"] = without_row_ids(body_of(who.get("/api/orgs/" + org + "/actions")));
  out["progress"] = without_row_ids(body_of(who.get("/api/orgs/" + org + "/progress")));
  out["pool"] = body_of(who.get("/api/orgs/" + org + "/benchmark-pool"));
  return out;
}

// One integer or text answer of a query on a SQLite file.
std::string query_file(const std::string& path, const std::string& sql) {
  sqlite3* db = nullptr;
  std::string out;
  if (sqlite3_open_v2(path.c_str(), &db, SQLITE_OPEN_READONLY, nullptr) == SQLITE_OK) {
    sqlite3_stmt* st = nullptr;
    if (sqlite3_prepare_v2(db, sql.c_str(), -1, &st, nullptr) == SQLITE_OK && sqlite3_step(st) == SQLITE_ROW) {
      const unsigned char* text = sqlite3_column_text(st, 0);
      out = text ? reinterpret_cast<const char*>(text) : "";
    }
    sqlite3_finalize(st);
  }
  sqlite3_close(db);
  return out;
}

class OrgTransferTest : public ::testing::TestWithParam<std::string> {
 protected:
  static PostgresCluster* cluster;
  static void TearDownTestSuite() {
    delete cluster;
    cluster = nullptr;
  }
  std::string target_database() {
    if (GetParam() == "sqlite") return "sqlite:" + dir.path() + "/target.db";
    if (!cluster) {
      std::string why;
      auto started = PostgresCluster::start(why);
      if (!started) throw std::runtime_error("PostgreSQL: " + why);
      cluster = *started;
    }
    return cluster->create_database();
  }
  TempDir dir;
};
PostgresCluster* OrgTransferTest::cluster = nullptr;

TEST_P(OrgTransferTest, MovesOneOrganizationWithEverythingItHolds) {
  const std::string source = "sqlite:" + dir.path() + "/source.db";
  ASSERT_EQ(run_cxm({"demo", "--db", source}).exit_status, 0);
  const std::string demo_name = "Northwind Retail (demo, synthetic data)";

  json before;
  std::string globex;
  {
    ServerProcess server(source);
    Client lead(server);
    ASSERT_EQ(lead.setup("lead@example.org", "correct horse battery"), 201);
    const std::string demo = org_named(lead, demo_name);
    ASSERT_FALSE(demo.empty());
    // Another organization of the same instance, which must not move.
    const auto created = lead.send("POST", "/api/orgs", json{{"name", "Globex"}, {"units", {"Sales"}}}.dump());
    ASSERT_EQ(created.status, 201);
    globex = body_of(created)["id"];
    ASSERT_EQ(lead.send("POST", "/api/orgs/" + globex + "/actions", json{{"title", "Globex's own action"}}.dump()).status, 201);
    // A member, an action with history, a discussion note.
    const auto added = run_cxm({"user", "add", "--db", source, "--email", "fay@example.org", "--name", "Fay",
                                "--org", demo, "--role", "facilitator"},
                               "a long enough password\n");
    ASSERT_EQ(added.exit_status, 0) << added.err;
    const auto action = lead.send("POST", "/api/orgs/" + demo + "/actions",
                                  json{{"title", "Name a CX owner"}, {"owner", "Fay"}, {"due", "2027-03-31"},
                                       {"status", "planned"}}.dump());
    ASSERT_EQ(action.status, 201) << action.body;
    const json made = body_of(action);
    ASSERT_EQ(lead.send("PATCH", "/api/orgs/" + demo + "/actions/" + made["id"].get<std::string>(),
                        json{{"status", "in_progress"}, {"version", made["version"]}}.dump()).status, 200);
    const json cycles = body_of(lead.get("/api/orgs/" + demo + "/cycles"));
    const std::string first = cycles["cycles"][0]["id"];
    ASSERT_EQ(lead.send("PUT", "/api/cycles/" + first + "/discussion/notes/LS2",
                        json{{"note", "Two camps: sales and service"}, {"decision", 2}}.dump()).status, 200);
    before = snapshot(lead, demo);
  }
  ASSERT_EQ(before["cycles"].size(), 2u);
  ASSERT_EQ(before["actions"]["actions"].size(), 1u);

  const std::string file = dir.path() + "/northwind.cxm-org";
  const auto exported = run_cxm({"export", "--db", source, "--org", demo_name, file});
  ASSERT_EQ(exported.exit_status, 0) << exported.err;
  // The file: this organization's rows only, no password, no other organization.
  EXPECT_EQ(query_file(file, "SELECT COUNT(*) FROM organizations"), "1");
  EXPECT_EQ(query_file(file, "SELECT name FROM organizations"), demo_name);
  EXPECT_EQ(query_file(file, "SELECT COUNT(*) FROM cycles WHERE org_id <> (SELECT id FROM organizations)"), "0");
  EXPECT_EQ(query_file(file, "SELECT COUNT(*) FROM actions"), "1");
  EXPECT_EQ(query_file(file, "SELECT COUNT(*) FROM audit_log WHERE org_id = '" + globex + "'"), "0");
  EXPECT_EQ(query_file(file, "SELECT COUNT(*) FROM users WHERE password_hash <> '' OR is_admin <> 0"), "0");
  EXPECT_EQ(query_file(file, "SELECT COUNT(*) FROM login_sessions"), "0");
  EXPECT_EQ(query_file(file, "SELECT COUNT(*) FROM participants"), "80");
  // The file is not a backup, and an existing file is never overwritten.
  {
    const auto again = run_cxm({"export", "--db", source, "--org", demo_name, file});
    EXPECT_EQ(again.exit_status, 2);
    EXPECT_NE(again.err.find("exists already"), std::string::npos) << again.err;
    const auto restored = run_cxm({"restore", "--db", "sqlite:" + dir.path() + "/empty.db", file});
    EXPECT_EQ(restored.exit_status, 2);
    EXPECT_NE(restored.err.find("cxm import-org"), std::string::npos) << restored.err;
  }

  // The target already holds an organization, and a user with Fay's address.
  const std::string target = target_database();
  ServerProcess server(target);
  Client boss(server);
  ASSERT_EQ(boss.setup("boss@example.org", "another long password"), 201);
  const auto initech_made = boss.send("POST", "/api/orgs", json{{"name", "Initech"}, {"units", {"Sales"}}}.dump());
  ASSERT_EQ(initech_made.status, 201);
  const std::string initech = body_of(initech_made)["id"];
  ASSERT_EQ(boss.send("POST", "/api/orgs/" + initech + "/actions", json{{"title", "Initech's action"}}.dump()).status, 201);
  const json initech_before = snapshot(boss, initech);

  const auto imported = run_cxm({"import-org", "--db", target, file});
  ASSERT_EQ(imported.exit_status, 0) << imported.err;
  EXPECT_NE(imported.out.find("created without a password"), std::string::npos);
  const std::string moved = org_named(boss, demo_name);
  ASSERT_FALSE(moved.empty());
  EXPECT_EQ(json::diff(before, snapshot(boss, moved)), json::array());
  EXPECT_EQ(json::diff(initech_before, snapshot(boss, initech)), json::array());
  EXPECT_TRUE(org_named(boss, "Globex").empty());

  // Fay came without a password: she logs in once an operator sets one,
  // and sees the moved organization as its facilitator.
  Client fay(server);
  EXPECT_EQ(fay.login("fay@example.org", "a long enough password"), 401);
  ASSERT_EQ(run_cxm({"user", "reset-password", "--db", target, "--email", "fay@example.org"}, "a new long password\n")
                .exit_status,
            0);
  ASSERT_EQ(fay.login("fay@example.org", "a new long password"), 200);
  const json hers = body_of(fay.get("/api/orgs"));
  ASSERT_EQ(hers["organizations"].size(), 1u);
  EXPECT_EQ(hers["organizations"][0]["name"], demo_name);
  EXPECT_EQ(json::diff(before, snapshot(fay, moved)), json::array());

  // Once there, it is not imported twice (nothing changes).
  const auto twice = run_cxm({"import-org", "--db", target, file});
  EXPECT_EQ(twice.exit_status, 2);
  EXPECT_NE(twice.err.find("exists already"), std::string::npos) << twice.err;
  EXPECT_EQ(body_of(boss.get("/api/orgs"))["organizations"].size(), 2u);
}

TEST_P(OrgTransferTest, RefusesWhatIsNotAnExport) {
  const std::string target = target_database();
  const std::string backup = dir.path() + "/backup.db";
  const std::string source = "sqlite:" + dir.path() + "/source.db";
  ASSERT_EQ(run_cxm({"demo", "--db", source}).exit_status, 0);
  ASSERT_EQ(run_cxm({"backup", "--db", source, backup}).exit_status, 0);
  const auto from_backup = run_cxm({"import-org", "--db", target, backup});
  EXPECT_EQ(from_backup.exit_status, 2);
  EXPECT_NE(from_backup.err.find("not an organization export"), std::string::npos) << from_backup.err;
  const auto missing = run_cxm({"import-org", "--db", target, dir.path() + "/nothing"});
  EXPECT_EQ(missing.exit_status, 2);
  const auto unknown = run_cxm({"export", "--db", source, "--org", "Nobody", dir.path() + "/x"});
  EXPECT_EQ(unknown.exit_status, 2);
  EXPECT_NE(unknown.err.find("no organization"), std::string::npos);
}

INSTANTIATE_TEST_SUITE_P(Databases, OrgTransferTest, ::testing::Values("sqlite", "postgresql"),
                         [](const auto& info) { return info.param; });

}  // namespace
}  // namespace cxm::testing
