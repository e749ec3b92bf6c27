// Numbers in words for reports: what the printed report and the text
// summary show, rounded as the web application rounds them (JavaScript's
// toFixed: a tie goes away from zero, so 62.5 is "63" on every screen and
// page, not "62" as printf's ties-to-even would print it). Pure.
#pragma once

#include <string>

namespace cxm::report {

// `value` with `digits` decimals (0..6).
std::string fixed_decimals(double value, int digits);

}  // namespace cxm::report
