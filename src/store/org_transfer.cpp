// Moving one organization between instances (cxm export / cxm import-org):
// the portable format of backup.cpp — a SQLite file with this build's
// schema — holding only that organization's rows, marked by an org_export
// table so that it is never mistaken for a backup. Export reads one
// consistent snapshot; import writes everything in one transaction with
// new ids for the organization, its cycles, links and actions (nothing
// collides with rows already there), and maps users by e-mail address.
//
// Every table of the schema is either the organization's (kOrgTables: how
// its rows are found and which columns hold ids) or the instance's
// (kInstanceTables). A table that is neither stops the export: a table
// added by a later migration must be classified here before organizations
// can move, or they would move without it.
#include <algorithm>
#include <filesystem>
#include <map>
#include <set>

#include "store/store_impl.h"

namespace cxm::store {
namespace {

enum class IdKind { org, user, cycle, participant, action, survey_import, workshop };

struct OrgTable {
  const char* name;
  // Selects the organization's rows; binds :org once.
  const char* where;
  // Columns holding ids; a table's own key comes first when it has one
  // (`has_key`), and gets a new id on import.
  std::vector<std::pair<const char*, IdKind>> ids;
  bool has_key = false;
};

// In an order where every table comes after those it refers to. Users are
// copied apart (those the organization's rows name, without passwords).
const std::vector<OrgTable> kOrgTables = {
    {"organizations", "id = :org", {{"id", IdKind::org}}, true},
    {"units", "org_id = :org", {{"org_id", IdKind::org}}},
    {"memberships", "org_id = :org", {{"user_id", IdKind::user}, {"org_id", IdKind::org}}},
    {"cycles", "org_id = :org", {{"id", IdKind::cycle}, {"org_id", IdKind::org}}, true},
    {"participants",
     "cycle_id IN (SELECT id FROM cycles WHERE org_id = :org)",
     {{"id", IdKind::participant},
      {"cycle_id", IdKind::cycle},
      {"import_id", IdKind::survey_import},
      {"workshop_id", IdKind::workshop}},
     true},
    {"answers",
     "participant_id IN (SELECT p.id FROM participants p JOIN cycles c ON c.id = p.cycle_id WHERE "
     "c.org_id = :org)",
     {{"participant_id", IdKind::participant}}},
    {"audit_log", "org_id = :org", {{"org_id", IdKind::org}, {"actor", IdKind::user}}},
    {"actions",
     "org_id = :org",
     {{"id", IdKind::action}, {"org_id", IdKind::org}, {"cycle_id", IdKind::cycle}},
     true},
    {"action_status_changes",
     "action_id IN (SELECT id FROM actions WHERE org_id = :org)",
     {{"action_id", IdKind::action}, {"user_id", IdKind::user}}},
    {"benchmark_pool", "org_id = :org", {{"org_id", IdKind::org}}},
    {"discussion_notes",
     "cycle_id IN (SELECT id FROM cycles WHERE org_id = :org)",
     {{"cycle_id", IdKind::cycle}, {"updated_by", IdKind::user}}},
    // Tables of later migrations; a table this schema does not have yet is
    // skipped (each branch that adds one classifies it here).
    {"competency_targets", "org_id = :org", {{"org_id", IdKind::org}}},
    {"out_of_scope_items", "org_id = :org", {{"org_id", IdKind::org}}},
    {"imports",
     "cycle_id IN (SELECT id FROM cycles WHERE org_id = :org)",
     {{"id", IdKind::survey_import}, {"cycle_id", IdKind::cycle}, {"imported_by", IdKind::user}},
     true},
    // Live workshops: the workshop, its frozen reveals, second-round answers.
    {"workshops",
     "cycle_id IN (SELECT id FROM cycles WHERE org_id = :org)",
     {{"id", IdKind::workshop}, {"cycle_id", IdKind::cycle}, {"created_by", IdKind::user}},
     true},
    {"workshop_reveals",
     "workshop_id IN (SELECT w.id FROM workshops w JOIN cycles c ON c.id = w.cycle_id WHERE "
     "c.org_id = :org)",
     {{"workshop_id", IdKind::workshop}}},
    {"round_answers",
     "participant_id IN (SELECT p.id FROM participants p JOIN cycles c ON c.id = p.cycle_id WHERE "
     "c.org_id = :org)",
     {{"participant_id", IdKind::participant}}},
};

// The users an organization's rows name: members, and who changed an
// action, wrote a note or an audit entry.
// Each with the table it reads (skipped where the schema lacks it).
const std::pair<const char*, const char*> kUserQueries[] = {
    {"memberships", "SELECT user_id FROM memberships WHERE org_id = :org"},
    {"audit_log", "SELECT actor FROM audit_log WHERE org_id = :org"},
    {"action_status_changes",
     "SELECT s.user_id FROM action_status_changes s JOIN actions a ON a.id = s.action_id WHERE "
     "a.org_id = :org"},
    {"discussion_notes",
     "SELECT n.updated_by FROM discussion_notes n JOIN cycles c ON c.id = n.cycle_id WHERE "
     "c.org_id = :org"},
    {"imports",
     "SELECT i.imported_by FROM imports i JOIN cycles c ON c.id = i.cycle_id WHERE c.org_id = "
     ":org"},
    {"workshops",
     "SELECT w.created_by FROM workshops w JOIN cycles c ON c.id = w.cycle_id WHERE c.org_id = "
     ":org"},
};

// Not moved: the instance's own (log-in sessions, benchmark datasets) and
// what is not data (see backup.cpp).
const std::set<std::string> kInstanceTables = {"schema_migrations",      "changes",
                                               "health_probe",           "login_throttle",
                                               "login_sessions",         "benchmark_datasets",
                                               "benchmark_dataset_rows", "org_export"};

constexpr const char* kMarker =
    "CREATE TABLE org_export (org_id TEXT NOT NULL, org_name TEXT NOT NULL, exported_at BIGINT NOT "
    "NULL)";

std::vector<std::string> file_tables(soci::session& file) {
  std::vector<std::string> tables;
  soci::rowset<std::string> names =
      (file.prepare << "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE "
                       "'sqlite_%' ORDER BY rowid");
  for (const auto& name : names) tables.push_back(name);
  return tables;
}

// Refuses a schema with a table this file does not know how to move.
void check_every_table_is_classified(soci::session& file) {
  std::set<std::string> known(kInstanceTables);
  known.insert("users");
  for (const auto& t : kOrgTables) known.insert(t.name);
  for (const auto& name : file_tables(file)) {
    if (!known.contains(name)) {
      throw StoreError("the table " + name +
                       " is not known to the organization export of this build; "
                       "use cxm backup for the whole database");
    }
  }
}

std::unique_ptr<soci::session> open_file(const std::string& path) {
  auto file = connect(DatabaseUrl{DatabaseUrl::Kind::sqlite, path}, StoreOptions{});
  try {
    migrate(*file);  // an older export is brought up to this build's schema
  } catch (const soci::soci_error& e) {
    throw StoreError("cannot read the file " + path + ": " + Store::Impl::failure(e).what());
  }
  return file;
}

std::string normalized_name(std::string name) {
  const auto first = name.find_first_not_of(" \t");
  const auto last = name.find_last_not_of(" \t");
  name = first == std::string::npos ? std::string() : name.substr(first, last - first + 1);
  for (auto& c : name) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return name;
}

// Ids of the file mapped to ids of the database imported into.
struct IdMaps {
  std::map<std::string, std::string> of[7];
  std::map<std::string, std::string>& operator[](IdKind kind) { return of[static_cast<int>(kind)]; }
};

}  // namespace

OrgTransferSummary Store::export_organization(const std::string& org_id, const std::string& path,
                                              std::int64_t now) {
  if (std::filesystem::exists(path))
    throw StoreError("the file " + path + " exists already; choose a new name");
  OrgTransferSummary summary;
  try {
    auto file = open_file(path);
    check_every_table_is_classified(*file);
    impl_->read([&](soci::session& sql) {
      summary = OrgTransferSummary{};  // run again on a new connection after a lost one
      sql << (impl_->postgresql() ? "BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY" : "BEGIN");
      try {
        soci::indicator found = soci::i_null;
        sql << "SELECT name FROM organizations WHERE id = :org", soci::use(org_id),
            soci::into(summary.org_name, found);
        if (found != soci::i_ok) throw StoreError("no organization with the id " + org_id);
        summary.org_id = org_id;
        soci::transaction writing(*file);
        const auto tables = file_tables(*file);
        const std::set<std::string> present(tables.begin(), tables.end());
        std::set<std::string> users;
        for (const auto& [table, query] : kUserQueries) {
          if (!present.contains(table)) continue;
          soci::rowset<std::string> ids = (sql.prepare << query, soci::use(org_id, "org"));
          for (const auto& id : ids) users.insert(id);
        }
        const auto user_columns = columns_of(*file, "users");
        for (const auto& id : users) {
          const auto copied =
              copy_rows(sql, *file, "users", user_columns, "id = :org", id, nullptr);
          summary.users += copied;
          summary.rows += copied;
        }
        // Passwords stay on the instance they were set on, and so do
        // administrator rights.
        *file << "UPDATE users SET password_hash = '', is_admin = 0";
        for (const auto& t : kOrgTables) {
          if (!present.contains(t.name)) continue;
          summary.rows +=
              copy_rows(sql, *file, t.name, columns_of(*file, t.name), t.where, org_id, nullptr);
        }
        *file << kMarker;
        *file << "INSERT INTO org_export (org_id, org_name, exported_at) VALUES (:id, :name, :at)",
            soci::use(org_id), soci::use(summary.org_name), soci::use(static_cast<long long>(now));
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
  } catch (...) {
    std::error_code ignored;
    std::filesystem::remove(path, ignored);
    for (const char* suffix : {"-wal", "-shm"}) std::filesystem::remove(path + suffix, ignored);
    throw;
  }
  return summary;
}

OrgTransferSummary Store::import_organization(const std::string& path,
                                              const std::function<std::string()>& new_id) {
  if (!std::filesystem::exists(path)) throw StoreError("no file at " + path);
  auto file = open_file(path);
  long long marked = 0;
  *file << "SELECT COUNT(*) FROM sqlite_master WHERE type = 'table' AND name = 'org_export'",
      soci::into(marked);
  if (marked == 0)
    throw StoreError(path +
                     " is not an organization export (a backup? load that with cxm restore)");
  check_every_table_is_classified(*file);
  std::string exported_id, name;
  *file << "SELECT org_id, org_name FROM org_export", soci::into(exported_id), soci::into(name);
  long long orgs = 0;
  *file << "SELECT COUNT(*) FROM organizations", soci::into(orgs);
  if (orgs != 1)
    throw StoreError(path + " holds " + std::to_string(orgs) + " organizations, not one");
  struct FileUser {
    std::string id, email;
  };
  std::vector<FileUser> file_users;
  {
    soci::rowset<soci::row> rows = (file->prepare << "SELECT id, email FROM users ORDER BY email");
    for (const auto& row : rows) file_users.push_back({as_text(row, 0), as_text(row, 1)});
  }
  OrgTransferSummary summary;
  impl_->write([&](soci::session& sql) {
    summary = OrgTransferSummary{};
    summary.org_name = name;
    {
      soci::rowset<std::string> names = (sql.prepare << "SELECT name FROM organizations");
      for (const auto& existing : names) {
        if (normalized_name(existing) == normalized_name(name)) {
          throw StoreError("an organization named \"" + existing +
                           "\" exists already in this database; nothing was imported (rename one "
                           "of them first)");
        }
      }
    }
    IdMaps maps;
    for (const auto& u : file_users) {
      std::string id;
      soci::indicator found = soci::i_null;
      sql << "SELECT id FROM users WHERE email = :e", soci::use(u.email), soci::into(id, found);
      if (found == soci::i_ok) {
        maps[IdKind::user][u.id] = id;
        ++summary.users_matched;
      } else {
        maps[IdKind::user][u.id] = new_id();
        ++summary.users_created;
      }
    }
    // New users come without a password (an operator sets one with cxm
    // user reset-password) and without administrator rights.
    const auto user_columns = columns_of(*file, "users");
    for (const auto& u : file_users) {
      long long exists = 0;
      sql << "SELECT COUNT(*) FROM users WHERE id = :id", soci::use(maps[IdKind::user][u.id]),
          soci::into(exists);
      if (exists) continue;
      summary.rows += copy_rows(*file, sql, "users", user_columns, "id = :org", u.id,
                                [&, &columns = user_columns](std::size_t c, std::string& text) {
                                  if (columns[c] == "id") text = maps[IdKind::user][text];
                                  if (columns[c] == "password_hash") text.clear();
                                });
    }
    // New keys sorted as the old ones were: whatever reads rows in the
    // order of their ids (a cycle's links, hence the order of its groups
    // in a report) reads them in the same order after the move.
    const auto tables = file_tables(*file);
    const std::set<std::string> present(tables.begin(), tables.end());
    for (const auto& t : kOrgTables) {
      if (!t.has_key || !present.contains(t.name)) continue;
      std::vector<std::string> old_keys;
      soci::rowset<std::string> keys =
          (file->prepare << std::string("SELECT ") + t.ids[0].first + " FROM " + t.name +
                                " ORDER BY " + t.ids[0].first);
      for (const auto& k : keys) old_keys.push_back(k);
      std::vector<std::string> new_keys;
      for (std::size_t i = 0; i < old_keys.size(); ++i) new_keys.push_back(new_id());
      std::sort(new_keys.begin(), new_keys.end());
      for (std::size_t i = 0; i < old_keys.size(); ++i)
        maps[t.ids[0].second][old_keys[i]] = new_keys[i];
    }
    for (const auto& t : kOrgTables) {
      if (!present.contains(t.name)) continue;
      const auto columns = columns_of(*file, t.name);
      std::map<std::size_t, IdKind> id_columns;
      for (std::size_t c = 0; c < columns.size(); ++c) {
        for (const auto& [column, kind] : t.ids) {
          if (columns[c] == column) id_columns[c] = kind;
        }
      }
      summary.rows +=
          copy_rows(*file, sql, t.name, columns, "", "", [&](std::size_t c, std::string& text) {
            const auto kind = id_columns.find(c);
            if (kind == id_columns.end() || text.empty()) return;
            auto& map = maps[kind->second];
            const auto mapped = map.find(text);
            if (mapped != map.end()) {
              text = mapped->second;
            } else if (kind->second != IdKind::user) {  // an actor may be no user ("cli")
              throw StoreError(std::string("the export is inconsistent: a row of ") + t.name +
                               " refers to a " + columns[c] + " it does not hold");
            }
          });
    }
    summary.org_id = maps[IdKind::org][exported_id];
  });
  return summary;
}

}  // namespace cxm::store
