// libFuzzer target: any bytes given to the JSON benchmark dataset reader
// give either a dataset whose stored PEERS.csv reads back to the same rows,
// or one error.
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <string_view>

#include "peers/peers_csv.h"
#include "peers/peers_json.h"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string_view text(reinterpret_cast<const char*>(data), size);
  const auto result = cxm::peers::parse_peers_json(text);
  if (result.dataset.has_value() == !result.error.empty()) std::abort();
  if (!result.dataset) return 0;
  const auto again = cxm::peers::parse_peers_csv(result.dataset->csv, "stored");
  if (!again.table || again.table->rows.size() != result.dataset->table.rows.size() ||
      again.table->competency_ids != result.dataset->table.competency_ids) {
    std::abort();
  }
  return 0;
}
