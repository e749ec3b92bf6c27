// How a live workshop walks through the statements (core/workshop.h); a
// light header, for the records that keep it (store/records.h).
#pragma once

#include <optional>
#include <string_view>

namespace cxm::core {

enum class Pace { statement, competency };
enum class StepOrder { model, agenda };
// The one mapping to and from text (stored, and in the API).
const char* to_string(Pace value);
const char* to_string(StepOrder value);
std::optional<Pace> pace_from(std::string_view text);
std::optional<StepOrder> step_order_from(std::string_view text);

}  // namespace cxm::core
