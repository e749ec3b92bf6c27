// `cxm backup --db URL FILE` and `cxm restore --db URL FILE` (SPEC section
// 5): a consistent backup while the server runs, and a restore into an
// empty database only, in one portable format (store/backup.cpp).
#include <CLI/CLI.hpp>
#include <iostream>

#include "cli/common.h"
#include "store/store.h"

namespace cxm::cli {
namespace {

struct BackupOptions {
  std::string db = "sqlite:data/cxm.db";
  std::string file;
};

// What a restore left out, and how to give it back (SPEC section 8,
// "Insiders": a file grants no rights, an operator does).
void say_what_was_left_out(const store::BackupSummary& summary, const std::string& db) {
  if (!summary.admin_rights_not_restored.empty()) {
    std::cout << "administrator rights not restored for "
              << summary.admin_rights_not_restored.size() << " users: ";
    for (std::size_t i = 0; i < summary.admin_rights_not_restored.size(); ++i)
      std::cout << (i ? ", " : "") << summary.admin_rights_not_restored[i];
    // A PostgreSQL URL may hold its password: never echoed.
    const bool plain = db.rfind("sqlite:", 0) == 0;
    std::cout << "\ngrant them again, each with: cxm user grant-admin --db "
              << (plain ? db : std::string("URL")) << " --email ADDRESS\n";
  }
  if (summary.sessions_not_restored != 0) {
    std::cout << summary.sessions_not_restored
              << " log-in sessions not restored (everyone logs in again)\n";
  }
}

int run(const BackupOptions& options, bool restoring) {
  auto store = open_store(options.db, 1);
  if (!store) return kExitBadInput;
  try {
    const auto summary = restoring ? store->restore(options.file) : store->backup(options.file);
    std::cout << (restoring ? "restored " : "backed up ") << summary.rows << " rows of "
              << summary.tables << " tables (schema version " << summary.schema_version << ") "
              << (restoring ? "from " : "to ") << options.file << '\n';
    if (restoring) say_what_was_left_out(summary, options.db);
    return kExitOk;
  } catch (const store::StoreError& e) {
    std::cerr << "cxm: " << e.what() << '\n';
    return kExitBadInput;
  }
}

void add(CLI::App& app, int* status, bool restoring) {
  auto options = std::make_shared<BackupOptions>();
  auto* cmd = app.add_subcommand(
      restoring ? "restore" : "backup",
      restoring ? "Load a backup into an empty database"
                : "Write a consistent backup of the database (also while it serves)");
  cmd->add_option("--db", options->db,
                  "sqlite:PATH (default sqlite:data/cxm.db) or postgresql://...");
  cmd->add_option("FILE", options->file,
                  restoring ? "The backup file" : "The new backup file (a SQLite file)")
      ->required();
  cmd->callback([status, options, restoring] { *status = run(*options, restoring); });
}

}  // namespace

void add_backup_command(CLI::App& app, int* status) {
  add(app, status, false);
  add(app, status, true);
}

}  // namespace cxm::cli
