#include "core/calendar.h"

#include <algorithm>
#include <cstdio>
#include <ctime>

#include "core/benchmark.h"

namespace cxm::core {

int days_in_month(int year, int month) {
  static const int days[] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
  const bool leap = (year % 4 == 0 && year % 100 != 0) || year % 400 == 0;
  return days[month - 1] + (month == 2 && leap ? 1 : 0);
}

std::string months_after(std::int64_t ms, int months) {
  const std::time_t seconds = static_cast<std::time_t>(ms / 1000);
  std::tm utc{};
  gmtime_r(&seconds, &utc);
  int year = utc.tm_year + 1900, month = utc.tm_mon + months;
  year += month / 12;
  month %= 12;
  const int last = days_in_month(year, month + 1);
  char buffer[16];
  std::snprintf(buffer, sizeof buffer, "%04d-%02d-%02d", year, month + 1,
                std::min(utc.tm_mday, last));
  return buffer;
}

std::string utc_date(std::int64_t ms) { return months_after(ms, 0); }

std::optional<std::string> day_after(std::string_view date) {
  const auto day = parse_iso_date(date);
  if (!day) return std::nullopt;
  std::string next = format_iso_date(*day + 1);
  if (next.size() != 10) return std::nullopt;  // past 9999-12-31
  return next;
}

CycleDue next_cycle_due(std::int64_t last_closed_ms, int interval_months, std::int64_t now_ms) {
  CycleDue due;
  due.next_due = months_after(last_closed_ms, interval_months);
  due.overdue = due.next_due < utc_date(now_ms);
  return due;
}

}  // namespace cxm::core
