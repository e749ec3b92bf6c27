// The change between two cycles as JSON (SPEC section 5, `cxm progress
// --json`; also each cycle's `change` in GET /api/orgs/{org}/progress).
#pragma once

#include <nlohmann/json_fwd.hpp>

#include "core/model.h"
#include "core/progress.h"

namespace cxm::report {

// `{overall:{before, after, change, ci_low, ci_high, df, verdict, n_before,
// n_after}, competencies:[{id, name, …the same}], stage:{before, after},
// same_model}`; a score is null where its group has no respondent, an
// interval where it is undefined (fewer than 2 on a side, or no variance).
// Names come from `later` (the competencies are those both models share).
nlohmann::json progress_json(const core::Model& later, const core::Progress& progress);

}  // namespace cxm::report
