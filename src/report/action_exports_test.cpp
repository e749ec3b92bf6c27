#include "report/action_exports.h"

#include <gtest/gtest.h>

#include <cctype>
#include <map>
#include <set>

namespace cxm::report {
namespace {

// A minimal RFC 5545 reader for the test: unfolds lines, splits each into
// name (without parameters) and value, and unescapes TEXT.
struct Component {
  std::string kind;
  std::multimap<std::string, std::string> properties;
  std::string get(const std::string& name) const {
    const auto it = properties.find(name);
    return it == properties.end() ? "" : it->second;
  }
};

std::string unescape(const std::string& value) {
  std::string out;
  for (std::size_t k = 0; k < value.size(); ++k) {
    if (value[k] == '\\' && k + 1 < value.size()) {
      const char c = value[++k];
      out += (c == 'n' || c == 'N') ? '\n' : c;
    } else {
      out += value[k];
    }
  }
  return out;
}

// Reads `text` as a calendar app would, checking RFC 5545's form on the
// way: CRLF line ends, no physical line over 75 octets, no bare LF, every
// continuation line after a line, every BEGIN closed by its END in order.
std::vector<Component> parse_ical(const std::string& text) {
  std::vector<std::string> lines;
  std::size_t start = 0;
  while (start < text.size()) {
    const std::size_t end = text.find("\r\n", start);
    EXPECT_NE(end, std::string::npos) << "every line ends with CRLF";
    if (end == std::string::npos) break;
    const std::string line = text.substr(start, end - start);
    EXPECT_LE(line.size(), 75u) << line;
    EXPECT_EQ(line.find('\n'), std::string::npos);
    EXPECT_EQ(line.find('\r'), std::string::npos);
    if (!line.empty() && line[0] == ' ') {
      EXPECT_FALSE(lines.empty());
      if (!lines.empty()) lines.back() += line.substr(1);
    } else {
      lines.push_back(line);
    }
    start = end + 2;
  }
  std::vector<Component> out;
  std::vector<std::string> open;
  for (const auto& line : lines) {
    const std::size_t colon = line.find(':');
    EXPECT_NE(colon, std::string::npos) << line;
    if (colon == std::string::npos) continue;
    std::string name = line.substr(0, colon);
    const std::string value = line.substr(colon + 1);
    name = name.substr(0, name.find(';'));
    if (name == "BEGIN") {
      open.push_back(value);
      out.push_back({value, {}});
    } else if (name == "END") {
      EXPECT_FALSE(open.empty()) << "END:" << value << " without BEGIN";
      if (!open.empty()) {
        EXPECT_EQ(open.back(), value) << "END does not close the last BEGIN";
        open.pop_back();
      }
    } else {
      EXPECT_FALSE(open.empty()) << line << " outside any component";
      if (!out.empty()) out.back().properties.emplace(name, unescape(value));
    }
  }
  EXPECT_TRUE(open.empty()) << "BEGIN:" << (open.empty() ? "" : open.back()) << " never ends";
  return out;
}

// Each unfolded content line of `text` as it is written (not unescaped).
std::vector<std::string> unfolded_lines(const std::string& text) {
  std::vector<std::string> lines;
  std::size_t start = 0;
  while (start < text.size()) {
    const std::size_t end = text.find("\r\n", start);
    if (end == std::string::npos) break;
    const std::string line = text.substr(start, end - start);
    if (!line.empty() && line[0] == ' ' && !lines.empty()) {
      lines.back() += line.substr(1);
    } else {
      lines.push_back(line);
    }
    start = end + 2;
  }
  return lines;
}

std::vector<Component> of_kind(const std::vector<Component>& all, const std::string& kind) {
  std::vector<Component> out;
  for (const auto& c : all) {
    if (c.kind == kind) out.push_back(c);
  }
  return out;
}

ExportedAction action(std::string id, std::string title, std::optional<std::string> due,
                      std::string status) {
  ExportedAction a;
  a.id = std::move(id);
  a.title = std::move(title);
  a.due = std::move(due);
  a.status = std::move(status);
  a.updated_at = 1780000000000;
  return a;
}

// Issue 23 item 5: Outlook and Google Calendar show events, not to-dos.
TEST(ICalendar, AnAllDayEventPerDatedActionBesideTheTodosParsesBack) {
  ExportedAction first =
      action("a1", "Name a sponsor; then, tell everyone \\ now", "2026-06-30", "planned");
  first.description = "Line one\nLine two, with \"quotes\"";
  first.owner = "The chief executive";
  first.competency = "Leadership";
  first.items = {"LS2", "LS3b"};
  // Long enough to fold several times, with multi-byte characters near the cuts.
  first.reason = std::string(70, 'x') + " Übergangsphase für Kundenerlebnis — ästhetisch " +
                 std::string(80, 'y');
  const std::vector<ExportedAction> actions = {
      first, action("a2", "No date", std::nullopt, "planned"),
      action("a3", "Finished", "2026-12-31", "done"),
      action("a4", "Dropped", "2026-02-01", "dropped"),
      action("a5", "Under way", "2026-03-01", "in_progress")};
  const std::string text = actions_icalendar(actions, "Acme, plan", "cxm.example", 1780000000000);
  const auto parsed = parse_ical(text);
  ASSERT_FALSE(parsed.empty());
  EXPECT_EQ(parsed[0].kind, "VCALENDAR");
  EXPECT_EQ(parsed[0].get("VERSION"), "2.0");
  EXPECT_FALSE(parsed[0].get("PRODID").empty());
  EXPECT_EQ(parsed[0].get("METHOD"), "PUBLISH");
  EXPECT_EQ(parsed[0].get("X-WR-CALNAME"), "Acme, plan");
  // The one undated action is said, not dropped silently.
  EXPECT_EQ(parsed[0].get("X-WR-CALDESC"),
            "1 action has no due date: not on the calendar, listed as tasks only.");

  const auto events = of_kind(parsed, "VEVENT");
  ASSERT_EQ(events.size(), 4u);  // the dated actions
  const Component& event = events[0];
  EXPECT_EQ(event.get("UID"), "a1-due@cxm.example");
  EXPECT_EQ(event.get("DTSTAMP"), "20260528T202640Z");
  EXPECT_NE(text.find("DTSTART;VALUE=DATE:20260630\r\n"), std::string::npos);
  EXPECT_NE(text.find("DTEND;VALUE=DATE:20260701\r\n"), std::string::npos);
  EXPECT_EQ(event.get("SUMMARY"), "Due: " + first.title);
  EXPECT_EQ(event.get("TRANSP"), "TRANSPARENT");
  EXPECT_EQ(event.get("STATUS"), "");
  const std::string what = event.get("DESCRIPTION");
  EXPECT_NE(what.find("Owner: The chief executive"), std::string::npos) << what;
  EXPECT_NE(what.find("Status: Planned"), std::string::npos) << what;
  EXPECT_NE(what.find("Competency: Leadership"), std::string::npos) << what;
  // The last day of a year ends on the first of the next.
  EXPECT_EQ(events[1].get("UID"), "a3-due@cxm.example");
  EXPECT_EQ(events[1].get("DTSTART"), "20261231");
  EXPECT_EQ(events[1].get("DTEND"), "20270101");
  EXPECT_EQ(events[2].get("STATUS"), "CANCELLED");
  EXPECT_NE(events[3].get("DESCRIPTION").find("Status: In progress"), std::string::npos);

  const auto todos = of_kind(parsed, "VTODO");
  ASSERT_EQ(todos.size(), 5u);  // every action, dated or not
  const Component& todo = todos[0];
  EXPECT_EQ(todo.get("UID"), "a1@cxm.example");
  EXPECT_EQ(todo.get("DTSTAMP"), "20260528T202640Z");
  EXPECT_EQ(todo.get("SUMMARY"), first.title);
  EXPECT_EQ(todo.get("DUE"), "20260630");
  EXPECT_NE(text.find("DUE;VALUE=DATE:20260630\r\n"), std::string::npos);
  EXPECT_EQ(todo.get("STATUS"), "NEEDS-ACTION");
  const std::string description = todo.get("DESCRIPTION");
  EXPECT_EQ(
      description.rfind(
          first.description + "\n\nWhy: " + first.reason + "\n\nOwner: The chief executive", 0),
      0u)
      << description;
  EXPECT_NE(description.find("Statements: LS2, LS3b"), std::string::npos);
  EXPECT_EQ(todos[1].get("UID"), "a2@cxm.example");
  EXPECT_EQ(todos[1].get("SUMMARY"), "No date");
  EXPECT_EQ(todos[1].properties.count("DUE"), 0u);
  EXPECT_EQ(todos[2].get("STATUS"), "COMPLETED");
  EXPECT_EQ(todos[3].get("STATUS"), "CANCELLED");
  EXPECT_EQ(todos[4].get("STATUS"), "IN-PROCESS");

  // UIDs are unique in the file and the same in the next export.
  std::set<std::string> uids;
  for (const auto& c : parsed) {
    if (c.kind != "VCALENDAR") {
      EXPECT_TRUE(uids.insert(c.get("UID")).second) << c.get("UID");
    }
  }
  EXPECT_EQ(actions_icalendar(actions, "Acme, plan", "cxm.example", 1780000000000), text);
  // Every content line is NAME[;PARAMS]:VALUE with a name of letters, digits and dashes.
  for (const auto& line : unfolded_lines(text)) {
    const std::string name = line.substr(0, line.find_first_of(";:"));
    EXPECT_FALSE(name.empty()) << line;
    for (char c : name)
      EXPECT_TRUE(std::isupper(static_cast<unsigned char>(c)) || c == '-') << line;
  }
}

// Every action dated: no calendar description, as many events as to-dos.
TEST(ICalendar, NoNoteWhenEveryActionHasADay) {
  const std::string text =
      actions_icalendar({action("a1", "One", "2026-06-30", "planned")}, "Acme", "cxm", 0);
  EXPECT_EQ(text.find("X-WR-CALDESC"), std::string::npos);
  EXPECT_EQ(of_kind(parse_ical(text), "VEVENT").size(), 1u);
  EXPECT_EQ(text.rfind("BEGIN:VCALENDAR\r\n", 0), 0u);
  EXPECT_EQ(text.substr(text.size() - 15), "END:VCALENDAR\r\n");
}

// Bad input: due dates that are not days, control characters, invalid
// UTF-8 and very long text still give a calendar every reader can parse.
TEST(ICalendar, BadInputStaysAWellFormedCalendar) {
  std::vector<ExportedAction> actions;
  for (const char* due : {"", "soon", "2026-02-30", "2026-13-01", "9999-12-31", "2026-6-30"}) {
    actions.push_back(action(std::string("b") + due, "Not a day", std::string(due), "planned"));
  }
  ExportedAction hostile = action("x;y,z", std::string("BEGIN:VEVENT\r\nEND:VCALENDAR\x01\x7f"),
                                  "2026-06-30", "odd_status");
  hostile.description = std::string(300, '\x80') + std::string(200, 'a') + "\xF0\x9F\x98\x80";
  hostile.owner = "\xC3";  // a lone lead byte
  actions.push_back(hostile);
  actions.push_back(action("long", std::string(5000, 'w'), "2026-06-30", "planned"));
  const std::string text = actions_icalendar(actions, "\r\nX-EVIL:1", "cxm", -1);
  const auto parsed = parse_ical(text);
  EXPECT_EQ(of_kind(parsed, "VEVENT").size(), 2u);  // the hostile and the long one
  EXPECT_EQ(of_kind(parsed, "VTODO").size(), actions.size());
  EXPECT_EQ(parsed[0].get("X-WR-CALDESC"),
            "6 actions have no due date: not on the calendar, listed as tasks only.");
  EXPECT_EQ(parsed[0].properties.count("X-EVIL"), 0u);
  EXPECT_EQ(parsed[0].get("X-WR-CALNAME"), "\nX-EVIL:1");
  for (const auto& c : of_kind(parsed, "VTODO")) {
    if (c.get("SUMMARY") == "Not a day") {
      EXPECT_EQ(c.properties.count("DUE"), 0u);
    }
  }
  const auto events = of_kind(parsed, "VEVENT");
  EXPECT_EQ(events[0].get("UID"), "x;y,z-due@cxm");
  EXPECT_EQ(events[0].get("SUMMARY"), "Due: BEGIN:VEVENT\nEND:VCALENDAR");
  EXPECT_NE(events[0].get("DESCRIPTION").find("Status: odd status"), std::string::npos);
  EXPECT_EQ(events[1].get("SUMMARY"), "Due: " + std::string(5000, 'w'));
}

TEST(ICalendar, FoldingKeepsUtf8CharactersWhole) {
  const std::string line =
      "SUMMARY:" + std::string(66, 'a') + "ééééé";  // é is 2 octets; 74 + 2 would cut it
  EXPECT_EQ(fold_ical_line(line),
            "SUMMARY:" + std::string(66, 'a') + "\r\n \u00e9\u00e9\u00e9\u00e9\u00e9\r\n");
  EXPECT_EQ(fold_ical_line("END:VTODO"), "END:VTODO\r\n");
  // 75 octets stay on one line; continuation lines hold 74 after their space.
  const std::string long_line(75 + 74 + 3, 'z');
  EXPECT_EQ(fold_ical_line(long_line), std::string(75, 'z') + "\r\n " + std::string(74, 'z') +
                                           "\r\n " + std::string(3, 'z') + "\r\n");
}

TEST(ICalendar, TextIsEscaped) {
  EXPECT_EQ(escape_ical_text("a;b,c\\d\ne\r\nf"), "a\\;b\\,c\\\\d\\ne\\nf");
  EXPECT_EQ(escape_ical_text(std::string("bell\x07!")), "bell!");
  EXPECT_EQ(escape_ical_text(std::string("del\x7f!\ttab")), "del!\ttab");
}

TEST(ActionsCsv, QuotesAndDefusesFormulas) {
  ExportedAction a = action("a1", "=HYPERLINK(\"x\")", "2026-06-30", "planned");
  a.description = "two\nlines, \"quoted\"";
  a.items = {"LS2", "LS3"};
  a.target_stage = 3;
  const std::string csv = actions_csv({a});
  EXPECT_EQ(csv,
            "\xEF\xBB\xBF"  // a byte-order mark, for Excel
            "id,title,status,owner,due,competency,target_stage,statements,description,reason,"
            "success_measure\r\n"
            "a1,\"'=HYPERLINK(\"\"x\"\")\",planned,,2026-06-30,,3,LS2 LS3,\"two\nlines, "
            "\"\"quoted\"\"\",,\r\n");
}

}  // namespace
}  // namespace cxm::report
