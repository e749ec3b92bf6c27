#include "core/benchmark.h"

#include <gtest/gtest.h>

#include <random>

namespace cxm::core {
namespace {

PeerAssessment peer(double overall, int stage = 3, std::string industry = "Retail",
                    std::string day = "2025-01-15") {
  PeerAssessment p;
  p.organization = "org";
  p.industry = std::move(industry);
  p.size_band = "250-999";
  p.region = "EU";
  p.assessed_on = *parse_iso_date(day);
  p.model_id = "cx-maturity";
  p.stage = stage;
  p.overall = overall;
  p.competencies = {overall};
  return p;
}

PeerTable table_of(std::initializer_list<double> overall) {
  PeerTable t;
  t.competency_ids = {"leadership"};
  for (double v : overall) t.rows.push_back(peer(v));
  return t;
}

OwnScores own(double overall) { return OwnScores{overall, {{"leadership", overall}}}; }

// Both implementations must give every answer below.
std::vector<BenchmarkResult> both(const PeerTable& t, const PeerFilter& f, const OwnScores& o) {
  return {compare_with_peers(t, f, o), PeerIndex(t).compare(f, o)};
}

TEST(Benchmark, MidRankPercentileCountsTiesAsHalf) {
  EXPECT_DOUBLE_EQ(percentile_rank(1, 2, 5), 40.0);  // (1 + 2/2) / 5
  EXPECT_DOUBLE_EQ(percentile_rank(0, 0, 5), 0.0);
  EXPECT_DOUBLE_EQ(percentile_rank(5, 0, 5), 100.0);
  for (const auto& r : both(table_of({40, 50, 50, 60, 70}), {}, own(50))) {
    EXPECT_EQ(r.peers, 5u);
    EXPECT_EQ(r.missing, 0u);
    EXPECT_DOUBLE_EQ(*r.overall.percentile, 40.0);
    EXPECT_DOUBLE_EQ(*r.overall.median, 50.0);
    EXPECT_DOUBLE_EQ(*r.overall.q1, 50.0);
    EXPECT_DOUBLE_EQ(*r.overall.q3, 60.0);
    EXPECT_DOUBLE_EQ(*r.competencies[0].standing.percentile, 40.0);
  }
}

TEST(Benchmark, QuartilesInterpolateAsRType7) {
  // R: quantile(c(10, 20, 30, 40, 50, 60)) -> 22.5, 35, 47.5
  for (const auto& r : both(table_of({60, 10, 40, 30, 50, 20}), {}, own(35))) {
    EXPECT_DOUBLE_EQ(*r.overall.q1, 22.5);
    EXPECT_DOUBLE_EQ(*r.overall.median, 35.0);
    EXPECT_DOUBLE_EQ(*r.overall.q3, 47.5);
    EXPECT_DOUBLE_EQ(*r.overall.percentile, 50.0);  // 3 below of 6
  }
}

TEST(Benchmark, AllPeersEqual) {
  const auto t = table_of({60, 60, 60, 60, 60});
  for (const auto& r : both(t, {}, own(60))) {
    EXPECT_DOUBLE_EQ(*r.overall.percentile, 50.0);
    EXPECT_DOUBLE_EQ(*r.overall.q1, 60.0);
    EXPECT_DOUBLE_EQ(*r.overall.q3, 60.0);
  }
  for (const auto& r : both(t, {}, own(61))) EXPECT_DOUBLE_EQ(*r.overall.percentile, 100.0);
  for (const auto& r : both(t, {}, own(59.9))) EXPECT_DOUBLE_EQ(*r.overall.percentile, 0.0);
}

TEST(Benchmark, FourPeersAreRefusedWithHowManyAreMissingFiveAreShown) {
  for (const auto& r : both(table_of({40, 50, 60, 70}), {}, own(50))) {
    EXPECT_EQ(r.peers, 4u);
    EXPECT_EQ(r.missing, 1u);
    EXPECT_EQ(r.overall.n, 4u);
    EXPECT_EQ(r.overall.missing, 1u);
    EXPECT_FALSE(r.overall.percentile);
    EXPECT_FALSE(r.overall.median);
    EXPECT_FALSE(r.overall.q1);
    EXPECT_TRUE(r.stage_counts.empty());
    EXPECT_FALSE(r.competencies[0].standing.percentile);
  }
  for (const auto& r : both(table_of({40, 50, 60, 70, 80}), {}, own(50))) {
    EXPECT_EQ(r.missing, 0u);
    EXPECT_DOUBLE_EQ(*r.overall.percentile, 30.0);
  }
}

TEST(Benchmark, ASinglePeerAndNoPeers) {
  for (const auto& r : both(table_of({55}), {}, own(50))) {
    EXPECT_EQ(r.missing, 4u);
    EXPECT_FALSE(r.overall.percentile);
  }
  for (const auto& r : both(PeerTable{{"leadership"}, {}}, {}, own(50))) {
    EXPECT_EQ(r.peers, 0u);
    EXPECT_EQ(r.missing, 5u);
  }
}

TEST(Benchmark, FiltersByIndustrySizeRegionModelAndPeriod) {
  PeerTable t;
  t.competency_ids = {"leadership"};
  for (int i = 0; i < 5; ++i)
    t.rows.push_back(peer(10.0 * i, 2, "Retail", "2024-06-0" + std::to_string(i + 1)));
  for (int i = 0; i < 6; ++i)
    t.rows.push_back(peer(50.0 + i, 4, "Banking", "2025-03-0" + std::to_string(i + 1)));
  t.rows.back().region = "US";
  t.rows.push_back(peer(99, 6, "Banking", "2025-03-01"));
  t.rows.back().model_id = "other-model";

  PeerFilter retail;
  retail.industry = "retail";  // case-insensitive
  for (const auto& r : both(t, retail, own(25))) {
    EXPECT_EQ(r.peers, 5u);
    EXPECT_DOUBLE_EQ(*r.overall.percentile, 60.0);  // 0 10 20 below
    EXPECT_EQ(r.stage_counts, (std::vector<std::size_t>{0, 5, 0, 0, 0, 0}));
  }
  PeerFilter banking_eu{"cx-maturity", "Banking", std::nullopt, "EU", std::nullopt, std::nullopt};
  for (const auto& r : both(t, banking_eu, own(60))) EXPECT_EQ(r.peers, 5u);
  banking_eu.since = parse_iso_date("2025-03-02");
  for (const auto& r : both(t, banking_eu, own(60))) {
    EXPECT_EQ(r.peers, 4u);  // 2nd..5th of March
    EXPECT_EQ(r.missing, 1u);
  }
  PeerFilter period;
  period.since = parse_iso_date("2024-06-02");
  period.until = parse_iso_date("2024-06-04");
  for (const auto& r : both(t, period, own(60))) EXPECT_EQ(r.peers, 3u);
  PeerFilter model;
  model.model_id = "cx-maturity";
  for (const auto& r : both(t, model, own(60))) EXPECT_EQ(r.peers, 11u);
  PeerFilter unknown;
  unknown.industry = "Mining";
  for (const auto& r : both(t, unknown, own(60))) EXPECT_EQ(r.peers, 0u);
}

TEST(SizeBands, AnyDashOrThousandsSeparatorIsTheCanonicalBand) {
  EXPECT_EQ(canonical_size_band("250\u2013999"), "250-999");  // en dash, as the form wrote
  EXPECT_EQ(canonical_size_band(" 250 - 999 "), "250-999");
  EXPECT_EQ(canonical_size_band("1,000\u20144,999"), "1000-4999");    // em dash
  EXPECT_EQ(canonical_size_band("1.000 \u2212 4.999"), "1000-4999");  // minus sign
  EXPECT_EQ(canonical_size_band("5\u00a0000+"), "5000+");
  EXPECT_EQ(canonical_size_band("1\u201149"), "1-49");  // non-breaking hyphen
  EXPECT_EQ(canonical_size_band("Large"), "Large");
  EXPECT_EQ(canonical_size_band(" Large "), "Large");
  EXPECT_EQ(canonical_size_band("250\u2013999 staff"), "250\u2013999 staff");  // not only numbers
  EXPECT_EQ(canonical_size_band(",-"), ",-");
  EXPECT_EQ(canonical_size_band(""), "");
  EXPECT_TRUE(is_size_band("250-999"));
  EXPECT_FALSE(is_size_band("250\u2013999"));
  for (const auto band : kSizeBands) EXPECT_EQ(canonical_size_band(band), band);
}

TEST(SizeBands, TheOrganizationsOwnBandFindsItsPeersHoweverEitherIsWritten) {
  PeerTable t;
  t.competency_ids = {"leadership"};
  for (int i = 0; i < 6; ++i) t.rows.push_back(peer(40.0 + i));  // "250-999"
  t.rows[0].size_band = "250 \u2013 999";
  PeerFilter en_dash;
  en_dash.size_band = "250\u2013999";  // the organization form's old spelling
  for (const auto& r : both(t, en_dash, own(60))) EXPECT_EQ(r.peers, 6u);
  PeerFilter hyphen;
  hyphen.size_band = "250-999";
  for (const auto& r : both(t, hyphen, own(60))) EXPECT_EQ(r.peers, 6u);
}

TEST(FilterChoices, OnlyValuesEnoughPeersHaveOfTheModelInOrder) {
  PeerTable t;
  t.competency_ids = {"leadership"};
  for (int i = 0; i < 5; ++i) t.rows.push_back(peer(40.0 + i, 3, "Retail"));
  for (int i = 0; i < 5; ++i) t.rows.push_back(peer(40.0 + i, 3, i % 2 ? "banking" : "Banking"));
  for (int i = 0; i < 4; ++i) t.rows.push_back(peer(40.0 + i, 3, "Mining"));  // too few
  for (int i = 0; i < 5; ++i) {
    t.rows.push_back(peer(40.0 + i, 3, "Energy"));
    t.rows.back().model_id = "other-model";  // another model's peers never compare
  }
  for (std::size_t r = 0; r < 7; ++r) t.rows[r].size_band = r % 2 ? "5,000+" : "5000+";
  for (std::size_t r = 7; r < 14; ++r) t.rows[r].size_band = "50\u2013249";
  t.rows[0].region = "";  // no value is no choice
  const std::optional<std::string> model = "cx-maturity";
  for (const auto& c :
       {filter_choices(t, model, kMinimumPeers), PeerIndex(t).choices(model, kMinimumPeers)}) {
    EXPECT_EQ(c.industries, (std::vector<std::string>{"Banking", "Retail"}));
    EXPECT_EQ(c.size_bands, (std::vector<std::string>{"50-249", "5000+"}));
    EXPECT_EQ(c.regions, (std::vector<std::string>{"EU"}));
  }
  const auto unknown = PeerIndex(t).choices(std::string("no-such-model"), 1);
  EXPECT_TRUE(unknown.industries.empty());
  const auto all = PeerIndex(t).choices(std::nullopt, 1);
  EXPECT_EQ(all.industries, (std::vector<std::string>{"Banking", "Energy", "Mining", "Retail"}));
}

TEST(Benchmark, CompetenciesWithoutValuesOrColumn) {
  PeerTable t = table_of({10, 20, 30, 40, 50, 60});
  t.rows[0].competencies[0] = std::nullopt;
  t.rows[1].competencies[0] = std::nullopt;
  OwnScores o{35.0, {{"leadership", 35.0}, {"insight", 70.0}}};
  for (const auto& r : both(t, {}, o)) {
    EXPECT_EQ(r.overall.n, 6u);
    EXPECT_EQ(r.competencies[0].standing.n, 4u);
    EXPECT_EQ(r.competencies[0].standing.missing, 1u);
    EXPECT_FALSE(r.competencies[0].standing.percentile);
    EXPECT_EQ(r.competencies[1].id, "insight");
    EXPECT_FALSE(r.competencies[1].standing.in_dataset);
    EXPECT_EQ(r.competencies[1].standing.missing, 5u);
  }
  // Without a score of ours there is no percentile, but the peers' figures stand.
  for (const auto& r : both(table_of({1, 2, 3, 4, 5}), {}, OwnScores{std::nullopt, {}})) {
    EXPECT_FALSE(r.overall.percentile);
    EXPECT_DOUBLE_EQ(*r.overall.median, 3.0);
  }
}

TEST(Benchmark, IsoDates) {
  EXPECT_EQ(parse_iso_date("1970-01-01"), 0);
  EXPECT_EQ(parse_iso_date("2024-02-29"), 19782);
  EXPECT_EQ(format_iso_date(19782), "2024-02-29");
  EXPECT_FALSE(parse_iso_date("2023-02-29"));
  EXPECT_FALSE(parse_iso_date("2024-13-01"));
  EXPECT_FALSE(parse_iso_date("2024-1-01"));
  EXPECT_FALSE(parse_iso_date("2024-01-00"));
  EXPECT_FALSE(parse_iso_date("24-01-2024"));
  EXPECT_FALSE(parse_iso_date("1899-12-31"));
  EXPECT_EQ(parse_iso_date("1900-01-01"), -25567);
  EXPECT_EQ(parse_iso_date("9999-12-31"), 2932896);
  for (Day d = -25567; d <= 2932896; d += 997)
    EXPECT_EQ(parse_iso_date(format_iso_date(d)), d) << d;
}

// The index answers exactly as the reference on random tables and cuts.
TEST(Benchmark, IndexAgreesWithTheReferenceOnRandomCuts) {
  std::mt19937 random(11);
  const char* industries[] = {"Retail", "Banking", "Health"};
  const char* sizes[] = {"1-49", "50-249", "250+"};
  const char* regions[] = {"EU", "US"};
  for (int round = 0; round < 60; ++round) {
    PeerTable t;
    t.competency_ids = {"a", "b"};
    const int n = static_cast<int>(random() % 120);
    for (int i = 0; i < n; ++i) {
      PeerAssessment p;
      p.industry = industries[random() % 3];
      p.size_band = sizes[random() % 3];
      p.region = regions[random() % 2];
      p.model_id = random() % 5 == 0 ? "m2" : "m1";
      p.assessed_on = static_cast<Day>(19000 + random() % 400);
      p.stage = 1 + static_cast<int>(random() % 6);
      p.overall = static_cast<double>(random() % 21) * 5;  // many ties
      p.competencies = {static_cast<double>(random() % 11) * 10, std::nullopt};
      if (random() % 3) p.competencies[1] = static_cast<double>(random() % 1000) / 10;
      t.rows.push_back(p);
    }
    const PeerIndex index(t);
    for (int q = 0; q < 20; ++q) {
      PeerFilter f;
      if (random() % 2) f.industry = industries[random() % 3];
      if (random() % 2) f.size_band = sizes[random() % 3];
      if (random() % 3 == 0) f.region = regions[random() % 2];
      if (random() % 2) f.model_id = "m1";
      if (random() % 2) f.since = static_cast<Day>(19000 + random() % 400);
      if (random() % 3 == 0) f.until = static_cast<Day>(19200 + random() % 400);
      const OwnScores o{
          static_cast<double>(random() % 21) * 5,
          {{"b", static_cast<double>(random() % 1000) / 10}, {"a", 50.0}, {"c", 1.0}}};
      const auto expected = compare_with_peers(t, f, o);
      const auto got = index.compare(f, o);
      ASSERT_EQ(got.peers, expected.peers);
      ASSERT_EQ(got.stage_counts, expected.stage_counts);
      auto same = [&](const Standing& a, const Standing& b) {
        ASSERT_EQ(a.n, b.n);
        ASSERT_EQ(a.missing, b.missing);
        ASSERT_EQ(a.percentile, b.percentile);
        ASSERT_EQ(a.median, b.median);
        ASSERT_EQ(a.q1, b.q1);
        ASSERT_EQ(a.q3, b.q3);
        ASSERT_EQ(a.in_dataset, b.in_dataset);
      };
      same(got.overall, expected.overall);
      for (std::size_t c = 0; c < 3; ++c)
        same(got.competencies[c].standing, expected.competencies[c].standing);
    }
  }
}

}  // namespace
}  // namespace cxm::core

