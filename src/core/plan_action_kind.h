// Why an action is in a plan's draft (core/plan.h); a light header, for
// the records that keep it (store/records.h).
#pragma once

#include <optional>
#include <string_view>

namespace cxm::core {

enum class PlanActionKind {
  obstacle,  // addresses the key obstacle of the organization's stage
  gap,       // moves a weak competency to its next stage
  sustain,   // keeps a competency that is already at the top stage there
};
// The one mapping to and from text (stored, and in the API).
const char* to_string(PlanActionKind kind);
std::optional<PlanActionKind> plan_action_kind_from(std::string_view text);

}  // namespace cxm::core
