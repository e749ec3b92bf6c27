// libFuzzer target: any bytes given to the model parser produce either a
// model that satisfies the core's invariants or diagnostics; never a crash.
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <string_view>

#include "model/model_parser.h"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string_view text(reinterpret_cast<const char*>(data), size);
  const auto result = cxm::model::parse_model(text, "fuzz.yaml");
  if (result.model.has_value() == !result.diagnostics.empty()) std::abort();
  if (result.model) {
    const auto& m = *result.model;
    if (m.stage_count() < 2 || m.scale.min >= m.scale.max) std::abort();
    for (const auto& item : m.items) {
      if (item.stage < 2 || item.stage > m.stage_count() || item.competency >= m.competencies.size()) std::abort();
    }
  }
  for (const auto& d : result.diagnostics) (void)cxm::model::format(d);
  return 0;
}
