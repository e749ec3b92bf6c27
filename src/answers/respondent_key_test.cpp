#include "answers/respondent_key.h"

#include <gtest/gtest.h>

namespace cxm::answers {
namespace {

// Issue 22: after "r1", these were imported again as other people.
TEST(RespondentKey, RetypedIdsAreTheSameRespondent) {
  for (const std::string id : {"r1",
                               "R1",
                               "r1\u200b",
                               "\u200br1",
                               "r\u200b1",
                               "r1.",
                               " r1 ",
                               "\ufeffr1",
                               "r\u00ad1",
                               "r\u200d1",
                               "r\u200c1",
                               "r\u20601",
                               "\u202er1",
                               "\uff32\uff11" /* full-width R1 */,
                               "r1\u2026" /* ellipsis */,
                               "(r1)",
                               "r1!",
                               "\"r1\"",
                               "\u00a0r1\u3000",
                               "r1\t",
                               "r\x01"
                               "1"}) {
    EXPECT_EQ(respondent_key(id), "r1") << id;
  }
}

TEST(RespondentKey, FoldsCaseAndCompatibilityForms) {
  EXPECT_EQ(respondent_key("Ann.Smith@Example.ORG"), "ann.smith@example.org");
  EXPECT_EQ(respondent_key("STRASSE"), respondent_key("Stra\u00dfe"));
  EXPECT_EQ(respondent_key("caf\u00e9"), respondent_key("cafe\u0301"));  // composed or not
  // An invisible character between a letter and its accent does not keep
  // them apart.
  EXPECT_EQ(respondent_key("cafe\u200d\u0301"), respondent_key("caf\u00e9"));
  EXPECT_EQ(respondent_key("\u2460"), "1");       // circled digit one
  EXPECT_EQ(respondent_key("\ufb01le"), "file");  // the ligature
  EXPECT_EQ(respondent_key("r\ufe0f1"), "r1");    // a variation selector
}

TEST(RespondentKey, WhiteSpaceInsideIsOneSpace) {
  EXPECT_EQ(respondent_key("r  1"), "r 1");
  EXPECT_EQ(respondent_key("r\u00a01"), "r 1");
  EXPECT_EQ(respondent_key("r\t\t1"), "r 1");
  EXPECT_NE(respondent_key("r 1"), respondent_key("r1"));
}

// Only the ends lose their punctuation: inside an id it tells people apart.
TEST(RespondentKey, PunctuationCountsInsideButNotAtTheEnds) {
  EXPECT_NE(respondent_key("r-1"), respondent_key("r1"));
  EXPECT_NE(respondent_key("1.0"), respondent_key("1"));
  EXPECT_NE(respondent_key("r1+"), respondent_key("r1"));  // a symbol, not punctuation
  EXPECT_EQ(respondent_key("#42"), "42");
  EXPECT_EQ(respondent_key("-42-"), "42");
  // An id of punctuation only keeps it.
  EXPECT_EQ(respondent_key("-"), "-");
  EXPECT_EQ(respondent_key(" . "), ".");
  EXPECT_NE(respondent_key("-"), respondent_key("."));
}

TEST(RespondentKey, NothingVisibleIsEmpty) {
  EXPECT_EQ(respondent_key(""), "");
  EXPECT_EQ(respondent_key(" \t"), "");
  EXPECT_EQ(respondent_key("\u200b\ufeff\u00ad"), "");
}

// Bytes that are not UTF-8 compare as they are, apart from every key of
// well-formed text.
TEST(RespondentKey, InvalidUtf8ComparesByteForByte) {
  for (const std::string& bad :
       {std::string("\xff"), std::string("r1\xc3"), std::string("\xc0\xaf") /* overlong */,
        std::string("\xed\xa0\x80") /* a surrogate */,
        std::string("\xf4\x90\x80\x80") /* above U+10FFFF */, std::string("R1\x80", 3),
        std::string("r\0"
                    "1\xfe",
                    4)}) {
    const auto key = respondent_key(bad);
    EXPECT_EQ(key, "\xff" + bad);
    EXPECT_NE(key, respondent_key("r1"));
  }
  EXPECT_NE(respondent_key("R1\x80"), respondent_key("r1\x80"));
}

}  // namespace
}  // namespace cxm::answers
