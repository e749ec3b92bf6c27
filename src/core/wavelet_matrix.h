// A wavelet matrix: a static sequence of small unsigned symbols that answers,
// for any set of disjoint position ranges, "how many symbols are below c"
// and "which is the k-th smallest" in O(ranges x log sigma) time, without
// touching the symbols one by one. The benchmark index (core/benchmark.h)
// keeps one per score column so that a percentile or a quartile over a
// filtered cut of a million peers costs a few thousand word operations
// (Claude, Navarro and Ordonez, "The wavelet matrix", 2015).
#pragma once

#include <cstddef>
#include <cstdint>
#include <span>
#include <vector>

namespace cxm::core {

// A half-open range [begin, end) of positions in the sequence.
struct PositionRange {
  std::size_t begin = 0;
  std::size_t end = 0;
};

class WaveletMatrix {
 public:
  WaveletMatrix() = default;
  // Every symbol must be < `alphabet` (alphabet >= 1).
  WaveletMatrix(std::span<const std::uint32_t> symbols, std::uint32_t alphabet);

  std::size_t size() const { return size_; }

  // How many positions in `ranges` hold a symbol < `c`. The ranges must be
  // disjoint and lie within [0, size()).
  std::size_t count_below(std::span<const PositionRange> ranges, std::uint32_t c) const;

  // The k-th smallest symbol (k from 0) over all positions in `ranges`;
  // k must be below the total length of the ranges.
  std::uint32_t kth_smallest(std::span<const PositionRange> ranges, std::size_t k) const;

 private:
  struct BitLevel {
    std::vector<std::uint64_t> words;
    std::vector<std::uint32_t> ones_before;  // ones in words[0..w)
    std::size_t zeros = 0;                   // zeros in the whole level
    std::size_t rank1(std::size_t position) const;
    std::size_t rank0(std::size_t position) const { return position - rank1(position); }
  };
  std::size_t size_ = 0;
  std::vector<BitLevel> levels_;  // most significant bit first
};

}  // namespace cxm::core
