// Files that would grant rights (SPEC section 8, "Insiders"): an
// organization export or a backup edited by hand to make an administrator,
// to change a user who is already there, or to reach another
// organization. Each crafted file is imported or restored into a database
// of either kind; no administrator results, nothing outside the file's own
// organization changes, and the summary says what was left out.
#include <gtest/gtest.h>
#include <sqlite3.h>

#include "../../tests/postgres_cluster.h"
#include "../../tests/run_process.h"
#include "store/store.h"

namespace cxm::store {
namespace {

using cxm::testing::TempDir;

// Runs `sql` on a SQLite file, as someone editing an export by hand would.
void edit_file(const std::string& path, const std::string& sql) {
  sqlite3* db = nullptr;
  ASSERT_EQ(sqlite3_open(path.c_str(), &db), SQLITE_OK);
  char* message = nullptr;
  EXPECT_EQ(sqlite3_exec(db, sql.c_str(), nullptr, nullptr, &message), SQLITE_OK)
      << (message ? message : "") << "\n"
      << sql;
  sqlite3_free(message);
  sqlite3_close(db);
}

std::function<std::string()> counter_ids() {
  auto n = std::make_shared<int>(0);
  return [n] { return "new" + std::to_string(++*n); };
}

bool same_user(const User& a, const User& b) {
  return a.id == b.id && a.email == b.email && a.name == b.name &&
         a.password_hash == b.password_hash && a.is_admin == b.is_admin &&
         a.created_at == b.created_at;
}

class InsiderFiles : public ::testing::TestWithParam<const char*> {
 protected:
  TempDir dir;
  // Where Northwind comes from: Fay facilitates it.
  std::unique_ptr<Store> source =
      Store::open(DatabaseUrl{DatabaseUrl::Kind::sqlite, dir.path() + "/source.db"});
  // Where it goes: Boss administers the instance and owns Initech; a Fay
  // with the same address is there already, an ordinary user.
  std::unique_ptr<Store> target;
  const User boss{"boss", "boss@example.org", "Boss", "boss-hash", true, 3};
  const User fay_here{"fay-here", "fay@example.org", "Fay Here", "fay-hash", false, 5};

  void SetUp() override {
    source->create_user(User{"fay-there", "fay@example.org", "Fay There", "h", false, 1});
    source->create_user(User{"nobody", "nobody@example.org", "No One", "h", true, 1});
    source->create_organization(Organization{"o1", "Northwind", "Retail", "", {}, false, 1},
                                Membership{"fay-there", "o1", OrgRole::facilitator});
    std::string error;
    const auto url = parse_database_url(cxm::testing::test_database(GetParam(), dir.path()), error);
    ASSERT_TRUE(url) << error;
    target = Store::open(*url);
    ASSERT_TRUE(target->create_first_admin(boss));
    ASSERT_TRUE(target->create_user(fay_here));
    target->create_organization(Organization{"initech", "Initech", "", "", {}, false, 1},
                                Membership{"boss", "initech", OrgRole::owner});
  }

  // A new export of Northwind, to edit.
  std::string exported(const std::string& name) {
    const std::string path = dir.path() + "/" + name + ".cxm-org";
    source->export_organization("o1", path, 10);
    return path;
  }

