#include "api/guess_limits.h"

#include "secrets/secrets.h"

namespace cxm::api {
namespace {

using store::ThrottleRule;

constexpr std::int64_t kSecond = 1000;
constexpr std::int64_t kMinute = 60 * kSecond;

// Keys are hashes, so that the table keeps no e-mail address (an unknown
// one may be a mistyped password) and no IP address.
std::string key(const std::string& what) { return secrets::token_hash(what); }

}  // namespace

// ---- Log-ins -----------------------------------------------------------------
//
// Per account (one person's mistakes; stops guessing one password): 5 free,
// then 1 s, 2 s, 4 s ... up to 5 minutes, one failure forgotten per quarter
// hour of quiet: after the first ~14 tries, at most 12 an hour, about
// 100,000 a year against one account. The owner is slowed, and a success
// clears the account.
//
// Per address (stops one place trying many accounts, yet an office shares
// one address): 20 at once, then one a minute; nobody there waits more
// than a minute because of someone else's typos.
//
// Instance (stops spraying from many addresses): 100 at once, then one
// every 6 s, 600 an hour, about 14,500 a day over every account together.
// Passwords have at least 10 characters and are none of ~5,000 common ones
// (nor those with digits or symbols added): trying even 1,000 further likely
// passwords on 100 accounts takes 100,000 checks, a week of an attack that
// slows everyone's log-ins and so does not go unnoticed. One address (one a
// minute) cannot use up the instance's allowance alone.

ThrottleRule login_account_rule() {
  ThrottleRule rule;
  rule.free_attempts = 5;
  rule.first_wait_ms = kSecond;
  rule.longest_wait_ms = 5 * kMinute;
  rule.leak_ms = 15 * kMinute;
  rule.most_counted = 40;
  return rule;
}

ThrottleRule login_address_rule() { return ThrottleRule::steady(20, kMinute); }

ThrottleRule login_instance_rule() { return ThrottleRule::steady(100, 6 * kSecond); }

// ---- Workshop join codes -------------------------------------------------------
//
// A code is 6 of 31 characters: 31^6 = 887,503,681 codes, of which the few
// workshops open at a time hold one each.
//
// Per address: 60 at once (a room behind the venue's one address mistyping
// codes), then one every 5 s. A good code takes its attempt back, so once a
// place has refilled (at most 5 s) the room's good codes go through one
// after another without waiting: 65 wrong codes from the venue delay the
// next phone by 5 s at most, not the whole room for minutes.
//
// Instance: 300 at once, then one every 2 s, 1,800 an hour. With ten
// workshops open around the clock, a guesser with any number of addresses
// hits one about once in 887,503,681 / (1,800 * 10) hours, i.e. 5.6 years;
// a workshop open for a day is found with a chance of (300 + 1,800 * 24) /
// 887,503,681 = 4.9e-5. One address (one per 5 s, 720 an hour) cannot use
// up the instance's allowance alone. While many addresses do, every join
// waits its turn for a place (up to 2 s); joined phones are not affected.

ThrottleRule join_address_rule() { return ThrottleRule::steady(60, 5 * kSecond); }

ThrottleRule join_instance_rule() { return ThrottleRule::steady(300, 2 * kSecond); }

// ---- Resume codes --------------------------------------------------------------
//
// A code is 8 of 31 characters: 31^8 = 852,891,037,441 codes, one per
// link, and ten wrong ones lock the link (the store): at most 10 checks per
// link, a chance of 1.2e-11. Whoever holds many links (a facilitator holds
// all of theirs) is bounded by the instance: 100 at once, then one every
// 10 s, 360 an hour, about 3.2 million a year over every link together, a
// chance of 3.7e-6 a year to find any code. Per address: 20 at once, then
// one every 30 s (120 an hour: one address cannot use up the instance's
// allowance alone).

ThrottleRule resume_address_rule() { return ThrottleRule::steady(20, 30 * kSecond); }

ThrottleRule resume_instance_rule() { return ThrottleRule::steady(100, 10 * kSecond); }

// ---- Counting ------------------------------------------------------------------

namespace {

std::string login_account_key(const std::string& email) { return key("account:" + email); }
std::string login_address_key(const std::string& address) { return key("address:" + address); }
std::string join_address_key(const std::string& address) { return key("join:" + address); }
std::string resume_address_key(const std::string& address) { return key("resume:" + address); }
const std::string& login_instance_key() {
  static const std::string k = key("instance:log-in");
  return k;
}
const std::string& join_instance_key() {
  static const std::string k = key("instance:join");
  return k;
}
const std::string& resume_instance_key() {
  static const std::string k = key("instance:resume");
  return k;
}

}  // namespace

std::int64_t GuessLimits::admit_login(const std::string& email, const std::string& address,
                                      std::int64_t now) {
  return store_.claim_attempt({{login_account_key(email), login_account_rule()},
                               {login_address_key(address), login_address_rule()},
                               {login_instance_key(), login_instance_rule()}},
                              now);
}

void GuessLimits::login_succeeded(const std::string& email, const std::string& address) {
  store_.attempt_succeeded({login_account_key(email)},
                           {login_address_key(address), login_instance_key()});
}

std::int64_t GuessLimits::admit_join(const std::string& address, std::int64_t now) {
  return store_.claim_attempt({{join_address_key(address), join_address_rule()},
                               {join_instance_key(), join_instance_rule()}},
                              now);
}

void GuessLimits::join_succeeded(const std::string& address) {
  store_.attempt_succeeded({}, {join_address_key(address), join_instance_key()});
}

std::int64_t GuessLimits::admit_resume(const std::string& address, std::int64_t now) {
  return store_.claim_attempt({{resume_address_key(address), resume_address_rule()},
                               {resume_instance_key(), resume_instance_rule()}},
                              now);
}

void GuessLimits::resume_succeeded(const std::string& address) {
  store_.attempt_succeeded({}, {resume_address_key(address), resume_instance_key()});
}

}  // namespace cxm::api
