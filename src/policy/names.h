// What cxm accepts as a name (of an organization, a unit, a user, a cycle,
// a link's label): any text without control characters (U+0000 to U+001F,
// U+007F and the C1 range U+0080 to U+009F), which would corrupt reports,
// CSV and logs, or be cut off silently by a database (U+0000).
#pragma once

#include <cstddef>
#include <optional>
#include <string_view>

namespace cxm::policy {

// The byte offset of the first control character in UTF-8 `text`, or
// nullopt when there is none. With `allow_line_breaks`, tab, line feed
// and carriage return are allowed (for multi-line documents).
std::optional<std::size_t> find_control_character(std::string_view text,
                                                  bool allow_line_breaks = false);

}  // namespace cxm::policy
