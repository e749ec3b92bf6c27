// The rules that slow down guessing (passwords, workshop join codes,
// resume codes): pure functions of what one key (an account, a client
// address, the whole instance) has counted, so that every process applies
// the same rule to the counts the database keeps (Store::claim_attempt
// decides it inside the write).
#pragma once

#include <cstdint>
#include <optional>
#include <string>

namespace cxm::store {

// How a key's count turns into a wait. Two shapes:
//
// back_off: the first `free_attempts` attempts go through at once; after
// that each attempt must wait first_wait_ms after the last one, doubling
// with every further attempt up to longest_wait_ms. The count drops by one
// for every leak_ms without an attempt, so an owner's old typos are
// forgotten; attempts that keep coming keep the count (up to most_counted).
//
// steady: a bucket of `free_attempts` attempts that refills one every
// leak_ms, whether or not attempts keep coming: at most free_attempts at
// once, then one per leak_ms, and never a wait longer than leak_ms. An
// attempt taken back (Store::attempt_succeeded) frees its place at once.
// first_wait_ms, longest_wait_ms and most_counted are not used.
struct ThrottleRule {
  enum class Shape { back_off, steady };
  Shape shape = Shape::back_off;
  int free_attempts = 5;
  std::int64_t first_wait_ms = 1000;
  std::int64_t longest_wait_ms = 300000;
  std::int64_t leak_ms = 900000;
  // The count never grows past this, so that it leaks away within hours
  // once an attack stops.
  int most_counted = 40;

  // `burst` attempts at once, then one every `every_ms`.
  static ThrottleRule steady(int burst, std::int64_t every_ms) {
    ThrottleRule rule;
    rule.shape = Shape::steady;
    rule.free_attempts = burst;
    rule.first_wait_ms = rule.longest_wait_ms = rule.leak_ms = every_ms;
    rule.most_counted = burst;
    return rule;
  }
};

// What the database holds for one key. For a steady rule,
// `last_attempt_at` is the time from which the bucket refills.
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

// One key of an attempt: a hash naming an account, a client address or the
// instance (the database keeps no e-mail address or IP address for this),
// and its rule.
struct ThrottleKey {
  std::string key;
  ThrottleRule rule;
};

}  // namespace cxm::store
