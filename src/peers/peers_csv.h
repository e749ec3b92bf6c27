// Benchmark dataset files -> core::PeerTable. PEERS.csv (SPEC section 5)
// has the columns organization, industry, size_band, region, assessed_on,
// model_id, stage, overall (in any order) and one column per competency id;
// see docs/benchmark-datasets.md. Every row is checked; the first problem
// is reported with its row and column, and nothing is returned with it.
#pragma once

#include <optional>
#include <string>
#include <string_view>

#include "core/benchmark.h"
#include "model/diagnostic.h"

namespace cxm::peers {

// Limits that keep a bad upload from exhausting memory.
inline constexpr std::size_t kMaxPeerRows = 5'000'000;
inline constexpr std::size_t kMaxCompetencyColumns = 64;
inline constexpr std::size_t kMaxLabelLength = 200;

struct PeersParseResult {
  std::optional<core::PeerTable> table;  // present exactly when error is absent
  std::optional<model::Diagnostic> error;
};

PeersParseResult parse_peers_csv(std::string_view text, std::string_view file);

// Reads the file at `path` and parses it.
PeersParseResult load_peers_csv(const std::string& path);

}  // namespace cxm::peers
