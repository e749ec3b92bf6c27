// What a group should talk about once its answers are in (SPEC section 4.2):
// the discussion agenda, and whether a second round on the same statements
// brought the group closer together. Pure functions of a scored group.
//
// The per-statement figures the discussion shows (distribution, mean, sd,
// rwg, agreement class with the bimodality rule) are those of scoring.h;
// the per-competency rwg(j) and alpha with their n, and the perception gaps
// between roles and between units with Cohen's d, are those of
// cycle_scoring.h. This file only orders and compares them.
#pragma once

#include <cstddef>
#include <optional>
#include <vector>

#include "core/model.h"
#include "core/scoring.h"

namespace cxm::core {

// Why a statement matters for the stage verdict, most important first.
enum class Importance {
  next_stage,  // evidences the next stage: agreeing on it is the way forward
  attained,    // evidences a stage at or below the current one: disagreement questions the verdict
  later,       // evidences a stage beyond the next one
};
const char* to_string(Importance value);

struct AgendaEntry {
  std::size_t item = 0;  // index into Model::items
  AgreementClass agreement = AgreementClass::mixed;
  Importance importance = Importance::later;
  double rwg = 0.0;
};

// The statements worth discussing, in the order to discuss them:
// disagreement first, then mixed, then agreement; within a class the
// statements of the next stage, then those of attained stages, then later
// ones; then the lower rwg; then model order. Statements with fewer than
// two answers have no agreement and are left out (nothing to discuss yet).
std::vector<AgendaEntry> discussion_agenda(const Model& model, const GroupResult& group);

// A statement asked again after discussion (the workshop's second round).
// The verdict, in this order:
//  - not_enough_answers: either round has fewer than two answers;
//  - converged: the agreement class improved (disagreement -> mixed or
//    agreement, mixed -> agreement), or it stayed and rwg rose by at least
//    kConvergenceStep;
//  - diverged: the class worsened, or it stayed and rwg fell by at least
//    kConvergenceStep;
//  - unchanged: anything else.
// A split group (bimodal) that becomes one camp improves its class even
// when rwg moves little: that is the convergence a facilitator looks for.
enum class Convergence { converged, unchanged, diverged, not_enough_answers };
const char* to_string(Convergence value);
inline constexpr double kConvergenceStep = 0.10;

struct RoundComparison {
  std::optional<double> rwg_before;
  std::optional<double> rwg_after;
  std::optional<double> sd_before;
  std::optional<double> sd_after;
  Convergence verdict = Convergence::not_enough_answers;
};

// `before` and `after` are the same statement's results in the two rounds.
RoundComparison compare_rounds(const ItemResult& before, const ItemResult& after);

}  // namespace cxm::core
