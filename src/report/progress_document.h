// The change between two cycles as JSON (SPEC section 5, `cxm progress
// --json`; also each cycle's `change` in GET /api/orgs/{org}/progress).
#pragma once

#include <nlohmann/json_fwd.hpp>

#include "core/model.h"
#include "core/progress.h"

namespace cxm::report {

#include <string>

// Which roles may take part in the role-balanced change, for the note that
// says why there is none: every role with at least 2 respondents in both
// cycles (the CLI, SPEC section 3), or on the server only those shown in
// both cycles' published results (a role below the minimum group, or
// hidden by the disclosure rule, never takes part).
enum class BalancedRoles { at_least_two, shown_in_both };

// `{overall:{before, after, change, ci_low, ci_high, df, verdict, n_before,
// n_after, role_balanced, role_balanced_note}, competencies:[{id, name,
// …the same}], stage:{before, after}, same_model}`; a score is null where
// its group has no respondent, an interval where it is undefined (fewer
// than 2 on a side, or no variance). `role_balanced` is the change at the
// same mix of roles (core::BalancedChange): {before, after, change, ci_low,
// ci_high, df, verdict, roles:[{role, name, weight, share_before,
// share_after}], flagged, reason}, `reason` saying in words why it is
// flagged (null when it is not); null when fewer than two roles take part,
// `role_balanced_note` then saying why (null otherwise). Names come from
// `later` (the competencies are those both models share).
nlohmann::json progress_json(const core::Model& later, const core::Progress& progress,
                             BalancedRoles roles = BalancedRoles::at_least_two);

// Why `balanced` is flagged, in one or two plain sentences: the role whose
// share moved most ("The share of Executive respondents rose from 13% to
// 50%.") and, when they differ, both verdicts; empty when not flagged.
std::string balanced_reason(const core::Model& model, const core::BalancedChange& balanced,
                            core::ChangeVerdict plain);

}  // namespace cxm::report
