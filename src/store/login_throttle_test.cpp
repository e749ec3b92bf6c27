#include "store/login_throttle.h"

#include <gtest/gtest.h>

#include <atomic>
#include <thread>

#include "../../tests/postgres_cluster.h"
#include "../../tests/run_process.h"
#include "store/store.h"

namespace cxm::store {
namespace {

using cxm::testing::TempDir;

ThrottleRule five_free() {
  ThrottleRule rule;
  rule.free_attempts = 5;
  rule.first_wait_ms = 1000;
  rule.longest_wait_ms = 8000;
  rule.leak_ms = 60000;
  rule.most_counted = 20;
  return rule;
}

TEST(ThrottleRule, FreeAttemptsThenDoublingWaitsUpToTheLongest) {
  const ThrottleRule rule = five_free();
  ThrottleCount count;
  std::int64_t now = 1000000;
  for (int i = 0; i < 5; ++i) {
    EXPECT_EQ(throttle_wait_ms(rule, count, now), 0) << i;
    count = throttle_counted(rule, count, now);
  }
  std::vector<std::int64_t> waits;
  for (int i = 0; i < 6; ++i) {
    const std::int64_t wait = throttle_wait_ms(rule, count, now);
    waits.push_back(wait);
    now += wait;
    EXPECT_EQ(throttle_wait_ms(rule, count, now), 0);
    count = throttle_counted(rule, count, now);
  }
  EXPECT_EQ(waits, (std::vector<std::int64_t>{1000, 2000, 4000, 8000, 8000, 8000}));
}

TEST(ThrottleRule, CountsLeakAwayWithTime) {
  const ThrottleRule rule = five_free();
  ThrottleCount count{7, 0};
  EXPECT_EQ(throttle_counted(rule, count, 59999).failures, 8);
  EXPECT_EQ(throttle_counted(rule, count, 60000).failures, 7);       // one leaked, one added
  EXPECT_EQ(throttle_counted(rule, count, 10 * 60000).failures, 1);  // all leaked
  EXPECT_EQ(throttle_counted(rule, ThrottleCount{20, 5}, 5).failures,
            20);  // never past most_counted
}

// Attempts in flight at once read the clock in any order: one stamped a
// little earlier than the count another just wrote is still within the free
// allowance, and the stamp never moves back. (Two processes admitted four
// of five free attempts before: 5 ms "to wait" for a free attempt.)
TEST(ThrottleRule, AFreeAttemptNeverWaitsForAClockALittleAhead) {
  const ThrottleRule rule = five_free();
  const ThrottleCount count{3, 1000};
  EXPECT_EQ(throttle_wait_ms(rule, count, 995), 0);
  EXPECT_EQ(throttle_counted(rule, count, 995).last_attempt_at, 1000);
  EXPECT_EQ(throttle_counted(rule, count, 995).failures, 4);
}

// A steady rule: a burst, then one attempt per interval, and never a wait
// longer than the interval.
TEST(ThrottleRule, SteadyAllowsABurstThenOnePerInterval) {
  const ThrottleRule rule = ThrottleRule::steady(3, 10000);
  ThrottleCount count;
  std::int64_t now = 1000000;
  for (int i = 0; i < 3; ++i) {
    ASSERT_EQ(throttle_wait_ms(rule, count, now), 0) << i;
    count = throttle_counted(rule, count, now);
  }
  EXPECT_EQ(throttle_wait_ms(rule, count, now), 10000);
  EXPECT_EQ(throttle_wait_ms(rule, count, now + 4000), 6000);
  now += 10000;
  EXPECT_EQ(throttle_wait_ms(rule, count, now), 0);
  count = throttle_counted(rule, count, now);
  EXPECT_EQ(throttle_wait_ms(rule, count, now), 10000);  // never more than one interval
  EXPECT_EQ(count.failures, 3);                          // never past the burst
}

// Attempts that come more often than the interval do not hold the refill
// back (a back_off rule forgets only after a pause): a room whose good codes
// keep coming regains its place after one interval.
TEST(ThrottleRule, SteadyRefillsWhileAttemptsKeepComing) {
  const ThrottleRule rule = ThrottleRule::steady(3, 10000);
  ThrottleCount count{2, 1000000};  // one place free, refilling since 1000000
  for (std::int64_t t = 1000000; t < 1010000; t += 3000) {
    ASSERT_EQ(throttle_wait_ms(rule, count, t), 0);
    count = throttle_counted(rule, count, t);  // taken ...
    count.failures -= 1;                       // ... and taken back (a good code)
  }
  EXPECT_EQ(count.failures, 2);
  EXPECT_EQ(throttle_counted(rule, count, 1010000).failures, 2);  // one refilled, one taken
  EXPECT_EQ(throttle_counted(rule, count, 1030000).failures, 1);  // all refilled, one taken
  // The clock a little ahead (another process's attempt): no wait for a free place.
  EXPECT_EQ(throttle_wait_ms(rule, ThrottleCount{1, 2000000}, 1999990), 0);
}

// Two stores on one database, as two cxm processes: attempts made at once
// through both are admitted exactly as often as the rule allows, because
// each is counted inside the write before it is admitted.
class SharedThrottle : public ::testing::TestWithParam<std::string> {
 protected:
  TempDir dir;
  std::unique_ptr<Store> a, b;
  void SetUp() override {
    std::string error;
    const auto url = parse_database_url(cxm::testing::test_database(GetParam(), dir.path()), error);
    ASSERT_TRUE(url) << error;
    a = Store::open(*url);
    b = Store::open(a->url());
  }
};

TEST_P(SharedThrottle, ParallelAttemptsThroughTwoStoresAreAdmittedOnlyAsOftenAsAllowed) {
  const std::vector<ThrottleKey> keys = {{"account-key", five_free()},
                                         {"address-key", five_free()}};
  std::atomic<int> admitted{0}, refused{0};
  std::vector<std::thread> threads;
  for (int i = 0; i < 32; ++i) {
    threads.emplace_back([&, i] {
      Store& store = i % 2 == 0 ? *a : *b;
      (store.claim_attempt(keys, 1000000) == 0 ? admitted : refused)++;
    });
  }
  for (auto& t : threads) t.join();
  EXPECT_EQ(admitted.load(), 5);
  EXPECT_EQ(refused.load(), 27);
  EXPECT_EQ(b->claim_attempt(keys, 1000500),
            500);  // the fifth attempt's wait, from either store
  EXPECT_EQ(a->claim_attempt(keys, 1001000), 0);
}

TEST_P(SharedThrottle, ASuccessClearsTheAccountAndRefundsTheAddress) {
  const std::vector<ThrottleKey> keys = {{"account-key", five_free()},
                                         {"address-key", five_free()}};
  for (int i = 0; i < 5; ++i) ASSERT_EQ(a->claim_attempt(keys, 1000000), 0);
  EXPECT_GT(b->claim_attempt(keys, 1000000), 0);
  b->attempt_succeeded({"account-key"}, {"address-key"});
  // The account starts afresh; the address keeps four of its five.
  EXPECT_EQ(a->claim_attempt({{"account-key", five_free()}}, 1000000), 0);
  EXPECT_EQ(a->claim_attempt({{"address-key", five_free()}}, 1000000), 0);  // the fifth again
  EXPECT_GT(a->claim_attempt({{"address-key", five_free()}}, 1000000), 0);
}

// The instance-wide key of a steady rule under parallel attempts through
// two stores: exactly its burst goes ahead; a success frees its place.
TEST_P(SharedThrottle, ASteadyKeyAdmitsItsBurstAcrossStores) {
  const ThrottleRule rule = ThrottleRule::steady(7, 60000);
  std::atomic<int> admitted{0}, refused{0};
  std::vector<std::thread> threads;
  for (int i = 0; i < 24; ++i) {
    threads.emplace_back([&, i] {
      Store& store = i % 2 == 0 ? *a : *b;
      const std::vector<ThrottleKey> keys = {{"instance", rule},
                                             {"address-" + std::to_string(i % 6), five_free()}};
      (store.claim_attempt(keys, 1000000) == 0 ? admitted : refused)++;
    });
  }
  for (auto& t : threads) t.join();
  EXPECT_EQ(admitted.load(), 7);
  EXPECT_EQ(refused.load(), 17);
  EXPECT_EQ(b->claim_attempt({{"instance", rule}}, 1030000), 30000);
  a->attempt_succeeded({}, {"instance"});
  EXPECT_EQ(b->claim_attempt({{"instance", rule}}, 1030000), 0);
  EXPECT_EQ(a->claim_attempt({{"instance", rule}}, 1060000), 0);  // refilled after a minute
  EXPECT_GT(a->claim_attempt({{"instance", rule}}, 1060000), 0);
}

TEST_P(SharedThrottle, OneWaitingKeyRefusesWithoutCountingTheOthers) {
  ThrottleRule one_free = five_free();
  one_free.free_attempts = 1;
  ASSERT_EQ(a->claim_attempt({{"address-key", one_free}}, 1000000), 0);
  EXPECT_EQ(a->claim_attempt({{"account-key", one_free}, {"address-key", one_free}}, 1000000),
            1000);
  // The account was not counted by the refused attempt: it has its free one.
  EXPECT_EQ(b->claim_attempt({{"account-key", one_free}}, 1000000), 0);
}

INSTANTIATE_TEST_SUITE_P(Databases, SharedThrottle, ::testing::Values("sqlite", "postgresql"),
                         [](const auto& info) { return info.param; });

}  // namespace
}  // namespace cxm::store
