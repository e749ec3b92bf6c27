// The log-in limits: exponential back-off per account and per client
// address, counted in the database (Store::claim_login_attempt) so that
// every cxm process shares them, and counted before the password is
// checked, so that parallel guesses get no more checks than the rule allows.
#pragma once

#include <cstdint>
#include <string>

#include "store/store.h"

namespace cxm::api {

// The rules, per account (one person's mistakes; stops guessing one
// password) and per client address (stops trying many accounts from one
// place, yet leaves room for an office behind one address).
store::ThrottleRule account_rule();
store::ThrottleRule address_rule();

class LoginLimiter {
 public:
  explicit LoginLimiter(store::Store& store) : store_(store) {}
  // Counts an attempt for `email` from `address` before its password is
  // checked: 0 when it may go ahead, else the milliseconds to wait first.
  std::int64_t admit(const std::string& email, const std::string& address, std::int64_t now);
  // The password was right: the account starts afresh, and the attempt no
  // longer counts against the address.
  void succeeded(const std::string& email, const std::string& address);

 private:
  store::Store& store_;
};

}  // namespace cxm::api
