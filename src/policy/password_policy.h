// What cxm accepts as a password (NIST SP 800-63B, section 5.1.1.2): at
// least 10 characters, not only whitespace, not one of the most common
// passwords (nor one with digits or symbols tacked on), and not the
// account's own e-mail address or name. Used by every way a password is set:
// the API's setup and the `cxm user` commands.
#pragma once

#include <optional>
#include <string>

namespace cxm::policy {

inline constexpr std::size_t kShortestPassword = 10;

// Why `password` is refused, as a sentence fragment a person can act on
// ("at least 10 characters"); nullopt when it is acceptable. `email` and
// `name` belong to the account (either may be empty).
std::optional<std::string> password_problem(const std::string& password,
                                            const std::string& email = "",
                                            const std::string& name = "");

// Whether `password` is on the shipped list of common passwords (compared
// without regard to case; see common_passwords.txt).
bool is_common_password(const std::string& password);

}  // namespace cxm::policy
