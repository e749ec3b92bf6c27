#include "core/segments.h"

#include <gtest/gtest.h>

#include "core/test_support.h"

namespace cxm::core {
namespace {

using testing::add_respondent;
using testing::make_model;

class Segments : public ::testing::Test {
 protected:
  Model model = make_model(3, {{"a2", "a", 2}, {"a3", "a", 3}});
  Responses responses{2};
  void SetUp() override {
    for (int i = 0; i < 3; ++i) add_respondent(responses, {5, 5}, "executive", "Sales");
    for (int i = 0; i < 4; ++i) add_respondent(responses, {2, 1}, "frontline", "Support");
    add_respondent(responses, {3, 3}, "manager", "Sales");
    add_respondent(responses, {std::nullopt, std::nullopt}, "manager", "Sales");
  }
};

TEST_F(Segments, RolesInModelOrderWithSuppressionBelowMinimum) {
  const auto roles = score_segments(model, responses, SegmentKind::role, 3);
  ASSERT_EQ(roles.size(), 3u);  // "other" has nobody and is not listed
  EXPECT_EQ(roles[0].value, "executive");
  EXPECT_FALSE(roles[0].suppressed);
  EXPECT_EQ(roles[0].result->stage.stage, 3);
  EXPECT_EQ(roles[1].value, "manager");
  // Two managers, one of whom answered nothing: 1 answering < 3.
  EXPECT_EQ(roles[1].respondents, 1u);
  EXPECT_TRUE(roles[1].suppressed);
  EXPECT_FALSE(roles[1].result.has_value());
  EXPECT_EQ(roles[2].value, "frontline");
  EXPECT_EQ(roles[2].result->stage.stage, 1);
}

// SPEC section 8: a segment needs k respondents who answered themselves;
// imported rows count only in a group made of imported rows alone.
TEST(SegmentsWithImports, SuppliedRowsNeverMakeUpAGroupOfOthers) {
  const Model model = make_model(3, {{"a2", "a", 2}, {"a3", "a", 3}});
  Responses responses{2};
  auto add = [&](const std::string& unit, bool supplied) {
    const std::size_t row =
        responses.add(Respondent{"r" + std::to_string(responses.size() + 1), "", unit, supplied});
    responses.set(row, 0, 4);
  };
  add("Support", false);
  add("Support", true);
  add("Support", true);
  for (int i = 0; i < 3; ++i) add("Imported only", true);
  for (int i = 0; i < 3; ++i) add("Mixed", i != 1);  // two who answered, one imported
  const auto units = score_segments(model, responses, SegmentKind::unit, 3);
  ASSERT_EQ(units.size(), 3u);
  EXPECT_EQ(units[0].respondents, 3u);
  EXPECT_EQ(units[0].supplied, 2u);
  EXPECT_TRUE(units[0].suppressed);  // one person and two rows the facilitator made
  EXPECT_FALSE(units[1].suppressed);
  EXPECT_TRUE(units[2].suppressed);
  EXPECT_EQ(counted_towards_group(3, 2), 1u);
  EXPECT_EQ(counted_towards_group(3, 3), 3u);
  EXPECT_EQ(counted_towards_group(5, 0), 5u);
}

TEST_F(Segments, UnitsInOrderOfAppearance) {
  const auto units = score_segments(model, responses, SegmentKind::unit, 3);
  ASSERT_EQ(units.size(), 2u);
  EXPECT_EQ(units[0].value, "Sales");
  EXPECT_EQ(units[0].respondents, 4u);
  EXPECT_EQ(units[1].value, "Support");
}

TEST_F(Segments, GapsOnlyBetweenUnsuppressedSegments) {
  const auto roles = score_segments(model, responses, SegmentKind::role, 3);
  const auto gaps = segment_gaps(model, responses, roles);
  ASSERT_EQ(gaps.size(), 1u);
  EXPECT_EQ(gaps[0].a, "executive");
  EXPECT_EQ(gaps[0].b, "frontline");
  // Executives 100 on every item; frontline (2,1) -> 12.5 each respondent.
  EXPECT_NEAR(gaps[0].comparison.overall.difference.difference, 100.0 - 12.5, 1e-9);
  // No spread in either group: no interval, no effect size.
  EXPECT_FALSE(gaps[0].comparison.overall.difference.ci_low.has_value());
  EXPECT_FALSE(gaps[0].comparison.overall.effect_size.has_value());
}

TEST_F(Segments, RaisingTheMinimumSuppressesMore) {
  const auto roles = score_segments(model, responses, SegmentKind::role, 4);
  EXPECT_TRUE(roles[0].suppressed);
  EXPECT_FALSE(roles[2].suppressed);
}

}  // namespace
}  // namespace cxm::core
