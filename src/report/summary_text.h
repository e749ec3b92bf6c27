// Renders a score document for people: the stage ladder with the current
// stage marked, the key obstacle, strengths, weaknesses, next-stage gaps,
// disagreement and segments, as Markdown or as plain terminal text.
#pragma once

#include <string>
#include <string_view>

#include "report/score_document_parser.h"  // check_score_document, for the callers that include this
#include "report/score_document_types.h"

namespace cxm::report {

enum class SummaryStyle { text, markdown };

struct RenderResult {
  std::string output;
  std::string error;  // non-empty when `score_json` is not a valid score document
};

// Renders `document`; the error is always empty.
RenderResult render_summary(const ScoreDocument& document, SummaryStyle style);

// `score_json` is a document produced by score_document_json. Reads it with
// read_score_document; a document with a bad field gives the error
// "incomplete score document: <field path>: <what is wrong>".
RenderResult render_summary(std::string_view score_json, SummaryStyle style);

}  // namespace cxm::report
