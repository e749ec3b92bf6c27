// The draft action plan of a scored cycle (SPEC section 4.4): actions
// against the current stage's key obstacle, then actions for the next-stage
// gaps of the weakest competencies, each drawn from the model's action
// library with its reason in plain language and the statements it should
// move. A draft only: the facilitator keeps, edits, adds or drops actions.
#pragma once

#include <cstddef>
#include <optional>
#include <string>
#include <vector>

#include "core/model.h"
#include "core/plan_action_kind.h"
#include "core/scoring.h"

namespace cxm::core {

// What the plan needs of a scored cycle; `competencies` and `item_scores`
// are in model order (a competency or item nobody answered has no score).
struct PlanInput {
  int stage = 1;  // the organization's stage
  struct Competency {
    std::optional<double> score;
    int stage = 1;
  };
  std::vector<Competency> competencies;
  std::vector<std::optional<double>> item_scores;
};

// The standing a full cycle's group result gives (model must be full-form).
PlanInput plan_input(const GroupResult& result);

struct PlanAction {
  PlanActionKind kind = PlanActionKind::gap;
  std::string title;
  std::string detail;
  std::string owner;            // who typically owns it (from the library)
  std::string success_measure;  // how you know it worked
  std::string reason;           // plain language: why this action, now
  std::optional<std::size_t>
      competency;                  // index into Model::competencies; none for obstacle actions
  int target_stage = 1;            // the stage it helps reach (or keep, at the top)
  std::vector<std::size_t> items;  // indices into Model::items it is meant to move
};

struct Plan {
  std::vector<PlanAction> actions;  // obstacle actions first, then weakest competency first
};

// How many of the weakest competencies the draft plans for.
inline constexpr std::size_t kPlannedCompetencies = 3;

// The draft plan for `input`, scored against `model` (its action library).
// Competencies without a score are not planned for (nothing is known of
// them). No action appears twice (titles are unique in a model).
Plan draft_plan(const Model& model, const PlanInput& input);

}  // namespace cxm::core
