// The draft action plan as JSON (SPEC section 5, `cxm plan --json`), and
// the reading of a score document back into what the plan needs.
#pragma once

#include <optional>
#include <string>
#include <string_view>

#include "core/model.h"
#include "core/plan.h"

namespace cxm::report {

struct ScoreDocument;  // report/score_document_types.h

inline constexpr const char* kPlanSchema = "cxm.plan/1";

// `{schema, model:{id,version}, stage:{number,name,obstacle}, actions:[{kind,
// title, detail, owner, success_measure, reason, competency|null,
// competency_name|null, stage, items}]}`; an action's `stage` is the stage
// it helps reach (at the top stage: keep).
std::string plan_document_json(const core::Model& model, const core::PlanInput& input,
                               const core::Plan& plan, int indent = 2);

struct PlanInputResult {
  std::optional<core::PlanInput> input;
  std::string error;  // when `input` is absent: what is wrong, in one line
};

// Reads a score document (from `cxm score --json`) scored against `model`
// (same id and version): the organization's stage, competency scores and
// stages, and statement scores. A pulse document has no stage and is refused.
PlanInputResult plan_input_from_score_document(const core::Model& model,
                                               std::string_view score_json);
// The same from a document already read (a cycle's report on the server),
// with the same checks and messages.
PlanInputResult plan_input_from_score_document(const core::Model& model,
                                               const ScoreDocument& document);

}  // namespace cxm::report
