#include "core/workshop.h"

#include <gtest/gtest.h>

#include <set>

#include "core/test_support.h"

namespace cxm::core {
namespace {

using testing::make_model;

TEST(JoinCode, MadeFromTheAlphabetOneCharacterPerNumber) {
  const std::vector<std::uint32_t> random = {0, 1, 30, 31, 62, 4294967295u, 7};
  const std::string code = join_code_from(random);
  ASSERT_EQ(code.size(), kJoinCodeLength);
  EXPECT_EQ(code.substr(0, 5), "AB9AA");
  EXPECT_EQ(code[5], kJoinCodeAlphabet[4294967295u % 31]);
  for (char c : code) EXPECT_NE(kJoinCodeAlphabet.find(c), std::string_view::npos);
  // Every character of the alphabet can appear, and none other.
  std::set<char> seen;
  for (std::uint32_t i = 0; i < 31; ++i) {
    const std::vector<std::uint32_t> r(kJoinCodeLength, i);
    for (char c : join_code_from(r)) seen.insert(c);
  }
  EXPECT_EQ(seen.size(), kJoinCodeAlphabet.size());
}

TEST(JoinCode, TypedCodesAreReadWithoutCaseSpacesOrDashes) {
  EXPECT_EQ(parse_join_code("ABC234"), "ABC234");
  EXPECT_EQ(parse_join_code("abc-234"), "ABC234");
  EXPECT_EQ(parse_join_code(" ab c2 34 "), "ABC234");
}

TEST(JoinCode, BadInputIsNoCode) {
  for (const char* bad : {"", "ABC23", "ABC2345", "ABC23O", "ABC230", "ABC231", "ABCI23", "ABCL23",
                          "ABC 2\t3", "ÄBC234", "ABC23\n", "------", "ABC/23"}) {
    EXPECT_FALSE(parse_join_code(bad)) << bad;
  }
  EXPECT_FALSE(parse_join_code(std::string(60, ' ') + "ABC234"));  // over 64 bytes
  EXPECT_FALSE(
      parse_join_code(std::string("ABC\0"
                                  "234",
                                  7)));
}

TEST(Pacing, TextForms) {
  EXPECT_EQ(pace_from("statement"), Pace::statement);
  EXPECT_EQ(pace_from("competency"), Pace::competency);
  EXPECT_FALSE(pace_from("Statement"));
  EXPECT_EQ(step_order_from("agenda"), StepOrder::agenda);
  EXPECT_EQ(step_order_from("model"), StepOrder::model);
  EXPECT_FALSE(step_order_from(""));
  EXPECT_STREQ(to_string(Pace::competency), "competency");
  EXPECT_STREQ(to_string(StepOrder::agenda), "agenda");
}

class Steps : public ::testing::Test {
 protected:
  Model model = make_model(
      4, {{"a2", "a", 2}, {"c2", "c", 2}, {"a3", "a", 3}, {"b3", "b", 3}, {"b4", "b", 4}});
};

TEST_F(Steps, OneStatementAStepInModelOrder) {
  const auto steps = workshop_steps(model, Pace::statement, {});
  EXPECT_EQ(steps, (std::vector<std::vector<std::size_t>>{{0}, {1}, {2}, {3}, {4}}));
}

TEST_F(Steps, TheAgendaFirstThenTheRestInModelOrder) {
  const std::vector<std::size_t> agenda = {2, 4, 2,
                                           99};  // a repeat and an unknown index are ignored
  const auto steps = workshop_steps(model, Pace::statement, agenda);
  EXPECT_EQ(steps, (std::vector<std::vector<std::size_t>>{{2}, {4}, {0}, {1}, {3}}));
}

TEST_F(Steps, ACompetencyAStepInTheOrderItsFirstStatementComes) {
  EXPECT_EQ(workshop_steps(model, Pace::competency, {}),
            (std::vector<std::vector<std::size_t>>{{0, 2}, {1}, {3, 4}}));
  const std::vector<std::size_t> agenda = {4, 2};
  EXPECT_EQ(workshop_steps(model, Pace::competency, agenda),
            (std::vector<std::vector<std::size_t>>{{4, 3}, {2, 0}, {1}}));
}

// Answers, "don't know" included: the rule depends only on the count the
// projector shows, so a refused reveal tells nothing more.
TEST(Reveal, OnlyFromTheMinimumGroupAndNeverOnePerson) {
  EXPECT_FALSE(can_reveal(2, 3));
  EXPECT_TRUE(can_reveal(3, 3));
  EXPECT_TRUE(can_reveal(10, 3));
  EXPECT_FALSE(can_reveal(1, 1));
  EXPECT_FALSE(can_reveal(0, 0));
  EXPECT_TRUE(can_reveal(2, 1));
  EXPECT_FALSE(can_reveal(4, 5));
}

// Ten statements i0..i9, 1-5 scale.
Model ten_statements() {
  return make_model(3, {{"i0", "a", 2},
                        {"i1", "a", 2},
                        {"i2", "a", 2},
                        {"i3", "a", 2},
                        {"i4", "a", 2},
                        {"i5", "a", 3},
                        {"i6", "a", 3},
                        {"i7", "a", 3},
                        {"i8", "a", 3},
                        {"i9", "a", 3}});
}

TEST(Reveal, FiguresOfAFrozenHistogram) {
  const Model scale = ten_statements();
  const std::vector<std::size_t> split = {3, 0, 0, 0, 3};
  const ItemResult r = revealed_result(scale, 7, split, 1);
  EXPECT_EQ(r.item, 7u);
  EXPECT_EQ(r.stats.n, 6u);
  EXPECT_EQ(r.missing, 1u);
  EXPECT_NEAR(*r.stats.mean, 3.0, 1e-12);
  EXPECT_TRUE(r.bimodal);
  EXPECT_EQ(*r.agreement, AgreementClass::disagreement);
  const std::vector<std::size_t> alike = {0, 0, 0, 4, 1};
  EXPECT_EQ(*revealed_result(scale, 7, alike, 0).agreement, AgreementClass::agreement);
}

// A statement worded in reverse: its score is mirrored, its mean and
// histogram are as answered. Answers 4,4,4,4,5: mean 4.2, normalized
// (4.2 - 1) / 4 * 100 = 80, reversed 20.
TEST(Reveal, StatementWordedInReverseScoresMirrored) {
  Model model = ten_statements();
  model.items[7].reverse = true;
  const std::vector<std::size_t> alike = {0, 0, 0, 4, 1};
  const ItemResult r = revealed_result(model, 7, alike, 0);
  EXPECT_NEAR(*r.stats.mean, 4.2, 1e-12);
  EXPECT_NEAR(*r.score, 20.0, 1e-9);
  EXPECT_EQ(r.histogram, alike);
  EXPECT_NEAR(*revealed_result(model, 6, alike, 0).score, 80.0, 1e-9);
}

TEST(SecondRound, AsksAgainOnlyWhereTheRoomDisagreed) {
  const Model scale = ten_statements();
  const std::vector<std::size_t> split = {3, 0, 0, 0, 3}, alike = {0, 0, 0, 4, 1},
                                 spread = {1, 1, 2, 1, 1};
  const std::vector<ItemResult> revealed = {revealed_result(scale, 4, alike, 0),
                                            revealed_result(scale, 2, split, 0),
                                            revealed_result(scale, 9, spread, 0)};
  EXPECT_EQ(*revealed[2].agreement, AgreementClass::disagreement);  // rwg 1 - 1.6667/2 < 0.5
  EXPECT_EQ(second_round_items(revealed), (std::vector<std::size_t>{2, 9}));
  // And the verdict once asked again: the split room became one camp.
  const auto comparison = compare_rounds(revealed[1], revealed_result(scale, 2, alike, 0));
  EXPECT_EQ(comparison.verdict, Convergence::converged);
}

}  // namespace
}  // namespace cxm::core
