// An organization's action plan as files other tools read: CSV (one row
// per action) and iCalendar (RFC 5545: an all-day VEVENT on the due day of
// each dated action, which calendar apps such as Outlook and Google
// Calendar show, and a VTODO per action, which task apps read).
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

// RFC 4180 CSV with a UTF-8 byte-order mark and a header row, CRLF line
// ends; `status` as stored (planned, in_progress, ...), for tools. A cell that a
// spreadsheet would run as a formula (starting with = + - @, a tab or a
// carriage return) is prefixed with an apostrophe.
std::string actions_csv(const std::vector<ExportedAction>& actions);

// "Planned", "In progress", "Done", "Dropped": a status as people read it
// (an unknown status as it is, its underscores as spaces).
std::string action_status_label(std::string_view status);

// Whether `action` has a due date that is a real day (YYYY-MM-DD): only
// those are events on a calendar.
bool has_calendar_day(const ExportedAction& action);

// An iCalendar object (VCALENDAR, METHOD:PUBLISH) named `calendar_name`:
// - per action with a due day, an all-day VEVENT (UID
//   `<id>-due@<uid_domain>`, DTSTART the due day, DTEND the day after,
//   SUMMARY "Due: <title>", DESCRIPTION with owner, status and competency,
//   STATUS:CANCELLED for a dropped action, TRANSP:TRANSPARENT so that it
//   never blocks time);
// - per action, a VTODO (UID `<id>@<uid_domain>`, DUE only when it has a
//   due day, STATUS, PERCENT-COMPLETE when done, LAST-MODIFIED).
// An action without a due day is a VTODO only; the calendar's description
// (X-WR-CALDESC) says how many are not on the calendar. DTSTAMP is
// `now_ms`. Text is escaped and lines are folded at 75 octets, never inside
// a UTF-8 character; lines end with CRLF.
std::string actions_icalendar(const std::vector<ExportedAction>& actions,
                              std::string_view calendar_name, std::string_view uid_domain,
                              std::int64_t now_ms);

// RFC 5545 section 3.3.11: backslash, semicolon, comma and line breaks escaped.
std::string escape_ical_text(std::string_view text);
// RFC 5545 section 3.1: `line` (without its CRLF) folded into lines of at
// most 75 octets, each continuation starting with a space; ends with CRLF.
std::string fold_ical_line(std::string_view line);

}  // namespace cxm::report
