// The score document: the JSON form of a cycle's result (SPEC section 5,
// `cxm score --json`). It is self-contained (names, texts, obstacle, ladder)
// so that `cxm report` can render it later without the model.
#pragma once

#include <string>

#include "core/cycle_scoring.h"
#include "core/model.h"

namespace cxm::report {

inline constexpr const char* kScoreSchema = "cxm.score/1";

// Serializes `result` (scored against `model`) as a JSON score document;
// `indent` < 0 gives compact output.
std::string score_document_json(const core::Model& model, const core::CycleResult& result, int indent = 2);

// Model as pinned by `cxm model show --json`.
std::string model_document_json(const core::Model& model, int indent = 2);

}  // namespace cxm::report
