// The rule that slows down password guessing: a pure function of what one
// key (an account, a client address) has counted, so that every process
// applies the same rule to the counts the database keeps (Store::
// claim_login_attempt decides it inside the write).
#pragma once

#include <cstdint>
#include <optional>
#include <string>

namespace cxm::store {

// Exponential back-off with a free allowance and a leak: the first
// `free_attempts` attempts go through at once; after that each attempt must
// wait first_wait_ms, doubling with every further attempt up to
// longest_wait_ms. The count drops by one every leak_ms without an attempt,
// so an owner's old typos are forgotten and an office behind one address
// regains its allowance.
struct ThrottleRule {
  int free_attempts = 5;
  std::int64_t first_wait_ms = 1000;
  std::int64_t longest_wait_ms = 300000;
  std::int64_t leak_ms = 900000;
  // The count never grows past this, so that it leaks away within hours
  // once an attack stops.
  int most_counted = 40;
};

// What the database holds for one key.
struct ThrottleCount {
  int failures = 0;
  std::int64_t last_attempt_at = 0;  // Unix milliseconds
};

// How long from `now` the next attempt must wait (0: it may go ahead).
std::int64_t throttle_wait_ms(const ThrottleRule& rule, const ThrottleCount& count,
                              std::int64_t now);

// The count after an attempt at `now` that was allowed to go ahead.
ThrottleCount throttle_counted(const ThrottleRule& rule, const ThrottleCount& count,
                               std::int64_t now);

// One key of an attempt: a hash naming an account or a client address (the
// database keeps no e-mail address or IP address for this), and its rule.
struct ThrottleKey {
  std::string key;
  ThrottleRule rule;
};

}  // namespace cxm::store
