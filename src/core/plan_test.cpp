#include "core/plan.h"

#include <gtest/gtest.h>

#include <algorithm>

#include "core/scoring.h"
#include "core/test_support.h"

namespace cxm::core {
namespace {

using testing::make_model;

// Six stages, three competencies (a, b, c) with one statement per stage
// 2..6, an obstacle action per stage and one library action per
// competency and stage 1..6 aimed at the statement of the next stage.
Model six_stage_model() {
  Model m = make_model(6, {{"a2", "a", 2},
                           {"a3", "a", 3},
                           {"a4", "a", 4},
                           {"a5", "a", 5},
                           {"a6", "a", 6},
                           {"b2", "b", 2},
                           {"b3", "b", 3},
                           {"b4", "b", 4},
                           {"b5", "b", 5},
                           {"b6", "b", 6},
                           {"c2", "c", 2},
                           {"c3", "c", 3},
                           {"c4", "c", 4},
                           {"c5", "c", 5},
                           {"c6", "c", 6}});
  for (auto& s : m.stages) {
    s.obstacle = "Obstacle of stage " + std::to_string(s.number) + ".";
    s.obstacle_actions.push_back(
        {"Tackle obstacle " + std::to_string(s.number), "detail", "owner", "measure", {"a2"}});
  }
  m.competencies[0].name = "Alpha";
  m.competencies[1].name = "Beta";
  m.competencies[2].name = "Gamma";
  for (std::size_t c = 0; c < 3; ++c) {
    for (int stage = 1; stage <= 6; ++stage) {
      const std::string id = m.competencies[c].id;
      const std::string item = id + std::to_string(std::min(stage + 1, 6));
      m.actions.push_back(
          {c,
           stage,
           {"Move " + id + " from " + std::to_string(stage), "do it", "Ann", "it rose", {item}}});
    }
  }
  return m;
}

// Every competency at `stages[c]` with score `scores[c]`; item scores 80 up
// to the competency's stage and `below` above it.
PlanInput standing(const Model& m, int org_stage, std::vector<int> stages,
                   std::vector<double> scores, double below = 30) {
  PlanInput in;
  in.stage = org_stage;
  for (std::size_t c = 0; c < stages.size(); ++c) in.competencies.push_back({scores[c], stages[c]});
  for (const auto& item : m.items) {
    in.item_scores.push_back(item.stage <= stages[item.competency] ? 80.0 : below);
  }
  return in;
}

std::vector<std::string> titles(const Plan& plan) {
  std::vector<std::string> out;
  for (const auto& a : plan.actions) out.push_back(a.title);
  return out;
}

TEST(DraftPlan, StageOneOrganizationTacklesAwarenessAndTheFirstStepOfItsWeakestCompetencies) {
  const Model m = six_stage_model();
  const Plan plan = draft_plan(m, standing(m, 1, {1, 1, 2}, {20, 10, 45}));
  EXPECT_EQ(titles(plan), (std::vector<std::string>{"Tackle obstacle 1", "Move b from 1",
                                                    "Move a from 1", "Move c from 2"}));
  const PlanAction& obstacle = plan.actions[0];
  EXPECT_EQ(obstacle.kind, PlanActionKind::obstacle);
  EXPECT_FALSE(obstacle.competency);
  EXPECT_EQ(obstacle.target_stage, 2);
  EXPECT_EQ(obstacle.reason,
            "The organization is at stage 1 (Stage 1), whose key obstacle is obstacle of stage 1. "
            "This action tackles "
            "it on the way to stage 2 (Stage 2). It is meant to move \u201ca2\u201d (30 of 100).");
  const PlanAction& beta = plan.actions[1];
  EXPECT_EQ(beta.kind, PlanActionKind::gap);
  EXPECT_EQ(beta.competency, 1u);
  EXPECT_EQ(beta.target_stage, 2);
  EXPECT_EQ(beta.items, std::vector<std::size_t>{5});
  EXPECT_EQ(beta.owner, "Ann");
  EXPECT_EQ(beta.success_measure, "it rose");
  EXPECT_EQ(beta.reason,
            "Beta is at stage 1 (Stage 1), scoring 10 of 100. To reach stage 2 (Stage 2), its "
            "stage-2 statements need "
            "an average of at least 60; they average 30 now. It is meant to move \u201cb2\u201d "
            "(30 of 100).");
}

TEST(DraftPlan, StageFiveOrganizationPlansForItsStageAndItsLaggingCompetency) {
  const Model m = six_stage_model();
  const Plan plan = draft_plan(m, standing(m, 5, {5, 4, 6}, {70, 62, 90}));
  ASSERT_EQ(plan.actions.size(), 4u);
  EXPECT_EQ(plan.actions[0].title, "Tackle obstacle 5");
  EXPECT_EQ(plan.actions[0].target_stage, 6);
  // The lagging competency first (lower stage), then the next weakest.
  EXPECT_EQ(plan.actions[1].title, "Move b from 4");
  EXPECT_EQ(plan.actions[1].target_stage, 5);
  EXPECT_EQ(plan.actions[2].title, "Move a from 5");
  EXPECT_EQ(plan.actions[2].target_stage, 6);
  EXPECT_EQ(plan.actions[3].title, "Move c from 6");
  EXPECT_EQ(plan.actions[3].kind, PlanActionKind::sustain);
}

TEST(DraftPlan, WeakestCompetencyAlreadyAtTheTopIsKeptThere) {
  const Model m = six_stage_model();
  const Plan plan = draft_plan(m, standing(m, 6, {6, 6, 6}, {88, 75, 95}));
  ASSERT_EQ(plan.actions.size(), 4u);
  EXPECT_EQ(plan.actions[0].kind, PlanActionKind::obstacle);
  EXPECT_EQ(plan.actions[0].target_stage, 6);
  EXPECT_NE(plan.actions[0].reason.find("stays at the top stage"), std::string::npos);
  const PlanAction& weakest = plan.actions[1];
  EXPECT_EQ(weakest.kind, PlanActionKind::sustain);
  EXPECT_EQ(weakest.competency, 1u);
  EXPECT_EQ(weakest.target_stage, 6);
  EXPECT_EQ(weakest.reason,
            "Beta is at stage 6 (Stage 6), scoring 75 of 100. It is at the top stage; this action "
            "keeps it there. It "
            "is meant to move \u201cb6\u201d (80 of 100).");
}

TEST(DraftPlan, CompetenciesNobodyAnsweredAreNotPlannedFor) {
  const Model m = six_stage_model();
  PlanInput in = standing(m, 1, {1, 1, 1}, {20, 10, 5});
  in.competencies[2].score.reset();
  for (std::size_t i = 10; i < 15; ++i) in.item_scores[i].reset();
  const Plan plan = draft_plan(m, in);
  for (const auto& a : plan.actions) EXPECT_NE(a.competency, std::optional<std::size_t>(2));
  EXPECT_EQ(plan.actions.size(), 3u);
}

TEST(DraftPlan, OnlyTheThreeWeakestCompetenciesAndTheOrganizationsGapsAreCovered) {
  Model m = make_model(3, {{"a2", "a", 2},
                           {"a3", "a", 3},
                           {"b2", "b", 2},
                           {"b3", "b", 3},
                           {"c2", "c", 2},
                           {"c3", "c", 3},
                           {"d2", "d", 2},
                           {"d3", "d", 3},
                           {"e2", "e", 2},
                           {"e3", "e", 3}});
  for (std::size_t c = 0; c < m.competencies.size(); ++c) {
    const std::string id = m.competencies[c].id;
    m.actions.push_back({c, 2, {"Move " + id, "", "", "", {id + "3"}}});
  }
  PlanInput in = standing(m, 2, {2, 2, 2, 2, 2}, {65, 64, 63, 62, 61});
  // e, d and c are the weakest; b3 is below the threshold, so b's gap
  // still gets an action; a3 is at the threshold, so it is no gap.
  in.item_scores[1] = 60;
  const Plan plan = draft_plan(m, in);
  EXPECT_EQ(titles(plan), (std::vector<std::string>{"Move e", "Move d", "Move c", "Move b"}));
  const PlanAction& gap = plan.actions[3];
  EXPECT_EQ(gap.kind, PlanActionKind::gap);
  EXPECT_EQ(gap.target_stage, 3);
  EXPECT_EQ(gap.reason.rfind("\u201cb3\u201d scores 30 of 100, below 60: it is one of the "
                             "organization's gaps to stage 3",
                             0),
            0u);
}

TEST(DraftPlan, ReasonsNameStatementsByTheirTextNotTheirIds) {
  Model m = six_stage_model();
  m.items[0].text = "We act on complaints.";  // a2
  m.items[5].text =
      "Frontline teams can see the customer feedback about their own work, every week, in one "
      "place.";  // b2
  const Plan plan = draft_plan(m, standing(m, 1, {1, 1, 2}, {20, 10, 45}));
  EXPECT_NE(plan.actions[0].reason.find(
                "It is meant to move \u201cWe act on complaints\u201d (30 of 100)."),
            std::string::npos)
      << plan.actions[0].reason;
  const std::string& beta = plan.actions[1].reason;
  EXPECT_NE(beta.find("\u201cFrontline teams can see the customer feedback about their\u2026\u201d "
                      "(30 of 100)"),
            std::string::npos)
      << beta;
  EXPECT_EQ(beta.find("b2"), std::string::npos);
  EXPECT_EQ(plan.actions[1].items, std::vector<std::size_t>{5});  // the ids stay in items
}

TEST(DraftPlan, ObstacleActionsComeFromTheScoredStage) {
  Model m = make_model(3, {{"a2", "a", 2}, {"a3", "a", 3}});
  m.stages[1].obstacle = "Executives disagree.";
  m.stages[1].obstacle_actions.push_back({"Align executives", "", "", "", {}});
  Responses r(2);
  testing::add_respondent(r, {5, 2});
  testing::add_respondent(r, {4, 1});
  const PlanInput in = plan_input(score_group(m, r));
  EXPECT_EQ(in.stage, 2);
  EXPECT_EQ(in.competencies.at(0).stage, 2);
  const Plan plan = draft_plan(m, in);
  ASSERT_EQ(plan.actions.size(), 1u);  // the library has no competency action
  EXPECT_EQ(plan.actions[0].reason,
            "The organization is at stage 2 (Stage 2), whose key obstacle is executives disagree. "
            "This action tackles "
            "it on the way to stage 3 (Stage 3).");
  EXPECT_STREQ(to_string(plan.actions[0].kind), "obstacle");
}

}  // namespace
}  // namespace cxm::core
