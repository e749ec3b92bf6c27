// Data between instances, on the real binary. `cxm export` and `cxm
// import-org`: one organization moved from a SQLite database into another
// SQLite database and into a PostgreSQL database that already holds other
// organizations; every report of the moved organization reads the same
// before and after, the other organizations are untouched, and the file
// holds no row of another organization and no password. `cxm benchmark
// export` and `import`: one instance's results, pseudonymized, become
// another's benchmark dataset, as CSV and as JSON.
#include <gtest/gtest.h>
#include <sqlite3.h>

#include <algorithm>
#include <nlohmann/json.hpp>
#include <sstream>

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
// organization's actions, progress and customer metrics.
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
    for (const char* table : {"competencies", "statements", "groups", "benchmark", "change",
                              "role_mix", "actions", "decisions"}) {
      cycle["csv"][table] = who.get("/api/cycles/" + id + "/report.csv?table=" + table).body;
    }
  }
  out["actions"] = without_row_ids(body_of(who.get("/api/orgs/" + org + "/actions")));
  out["progress"] = without_row_ids(body_of(who.get("/api/orgs/" + org + "/progress")));
  out["pool"] = body_of(who.get("/api/orgs/" + org + "/benchmark-pool"));
  out["customer_metrics"] = body_of(who.get("/api/orgs/" + org + "/customer-metrics"));
  return out;
}

