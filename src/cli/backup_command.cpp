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

int run(const BackupOptions& options, bool restoring) {
  auto store = open_store(options.db, 1);
  if (!store) return kExitBadInput;
  try {
    const auto summary = restoring ? store->restore(options.file) : store->backup(options.file);
    std::cout << (restoring ? "restored " : "backed up ") << summary.rows << " rows of "
              << summary.tables << " tables (schema version " << summary.schema_version << ") "
              << (restoring ? "from " : "to ") << options.file << '\n';
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
