#include "api/login_limiter.h"

#include "secrets/secrets.h"

namespace cxm::api {
namespace {

// Hashes, so that the table keeps no e-mail address (an unknown one may be
// a mistyped password) and no IP address.
std::string account_key(const std::string& email) {
  return secrets::token_hash("account:" + email);
}
std::string address_key(const std::string& address) {
  return secrets::token_hash("address:" + address);
}

}  // namespace

store::ThrottleRule account_rule() {
  store::ThrottleRule rule;
  rule.free_attempts = 5;
  rule.first_wait_ms = 1000;
  rule.longest_wait_ms = 5 * 60 * 1000;
  rule.leak_ms = 15 * 60 * 1000;  // one failure forgotten per quarter hour
  rule.most_counted = 40;
  return rule;
}

store::ThrottleRule address_rule() {
  store::ThrottleRule rule;
  rule.free_attempts = 20;
  rule.first_wait_ms = 1000;
  rule.longest_wait_ms = 5 * 60 * 1000;
  rule.leak_ms = 60 * 1000;  // one failure forgotten per minute
  rule.most_counted = 60;
  return rule;
}

std::int64_t LoginLimiter::admit(const std::string& email, const std::string& address,
                                 std::int64_t now) {
  return store_.claim_login_attempt(
      {{account_key(email), account_rule()}, {address_key(address), address_rule()}}, now);
}

void LoginLimiter::succeeded(const std::string& email, const std::string& address) {
  store_.login_succeeded(account_key(email), address_key(address));
}

}  // namespace cxm::api
