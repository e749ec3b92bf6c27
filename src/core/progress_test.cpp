#include "core/progress.h"

#include <gtest/gtest.h>

#include "core/test_support.h"
#include "core/testing.h"

namespace cxm::core {
namespace {

using testing::add_respondent;
using testing::make_model;

CycleStanding standing(const Model& model, const Responses& responses, std::optional<int> stage) {
  std::vector<std::size_t> rows(responses.size());
  for (std::size_t r = 0; r < rows.size(); ++r) rows[r] = r;
  return {&model, summarize(respondent_scores(model, responses, rows)), stage,
          summarize_by_role(model, responses, rows)};
}

// Expected values: R's t.test(after, before) (Welch), i.e. the
// Welch-Satterthwaite degrees of freedom and qt(0.975, df), computed
// independently with 40-digit arithmetic (mpmath's betainc for the t
// quantile).
TEST(Progress, ChangePerCompetencyAndOverallMatchesWelchTTest) {
  const Model model =
      make_model(3, {{"a2", "a", 2}, {"a3", "a", 3}, {"b2", "b", 2}, {"b3", "b", 3}});
  Responses before(4), after(4);
  add_respondent(before, {2, 3, 4, 4});
  add_respondent(before, {3, 3, 2, 5});
  add_respondent(before, {1, 2, 3, 3});
  add_respondent(before, {2, 2, 4, 4});
  add_respondent(after, {4, 4, 3, 4});
  add_respondent(after, {3, 5, 2, 4});
  add_respondent(after, {4, 3, 3, 5});
  add_respondent(after, {5, 4, 4, 3});
  add_respondent(after, {3, 4, 2, 2});
  const Progress p = progress_between(standing(model, before, 2), standing(model, after, 3));

  ASSERT_EQ(p.competencies.size(), 2u);
  const ScoreChange& a = p.competencies[0].score;
  EXPECT_EQ(p.competencies[0].id, "a");
  EXPECT_EQ(a.before.n, 4u);
  EXPECT_EQ(a.after.n, 5u);
  EXPECT_NEAR(a.before.mean, 31.25, kTol);
  EXPECT_NEAR(a.after.mean, 72.5, kTol);
  EXPECT_NEAR(a.change.difference, 41.25, kTol);
  EXPECT_NEAR(*a.change.ci_low, 17.183307857973547492, kTol);
  EXPECT_NEAR(*a.change.ci_high, 65.316692142026452508, kTol);
  EXPECT_NEAR(*a.change.df, 4.9366886948312485249, kTol);
  EXPECT_EQ(a.verdict, ChangeVerdict::improved);

  const ScoreChange& b = p.competencies[1].score;
  EXPECT_NEAR(b.change.difference, -10.625, kTol);
  EXPECT_NEAR(*b.change.ci_low, -35.35133655664927963, kTol);
  EXPECT_NEAR(*b.change.ci_high, 14.10133655664927963, kTol);
  EXPECT_NEAR(*b.change.df, 6.7459041995311570164, kTol);
  EXPECT_EQ(b.verdict, ChangeVerdict::no_clear_change);

  EXPECT_NEAR(p.overall.change.difference, 15.3125, kTol);
  EXPECT_NEAR(*p.overall.change.ci_low, -3.8137423664569784981, kTol);
  EXPECT_NEAR(*p.overall.change.ci_high, 34.438742366456978498, kTol);
  EXPECT_NEAR(*p.overall.change.df, 6.6169940693736180141, kTol);
  EXPECT_EQ(p.overall.verdict, ChangeVerdict::no_clear_change);
  EXPECT_EQ(p.stage_before, 2);
  EXPECT_EQ(p.stage_after, 3);
  EXPECT_TRUE(p.same_model);
}

TEST(Progress, VerdictFollowsTheInterval) {
  EXPECT_EQ(change_verdict({5, 0.1, 9.9, 4}), ChangeVerdict::improved);
  EXPECT_EQ(change_verdict({-5, -9.9, -0.1, 4}), ChangeVerdict::declined);
  EXPECT_EQ(change_verdict({5, -0.1, 9.9, 4}), ChangeVerdict::no_clear_change);
  EXPECT_EQ(change_verdict({5, 0.0, 9.9, 4}),
            ChangeVerdict::no_clear_change);  // touching 0 is not above it
  EXPECT_EQ(change_verdict({5, std::nullopt, std::nullopt, std::nullopt}),
            ChangeVerdict::no_clear_change);
  EXPECT_STREQ(to_string(ChangeVerdict::declined), "declined");
  EXPECT_STREQ(to_string(ChangeVerdict::no_clear_change), "no clear change");
}

TEST(Progress, DifferentModelsCompareOnTheCompetenciesTheyShare) {
  const Model old_model =
      make_model(3, {{"a2", "a", 2}, {"a3", "a", 3}, {"c2", "c", 2}, {"c3", "c", 3}});
  Model new_model =
      make_model(3, {{"b2", "b", 2}, {"b3", "b", 3}, {"a2", "a", 2}, {"a3x", "a", 3}});
  new_model.version = "2";
  Responses before(4), after(4);
  add_respondent(before, {2, 2, 3, 3});
  add_respondent(before, {3, 3, 3, 3});
  add_respondent(after, {4, 4, 4, 4});
  add_respondent(after, {5, 5, 5, 5});
  const Progress p =
      progress_between(standing(old_model, before, 1), standing(new_model, after, std::nullopt));
  ASSERT_EQ(p.competencies.size(), 1u);
  EXPECT_EQ(p.competencies[0].id, "a");
  EXPECT_NEAR(p.competencies[0].score.before.mean, 37.5, kTol);
  EXPECT_NEAR(p.competencies[0].score.after.mean, 87.5, kTol);
  EXPECT_FALSE(p.same_model);
  EXPECT_FALSE(p.stage_after.has_value());
}

// ---- The change at the same mix of roles (SPEC section 3) ----
//
// The expected figures below were computed independently of this code, in
// Python with exact fractions for the scores and mpmath (40 digits) for the
// t quantile, from the raw answers. The script:
//
//   from mpmath import mp, mpf, betainc, findroot, sqrt
//   mp.dps = 40
//   def t_cdf(t, df):
//       x = df / (df + t * t)
//       tail = betainc(df / 2, mpf(1) / 2, 0, x, regularized=True) / 2
//       return 1 - tail if t > 0 else tail
//   def t_q(p, df): return findroot(lambda t: t_cdf(t, df) - p, mpf(2))
//   def mean(x): return sum(x) / len(x)
//   def variance(x): m = mean(x); return sum((v - m) ** 2 for v in x) / (len(x) - 1)
//   def norm(a): return mpf(a - 1) / 4 * 100          # scale 1..5 to 0..100
//   def scores(rows, comps):                           # a respondent's scores
//       out = []
//       for role, ans in rows:
//           per = {}
//           for c, a in zip(comps, ans):
//               if a is not None: per.setdefault(c, []).append(a)
//           cs = {c: norm(mpf(sum(v)) / len(v)) for c, v in per.items()}
//           out.append((role, cs, sum(cs.values()) / len(cs)))
//       return out
//   def welch(b, a):                                   # the plain change
//       vb, va = variance(b) / len(b), variance(a) / len(a)
//       d = mean(a) - mean(b); V = va + vb
//       df = V * V / (va * va / (len(a) - 1) + vb * vb / (len(b) - 1))
//       h = t_q(mpf('0.975'), df) * sqrt(V)
//       return d, d - h, d + h, df
//   def balanced(b, a):                                # b, a: {role: [scores]}
//       roles = [r for r in a if r in b and len(a[r]) >= 2 and len(b[r]) >= 2]
//       tot = sum(len(a[r]) + len(b[r]) for r in roles)
//       w = {r: mpf(len(a[r]) + len(b[r])) / tot for r in roles}
//       mb = sum(w[r] * mean(b[r]) for r in roles); ma = sum(w[r] * mean(a[r]) for r in roles)
//       terms = [(w[r]**2 * variance(x[r]) / len(x[r]), len(x[r])) for x in (b, a) for r in roles]
//       V = sum(v for v, n in terms); d = ma - mb
//       if V == 0: return roles, w, mb, ma, d, d, d, None
//       df = V * V / sum(v * v / (n - 1) for v, n in terms)
//       h = t_q(mpf('0.975'), df) * sqrt(V)
//       return roles, w, mb, ma, d, d - h, d + h, df
//
// with by_role() grouping a cycle's scores (overall, or one competency's
// where the respondent has it) by non-empty role, and plain() listing them.

// Worked by hand: role A has 2 respondents in both cycles (means 50 then
// 60, variance 50 both times), role B 3 (mean 70, variance 75 both times);
// 10 respondents in each cycle. w_A = (2 + 2) / 10 = 0.4, w_B = 0.6.
// Balanced means 0.4*50 + 0.6*70 = 62 and 0.4*60 + 0.6*70 = 66: d = 4.
// Terms v: A 0.16*50/2 = 4, B 0.36*75/3 = 9, in each cycle: V = 26.
// df = 26^2 / (2 * (4^2/1 + 9^2/2)) = 676 / 113 = 5.98230088495575221...
// t(0.975, 676/113) = 2.4486677685507588942 (mpmath), sqrt(26) = 5.0990195...
// Interval 4 -+ 12.48580473414602044 = -8.4858047341460204392 to
// 16.485804734146020439: no clear change.
TEST(RoleBalancedChange, WorkedByHand) {
  const std::vector<RoleSample> before = {{"a", {2, 50, 50}}, {"b", {3, 70, 75}}};
  const std::vector<RoleSample> after = {{"b", {3, 70, 75}}, {"a", {2, 60, 50}}};
  const auto c = role_balanced_change(before, 10, after, 10, ChangeVerdict::improved);
  ASSERT_TRUE(c.has_value());
  EXPECT_NEAR(c->before, 62, kTol);
  EXPECT_NEAR(c->after, 66, kTol);
  EXPECT_NEAR(c->variance_before, 13, kTol);
  EXPECT_NEAR(c->variance_after, 13, kTol);
  EXPECT_NEAR(c->change.difference, 4, kTol);
  EXPECT_NEAR(*c->change.df, 676.0 / 113.0, kTol);
  EXPECT_NEAR(*c->change.ci_low, -8.4858047341460204392, kTol);
  EXPECT_NEAR(*c->change.ci_high, 16.485804734146020439, kTol);
  EXPECT_EQ(c->verdict, ChangeVerdict::no_clear_change);
  // In the later cycle's order, with both cycles' shares (n / 10).
  ASSERT_EQ(c->roles.size(), 2u);
  EXPECT_EQ(c->roles[0].role, "b");
  EXPECT_NEAR(c->roles[0].weight, 0.6, kTol);
  EXPECT_NEAR(c->roles[0].share_before, 0.3, kTol);
  EXPECT_NEAR(c->roles[1].share_after, 0.2, kTol);
  EXPECT_FALSE(c->share_moved);
  // The plain change said "improved": the verdicts differ, so it is flagged.
  EXPECT_TRUE(c->verdict_differs);
  EXPECT_TRUE(c->flagged());
  const auto same = role_balanced_change(before, 10, after, 10, ChangeVerdict::no_clear_change);
  EXPECT_FALSE(same->flagged());
}

TEST(RoleBalancedChange, NeedsTwoRolesWithTwoRespondentsInBothCycles) {
  // b has one respondent in the later cycle, c none in the earlier one, and
  // a role-less sample never takes part: only a is left, too few roles.
  const std::vector<RoleSample> before = {{"a", {2, 50, 50}}, {"b", {3, 70, 75}}, {"", {4, 1, 1}}};
  const std::vector<RoleSample> after = {
      {"a", {2, 60, 50}}, {"b", {1, 70, 0}}, {"c", {5, 80, 10}}, {"", {4, 1, 1}}};
  EXPECT_FALSE(role_balanced_change(before, 9, after, 12, ChangeVerdict::improved).has_value());
  EXPECT_FALSE(role_balanced_change({}, 0, {}, 0, ChangeVerdict::improved).has_value());
}

// Executives rate higher than frontline staff; in the later cycle many
// more executives answered. Within each role nothing moved, yet the plain
// change says "improved": at the same mix of roles there is no clear
// change, and the flag says why (the executives' share went from 13% to
// 50%). Items a1, a2 (competency a), b1, b2 (competency b). A manager
// skipped competency b in the earlier cycle, so on b the managers (1 then
// 2) do not take part; "other" has one respondent before and never takes
// part; the respondent without a role counts in the shares' totals only.
TEST(RoleBalancedChange, MoreExecutivesAnsweringIsNotProgress) {
  const Model model =
      make_model(3, {{"a1", "a", 2}, {"a2", "a", 2}, {"b1", "b", 2}, {"b2", "b", 2}});
  const std::nullopt_t none = std::nullopt;
  Responses before(4), after(4);
  add_respondent(before, {5, 4, 4, 5}, "executive");
  add_respondent(before, {4, 5, 5, 5}, "executive");
  for (const auto& a : std::vector<std::vector<int>>{{2, 1, 2, 2},
                                                     {1, 2, 2, 1},
                                                     {2, 2, 1, 2},
                                                     {2, 1, 2, 1},
                                                     {1, 2, 2, 2},
                                                     {2, 2, 2, 1},
                                                     {1, 1, 2, 2},
                                                     {2, 2, 1, 1},
                                                     {1, 2, 1, 2}})
    add_respondent(before, {a[0], a[1], a[2], a[3]}, "frontline");
  add_respondent(before, {4, 3, 3, 4}, "manager");
  add_respondent(before, {3, 4, none, none}, "manager");
  add_respondent(before, {3, 3, 3, 3}, "other");
  add_respondent(before, {3, 3, 3, 3});
  for (const auto& a : std::vector<std::vector<int>>{{5, 5, 4, 4},
                                                     {4, 5, 5, 4},
                                                     {5, 4, 4, 5},
                                                     {4, 4, 5, 5},
                                                     {5, 5, 5, 4},
                                                     {4, 5, 4, 5},
                                                     {5, 4, 5, 5},
                                                     {4, 4, 5, 4},
                                                     {5, 5, 4, 5}})
    add_respondent(after, {a[0], a[1], a[2], a[3]}, "executive");
  add_respondent(after, {2, 2, 1, 2}, "frontline");
  add_respondent(after, {1, 2, 2, 2}, "frontline");
  add_respondent(after, {2, 1, none, none}, "frontline");
  add_respondent(after, {4, 4, 3, 3}, "manager");
  add_respondent(after, {3, 3, 4, 3}, "manager");
  add_respondent(after, {3, 2, 3, 3}, "other");
  add_respondent(after, {3, 3, 3, 3}, "other");
  add_respondent(after, {3, 3, 2, 3}, "other");
  add_respondent(after, {3, 3, 2, 3});
  const Progress p = progress_between(standing(model, before, 2), standing(model, after, 2));

  // Overall: plain 36.25 -> 63.888..., improved; balanced on executive,
  // frontline and manager (w = 11/27, 12/27, 4/27).
  EXPECT_NEAR(p.overall.change.difference, 27.638888888888888889, kTol);
  EXPECT_NEAR(*p.overall.change.ci_low, 7.0618265578352996287, kTol);
  EXPECT_NEAR(*p.overall.change.ci_high, 48.215951219942478149, kTol);
  EXPECT_EQ(p.overall.verdict, ChangeVerdict::improved);
  ASSERT_TRUE(p.overall.balanced.has_value());
  const BalancedChange& o = *p.overall.balanced;
  EXPECT_NEAR(o.before, 52.970679012345679012, kTol);
  EXPECT_NEAR(o.after, 52.417695473251028807, kTol);
  EXPECT_NEAR(o.change.difference, -0.55298353909465020576, kTol);
  EXPECT_NEAR(*o.change.ci_low, -5.8878414869916401037, kTol);
  EXPECT_NEAR(*o.change.ci_high, 4.7818744088023396922, kTol);
  EXPECT_NEAR(*o.change.df, 3.4529430830967693991, kTol);
  EXPECT_EQ(o.verdict, ChangeVerdict::no_clear_change);
  ASSERT_EQ(o.roles.size(), 3u);
  EXPECT_EQ(o.roles[0].role, "executive");
  EXPECT_EQ(o.roles[1].role, "manager");
  EXPECT_EQ(o.roles[2].role, "frontline");
  EXPECT_NEAR(o.roles[0].weight, 11.0 / 27.0, kTol);
  EXPECT_NEAR(o.roles[0].share_before, 2.0 / 15.0, kTol);
  EXPECT_NEAR(o.roles[0].share_after, 9.0 / 18.0, kTol);
  EXPECT_NEAR(o.roles[2].share_before, 9.0 / 15.0, kTol);
  EXPECT_NEAR(o.roles[2].share_after, 3.0 / 18.0, kTol);
  EXPECT_TRUE(o.share_moved);
  EXPECT_TRUE(o.verdict_differs);
  EXPECT_EQ(o.roles[o.most_moved].role, "frontline");  // 60% -> 16.7%: 43.3 points

  ASSERT_EQ(p.competencies.size(), 2u);
  const ScoreChange& a = p.competencies[0].score;
  EXPECT_NEAR(a.change.difference, 28.75, kTol);
  EXPECT_NEAR(*a.change.ci_low, 8.0177225440972514887, kTol);
  EXPECT_EQ(a.verdict, ChangeVerdict::improved);
  ASSERT_TRUE(a.balanced.has_value());
  EXPECT_EQ(a.balanced->roles.size(), 3u);
  EXPECT_NEAR(a.balanced->before, 51.697530864197530864, kTol);
  EXPECT_NEAR(a.balanced->after, 52.88065843621399177, kTol);
  EXPECT_NEAR(*a.balanced->change.ci_low, -6.740756015122515474, kTol);
  EXPECT_NEAR(*a.balanced->change.ci_high, 9.1070111591554372847, kTol);
  EXPECT_NEAR(*a.balanced->change.df, 5.6170783948964881643, kTol);
  EXPECT_EQ(a.balanced->verdict, ChangeVerdict::no_clear_change);

  // On b the manager who skipped it leaves one manager before: only the
  // executives and the frontline (2 of them after) take part, w = 1/2 each;
  // shares of the 14 and 17 who have a b score.
  const ScoreChange& b = p.competencies[1].score;
  EXPECT_EQ(b.before.n, 14u);
  EXPECT_EQ(b.after.n, 17u);
  EXPECT_NEAR(*b.change.ci_low, 9.6392508095214575898, kTol);
  ASSERT_TRUE(b.balanced.has_value());
  ASSERT_EQ(b.balanced->roles.size(), 2u);
  EXPECT_EQ(b.balanced->roles[0].role, "executive");
  EXPECT_EQ(b.balanced->roles[1].role, "frontline");
  EXPECT_EQ(b.balanced->roles[1].n_after, 2u);
  EXPECT_NEAR(b.balanced->roles[1].weight, 0.5, kTol);
  EXPECT_NEAR(b.balanced->roles[0].share_after, 9.0 / 17.0, kTol);
  EXPECT_NEAR(b.balanced->before, 54.513888888888888889, kTol);
  EXPECT_NEAR(b.balanced->after, 53.819444444444444444, kTol);
  EXPECT_NEAR(*b.balanced->change.ci_low, -16.712981333369962769, kTol);
  EXPECT_NEAR(*b.balanced->change.ci_high, 15.32409244448107388, kTol);
  EXPECT_NEAR(*b.balanced->change.df, 2.7689300860523144942, kTol);
  EXPECT_EQ(b.balanced->verdict, ChangeVerdict::no_clear_change);
}

// No variance inside any role: V = 0, the interval is d itself (no df).
// Executives score 100 in both cycles (2 then 3 of them), frontline staff
// 25 then 50 (3 then 2): w = 5/10 each, balanced means 62.5 and 75, d =
// 12.5, interval [12.5, 12.5]: improved. The plain change, 55 -> 80 (+25),
// has an interval of -27.256496100951027383 to 77.256496100951027383 (df
// 6.9690721649484536082; the script above): no clear change. The shares
// moved by exactly 20 points (40% -> 60%), which is not more than 20: the
// flag comes from the verdicts alone.
TEST(RoleBalancedChange, NoVarianceMeansTheIntervalIsTheDifference) {
  const Model model = make_model(3, {{"a2", "a", 2}});
  Responses before(1), after(1);
  add_respondent(before, {5}, "executive");
  add_respondent(before, {5}, "executive");
  for (int i = 0; i < 3; ++i) add_respondent(before, {2}, "frontline");
  for (int i = 0; i < 3; ++i) add_respondent(after, {5}, "executive");
  add_respondent(after, {3}, "frontline");
  add_respondent(after, {3}, "frontline");
  const Progress p = progress_between(standing(model, before, 2), standing(model, after, 2));
  EXPECT_NEAR(p.overall.change.difference, 25, kTol);
  EXPECT_NEAR(*p.overall.change.ci_low, -27.256496100951027383, kTol);
  EXPECT_NEAR(*p.overall.change.df, 6.9690721649484536082, kTol);
  EXPECT_EQ(p.overall.verdict, ChangeVerdict::no_clear_change);
  ASSERT_TRUE(p.overall.balanced.has_value());
  const BalancedChange& o = *p.overall.balanced;
  EXPECT_NEAR(o.before, 62.5, kTol);
  EXPECT_NEAR(o.after, 75, kTol);
  EXPECT_DOUBLE_EQ(o.variance_before + o.variance_after, 0);
  EXPECT_NEAR(o.change.difference, 12.5, kTol);
  EXPECT_NEAR(*o.change.ci_low, 12.5, kTol);
  EXPECT_NEAR(*o.change.ci_high, 12.5, kTol);
  EXPECT_FALSE(o.change.df.has_value());
  EXPECT_EQ(o.verdict, ChangeVerdict::improved);
  EXPECT_NEAR(o.roles[0].share_before, 0.4, kTol);
  EXPECT_NEAR(o.roles[0].share_after, 0.6, kTol);
  EXPECT_FALSE(o.share_moved);
  EXPECT_TRUE(o.verdict_differs);
  EXPECT_TRUE(o.flagged());
}

// A role left out of a cycle's role summaries (as the server leaves out a
// role its published results do not show) never takes part, while its
// people still count in the shares' totals.
TEST(RoleBalancedChange, OnlyTheRolesGivenTakePart) {
  const Model model = make_model(3, {{"a2", "a", 2}});
  Responses before(1), after(1);
  for (const char* role :
       {"executive", "executive", "manager", "manager", "frontline", "frontline", "frontline"}) {
    add_respondent(before, {3}, role);
    add_respondent(after, {4}, role);
  }
  add_respondent(before, {2}, "frontline");
  CycleStanding b = standing(model, before, 2), a = standing(model, after, 2);
  ASSERT_EQ(b.roles.size(), 3u);
  EXPECT_EQ(progress_between(b, a).overall.balanced->roles.size(), 3u);
  std::erase_if(b.roles, [](const RoleSummary& r) { return r.role == "manager"; });
  const auto o = progress_between(b, a).overall.balanced;
  ASSERT_TRUE(o.has_value());
  ASSERT_EQ(o->roles.size(), 2u);
  EXPECT_EQ(o->roles[0].role, "executive");
  EXPECT_NEAR(o->roles[0].share_before, 2.0 / 8.0, kTol);
  EXPECT_NEAR(o->roles[1].share_before, 4.0 / 8.0, kTol);
  // Only one role left: none.
  std::erase_if(a.roles, [](const RoleSummary& r) { return r.role == "executive"; });
  EXPECT_FALSE(progress_between(b, a).overall.balanced.has_value());
}

}  // namespace
}  // namespace cxm::core
