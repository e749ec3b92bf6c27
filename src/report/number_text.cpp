#include "report/number_text.h"

#include <cmath>
#include <cstdio>

namespace cxm::report {

std::string fixed_decimals(double value, int digits) {
  double scale = 1.0;
  for (int d = 0; d < digits; ++d) scale *= 10.0;
  // std::round takes ties away from zero; a value just off a tie keeps
  // printf's exact rounding because scaling only moves ties onto integers.
  double rounded = std::round(value * scale) / scale;
  if (rounded == 0.0) rounded = 0.0;  // no "-0"
  char buffer[48];
  std::snprintf(buffer, sizeof buffer, "%.*f", digits, rounded);
  return buffer;
}

}  // namespace cxm::report
