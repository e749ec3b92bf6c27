// `cxm export --db URL --org ORG FILE` and `cxm import-org --db URL FILE`:
// move one organization between instances (store/org_transfer.cpp). Both
// are operator commands — whoever can open the database may run them —
// like backup and restore; see docs/organization-export.md for what the
// file holds.
#include <CLI/CLI.hpp>
#include <iostream>

#include "cli/common.h"
#include "secrets/secrets.h"
#include "store/store.h"

namespace cxm::cli {
namespace {

struct TransferOptions {
  std::string db = "sqlite:data/cxm.db";
  std::string org;
  std::string file;
};

int run_export(const TransferOptions& options) {
  auto store = open_store(options.db, 1);
  if (!store) return kExitBadInput;
  try {
    const auto org = find_org(*store, options.org);
    if (!org) {
      std::cerr << "cxm: no organization with the id or name " << options.org << '\n';
      return kExitBadInput;
    }
    const auto summary = store->export_organization(org->id, options.file, now_ms());
    std::cout << "exported '" << summary.org_name << "': " << summary.rows << " rows ("
              << summary.users << " users, without passwords) to " << options.file << '\n';
    return kExitOk;
  } catch (const store::StoreError& e) {
    std::cerr << "cxm: " << e.what() << '\n';
    return kExitBadInput;
  }
}

std::string listed(const std::vector<std::string>& emails) {
  std::string out;
  for (const auto& e : emails) out += (out.empty() ? "" : ", ") + e;
  return out;
}

// What the file held that an import does not take (SPEC section 8,
// "Insiders": a file grants no rights beyond its own organization).
void say_what_was_left_out(const store::OrgTransferSummary& summary) {
  if (!summary.admin_rights_not_imported.empty()) {
    std::cout << "administrator rights not imported for "
              << summary.admin_rights_not_imported.size()
              << " users: " << listed(summary.admin_rights_not_imported)
              << " (a file never grants them; an operator does, with cxm user grant-admin)\n";
  }
  if (!summary.users_skipped.empty()) {
    std::cout << "skipped " << summary.users_skipped.size()
              << " users that no row of the organization names: " << listed(summary.users_skipped)
              << '\n';
  }
  if (summary.pool_membership_skipped) {
    std::cout << "skipped the organization's place in the benchmark pool (a file never enters "
                 "peers into this instance's pool; an owner joins it again on the benchmark "
                 "page)\n";
  }
}

int run_import(const TransferOptions& options) {
  if (!secrets::init_crypto()) return kExitFailure;
  auto store = open_store(options.db, 1);
  if (!store) return kExitBadInput;
  try {
    const auto summary = store->import_organization(options.file, [] { return secrets::new_id(); });
    std::cout << "imported '" << summary.org_name << "' as " << summary.org_id << ": "
              << summary.rows << " rows; " << summary.users_matched << " users matched by e-mail, "
              << summary.users_created
              << " created without a password (set one with cxm user reset-password)\n";
    say_what_was_left_out(summary);
    return kExitOk;
  } catch (const store::StoreError& e) {
    std::cerr << "cxm: " << e.what() << '\n';
    return kExitBadInput;
  }
}

}  // namespace

void add_org_transfer_commands(CLI::App& app, int* status) {
  auto out = std::make_shared<TransferOptions>();
  auto* exp = app.add_subcommand(
      "export", "Write one organization to a file, to move it to another instance");
  exp->add_option("--db", out->db, "sqlite:PATH (default sqlite:data/cxm.db) or postgresql://...");
  exp->add_option("--org", out->org, "The organization's id or name")->required();
  exp->add_option("FILE", out->file, "The new file (a SQLite file)")->required();
  exp->callback([status, out] { *status = run_export(*out); });

  auto in = std::make_shared<TransferOptions>();
  auto* imp = app.add_subcommand("import-org", "Load an organization written by cxm export");
  imp->add_option("--db", in->db, "sqlite:PATH (default sqlite:data/cxm.db) or postgresql://...");
  imp->add_option("FILE", in->file, "The file written by cxm export")->required();
  imp->callback([status, in] { *status = run_import(*in); });
}

}  // namespace cxm::cli
