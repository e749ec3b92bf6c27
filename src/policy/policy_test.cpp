#include <gtest/gtest.h>

#include "policy/names.h"
#include "policy/password_policy.h"

namespace cxm::policy {
namespace {

TEST(PasswordPolicy, KeepsTheMinimumLength) {
  EXPECT_EQ(password_problem("short pw"), "at least 10 characters");
  EXPECT_EQ(password_problem("ñññññññññ"), "at least 10 characters");  // 9 characters, 18 bytes
  EXPECT_EQ(password_problem("ññññññññññ"), std::nullopt);
}

TEST(PasswordPolicy, RefusesOnlyWhitespace) {
  EXPECT_EQ(password_problem("          "), "must not be only spaces");
  EXPECT_EQ(password_problem(" \t \t \t \t \t\n"), "must not be only spaces");
  EXPECT_EQ(password_problem("  a long one  "), std::nullopt);
}

TEST(PasswordPolicy, RefusesCommonPasswordsWhateverTheirCase) {
  EXPECT_TRUE(is_common_password("password123"));
  EXPECT_TRUE(is_common_password("QwertyUIOP"));
  EXPECT_TRUE(is_common_password("1234567890"));
  EXPECT_TRUE(password_problem("Password123").has_value());
  EXPECT_TRUE(password_problem("1q2w3e4r5t").has_value());
  // A common word with digits or symbols added is as easy to guess.
  EXPECT_TRUE(password_problem("sunshine2024!").has_value());
  EXPECT_TRUE(password_problem("Football!!!!").has_value());
  EXPECT_FALSE(is_common_password("correct horse battery"));
  EXPECT_EQ(password_problem("correct horse battery"), std::nullopt);
}

TEST(PasswordPolicy, RefusesTheAccountsOwnEmailOrName) {
  EXPECT_TRUE(password_problem("jane.doe@example.org", "jane.doe@example.org").has_value());
  EXPECT_TRUE(password_problem("Jane.Doe.Smith", "jane.doe.smith@example.org").has_value());
  EXPECT_TRUE(password_problem("Jane Doe Smith", "", "jane doe smith").has_value());
  EXPECT_EQ(password_problem("a different passphrase", "jane@example.org", "Jane"), std::nullopt);
}

TEST(Names, FindControlCharacters) {
  EXPECT_EQ(find_control_character("Acme Ltd."), std::nullopt);
  EXPECT_EQ(find_control_character("Zürich – Ärzte"), std::nullopt);
  EXPECT_EQ(find_control_character(std::string_view("Ac\0me", 5)), 2u);
  EXPECT_EQ(find_control_character("a\tb"), 1u);
  EXPECT_EQ(find_control_character("a\nb"), 1u);
  EXPECT_EQ(find_control_character("a\nb", true), std::nullopt);
  EXPECT_EQ(find_control_character("a\x1b[31mred"), 1u);
  EXPECT_EQ(find_control_character("del\x7f"), 3u);
  EXPECT_EQ(find_control_character("c1 \xc2\x85 next line"), 3u);       // U+0085
  EXPECT_EQ(find_control_character("nbsp \xc2\xa0 ok"), std::nullopt);  // U+00A0 is not a control
}

}  // namespace
}  // namespace cxm::policy
