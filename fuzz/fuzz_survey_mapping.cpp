// libFuzzer target: any bytes as a survey-tool mapping file (YAML) give
// either a mapping or diagnostics (never both, never a crash); a mapping
// that parses then reads the survey exports of fuzz/exports/ (the heading
// and first rows of those in fuzz/corpus/import/) against the default model
// into respondents or problems, the respondents holding only known items
// and answers on the scale or "don't know".
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <fstream>
#include <sstream>
#include <string>
#include <string_view>
#include <vector>

#include "answers/survey_import.h"
#include "answers/survey_mapping.h"
#include "model/model_parser.h"

namespace {

std::string read_file(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  std::stringstream text;
  text << in.rdbuf();
  if (text.str().empty()) std::abort();  // the export is missing
  return text.str();
}

struct Setup {
  cxm::core::Model model = *cxm::model::load_default_model().model;
  std::vector<std::string> exports = {
      read_file(std::string(CXM_FUZZ_EXPORTS_DIR) + "/limesurvey.csv"),
      read_file(std::string(CXM_FUZZ_EXPORTS_DIR) + "/formbricks.csv"),
      read_file(std::string(CXM_FUZZ_EXPORTS_DIR) + "/semicolons.csv")};
};

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  static const Setup setup;
  const std::string_view text(reinterpret_cast<const char*>(data), size);
  const auto parsed = cxm::answers::parse_survey_mapping(text, "fuzz.yaml");
  if (parsed.mapping.has_value() == !parsed.diagnostics.empty()) std::abort();
  if (!parsed.mapping) return 0;
  for (const auto& csv : setup.exports) {
    const auto result = cxm::answers::import_survey_csv(csv, *parsed.mapping, setup.model);
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
  return 0;
}
