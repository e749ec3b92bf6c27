#include <gtest/gtest.h>

#include "answers/answers_file.h"
#include "core/test_support.h"

namespace cxm::answers {
namespace {

const core::Model kModel =
    core::testing::make_model(3, {{"A2", "a", 2}, {"A3", "a", 3}, {"B2", "b", 2}});

std::string error_of(const std::string& json) {
  const auto r = parse_answers_json(json, "in.json", kModel);
  EXPECT_EQ(r.responses.has_value(), !r.error.has_value());
  return r.error ? model::format(*r.error) : "";
}

TEST(AnswersJson, ParsesRespondentsRolesUnitsAndDontKnow) {
  const auto r = parse_answers_json(
      R"({"respondents":[{"id":"r1","role":"executive","unit":"Sales","answers":{"A2":4,"A3":null}},
                         {"id":"r2","answers":{"B2":1}}]})",
      "in.json", kModel);
  ASSERT_TRUE(r.responses) << model::format(*r.error);
  const core::Responses& x = *r.responses;
  ASSERT_EQ(x.size(), 2u);
  EXPECT_EQ(x.respondent(0).role, "executive");
  EXPECT_EQ(x.respondent(0).unit, "Sales");
  EXPECT_EQ(x.at(0, 0), 4);
  EXPECT_EQ(x.at(0, 1), core::kMissing);  // don't know
  EXPECT_EQ(x.at(0, 2), core::kMissing);  // not answered
  EXPECT_EQ(x.respondent(1).role, "");
  EXPECT_EQ(x.at(1, 2), 1);
}

TEST(AnswersJson, MalformedJsonHasLineAndColumn) {
  EXPECT_EQ(error_of("{\"respondents\": [\n  {\"id\": \"r1\",, }]}"),
            "in.json:2:15: malformed JSON: unexpected ','; expected string literal");
  EXPECT_EQ(
      error_of(""),
      "in.json:1:1: malformed JSON: unexpected end of input; expected '[', '{', or a literal");
}

// Found by fuzz_answers_parser: nlohmann throws out_of_range, not
// parse_error, for a number beyond double's range.
TEST(AnswersJson, HugeNumberIsAnErrorNotACrash) {
  EXPECT_EQ(error_of(R"({"respondents":[{"id":"r1","answers":{"A2":1E400}}]})"),
            "in.json: malformed JSON: a number is too large");
}

TEST(AnswersJson, TruncatedJson) {
  EXPECT_NE(error_of(R"({"respondents":[{"id":"r1","answers":{"A2":4)").find("in.json:1:"),
            std::string::npos);
}

TEST(AnswersJson, InvalidUtf8IsRejected) {
  EXPECT_NE(
      error_of("{\"respondents\":[{\"id\":\"r\xff\",\"answers\":{}}]}").find("malformed JSON"),
      std::string::npos);
}

TEST(AnswersJson, UnknownItem) {
  EXPECT_EQ(error_of(R"({"respondents":[{"id":"r1","answers":{"A9":4}}]})"),
            "in.json: respondents[0].answers.A9: unknown item id 'A9'");
}

TEST(AnswersJson, OutOfRangeAndWrongTypes) {
  EXPECT_EQ(error_of(R"({"respondents":[{"id":"r1","answers":{"A2":6}}]})"),
            "in.json: respondents[0].answers.A2: answer 6 to item A2 is out of range 1..5");
  EXPECT_EQ(error_of(R"({"respondents":[{"id":"r1","answers":{"A2":0}}]})"),
            "in.json: respondents[0].answers.A2: answer 0 to item A2 is out of range 1..5");
  const std::string type_error =
      "in.json: respondents[0].answers.A2: answer must be a whole number from 1 to 5, or null for "
      "don't know";
  EXPECT_EQ(error_of(R"({"respondents":[{"id":"r1","answers":{"A2":"4"}}]})"), type_error);
  EXPECT_EQ(error_of(R"({"respondents":[{"id":"r1","answers":{"A2":3.5}}]})"), type_error);
  EXPECT_EQ(error_of(R"({"respondents":[{"id":"r1","answers":{"A2":true}}]})"), type_error);
  EXPECT_EQ(error_of(R"({"respondents":[{"id":"r1","answers":{"A2":18446744073709551615}}]})"),
            "in.json: respondents[0].answers.A2: answer 1001 to item A2 is out of range 1..5");
  EXPECT_EQ(error_of(R"({"respondents":[{"id":"r1","answers":{"A2":-9223372036854775808}}]})"),
            "in.json: respondents[0].answers.A2: answer -9223372036854775808 to item A2 is out of "
            "range 1..5");
}

// cxm progress takes answer files; a score document given instead says so
// (it said "'respondents' must be a list").
TEST(AnswersJson, AScoreDocumentIsNamedAsOne) {
  const std::string message =
      "in.json: this is a score document (from cxm score --json), not an answers file: give the "
      "answers the score was made from ({\"respondents\":[...]} or a CSV)";
  EXPECT_EQ(error_of(R"({"schema":"cxm.score/1","respondents":12,"stage":{"number":2}})"), message);
  EXPECT_EQ(error_of(R"({"respondents":12,"stage":{"number":2},"competencies":[]})"), message);
}

