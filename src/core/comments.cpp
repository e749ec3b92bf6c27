#include "core/comments.h"

#include <algorithm>
#include <map>

namespace cxm::core {

namespace {

// Decodes one UTF-8 sequence at `at` (RFC 3629: no overlongs, no
// surrogates, nothing above U+10FFFF); nullopt when it is not well formed.
std::optional<char32_t> decode(std::string_view s, std::size_t& at) {
  const auto byte = [&](std::size_t i) { return static_cast<unsigned char>(s[i]); };
  const unsigned char b0 = byte(at);
  if (b0 < 0x80) {
    ++at;
    return b0;
  }
  std::size_t length = 0;
  char32_t cp = 0, min = 0;
  if ((b0 & 0xE0) == 0xC0) {
    length = 2, cp = b0 & 0x1F, min = 0x80;
  } else if ((b0 & 0xF0) == 0xE0) {
    length = 3, cp = b0 & 0x0F, min = 0x800;
  } else if ((b0 & 0xF8) == 0xF0) {
    length = 4, cp = b0 & 0x07, min = 0x10000;
  } else {
    return std::nullopt;
  }
  if (at + length > s.size()) return std::nullopt;
  for (std::size_t i = 1; i < length; ++i) {
    if ((byte(at + i) & 0xC0) != 0x80) return std::nullopt;
    cp = (cp << 6) | (byte(at + i) & 0x3F);
  }
  if (cp < min || cp > 0x10FFFF || (cp >= 0xD800 && cp <= 0xDFFF)) return std::nullopt;
  at += length;
  return cp;
}

bool is_space(char c) { return c == ' ' || c == '\t' || c == '\n'; }

// FNV-1a over the parts, each ended by a 0 byte, then a 64-bit finalizer
// (splitmix64's) so that near texts land far apart.
std::uint64_t keyed_hash(std::string_view key, std::string_view competency, std::string_view text) {
  std::uint64_t h = 14695981039346656037ULL;
  for (std::string_view part : {key, competency, text}) {
    for (const char c : part) {
      h ^= static_cast<unsigned char>(c);
      h *= 1099511628211ULL;
    }
    h ^= 0;
    h *= 1099511628211ULL;
  }
  h ^= h >> 30;
  h *= 0xbf58476d1ce4e5b9ULL;
  h ^= h >> 27;
  h *= 0x94d049bb133111ebULL;
  h ^= h >> 31;
  return h;
}

}  // namespace

std::string normalized_comment(std::string_view text) {
  std::string out;
  out.reserve(text.size());
  for (std::size_t i = 0; i < text.size(); ++i) {
    if (text[i] == '\r') {
      out += '\n';
      if (i + 1 < text.size() && text[i + 1] == '\n') ++i;
      continue;
    }
    out += text[i];
  }
  const auto first = std::find_if_not(out.begin(), out.end(), is_space);
  const auto last = std::find_if_not(out.rbegin(), out.rend(), is_space).base();
  return first < last ? std::string(first, last) : std::string();
}

std::optional<std::string> comment_problem(std::string_view text) {
  std::size_t at = 0, characters = 0;
  while (at < text.size()) {
    const std::size_t start = at;
    const auto cp = decode(text, at);
    if (!cp) {
      return "is not valid UTF-8 text (byte " + std::to_string(start + 1) + ")";
    }
    ++characters;
    const char32_t c = *cp;
    if (c == '\n' || c == '\t') continue;
    if (c < 0x20 || c == 0x7F || (c >= 0x80 && c <= 0x9F)) {
      return "holds a control character (character " + std::to_string(characters) + ")";
    }
    if (c == 0x200E || c == 0x200F || (c >= 0x202A && c <= 0x202E) ||
        (c >= 0x2066 && c <= 0x2069) || c == 0x2028 || c == 0x2029 || c == 0x061C) {
      return "holds an invisible direction mark or line separator (character " +
             std::to_string(characters) + ")";
    }
    // Invisible characters that hide a text's true content or split a word
    // unseen (zero-width space, word joiner and invisible operators, the
    // byte order mark, the Mongolian vowel separator). The zero-width
    // joiner and non-joiner stay: emoji and several scripts need them.
    if (c == 0x200B || (c >= 0x2060 && c <= 0x2064) || c == 0xFEFF || c == 0x180E) {
      return "holds an invisible character (character " + std::to_string(characters) + ")";
    }
  }
  if (characters > kMaxCommentLength) {
    return "is longer than " + std::to_string(kMaxCommentLength) + " characters (" +
           std::to_string(characters) + ")";
  }
  return std::nullopt;
}

bool asks_comments(const Model& model) {
  return std::any_of(model.competencies.begin(), model.competencies.end(),
                     [](const Competency& c) { return !c.comment.empty(); });
}

std::string comments_withheld_reason(std::size_t min_group) {
  return "fewer than " + std::to_string(min_group) +
         " people who answered themselves commented; comments are shown from " +
         std::to_string(min_group) + " on";
}

std::vector<CommentGroup> shown_comments(const Model& model,
                                         const std::vector<CommentEntry>& entries,
                                         std::size_t min_group, std::string_view key) {
  std::map<std::string, std::vector<const CommentEntry*>> by_competency;
  for (const auto& e : entries) {
    if (!e.text.empty() || e.hidden) by_competency[e.competency].push_back(&e);
  }
  std::vector<CommentGroup> out;
  for (const auto& c : model.competencies) {
    if (c.comment.empty()) continue;
    CommentGroup group{c.id, {}, {}, {}};
    auto& list = by_competency[c.id];
    std::size_t own = 0;
    for (const auto* e : list) own += e->supplied ? 0 : 1;
    if (min_group > 1 && own < min_group) {
      group.withheld = comments_withheld_reason(min_group);
      out.push_back(std::move(group));
      continue;
    }
    std::vector<std::pair<std::uint64_t, const CommentEntry*>> keyed;
    keyed.reserve(list.size());
    for (const auto* e : list) keyed.emplace_back(keyed_hash(key, c.id, e->text), e);
    std::sort(keyed.begin(), keyed.end(), [](const auto& a, const auto& b) {
      if (a.first != b.first) return a.first < b.first;
      if (a.second->text != b.second->text) return a.second->text < b.second->text;
      return a.second->id < b.second->id;
    });
    for (const auto& [hash, e] : keyed) (e->hidden ? group.hidden : group.shown).push_back(e);
    out.push_back(std::move(group));
  }
  return out;
}

}  // namespace cxm::core
