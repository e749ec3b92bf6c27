#include "core/glossary.h"

#include <algorithm>

namespace cxm::core {
namespace {

// Bytes of multi-byte UTF-8 sequences count as letters, so that a term
// never matches inside a word such as "café".
bool is_word_byte(unsigned char c) {
  return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c >= 0x80;
}

char lower(char c) { return c >= 'A' && c <= 'Z' ? static_cast<char>(c - 'A' + 'a') : c; }

// The end of `term` matched at `at`, or 0 when it does not match there.
std::size_t match_at(std::string_view term, std::string_view text, std::size_t at) {
  if (term.empty()) return 0;
  if (at > 0 && is_word_byte(static_cast<unsigned char>(text[at - 1]))) return 0;
  std::size_t i = at;
  for (char t : term) {
    if (i >= text.size()) return 0;
    const char c = text[i];
    const bool same = t == ' ' ? (c == ' ' || c == '-') : lower(c) == lower(t);
    if (!same) return 0;
    ++i;
  }
  auto boundary = [&](std::size_t end) {
    return end == text.size() || !is_word_byte(static_cast<unsigned char>(text[end]));
  };
  for (std::string_view plural : {"es", "s", ""}) {
    const std::size_t end = i + plural.size();
    if (end > text.size()) continue;
    bool ok = true;
    for (std::size_t k = 0; k < plural.size(); ++k) ok = ok && lower(text[i + k]) == plural[k];
    if (ok && boundary(end)) return end;
  }
  return 0;
}

}  // namespace

std::vector<TermMatch> find_glossary_terms(std::span<const GlossaryEntry> glossary,
                                           std::string_view text) {
  std::vector<TermMatch> matches;
  std::size_t at = 0;
  while (at < text.size()) {
    TermMatch best{0, at, at};
    for (std::size_t e = 0; e < glossary.size(); ++e) {
      const std::size_t end = match_at(glossary[e].term, text, at);
      if (end > best.end) best = {e, at, end};
    }
    if (best.end > at) {
      matches.push_back(best);
      at = best.end;
    } else {
      ++at;
    }
  }
  return matches;
}

std::vector<std::size_t> glossary_terms_in(std::span<const GlossaryEntry> glossary,
                                           std::string_view text) {
  std::vector<std::size_t> entries;
  for (const auto& m : find_glossary_terms(glossary, text)) {
    if (std::find(entries.begin(), entries.end(), m.entry) == entries.end())
      entries.push_back(m.entry);
  }
  return entries;
}

}  // namespace cxm::core
