#include "core/forms.h"

#include <gtest/gtest.h>

#include "core/scoring.h"
#include "core/test_support.h"

namespace cxm::core {
namespace {

using testing::add_respondent;

Model model_with_pulse() {
  Model m = testing::make_model(4, {{"a2", "a", 2},
                                    {"a3", "a", 3},
                                    {"a4", "a", 4},
                                    {"b2", "b", 2},
                                    {"b3", "b", 3},
                                    {"b4", "b", 4}});
  for (const char* id : {"a3", "a4", "b3", "b4"}) m.items[*m.find_item(id)].pulse = true;
  return m;
}

TEST(Forms, AModelWithoutPulseFlagsHasNoPulseForm) {
  Model m = model_with_pulse();
  EXPECT_TRUE(has_pulse_form(m));
  for (auto& item : m.items) item.pulse = false;
  EXPECT_FALSE(has_pulse_form(m));
}

TEST(Forms, ThePulseFormKeepsOnlyPulseStatementsInModelOrder) {
  const Model full = model_with_pulse();
  const Model pulse = pulse_form(full);
  EXPECT_EQ(pulse.form, Form::pulse);
  EXPECT_EQ(full.form, Form::full);
  ASSERT_EQ(pulse.items.size(), 4u);
  EXPECT_EQ(pulse.items[0].id, "a3");
  EXPECT_EQ(pulse.items[3].id, "b4");
  EXPECT_EQ(pulse.items[2].competency, 1u);
  EXPECT_EQ(pulse.competencies.size(), full.competencies.size());
  EXPECT_EQ(pulse.stage_count(), full.stage_count());
  EXPECT_EQ(questionnaire_form(full, Form::full).items.size(), 6u);
  EXPECT_EQ(questionnaire_form(full, Form::pulse).items.size(), 4u);
}

// Scores and agreement of a pulse come from its statements alone.
TEST(Forms, APulseIsScoredOnItsStatementsOnly) {
  const Model pulse = pulse_form(model_with_pulse());
  Responses responses(pulse.items.size());
  add_respondent(responses, {5, 5, 1, 1}, "executive", "");
  add_respondent(responses, {4, 4, 2, 2}, "frontline", "");
  const GroupResult g = score_group(pulse, responses);
  ASSERT_EQ(g.competencies.size(), 2u);
  EXPECT_DOUBLE_EQ(*g.competencies[0].score, 87.5);
  EXPECT_DOUBLE_EQ(*g.competencies[1].score, 12.5);
  EXPECT_EQ(g.competencies[0].rwg_j.n, 2u);
  ASSERT_TRUE(g.items[0].rwg);
  EXPECT_DOUBLE_EQ(*g.items[0].rwg, 1.0 - 0.5 / 2.0);  // s^2 = 0.5, sigma^2_EU = 2 for 5 points
}

TEST(Forms, EstimatedMinutesAreTenSecondsAStatement) {
  EXPECT_EQ(estimated_minutes(49), 8);
  EXPECT_EQ(estimated_minutes(42), 7);
  EXPECT_EQ(estimated_minutes(14), 2);
  EXPECT_EQ(estimated_minutes(1), 1);
  EXPECT_EQ(estimated_minutes(0), 1);
  EXPECT_EQ(to_string(Form::pulse), std::string("pulse"));
}

}  // namespace
}  // namespace cxm::core
