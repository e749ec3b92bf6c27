// The database behind cxm serve: SQLite (WAL) or PostgreSQL through SOCI,
// one SQL dialect, migrations applied at open. Reads run on a small pool of
// sessions; writes go to one writer thread that groups concurrent requests
// into shared transactions (group commit), so a write returns only once it
// is committed and durability does not cost throughput.
//
// Every method is thread-safe and blocking, except save_answers_async; call
// the blocking ones off the HTTP I/O threads (a MemoryOnlyScope enforces
// it). Database failures throw StoreError.
#pragma once

#include <cstdint>
#include <exception>
#include <functional>
#include <memory>
#include <optional>
#include <stdexcept>
#include <string>
#include <vector>

#include "store/records.h"

namespace cxm::store {

class StoreError : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

// A write that violates a uniqueness rule (e.g. an e-mail already taken).
class ConflictError : public StoreError {
 public:
  using StoreError::StoreError;
};

// Answers refused by the rules checked inside the write: `reason` is
// "already_submitted", "revoked" or "cycle_not_open".
class AnswersRefused : public StoreError {
 public:
  explicit AnswersRefused(const std::string& reason) : StoreError(reason) {}
};

// Thrown instead of touching the database while a MemoryOnlyScope is alive
// on the calling thread.
class WouldBlock : public StoreError {
 public:
  WouldBlock() : StoreError("the database may not be used here") {}
};

// While one lives on a thread, every Store call on that thread throws
// WouldBlock. Lets the HTTP layer try a request from memory (caches) on an
// I/O thread and hand it to a worker only when it needs the database.
class MemoryOnlyScope {
 public:
  MemoryOnlyScope();
  ~MemoryOnlyScope();
  MemoryOnlyScope(const MemoryOnlyScope&) = delete;
  MemoryOnlyScope& operator=(const MemoryOnlyScope&) = delete;
  static bool active();
};

struct DatabaseUrl {
  enum class Kind { sqlite, postgresql };
  Kind kind = Kind::sqlite;
  std::string target;  // a file path for SQLite, a libpq connection string for PostgreSQL
};

// "sqlite:PATH" or "postgresql://..."; nullopt (and `error` set) otherwise.
std::optional<DatabaseUrl> parse_database_url(const std::string& url, std::string& error);

// Newest schema version this build knows.
int latest_schema_version();

class Store {
 public:
  // Opens the database (creating a SQLite file and its directory if needed)
  // and applies pending migrations.
  static std::unique_ptr<Store> open(const DatabaseUrl& url, std::size_t readers = 4);
  ~Store();

  int schema_version();

  // Users and log-in sessions.
  std::size_t user_count();
  // Creates the first admin only while no user exists; false otherwise.
  bool create_first_admin(const User& user);
  void create_user(const User& user);
  std::optional<User> find_user_by_email(const std::string& email);
  std::optional<User> find_user(const std::string& id);
  void set_password_hash(const std::string& user_id, const std::string& hash);
  void create_session(const std::string& token_hash, const LoginSession& session);
  std::optional<LoginSession> find_session(const std::string& token_hash, std::int64_t now);
  void delete_session(const std::string& token_hash);

  // Organizations and memberships.
  void create_organization(const Organization& org, const Membership& owner);
  std::optional<Organization> find_organization(const std::string& id);
  // Replaces name, industry, size band and the ordered list of units.
  // Throws ConflictError naming a unit that is dropped while links of the
  // organization's cycles are still tagged with it.
  void update_organization(const Organization& org);
  // Every organization for an admin, else those the user is a member of.
  std::vector<Organization> organizations_for(const User& user);
  std::optional<std::string> membership_role(const std::string& user_id, const std::string& org_id);
  void add_membership(const Membership& membership);

  // Cycles. Rows are read without their model snapshot (model_yaml is
  // empty); cycle_model_yaml() returns it.
  void create_cycle(const Cycle& cycle);
  std::optional<Cycle> find_cycle(const std::string& id);
  std::vector<Cycle> cycles_of(const std::string& org_id);
  std::string cycle_model_yaml(const std::string& id);
  void update_cycle(const Cycle& cycle);

  // Participant links and answers.
  void create_participants(const std::vector<Participant>& participants,
                           const std::vector<std::string>& token_hashes);
  std::optional<Participant> find_participant_by_token(const std::string& token_hash);
  std::optional<Participant> find_participant(const std::string& id);
  std::vector<Participant> participants_of(const std::string& cycle_id);
  void revoke_participant(const std::string& id);
  // Saves (inserts or replaces) answers of one participant; idempotent.
  // Checked in the same transaction: throws AnswersRefused when the
  // participant has submitted or been revoked, or the cycle is not open.
  // Returns how many of the participant's answers are saved now.
  std::size_t save_answers(const std::string& participant_id, const std::vector<StoredAnswer>& answers,
                           std::int64_t now);
  // The same without blocking: queues the write and returns. `done` runs on
  // the writer thread after the commit, with nullptr and the answer count,
  // or with what the save threw (AnswersRefused, StoreError); it must not
  // throw or block. Allowed inside a MemoryOnlyScope.
  void save_answers_async(std::string participant_id, std::vector<StoredAnswer> answers, std::int64_t now,
                          std::function<void(std::exception_ptr, std::size_t)> done);
  // Marks the participant submitted (and bumps the cycle's answers_version);
  // false when already submitted.
  bool submit(const std::string& participant_id, std::int64_t now);
  std::vector<StoredAnswer> answers_of(const std::string& participant_id);
  std::size_t answer_count(const std::string& participant_id);
  std::vector<ParticipantAnswers> cycle_answers(const std::string& cycle_id);

  void audit(const std::string& actor, const std::string& org_id, const std::string& action,
             const std::string& detail, std::int64_t now);

  struct Impl;

 private:
  explicit Store(std::unique_ptr<Impl> impl);
  std::unique_ptr<Impl> impl_;
};

}  // namespace cxm::store
