#include "mail/people_list.h"

#include <algorithm>
#include <map>
#include <optional>

#include "answers/csv_records.h"
#include "mail/address.h"
#include "policy/names.h"

namespace cxm::mail {
namespace {

constexpr std::size_t kMaxProblems = 100;
constexpr std::size_t kMaxName = 200;

std::string lower(std::string_view text) {
  std::string out(text);
  std::transform(out.begin(), out.end(), out.begin(), [](unsigned char c) {
    return static_cast<char>(c >= 'A' && c <= 'Z' ? c - 'A' + 'a' : c);
  });
  return out;
}

std::string trimmed(std::string_view text) {
  const auto first = text.find_first_not_of(" \t\r\n");
  if (first == std::string_view::npos) return {};
  const auto last = text.find_last_not_of(" \t\r\n");
  return std::string(text.substr(first, last - first + 1));
}

// The column a heading names, or empty when cxm does not read it.
std::string column_of(const std::string& heading) {
  static const std::map<std::string, std::string> kColumns = {{"name", "name"},
                                                              {"full name", "name"},
                                                              {"email", "email"},
                                                              {"e-mail", "email"},
                                                              {"email address", "email"},
                                                              {"e-mail address", "email"},
                                                              {"mail", "email"},
                                                              {"role", "role"},
                                                              {"unit", "unit"},
                                                              {"department", "unit"},
                                                              {"team", "unit"}};
  const auto found = kColumns.find(lower(trimmed(heading)));
  return found == kColumns.end() ? std::string() : found->second;
}

// Control characters (C0, DEL, C1), and the characters that break a line
// or turn the direction of text without showing themselves (U+200E,
// U+200F, U+2028 to U+202E, U+2066 to U+2069): in a message's greeting or
// the facilitator's list they would hide or disguise what a name says.
bool has_control_character(std::string_view text) {
  if (policy::find_control_character(text)) return true;
  for (std::size_t i = 0; i + 2 < text.size(); ++i) {
    if (static_cast<unsigned char>(text[i]) != 0xE2) continue;
    const auto b1 = static_cast<unsigned char>(text[i + 1]);
    const auto b2 = static_cast<unsigned char>(text[i + 2]);
    if (b1 == 0x80 && (b2 == 0x8E || b2 == 0x8F || (b2 >= 0xA8 && b2 <= 0xAE))) return true;
    if (b1 == 0x81 && b2 >= 0xA6 && b2 <= 0xA9) return true;
  }
  return false;
}

class Checker {
 public:
  explicit Checker(const PeopleRules& rules) : rules_(rules) {}

  void problem(int row, std::string column, std::string message) {
    if (problems.size() < kMaxProblems)
      problems.push_back(PeopleProblem{row, std::move(column), std::move(message)});
    else
      truncated = true;
  }

  // Checks one person and puts role and unit in their stored form.
  void check(Person& p) {
    p.name = trimmed(p.name);
    p.email = trimmed(p.email);
    p.role = trimmed(p.role);
    p.unit = trimmed(p.unit);
    if (p.name.size() > kMaxName)
      problem(p.row, "name", "at most " + std::to_string(kMaxName) + " characters");
    else if (has_control_character(p.name))
      problem(p.row, "name",
              "must not hold line breaks, control characters or invisible direction marks");
    if (p.email.empty()) {
      problem(p.row, "email", "an e-mail address is required");
    } else if (const auto error = address_error(p.email)) {
      problem(p.row, "email", "'" + p.email + "' is not an e-mail address: " + *error);
    } else {
      const auto [seen, fresh] = first_row_.emplace(lower(p.email), p.row);
      if (!fresh) {
        problem(p.row, "email",
                "'" + p.email + "' is already on row " + std::to_string(seen->second));
      }
    }
    if (!p.role.empty()) {
      const auto role = std::find_if(rules_.roles.begin(), rules_.roles.end(), [&](const auto& r) {
        return lower(r.first) == lower(p.role) || lower(r.second) == lower(p.role);
      });
      if (role == rules_.roles.end()) {
        std::string known;
        for (const auto& r : rules_.roles) known += (known.empty() ? "" : ", ") + r.second;
        problem(p.row, "role", "'" + p.role + "' is not a role of the model (" + known + ")");
      } else {
        p.role = role->first;
      }
    }
    if (!p.unit.empty()) {
      const auto unit =
          std::find_if(rules_.units.begin(), rules_.units.end(),
                       [&](const std::string& u) { return lower(u) == lower(p.unit); });
      if (unit == rules_.units.end()) {
        problem(p.row, "unit",
                "'" + p.unit + "' is not a unit of this organization" +
                    (rules_.units.empty() ? " (it has none)" : ""));
      } else {
        p.unit = *unit;
      }
    }
  }

