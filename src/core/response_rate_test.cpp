#include "core/response_rate.h"

#include <gtest/gtest.h>

namespace cxm::core {
namespace {

std::vector<std::string> codes(const std::vector<ResponseWarning>& warnings) {
  std::vector<std::string> out;
  for (const auto& w : warnings) out.push_back(w.code);
  return out;
}

TEST(ResponseWarnings, NothingInvitedNothingToSay) {
  EXPECT_TRUE(response_warnings(0, 0, 0, {}, true, 3).empty());
}

TEST(ResponseWarnings, AnAnonymousCycleBelowKCannotPublish) {
  const auto w = response_warnings(10, 4, 2, {}, true, 3);
  ASSERT_EQ(codes(w), (std::vector<std::string>{"too_few_to_publish"}));
  EXPECT_NE(w[0].message.find("Fewer than 3"), std::string::npos);
  EXPECT_NE(w[0].message.find("imported rows do not count"), std::string::npos);
  // A named cycle publishes whatever the count: only the rate matters.
  EXPECT_TRUE(response_warnings(10, 4, 2, {}, false, 3).empty());
}

TEST(ResponseWarnings, ALowRateSaysItsPercentRoundedDown) {
  const auto w = response_warnings(100, 29, 29, {}, false, 3);
  ASSERT_EQ(codes(w), (std::vector<std::string>{"low_rate"}));
  EXPECT_EQ(w[0].message.rfind("29% of the people invited", 0), 0u);
  EXPECT_TRUE(response_warnings(100, 30, 30, {}, false, 3).empty());
}

TEST(ResponseWarnings, SmallGroupsAreNamedAndSaidToStayHidden) {
  const std::vector<GroupResponses> groups = {
      {"Retail stores", 10, 6}, {"Digital", 4, 2}, {"Nobody invited", 0, 0}, {"Finance", 3, 0}};
  const auto w = response_warnings(17, 8, 8, groups, true, 3);
  ASSERT_EQ(codes(w), (std::vector<std::string>{"small_groups"}));
  EXPECT_EQ(w[0].message.rfind("Digital, Finance have fewer than 3", 0), 0u);
  EXPECT_NE(w[0].message.find("they stay hidden"), std::string::npos);
  const auto one = response_warnings(14, 8, 8, {{"Digital", 4, 2}}, true, 3);
  EXPECT_NE(one[0].message.find("Digital has fewer than 3"), std::string::npos);
  EXPECT_TRUE(response_warnings(14, 8, 8, groups, false, 3).empty());  // named: shown anyway
  // Before anything can be published, the first warning says it all.
  EXPECT_EQ(codes(response_warnings(17, 2, 2, groups, true, 3)),
            (std::vector<std::string>{"too_few_to_publish", "low_rate"}));
}

constexpr auto kShown = CountShown::shown;
constexpr auto kSmall = CountShown::small;
constexpr auto kReveals = CountShown::reveals;
using Shown = std::vector<CountShown>;

TEST(HiddenCounts, EveryCountBelowKIsHiddenZeroIncluded) {
  EXPECT_EQ(hidden_counts({5, 4, 6}, {5, 4, 6}, 3), (Shown{kShown, kShown, kShown}));
  EXPECT_EQ(hidden_counts({5, 0, 4, 1}, {5, 0, 4, 1}, 3), (Shown{kShown, kSmall, kReveals, kSmall}))
      << "0 and 1 hide; together 1 < 3, so the smallest shown (4) hides too, for another reason";
}

TEST(HiddenCounts, TheTotalMinusTheShownGroupsNeverGivesAHiddenOne) {
  // Four in Sales, Gina alone in Support: "fewer than 3" beside a total of
  // 4 and Sales 3 would give Support 1 by subtraction.
  EXPECT_EQ(hidden_counts({3, 1}, {3, 1}, 3), (Shown{kReveals, kSmall}));
  // Before Gina answers, Support 0 beside Sales 10 would say she has not.
  EXPECT_EQ(hidden_counts({10, 0}, {10, 0}, 3), (Shown{kReveals, kSmall}));
  // Enough hidden together: nothing more to hide.
  EXPECT_EQ(hidden_counts({9, 2, 2}, {9, 2, 2}, 3), (Shown{kShown, kSmall, kSmall}));
  // Imported rows show but do not count towards k.
  EXPECT_EQ(hidden_counts({9, 4}, {9, 1}, 3), (Shown{kReveals, kSmall}));
  // Random groups: the hidden ones together hold at least k counted, or all hide.
  for (unsigned seed = 1; seed < 300; ++seed) {
    std::vector<std::size_t> counts;
    unsigned x = seed;
    for (int g = 0; g < 1 + static_cast<int>(seed % 5); ++g) {
      x = x * 1103515245u + 12345u;
      counts.push_back((x >> 16) % 7);
    }
    const auto shown = hidden_counts(counts, counts, 3);
    std::size_t sum = 0, n = 0;
    for (std::size_t i = 0; i < counts.size(); ++i) {
      if (shown[i] == kShown) {
        EXPECT_GE(counts[i], 3u);
        continue;
      }
      EXPECT_EQ(shown[i] == kSmall, counts[i] < 3) << "the reason is the true one";
      sum += counts[i];
      ++n;
    }
    EXPECT_TRUE(n == 0 || sum >= 3 || n == counts.size()) << seed;
  }
}

}  // namespace
}  // namespace cxm::core
