// What compose.cpp and mime_message.cpp both need to read a Letter the
// same way. Internal to src/mail.
#pragma once

#include <string>
#include <string_view>

#include "mail/compose.h"

namespace cxm::mail {

// `text` on one line, trimmed: control characters (line breaks among them)
// become spaces, and a run of spaces one, so no interpolated value can add
// a line to a header or to the text.
inline std::string one_line(std::string_view text) {
  std::string out;
  out.reserve(text.size());
  for (char c : text) {
    const auto u = static_cast<unsigned char>(c);
    const bool space = u <= 0x20 || u == 0x7f;
    if (!space) {
      out += c;
    } else if (!out.empty() && out.back() != ' ') {
      out += ' ';
    }
  }
  if (!out.empty() && out.back() == ' ') out.pop_back();
  return out;
}

// The logo goes into the message only as a PNG or JPEG image.
inline bool has_logo(const Letter& letter) {
  return !letter.logo_bytes.empty() &&
         (letter.logo_type == "image/png" || letter.logo_type == "image/jpeg");
}

}  // namespace cxm::mail
