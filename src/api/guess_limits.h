// The guessing limits of every secret a stranger may try: log-in passwords,
// workshop join codes and links' resume codes. Each attempt is counted in
// the database before its secret is checked (Store::claim_attempt), so
// that every cxm process shares the counts and parallel guesses get no
// more checks than the rules allow; a right secret takes its attempt back.
//
// Each secret is counted per client address block (http::address_block:
// an IPv4 address or an IPv6 /48) and for the whole instance, log-ins also
// per account (and resume codes per link, by the link's lock in the store).
// The address rules are short-waited (a room or an office behind one
// address is slowed for seconds, never locked out for minutes); the
// instance rules bound what a guesser with many addresses gets. The rules,
// their numbers and the arithmetic are in guess_limits.cpp.
#pragma once

#include <cstdint>
#include <string>

#include "store/store.h"

namespace cxm::api {

store::ThrottleRule login_account_rule();
store::ThrottleRule login_address_rule();
store::ThrottleRule login_instance_rule();
store::ThrottleRule join_address_rule();
store::ThrottleRule join_instance_rule();
store::ThrottleRule resume_address_rule();
store::ThrottleRule resume_instance_rule();

// Each admit_* counts an attempt from `address` (an address block) before
// its secret is checked: 0 when it may go ahead, else the milliseconds to
// wait first (nothing was counted). Each *_succeeded takes a right secret's
// attempt back. Block (a database write).
class GuessLimits {
 public:
  explicit GuessLimits(store::Store& store) : store_(store) {}

  std::int64_t admit_login(const std::string& email, const std::string& address, std::int64_t now);
  // The account starts afresh.
  void login_succeeded(const std::string& email, const std::string& address);

  std::int64_t admit_join(const std::string& address, std::int64_t now);
  void join_succeeded(const std::string& address);

  std::int64_t admit_resume(const std::string& address, std::int64_t now);
  void resume_succeeded(const std::string& address);

 private:
  store::Store& store_;
};

}  // namespace cxm::api
