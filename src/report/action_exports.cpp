#include "report/action_exports.h"

#include <ctime>

#include "core/calendar.h"
#include "report/csv.h"

namespace cxm::report {
namespace {

std::string joined(const std::vector<std::string>& items, const char* separator) {
  std::string out;
  for (const auto& i : items) out += (out.empty() ? "" : separator) + i;
  return out;
}

// Unix milliseconds as an iCalendar UTC date-time, 20260529T081500Z.
std::string ical_time(std::int64_t ms) {
  const std::time_t seconds = static_cast<std::time_t>(ms / 1000);
  std::tm utc{};
  gmtime_r(&seconds, &utc);
  char buffer[32];
  std::strftime(buffer, sizeof buffer, "%Y%m%dT%H%M%SZ", &utc);
  return buffer;
}

// YYYY-MM-DD as an iCalendar DATE, 20260630.
std::string ical_date(const std::string& day) {
  return day.substr(0, 4) + day.substr(5, 2) + day.substr(8, 2);
}

const char* ical_status(const std::string& status) {
  if (status == "in_progress") return "IN-PROCESS";
  if (status == "done") return "COMPLETED";
  if (status == "dropped") return "CANCELLED";
  return "NEEDS-ACTION";
}

std::string description_of(const ExportedAction& a) {
  std::string out = a.description;
  auto add = [&out](const std::string& label, const std::string& text) {
    if (text.empty()) return;
    if (!out.empty()) out += "\n\n";
    out += label + text;
  };
  add("Why: ", a.reason);
  add("Owner: ", a.owner);
  add("Status: ", action_status_label(a.status));
  add("Competency: ", a.competency);
  add("Done when: ", a.success_measure);
  add("Statements: ", joined(a.items, ", "));
  return out;
}

// "2 actions have no due date: ..." for the calendar's description; empty
// when every action is on the calendar.
std::string undated_note(std::size_t undated) {
  if (undated == 0) return {};
  return std::to_string(undated) + (undated == 1 ? " action has" : " actions have") +
         " no due date: not on the calendar, listed as tasks only.";
}

}  // namespace

std::string actions_csv(const std::vector<ExportedAction>& actions) {
  std::string out =
      std::string(kUtf8Bom) +
      "id,title,status,owner,due,competency,target_stage,statements,description,reason,success_"
      "measure\r\n";
  for (const auto& a : actions) {
    const std::vector<std::string> cells = {a.id,
                                            a.title,
                                            a.status,
                                            a.owner,
                                            a.due.value_or(""),
                                            a.competency,
                                            a.target_stage ? std::to_string(*a.target_stage) : "",
                                            joined(a.items, " "),
                                            a.description,
                                            a.reason,
                                            a.success_measure};
    for (std::size_t k = 0; k < cells.size(); ++k) out += (k ? "," : "") + csv_field(cells[k]);
    out += "\r\n";
  }
  return out;
}

std::string escape_ical_text(std::string_view text) {
  std::string out;
  for (std::size_t k = 0; k < text.size(); ++k) {
    const char c = text[k];
    if (c == '\\' || c == ';' || c == ',') {
      out += '\\';
      out += c;
    } else if (c == '\r') {
      if (k + 1 < text.size() && text[k + 1] == '\n') ++k;
      out += "\\n";
    } else if (c == '\n') {
      out += "\\n";
    } else if ((static_cast<unsigned char>(c) < 0x20 && c != '\t') || c == '\x7f') {
      // Other control characters (CONTROL in RFC 5545) are not allowed in TEXT.
    } else {
      out += c;
    }
  }
  return out;
}

std::string fold_ical_line(std::string_view line) {
  std::string out;
  std::size_t limit = 75;  // octets on the first line; 74 after the leading space
  while (line.size() > limit) {
    std::size_t cut = limit;
    // Never split a UTF-8 sequence: back up over continuation bytes.
    while (cut > 0 && (static_cast<unsigned char>(line[cut]) & 0xC0) == 0x80) --cut;
    if (cut == 0) cut = limit;  // not UTF-8 at all: cut anywhere rather than never
    out.append(line.substr(0, cut));
    out += "\r\n ";
    line.remove_prefix(cut);
    limit = 74;
  }
  out.append(line);
  out += "\r\n";
  return out;
}

std::string action_status_label(std::string_view status) {
  if (status == "planned") return "Planned";
  if (status == "in_progress") return "In progress";
  if (status == "done") return "Done";
  if (status == "dropped") return "Dropped";
  std::string label(status);
  for (char& c : label) c = c == '_' ? ' ' : c;
  return label;
}

bool has_calendar_day(const ExportedAction& action) {
  return action.due && core::day_after(*action.due).has_value();
}

std::string actions_icalendar(const std::vector<ExportedAction>& actions,
                              std::string_view calendar_name, std::string_view uid_domain,
                              std::int64_t now_ms) {
  std::string out;
  auto line = [&out](const std::string& text) { out += fold_ical_line(text); };
  auto uid = [&uid_domain](const std::string& id, const char* suffix) {
    return "UID:" + escape_ical_text(id + suffix + "@" + std::string(uid_domain));
  };
  const std::string stamp = ical_time(now_ms);
  std::size_t undated = 0;
  for (const auto& a : actions) undated += has_calendar_day(a) ? 0 : 1;
  line("BEGIN:VCALENDAR");
  line("VERSION:2.0");
  line("PRODID:-//cxm//Action plan//EN");
  line("CALSCALE:GREGORIAN");
  line("METHOD:PUBLISH");
  line("X-WR-CALNAME:" + escape_ical_text(calendar_name));
  if (undated > 0) line("X-WR-CALDESC:" + escape_ical_text(undated_note(undated)));
  for (const auto& a : actions) {
    if (!has_calendar_day(a)) continue;
    line("BEGIN:VEVENT");
    line(uid(a.id, "-due"));
    line("DTSTAMP:" + stamp);
    line("DTSTART;VALUE=DATE:" + ical_date(*a.due));
    line("DTEND;VALUE=DATE:" + ical_date(*core::day_after(*a.due)));
    line("SUMMARY:" + escape_ical_text("Due: " + a.title));
    const std::string description = description_of(a);
    if (!description.empty()) line("DESCRIPTION:" + escape_ical_text(description));
    if (a.status == "dropped") line("STATUS:CANCELLED");
    line("TRANSP:TRANSPARENT");
    if (a.updated_at > 0) line("LAST-MODIFIED:" + ical_time(a.updated_at));
    line("END:VEVENT");
  }
  for (const auto& a : actions) {
    line("BEGIN:VTODO");
    line(uid(a.id, ""));
    line("DTSTAMP:" + stamp);
    line("SUMMARY:" + escape_ical_text(a.title));
    const std::string description = description_of(a);
    if (!description.empty()) line("DESCRIPTION:" + escape_ical_text(description));
    if (has_calendar_day(a)) line("DUE;VALUE=DATE:" + ical_date(*a.due));
    line(std::string("STATUS:") + ical_status(a.status));
    if (a.status == "done") line("PERCENT-COMPLETE:100");
    if (a.updated_at > 0) line("LAST-MODIFIED:" + ical_time(a.updated_at));
    line("END:VTODO");
  }
  line("END:VCALENDAR");
  return out;
}

}  // namespace cxm::report
