// `cxm user add`, `reset-password`, `grant-admin` and `revoke-admin`:
// account tools for operators. Passwords are read from standard input (one
// line), never from arguments. Administrator rights are given here (or to
// the first user, at set-up), never by a file (SPEC section 8, "Insiders").
#include <CLI/CLI.hpp>
#include <chrono>
#include <iostream>

#include "cli/common.h"
#include "policy/names.h"
#include "policy/password_policy.h"
#include "secrets/secrets.h"
#include "store/store.h"

namespace cxm::cli {
namespace {

struct UserOptions {
  std::string db = "sqlite:data/cxm.db";
  std::string email;
  std::string name;
  std::string org;
  std::string role = "facilitator";
  bool admin = false;
};

// One line of standard input, refused (with the reason) unless the
// password policy accepts it for this account.
std::optional<std::string> read_password(const std::string& email, const std::string& name) {
  std::string password;
  if (!std::getline(std::cin, password)) {
    std::cerr << "cxm: give the password on standard input (one line)\n";
    return std::nullopt;
  }
  if (!password.empty() && password.back() == '\r') password.pop_back();
  if (const auto problem = policy::password_problem(password, email, name)) {
    std::cerr << "cxm: the password is refused: " << *problem << '\n';
    return std::nullopt;
  }
  return password;
}

// A user's name or e-mail address: refused when it holds control characters.
bool acceptable_name(const std::string& option, const std::string& value) {
  if (!policy::find_control_character(value)) return true;
  std::cerr << "cxm: " << option << ": must not contain control characters\n";
  return false;
}

int add_user(const UserOptions& o) {
  if (!secrets::init_crypto()) return kExitFailure;
  auto store = open_store(o.db, 1);
  if (!store) return kExitBadInput;
  std::string email = o.email;
  for (auto& c : email) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  if (!acceptable_name("--email", email) || !acceptable_name("--name", o.name))
    return kExitBadInput;
  const auto password = read_password(email, o.name);
  if (!password) return kExitBadInput;
  try {
    if (!o.org.empty() && !store->find_organization(o.org)) {
      std::cerr << "cxm: --org: no organization with id " << o.org << '\n';
      return kExitBadInput;
    }
    store::User user{secrets::new_id(),
                     email,
                     o.name.empty() ? email : o.name,
                     secrets::hash_password(*password),
                     o.admin,
                     now_ms()};
    if (!store->create_user(user)) {
      std::cerr << "cxm: a user with this e-mail already exists\n";
      return kExitBadInput;
    }
    if (!o.org.empty())
      store->add_membership(store::Membership{user.id, o.org, *store::org_role_from(o.role)});
    std::cout << "added user " << email << " (" << user.id << ")\n";
    return kExitOk;
  } catch (const store::StoreError& e) {
    std::cerr << "cxm: " << e.what() << '\n';
    return kExitFailure;
  }
}

int reset_password(const UserOptions& o) {
  if (!secrets::init_crypto()) return kExitFailure;
  auto store = open_store(o.db, 1);
  if (!store) return kExitBadInput;
  const auto user = store->find_user_by_email(o.email);
  if (!user) {
    std::cerr << "cxm: no user with e-mail " << o.email << '\n';
    return kExitBadInput;
  }
  const auto password = read_password(user->email, user->name);
  if (!password) return kExitBadInput;
  store->set_password_hash(user->id,
                           secrets::hash_password(*password));  // also ends the user's sessions
  std::cout << "password reset for " << o.email << '\n';
  return kExitOk;
}

// Grants (or takes back) administrator rights over the whole instance.
int set_admin(const UserOptions& o, bool admin) {
  auto store = open_store(o.db, 1);
  if (!store) return kExitBadInput;
  try {
    std::string lower = o.email;
    for (auto& c : lower) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    auto user = store->find_user_by_email(o.email);
    if (!user) user = store->find_user_by_email(lower);
    if (!user) {
      std::cerr << "cxm: no user with e-mail " << o.email << '\n';
      return kExitBadInput;
    }
    store->set_admin(user->id, admin,
                     store::AuditEntry{"cli", "", admin ? "user.grant_admin" : "user.revoke_admin",
                                       user->email, now_ms()});
    std::cout << (admin ? "administrator rights granted to " : "administrator rights taken from ")
              << user->email << " (their log-in sessions ended)\n";
    return kExitOk;
  } catch (const store::StoreError& e) {
    std::cerr << "cxm: " << e.what() << '\n';
    return kExitFailure;
  }
}

}  // namespace

void add_user_command(CLI::App& app, int* status) {
  auto* user = app.add_subcommand(
      "user", "Add users, reset passwords (read from stdin), grant or take administrator rights");
  user->require_subcommand(1);
  auto options = std::make_shared<UserOptions>();
  auto* add = user->add_subcommand("add", "Add a user, optionally as a member of an organization");
  add->add_option("--db", options->db, "sqlite:PATH or postgresql://...");
  add->add_option("--email", options->email, "E-mail address (the log-in name)")->required();
  add->add_option("--name", options->name, "Display name");
  add->add_option("--org", options->org, "Organization id to join");
  add->add_option("--role", options->role, "owner, facilitator (default) or viewer")
      ->check(CLI::IsMember({"owner", "facilitator", "viewer"}));
  add->add_flag("--admin", options->admin, "Administrator of the whole instance");
  add->callback([status, options] { *status = add_user(*options); });

  auto reset = std::make_shared<UserOptions>();
  auto* reset_cmd =
      user->add_subcommand("reset-password", "Set a new password and end the user's sessions");
  reset_cmd->add_option("--db", reset->db, "sqlite:PATH or postgresql://...");
  reset_cmd->add_option("--email", reset->email, "E-mail address")->required();
  reset_cmd->callback([status, reset] { *status = reset_password(*reset); });

  for (const bool admin : {true, false}) {
    auto options = std::make_shared<UserOptions>();
    auto* cmd = user->add_subcommand(
        admin ? "grant-admin" : "revoke-admin",
        admin ? "Make a user an administrator of the whole instance (ends their sessions)"
              : "Take a user's administrator rights (ends their sessions)");
    cmd->add_option("--db", options->db, "sqlite:PATH or postgresql://...");
    cmd->add_option("--email", options->email, "E-mail address")->required();
    cmd->callback([status, options, admin] { *status = set_admin(*options, admin); });
  }
}

}  // namespace cxm::cli
