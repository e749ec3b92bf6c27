#include "core/scope.h"

#include <gtest/gtest.h>

#include "core/plan.h"
#include "core/scoring.h"
#include "core/test_support.h"

namespace cxm::core {
namespace {

using testing::add_respondent;
using testing::make_model;

// Stages 1..3; competency a has a2, a3 and a3x; b has b2 and b3.
Model model_with_actions() {
  Model m = make_model(
      3, {{"a2", "a", 2}, {"a3", "a", 3}, {"a3x", "a", 3}, {"b2", "b", 2}, {"b3", "b", 3}});
  m.stages[0].obstacle = "Nobody owns CX.";
  m.stages[0].obstacle_actions.push_back({"Name an owner", "", "", "", {"a2"}});
  m.actions.push_back({0, 2, {"Only for a3x", "", "", "", {"a3x"}}});
  m.actions.push_back({0, 2, {"For a3 and a3x", "", "", "", {"a3", "a3x"}}});
  m.actions.push_back({1, 2, {"For b3", "", "", "", {"b3"}}});
  return m;
}

TEST(Scope, AnOutOfScopeStatementIsNotScored) {
  const Model m = model_with_actions();
  Responses answers(m.items.size());
  // a3x is answered 1 by everyone and drags competency a and stage 3 down.
  add_respondent(answers, {5, 5, 1, 5, 4});
  add_respondent(answers, {4, 5, 1, 4, 4});
  add_respondent(answers, {5, 4, 1, 5, 4});
  const GroupResult all = score_group(m, answers);
  EXPECT_EQ(all.stage.stage, 2);  // stage 3 held back by a3x

  const Model scoped = in_scope(m, {"a3x"});
  ASSERT_EQ(scoped.items.size(), 4u);
  EXPECT_FALSE(scoped.find_item("a3x"));
  // Answers are matched to the scoped model by statement id, as the server
  // does: the a3x column is simply not read.
  Responses kept(scoped.items.size());
  add_respondent(kept, {5, 5, 5, 4});
  add_respondent(kept, {4, 5, 4, 4});
  add_respondent(kept, {5, 4, 5, 4});
  const GroupResult in = score_group(scoped, kept);
  EXPECT_EQ(in.stage.stage, 3);
  ASSERT_TRUE(in.competencies[0].score);
  EXPECT_GT(*in.competencies[0].score, *all.competencies[0].score);
  EXPECT_EQ(in.items.size(), 4u);
}

TEST(Scope, ThePlanIsNotAimedAtStatementsOutOfScope) {
  const Model scoped = in_scope(model_with_actions(), {"a3x", "a2"});
  // "Only for a3x" is gone; "For a3 and a3x" stays, aimed at a3 alone; the
  // obstacle action aimed only at a2 is gone.
  ASSERT_EQ(scoped.actions.size(), 2u);
  EXPECT_EQ(scoped.actions[0].action.title, "For a3 and a3x");
  EXPECT_EQ(scoped.actions[0].action.items, std::vector<std::string>{"a3"});
  EXPECT_TRUE(scoped.stages[0].obstacle_actions.empty());

  PlanInput input;
  input.stage = 2;
  input.competencies = {{40.0, 2}, {50.0, 2}};
  input.item_scores = {30.0, 40.0, 40.0};  // a3, b2, b3 in the scoped model
  const Plan plan = draft_plan(scoped, input);
  for (const auto& a : plan.actions) {
    EXPECT_NE(a.title, "Only for a3x");
    for (std::size_t i : a.items) EXPECT_NE(scoped.items[i].id, "a3x");
  }
  EXPECT_FALSE(plan.actions.empty());
}

TEST(Scope, ProblemsAreNamed) {
  const Model m = model_with_actions();
  EXPECT_FALSE(scope_problem(m, {}));
  EXPECT_FALSE(scope_problem(m, {"a3x"}));
  EXPECT_EQ(*scope_problem(m, {"zz9"}), "'zz9' is not a statement of the model");
  EXPECT_EQ(*scope_problem(m, {"a2", "b2"}), "stage 2 (Stage 2) would have no statement left");
  EXPECT_EQ(*scope_problem(m, {"b2", "b3"}), "b would have no statement left");
}

}  // namespace
}  // namespace cxm::core
