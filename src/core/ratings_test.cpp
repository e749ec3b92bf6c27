#include "core/ratings.h"

#include <gtest/gtest.h>

namespace cxm::core {
namespace {

CustomerRating nps(const std::string& company, const std::string& industry, int year,
                   double value) {
  return CustomerRating{company, industry, year,  "nps",        "Net Promoter Score",
                        -100,    100,      value, std::nullopt, ""};
}

CustomerFigure figure(const std::string& metric, const std::string& period, double value,
                      const std::string& unit = "") {
  return CustomerFigure{metric, period, unit, value, 120, "survey", false};
}

std::vector<CustomerRating> retail_2025(std::initializer_list<double> values) {
  std::vector<CustomerRating> rows;
  int i = 0;
  for (double v : values) rows.push_back(nps("Company " + std::to_string(++i), "Retail", 2025, v));
  return rows;
}

TEST(Ratings, IndustriesCompareTrimmedAndCaseInsensitively) {
  EXPECT_TRUE(same_industry(" retail ", "Retail"));
  EXPECT_TRUE(same_industry("RETAIL", "retail\t"));
  EXPECT_FALSE(same_industry("Retail banking", "Retail"));
  EXPECT_FALSE(same_industry("", "Retail"));
}

TEST(Ratings, YearOfAPeriod) {
  EXPECT_EQ(year_of_period("2026-03"), 2026);
  EXPECT_EQ(year_of_period("2025-12-31"), 2025);
  EXPECT_EQ(year_of_period("2025-13"), 0);
  EXPECT_EQ(year_of_period("soon"), 0);
}

// Mid-rank percentile, median and quartiles as R's quantile(type = 7):
// peers 10, 20, 30, 30, 40, 50; own 30 -> (2 + 0.5 x 2) / 6 = 50%.
// quantile(c(10,20,30,30,40,50), c(.25,.5,.75)) = 22.5, 30, 37.5.
TEST(Ratings, PlaceAmongTheIndustrysPeers) {
  auto rows = retail_2025({10, 20, 30, 30, 40, 50});
  rows.push_back(nps("Bank 1", "Banking", 2025, 90));  // another industry: not a peer
  const auto positions = rating_positions(rows, " retail", {}, {figure("nps", "2025-06", 30)});
  ASSERT_EQ(positions.size(), 1u);
  const auto& p = positions[0];
  EXPECT_EQ(p.metric, "nps");
  EXPECT_EQ(p.year, 2025);
  EXPECT_EQ(p.peers, 6u);
  EXPECT_EQ(p.missing, 0u);
  ASSERT_TRUE(p.own);
  EXPECT_EQ(p.own->period, "2025-06");
  EXPECT_EQ(p.own->respondents, 120);
  ASSERT_TRUE(p.percentile);
  EXPECT_DOUBLE_EQ(*p.percentile, 50);
  EXPECT_DOUBLE_EQ(*p.median, 30);
  EXPECT_DOUBLE_EQ(*p.q1, 22.5);
  EXPECT_DOUBLE_EQ(*p.q3, 37.5);
  EXPECT_EQ(p.reason, "");
}

TEST(Ratings, TheLatestWholeOrganizationFigureOfTheYear) {
  const auto rows = retail_2025({10, 20, 30, 40, 50});
  const std::vector<CustomerFigure> figures = {
      figure("nps", "2025-03", 5), figure("nps", "2025-11", 45),
      figure("nps", "2025-12", 60, "Sales"),  // a unit's: not the organization's
      figure("nps", "2026-01", 70),           // another year
      figure("csat", "2025-12", 80)};         // another metric
  const auto p = rating_positions(rows, "Retail", {}, figures).at(0);
  ASSERT_TRUE(p.own);
  EXPECT_EQ(p.own->period, "2025-11");
  EXPECT_DOUBLE_EQ(p.own->value, 45);
  EXPECT_DOUBLE_EQ(*p.percentile, 80);  // 4 below of 5
  // A day at the month's end is later than the month begun before it.
  const auto later = rating_positions(
      rows, "Retail", {}, {figure("nps", "2025-11-30", 15), figure("nps", "2025-11", 45)});
  EXPECT_EQ(later.at(0).own->period, "2025-11-30");
}

TEST(Ratings, NoFigureForFewerThanFivePeers) {
  const auto rows = retail_2025({10, 20, 30, 40});
  const auto p = rating_positions(rows, "Retail", {}, {figure("nps", "2025-06", 30)}).at(0);
  EXPECT_EQ(p.peers, 4u);
  EXPECT_EQ(p.missing, 1u);
  EXPECT_FALSE(p.percentile);
  EXPECT_FALSE(p.median);
  EXPECT_FALSE(p.q1);
  EXPECT_FALSE(p.q3);
  ASSERT_TRUE(p.own);  // the organization's own figure is its own to see
  EXPECT_EQ(
      p.reason,
      "fewer than 5 peers: the dataset has 4 Retail ratings of Net Promoter Score for 2025 (1 "
      "missing)");
}

TEST(Ratings, WithoutAnOwnFigureThePeersAreShownButNoPlace) {
  const auto p = rating_positions(retail_2025({10, 20, 30, 40, 50}), "Retail", {},
                                  {figure("nps", "2024-06", 30)})
                     .at(0);
  EXPECT_FALSE(p.own);
  EXPECT_FALSE(p.percentile);
  EXPECT_DOUBLE_EQ(*p.median, 30);
  EXPECT_EQ(p.reason,
            "the organization has no whole-organization Net Promoter Score figure for 2025");
}

TEST(Ratings, WithoutAnIndustryThereAreNoPeers) {
  const auto p =
      rating_positions(retail_2025({10, 20, 30, 40, 50}), "  ", {}, {figure("nps", "2025-06", 30)})
          .at(0);
  EXPECT_EQ(p.peers, 0u);
  EXPECT_EQ(p.missing, 5u);
  EXPECT_FALSE(p.percentile);
  EXPECT_FALSE(p.median);
  EXPECT_NE(p.reason.find("no industry set"), std::string::npos) << p.reason;
}

TEST(Ratings, ANamedRatingComparesOnlyOnTheSameScale) {
  std::vector<CustomerRating> rows;
  for (int i = 0; i < 5; ++i) {
    rows.push_back({"Shop " + std::to_string(i), "Retail", 2025, "stars", "Stars", 1, 5,
                    1.0 + i * 0.5, 200, ""});
    rows.push_back({"Shop " + std::to_string(i), "Retail", 2025, "stars", "Stars", 1, 10, 2.0 + i,
                    std::nullopt, ""});
  }
  const std::vector<MetricDefinition> named = {{"stars", "Stars", "", 1, 5, false}};
  const auto positions = rating_positions(rows, "Retail", named, {figure("stars", "2025-05", 2)});
  ASSERT_EQ(positions.size(), 2u);
  EXPECT_EQ(positions[0].scale_max, 5);
  ASSERT_TRUE(positions[0].percentile);
  EXPECT_DOUBLE_EQ(*positions[0].percentile, 50);  // 1, 1.5 below; 2 equal: (2 + .5) / 5
  EXPECT_EQ(positions[1].scale_max, 10);
  EXPECT_FALSE(positions[1].own);
  EXPECT_FALSE(positions[1].percentile);
  EXPECT_TRUE(positions[1].median);  // the peers themselves are enough
  EXPECT_EQ(positions[1].reason,
            "the organization's own stars is on a scale of 1 to 5, these ratings on 1 to 10");
}

TEST(Ratings, PositionsInMetricOrderLatestYearFirst) {
  std::vector<CustomerRating> rows = {
      {"A", "Retail", 2024, "trust", "Trust", 0, 5, 3, std::nullopt, ""},
      nps("A", "Retail", 2024, 10),
      {"A", "Retail", 2024, "csat", "Customer satisfaction (CSAT)", 0, 100, 80, std::nullopt, ""},
      nps("A", "Retail", 2026, 10),
  };
  const auto positions = rating_positions(rows, "Retail", {}, {});
  ASSERT_EQ(positions.size(), 4u);
  EXPECT_EQ(positions[0].metric, "nps");
  EXPECT_EQ(positions[0].year, 2026);
  EXPECT_EQ(positions[1].metric, "nps");
  EXPECT_EQ(positions[1].year, 2024);
  EXPECT_EQ(positions[2].metric, "csat");
  EXPECT_EQ(positions[3].metric, "trust");
}

}  // namespace
}  // namespace cxm::core
