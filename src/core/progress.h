// Change between two cycles (SPEC section 3): per competency and overall,
// the later cycle's mean respondent score minus the earlier one's, with a
// 95% Welch confidence interval, its verdict, and the stage change.
// Cycles run on different model versions compare on the competencies they
// share (matched by id). Beside it, the change at the same mix of roles
// (SPEC section 3, "Change at the same mix of roles").
#pragma once

#include <cstddef>
#include <optional>
#include <string>
#include <vector>

#include "core/comparison.h"
#include "core/model.h"
#include "core/statistics.h"

namespace cxm::core {

enum class ChangeVerdict { improved, declined, no_clear_change };
const char* to_string(ChangeVerdict verdict);

// "improved" when the interval lies above 0, "declined" when below 0, else
// (also when there is no interval) "no clear change".
ChangeVerdict change_verdict(const MeanDifference& change);

// A role's respondent scores in one cycle (overall or on one competency).
struct RoleSample {
  std::string role;
  SampleSummary sample;
};

// A share of the respondents moved by more than this many percentage
// points flags the change (SPEC section 3).
inline constexpr double kRoleShareMoveFlag = 20.0;
// Fewer roles than this taking part: no role-balanced change.
inline constexpr std::size_t kBalancedMinRoles = 2;
// A role takes part with at least this many respondents in both cycles.
inline constexpr std::size_t kBalancedMinRespondents = 2;

// A role taking part in the role-balanced change: its respondents in each
// cycle and their share of all the cycle's respondents (0..1).
struct RoleShare {
  std::string role;
  std::size_t n_before = 0, n_after = 0;
  double share_before = 0, share_after = 0;
  double weight = 0;  // w_r = (n_before + n_after) / the sum over the roles taking part
};

// The change at the same mix of roles: each cycle's mean is the roles'
// means weighted alike in both cycles, w_r = (n_r,earlier + n_r,later) / sum
// over the roles taking part (at least 2 respondents in both cycles). Its
// variance is sum w_r^2 s_r^2 / n_r; the difference's 95% interval is
// d +- t(0.975, df) sqrt(V), V the sum of both variances, df = V^2 / sum
// over every term v = w_r^2 s_r^2 / n_r of both cycles of v^2 / (n_r - 1);
// when V = 0 the interval is d itself (df absent). Same verdict rule.
struct BalancedChange {
  double before = 0;  // balanced mean of the earlier cycle
  double after = 0;
  double variance_before = 0;
  double variance_after = 0;
  MeanDifference change;  // after - before; the interval is always set
  ChangeVerdict verdict = ChangeVerdict::no_clear_change;
  std::vector<RoleShare> roles;  // those taking part, in the later cycle's order
  std::size_t most_moved = 0;    // index into roles: the share that moved most
  bool share_moved = false;      // a role's share moved by more than kRoleShareMoveFlag points
  bool verdict_differs = false;  // from the plain change's verdict
  bool flagged() const { return share_moved || verdict_differs; }
};

// The role-balanced change from the roles of the earlier cycle to those of
// the later one (each role at most once on a side; a role absent on one
// side does not take part), `total_*` being all respondents of each cycle
// (roles not taking part and people without a role included), compared
// with the plain change's verdict. Absent when fewer than kBalancedMinRoles
// roles take part.
std::optional<BalancedChange> role_balanced_change(const std::vector<RoleSample>& before,
                                                   std::size_t total_before,
                                                   const std::vector<RoleSample>& after,
                                                   std::size_t total_after, ChangeVerdict plain);

struct ScoreChange {
  SampleSummary before;  // respondent scores (0..100) of the earlier cycle
  SampleSummary after;
  MeanDifference change;  // after - before, 95% Welch interval
  ChangeVerdict verdict = ChangeVerdict::no_clear_change;
  // The change at the same mix of roles; absent when fewer than two roles
  // take part (or the cycles carry no roles).
  std::optional<BalancedChange> balanced;
};

struct CompetencyChange {
  std::string id;  // competency id, shared by both models
  ScoreChange score;
};

// One cycle as the change needs it: its model, the summary of its
// respondent scores (core/comparison.h), its stage (none for a pulse) and
// the summaries of the roles that may take part in the role-balanced
// change (summarize_by_role; the server leaves out the roles its published
// results do not show).
struct CycleStanding {
  const Model* model = nullptr;
  GroupSummary summary;
  std::optional<int> stage;
  std::vector<RoleSummary> roles = {};
};

struct Progress {
  ScoreChange overall;
  std::vector<CompetencyChange> competencies;  // shared ones, in the later model's order
  std::optional<int> stage_before;
  std::optional<int> stage_after;
  bool same_model = true;  // same model id and version
};

// The change from `before` to `after`. Both models must be set.
Progress progress_between(const CycleStanding& before, const CycleStanding& after);

}  // namespace cxm::core
