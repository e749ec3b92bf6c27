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

enum class IdKind {
  org,
  user,
  cycle,
  participant,
  action,
  survey_import,
  workshop,
  comment,
  count
};

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
    // Live workshops: the workshop, its steps and its frozen reveals (both
    // rounds' answers are in answers; an older file's round_answers moved
    // there when open_sqlite_file migrated it).
    {"workshops",
     "cycle_id IN (SELECT id FROM cycles WHERE org_id = :org)",
     {{"id", IdKind::workshop}, {"cycle_id", IdKind::cycle}, {"created_by", IdKind::user}},
     true},
    {"workshop_steps",
     "workshop_id IN (SELECT w.id FROM workshops w JOIN cycles c ON c.id = w.cycle_id WHERE "
     "c.org_id = :org)",
     {{"workshop_id", IdKind::workshop}}},
    {"workshop_reveals",
     "workshop_id IN (SELECT w.id FROM workshops w JOIN cycles c ON c.id = w.cycle_id WHERE "
     "c.org_id = :org)",
     {{"workshop_id", IdKind::workshop}}},
    // The translations of each cycle's model (snapshot at its creation).
    {"cycle_translations",
     "cycle_id IN (SELECT id FROM cycles WHERE org_id = :org)",
     {{"cycle_id", IdKind::cycle}}},
    // Customer metrics and the definitions of the organization's ratings.
    {"customer_metrics", "org_id = :org", {{"org_id", IdKind::org}}},
    {"customer_metric_definitions", "org_id = :org", {{"org_id", IdKind::org}}},
    // Comments: their hiding facilitator is a user the rows name.
    {"comments",
     "participant_id IN (SELECT p.id FROM participants p JOIN cycles c ON c.id = p.cycle_id WHERE "
     "c.org_id = :org)",
     {{"id", IdKind::comment},
      {"participant_id", IdKind::participant},
      {"hidden_by", IdKind::user}},
     true},
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
    {"comments",
     "SELECT m.hidden_by FROM comments m JOIN participants p ON p.id = m.participant_id JOIN "
     "cycles "
     "c ON c.id = p.cycle_id WHERE c.org_id = :org AND m.hidden_by IS NOT NULL"},
};

// Not moved: the instance's own (log-in sessions, benchmark datasets), what
// is not data (see backup.cpp), and the mail of cycles: the e-mail
// addresses of the people invited by mail, the cycles' link keys (from
// which their links are made) and the outbox. Addresses stay apart from the
// answers (SPEC section 8) and go when a cycle closes; an imported cycle
// mails nobody. (A backup keeps them.)
const std::set<std::string> kInstanceTables = {"schema_migrations",
                                               "changes",
                                               "health_probe",
                                               "login_throttle",
                                               "login_sessions",
                                               "benchmark_datasets",
                                               "benchmark_dataset_rows",
                                               "ratings_datasets",
                                               "ratings_dataset_rows",
                                               "org_export",
                                               "mail_recipients",
                                               "mail_keys",
                                               "mail_outbox"};

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

std::string normalized_name(std::string name) {
  const auto first = name.find_first_not_of(" \t");
  const auto last = name.find_last_not_of(" \t");
  name = first == std::string::npos ? std::string() : name.substr(first, last - first + 1);
  for (auto& c : name) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return name;
}

// Ids of the file mapped to ids of the database imported into.
struct IdMaps {
  std::map<std::string, std::string> of[static_cast<int>(IdKind::count)];
  std::map<std::string, std::string>& operator[](IdKind kind) { return of[static_cast<int>(kind)]; }
};

// The ids of the users that the rows of organization `org_id` in `sql`
// name (kUserQueries over the tables in `present`).
std::set<std::string> named_users(soci::session& sql, const std::set<std::string>& present,
                                  const std::string& org_id) {
  std::set<std::string> users;
  for (const auto& [table, query] : kUserQueries) {
    if (!present.contains(table)) continue;
    soci::rowset<std::string> ids = (sql.prepare << query, soci::use(org_id, "org"));
    for (const auto& id : ids) users.insert(id);
  }
  return users;
}

// A user row of an export file, as far as an import takes it: the id (to
// map), who it is, and whether the file claims administrator rights for
// it (only to say that they were not imported).
struct FileUser {
  std::string id, email, name;
  long long created_at = 0;
  bool admin = false;
};

std::vector<FileUser> file_users(soci::session& file) {
  std::vector<FileUser> users;
  // Any value but 0 counts as a claim (SQLite keeps whatever a crafted
  // file wrote into the INTEGER column).
  soci::rowset<soci::row> rows =
      (file.prepare << "SELECT id, email, name, created_at, CASE WHEN is_admin <> 0 THEN 1 ELSE "
                       "0 END FROM users ORDER BY email, id");
  for (const auto& row : rows) {
    users.push_back(FileUser{as_text(row, 0), as_text(row, 1), as_text(row, 2), as_int64(row, 3),
                             as_int64(row, 4) != 0});
  }
  return users;
}

