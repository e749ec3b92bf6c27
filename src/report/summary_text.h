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

// The name of the role or unit `value` as the document shows it (a role's
// display name from the model); `value` itself when the document has none.
std::string segment_display_name(const ScoreDocument& document, core::SegmentKind kind,
                                 const std::string& value);

// The largest perception gap between two shown roles or two shown units,
// when it is large (at least kLargeGap points, its 95% interval clear of
// zero), in one plain sentence; empty otherwise. A gap with a hidden group
// on either side is never named.
inline constexpr double kLargeGap = 10;
std::string largest_gap_sentence(const ScoreDocument& document);

// The evidence rule (SPEC section 3) in words: how a stage, a ladder step or
// a competency judged on too few answers is marked.
inline constexpr std::string_view kTooFewAnswers = "too few answers to be sure";
// Beside a statement worded in reverse wherever its score is shown.
inline constexpr std::string_view kWordedInReverse = "worded in reverse";

// Why the stage reached is marked "too few answers to be sure" (the words
// the caller puts before it), naming the ladder steps it rests on where
// fewer than half the statements had enough answers; empty when the stage
// is not indicative.
std::string indicative_sentence(const ScoreDocument& document);

// What the silo score means, in plain words, with the score; empty when the
// document has no silo score.
std::string silo_sentence(const ScoreDocument& document);
// The spread of the shown units' overall scores in plain words; empty
// below two shown units.
std::string silo_spread_sentence(const ScoreDocument& document);

// "In progress" for "in_progress": an action's status as people read it.
std::string status_text(const std::string& status);

// Why a group is hidden, as one sentence that starts "Hidden": "Hidden so
// that ..." or "Hidden: fewer than 5 ...".
std::string hidden_text(const std::string& reason);

struct RenderResult {
  std::string output;
  std::string error;  // non-empty when `score_json` is not a valid score document
};

// Renders `document`; the error is always empty.
// `lang` ("en", "de"): the language of the renderer's own words; empty for
// the current one (report/report_text.h).
RenderResult render_summary(const ScoreDocument& document, SummaryStyle style,
                            std::string_view lang = "");

// `score_json` is a document produced by score_document_json. Reads it with
// read_score_document; a document with a bad field gives the error
// "incomplete score document: <field path>: <what is wrong>".
RenderResult render_summary(std::string_view score_json, SummaryStyle style,
                            std::string_view lang = "");

}  // namespace cxm::report
