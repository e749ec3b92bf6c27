// Reads a score document (JSON text, schema "cxm.score/1") into a
// ScoreDocument, checking every field the renderers read: its type, its
// range (scores 0..100, stage numbers on the document's ladder) and what
// fields say about each other (a full document has a stage, a pulse none;
// next-stage gaps name statements of the document). The first problem is
// reported with its field path, e.g. "competencies[2].score: must be 0..100
// or null". Fields the document does not know are ignored. Never throws.
#pragma once

#include <nlohmann/json_fwd.hpp>
#include <optional>
#include <string>
#include <string_view>

#include "report/score_document_types.h"

namespace cxm::report {

struct ScoreDocumentReading {
  enum class Problem {
    none,
    not_json,            // error: "not valid JSON"
    not_score_document,  // error: the schema is missing or another one
    invalid_field,       // error: "<field path>: <what is wrong>"
  };
  std::optional<ScoreDocument> document;  // set exactly when problem is none
  Problem problem = Problem::none;
  std::string error;  // one line; empty when problem is none
};

// Reads `text` as described above: a document, or the first problem.
ScoreDocumentReading read_score_document(std::string_view text);
// The same for a document already in memory (never `not_json`).
ScoreDocumentReading read_parsed_score_document(const nlohmann::json& document);

// The same, for callers that only need the message.
std::optional<ScoreDocument> score_document_from_json(std::string_view text, std::string& error);

// The reading's error as the renderers report it: the message as it is for
// text that is not JSON or not a score document; `incomplete` (e.g.
// "incomplete score document: ") before it for a document with a bad field.
std::string reading_error(const ScoreDocumentReading& reading, std::string_view incomplete);

// Checks only that `score_json` is JSON and carries the score schema (what
// `cxm report --format json` needs before printing it again); returns an
// error message or an empty string. Use read_score_document to render.
std::string check_score_document(std::string_view score_json);

}  // namespace cxm::report