// E-mail addresses are stored in lower case (log-in lowercases what is
// typed), so a file's "Ann@Example.org" is this database's ann@example.org.
std::string email_key(std::string email) {
  for (auto& c : email) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return email;
}

[[noreturn]] void inconsistent(const std::string& what) {
  throw StoreError("the export is inconsistent: " + what + "; nothing was imported");
}

// What an import must refuse before it writes anything: a file whose one
// organization is not the one it was exported as, or whose memberships
// name users it does not hold.
void check_file_owns_its_rows(soci::session& file, const std::set<std::string>& present,
                              const std::string& exported_id) {
  std::string org_id;
  file << "SELECT id FROM organizations", soci::into(org_id);
  if (org_id != exported_id) inconsistent("its organization is not the one it names as exported");
  if (!present.contains("memberships")) return;
  long long strangers = 0;
  file << "SELECT COUNT(*) FROM memberships WHERE user_id NOT IN (SELECT id FROM users)",
      soci::into(strangers);
  if (strangers != 0) inconsistent("a membership names a user the file does not hold");
}

}  // namespace

OrgTransferSummary Store::export_organization(const std::string& org_id, const std::string& path,
                                              std::int64_t now) {
  if (std::filesystem::exists(path))
    throw StoreError("the file " + path + " exists already; choose a new name");
  OrgTransferSummary summary;
  try {
    auto file = open_sqlite_file(path, "file");
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
        const auto users = named_users(sql, present, org_id);
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
  auto file = open_sqlite_file(path, "file");
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
  const auto tables = file_tables(*file);
  const std::set<std::string> present(tables.begin(), tables.end());
  check_file_owns_its_rows(*file, present, exported_id);
  // Only the users the organization's rows name come with it: a user row
  // nothing names would only be an account planted on this instance.
  const auto named = named_users(*file, present, exported_id);
  std::vector<FileUser> users;
  std::set<std::string> held;
  std::vector<std::string> skipped;
  for (auto& u : file_users(*file)) {
    held.insert(u.id);
    if (named.contains(u.id)) {
      users.push_back(std::move(u));
    } else {
      skipped.push_back(u.email);
    }
  }
  // A place in this instance's benchmark pool is never taken from a file:
  // a crafted file could otherwise enter made-up assessments as peers
  // (SPEC section 8). The owner joins the pool again here.
  long long pool_rows = 0;
  if (present.contains("benchmark_pool"))
    *file << "SELECT COUNT(*) FROM benchmark_pool", soci::into(pool_rows);
  const bool skip_pool = pool_rows != 0;
  OrgTransferSummary summary;
  impl_->write([&](soci::session& sql) {
    summary = OrgTransferSummary{};
    summary.org_name = name;
    summary.users_skipped = skipped;
    summary.pool_membership_skipped = skip_pool;
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
    // A name the rows use for a user the file does not hold (an author
    // such as "cli") stays as it is, unless it is the id of a user here:
    // the file would attach that user to its rows.
    for (const auto& id : named) {
      if (held.contains(id)) continue;
      long long here = 0;
      sql << "SELECT COUNT(*) FROM users WHERE id = :id", soci::use(id), soci::into(here);
      if (here != 0)
        inconsistent("a row names a user of this database that the file does not hold");
    }
    IdMaps maps;
    std::map<std::string, std::string> by_email;  // email_key -> id here
    for (const auto& u : users) {
      if (u.admin) summary.admin_rights_not_imported.push_back(u.email);
      const std::string email = email_key(u.email);
      if (const auto same = by_email.find(email); same != by_email.end()) {
        maps[IdKind::user][u.id] = same->second;
        continue;
      }
      std::string id;
      soci::indicator found = soci::i_null;
      sql << "SELECT id FROM users WHERE email = :e", soci::use(email), soci::into(id, found);
      if (found == soci::i_ok) {
        // Matched: the user's row here stays exactly as it is.
        ++summary.users_matched;
      } else {
        // New: without a password (an operator sets one with cxm user
        // reset-password) and without administrator rights, whatever the
        // file says; only these columns are taken from the file, so a
        // column added later keeps its default.
        id = new_id();
        sql << "INSERT INTO users (id, email, name, password_hash, is_admin, created_at) VALUES "
               "(:id, :e, :n, '', 0, :at)",
            soci::use(id), soci::use(email), soci::use(u.name), soci::use(u.created_at);
        ++summary.users_created;
        ++summary.rows;
      }
      by_email[email] = id;
      maps[IdKind::user][u.id] = id;
    }
    // New keys sorted as the old ones were: whatever reads rows in the
    // order of their ids (a cycle's links, hence the order of its groups
    // in a report) reads them in the same order after the move.
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
      if (skip_pool && std::string(t.name) == "benchmark_pool") continue;
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
              inconsistent(std::string("a row of ") + t.name + " refers to a " + columns[c] +
                           " it does not hold");
            }
          });
    }
    summary.org_id = maps[IdKind::org][exported_id];
  });
  return summary;
}

}  // namespace cxm::store