  // Nothing outside the imported organization changed: the same two users,
  // Initech with Boss alone.
  void expect_instance_untouched() {
    EXPECT_TRUE(same_user(*target->find_user("boss"), boss));
    EXPECT_TRUE(same_user(*target->find_user("fay-here"), fay_here));
    EXPECT_EQ(target->membership_role("boss", "initech"), OrgRole::owner);
    EXPECT_FALSE(target->membership_role("fay-here", "initech"));
  }
};

// Every row a hand-edited export could use to make an administrator:
// a new user marked as one, Fay (already here, not one) marked as one, the
// administrator's own address in other letters marked as one, and a user
// no row of the organization names. None becomes an administrator, no
// user already here changes, the stray user is not created, and the
// summary names them.
TEST_P(InsiderFiles, ACraftedExportMakesNoAdministrator) {
  const std::string file = exported("crafted");
  edit_file(file,
            "INSERT INTO users (id, email, name, password_hash, is_admin, created_at) VALUES "
            "('mallory', 'mallory@example.org', 'Mallory', 'known-hash', 1, 1);"
            "INSERT INTO memberships (user_id, org_id, role) VALUES ('mallory', 'o1', 'owner');"
            "UPDATE users SET is_admin = 1, name = 'Fay Changed', created_at = 99, password_hash = "
            "'known-hash' WHERE id = 'fay-there';"
            "INSERT INTO users (id, email, name, password_hash, is_admin, created_at) VALUES "
            "('boss-again', 'Boss@Example.org', 'Evil Boss', 'known-hash', 1, 1);"
            "INSERT INTO memberships (user_id, org_id, role) VALUES ('boss-again', 'o1', 'owner');"
            "INSERT INTO users (id, email, name, password_hash, is_admin, created_at) VALUES "
            "('stray', 'stray@example.org', 'Stray', 'known-hash', 1, 1);");
  ASSERT_EQ(target->user_count(), 2u);

  const auto summary = target->import_organization(file, counter_ids());

  EXPECT_EQ(
      summary.admin_rights_not_imported,
      (std::vector<std::string>{"Boss@Example.org", "fay@example.org", "mallory@example.org"}));
  EXPECT_EQ(summary.users_skipped, std::vector<std::string>{"stray@example.org"});
  EXPECT_EQ(summary.users_matched, 2u);  // Fay, and Boss by the address in other letters
  EXPECT_EQ(summary.users_created, 1u);  // Mallory
  // Boss and Fay exactly as before; Mallory new, no administrator, no
  // password; the stray user nowhere: three users, one administrator.
  expect_instance_untouched();
  const auto mallory = target->find_user_by_email("mallory@example.org");
  ASSERT_TRUE(mallory);
  EXPECT_FALSE(mallory->is_admin);
  EXPECT_EQ(mallory->password_hash, "");
  EXPECT_FALSE(target->find_user_by_email("stray@example.org"));
  EXPECT_FALSE(target->find_user_by_email("Boss@Example.org"));
  EXPECT_EQ(target->user_count(), 3u);
  // Within the imported organization the file's roles hold: that is its data.
  EXPECT_EQ(target->membership_role(mallory->id, summary.org_id), OrgRole::owner);
  EXPECT_EQ(target->membership_role("fay-here", summary.org_id), OrgRole::facilitator);
  EXPECT_EQ(target->membership_role("boss", summary.org_id), OrgRole::owner);
  EXPECT_EQ(target->organizations_for(*mallory).size(), 1u);
}

// A membership in another organization (here Initech, by its id on the
// target) is refused with the whole file: nothing is imported.
TEST_P(InsiderFiles, AMembershipOfAnotherOrganizationRefusesTheFile) {
  const std::string file = exported("other-org");
  edit_file(file,
            "INSERT INTO memberships (user_id, org_id, role) VALUES ('fay-there', 'initech', "
            "'owner')");
  try {
    target->import_organization(file, counter_ids());
    FAIL() << "imported";
  } catch (const StoreError& e) {
    EXPECT_NE(std::string(e.what()).find("inconsistent"), std::string::npos) << e.what();
  }
  expect_instance_untouched();
  EXPECT_EQ(target->user_count(), 2u);
  EXPECT_EQ(target->organizations_for(boss).size(), 1u);
}

// Rows that name a user of the target by id, whom the file does not hold
// (a membership, an audit entry's author), are refused: the file would
// attach that user without knowing who it is.
TEST_P(InsiderFiles, ARowNamingAUserTheFileDoesNotHoldRefusesTheFile) {
  for (const std::string edit :
       {"INSERT INTO memberships (user_id, org_id, role) VALUES ('fay-here', 'o1', 'viewer')",
        "INSERT INTO audit_log (at, actor, org_id, action, detail) VALUES (1, 'boss', 'o1', "
        "'orgs.update', '')"}) {
    SCOPED_TRACE(edit);
    const std::string file = exported("stranger" + std::to_string(edit.size()));
    edit_file(file, edit);
    try {
      target->import_organization(file, counter_ids());
      FAIL() << "imported";
    } catch (const StoreError& e) {
      EXPECT_NE(std::string(e.what()).find("inconsistent"), std::string::npos) << e.what();
    }
    expect_instance_untouched();
    EXPECT_EQ(target->organizations_for(boss).size(), 1u);
  }
}

// A file never enters peers into the instance's benchmark pool: its
// assessments could be made up (imported rows marked as answered in person,
// one-person cycles), and the pool would count them as independent peers.
// Demo data, too, never joins it.
TEST_P(InsiderFiles, AFileNeverJoinsThePool) {
  for (const char* demo : {"0", "1"}) {
    const std::string file = exported(std::string("pool") + demo);
    edit_file(file, std::string("UPDATE organizations SET demo = ") + demo + ", name = 'Pool " +
                        demo +
                        "';"
                        "INSERT INTO benchmark_pool (org_id, joined_at) VALUES ('o1', 1)");
    const auto summary = target->import_organization(file, counter_ids());
    EXPECT_TRUE(summary.pool_membership_skipped) << demo;
    EXPECT_FALSE(target->benchmark_pool_joined_at(summary.org_id)) << demo;
  }
  expect_instance_untouched();
}

// Branding is data: the consultant, the confidentiality line and the logo
// move with the organization and come back from a backup.
TEST_P(InsiderFiles, BrandingMovesWithTheOrganizationAndItsBackup) {
  Organization northwind = *source->find_organization("o1");
  northwind.consultant = "Acme Consulting";
  northwind.confidentiality = "Confidential — prepared for Northwind";
  ASSERT_FALSE(source->update_organization(northwind));
  const std::string logo_bytes("\x89PNG\r\n\x1a\n\0\xff binary", 18);
  source->set_organization_logo("o1", OrgLogo{logo_bytes, "image/png", 42});
  auto expect_branded = [&](Store& store, const std::string& id) {
    const auto org = store.find_organization(id);
    ASSERT_TRUE(org);
    EXPECT_EQ(org->consultant, "Acme Consulting");
    EXPECT_EQ(org->confidentiality, "Confidential — prepared for Northwind");
    EXPECT_EQ(org->logo_type, "image/png");
    const auto logo = store.organization_logo(id);
    ASSERT_TRUE(logo);
    EXPECT_EQ(logo->bytes, logo_bytes);
    EXPECT_EQ(logo->type, "image/png");
    EXPECT_EQ(logo->updated_at, 42);
  };
  expect_branded(*source, "o1");

  const auto summary = target->import_organization(exported("branded"), counter_ids());
  expect_branded(*target, summary.org_id);

  const std::string file = dir.path() + "/branded.cxm";
  source->backup(file);
  TempDir empty_dir;
  std::string error;
  const auto url =
      parse_database_url(cxm::testing::test_database(GetParam(), empty_dir.path()), error);
  ASSERT_TRUE(url) << error;
  auto restored = Store::open(*url);
  restored->restore(file);
  expect_branded(*restored, "o1");

  source->set_organization_logo("o1", std::nullopt);
  EXPECT_FALSE(source->organization_logo("o1"));
  EXPECT_EQ(source->find_organization("o1")->logo_type, "");
}

// A whole-instance backup restores with no administrator and no log-in
// session, whatever it holds: the summary names who was one in the file
// (for an operator to grant again), and granting ends their sessions.
TEST_P(InsiderFiles, ARestoredBackupHasNoAdministratorUntilAnOperatorGrantsOne) {
  source->create_session("fay-token-hash", LoginSession{"fay-there", "csrf", 1000000, 1});
  const std::string file = dir.path() + "/backup.cxm";
  source->backup(file);
  // Crafted: Fay made an administrator, with a session whose token the
  // file's author holds.
  edit_file(file,
            "UPDATE users SET is_admin = 1 WHERE id = 'fay-there';"
            "INSERT INTO login_sessions (token_hash, user_id, csrf_token, created_at, expires_at) "
            "VALUES ('known-token-hash', 'fay-there', 'c', 1, 1000000)");
  TempDir empty_dir;
  std::string error;
  const auto url =
      parse_database_url(cxm::testing::test_database(GetParam(), empty_dir.path()), error);
  ASSERT_TRUE(url) << error;
  auto restored = Store::open(*url);

  const auto summary = restored->restore(file);

  EXPECT_EQ(summary.admin_rights_not_restored,
            (std::vector<std::string>{"fay@example.org", "nobody@example.org"}));
  EXPECT_EQ(summary.sessions_not_restored, 2u);
  EXPECT_FALSE(restored->find_user("fay-there")->is_admin);
  EXPECT_FALSE(restored->find_user("nobody")->is_admin);
  EXPECT_EQ(restored->user_count(), 2u);
  EXPECT_FALSE(restored->find_session("known-token-hash", 2));
  EXPECT_FALSE(restored->find_session("fay-token-hash", 2));
  // The rest is data, restored as it was.
  EXPECT_EQ(restored->find_user("fay-there")->password_hash, "h");
  EXPECT_EQ(restored->membership_role("fay-there", "o1"), OrgRole::facilitator);

  // The operator grants the rights again; sessions made before end.
  restored->create_session("later", LoginSession{"nobody", "csrf", 1000000, 1});
  restored->set_admin("nobody", true);
  EXPECT_TRUE(restored->find_user("nobody")->is_admin);
  EXPECT_FALSE(restored->find_session("later", 2));
  restored->set_admin("nobody", false);
  EXPECT_FALSE(restored->find_user("nobody")->is_admin);
}

INSTANTIATE_TEST_SUITE_P(Databases, InsiderFiles, ::testing::Values("sqlite", "postgresql"),
                         [](const auto& info) { return std::string(info.param); });

}  // namespace
}  // namespace cxm::store
