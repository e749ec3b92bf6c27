// libFuzzer target: any bytes given to the model parser produce either a
// model that satisfies the core's invariants or diagnostics; never a crash.
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <string_view>
#include <vector>

#include "core/forms.h"
#include "model/model_parser.h"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string_view text(reinterpret_cast<const char*>(data), size);
  const auto result = cxm::model::parse_model(text, "fuzz.yaml");
  if (result.model.has_value() == !result.diagnostics.empty()) std::abort();
  if (result.model) {
    const auto& m = *result.model;
    if (m.stage_count() < 2 || m.scale.min >= m.scale.max) std::abort();
    for (const auto& item : m.items) {
      if (item.stage < 2 || item.stage > m.stage_count() ||
          item.competency >= m.competencies.size())
        std::abort();
    }
    // A pulse form has enough statements in every competency to score it.
    if (cxm::core::has_pulse_form(m)) {
      const auto pulse = cxm::core::pulse_form(m);
      std::vector<std::size_t> per_competency(m.competencies.size());
      for (const auto& item : pulse.items) ++per_competency[item.competency];
      for (std::size_t n : per_competency) {
        if (n < cxm::core::kMinPulseItemsPerCompetency) std::abort();
      }
    }
    // Glossary terms are used, and actions link known statements.
    for (const auto& entry : m.glossary) {
      if (entry.term.empty() || entry.definition.empty()) std::abort();
    }
    for (const auto& action : m.actions) {
      for (const auto& id : action.action.items) {
        if (!m.find_item(id)) std::abort();
      }
    }
  }
  for (const auto& d : result.diagnostics) (void)cxm::model::format(d);
  return 0;
}