// One integer or text answer of a query on a SQLite file.
std::string query_file(const std::string& path, const std::string& sql) {
  sqlite3* db = nullptr;
  std::string out;
  if (sqlite3_open_v2(path.c_str(), &db, SQLITE_OPEN_READONLY, nullptr) == SQLITE_OK) {
    sqlite3_stmt* st = nullptr;
    if (sqlite3_prepare_v2(db, sql.c_str(), -1, &st, nullptr) == SQLITE_OK &&
        sqlite3_step(st) == SQLITE_ROW) {
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
  std::string target_database() { return test_database(GetParam(), dir.path(), "target.db"); }
  TempDir dir;
};

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
    const auto created =
        lead.send("POST", "/api/orgs", json{{"name", "Globex"}, {"units", {"Sales"}}}.dump());
    ASSERT_EQ(created.status, 201);
    globex = body_of(created)["id"];
    ASSERT_EQ(lead.send("POST", "/api/orgs/" + globex + "/actions",
                        json{{"title", "Globex's own action"}}.dump())
                  .status,
              201);
    // A member, an action with history, a discussion note.
    const auto added = run_cxm({"user", "add", "--db", source, "--email", "fay@example.org",
                                "--name", "Fay", "--org", demo, "--role", "facilitator"},
                               "a long enough password\n");
    ASSERT_EQ(added.exit_status, 0) << added.err;
    const auto action = lead.send("POST", "/api/orgs/" + demo + "/actions",
                                  json{{"title", "Name a CX owner"},
                                       {"owner", "Fay"},
                                       {"due", "2027-03-31"},
                                       {"status", "planned"}}
                                      .dump());
    ASSERT_EQ(action.status, 201) << action.body;
    const json made = body_of(action);
    ASSERT_EQ(lead.send("PATCH", "/api/orgs/" + demo + "/actions/" + made["id"].get<std::string>(),
                        json{{"status", "in_progress"}, {"version", made["version"]}}.dump())
                  .status,
              200);
    const json cycles = body_of(lead.get("/api/orgs/" + demo + "/cycles"));
    const std::string first = cycles["cycles"][0]["id"];
    ASSERT_EQ(lead.send("PUT", "/api/cycles/" + first + "/discussion/notes/LS2b",
                        json{{"note", "Two camps: sales and service"}, {"decision", 2}}.dump())
                  .status,
              200);
    before = snapshot(lead, demo);
    // A unit's report carries no section of the whole cycle's.
    const std::string later = cycles["cycles"][1]["id"];
    const auto unit = lead.get("/api/cycles/" + later + "/report.csv?table=actions&unit=Sales");
    ASSERT_EQ(unit.status, 200) << unit.body;
    EXPECT_EQ(unit.body,
              "\xEF\xBB\xBF"
              "Action,Owner,Due,Status,Competency id\r\n");
  }
  ASSERT_EQ(before["cycles"].size(), 3u);              // the demo's three cycles
  ASSERT_EQ(before["actions"]["actions"].size(), 7u);  // the demo's plan of six, and ours
  // The report's sections are part of what moves: the change since the
  // first cycle (overall and seven competencies), the decision, the action.
  const json& later = before["cycles"]["Six-month follow-up (demo)"]["csv"];
  const std::string change = later["change"];
  EXPECT_EQ(std::count(change.begin(), change.end(), '\n'), 9) << change;
  // With the change at the same mix of roles beside it.
  const std::string header =
      "\xEF\xBB\xBF"
      "Since,Id,Name,Before,After,Change,95% CI low,95% CI high,Verdict,Same mix of roles: "
      "change,Same mix of roles: 95% CI low,Same mix of roles: 95% CI high,Same mix of roles: "
      "verdict,Flagged,\"Why flagged, or why no change at the same mix of roles\"\r\n";
  EXPECT_EQ(change.rfind(header + "First assessment (demo),overall,Overall,", 0), 0u) << change;
  EXPECT_NE(later["actions"].get<std::string>().find("Name a CX owner,Fay,2027-03-31,In progress,"),
            std::string::npos);
  EXPECT_NE(before["cycles"]["First assessment (demo)"]["csv"]["decisions"].get<std::string>().find(
                "LS2b,One of our senior leaders has said openly that our customer experience must "
                "improve.,2,"
                "Disagree,Two camps: sales and service"),
            std::string::npos);
  EXPECT_EQ(before["cycles"]["First assessment (demo)"]["csv"]["change"], header);

  const std::string file = dir.path() + "/northwind.cxm-org";
  const auto exported = run_cxm({"export", "--db", source, "--org", demo_name, file});
  ASSERT_EQ(exported.exit_status, 0) << exported.err;
  // The file: this organization's rows only, no password, no other organization.
  EXPECT_EQ(query_file(file, "SELECT COUNT(*) FROM organizations"), "1");
  EXPECT_EQ(query_file(file, "SELECT name FROM organizations"), demo_name);
  EXPECT_EQ(query_file(
                file, "SELECT COUNT(*) FROM cycles WHERE org_id <> (SELECT id FROM organizations)"),
            "0");
  EXPECT_EQ(query_file(file, "SELECT COUNT(*) FROM actions"),
            "7");  // the demo's plan of six, and ours
  EXPECT_EQ(query_file(file, "SELECT COUNT(*) FROM audit_log WHERE org_id = '" + globex + "'"),
            "0");
  EXPECT_EQ(
      query_file(file, "SELECT COUNT(*) FROM users WHERE password_hash <> '' OR is_admin <> 0"),
      "0");
  EXPECT_EQ(query_file(file, "SELECT COUNT(*) FROM login_sessions"), "0");
  EXPECT_EQ(query_file(file, "SELECT COUNT(*) FROM participants"),
            "120");  // three demo cycles of 40
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
  const auto initech_made =
      boss.send("POST", "/api/orgs", json{{"name", "Initech"}, {"units", {"Sales"}}}.dump());
  ASSERT_EQ(initech_made.status, 201);
  const std::string initech = body_of(initech_made)["id"];
  ASSERT_EQ(boss.send("POST", "/api/orgs/" + initech + "/actions",
                      json{{"title", "Initech's action"}}.dump())
                .status,
            201);
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
  ASSERT_EQ(run_cxm({"user", "reset-password", "--db", target, "--email", "fay@example.org"},
                    "a new long password\n")
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

// A live workshop moves with its organization: the open code, pace, step
// and statements come back the same (only ids change).
TEST_P(OrgTransferTest, MovesALiveWorkshop) {
  const std::string source = "sqlite:" + dir.path() + "/source.db";
  const std::string file = dir.path() + "/acme.cxm-org";
  json before;
  {
    ServerProcess server(source);
    Client lead(server);
    ASSERT_EQ(lead.setup("lead@example.org", "correct horse battery"), 201);
    const auto made =
        lead.send("POST", "/api/orgs", json{{"name", "Acme"}, {"units", {"Sales"}}}.dump());
    ASSERT_EQ(made.status, 201) << made.body;
    const std::string org = body_of(made)["id"];
    const auto cycle_made =
        lead.send("POST", "/api/orgs/" + org + "/cycles", json{{"name", "Workshop day"}}.dump());
    ASSERT_EQ(cycle_made.status, 201) << cycle_made.body;
    const std::string cycle = body_of(cycle_made)["id"];
    ASSERT_EQ(lead.send("POST", "/api/cycles/" + cycle + "/open").status, 200);
    const auto started = lead.send("POST", "/api/cycles/" + cycle + "/workshops",
                                   json{{"pace", "competency"}}.dump());
    ASSERT_EQ(started.status, 201) << started.body;
    const std::string ws = body_of(started)["id"];
    ASSERT_EQ(
        lead.send("POST", "/api/workshops/" + ws + "/step", json{{"round", 1}, {"step", 2}}.dump())
            .status,
        200);
    before = body_of(lead.get("/api/cycles/" + cycle + "/workshop"))["workshop"];
  }
  const auto exported = run_cxm({"export", "--db", source, "--org", "Acme", file});
  ASSERT_EQ(exported.exit_status, 0) << exported.err;
  EXPECT_EQ(query_file(file, "SELECT COUNT(*) FROM workshops"), "1");
  const std::string target = target_database();
  ServerProcess server(target);
  Client boss(server);
  ASSERT_EQ(boss.setup("boss@example.org", "another long password"), 201);
  const auto imported = run_cxm({"import-org", "--db", target, file});
  ASSERT_EQ(imported.exit_status, 0) << imported.err;
  const std::string moved = org_named(boss, "Acme");
  ASSERT_FALSE(moved.empty());
  const json cycles = body_of(boss.get("/api/orgs/" + moved + "/cycles"));
  ASSERT_EQ(cycles["cycles"].size(), 1u);
  const std::string cycle = cycles["cycles"][0]["id"];
  json after = body_of(boss.get("/api/cycles/" + cycle + "/workshop"))["workshop"];
  ASSERT_TRUE(after.is_object()) << after;
  EXPECT_NE(after["id"], before["id"]);
  EXPECT_EQ(after["cycle_id"], cycle);
  // The QR code's address names the workshop by its new id.
  EXPECT_EQ(after["join_path"],
            "/j/" + after["code"].get<std::string>() + "?w=" + after["id"].get<std::string>());
  for (json* w : {&before, &after}) {
    w->erase("id");
    w->erase("cycle_id");
    w->erase("join_path");
  }
  EXPECT_EQ(json::diff(before, after), json::array());
  EXPECT_EQ(after["step"], 2);
}

TEST_P(OrgTransferTest, RefusesWhatIsNotAnExport) {
  const std::string target = target_database();
  const std::string backup = dir.path() + "/backup.db";
  const std::string source = "sqlite:" + dir.path() + "/source.db";
  ASSERT_EQ(run_cxm({"demo", "--db", source}).exit_status, 0);
  ASSERT_EQ(run_cxm({"backup", "--db", source, backup}).exit_status, 0);
  const auto from_backup = run_cxm({"import-org", "--db", target, backup});
  EXPECT_EQ(from_backup.exit_status, 2);
  EXPECT_NE(from_backup.err.find("not an organization export"), std::string::npos)
      << from_backup.err;
  const auto missing = run_cxm({"import-org", "--db", target, dir.path() + "/nothing"});
  EXPECT_EQ(missing.exit_status, 2);
  const auto unknown = run_cxm({"export", "--db", source, "--org", "Nobody", dir.path() + "/x"});
  EXPECT_EQ(unknown.exit_status, 2);
  EXPECT_NE(unknown.err.find("no organization"), std::string::npos);
}

// Runs SQL on a SQLite database file (test set-up only).
void execute_on_file(const std::string& path, const std::string& sql) {
  sqlite3* db = nullptr;
  ASSERT_EQ(sqlite3_open(path.c_str(), &db), SQLITE_OK);
  char* message = nullptr;
  EXPECT_EQ(sqlite3_exec(db, sql.c_str(), nullptr, nullptr, &message), SQLITE_OK)
      << (message ? message : "");
  sqlite3_free(message);
  sqlite3_close(db);
}

// The attack of issue 22: export an organization, add to the file a user
// marked as an administrator with a membership (and one no row names),
// import it. The import says what it left out, and the new user, once an
// operator sets a password, is an owner of that organization and nothing
// more: no administrator, no other organization, no pool export.
TEST_P(OrgTransferTest, ACraftedFileMakesNoAdministrator) {
  const std::string source = "sqlite:" + dir.path() + "/source.db";
  const std::string file = dir.path() + "/acme.cxm-org";
  {
    ServerProcess server(source);
    Client lead(server);
    ASSERT_EQ(lead.setup("lead@example.org", "correct horse battery"), 201);
    ASSERT_EQ(lead.send("POST", "/api/orgs", json{{"name", "Acme"}}.dump()).status, 201);
  }
  ASSERT_EQ(run_cxm({"export", "--db", source, "--org", "Acme", file}).exit_status, 0);
  execute_on_file(
      file,
      "INSERT INTO users (id, email, name, password_hash, is_admin, created_at) VALUES "
      "('m', 'mallory@example.org', 'Mallory', '', 1, 1), "
      "('s', 'stray@example.org', 'Stray', '', 1, 1);"
      "INSERT INTO memberships (user_id, org_id, role) SELECT 'm', id, 'owner' FROM organizations");

  const std::string target = target_database();
  ServerProcess server(target);
  Client boss(server);
  ASSERT_EQ(boss.setup("boss@example.org", "another long password"), 201);
  ASSERT_EQ(boss.send("POST", "/api/orgs", json{{"name", "Initech"}}.dump()).status, 201);
  const auto imported = run_cxm({"import-org", "--db", target, file});
  ASSERT_EQ(imported.exit_status, 0) << imported.err;
  EXPECT_NE(imported.out.find("administrator rights not imported for 1 users: mallory@example.org"),
            std::string::npos)
      << imported.out;
  EXPECT_NE(
      imported.out.find("skipped 1 users that no row of the organization names: stray@example.org"),
      std::string::npos)
      << imported.out;

  ASSERT_EQ(run_cxm({"user", "reset-password", "--db", target, "--email", "mallory@example.org"},
                    "a new long password\n")
                .exit_status,
            0);
  Client mallory(server);
  ASSERT_EQ(mallory.login("mallory@example.org", "a new long password"), 200);
  EXPECT_EQ(body_of(mallory.get("/api/session"))["user"]["is_admin"], false);
  const json hers = body_of(mallory.get("/api/orgs"));
  ASSERT_EQ(hers["organizations"].size(), 1u);
  EXPECT_EQ(hers["organizations"][0]["name"], "Acme");
  EXPECT_EQ(mallory.get("/api/benchmarks/export.csv").status, 403);
  // The stray user was not created: there is no account to set a password on.
  EXPECT_EQ(run_cxm({"user", "reset-password", "--db", target, "--email", "stray@example.org"},
                    "a new long password\n")
                .exit_status,
            2);
}

// Three organizations with three closed cycles each (the demo's synthetic
// answers, relabelled as real for the test: demo data never leaves) and
// one demo organization; each exported once, as its latest cycle's
// published result, under a pseudonym; the dataset imports elsewhere and
// compares.
TEST(BenchmarkExport, OneRowPerOrganizationRoundTripsAsCsvAndJson) {
  TempDir dir;
  const std::string path = dir.path() + "/source.db";
  const std::string source = "sqlite:" + path;
  for (int i = 0; i < 3; ++i) {
    ASSERT_EQ(run_cxm({"demo", "--db", source}).exit_status, 0);
    execute_on_file(path, "UPDATE organizations SET demo = 0, name = 'Client " + std::to_string(i) +
                              "' WHERE demo = 1");
  }
  ASSERT_EQ(run_cxm({"demo", "--db", source}).exit_status, 0);  // stays home

  // What each organization's latest cycle publishes.
  std::vector<double> published;
  std::string scored;
  {
    ServerProcess server(source);
    Client lead(server);
    ASSERT_EQ(lead.setup("lead@example.org", "correct horse battery"), 201);
    for (int i = 0; i < 3; ++i) {
      const std::string org = org_named(lead, "Client " + std::to_string(i));
      const json cycles = body_of(lead.get("/api/orgs/" + org + "/cycles"));
      ASSERT_EQ(cycles["cycles"].size(), 3u);
      std::string latest = cycles["cycles"][0]["id"];
      for (const auto& c : cycles["cycles"]) {
        if (c["name"] == "One-year review (demo)") latest = c["id"];
      }
      const auto report = lead.get("/api/cycles/" + latest + "/report");
      published.push_back(body_of(report)["overall_score"].get<double>());
      scored = report.body;
    }
  }

  const auto csv = run_cxm({"benchmark", "export", "--db", source, dir.path() + "/peers.csv"});
  ASSERT_EQ(csv.exit_status, 0) << csv.err;
  const auto as_json =
      run_cxm({"benchmark", "export", "--db", source, "--name", "Our clients", "--source",
               "Example Consulting", "--licence", "internal use", dir.path() + "/peers.json"});
  ASSERT_EQ(as_json.exit_status, 0) << as_json.err;
  const std::string csv_text = read_text(dir.path() + "/peers.csv");
  EXPECT_EQ(csv_text.find("Client"), std::string::npos);  // pseudonyms only
  EXPECT_EQ(csv_text.find("Northwind"), std::string::npos);
  const json dataset = json::parse(read_text(dir.path() + "/peers.json"));
  EXPECT_EQ(dataset["metadata"]["name"], "Our clients");
  ASSERT_EQ(dataset["rows"].size(), 3u);
  std::vector<double> exported;
  for (const auto& row : dataset["rows"]) {
    EXPECT_EQ(row["organization"].get<std::string>().rfind("client-", 0), 0u);
    EXPECT_EQ(row["industry"], "Retail");
    EXPECT_EQ(row["stage"], 3);
    exported.push_back(row["overall"].get<double>());
  }
  std::sort(published.begin(), published.end());
  std::sort(exported.begin(), exported.end());
  EXPECT_EQ(exported, published);
  // The API's export gives the same rows (only the pseudonyms, new at
  // every export, differ): one export behind both (results/peer_export.h).
  {
    auto without_pseudonyms = [](const std::string& csv) {
      std::vector<std::string> rows;
      std::istringstream in(csv);
      for (std::string line; std::getline(in, line);) rows.push_back(line.substr(line.find(',')));
      std::sort(rows.begin(), rows.end());
      return rows;
    };
    ServerProcess server(source);
    Client lead(server);
    ASSERT_EQ(lead.login("lead@example.org", "correct horse battery"), 200);
    const auto exported = lead.get("/api/benchmarks/export.csv");
    ASSERT_EQ(exported.status, 200) << exported.body;
    EXPECT_EQ(without_pseudonyms(exported.body), without_pseudonyms(csv_text));
    EXPECT_EQ(without_pseudonyms(exported.body).size(),
              4u);  // the header and one row per organization
    const auto later = lead.get("/api/benchmarks/export.csv?since=2999-01-01");
    EXPECT_EQ(without_pseudonyms(later.body).size(), 1u);
  }
  // Nothing overwritten; only .csv or .json.
  EXPECT_EQ(run_cxm({"benchmark", "export", "--db", source, dir.path() + "/peers.csv"}).exit_status,
            2);
  EXPECT_EQ(run_cxm({"benchmark", "export", "--db", source, dir.path() + "/peers.txt"}).exit_status,
            2);
  // A later --since than every closing leaves no row.
  ASSERT_EQ(run_cxm({"benchmark", "export", "--db", source, "--since", "2999-01-01",
                     dir.path() + "/none.json"})
                .exit_status,
            0);
  EXPECT_EQ(json::parse(read_text(dir.path() + "/none.json"))["rows"].size(), 0u);

  // Into another instance, in both forms; the JSON's metadata is its provenance.
  const std::string target = "sqlite:" + dir.path() + "/target.db";
  const auto from_csv =
      run_cxm({"benchmark", "import", "--db", target, "--name", "Clients (CSV)", "--source",
               "Example Consulting", "--licence", "internal use", dir.path() + "/peers.csv"});
  ASSERT_EQ(from_csv.exit_status, 0) << from_csv.err;
  const auto from_json =
      run_cxm({"benchmark", "import", "--db", target, dir.path() + "/peers.json"});
  ASSERT_EQ(from_json.exit_status, 0) << from_json.err;
  EXPECT_NE(from_json.out.find("imported 3 assessments"), std::string::npos) << from_json.out;
  {
    ServerProcess server(target);
    Client boss(server);
    ASSERT_EQ(boss.setup("boss@example.org", "another long password"), 201);
    const json datasets = body_of(boss.get("/api/benchmarks"));
    ASSERT_EQ(datasets["datasets"].size(), 2u);
    EXPECT_EQ(datasets["datasets"][0]["name"], "Our clients");
    EXPECT_EQ(datasets["datasets"][0]["source"], "Example Consulting");
    EXPECT_EQ(datasets["datasets"][0]["assessments"], 3);
  }
  // And it compares: fewer than 5 peers, so no figure, and the answer says so.
  const std::string scored_file = dir.write("scored.json", scored);
  const auto compared =
      run_cxm({"benchmark", "--dataset", dir.path() + "/peers.json", "--json", scored_file});
  ASSERT_EQ(compared.exit_status, 0) << compared.err;
  const json comparison = json::parse(compared.out);
  EXPECT_EQ(comparison["dataset"]["name"], "Our clients");
  EXPECT_EQ(comparison["peers"], 3);
  EXPECT_TRUE(comparison["overall"]["percentile"].is_null());
  EXPECT_EQ(comparison["overall"]["missing"], 2);
}

INSTANTIATE_TEST_SUITE_P(Databases, OrgTransferTest, ::testing::Values("sqlite", "postgresql"),
                         [](const auto& info) { return info.param; });

}  // namespace
}  // namespace cxm::testing
