#include "core/outside_in.h"

#include <gtest/gtest.h>

#include <vector>

#include "core/test_support.h"

namespace cxm::core {
namespace {

using testing::add_respondent;
using testing::make_model;

Day day(const char* text) { return *parse_iso_date(text); }

CustomerFigure figure(const char* metric, const char* period, const char* unit, double value) {
  return {metric, period, unit, value, 100, "survey", false};
}

TEST(OutsideIn, MonthsBeforeClipsToTheMonthsLastDay) {
  EXPECT_EQ(format_iso_date(months_before(day("2026-08-31"), 6)), "2026-02-28");
  EXPECT_EQ(format_iso_date(months_before(day("2028-08-31"), 6)), "2028-02-29");
  EXPECT_EQ(format_iso_date(months_before(day("2026-03-10"), 6)), "2025-09-10");
  EXPECT_EQ(format_iso_date(months_before(day("2026-01-15"), 13)), "2024-12-15");
}

// The cycle ran from 10 March to 20 April 2026: a figure counts when its
// period began by 20 April 2026 and ended on or after 10 September 2025.
TEST(OutsideIn, TheFigureForACyclesPeriodIsTheLatestThatOverlapsItsWindow) {
  const std::vector<CustomerFigure> figures = {
      figure("nps", "2025-08", "", 10),  // ended 31 Aug 2025: too early
      figure("nps", "2025-09", "", 11),  // ended 30 Sep 2025: counts
      figure("nps", "2026-04", "", 12),  // began 1 Apr: counts, the latest
      figure("nps", "2026-05", "", 13),  // began after the cycle's last day
      figure("nps", "2026-04", "Sales", 14), figure("csat", "2026-04", "", 15),
  };
  const CycleDays cycle{day("2026-03-10"), day("2026-04-20")};
  EXPECT_EQ(figure_for_cycle(figures, "nps", "", cycle), std::optional<std::size_t>(2));
  EXPECT_EQ(figure_for_cycle(figures, "nps", "Sales", cycle), std::optional<std::size_t>(4));
  EXPECT_EQ(figure_for_cycle(figures, "csat", "", cycle), std::optional<std::size_t>(5));
  EXPECT_FALSE(figure_for_cycle(figures, "ces", "", cycle));
  EXPECT_FALSE(figure_for_cycle(figures, "nps", "Support", cycle));
  // Without the April figure, the September one (ended within six months
  // before the first day) is the latest.
  const std::vector<CustomerFigure> older = {figures[0], figures[1], figures[3]};
  EXPECT_EQ(figure_for_cycle(older, "nps", "", cycle), std::optional<std::size_t>(1));
  // Only too early and too late figures: none.
  const std::vector<CustomerFigure> none = {figures[0], figures[3]};
  EXPECT_FALSE(figure_for_cycle(none, "nps", "", cycle));
}

TEST(OutsideIn, BothEndsOfTheWindowCount) {
  const CycleDays cycle{day("2026-03-10"), day("2026-04-20")};
  // A rating read on the cycle's last day, and one that ended on the first
  // day of the window.
  const std::vector<CustomerFigure> figures = {figure("stars", "2025-09-10", "", 3),
                                               figure("stars", "2026-04-20", "", 4)};
  EXPECT_EQ(figure_for_cycle(figures, "stars", "", cycle), std::optional<std::size_t>(1));
  const std::vector<CustomerFigure> edge = {figure("stars", "2025-09-10", "", 3),
                                            figure("stars", "2026-04-21", "", 4),
                                            figure("stars", "2025-09-09", "", 5)};
  EXPECT_EQ(figure_for_cycle(edge, "stars", "", cycle), std::optional<std::size_t>(0));
  // Of a month and a day in it that begin on the same day, the longer.
  const std::vector<CustomerFigure> same_start = {figure("stars", "2026-04-01", "", 1),
                                                  figure("stars", "2026-04", "", 2)};
  EXPECT_EQ(figure_for_cycle(same_start, "stars", "", cycle), std::optional<std::size_t>(1));
}

TEST(OutsideIn, AverageRanksShareTies) {
  const std::vector<double> values = {10, 20, 20, 5, 20, 7};
  EXPECT_EQ(average_ranks(values), (std::vector<double>{3, 5, 5, 1, 5, 2}));
  const std::vector<double> pair = {1, 1};
  EXPECT_EQ(average_ranks(pair), (std::vector<double>{1.5, 1.5}));
}

// The worked example of Spearman's rho without ties (IQ and hours of
// television, n = 10): sum of squared rank differences 194, so
// rho = 1 - 6 x 194 / (10 x 99) = -29/165.
TEST(OutsideIn, SpearmanWithoutTiesIsTheTextbookValue) {
  const std::vector<double> iq = {106, 100, 86, 101, 99, 103, 97, 113, 112, 110};
  const std::vector<double> tv = {7, 27, 2, 50, 28, 29, 20, 12, 6, 17};
  EXPECT_NEAR(*spearman_rho(iq, tv), -29.0 / 165.0, 1e-12);
}

// With ties, by hand: ranks x = 1, 2.5, 2.5, 4, 5, 6, 7, 8 and
// y = 2, 1, 5, 3.5, 3.5, 7, 6, 8; about their mean 4.5 the cross
// products sum to 34.5 and both squared deviations to 41.5, so
// rho = 34.5 / 41.5 = 69/83 (R: cor(x, y, method = "spearman")).
TEST(OutsideIn, SpearmanWithTiesIsPearsonOnAverageRanks) {
  const std::vector<double> x = {1, 2, 2, 3, 4, 5, 6, 7};
  const std::vector<double> y = {2, 1, 4, 3, 3, 6, 5, 8};
  EXPECT_NEAR(*spearman_rho(x, y), 69.0 / 83.0, 1e-12);
  // Symmetric, and the mirror image of one side turns the sign.
  EXPECT_NEAR(*spearman_rho(y, x), 69.0 / 83.0, 1e-12);
  std::vector<double> minus_y;
  for (double v : y) minus_y.push_back(-v);
  EXPECT_NEAR(*spearman_rho(x, minus_y), -69.0 / 83.0, 1e-12);
  // A monotone transform changes nothing: ranks only.
  std::vector<double> cubed;
  for (double v : x) cubed.push_back(v * v * v);
  EXPECT_NEAR(*spearman_rho(cubed, y), 69.0 / 83.0, 1e-12);
}

TEST(OutsideIn, SpearmanIsUndefinedWhenOneSideIsConstant) {
  const std::vector<double> x = {1, 2, 3, 4};
  const std::vector<double> flat = {5, 5, 5, 5};
  EXPECT_FALSE(spearman_rho(x, flat));
  EXPECT_FALSE(spearman_rho(flat, x));
  const std::vector<double> one = {1};
  EXPECT_FALSE(spearman_rho(one, one));
  EXPECT_NEAR(*spearman_rho(x, x), 1.0, 1e-12);
}

TEST(OutsideIn, NoCorrelationIsClaimedFromFewerThanEightPairs) {
  const std::vector<double> seven = {1, 2, 3, 4, 5, 6, 7};
  const Correlation few = correlate(seven, seven);
  EXPECT_EQ(few.n, 7u);
  EXPECT_FALSE(few.rho);
  EXPECT_NE(few.reason.find("only 7 pairs"), std::string::npos) << few.reason;
  EXPECT_NE(few.reason.find("at least 8"), std::string::npos) << few.reason;
  const std::vector<double> x = {1, 2, 2, 3, 4, 5, 6, 7};
  const std::vector<double> y = {2, 1, 4, 3, 3, 6, 5, 8};
  const Correlation enough = correlate(x, y);
  EXPECT_EQ(enough.n, 8u);
  ASSERT_TRUE(enough.rho);
  EXPECT_NEAR(*enough.rho, 69.0 / 83.0, 1e-12);
  EXPECT_TRUE(enough.reason.empty());
  const std::vector<double> flat(8, 40.0);
  const Correlation constant = correlate(x, flat);
  EXPECT_FALSE(constant.rho);
  EXPECT_NE(constant.reason.find("customer figures of all 8 pairs are the same"), std::string::npos)
      << constant.reason;
  EXPECT_NE(correlate(flat, y).reason.find("maturity scores"), std::string::npos);
  EXPECT_EQ(correlate(std::vector<double>{1}, std::vector<double>{2}).reason.find("only 1 pair "),
            0u);
}

// The own view: the mean score of the `customer` statements that count
// under the evidence rule, reversed ones mirrored.
TEST(OutsideIn, OwnViewIsTheCustomerStatementsScore) {
  Model m = make_model(3, {{"a2", "a", 2}, {"c1", "a", 2}, {"c2", "b", 3}, {"c3", "b", 3}});
  m.items[1].themes = {std::string(kCustomerTheme)};
  m.items[2].themes = {std::string(kCustomerTheme)};
  m.items[2].reverse = true;
  m.items[3].themes = {std::string(kCustomerTheme)};
  EXPECT_EQ(customer_statements(m), (std::vector<std::size_t>{1, 2, 3}));
  Responses r(m.items.size());
  add_respondent(r, {5, 4, 2, 3});
  add_respondent(r, {5, 5, 1, std::nullopt});
  add_respondent(r, {5, 3, 2, std::nullopt});
  const GroupResult group = score_group(m, r, 3);
  const OwnView own = own_view(m, group, 3);
  // c1: mean 4 -> 75; c2 reversed: answers 2, 1, 2 read as 4, 5, 4 ->
  // mean 13/3 -> 83.33; c3 has 1 answer of the 3 needed and does not count.
  EXPECT_EQ(own.counted, 2u);
  EXPECT_NEAR(*own.score, (75.0 + (13.0 / 3.0 - 1.0) * 25.0) / 2.0, 1e-9);
  // A one-person self-test needs one answer per statement.
  Responses alone(m.items.size());
  add_respondent(alone, {5, 4, 2, 3});
  const OwnView self = own_view(m, score_group(m, alone, 3), 3);
  EXPECT_EQ(self.counted, 3u);
  EXPECT_NEAR(*self.score, (75.0 + 75.0 + 50.0) / 3.0, 1e-9);
  // A model that marks no statement customers can feel has no own view.
  Model old = m;
  for (auto& item : old.items) item.themes.clear();
  EXPECT_TRUE(customer_statements(old).empty());
  const OwnView none = own_view(old, score_group(old, r, 3), 3);
  EXPECT_FALSE(none.score);
  EXPECT_EQ(none.counted, 0u);
}

TEST(OutsideIn, TheDeliveryGapIsOwnMinusTheCustomersOnTheSameScale) {
  const MetricDefinition nps = *builtin_metric("nps");
  EXPECT_DOUBLE_EQ(delivery_gap(70, nps, 20), 10);  // NPS 20 -> 60 of 100
  const MetricDefinition ces = *builtin_metric("ces");
  EXPECT_DOUBLE_EQ(delivery_gap(40, ces, 5.5), -35);  // CES 5.5 of 1..7 -> 75
}

TEST(OutsideIn, TheCaveatCitesBainAsSuch) {
  const std::string caveat(delivery_gap_caveat());
  EXPECT_NE(caveat.find("not a cause"), std::string::npos);
  EXPECT_NE(caveat.find("Bain & Company"), std::string::npos);
  EXPECT_NE(caveat.find("Closing the Delivery Gap"), std::string::npos);
  EXPECT_NE(caveat.find("80%"), std::string::npos);
  EXPECT_NE(caveat.find("8% of their customers"), std::string::npos);
  EXPECT_NE(std::string(correlation_caution()).find("not a cause"), std::string::npos);
}

}  // namespace
}  // namespace cxm::core
