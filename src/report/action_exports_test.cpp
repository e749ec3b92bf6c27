#include "report/action_exports.h"

#include <gtest/gtest.h>

#include <map>

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
    if (!line.empty() && line[0] == ' ') {
      EXPECT_FALSE(lines.empty());
      lines.back() += line.substr(1);
    } else {
      lines.push_back(line);
    }
    start = end + 2;
  }
  std::vector<Component> out;
  for (const auto& line : lines) {
    const std::size_t colon = line.find(':');
    EXPECT_NE(colon, std::string::npos) << line;
    std::string name = line.substr(0, colon);
    const std::string value = line.substr(colon + 1);
    name = name.substr(0, name.find(';'));
    if (name == "BEGIN") {
      out.push_back({value, {}});
    } else if (name != "END") {
      out.back().properties.emplace(name, unescape(value));
    }
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

TEST(ICalendar, OneTodoPerActionWithADueDateParsesBack) {
  ExportedAction first =
      action("a1", "Name a sponsor; then, tell everyone \\ now", "2026-06-30", "planned");
  first.description = "Line one\nLine two, with \"quotes\"";
  first.owner = "The chief executive";
  first.items = {"LS2", "LS3b"};
  // Long enough to fold several times, with multi-byte characters near the cuts.
  first.reason = std::string(70, 'x') + " Übergangsphase für Kundenerlebnis — ästhetisch " +
                 std::string(80, 'y');
  const std::vector<ExportedAction> actions = {
      first, action("a2", "No date", std::nullopt, "planned"),
      action("a3", "Finished", "2026-01-15", "done"),
      action("a4", "Dropped", "2026-02-01", "dropped"),
      action("a5", "Under way", "2026-03-01", "in_progress")};
  const std::string text = actions_icalendar(actions, "Acme, plan", "cxm.example", 1780000000000);
  const auto parsed = parse_ical(text);
  ASSERT_EQ(parsed.size(), 5u);  // the calendar and four to-dos
  EXPECT_EQ(parsed[0].kind, "VCALENDAR");
  EXPECT_EQ(parsed[0].get("VERSION"), "2.0");
  EXPECT_FALSE(parsed[0].get("PRODID").empty());
  EXPECT_EQ(parsed[0].get("X-WR-CALNAME"), "Acme, plan");
  const Component& todo = parsed[1];
  EXPECT_EQ(todo.kind, "VTODO");
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
  EXPECT_EQ(parsed[2].get("UID"), "a3@cxm.example");
  EXPECT_EQ(parsed[2].get("STATUS"), "COMPLETED");
  EXPECT_EQ(parsed[3].get("STATUS"), "CANCELLED");
  EXPECT_EQ(parsed[4].get("STATUS"), "IN-PROCESS");
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
}

TEST(ActionsCsv, QuotesAndDefusesFormulas) {
  ExportedAction a = action("a1", "=HYPERLINK(\"x\")", "2026-06-30", "planned");
  a.description = "two\nlines, \"quoted\"";
  a.items = {"LS2", "LS3"};
  a.target_stage = 3;
  const std::string csv = actions_csv({a});
  EXPECT_EQ(csv,
            "id,title,status,owner,due,competency,target_stage,statements,description,reason,"
            "success_measure\r\n"
            "a1,\"'=HYPERLINK(\"\"x\"\")\",planned,,2026-06-30,,3,LS2 LS3,\"two\nlines, "
            "\"\"quoted\"\"\",,\r\n");
}

}  // namespace
}  // namespace cxm::report
