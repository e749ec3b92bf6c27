// libFuzzer target: any bytes given to the translation parser, against the
// default model, produce either a localized model with the base's structure
// or diagnostics; never a crash.
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <optional>
#include <string_view>

#include "model/model_parser.h"
#include "model/translation_parser.h"

namespace {

const cxm::core::Model& base() {
  static const cxm::core::Model model = [] {
    auto result = cxm::model::load_model_file(CXM_FUZZ_MODEL_FILE);
    if (!result.model) std::abort();
    return std::move(*result.model);
  }();
  return model;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string_view text(reinterpret_cast<const char*>(data), size);
  const cxm::core::Model& m = base();
  const auto result = cxm::model::parse_translation(text, "fuzz.de.yaml", m);
  if (result.model.has_value() == !result.diagnostics.empty()) std::abort();
  if (result.model) {
    const auto& t = *result.model;
    // Ids, structure and numbers are the base's; only texts change.
    if (t.id != m.id || t.version != m.version || t.items.size() != m.items.size() ||
        t.stages.size() != m.stages.size() || t.competencies.size() != m.competencies.size() ||
        t.actions.size() != m.actions.size() || t.roles.size() != m.roles.size() ||
        t.glossary.size() != m.glossary.size() || t.scale.min != m.scale.min ||
        t.scale.max != m.scale.max || t.scale.labels.size() != m.scale.labels.size() ||
        t.threshold != m.threshold || t.language == m.language)
      std::abort();
    for (std::size_t i = 0; i < m.items.size(); ++i) {
      if (t.items[i].id != m.items[i].id || t.items[i].stage != m.items[i].stage ||
          t.items[i].competency != m.items[i].competency || t.items[i].text.empty())
        std::abort();
    }
    for (std::size_t s = 0; s < m.stages.size(); ++s) {
      if (t.stages[s].id != m.stages[s].id ||
          t.stages[s].obstacle_actions.size() != m.stages[s].obstacle_actions.size())
        std::abort();
    }
  }
  for (const auto& d : result.diagnostics) (void)cxm::model::format(d);
  return 0;
}
