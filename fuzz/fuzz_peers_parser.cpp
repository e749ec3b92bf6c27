// libFuzzer target: any bytes given to the PEERS.csv reader give either a
// table that indexes and compares without fault (and agrees with the
// reference comparison), or one error.
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <string_view>

#include "core/benchmark.h"
#include "peers/peers_csv.h"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string_view text(reinterpret_cast<const char*>(data), size);
  const auto result = cxm::peers::parse_peers_csv(text, "fuzz.csv");
  if (result.table.has_value() == result.error.has_value()) std::abort();
  if (!result.table) return 0;
  const cxm::core::PeerIndex index(*result.table);
  cxm::core::OwnScores own{50.0, {}};
  for (const auto& id : result.table->competency_ids) own.competencies.push_back({id, 50.0});
  const auto got = index.compare({}, own);
  const auto expected = cxm::core::compare_with_peers(*result.table, {}, own);
  if (got.peers != expected.peers || got.overall.percentile != expected.overall.percentile ||
      got.overall.median != expected.overall.median || got.stage_counts != expected.stage_counts) {
    std::abort();
  }
  return 0;
}
