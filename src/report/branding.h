// An organization's logo: checked before it is stored or printed. Only PNG
// and JPEG are accepted (never SVG, which can carry script), recognized by
// their magic bytes, with the image's size read from its header; at most
// kMaxLogoBytes. Pure functions, no I/O.
#pragma once

#include <cstddef>
#include <string>
#include <string_view>

namespace cxm::report {

inline constexpr std::size_t kMaxLogoBytes = 256 * 1024;
inline constexpr int kMaxLogoSide = 4096;  // pixels, either side

struct LogoCheck {
  std::string type;  // "image/png" or "image/jpeg" when accepted
  int width = 0, height = 0;
  std::string error;  // empty when accepted: what is wrong, in words
};

// Checks `bytes` as a logo.
LogoCheck check_logo(std::string_view bytes);

// Standard base64 (RFC 4648, padded).
std::string to_base64(std::string_view bytes);

// "data:image/png;base64,..." for a checked logo.
std::string logo_data_uri(std::string_view bytes, std::string_view type);

}  // namespace cxm::report
