#include "core/customer_metrics.h"

#include <gtest/gtest.h>

namespace cxm::core {
namespace {

TEST(CustomerMetrics, BuiltinMetricsHaveTheirScales) {
  const auto nps = builtin_metric("nps");
  ASSERT_TRUE(nps);
  EXPECT_EQ(nps->scale_min, -100);
  EXPECT_EQ(nps->scale_max, 100);
  EXPECT_TRUE(nps->builtin);
  EXPECT_DOUBLE_EQ(normalized_metric(*nps, 30), 65);
  const auto ces = builtin_metric("ces");
  ASSERT_TRUE(ces);
  EXPECT_DOUBLE_EQ(normalized_metric(*ces, 4), 50);
  EXPECT_FALSE(builtin_metric("NPS"));
  EXPECT_FALSE(builtin_metric("trustpilot"));
}

TEST(CustomerMetrics, NamedRatingIds) {
  EXPECT_TRUE(valid_metric_id("trustpilot"));
  EXPECT_TRUE(valid_metric_id("google_stars2"));
  EXPECT_FALSE(valid_metric_id(""));
  EXPECT_FALSE(valid_metric_id("2stars"));
  EXPECT_FALSE(valid_metric_id("Stars"));
  EXPECT_FALSE(valid_metric_id("google-stars"));
  EXPECT_FALSE(valid_metric_id(std::string(41, 'a')));
  EXPECT_TRUE(valid_metric_id(std::string(40, 'a')));
}

TEST(CustomerMetrics, PeriodsAreMonthsOrDays) {
  const auto feb = parse_period("2028-02");
  ASSERT_TRUE(feb);
  EXPECT_TRUE(feb->month);
  EXPECT_EQ(format_iso_date(feb->first), "2028-02-01");
  EXPECT_EQ(format_iso_date(feb->last), "2028-02-29");
  EXPECT_EQ(to_text(*feb), "2028-02");
  const auto dec = parse_period("2026-12");
  ASSERT_TRUE(dec);
  EXPECT_EQ(format_iso_date(dec->last), "2026-12-31");
  const auto day = parse_period("2026-03-15");
  ASSERT_TRUE(day);
  EXPECT_FALSE(day->month);
  EXPECT_EQ(day->first, day->last);
  EXPECT_EQ(to_text(*day), "2026-03-15");
  for (const char* bad : {"", "2026", "2026-13", "2026-00", "2026-3", "26-03", "2026-02-30",
                          "2026/03", "2026-03-1", "1899-12", "2026-03 ", "２０２６-03"}) {
    EXPECT_FALSE(parse_period(bad)) << bad;
  }
}

}  // namespace
}  // namespace cxm::core
