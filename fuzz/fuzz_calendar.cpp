// libFuzzer target: any bytes, split at newlines into an action's due date,
// title, description, owner and the calendar's name, give an iCalendar
// object every reader can parse (CRLF lines of at most 75 octets, no bare
// CR or LF, each BEGIN closed by its END), with an all-day event exactly
// when the due date is a day, ending the day after it.
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <string>
#include <string_view>
#include <vector>

#include "core/benchmark.h"
#include "core/calendar.h"
#include "report/action_exports.h"

namespace {

std::vector<std::string> parts_of(std::string_view text) {
  std::vector<std::string> parts;
  std::size_t start = 0;
  for (std::size_t k = 0; k <= text.size(); ++k) {
    if (k == text.size() || text[k] == '\n') {
      parts.emplace_back(text.substr(start, k - start));
      start = k + 1;
    }
  }
  parts.resize(5);
  return parts;
}

void check_calendar(const std::string& ics, std::size_t events_expected) {
  std::vector<std::string> open;
  std::size_t events = 0, start = 0;
  std::string logical;
  auto take = [&](const std::string& line) {
    if (line.rfind("BEGIN:", 0) == 0) {
      open.push_back(line.substr(6));
      events += line == "BEGIN:VEVENT" ? 1 : 0;
    } else if (line.rfind("END:", 0) == 0) {
      if (open.empty() || open.back() != line.substr(4)) std::abort();
      open.pop_back();
    } else if (open.empty() || line.find(':') == std::string::npos) {
      std::abort();
    }
  };
  while (start < ics.size()) {
    const std::size_t end = ics.find("\r\n", start);
    if (end == std::string::npos) std::abort();
    const std::string line = ics.substr(start, end - start);
    if (line.size() > 75 || line.find_first_of("\r\n") != std::string::npos) std::abort();
    if (!line.empty() && line[0] == ' ') {
      if (logical.empty()) std::abort();
      logical += line.substr(1);
    } else {
      if (!logical.empty()) take(logical);
      logical = line;
    }
    start = end + 2;
  }
  if (!logical.empty()) take(logical);
  if (!open.empty() || events != events_expected) std::abort();
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const auto parts = parts_of(std::string_view(reinterpret_cast<const char*>(data), size));
  cxm::report::ExportedAction action;
  action.id = "a1";
  action.due = parts[0];
  action.title = parts[1];
  action.description = parts[2];
  action.owner = parts[3];
  action.status = "planned";
  const auto next = cxm::core::day_after(parts[0]);
  if (next) {
    const auto day = cxm::core::parse_iso_date(parts[0]);
    if (!day || cxm::core::parse_iso_date(*next) != *day + 1) std::abort();
  }
  if (cxm::report::has_calendar_day(action) != next.has_value()) std::abort();
  const std::string ics = cxm::report::actions_icalendar({action}, parts[4], "cxm", 0);
  check_calendar(ics, next ? 1 : 0);
  if (next && ics.find("DTEND;VALUE=DATE:" + next->substr(0, 4) + next->substr(5, 2) +
                       next->substr(8, 2) + "\r\n") == std::string::npos) {
    std::abort();
  }
  return 0;
}
