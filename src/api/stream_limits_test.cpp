#include "api/stream_limits.h"

#include <gtest/gtest.h>

#include <atomic>
#include <thread>
#include <vector>

namespace cxm::api {
namespace {

StreamLimitOptions small() {
  StreamLimitOptions options;
  options.per_link = 2;
  options.per_address = 3;
  options.in_all = 5;
  return options;
}

TEST(StreamLimits, PerLinkThenPerAddressThenInAll) {
  StreamLimits limits(small());
  std::vector<StreamLimits::Place> held;
  auto take = [&](const std::string& link, const std::string& address) {
    auto place = limits.admit(link, address);
    if (!place) return place.refusal().status;
    held.push_back(*place);
    return 200;
  };
  EXPECT_EQ(take("seat:a", "192.0.2.1"), 200);
  EXPECT_EQ(take("seat:a", "192.0.2.2"), 200);
  EXPECT_EQ(take("seat:a", "192.0.2.3"), 429);  // the link has two
  EXPECT_EQ(take("seat:b", "192.0.2.1"), 200);
  EXPECT_EQ(take("seat:c", "192.0.2.1"), 200);
  EXPECT_EQ(take("seat:d", "192.0.2.1"), 429);  // the address has three
  EXPECT_EQ(take("seat:d", "192.0.2.9"), 200);  // another address still may
  EXPECT_EQ(take("seat:e", "192.0.2.8"), 503);  // five in all
  EXPECT_EQ(limits.open_in_all(), 5u);
  const auto refused = limits.admit("seat:a", "192.0.2.7");
  ASSERT_FALSE(refused);
  EXPECT_EQ(refused.refusal().retry_after_seconds, 30);
  EXPECT_EQ(refused.refusal().code, "busy");
}

TEST(StreamLimits, APlaceIsGivenBackWhenItsLastHolderGoes) {
  StreamLimits limits(small());
  {
    auto first = limits.admit("seat:a", "192.0.2.1");
    ASSERT_TRUE(first);
    StreamLimits::Place copy = *first;  // as the reply's callbacks hold it
    auto second = limits.admit("seat:a", "192.0.2.1");
    ASSERT_TRUE(second);
    const auto third = limits.admit("seat:a", "192.0.2.1");
    ASSERT_FALSE(third);
    EXPECT_EQ(third.refusal().code, "too_many_streams");
    EXPECT_EQ(limits.open_in_all(), 2u);
  }
  EXPECT_EQ(limits.open_in_all(), 0u);
  EXPECT_TRUE(limits.admit("seat:a", "192.0.2.1"));
}

// Many threads at once: never more places than allowed, and all given back.
TEST(StreamLimits, ParallelOpensGetNoMoreThanTheLimit) {
  StreamLimitOptions options;
  options.per_link = 4;
  options.per_address = 1000;
  options.in_all = 1000;
  StreamLimits limits(options);
  std::atomic<int> admitted{0};
  std::vector<StreamLimits::Place> held(64);
  std::vector<std::thread> threads;
  for (std::size_t i = 0; i < held.size(); ++i) {
    threads.emplace_back([&, i] {
      auto place = limits.admit("seat:one", "192.0.2." + std::to_string(i));
      if (!place) return;
      ++admitted;
      held[i] = *place;
    });
  }
  for (auto& t : threads) t.join();
  EXPECT_EQ(admitted.load(), 4);
  held.clear();
  EXPECT_EQ(limits.open_in_all(), 0u);
}

}  // namespace
}  // namespace cxm::api
