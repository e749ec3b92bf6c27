#include "core/wavelet_matrix.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <random>
#include <vector>

namespace cxm::core {
namespace {

TEST(WaveletMatrix, CountsAndSelectsOnAWorkedExample) {
  const std::vector<std::uint32_t> s{5, 2, 7, 2, 0, 9, 3};
  const WaveletMatrix m(s, 10);
  const std::vector<PositionRange> all{{0, 7}};
  EXPECT_EQ(m.count_below(all, 0), 0u);
  EXPECT_EQ(m.count_below(all, 3), 3u);  // 2, 2, 0
  EXPECT_EQ(m.count_below(all, 10), 7u);
  EXPECT_EQ(m.kth_smallest(all, 0), 0u);
  EXPECT_EQ(m.kth_smallest(all, 2), 2u);
  EXPECT_EQ(m.kth_smallest(all, 6), 9u);
  const std::vector<PositionRange> two{{0, 2}, {4, 6}};  // 5, 2 | 0, 9
  EXPECT_EQ(m.count_below(two, 6), 3u);
  EXPECT_EQ(m.kth_smallest(two, 1), 2u);
  EXPECT_EQ(m.kth_smallest(two, 3), 9u);
}

TEST(WaveletMatrix, OneSymbolAlphabetAndEmptyRanges) {
  const std::vector<std::uint32_t> s{0, 0, 0};
  const WaveletMatrix m(s, 1);
  const std::vector<PositionRange> all{{0, 3}};
  EXPECT_EQ(m.count_below(all, 0), 0u);
  EXPECT_EQ(m.count_below(all, 1), 3u);
  EXPECT_EQ(m.kth_smallest(all, 2), 0u);
  EXPECT_EQ(m.count_below(std::vector<PositionRange>{{1, 1}}, 1), 0u);
}

TEST(WaveletMatrix, AgreesWithSortingOnRandomSequencesAndRanges) {
  std::mt19937 random(7);
  for (int round = 0; round < 200; ++round) {
    const std::uint32_t alphabet = 1 + random() % 300;
    std::vector<std::uint32_t> s(random() % 200 + 1);
    for (auto& v : s) v = static_cast<std::uint32_t>(random() % alphabet);
    const WaveletMatrix m(s, alphabet);
    // Disjoint ranges from random cut points.
    std::vector<std::size_t> cuts{0, s.size()};
    for (int i = 0; i < 4; ++i) cuts.push_back(random() % (s.size() + 1));
    std::sort(cuts.begin(), cuts.end());
    std::vector<PositionRange> ranges;
    std::vector<std::uint32_t> picked;
    for (std::size_t i = 0; i + 1 < cuts.size(); i += 2) {
      ranges.push_back({cuts[i], cuts[i + 1]});
      picked.insert(picked.end(), s.begin() + static_cast<long>(cuts[i]),
                    s.begin() + static_cast<long>(cuts[i + 1]));
    }
    std::sort(picked.begin(), picked.end());
    for (std::uint32_t c = 0; c <= alphabet; ++c) {
      const auto expected = static_cast<std::size_t>(
          std::lower_bound(picked.begin(), picked.end(), c) - picked.begin());
      ASSERT_EQ(m.count_below(ranges, c), expected) << "round " << round << " c " << c;
    }
    for (std::size_t k = 0; k < picked.size(); ++k) ASSERT_EQ(m.kth_smallest(ranges, k), picked[k]);
  }
}

}  // namespace
}  // namespace cxm::core
