// E-mail addresses as cxm accepts them: a practical subset of the RFC 5321
// and RFC 5322 addr-spec that every mail server takes. Pure, no I/O.
#pragma once

#include <optional>
#include <string>
#include <string_view>

namespace cxm::mail {

inline constexpr std::size_t kMaxAddressBytes = 254;

// Why `address` is not an address cxm sends to, in words (never echoing a
// control character), or nullopt when it is one. Accepted: `local@domain`,
// at most 254 bytes; the local part (at most 64 bytes) of letters, digits
// and !#$%&'*+-/=?^_`{|}~ with dots between them (no quoted strings);
// the domain of at least two dot-separated labels of letters, digits and
// hyphens (1 to 63 bytes, no hyphen at either end), or of UTF-8 letters
// for an internationalized domain. Refused among others: white space, line
// breaks, quotes, angle brackets, commas, semicolons: everything that could
// turn one address into several or into a header.
std::optional<std::string> address_error(std::string_view address);

}  // namespace cxm::mail
