// Unicode normalization and case folding come from GNU libunistring
// (Debian's libunistring-dev), the smallest library that has both.
#include "answers/respondent_key.h"

#include <unicase.h>
#include <unictype.h>
#include <uninorm.h>
#include <unistr.h>

#include <cstdlib>
#include <memory>
#include <optional>

#include "model/utf8.h"

namespace cxm::answers {
namespace {

using Text = std::u32string;

struct FreeDeleter {
  void operator()(void* p) const { std::free(p); }
};

bool invisible(ucs4_t c) {
  if (uc_is_general_category(c, UC_CATEGORY_Cc)) return !uc_is_property_white_space(c);
  return uc_is_general_category(c, UC_CATEGORY_Cf) ||
         uc_is_property_default_ignorable_code_point(c);
}

// Well-formed UTF-8 as code points, without the invisible ones.
Text visible_code_points(std::string_view utf8) {
  Text out;
  const auto* s = reinterpret_cast<const std::uint8_t*>(utf8.data());
  std::size_t at = 0;
  while (at < utf8.size()) {
    ucs4_t c = 0;
    const int length = u8_mbtouc(&c, s + at, utf8.size() - at);
    at += static_cast<std::size_t>(length > 0 ? length : 1);
    if (!invisible(c)) out.push_back(static_cast<char32_t>(c));
  }
  return out;
}

// One libunistring call's result as Text; nullopt when it failed.
std::optional<Text> taken(std::uint32_t* result, std::size_t length) {
  if (result == nullptr) return std::nullopt;
  const std::unique_ptr<std::uint32_t, FreeDeleter> owned(result);
  return Text(reinterpret_cast<const char32_t*>(result), length);
}

std::optional<Text> nfkc_casefolded(const Text& text) {
  std::size_t length = 0;
  std::uint32_t* normalized =
      u32_normalize(UNINORM_NFKC, reinterpret_cast<const std::uint32_t*>(text.data()), text.size(),
                    nullptr, &length);
  const auto nfkc = taken(normalized, length);
  if (!nfkc) return std::nullopt;
  std::uint32_t* folded = u32_casefold(reinterpret_cast<const std::uint32_t*>(nfkc->data()),
                                       nfkc->size(), nullptr, UNINORM_NFKC, nullptr, &length);
  return taken(folded, length);
}

// White space runs as one space, none at either end.
Text with_single_spaces(const Text& text) {
  Text out;
  bool space = false;
  for (const char32_t c : text) {
    if (uc_is_property_white_space(c)) {
      space = !out.empty();
      continue;
    }
    if (space) out.push_back(U' ');
    space = false;
    out.push_back(c);
  }
  return out;
}

bool punctuation_or_space(char32_t c) {
  return uc_is_general_category(c, UC_CATEGORY_P) || uc_is_property_white_space(c);
}

// Without punctuation and white space at either end, unless nothing
// would be left.
Text without_outer_punctuation(const Text& text) {
  std::size_t first = 0, last = text.size();
  while (first < last && punctuation_or_space(text[first])) ++first;
  while (last > first && punctuation_or_space(text[last - 1])) --last;
  if (first == last) return text;
  return text.substr(first, last - first);
}

std::string utf8_of(const Text& text) {
  std::string out;
  std::uint8_t bytes[6];
  for (const char32_t c : text) {
    const int length = u8_uctomb(bytes, c, sizeof bytes);
    if (length > 0)
      out.append(reinterpret_cast<const char*>(bytes), static_cast<std::size_t>(length));
  }
  return out;
}

std::string as_bytes(std::string_view id) { return "\xff" + std::string(id); }

}  // namespace

std::string respondent_key(std::string_view id) {
  if (model::find_invalid_utf8(id)) return as_bytes(id);
  const auto folded = nfkc_casefolded(visible_code_points(id));
  if (!folded) return as_bytes(id);  // out of memory in libunistring
  Text visible;
  for (const char32_t c : *folded) {
    if (!invisible(c)) visible.push_back(c);
  }
  return utf8_of(without_outer_punctuation(with_single_spaces(visible)));
}

}  // namespace cxm::answers
