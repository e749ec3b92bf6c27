#include "policy/names.h"

namespace cxm::policy {

std::optional<std::size_t> find_control_character(std::string_view text, bool allow_line_breaks) {
  for (std::size_t i = 0; i < text.size(); ++i) {
    const auto byte = static_cast<unsigned char>(text[i]);
    if (byte < 0x20) {
      if (allow_line_breaks && (byte == '\t' || byte == '\n' || byte == '\r')) continue;
      return i;
    }
    if (byte == 0x7F) return i;
    // U+0080 to U+009F are encoded as C2 80 to C2 9F.
    if (byte == 0xC2 && i + 1 < text.size()) {
      const auto next = static_cast<unsigned char>(text[i + 1]);
      if (next >= 0x80 && next <= 0x9F) return i;
    }
  }
  return std::nullopt;
}

}  // namespace cxm::policy