TEST(AnswersJson, StructureErrors) {
  EXPECT_EQ(error_of("[]"), "in.json: expected an object with a 'respondents' list");
  EXPECT_EQ(error_of(R"({"respondents":{}})"),
            "in.json: respondents: 'respondents' must be a list");
  EXPECT_EQ(error_of(R"({"respondents":[]})"),
            "in.json: respondents: no respondents: the list is empty");
  EXPECT_EQ(error_of(R"({"respondents":[3]})"),
            "in.json: respondents[0]: each respondent must be an object");
  EXPECT_EQ(error_of(R"({"respondents":[{"answers":{}}]})"),
            "in.json: respondents[0].id: each respondent needs a non-empty string 'id'");
  EXPECT_EQ(
      error_of(R"({"respondents":[{"id":"r1"}]})"),
      "in.json: respondents[0].answers: 'answers' must be an object mapping item ids to values");
  EXPECT_EQ(error_of(R"({"respondents":[{"id":"r1","answers":{}},{"id":"r1","answers":{}}]})"),
            "in.json: respondents[1].id: duplicate respondent id 'r1'");
  EXPECT_EQ(error_of(R"({"respondents":[{"id":"r1","unit":5,"answers":{}}]})"),
            "in.json: respondents[0].unit: 'unit' must be a string or null");
}

TEST(AnswersJson, UnknownRoleNamesTheKnownOnes) {
  EXPECT_EQ(error_of(R"({"respondents":[{"id":"r1","role":"ceo","answers":{}}]})"),
            "in.json: respondents[0].role: unknown role 'ceo'; expected one of executive, manager, "
            "frontline, "
            "other");
}

TEST(AnswersJson, InjectionStringsAreJustText) {
  const auto r = parse_answers_json(
      R"({"respondents":[{"id":"'; DROP TABLE answers; --","unit":"<script>alert(1)</script>","answers":{}}]})",
      "in.json", kModel);
  ASSERT_TRUE(r.responses);
  EXPECT_EQ(r.responses->respondent(0).unit, "<script>alert(1)</script>");
}

}  // namespace
}  // namespace cxm::answers

namespace cxm::answers {
namespace {

core::Model commenting_model() {
  core::Model m = kModel;
  m.competencies[0].comment = "What would help?";  // "a" asks; "b" does not
  return m;
}

TEST(AnswersJsonComments, ReadsEachRespondentsCommentsNormalized) {
  const auto r = parse_answers_json(
      R"({"respondents":[{"id":"r1","answers":{"A2":4},"comments":{"a":"  More time.\r\nPlease. "}},
                         {"id":"r2","answers":{"A2":3},"comments":{"a":""}},
                         {"id":"r3","answers":{"A2":3},"comments":{"a":null}},
                         {"id":"r4","answers":{"A2":3}}]})",
      "in.json", commenting_model());
  ASSERT_TRUE(r.responses) << model::format(*r.error);
  ASSERT_EQ(r.comments.size(), 1u);  // empty and null texts are no comment
  EXPECT_EQ(r.comments[0].competency, "a");
  EXPECT_EQ(r.comments[0].text, "More time.\nPlease.");
  EXPECT_FALSE(r.comments[0].supplied);
}

TEST(AnswersJsonComments, BadCommentsNameTheirPlace) {
  const core::Model m = commenting_model();
  const auto error = [&](const std::string& comments) {
    const auto r = parse_answers_json(
        R"({"respondents":[{"id":"r1","answers":{"A2":4},"comments":)" + comments + "}]}",
        "in.json", m);
    EXPECT_FALSE(r.responses);
    return r.error ? model::format(*r.error) : "";
  };
  EXPECT_EQ(error(R"(["x"])"),
            "in.json: respondents[0].comments: 'comments' must be an object mapping competency ids "
            "to text");
  EXPECT_EQ(error(R"({"zz":"x"})"),
            "in.json: respondents[0].comments.zz: unknown competency id 'zz'");
  EXPECT_EQ(error(R"({"b":"x"})"),
            "in.json: respondents[0].comments.b: competency 'b' asks no comment question in this "
            "model");
  EXPECT_EQ(error(R"({"a":5})"),
            "in.json: respondents[0].comments.a: a comment must be text or null");
  EXPECT_NE(error(R"({"a":"bell\u0007"})")
                .find("respondents[0].comments.a: the comment holds a control character"),
            std::string::npos);
  EXPECT_NE(error("{\"a\":\"" + std::string(2001, 'x') + "\"}").find("longer than 2000 characters"),
            std::string::npos);
  EXPECT_NE(error(R"({"a":"bidi \u202e"})").find("direction mark"), std::string::npos);
}

}  // namespace
}  // namespace cxm::answers
