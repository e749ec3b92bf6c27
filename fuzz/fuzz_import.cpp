// libFuzzer target: any bytes given as a survey tool's CSV export, read
// with each shipped mapping against the default model, give either
// respondents or problems (never both, never a crash), and the respondents
// hold only answers on the scale or "don't know".
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <string_view>

#include "answers/survey_import.h"
#include "answers/survey_mapping.h"
#include "model/model_parser.h"

namespace {

struct Setup {
  cxm::core::Model model;
  std::vector<cxm::answers::SurveyMapping> mappings;
  Setup() {
    model = *cxm::model::load_default_model().model;
    for (const auto& name : cxm::answers::shipped_mapping_names()) {
      mappings.push_back(*cxm::answers::load_survey_mapping(name).mapping);
    }
  }
};

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  static const Setup setup;
  const std::string_view text(reinterpret_cast<const char*>(data), size);
  for (const auto& mapping : setup.mappings) {
    const auto result = cxm::answers::import_survey_csv(text, mapping, setup.model);
    if (!result.ok() && !result.respondents.empty()) std::abort();
    if (result.problems.size() > cxm::answers::kMaxImportProblems + 1) std::abort();
    for (const auto& who : result.respondents) {
      if (who.id.empty()) std::abort();
      for (const auto& [item, value] : who.answers) {
        if (item >= setup.model.items.size()) std::abort();
        if (value && (*value < setup.model.scale.min || *value > setup.model.scale.max))
          std::abort();
      }
    }
    if (result.ok()) (void)cxm::answers::to_responses(result.respondents, setup.model);
  }
  // A mapping file is input too.
  (void)cxm::answers::parse_survey_mapping(text, "fuzz.yaml");
  return 0;
}
