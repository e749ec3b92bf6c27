// JSON shapes of a survey import, shared by `cxm import` and the API: the
// preview (what the import will do), the problems, and the answers format
// (docs/answers-format.md) of the imported respondents.
#pragma once

#include <nlohmann/json.hpp>

#include "answers/survey_import.h"

namespace cxm::answers {

nlohmann::json preview_json(const ImportPreview& preview);
nlohmann::json problems_json(const std::vector<ImportProblem>& problems);
// {"respondents":[{"id","role","unit","answers":{ITEM:value|null}}]}, with
// "comments":{COMPETENCY:text} for a respondent who wrote any.
nlohmann::json answers_json(const std::vector<ImportedRespondent>& respondents,
                            const core::Model& model);

}  // namespace cxm::answers
