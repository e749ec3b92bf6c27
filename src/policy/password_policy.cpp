#include "policy/password_policy.h"

#include <algorithm>
#include <cctype>
#include <string_view>
#include <unordered_set>

namespace cxm::policy {

std::string_view common_passwords_text();  // generated from common_passwords.txt

namespace {

std::string lower(std::string_view text) {
  std::string out(text);
  for (auto& c : out) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return out;
}

const std::unordered_set<std::string_view>& common_passwords() {
  static const std::unordered_set<std::string_view> list = [] {
    std::unordered_set<std::string_view> words;
    const std::string_view text = common_passwords_text();
    std::size_t at = 0;
    while (at < text.size()) {
      auto end = text.find('\n', at);
      if (end == std::string_view::npos) end = text.size();
      if (end > at) words.insert(text.substr(at, end - at));
      at = end + 1;
    }
    return words;
  }();
  return list;
}

bool all_whitespace(const std::string& text) {
  return std::all_of(text.begin(), text.end(),
                     [](unsigned char c) { return std::isspace(c) != 0; });
}

// "dragon2024!" -> "dragon": people meet a length rule by adding digits or
// symbols to a common word, which guessing tools try first.
std::string without_trailing_digits_and_symbols(std::string text) {
  while (!text.empty() && !std::isalpha(static_cast<unsigned char>(text.back())) &&
         static_cast<unsigned char>(text.back()) < 0x80) {
    text.pop_back();
  }
  return text;
}

// Code points, not bytes: a password of ten accented letters is long enough.
std::size_t characters(const std::string& text) {
  return static_cast<std::size_t>(std::count_if(text.begin(), text.end(), [](char c) {
    return (static_cast<unsigned char>(c) & 0xC0) != 0x80;
  }));
}

}  // namespace

bool is_common_password(const std::string& password) {
  return common_passwords().count(lower(password)) > 0;
}

std::optional<std::string> password_problem(const std::string& password, const std::string& email,
                                            const std::string& name) {
  if (characters(password) < kShortestPassword) {
    return "at least " + std::to_string(kShortestPassword) + " characters";
  }
  if (all_whitespace(password)) return "must not be only spaces";
  const std::string folded = lower(password);
  const std::string base = without_trailing_digits_and_symbols(folded);
  if (is_common_password(folded) || (base.size() >= 4 && common_passwords().count(base) > 0)) {
    return "too common: it is on the list of passwords that guessing tools try first";
  }
  const std::string mail = lower(email);
  const std::string local = mail.substr(0, mail.find('@'));
  if ((!mail.empty() && (folded == mail || folded == local)) ||
      (!name.empty() && folded == lower(name))) {
    return "must not be the e-mail address or the name";
  }
  return std::nullopt;
}

}  // namespace cxm::policy
