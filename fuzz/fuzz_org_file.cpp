// libFuzzer target: an organization file (cxm import-org) as an insider
// could craft it, imported into a database that holds another
// organization and its administrator. The input is either the file itself
// (when it starts with SQLite's header) or SQL run on a fresh export of a
// small organization, as someone editing the file by hand would. The
// import either succeeds or refuses with a StoreError; never a crash, never
// another exception, and whatever it did, the instance's administrator is
// still the only one, Boss and Initech are as they were, and a refused
// import wrote nothing.
//
// Reading the file is SQL all the way (SQLite parses it; the checks of
// org_transfer.cpp are queries), so there is no pure parser to split off:
// the target drives Store::import_organization itself, on SQLite files in
// a private temporary directory.
#include <sqlite3.h>
#include <unistd.h>

#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>

#include "store/store.h"

namespace {

using namespace cxm::store;
namespace fs = std::filesystem;

std::string read_bytes(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  std::stringstream text;
  text << in.rdbuf();
  return text.str();
}

void write_bytes(const std::string& path, const std::string& bytes) {
  for (const char* suffix : {"", "-wal", "-shm", "-journal"}) fs::remove(path + suffix);
  std::ofstream out(path, std::ios::binary);
  out.write(bytes.data(), static_cast<std::streamsize>(bytes.size()));
  if (!out) std::abort();
}

const User kBoss{"boss", "boss@example.org", "Boss", "boss-hash", true, 3};
const User kFayHere{"fay-here", "fay@example.org", "Fay Here", "fay-hash", false, 5};

// Only what stays inside the file: no other database attached, no file
// written elsewhere (VACUUM INTO), no extension.
int only_the_file(void*, int action, const char*, const char*, const char*, const char*) {
  return action == SQLITE_ATTACH || action == SQLITE_DETACH ? SQLITE_DENY : SQLITE_OK;
}

// Ends a statement that runs too long (a recursive query without end).
int enough(void* steps) { return ++*static_cast<int*>(steps) > 2000; }

struct Setup {
  std::string dir;
  std::string export_bytes, target_bytes;

  Setup() {
    // In memory where there is a tmpfs: SQLite syncs every commit.
    std::string pattern = fs::is_directory("/dev/shm") ? "/dev/shm" : fs::temp_directory_path();
    pattern += "/cxm-fuzz-org-XXXXXX";
    if (!mkdtemp(pattern.data())) std::abort();
    dir = pattern;
    {
      auto source = Store::open(DatabaseUrl{DatabaseUrl::Kind::sqlite, dir + "/source.db"});
      source->create_user(User{"fay-there", "fay@example.org", "Fay There", "h", false, 1});
      source->create_user(User{"nobody", "nobody@example.org", "No One", "h", true, 1});
      source->create_organization(
          Organization{"o1", "Northwind", "Retail", "", {"Sales"}, false, 1},
          Membership{"fay-there", "o1", OrgRole::facilitator});
      source->export_organization("o1", dir + "/export.db", 10);
    }
    export_bytes = read_bytes(dir + "/export.db");
    {
      auto target = Store::open(DatabaseUrl{DatabaseUrl::Kind::sqlite, dir + "/target.db"});
      if (!target->create_first_admin(kBoss) || !target->create_user(kFayHere)) std::abort();
      target->create_organization(Organization{"initech", "Initech", "", "", {}, false, 1},
                                  Membership{"boss", "initech", OrgRole::owner});
    }
    target_bytes = read_bytes(dir + "/target.db");
    if (export_bytes.empty() || target_bytes.empty()) std::abort();
  }
  ~Setup() {
    std::error_code ignored;
    fs::remove_all(dir, ignored);
  }
};

bool same_user(const std::optional<User>& a, const User& b) {
  return a && a->id == b.id && a->email == b.email && a->name == b.name &&
         a->password_hash == b.password_hash && a->is_admin == b.is_admin &&
         a->created_at == b.created_at;
}

long long count(const std::string& path, const char* query) {
  sqlite3* db = nullptr;
  if (sqlite3_open_v2(path.c_str(), &db, SQLITE_OPEN_READONLY, nullptr) != SQLITE_OK) std::abort();
  sqlite3_stmt* statement = nullptr;
  if (sqlite3_prepare_v2(db, query, -1, &statement, nullptr) != SQLITE_OK ||
      sqlite3_step(statement) != SQLITE_ROW) {
    std::abort();
  }
  const long long n = sqlite3_column_int64(statement, 0);
  sqlite3_finalize(statement);
  sqlite3_close(db);
  return n;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  static const Setup setup;
  const std::string input(reinterpret_cast<const char*>(data), size);
  const std::string file = setup.dir + "/crafted.cxm-org";
  const std::string target_path = setup.dir + "/target.db";

  if (input.rfind("SQLite format 3", 0) == 0) {
    write_bytes(file, input);
  } else {
    write_bytes(file, setup.export_bytes);
    sqlite3* db = nullptr;
    if (sqlite3_open(file.c_str(), &db) != SQLITE_OK) std::abort();
    int steps = 0;
    sqlite3_set_authorizer(db, only_the_file, nullptr);
    sqlite3_progress_handler(db, 1000, enough, &steps);
    sqlite3_limit(db, SQLITE_LIMIT_ATTACHED, 0);
    // VACUUM INTO writes a file where the SQL says.
    std::string lower = input;
    for (auto& c : lower) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    if (lower.find("vacuum") == std::string::npos)
      sqlite3_exec(db, input.c_str(), nullptr, nullptr, nullptr);  // as far as it goes
    sqlite3_close(db);
  }

  write_bytes(target_path, setup.target_bytes);
  bool imported = false;
  {
    // One reading session: each opened reads the whole schema.
    auto target = Store::open(DatabaseUrl{DatabaseUrl::Kind::sqlite, target_path}, StoreOptions{1});
    std::size_t users_before = target->user_count();
    try {
      int n = 0;
      const auto summary =
          target->import_organization(file, [&n] { return "new" + std::to_string(++n); });
      imported = true;
      if (target->user_count() != users_before + summary.users_created) std::abort();
    } catch (const StoreError&) {
      if (target->user_count() != users_before) std::abort();
    }
    if (!same_user(target->find_user("boss"), kBoss) ||
        !same_user(target->find_user("fay-here"), kFayHere) ||
        target->membership_role("boss", "initech") != OrgRole::owner ||
        target->membership_role("fay-here", "initech")) {
      std::abort();
    }
  }
  if (count(target_path, "SELECT COUNT(*) FROM users WHERE is_admin <> 0") != 1) std::abort();
  const long long orgs = count(target_path, "SELECT COUNT(*) FROM organizations");
  if (orgs != (imported ? 2 : 1)) std::abort();
  return 0;
}
