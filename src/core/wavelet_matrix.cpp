#include "core/wavelet_matrix.h"

#include <bit>

namespace cxm::core {

std::size_t WaveletMatrix::BitLevel::rank1(std::size_t position) const {
  const std::size_t word = position / 64;
  const std::size_t bit = position % 64;
  std::size_t ones = ones_before[word];
  if (bit != 0)
    ones += static_cast<std::size_t>(std::popcount(words[word] & ((std::uint64_t{1} << bit) - 1)));
  return ones;
}

WaveletMatrix::WaveletMatrix(std::span<const std::uint32_t> symbols, std::uint32_t alphabet)
    : size_(symbols.size()) {
  const int bits = alphabet <= 1 ? 1 : std::bit_width(alphabet - 1);
  std::vector<std::uint32_t> current(symbols.begin(), symbols.end());
  std::vector<std::uint32_t> zeros_side;
  std::vector<std::uint32_t> ones_side;
  levels_.resize(static_cast<std::size_t>(bits));
  for (int l = 0; l < bits; ++l) {
    const int shift = bits - 1 - l;
    BitLevel& level = levels_[static_cast<std::size_t>(l)];
    const std::size_t word_count = size_ / 64 + 1;
    level.words.assign(word_count, 0);
    level.ones_before.assign(word_count, 0);
    zeros_side.clear();
    ones_side.clear();
    for (std::size_t i = 0; i < size_; ++i) {
      if ((current[i] >> shift) & 1U) {
        level.words[i / 64] |= std::uint64_t{1} << (i % 64);
        ones_side.push_back(current[i]);
      } else {
        zeros_side.push_back(current[i]);
      }
    }
    std::uint32_t ones = 0;
    for (std::size_t w = 0; w < word_count; ++w) {
      level.ones_before[w] = ones;
      ones += static_cast<std::uint32_t>(std::popcount(level.words[w]));
    }
    level.zeros = zeros_side.size();
    current.clear();
    current.insert(current.end(), zeros_side.begin(), zeros_side.end());
    current.insert(current.end(), ones_side.begin(), ones_side.end());
  }
}

std::size_t WaveletMatrix::count_below(std::span<const PositionRange> ranges,
                                       std::uint32_t c) const {
  const int bits = static_cast<int>(levels_.size());
  if (bits < 32 && c >= (std::uint32_t{1} << bits)) {
    std::size_t total = 0;
    for (const auto& r : ranges) total += r.end - r.begin;
    return total;
  }
  std::size_t below = 0;
  for (PositionRange r : ranges) {
    for (int l = 0; l < bits && r.begin < r.end; ++l) {
      const BitLevel& level = levels_[static_cast<std::size_t>(l)];
      const std::size_t b0 = level.rank0(r.begin);
      const std::size_t e0 = level.rank0(r.end);
      if ((c >> (bits - 1 - l)) & 1U) {
        below += e0 - b0;
        r = {level.zeros + (r.begin - b0), level.zeros + (r.end - e0)};
      } else {
        r = {b0, e0};
      }
    }
  }
  return below;
}

std::uint32_t WaveletMatrix::kth_smallest(std::span<const PositionRange> ranges,
                                          std::size_t k) const {
  std::vector<PositionRange> active(ranges.begin(), ranges.end());
  std::uint32_t symbol = 0;
  for (const BitLevel& level : levels_) {
    std::size_t zeros = 0;
    for (const auto& r : active) zeros += level.rank0(r.end) - level.rank0(r.begin);
    const bool one = k >= zeros;
    if (one) k -= zeros;
    symbol = (symbol << 1) | (one ? 1U : 0U);
    for (auto& r : active) {
      const std::size_t b0 = level.rank0(r.begin);
      const std::size_t e0 = level.rank0(r.end);
      r = one ? PositionRange{level.zeros + (r.begin - b0), level.zeros + (r.end - e0)}
              : PositionRange{b0, e0};
    }
  }
  return symbol;
}

}  // namespace cxm::core
