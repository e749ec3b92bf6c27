// libFuzzer target: any bytes given to the JSON and CSV answers parsers
// produce either responses that score without fault, or one error.
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <string_view>

#include "answers/answers_file.h"
#include "core/cycle_scoring.h"
#include "model/model_parser.h"

namespace {

const cxm::core::Model& default_model() {
  static const cxm::core::Model model = *cxm::model::load_default_model().model;
  return model;
}

void check(const cxm::answers::AnswersParseResult& result) {
  if (result.responses.has_value() == result.error.has_value()) std::abort();
  if (result.responses) (void)cxm::core::score_cycle(default_model(), *result.responses);
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string_view text(reinterpret_cast<const char*>(data), size);
  check(cxm::answers::parse_answers_json(text, "fuzz.json", default_model()));
  check(cxm::answers::parse_answers_csv(text, "fuzz.csv", default_model()));
  return 0;
}
