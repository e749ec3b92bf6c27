#include "core/synthetic.h"

#include <gtest/gtest.h>

#include <map>

#include "core/scoring.h"
#include "core/test_support.h"

namespace cxm::core {
namespace {

Model five_stage_model() {
  return testing::make_model(6, {{"a2", "a", 2},
                                 {"a3", "a", 3},
                                 {"a4", "a", 4},
                                 {"a5", "a", 5},
                                 {"a6", "a", 6},
                                 {"b2", "b", 2},
                                 {"b3", "b", 3},
                                 {"b4", "b", 4},
                                 {"b5", "b", 5},
                                 {"b6", "b", 6}});
}

TEST(Synthetic, SameSeedSameAnswers) {
  const Model model = five_stage_model();
  SyntheticProfile profile;
  profile.seed = 7;
  const auto a = synthetic_responses(model, profile);
  const auto b = synthetic_responses(model, profile);
  ASSERT_EQ(a.size(), 40u);
  for (std::size_t r = 0; r < a.size(); ++r) {
    for (std::size_t i = 0; i < model.items.size(); ++i) EXPECT_EQ(a.at(r, i), b.at(r, i));
  }
}

// A mature group agrees with the practices of its stage and disagrees with
// a statement worded in reverse at the same stage (agreeing is the weak
// answer there).
TEST(Synthetic, AStatementWordedInReverseIsAnsweredTheOtherWay) {
  Model model = five_stage_model();
  model.items[2].reverse = true;  // a4
  SyntheticProfile profile;
  profile.maturity = 6;
  profile.dont_know = 0;
  const auto answers = synthetic_responses(model, profile);
  double plain = 0, reversed = 0;
  for (std::size_t r = 0; r < answers.size(); ++r) {
    plain += answers.at(r, 7);     // b4
    reversed += answers.at(r, 2);  // a4
  }
  EXPECT_GT(plain / answers.size(), 4.0);
  EXPECT_LT(reversed / answers.size(), 2.0);
}

// Two cycles of one organization (one character, other answers): as the
// maturity rises, every competency rises with it. (Each cycle drawing its
// own competency offsets made one competency fall in the demo.)
TEST(Synthetic, ASharedCharacterKeepsEveryCompetencyRising) {
  const Model model = five_stage_model();
  for (std::uint64_t character = 1; character <= 20; ++character) {
    SyntheticProfile before, after;
    before.respondents = after.respondents = 400;
    before.character_seed = after.character_seed = character;
    before.seed = 100 + character;
    after.seed = 200 + character;
    before.maturity = 2.5;
    after.maturity = 3.0;
    const auto b = score_group(model, synthetic_responses(model, before));
    const auto a = score_group(model, synthetic_responses(model, after));
    for (std::size_t c = 0; c < model.competencies.size(); ++c) {
      EXPECT_GT(*a.competencies[c].score, *b.competencies[c].score)
          << "character " << character << ", competency " << c;
    }
  }
}

// The demo's people: every unit has people of every role. (Role i in unit i
// made the role and unit tables the same people and every perception gap
// appear twice.)
TEST(Synthetic, RolesCrossUnits) {
  Model model = five_stage_model();
  model.roles = {{"executive", "Executive"},
                 {"manager", "Manager"},
                 {"frontline", "Frontline"},
                 {"other", "Other"}};
  SyntheticProfile profile;
  profile.units = {"Sales", "Service", "Operations", "Marketing"};
  const auto responses = synthetic_responses(model, profile);
  std::map<std::pair<std::string, std::string>, int> cells;
  for (std::size_t r = 0; r < responses.size(); ++r) {
    ++cells[{responses.respondent(r).role, responses.respondent(r).unit}];
  }
  EXPECT_EQ(cells.size(), 16u);  // 4 roles x 4 units
  for (const auto& [cell, n] : cells) EXPECT_GE(n, 2) << cell.first << " in " << cell.second;
}

TEST(Synthetic, HigherMaturityScoresHigher) {
  const Model model = five_stage_model();
  SyntheticProfile low, high;
  low.maturity = 2.0;
  high.maturity = 5.0;
  const auto low_result = score_group(model, synthetic_responses(model, low));
  const auto high_result = score_group(model, synthetic_responses(model, high));
  EXPECT_LT(*low_result.overall_score, *high_result.overall_score);
  EXPECT_LE(low_result.stage.stage, high_result.stage.stage);
}

TEST(Synthetic, RolesAndUnitsAreAssigned) {
  const Model model = five_stage_model();
  SyntheticProfile profile;
  profile.units = {"North", "South"};
  const auto responses = synthetic_responses(model, profile);
  EXPECT_EQ(responses.respondent(0).role, "executive");
  EXPECT_EQ(responses.respondent(1).unit, "South");
}

}  // namespace
}  // namespace cxm::core
