// Guessing limits: the rules (login_throttle.h) and the counts in the
// login_throttle table, decided inside the writer's transaction.
#include "store/login_throttle.h"

#include <algorithm>
#include <utility>
#include <vector>

#include "store/store_impl.h"

namespace cxm::store {

namespace {

// Rows untouched this long are gone: every rule's count has leaked away by
// then (most_counted * leak_ms is under a day for the rules cxm uses).
constexpr std::int64_t kForgottenAfterMs = 24LL * 60 * 60 * 1000;

std::int64_t wait_after(const ThrottleRule& rule, int failures) {
  if (failures < rule.free_attempts) return 0;
  const int doublings = std::min(failures - rule.free_attempts, 40);
  std::int64_t wait = rule.first_wait_ms;
  for (int i = 0; i < doublings && wait < rule.longest_wait_ms; ++i) wait *= 2;
  return std::min(wait, rule.longest_wait_ms);
}

// A steady rule's bucket at `now`: what has refilled since its clock, with
// the clock moved on by whole refills only, so that attempts coming more
// often than leak_ms do not hold the refill back.
ThrottleCount refilled(const ThrottleRule& rule, const ThrottleCount& count, std::int64_t now) {
  if (count.failures <= 0) return {0, std::max(now, count.last_attempt_at)};
  if (rule.leak_ms <= 0 || now <= count.last_attempt_at) return count;
  const std::int64_t gone = (now - count.last_attempt_at) / rule.leak_ms;
  if (gone >= count.failures) return {0, now};
  return {count.failures - static_cast<int>(gone), count.last_attempt_at + gone * rule.leak_ms};
}

int leaked(const ThrottleRule& rule, const ThrottleCount& count, std::int64_t now) {
  if (rule.leak_ms <= 0 || now <= count.last_attempt_at) return count.failures;
  const std::int64_t gone = (now - count.last_attempt_at) / rule.leak_ms;
  return static_cast<int>(std::max<std::int64_t>(0, count.failures - gone));
}

// The key's count (zero when it has no row); `lock` is appended to the
// SELECT (" FOR UPDATE" or nothing).
ThrottleCount read_count(soci::session& sql, const std::string& key, const char* lock) {
  ThrottleCount count;
  soci::rowset<soci::row> rows =
      (sql.prepare
           << std::string(
                  "SELECT failures, last_attempt_at FROM login_throttle WHERE throttle_key = :k") +
                  lock,
       soci::use(key));
  for (const auto& row : rows) count = {static_cast<int>(as_int64(row, 0)), as_int64(row, 1)};
  return count;
}

// Takes the row's lock (inserting an empty row first, so that there is one
// to lock) and reads it. On SQLite the writer's BEGIN IMMEDIATE already
// excludes every other writer.
ThrottleCount locked_count(soci::session& sql, bool postgresql, const std::string& key) {
  sql << "INSERT INTO login_throttle (throttle_key, failures, last_attempt_at) VALUES (:k, 0, 0) "
         "ON CONFLICT (throttle_key) DO NOTHING",
      soci::use(key);
  return read_count(sql, key, postgresql ? " FOR UPDATE" : "");
}

}  // namespace

std::int64_t throttle_wait_ms(const ThrottleRule& rule, const ThrottleCount& count,
                              std::int64_t now) {
  if (rule.shape == ThrottleRule::Shape::steady) {
    const ThrottleCount bucket = refilled(rule, count, now);
    if (bucket.failures < rule.free_attempts) return 0;
    return std::max<std::int64_t>(1, bucket.last_attempt_at + rule.leak_ms - now);
  }
  const std::int64_t after = wait_after(rule, count.failures);
  if (after == 0) return 0;  // even when another attempt's clock read ran ahead of ours
  const std::int64_t ready_at = count.last_attempt_at + after;
  return std::max<std::int64_t>(0, ready_at - now);
}

ThrottleCount throttle_counted(const ThrottleRule& rule, const ThrottleCount& count,
                               std::int64_t now) {
  if (rule.shape == ThrottleRule::Shape::steady) {
    const ThrottleCount bucket = refilled(rule, count, now);
    return {std::min(bucket.failures + 1, rule.free_attempts), bucket.last_attempt_at};
  }
  return {std::min(leaked(rule, count, now) + 1, rule.most_counted),
          std::max(now, count.last_attempt_at)};
}

std::int64_t Store::claim_attempt(const std::vector<ThrottleKey>& keys, std::int64_t now) {
  // Rows are locked in one order, so two attempts never wait for each other.
  std::vector<ThrottleKey> sorted = keys;
  std::sort(sorted.begin(), sorted.end(),
            [](const auto& a, const auto& b) { return a.key < b.key; });
  // A refusal changes nothing, so a plain read may give it: while a key
  // waits, a flood of attempts costs no writes. Only the write admits.
  const std::int64_t waiting = impl_->read([&](soci::session& sql) {
    std::int64_t wait = 0;
    for (const auto& k : sorted)
      wait = std::max(wait, throttle_wait_ms(k.rule, read_count(sql, k.key, ""), now));
    return wait;
  });
  if (waiting > 0) return waiting;
  std::int64_t wait = 0;
  const bool postgresql = impl_->postgresql();
  const bool sweep = impl_->throttle_claims.fetch_add(1) % 64 == 0;
  impl_->write([&](soci::session& sql) {
    wait = 0;  // the job may run twice (see Writer)
    std::vector<ThrottleCount> counts;
    for (const auto& k : sorted) {
      counts.push_back(locked_count(sql, postgresql, k.key));
      wait = std::max(wait, throttle_wait_ms(k.rule, counts.back(), now));
    }
    if (wait > 0) return;
    for (std::size_t i = 0; i < sorted.size(); ++i) {
      const ThrottleCount next = throttle_counted(sorted[i].rule, counts[i], now);
      sql << "UPDATE login_throttle SET failures = :f, last_attempt_at = :t WHERE throttle_key = "
             ":k",
          soci::use(next.failures), soci::use(static_cast<long long>(next.last_attempt_at)),
          soci::use(sorted[i].key);
    }
    if (!sweep) return;
    const long long cutoff = now - kForgottenAfterMs;
    if (postgresql) {
      // Rows another attempt holds are left for a later sweep.
      sql << "DELETE FROM login_throttle WHERE throttle_key IN (SELECT throttle_key FROM "
             "login_throttle "
             "WHERE last_attempt_at < :c FOR UPDATE SKIP LOCKED)",
          soci::use(cutoff);
    } else {
      sql << "DELETE FROM login_throttle WHERE last_attempt_at < :c", soci::use(cutoff);
    }
  });
  return wait;
}

void Store::attempt_succeeded(const std::vector<std::string>& forget,
                              const std::vector<std::string>& take_back) {
  // Rows in one order, as claim_attempt locks them, so that the two never
  // wait for each other.
  std::vector<std::pair<std::string, bool>> rows;  // key, whether to forget it
  for (const auto& key : forget) rows.emplace_back(key, true);
  for (const auto& key : take_back) rows.emplace_back(key, false);
  std::sort(rows.begin(), rows.end());
  impl_->write([&](soci::session& sql) {
    for (const auto& [key, whole] : rows) {
      if (whole) {
        sql << "DELETE FROM login_throttle WHERE throttle_key = :k", soci::use(key);
      } else {
        sql << "UPDATE login_throttle SET failures = failures - 1 WHERE throttle_key = :k AND "
               "failures > 0",
            soci::use(key);
      }
    }
  });
}

void Store::write_probe(std::int64_t now) {
  impl_->write([&](soci::session& sql) {
    sql << "UPDATE health_probe SET written_at = :t WHERE id = 1",
        soci::use(static_cast<long long>(now));
  });
}

}  // namespace cxm::store
