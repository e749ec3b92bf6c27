// UTF-8 validation for text inputs (model files, answer files).
#pragma once

#include <cstddef>
#include <optional>
#include <string>
#include <string_view>

namespace cxm::model {

// Byte offset of the first byte that does not start a well-formed UTF-8
// sequence (RFC 3629: no overlongs, no surrogates, nothing above U+10FFFF),
// or nullopt when all of `text` is valid.
std::optional<std::size_t> find_invalid_utf8(std::string_view text);

// How many characters (code points) well-formed UTF-8 `text` holds: what a
// length limit stated to a user ("at most 200 characters") counts.
std::size_t code_point_count(std::string_view text);

// `text` safe to print in an error line: well-formed UTF-8 stays as it is;
// a byte that is not part of a well-formed sequence, and a control
// character (line breaks, escape sequences), becomes \xHH.
std::string printable(std::string_view text);

}  // namespace cxm::model
