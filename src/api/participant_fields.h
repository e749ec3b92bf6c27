// Internal to src/api: the fields of a participant's request body (the
// answers and comments of the questionnaire's and a workshop phone's PUT)
// and the Accept-Language header, read without the database, and the
// names of languages: pure, so that they can be fuzzed
// (fuzz/fuzz_request_body.cpp).
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "api/outcome.h"
#include "api/request_fields.h"
#include "core/model.h"
#include "store/records.h"

namespace cxm::api {

// The "answers" field of a participant's request (item id -> scale point,
// or null for don't know), checked against the questionnaire `model`:
// unknown items, values out of range and wrong types are 422 naming the
// item.
Outcome<std::vector<store::StoredAnswer>> answers_field(const json& body, const core::Model& model);

// The "comments" field of a participant's request (competency id -> text;
// an empty text deletes), absent or null for none: each text normalized
// and checked (core/comments.h), each new one with a random id. 422 naming
// the competency when it is unknown, asks no comment, or the text cannot
// be kept.
Outcome<std::vector<store::StoredComment>> comments_field(const json& body,
                                                          const core::Model& model);

// The best of `offered` for an Accept-Language header value, or "" when
// none matches: ranges by falling q (0: not acceptable), each matching an
// offered tag exactly (case-insensitive) or by its primary subtag; "*"
// matches the first offered.
std::string accepted_language(std::string_view accept_language,
                              const std::vector<std::string>& offered);

// The name of a language in that language ("English", "Deutsch"); the tag
// itself for a language without a name here.
std::string language_name(const std::string& lang);

}  // namespace cxm::api
