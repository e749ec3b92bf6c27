#include "mail/people_list.h"

#include <gtest/gtest.h>

namespace cxm::mail {
namespace {

PeopleRules rules() {
  PeopleRules r;
  r.roles = {{"executive", "Executive"}, {"frontline", "Frontline employee"}};
  r.units = {"Sales", "Customer Support"};
  return r;
}

std::string first_problem(const PeopleList& list) {
  return list.problems.empty() ? "" : format(list.problems.front());
}

TEST(PeopleList, ReadsAnyOrderAndCaseAndPutsRoleAndUnitInTheirStoredForm) {
  const auto list = read_people_csv(
      "\xEF\xBB\xBFUnit;E-Mail;Name;Role\r\ncustomer support; ada@example.org ;Ada "
      "Lovelace;frontline EMPLOYEE\r\n;bob@example.org;;\r\n",
      rules());
  ASSERT_TRUE(list.ok()) << first_problem(list);
  ASSERT_EQ(list.people.size(), 2u);
  EXPECT_EQ(list.people[0].row, 2);
  EXPECT_EQ(list.people[0].name, "Ada Lovelace");
  EXPECT_EQ(list.people[0].email, "ada@example.org");
  EXPECT_EQ(list.people[0].role, "frontline");
  EXPECT_EQ(list.people[0].unit, "Customer Support");
  EXPECT_EQ(list.people[1].role, "");
  EXPECT_EQ(list.people[1].unit, "");
}

TEST(PeopleList, EachProblemNamesItsRowAndColumnAndTheListIsRefusedWhole) {
  const auto list = read_people_csv(
      "name,email,role,unit\n"
      "Ada,ada@example.org,Executive,Sales\n"
      "Bob,bob at example.org,,\n"
      "Cy,ADA@example.org,Boss,Marketing\n",
      rules());
  EXPECT_FALSE(list.ok());
  EXPECT_TRUE(list.people.empty());
  ASSERT_EQ(list.problems.size(), 4u);
  EXPECT_EQ(
      format(list.problems[0]).rfind("row 3, column \"email\": 'bob at example.org' is not", 0), 0u)
      << format(list.problems[0]);
  EXPECT_EQ(format(list.problems[1]),
            "row 4, column \"email\": 'ADA@example.org' is already on row 2");
  EXPECT_EQ(format(list.problems[2]),
            "row 4, column \"role\": 'Boss' is not a role of the model (Executive, Frontline "
            "employee)");
  EXPECT_EQ(format(list.problems[3]),
            "row 4, column \"unit\": 'Marketing' is not a unit of this organization");
}

TEST(PeopleList, TheHeadingRowMustNameTheEmailColumnAndNothingUnknown) {
  EXPECT_EQ(first_problem(read_people_csv("name,role\nAda,Executive\n", rules())),
            "row 1: no \"email\" column (the heading row reads: name, email, role, unit)");
  EXPECT_EQ(first_problem(read_people_csv("email,phone\na@b.org,123\n", rules())),
            "row 1, column \"phone\": not a column cxm reads (name, email, role, unit); remove it");
  EXPECT_EQ(first_problem(read_people_csv("email,mail\na@b.org,c@d.org\n", rules())),
            "row 1, column \"mail\": a second \"email\" column");
  EXPECT_EQ(first_problem(read_people_csv("", rules())),
            "the file is empty; it needs a heading row with at least \"email\"");
  EXPECT_EQ(first_problem(read_people_csv("email\n", rules())), "the file names nobody");
}

TEST(PeopleList, BadCsvTooManyFieldsAndTooManyPeopleAreNamed) {
  EXPECT_NE(first_problem(read_people_csv("email\n\"a@b.org\n", rules())).find("row"),
            std::string::npos);
  EXPECT_EQ(first_problem(read_people_csv("email\na@b.org,extra\n", rules())),
            "row 2: 2 fields, but the heading row has 1");
  PeopleRules few = rules();
  few.max_people = 2;
  EXPECT_EQ(first_problem(read_people_csv("email\na@b.org\nc@d.org\ne@f.org\n", few)),
            "at most 2 people at once (the file has 3)");
}

TEST(PeopleList, NamesCannotCarryLineBreaksAndTheApiListIsCheckedAlike) {
  auto list = check_people({{1, "Ada\r\nBcc: x@y.org", "ada@example.org", "", ""}}, rules());
  EXPECT_EQ(first_problem(list),
            "row 1, column \"name\": must not hold line breaks, control characters or invisible "
            "direction marks");
  // A line separator, a right-to-left override, a C1 control: refused alike.
  for (const char* name :
       {"Ada\u2028Bob", "Ada \u202Egro.elpmaxe", "Ada\u2067x\u2069", "Ada\u0085"}) {
    EXPECT_FALSE(check_people({{1, name, "ada@example.org", "", ""}}, rules()).ok()) << name;
  }
  EXPECT_TRUE(check_people({{1, "Zoë Łukasz-Ødegård", "z@example.org", "", ""}}, rules()).ok());
  list = check_people({{1, "Ada", "", "executive", ""}}, rules());
  EXPECT_EQ(first_problem(list), "row 1, column \"email\": an e-mail address is required");
  list = check_people({}, rules());
  EXPECT_EQ(first_problem(list), "the list names nobody");
  list = check_people({{1, " Ada ", "ada@example.org", "EXECUTIVE", "sales"}}, rules());
  ASSERT_TRUE(list.ok());
  EXPECT_EQ(list.people[0].name, "Ada");
  EXPECT_EQ(list.people[0].role, "executive");
  EXPECT_EQ(list.people[0].unit, "Sales");
}

}  // namespace
}  // namespace cxm::mail
