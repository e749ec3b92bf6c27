// The score document: the JSON form of a cycle's result (SPEC section 5,
// `cxm score --json`). It is self-contained (names, texts, obstacle, ladder)
// so that `cxm report` can render it later without the model.
#pragma once

#include <cstddef>
#include <nlohmann/json_fwd.hpp>
#include <string>

#include "core/cycle_scoring.h"
#include "core/model.h"

namespace cxm::report {

inline constexpr const char* kScoreSchema = "cxm.score/1";

// Serializes `result` (scored against `model`) as a JSON score document;
// `indent` < 0 gives compact output. The document's "form" is the model's
// form; a pulse (core/forms.h) has a "note" and no stage verdict: "stage"
// and "next_stage" are null, "stages" and "next_stage_gaps" empty, and
// competencies and segments name no stage.
std::string score_document_json(const core::Model& model, const core::CycleResult& result,
                                int indent = 2);
// The same document as a JSON value, for callers that add to it before
// it is written (a cycle's report on the server).
nlohmann::json score_document(const core::Model& model, const core::CycleResult& result);

// What a pulse document says instead of a stage verdict.
std::string pulse_note(std::size_t statements);

// The smaller group a hidden segment would reveal (core/segments.h), in
// words: its name ("Digital", "the role Executive", "no unit"), and the
// phrase after "the answers of" ("a group of fewer than 3 people in
// Digital", "the fewer than 3 people with no unit", "a smaller group").
std::string revealed_group_name(const core::Model& model, const core::RevealedGroup& group);
std::string revealed_group_phrase(const core::Model& model, const core::RevealedGroup& group,
                                  std::size_t min_group_size);

// Model as pinned by `cxm model show --json`.
std::string model_document_json(const core::Model& model, int indent = 2);

}  // namespace cxm::report
