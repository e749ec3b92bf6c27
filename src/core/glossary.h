// Finding a model's glossary terms in the text respondents read, so that
// each term is explained where it appears.
#pragma once

#include <cstddef>
#include <span>
#include <string_view>
#include <vector>

#include "core/model.h"

namespace cxm::core {

// One occurrence of a glossary term: bytes [begin, end) of the text.
struct TermMatch {
  std::size_t entry = 0;  // index into the glossary
  std::size_t begin = 0;
  std::size_t end = 0;
};

// Every occurrence of a glossary term in `text`, left to right, never
// overlapping. A term matches as a whole word, ignoring ASCII case, with a
// space in the term matching a space or a hyphen ("voice of the customer"
// matches "voice-of-the-customer"), and with an optional plural "s" or
// "es". Where several terms match at one place, the longest wins.
std::vector<TermMatch> find_glossary_terms(std::span<const GlossaryEntry> glossary,
                                           std::string_view text);

// The glossary entries `text` uses, each once, in order of first use.
std::vector<std::size_t> glossary_terms_in(std::span<const GlossaryEntry> glossary,
                                           std::string_view text);

}  // namespace cxm::core
