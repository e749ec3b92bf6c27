#include "model/utf8.h"

#include <gtest/gtest.h>

#include <string>

#include "model/diagnostic.h"

namespace cxm::model {
namespace {

TEST(Utf8, AcceptsAsciiAndMultibyte) {
  EXPECT_FALSE(find_invalid_utf8("plain").has_value());
  EXPECT_FALSE(find_invalid_utf8("Zürich – 東京 🙂").has_value());
  EXPECT_FALSE(find_invalid_utf8("").has_value());
}

TEST(Utf8, RejectsBadSequencesAtTheirOffset) {
  EXPECT_EQ(find_invalid_utf8("ab\xff"), 2u);
  EXPECT_EQ(find_invalid_utf8("a\xc3"), 1u);             // truncated
  EXPECT_EQ(find_invalid_utf8("\xc0\xaf"), 0u);          // overlong '/'
  EXPECT_EQ(find_invalid_utf8("x\xed\xa0\x80"), 1u);     // surrogate
  EXPECT_EQ(find_invalid_utf8("\xf4\x90\x80\x80"), 0u);  // above U+10FFFF
  EXPECT_EQ(find_invalid_utf8("\xe2\x82"), 0u);          // truncated 3-byte
  EXPECT_EQ(find_invalid_utf8("ok\xe2\x28\xa1"), 2u);    // bad continuation
}

TEST(Utf8, CountsCodePointsNotBytes) {
  EXPECT_EQ(code_point_count(""), 0u);
  EXPECT_EQ(code_point_count("plain"), 5u);
  EXPECT_EQ(code_point_count("Zürich"), 6u);
  EXPECT_EQ(code_point_count("東京 🙂"), 4u);
}

TEST(Diagnostic, FormatsPlaceWhenKnown) {
  EXPECT_EQ(format({"m.yaml", 3, 7, "bad"}), "m.yaml:3:7: bad");
  EXPECT_EQ(format({"m.yaml", 0, 0, "empty file"}), "m.yaml: empty file");
}

TEST(Diagnostic, PositionCountsLinesAndColumns) {
  const std::string text = "ab\ncd\nef";
  EXPECT_EQ(position_of(text, 0).line, 1);
  EXPECT_EQ(position_of(text, 4).line, 2);
  EXPECT_EQ(position_of(text, 4).column, 2);
}

}  // namespace
}  // namespace cxm::model

namespace cxm::model {
namespace {

TEST(Printable, EscapesInvalidBytesAndControlsKeepsUtf8) {
  EXPECT_EQ(printable("plain 'text' é ✓"), "plain 'text' é ✓");
  EXPECT_EQ(printable("\xff\xfe{"), "\\xFF\\xFE{");
  EXPECT_EQ(printable("a\nb\x1b[31m"), "a\\x0Ab\\x1B[31m");
  EXPECT_EQ(printable("\xc3"), "\\xC3");  // a truncated sequence
  EXPECT_EQ(printable(""), "");
}

TEST(Printable, DiagnosticsNeverCarryRawBytes) {
  const std::string line =
      format(Diagnostic{"in\xff.json", 1, 1, "invalid literal; last read: '\xff'"});
  EXPECT_EQ(line, "in\\xFF.json:1:1: invalid literal; last read: '\\xFF'");
  EXPECT_FALSE(find_invalid_utf8(line));
}

}  // namespace
}  // namespace cxm::model
