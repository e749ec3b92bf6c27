#include "core/glossary.h"

#include <gtest/gtest.h>

#include <string>
#include <vector>

namespace cxm::core {
namespace {

const std::vector<GlossaryEntry> kGlossary = {{"customer journey", "steps"},
                                              {"journey", "a trip"},
                                              {"voice of the customer", "a programme"},
                                              {"touchpoint", "a moment"}};

std::vector<std::string> found(const std::string& text) {
  std::vector<std::string> out;
  for (const auto& m : find_glossary_terms(kGlossary, text)) {
    out.push_back(kGlossary[m.entry].term + "=" + text.substr(m.begin, m.end - m.begin));
  }
  return out;
}

using Found = std::vector<std::string>;

TEST(Glossary, FindsWholeWordsIgnoringCaseWithPlurals) {
  EXPECT_EQ(found("Touchpoints matter; so does each touchpoint."),
            (Found{"touchpoint=Touchpoints", "touchpoint=touchpoint"}));
  EXPECT_EQ(found("no touchpointless words, no retouchpoint"), Found{});
}

TEST(Glossary, TheLongestTermWinsAndMatchesDoNotOverlap) {
  EXPECT_EQ(found("We mapped customer journeys and one journey."),
            (Found{"customer journey=customer journeys", "journey=journey"}));
}

TEST(Glossary, ASpaceInATermMatchesAHyphen) {
  EXPECT_EQ(found("a voice-of-the-customer programme"),
            (Found{"voice of the customer=voice-of-the-customer"}));
  EXPECT_EQ(found("a voice of the customers' programme"),
            (Found{"voice of the customer=voice of the customers"}));
}

TEST(Glossary, LettersBeyondAsciiAreWordCharacters) {
  EXPECT_EQ(found("journeyé"), Found{});
  EXPECT_EQ(found("éjourney"), Found{});
  EXPECT_EQ(found("« journey »"), (Found{"journey=journey"}));
}

TEST(Glossary, EntriesUsedAreListedOnceInOrderOfFirstUse) {
  EXPECT_EQ(glossary_terms_in(kGlossary, "touchpoint, journey, touchpoints"),
            (std::vector<std::size_t>{3, 1}));
  EXPECT_TRUE(glossary_terms_in(kGlossary, "").empty());
  EXPECT_TRUE(glossary_terms_in({}, "journey").empty());
}

}  // namespace
}  // namespace cxm::core
