// The list of people a facilitator invites by e-mail (SPEC section 4.7):
// name, e-mail, role and unit, from a CSV file or the API's `people` list,
// checked as every import is: each problem names its row and column, and a
// list with any problem is refused whole. Pure: the model's roles and the
// organization's units are given.
#pragma once

#include <cstddef>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace cxm::mail {

struct Person {
  int row = 0;  // the CSV's line, or the position in the API's list (from 1)
  std::string name;
  std::string email;
  std::string role;  // a role id of the model, or empty
  std::string unit;  // a unit of the organization, or empty
};

struct PeopleProblem {
  int row = 0;          // 0: the file as a whole
  std::string column;   // "email", "role", …; empty for the row or the file
  std::string message;  // in words
};

// `row 5, column "email": message` (the file's name first when given).
std::string format(const PeopleProblem& problem);

struct PeopleRules {
  // The model's roles (id, name): a role may be given by either,
  // whatever the case; it is stored by id.
  std::vector<std::pair<std::string, std::string>> roles;
  // The organization's units, matched whatever the case, stored as named.
  std::vector<std::string> units;
  std::size_t max_people = 2000;
};

struct PeopleList {
  std::vector<Person> people;
  std::vector<PeopleProblem> problems;  // at most 100; people is empty when any
  bool ok() const { return problems.empty(); }
};

// A CSV file with a heading row: `name`, `email` (also "e-mail", "e-mail
// address", "mail"), `role`, `unit` (also "department", "team"), in any
// order and case; `email` is required. Separators ',', ';' or tab.
PeopleList read_people_csv(std::string_view text, const PeopleRules& rules);

// Checks people given one by one (the API's list): the same rules as for
// a file, rows numbered from 1.
PeopleList check_people(std::vector<Person> people, const PeopleRules& rules);

}  // namespace cxm::mail