namespace cxm::core {
namespace {

PoolCandidate candidate(std::vector<std::string> members, std::size_t answered,
                        std::size_t min_group = 3, Day on = 100) {
  return PoolCandidate{std::move(members), answered, min_group, on};
}

// SPEC section 8: one ordinary user's four made-up organizations must not
// make a cut of five peers around their own.
TEST(IndependentPeers, OrganizationsSharingAMemberWithTheAskerNeverCount) {
  const std::vector<PoolCandidate> pool = {
      candidate({"mallory"}, 5), candidate({"mallory"}, 5), candidate({"mallory", "bob"}, 5),
      candidate({"carol"}, 5),   candidate({"dave"}, 5),
  };
  EXPECT_EQ(independent_peers(pool, {"mallory"}), (std::vector<std::size_t>{3, 4}));
  // Linked to the asker through another member: the asker's too.
  const std::vector<PoolCandidate> chained = {candidate({"mallory", "bob"}, 5),
                                              candidate({"bob"}, 5), candidate({"erin"}, 5)};
  EXPECT_EQ(independent_peers(chained, {"mallory"}), (std::vector<std::size_t>{2}));
}

TEST(IndependentPeers, OnePersonsManyOrganizationsAreOnePeer) {
  const std::vector<PoolCandidate> pool = {
      candidate({"trent"}, 4, 3, 10), candidate({"trent", "x"}, 9, 3, 5),
      candidate({"x"}, 9, 3, 20),     candidate({"carol"}, 3),
      candidate({"dave"}, 6),
  };
  // 0, 1 and 2 are linked (trent, then x): the one with most respondents
  // who answered themselves, the latest on a tie.
  EXPECT_EQ(independent_peers(pool, {}), (std::vector<std::size_t>{2, 3, 4}));
}

TEST(IndependentPeers, EachNeedsEnoughRespondentsWhoAnsweredThemselves) {
  const std::vector<PoolCandidate> pool = {
      candidate({"a"}, 1, 1),  // a one-person cycle (min_group_size 1): never a peer
      candidate({"b"}, 2, 2), candidate({"c"}, 3, 1),
      candidate({"d"}, 4, 5), candidate({"e"}, 5, 5),
  };
  EXPECT_EQ(independent_peers(pool, {}), (std::vector<std::size_t>{2, 4}));
  // A candidate too small does not stand for its group: another may.
  const std::vector<PoolCandidate> linked = {candidate({"f"}, 1, 1), candidate({"f"}, 3)};
  EXPECT_EQ(independent_peers(linked, {}), (std::vector<std::size_t>{1}));
}

}  // namespace
}  // namespace cxm::core
