#include "core/calendar.h"

#include <gtest/gtest.h>

namespace cxm::core {
namespace {

constexpr std::int64_t kDay = 24LL * 60 * 60 * 1000;
constexpr std::int64_t k31Aug2026Noon = 1788177600000;

TEST(NextCycleDue, IsTheIntervalAfterTheLastCloseAndOverdueOnlyAfterThatDay) {
  const CycleDue six = next_cycle_due(k31Aug2026Noon, 6, k31Aug2026Noon + 10 * kDay);
  EXPECT_EQ(six.next_due, "2027-02-28");
  EXPECT_FALSE(six.overdue);
  const CycleDue three = next_cycle_due(k31Aug2026Noon, 3, k31Aug2026Noon + 10 * kDay);
  EXPECT_EQ(three.next_due, "2026-11-30");
  EXPECT_EQ(next_cycle_due(k31Aug2026Noon, 12, 0).next_due, "2027-08-31");
  // 30 Nov 2026 is due, not overdue, all day; 1 Dec it is overdue.
  const std::int64_t nov30 = k31Aug2026Noon + 91 * kDay;
  EXPECT_EQ(utc_date(nov30), "2026-11-30");
  EXPECT_FALSE(next_cycle_due(k31Aug2026Noon, 3, nov30).overdue);
  EXPECT_TRUE(next_cycle_due(k31Aug2026Noon, 3, nov30 + kDay).overdue);
}

TEST(DayAfter, EndsAnAllDayEntryAndRefusesWhatIsNotADay) {
  EXPECT_EQ(day_after("2026-06-30"), "2026-07-01");
  EXPECT_EQ(day_after("2026-12-31"), "2027-01-01");
  EXPECT_EQ(day_after("2026-02-28"), "2026-03-01");
  EXPECT_EQ(day_after("2028-02-28"), "2028-02-29");  // a leap year
  for (const char* bad : {"", "soon", "2026-02-29", "2026-13-01", "2026-6-30", "2026-06-30T00",
                          "20260630", "9999-12-31", "2026-06-3\xC3\xA9"}) {
    EXPECT_EQ(day_after(bad), std::nullopt) << bad;
  }
}

}  // namespace
}  // namespace cxm::core
