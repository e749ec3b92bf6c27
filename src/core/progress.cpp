#include "core/progress.h"

#include <cmath>

namespace cxm::core {

const char* to_string(ChangeVerdict verdict) {
  switch (verdict) {
    case ChangeVerdict::improved:
      return "improved";
    case ChangeVerdict::declined:
      return "declined";
    case ChangeVerdict::no_clear_change:
      return "no clear change";
  }
  return "no clear change";
}

ChangeVerdict change_verdict(const MeanDifference& change) {
  if (!change.ci_low || !change.ci_high) return ChangeVerdict::no_clear_change;
  if (*change.ci_low > 0) return ChangeVerdict::improved;
  if (*change.ci_high < 0) return ChangeVerdict::declined;
  return ChangeVerdict::no_clear_change;
}

std::optional<BalancedChange> role_balanced_change(const std::vector<RoleSample>& before,
                                                   std::size_t total_before,
                                                   const std::vector<RoleSample>& after,
                                                   std::size_t total_after, ChangeVerdict plain) {
  struct Pair {
    const SampleSummary* before;
    const SampleSummary* after;
    std::string role;
  };
  std::vector<Pair> taking_part;
  for (const auto& a : after) {
    if (a.role.empty() || a.sample.n < kBalancedMinRespondents) continue;
    for (const auto& b : before) {
      if (b.role != a.role) continue;
      if (b.sample.n >= kBalancedMinRespondents)
        taking_part.push_back({&b.sample, &a.sample, a.role});
      break;
    }
  }
  if (taking_part.size() < kBalancedMinRoles || total_before == 0 || total_after == 0)
    return std::nullopt;
  double weight_sum = 0;
  for (const auto& p : taking_part) weight_sum += static_cast<double>(p.before->n + p.after->n);

  BalancedChange out;
  double df_denominator = 0;  // sum of v^2 / (n - 1) over every term of both cycles
  auto term = [&](const SampleSummary& s, double w, double& mean, double& variance) {
    mean += w * s.mean;
    const double v = w * w * s.variance / static_cast<double>(s.n);
    variance += v;
    df_denominator += v * v / static_cast<double>(s.n - 1);
  };
  double largest_move = -1;
  for (const auto& p : taking_part) {
    const double w = static_cast<double>(p.before->n + p.after->n) / weight_sum;
    term(*p.before, w, out.before, out.variance_before);
    term(*p.after, w, out.after, out.variance_after);
    RoleShare share{p.role,
                    p.before->n,
                    p.after->n,
                    static_cast<double>(p.before->n) / static_cast<double>(total_before),
                    static_cast<double>(p.after->n) / static_cast<double>(total_after),
                    w};
    const double move = std::abs(share.share_after - share.share_before) * 100.0;
    // Strictly more than the flag's points (1e-9: n/N is not exact in binary).
    if (move > kRoleShareMoveFlag + 1e-9) out.share_moved = true;
    if (move > largest_move) {
      largest_move = move;
      out.most_moved = out.roles.size();
    }
    out.roles.push_back(std::move(share));
  }
  const double d = out.after - out.before;
  const double v = out.variance_before + out.variance_after;
  out.change.difference = d;
  if (v > 0.0) {
    const double df = v * v / df_denominator;
    const double half_width = student_t_quantile(0.975, df) * std::sqrt(v);
    out.change.ci_low = d - half_width;
    out.change.ci_high = d + half_width;
    out.change.df = df;
  } else {
    out.change.ci_low = d;
    out.change.ci_high = d;
  }
  out.verdict = change_verdict(out.change);
  out.verdict_differs = out.verdict != plain;
  return out;
}

namespace {

// Each role's sample on one competency (`competency` an index into the
// role's summary) or overall (none).
std::vector<RoleSample> role_samples(const std::vector<RoleSummary>& roles,
                                     std::optional<std::size_t> competency) {
  std::vector<RoleSample> out;
  for (const auto& r : roles) {
    if (!competency) {
      out.push_back({r.role, r.summary.overall});
    } else if (*competency < r.summary.competencies.size()) {
      out.push_back({r.role, r.summary.competencies[*competency]});
    }
  }
  return out;
}

ScoreChange score_change(const CycleStanding& earlier, const CycleStanding& later,
                         std::optional<std::size_t> competency_before,
                         std::optional<std::size_t> competency_after) {
  ScoreChange c;
  c.before = competency_before ? earlier.summary.competencies[*competency_before]
                               : earlier.summary.overall;
  c.after =
      competency_after ? later.summary.competencies[*competency_after] : later.summary.overall;
  c.change = welch_difference(c.after, c.before);
  c.verdict = change_verdict(c.change);
  c.balanced =
      role_balanced_change(role_samples(earlier.roles, competency_before), c.before.n,
                           role_samples(later.roles, competency_after), c.after.n, c.verdict);
  return c;
}

}  // namespace

Progress progress_between(const CycleStanding& before, const CycleStanding& after) {
  Progress p;
  p.overall = score_change(before, after, std::nullopt, std::nullopt);
  p.stage_before = before.stage;
  p.stage_after = after.stage;
  p.same_model =
      before.model->id == after.model->id && before.model->version == after.model->version;
  for (std::size_t c = 0; c < after.model->competencies.size(); ++c) {
    const std::string& id = after.model->competencies[c].id;
    const auto earlier = before.model->find_competency(id);
    if (!earlier || *earlier >= before.summary.competencies.size() ||
        c >= after.summary.competencies.size())
      continue;
    p.competencies.push_back({id, score_change(before, after, *earlier, c)});
  }
  return p;
}

}  // namespace cxm::core
