// An organization's action plan as files other tools read: CSV (one row
// per action) and iCalendar (RFC 5545: one VTODO per action with a due
// date), which calendar and task apps import.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace cxm::report {

// One action as exported; `status` is planned, in_progress, done or dropped.
struct ExportedAction {
  std::string id;
  std::string title;
  std::string description;
  std::string reason;
  std::string competency;  // the competency's name, or empty
  std::optional<int> target_stage;
  std::vector<std::string> items;
  std::string owner;
  std::string success_measure;
  std::optional<std::string> due;  // YYYY-MM-DD
  std::string status;
  std::int64_t updated_at = 0;  // Unix milliseconds
};

// RFC 4180 CSV with a header row, CRLF line ends. A cell that a
// spreadsheet would run as a formula (starting with = + - @, a tab or a
// carriage return) is prefixed with an apostrophe.
std::string actions_csv(const std::vector<ExportedAction>& actions);

// An iCalendar object (VCALENDAR) named `calendar_name` with one VTODO per
// action that has a due date: UID `<id>@<uid_domain>`, DTSTAMP `now_ms`,
// SUMMARY, DESCRIPTION, DUE (a date), STATUS, LAST-MODIFIED. Text is
// escaped and lines are folded at 75 octets, never inside a UTF-8 character.
std::string actions_icalendar(const std::vector<ExportedAction>& actions,
                              std::string_view calendar_name, std::string_view uid_domain,
                              std::int64_t now_ms);

// RFC 5545 section 3.3.11: backslash, semicolon, comma and line breaks escaped.
std::string escape_ical_text(std::string_view text);
// RFC 5545 section 3.1: `line` (without its CRLF) folded into lines of at
// most 75 octets, each continuation starting with a space; ends with CRLF.
std::string fold_ical_line(std::string_view line);

}  // namespace cxm::report
