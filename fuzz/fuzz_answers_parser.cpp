// libFuzzer target: any bytes given to the JSON and CSV answers parsers
// produce either responses that score without fault, or one error; every
// comment read is one cxm keeps (normalized, checked), and choosing what
// may be shown of them runs without fault.
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <string_view>

#include "answers/answers_file.h"
#include "core/comments.h"
#include "core/cycle_scoring.h"
#include "model/model_parser.h"

namespace {

const cxm::core::Model& default_model() {
  static const cxm::core::Model model = *cxm::model::load_default_model().model;
  return model;
}

// The default model with a comment question on every competency.
const cxm::core::Model& commenting_model() {
  static const cxm::core::Model model = [] {
    cxm::core::Model m = default_model();
    for (auto& c : m.competencies) c.comment = "Anything to add?";
    return m;
  }();
  return model;
}

void check(const cxm::answers::AnswersParseResult& result, const cxm::core::Model& model) {
  if (result.responses.has_value() == result.error.has_value()) std::abort();
  if (result.responses) (void)cxm::core::score_cycle(model, *result.responses);
  for (const auto& c : result.comments) {
    if (c.text.empty() || cxm::core::comment_problem(c.text) ||
        cxm::core::normalized_comment(c.text) != c.text || !model.find_competency(c.competency))
      std::abort();
  }
  (void)cxm::core::shown_comments(model, result.comments, 3, "fuzz");
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string_view text(reinterpret_cast<const char*>(data), size);
  check(cxm::answers::parse_answers_json(text, "fuzz.json", default_model()), default_model());
  check(cxm::answers::parse_answers_json(text, "fuzz.json", commenting_model()),
        commenting_model());
  check(cxm::answers::parse_answers_csv(text, "fuzz.csv", default_model()), default_model());
  return 0;
}
