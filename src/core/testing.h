// What the core's tests share (test code only).
#pragma once

#include <optional>

namespace cxm::core {

// Tolerance of floating-point comparisons.
inline constexpr double kTol = 1e-9;
// An unanswered item in a respondent's answers.
inline constexpr std::nullopt_t NA = std::nullopt;

}  // namespace cxm::core
