#include <gtest/gtest.h>

#include "answers/answers_file.h"
#include "answers/csv_records.h"
#include "core/test_support.h"

namespace cxm::answers {
namespace {

const core::Model kModel =
    core::testing::make_model(3, {{"A2", "a", 2}, {"A3", "a", 3}, {"B2", "b", 2}});

std::string error_of(const std::string& csv) {
  const auto r = parse_answers_csv(csv, "in.csv", kModel);
  EXPECT_EQ(r.responses.has_value(), !r.error.has_value());
  return r.error ? model::format(*r.error) : "";
}

TEST(AnswersCsv, ParsesQuotedFieldsMissingCellsAndCrlf) {
  const auto r = parse_answers_csv(
      "\xEF\xBB\xBFrespondent,role,unit,A2,A3,B2\r\n"
      "r1,executive,\"Sales, North\",4,,NA\r\n"
      "r2,,\"Say \"\"hi\"\"\nthere\",1,d,5\r\n"
      "\r\n",
      "in.csv", kModel);
  ASSERT_TRUE(r.responses) << model::format(*r.error);
  const core::Responses& x = *r.responses;
  ASSERT_EQ(x.size(), 2u);
  EXPECT_EQ(x.respondent(0).unit, "Sales, North");
  EXPECT_EQ(x.at(0, 0), 4);
  EXPECT_EQ(x.at(0, 1), core::kMissing);
  EXPECT_EQ(x.at(0, 2), core::kMissing);
  EXPECT_EQ(x.respondent(1).unit, "Say \"hi\"\nthere");
  EXPECT_EQ(x.at(1, 1), core::kMissing);
  EXPECT_EQ(x.at(1, 2), 5);
}

TEST(AnswersCsv, ColumnsMayComeInAnyOrderAndBeASubset) {
  const auto r = parse_answers_csv("respondent,role,unit,B2\nr1,,,3\n", "in.csv", kModel);
  ASSERT_TRUE(r.responses);
  EXPECT_EQ(r.responses->at(0, 2), 3);
  EXPECT_EQ(r.responses->at(0, 0), core::kMissing);
}

TEST(AnswersCsv, HeaderErrors) {
  EXPECT_EQ(error_of(""),
            "in.csv: the file is empty; expected a header respondent,role,unit,<item ids>");
  EXPECT_EQ(error_of("id,role,unit,A2\n"),
            "in.csv:1:1: header column 1 must be 'respondent' (the header is "
            "respondent,role,unit,<item ids>)");
  EXPECT_EQ(error_of("respondent,role,unit,A2,X7\n"), "in.csv:1:5: unknown item id 'X7'");
  EXPECT_EQ(error_of("respondent,role,unit,A2,A2\n"),
            "in.csv:1:5: item A2 appears twice in the header");
  EXPECT_EQ(error_of("respondent,role,unit,A2\n"),
            "in.csv:1: no respondents: the file has only a header");
}

TEST(AnswersCsv, ValueErrorsNameRowAndColumn) {
  EXPECT_EQ(error_of("respondent,role,unit,A2,A3\nr1,,,4,9\n"),
            "in.csv:2:5: answer 9 to item A3 is out of range 1..5");
  EXPECT_EQ(error_of("respondent,role,unit,A2\nr1,,,four\n"),
            "in.csv:2:4: answer 'four' to item A2 is not a whole number from 1 to 5 (leave the "
            "cell empty or "
            "write NA for don't know)");
  EXPECT_EQ(error_of("respondent,role,unit,A2\nr1,,,99999999999999999999\n"),
            "in.csv:2:4: answer '99999999999999999999' to item A2 is out of range 1..5");
  EXPECT_EQ(error_of("respondent,role,unit,A2\nr1,,,3.5\n").substr(0, 40),
            "in.csv:2:4: answer '3.5' to item A2 is n");
}

TEST(AnswersCsv, RowErrors) {
  EXPECT_EQ(error_of("respondent,role,unit,A2\nr1,,,4\nr2,,\n"),
            "in.csv:3: expected 4 columns, found 3");
  EXPECT_EQ(error_of("respondent,role,unit,A2\n,,,4\n"), "in.csv:2:1: the respondent id is empty");
  EXPECT_EQ(error_of("respondent,role,unit,A2\nr1,,,4\nr1,,,5\n"),
            "in.csv:3:1: duplicate respondent id 'r1'");
  EXPECT_EQ(error_of("respondent,role,unit,A2\nr1,boss,,4\n").substr(0, 34),
            "in.csv:2:2: unknown role 'boss'; e");
}

TEST(AnswersCsv, MalformedQuotingAndEncoding) {
  EXPECT_EQ(error_of("respondent,role,unit,A2\nr1,,\"Sales,4\n"),
            "in.csv:2: malformed CSV: unterminated quoted field");
  EXPECT_EQ(error_of("respondent,role,unit,A2\nr1,,\"Sa\"les,4\n"),
            "in.csv:2: malformed CSV: unexpected character after a closing quote");
  EXPECT_EQ(error_of("respondent,role,unit,A2\nr1,,Sa\"les,4\n"),
            "in.csv:2: malformed CSV: a quote inside an unquoted field (quote the whole field and "
            "double the quote)");
  EXPECT_EQ(error_of("respondent,role,unit,A2\nr1,,Z\xfcrich,4\n"),
            "in.csv:2:6: invalid UTF-8 byte sequence");
}

TEST(AnswersFile, UnreadableFileIsAnError) {
  const auto r = load_answers_file("/nonexistent/answers.json", kModel);
  ASSERT_TRUE(r.error);
  EXPECT_EQ(model::format(*r.error),
            "/nonexistent/answers.json: cannot read the answers file: No such file or directory");
}

// Every CSV file cxm writes starts with a byte-order mark (for Excel); the
// shared reader skips one, so that no caller finds it in its first column.
TEST(CsvRecords, SkipALeadingByteOrderMark) {
  std::vector<CsvRecord> records;
  int line = 0;
  ASSERT_EQ(read_csv_records("\xEF\xBB\xBFid,name\r\n1,Zo\xC3\xAB\r\n", records, line), "");
  ASSERT_EQ(records.size(), 2u);
  EXPECT_EQ(records[0].fields, (std::vector<std::string>{"id", "name"}));
  EXPECT_EQ(records[0].line, 1);
  EXPECT_EQ(records[1].fields, (std::vector<std::string>{"1", "Zo\xC3\xAB"}));
  // Only at the start: a mark inside a field is the field's.
  records.clear();
  ASSERT_EQ(read_csv_records("a,\xEF\xBB\xBF"
                             "b\n",
                             records, line),
            "");
  EXPECT_EQ(records[0].fields[1],
            "\xEF\xBB\xBF"
            "b");
  // A quoted first field after the mark.
  records.clear();
  ASSERT_EQ(read_csv_records("\xEF\xBB\xBF\"x,y\",z\n", records, line), "");
  EXPECT_EQ(records[0].fields, (std::vector<std::string>{"x,y", "z"}));
}

}  // namespace
}  // namespace cxm::answers
