#include "report/number_text.h"

#include <gtest/gtest.h>

namespace cxm::report {
namespace {

// The web application shows numbers with toFixed / Math.round: a tie goes
// up. The printed report must show the same figure.
TEST(NumberText, TiesGoAwayFromZeroAsOnTheWebPages) {
  EXPECT_EQ(fixed_decimals(62.5, 0), "63");  // printf("%.0f") gives "62"
  EXPECT_EQ(fixed_decimals(61.5, 0), "62");
  EXPECT_EQ(fixed_decimals(0.25, 1), "0.3");  // printf("%.1f") gives "0.2"
  EXPECT_EQ(fixed_decimals(-0.25, 1), "-0.3");
  EXPECT_EQ(fixed_decimals(62.49, 0), "62");
  EXPECT_EQ(fixed_decimals(0.704, 2), "0.70");
  EXPECT_EQ(fixed_decimals(100.0, 0), "100");
}

TEST(NumberText, NoNegativeZero) {
  EXPECT_EQ(fixed_decimals(-0.2, 0), "0");
  EXPECT_EQ(fixed_decimals(-0.04, 1), "0.0");
}

}  // namespace
}  // namespace cxm::report
