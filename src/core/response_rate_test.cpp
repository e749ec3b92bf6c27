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

}  // namespace
}  // namespace cxm::core