  PeopleList finish(std::vector<Person> people) {
    if (truncated) problems.push_back(PeopleProblem{0, "", "more problems not listed"});
    if (!problems.empty()) people.clear();
    return PeopleList{std::move(people), std::move(problems)};
  }

  std::vector<PeopleProblem> problems;

 private:
  const PeopleRules& rules_;
  std::map<std::string, int> first_row_;
  bool truncated = false;
};

}  // namespace

std::string format(const PeopleProblem& problem) {
  std::string out;
  if (problem.row > 0) out = "row " + std::to_string(problem.row);
  if (!problem.column.empty())
    out += (out.empty() ? "" : ", ") + ("column \"" + problem.column + "\"");
  return out.empty() ? problem.message : out + ": " + problem.message;
}

PeopleList check_people(std::vector<Person> people, const PeopleRules& rules) {
  Checker checker(rules);
  if (people.empty()) checker.problem(0, "", "the list names nobody");
  if (people.size() > rules.max_people) {
    checker.problem(0, "",
                    "at most " + std::to_string(rules.max_people) +
                        " people at once (the list has " + std::to_string(people.size()) + ")");
    return checker.finish({});
  }
  for (auto& p : people) checker.check(p);
  return checker.finish(std::move(people));
}

PeopleList read_people_csv(std::string_view text, const PeopleRules& rules) {
  Checker checker(rules);
  std::vector<answers::CsvRecord> records;
  int error_line = 0;
  const std::string error =
      answers::read_csv_records(text, records, error_line, answers::detect_csv_separator(text));
  if (!error.empty()) {
    checker.problem(error_line, "", error);
    return checker.finish({});
  }
  if (records.empty()) {
    checker.problem(0, "", "the file is empty; it needs a heading row with at least \"email\"");
    return checker.finish({});
  }
  // Which field holds which column.
  const auto& headings = records.front();
  std::map<std::string, std::size_t> field_of;
  for (std::size_t i = 0; i < headings.fields.size(); ++i) {
    const std::string heading = trimmed(headings.fields[i]);
    if (heading.empty()) continue;
    const std::string column = column_of(heading);
    if (column.empty()) {
      checker.problem(headings.line, heading,
                      "not a column cxm reads (name, email, role, unit); remove it");
    } else if (!field_of.emplace(column, i).second) {
      checker.problem(headings.line, heading, "a second \"" + column + "\" column");
    }
  }
  if (!field_of.count("email")) {
    checker.problem(headings.line, "",
                    "no \"email\" column (the heading row reads: name, email, role, unit)");
  }
  if (!checker.problems.empty()) return checker.finish({});
  if (records.size() - 1 > rules.max_people) {
    checker.problem(0, "",
                    "at most " + std::to_string(rules.max_people) +
                        " people at once (the file has " + std::to_string(records.size() - 1) +
                        ")");
    return checker.finish({});
  }
  std::vector<Person> people;
  for (std::size_t r = 1; r < records.size(); ++r) {
    const auto& record = records[r];
    const auto field = [&](const char* column) {
      const auto at = field_of.find(column);
      return at == field_of.end() || at->second >= record.fields.size() ? std::string()
                                                                        : record.fields[at->second];
    };
    if (record.fields.size() > headings.fields.size()) {
      checker.problem(record.line, "",
                      std::to_string(record.fields.size()) + " fields, but the heading row has " +
                          std::to_string(headings.fields.size()));
      continue;
    }
    Person p{record.line, field("name"), field("email"), field("role"), field("unit")};
    checker.check(p);
    people.push_back(std::move(p));
  }
  if (people.empty() && checker.problems.empty()) checker.problem(0, "", "the file names nobody");
  return checker.finish(std::move(people));
}

}  // namespace cxm::mail
