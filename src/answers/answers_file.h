// Answer files -> core::Responses. Two formats (docs/answers-format.md):
// JSON {"respondents":[{"id","role","unit","answers":{ITEM:int|null}}]} and
// CSV with header respondent,role,unit,<item ids>. Input is validated
// against the model; the first problem is reported with its place.
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/comments.h"
#include "core/model.h"
#include "core/responses.h"
#include "model/diagnostic.h"

namespace cxm::answers {

struct AnswersParseResult {
  std::optional<core::Responses> responses;  // present exactly when error is absent
  std::optional<model::Diagnostic> error;
  // The respondents' comments (JSON "comments": {COMPETENCY_ID: text}),
  // normalized and checked (core/comments.h); empty texts left out. Never
  // scored; `cxm score` shows them only as the minimum group allows.
  std::vector<core::CommentEntry> comments{};
};

AnswersParseResult parse_answers_json(std::string_view text, std::string_view file,
                                      const core::Model& model);
AnswersParseResult parse_answers_csv(std::string_view text, std::string_view file,
                                     const core::Model& model);

// Reads `path`; a name ending in .csv is CSV, .json is JSON, anything else
// is JSON when its first non-blank character is '{' and CSV otherwise.
AnswersParseResult load_answers_file(const std::string& path, const core::Model& model);

// Shared rules for both formats. Each returns an error message, or empty.
std::string check_answer_value(const core::Model& model, const core::Item& item, long value);
std::string check_role(const core::Model& model, std::string_view role);

}  // namespace cxm::answers
