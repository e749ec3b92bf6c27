// Renders a score document for people: the stage ladder with the current
// stage marked, the key obstacle, strengths, weaknesses, next-stage gaps,
// disagreement and segments, as Markdown or as plain terminal text.
#pragma once

#include <string>
#include <string_view>

namespace cxm::report {

enum class SummaryStyle { text, markdown };

struct RenderResult {
  std::string output;
  std::string error;  // non-empty when `score_json` is not a valid score document
};

// `score_json` is a document produced by score_document_json.
RenderResult render_summary(std::string_view score_json, SummaryStyle style);

// Checks that `score_json` is a score document; returns an error message or
// an empty string.
std::string check_score_document(std::string_view score_json);

}  // namespace cxm::report
