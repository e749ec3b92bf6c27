// Calendar dates for the cycle rhythm (SPEC 4.5): when the next cycle is
// due. Pure arithmetic on Unix milliseconds; the caller passes the clock.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace cxm::core {

// The days of `month` (1-12) of `year` in the proleptic Gregorian calendar.
int days_in_month(int year, int month);

// "YYYY-MM-DD" of the UTC day of `ms`, and `months` calendar months after
// it (the day clipped to the month's last: 31 Aug + 6 months = 28/29 Feb).
std::string utc_date(std::int64_t ms);
std::string months_after(std::int64_t ms, int months);

struct CycleDue {
  std::string next_due;  // YYYY-MM-DD
  bool overdue = false;  // the due day is before today (UTC); due today is not overdue
};

// The day after `date` as "YYYY-MM-DD" (2026-02-28 -> 2026-03-01, 2026-12-31
// -> 2027-01-01): the exclusive end of an all-day calendar entry. nullopt
// when `date` is not a real YYYY-MM-DD day (core::parse_iso_date) or the
// day after would need a fifth year digit.
std::optional<std::string> day_after(std::string_view date);

// The next cycle is due `interval_months` after the last one closed.
CycleDue next_cycle_due(std::int64_t last_closed_ms, int interval_months, std::int64_t now_ms);

}  // namespace cxm::core
