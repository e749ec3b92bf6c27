#include "answers/survey_import.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <fstream>
#include <sstream>

#include "answers/import_json.h"
#include "core/scoring.h"
#include "core/test_support.h"
#include "model/model_parser.h"
#include "model/translation_parser.h"

namespace cxm::answers {
namespace {

core::Model small_model() {
  core::Model m = core::testing::make_model(3, {{"A2", "a", 2}, {"A3", "a", 3}, {"B2", "b", 2}});
  m.scale.labels = {"Strongly disagree", "Disagree", "Neither agree nor disagree", "Agree",
                    "Strongly agree"};
  m.items[0].text = "We listen to customers.";
  m.items[1].text = "We act on what they say.";
  m.items[2].text = "Leaders - and everyone else - care.";
  return m;
}
const core::Model kModel = small_model();

SurveyMapping mapping_of(const std::string& yaml) {
  const auto r = parse_survey_mapping(yaml, "m.yaml");
  EXPECT_TRUE(r.mapping) << (r.diagnostics.empty() ? "" : model::format(r.diagnostics[0]));
  return r.mapping.value_or(SurveyMapping{});
}

SurveyMapping shipped(const std::string& name) {
  const auto r = load_survey_mapping(name);
  EXPECT_TRUE(r.mapping) << (r.diagnostics.empty() ? "" : model::format(r.diagnostics[0]));
  return r.mapping.value_or(SurveyMapping{});
}

const SurveyMapping kCodes = mapping_of(R"(
respondent: id
role: role
unit: unit
items:
  - pattern: "*[{item}]"
labels: {A1: 1, A2: 2, A3: 3, A4: 4, A5: 5, DK: null}
)");

std::vector<std::string> problems_of(const SurveyImport& result) {
  std::vector<std::string> out;
  for (const auto& p : result.problems) out.push_back(format(p, "x.csv"));
  return out;
}

std::string first_problem(std::string_view csv, const SurveyMapping& mapping = kCodes) {
  const auto result = import_survey_csv(csv, mapping, kModel);
  EXPECT_FALSE(result.ok());
  EXPECT_TRUE(result.respondents.empty()) << "nothing is imported when any row is wrong";
  return result.problems.empty() ? "" : format(result.problems.front(), "x.csv");
}

std::string read_data(const std::string& name) {
  std::ifstream in(std::string(CXM_SOURCE_DIR) + "/tests/data/" + name, std::ios::binary);
  std::stringstream s;
  s << in.rdbuf();
  return s.str();
}

TEST(SurveyImport, MapsCodedColumnsLabelsRolesAndUnits) {
  const auto r = import_survey_csv(
      "id,role,unit,Q[A2],Q[A3],Q[B2],comment\n"
      "7,Executive,Sales,A4,DK,,fine\n"
      "8,frontline,,A1,A5,A3,\n",
      kCodes, kModel);
  ASSERT_TRUE(r.ok()) << problems_of(r)[0];
  ASSERT_EQ(r.respondents.size(), 2u);
  EXPECT_EQ(r.respondents[0].id, "7");
  EXPECT_EQ(r.respondents[0].role, "executive");
  EXPECT_EQ(r.respondents[0].unit, "Sales");
  ASSERT_EQ(r.respondents[0].answers.size(), 2u);  // the empty cell is no answer
  EXPECT_EQ(r.respondents[0].answers[0], (std::pair<std::size_t, std::optional<int>>(0, 4)));
  EXPECT_EQ(r.respondents[0].answers[1],
            (std::pair<std::size_t, std::optional<int>>(1, std::nullopt)));
  EXPECT_EQ(r.respondents[1].answers.size(), 3u);
  EXPECT_EQ(r.preview.respondents, 2u);
  EXPECT_EQ(r.preview.items.size(), 3u);
  EXPECT_EQ(r.preview.unmapped_columns, std::vector<std::string>{"comment"});
  EXPECT_TRUE(r.preview.items_without_column.empty());
  EXPECT_EQ(r.preview.answers, 5u);
  EXPECT_EQ(r.preview.dont_know, 1u);
  EXPECT_EQ(r.preview.no_answer, 1u);
  ASSERT_EQ(r.preview.labels.size(), 5u);
  EXPECT_EQ(r.preview.labels.front().label, "A1");
  EXPECT_EQ(r.preview.labels.back().label, "DK");  // don't know last
  EXPECT_FALSE(r.preview.labels.back().value);

  const nlohmann::json answers = answers_json(r.respondents, kModel);
  EXPECT_EQ(answers["respondents"][0]["answers"]["A2"], 4);
  EXPECT_TRUE(answers["respondents"][0]["answers"]["A3"].is_null());
  EXPECT_FALSE(answers["respondents"][0]["answers"].contains("B2"));
  EXPECT_TRUE(answers["respondents"][1]["unit"].is_null());
}

TEST(SurveyImport, ByteOrderMarkSemicolonsCrlfAndQuotedNewlines) {
  const auto r = import_survey_csv(
      "\xEF\xBB\xBF"
      "id;role;unit;Q[A2];Q[A3];Q[B2]\r\n"
      "1;;\"Sales;\r\nNorth\";A2;A3;A4\r\n"
      "2;;;A1;;\r\n",
      kCodes, kModel);
  ASSERT_TRUE(r.ok()) << problems_of(r)[0];
  EXPECT_TRUE(r.preview.byte_order_mark);
  EXPECT_EQ(r.preview.separator, ';');
  ASSERT_EQ(r.respondents.size(), 2u);
  EXPECT_EQ(r.respondents[0].unit, "Sales;\r\nNorth");
  EXPECT_EQ(r.respondents[1].answers.size(), 1u);
}

TEST(SurveyImport, QuotedCellsEndingInALineBreakAreTrimmed) {
  // A quoted header or value may end in a stray line break: the header
  // still names its column and the value reads without it.
  const auto r = import_survey_csv(
      "\"id\n\",role,\"unit\r\n\",Q[A2]\n"
      "\"7\r\n\",Executive,\"Sales\n\",A4\n",
      kCodes, kModel);
  ASSERT_TRUE(r.ok()) << problems_of(r)[0];
  ASSERT_EQ(r.respondents.size(), 1u);
  EXPECT_EQ(r.respondents[0].id, "7");
  EXPECT_EQ(r.respondents[0].unit, "Sales");
  EXPECT_TRUE(r.preview.unmapped_columns.empty());
}

TEST(SurveyImport, RowsCountAsRecordsWhenACellSpansLines) {
  EXPECT_EQ(
      first_problem("id,role,unit,Q[A2]\n1,,\"two\nlines\",A2\n2,,,A9\n"),
      "x.csv: row 3, column 4 (D) 'Q[A2]': unknown answer label 'A9' for item A2 (known: 'A1', "
      "'A2', 'A3', 'A4', 'A5', 'Strongly disagree', 'Disagree', 'Neither agree nor disagree', "
      "'Agree', 'Strongly agree', 'Don't know', 'DK')");
}

TEST(SurveyImport, RefusesOtherEncodingsNamingRowAndColumn) {
  EXPECT_EQ(first_problem("\xFF\xFEi\0d\0"),
            "x.csv: the file is UTF-16; export or save it as UTF-8 (CSV UTF-8 in spreadsheets)");
  EXPECT_EQ(first_problem(std::string_view("i\0d\0,\0", 6)),
            "x.csv: the file holds NUL bytes: it is not a UTF-8 text file (UTF-16?); export or "
            "save it as UTF-8");
  // Latin-1 "Vertrieb Süd" as a spreadsheet in Windows-1252 writes it.
  EXPECT_EQ(first_problem("id,role,unit,Q[A2]\n1,,S\xFC"
                          "d,A1\n"),
            "x.csv: row 2, column 3 (C) 'unit': not UTF-8 (byte \\xFC); export or save the file as "
            "UTF-8");
}

TEST(SurveyImport, EmptyFileAndHeaderOnly) {
  EXPECT_EQ(first_problem(""),
            "x.csv: the file is empty; expected a header row and one row per response");
  EXPECT_EQ(first_problem("\xEF\xBB\xBF\r\n"),
            "x.csv: the file is empty; expected a header row and one row per response");
  EXPECT_EQ(first_problem("id,role,unit,Q[A2]\r\n"),
            "x.csv: no responses: the file has only a header row");
}

TEST(SurveyImport, MissingColumnsAreErrors) {
  EXPECT_EQ(first_problem("respondent,Q[A2]\n1,A1\n"),
            "x.csv: row 1: missing column: the respondent id is in a column headed 'id'");
  const auto required_role = mapping_of(
      "respondent: id\nrole: {columns: [role, Role], required: true}\n"
      "items: [{pattern: '*[{item}]'}]\nnumbers: true\n");
  EXPECT_EQ(first_problem("id,Q[A2]\n1,1\n", required_role),
            "x.csv: row 1: missing column: the role is in a column headed 'role' or 'Role'");
  EXPECT_EQ(first_problem("id,role,unit,comment\n1,,,x\n"),
            "x.csv: row 1: no column is a statement of the model: check the mapping's items rules "
            "against the headings");
}

TEST(SurveyImport, EveryUnknownLabelIsNamedWithRowColumnAndLabel) {
  const auto r = import_survey_csv(
      "id,role,unit,Q[A2],Q[A3]\n1,,,A1,Agree strongly\n2,,,A6,A2\n3,boss,,A1,A1\n", kCodes,
      kModel);
  const auto problems = problems_of(r);
  ASSERT_EQ(problems.size(), 3u);
  EXPECT_NE(problems[0].find(
                "row 2, column 5 (E) 'Q[A3]': unknown answer label 'Agree strongly' for item A3"),
            std::string::npos)
      << problems[0];
  EXPECT_NE(problems[1].find("row 3, column 4 (D) 'Q[A2]': unknown answer label 'A6'"),
            std::string::npos);
  EXPECT_EQ(problems[2],
            "x.csv: row 4, column 2 (B) 'role': unknown role 'boss' (known: executive, manager, "
            "frontline, other)");
  EXPECT_TRUE(r.respondents.empty());
  EXPECT_EQ(r.preview.respondents, 0u);
}

TEST(SurveyImport, DuplicateRespondentIdsAreErrors) {
  EXPECT_EQ(first_problem("id,role,unit,Q[A2]\n5,,,A1\n6,,,A2\n5,,,A3\n"),
            "x.csv: row 4, column 1 (A) 'id': duplicate respondent id '5' (also in row 2)");
  EXPECT_EQ(first_problem("id,role,unit,Q[A2]\n,,,A1\n"),
            "x.csv: row 2, column 1 (A) 'id': the respondent id is empty");
}

// Ids compare after normalization (answers/respondent_key.h): the same
// person retyped is a duplicate, and an id of invisible characters only is
// no id.
TEST(SurveyImport, RetypedRespondentIdsAreDuplicates) {
  EXPECT_EQ(first_problem("id,role,unit,Q[A2]\nr1,,,A1\nR1,,,A2\n"),
            "x.csv: row 3, column 1 (A) 'id': duplicate respondent id 'R1' (also in row 2 as "
            "'r1')");
  EXPECT_EQ(first_problem("id,role,unit,Q[A2]\nr1,,,A1\nr1\u200b,,,A2\n"),
            "x.csv: row 3, column 1 (A) 'id': duplicate respondent id 'r1\u200b' (also in row 2 "
            "as 'r1')");
  EXPECT_EQ(first_problem("id,role,unit,Q[A2]\nr1,,,A1\nr1.,,,A2\n"),
            "x.csv: row 3, column 1 (A) 'id': duplicate respondent id 'r1.' (also in row 2 as "
            "'r1')");
  EXPECT_EQ(first_problem("id,role,unit,Q[A2]\n\u200b,,,A1\n"),
            "x.csv: row 2, column 1 (A) 'id': the respondent id has no visible character");
  EXPECT_TRUE(import_survey_csv("id,role,unit,Q[A2]\nr1,,,A1\nr-1,,,A2\n", kCodes, kModel).ok());
}

TEST(SurveyImport, RaggedRowsAreErrors) {
  EXPECT_EQ(first_problem("id,role,unit,Q[A2]\n1,,,A1\n2,,A1\n3,,,A1,extra\n"),
            "x.csv: row 3: this row has 3 cells, the header has 4");
  EXPECT_EQ(problems_of(import_survey_csv("id,role,unit,Q[A2]\n1,,,A1\n2,,A1\n3,,,A1,extra\n",
                                          kCodes, kModel))
                .size(),
            2u);
}

TEST(SurveyImport, MalformedQuotesAreErrors) {
  EXPECT_EQ(first_problem("id,role,unit,Q[A2]\n1,,\"open,A1\n"),
            "x.csv: malformed CSV at line 2: unterminated quoted field");
}

TEST(SurveyImport, TwoColumnsForOneItemAreAnError) {
  EXPECT_EQ(first_problem("id,Q[A2],R[A2]\n1,A1,A2\n"),
            "x.csv: row 1, column 3 (C) 'R[A2]': item A2 already has column 2 'Q[A2]'");
}

TEST(SurveyImport, TheFilterLeavesOutIncompleteResponsesAndNeedsItsColumn) {
  auto m = kCodes;
  m.only = RowFilter{{"submitdate"}, {}, "completed responses"};
  const auto r = import_survey_csv("id,submitdate,Q[A2]\n1,2026-01-01,A1\n2,,A9\n3,2026-01-02,A2\n",
                                   m, kModel);
  ASSERT_TRUE(r.ok()) << problems_of(
      r)[0];  // row 2's unknown label does not matter: it is not imported
  EXPECT_EQ(r.preview.rows, 3u);
  EXPECT_EQ(r.preview.skipped_rows, 1u);
  EXPECT_EQ(r.preview.respondents, 2u);
  EXPECT_EQ(first_problem("id,Q[A2]\n1,A1\n", m),
            "x.csv: row 1: missing column: the column that tells which responses to import is in a "
            "column headed "
            "'submitdate'");
  EXPECT_EQ(first_problem("id,submitdate,Q[A2]\n1,,A1\n", m),
            "x.csv: no response to import: the mapping keeps only completed responses, and no row "
            "is one");
}

TEST(SurveyImport, HeadingsByStatementTextAndExactHeading) {
  const auto m = mapping_of(R"(
respondent: [Response ID]
items:
  - {heading: "Budget?", item: A3}
  - pattern: "* - {text}"
ignore: ["No.", "userAgent - *"]
)");
  const auto r = import_survey_csv(
      "No.,Response ID,userAgent - os,\"1. How true? - WE  LISTEN to customers.\",budget?,"
      "\"1. How true? - Leaders - and everyone else - care.\",2. Other\n"
      "1,abc,Linux,Agree,Strongly agree,Don't know,x\n",
      m, kModel);
  ASSERT_TRUE(r.ok()) << problems_of(r)[0];
  ASSERT_EQ(r.preview.items.size(), 3u);
  EXPECT_EQ(r.preview.items[0].item, "A2");
  EXPECT_EQ(r.preview.items[1].item, "A3");
  EXPECT_EQ(r.preview.items[2].item, "B2");
  EXPECT_EQ(r.preview.ignored_columns, (std::vector<std::string>{"No.", "userAgent - os"}));
  EXPECT_EQ(r.preview.unmapped_columns, std::vector<std::string>{"2. Other"});
  ASSERT_EQ(r.respondents.size(), 1u);
  EXPECT_EQ(r.respondents[0].answers[0].second, 4);
  EXPECT_EQ(r.respondents[0].answers[1].second, 5);
  EXPECT_EQ(r.respondents[0].answers[2].second, std::nullopt);
}

TEST(SurveyImport, AMappingLabelOutsideTheScaleIsAnError) {
  const auto m = mapping_of("respondent: id\nitems: [{pattern: '*[{item}]'}]\nlabels: {Top: 7}\n");
  EXPECT_EQ(first_problem("id,Q[A2]\n1,Top\n", m),
            "x.csv: the mapping gives label 'Top' the value 7, outside the model's scale 1..5");
}

TEST(SurveyImport, ProblemsAreCappedWithACount) {
  std::string csv = "id,role,unit,Q[A2]\n";
  for (int i = 0; i < 150; ++i) csv += std::to_string(i) + ",,,bad\n";
  const auto r = import_survey_csv(csv, kCodes, kModel);
  ASSERT_EQ(r.problems.size(), kMaxImportProblems + 1);
  EXPECT_EQ(r.problems.back().message, "and 50 more problems");
}

TEST(SurveyMapping, BadMappingsNameTheirPlace) {
  auto error_of = [](const std::string& yaml) {
    const auto r = parse_survey_mapping(yaml, "m.yaml");
    EXPECT_FALSE(r.mapping);
    return r.diagnostics.empty() ? "" : model::format(r.diagnostics[0]);
  };
  EXPECT_EQ(error_of("items: [{pattern: '*[{item}]'}]\n"),
            "m.yaml:1:1: the mapping has no 'respondent' column (the column that identifies each "
            "response)");
  EXPECT_EQ(error_of("respondent: id\nitems: [{pattern: '*'}]\n"),
            "m.yaml:2:19: items[0].pattern must hold exactly one {item} or {text}");
  EXPECT_EQ(error_of("respondent: id\nitems: [{pattern: '{item}{text}'}]\n"),
            "m.yaml:2:19: items[0].pattern must hold exactly one {item} or {text}");
  EXPECT_EQ(error_of("respondent: id\nitem: []\n"),
            "m.yaml:2:1: the mapping: unknown key 'item' (known: name, description, respondent, "
            "role, unit, items, comments, "
            "ignore, labels, model_labels, numbers, only)");
  EXPECT_EQ(error_of("respondent: id\nitems: [{pattern: '*[{item}]'}]\ncomments: [{pattern: x}]\n"),
            "m.yaml:3:22: comments[0].pattern must hold exactly one {competency} or {question}");
  EXPECT_EQ(error_of("respondent: id\nitems: [{pattern: '*[{item}]'}]\nlabels: {A1: high}\n"),
            "m.yaml:3:14: labels.A1 must be a whole number on the scale, or null for don't know");
  EXPECT_EQ(error_of("respondent: [id\n"), "m.yaml:2:1: end of sequence flow not found");
  EXPECT_EQ(error_of("- a\n"),
            "m.yaml: a mapping file is a YAML mapping (respondent, items, labels, …)");
  EXPECT_EQ(
      error_of("respondent: id\nitems: [{pattern: '*[{item}]'}]\nmodel_labels: false\n"),
      "m.yaml:1:1: no answer can be read: give labels, or model_labels: true, or numbers: true");
  EXPECT_NE(model::format(load_survey_mapping("/nonexistent/qualtrics.yaml").diagnostics.at(0))
                .find("not a shipped mapping either: limesurvey, formbricks"),
            std::string::npos);
}

TEST(SurveyMapping, NormalizesHeadingsAndMatchesGlobs) {
  EXPECT_EQ(normalize_heading("  Our  Leaders\xC2\xA0"
                              "care \xE2\x80\x9Cthe\xE2\x80\x9D customer\xE2\x80\x99s "),
            "our leaders care \"the\" customer's");
  EXPECT_TRUE(glob_matches("*[ls2]*", "cx[ls2]. rate [x]"));
  EXPECT_FALSE(glob_matches("*[ls2]", "cx[ls20]"));
  EXPECT_TRUE(glob_matches("a*b*c", "abc"));
  EXPECT_FALSE(glob_matches("a*b*c", "ac"));
  EXPECT_TRUE(glob_matches("*", ""));
  EXPECT_FALSE(glob_matches("ab*ba", "aba"));
}

// The realistic exports in tests/data (tests/data/make_survey_exports.py).
TEST(SurveyImport, ALimeSurveyExportWithTheShippedMapping) {
  const auto model = model::load_default_model();
  ASSERT_TRUE(model.model);
  const auto r =
      import_survey_csv(read_data("limesurvey_export.csv"), shipped("limesurvey"), *model.model);
  ASSERT_TRUE(r.ok()) << problems_of(r)[0];
  EXPECT_EQ(r.preview.rows, 12u);
  EXPECT_EQ(r.preview.skipped_rows, 2u);  // no submitdate: incomplete
  EXPECT_EQ(r.preview.respondents, 10u);
  EXPECT_EQ(r.preview.items.size(), model.model->items.size());
  EXPECT_TRUE(r.preview.items_without_column.empty());
  EXPECT_EQ(r.preview.respondent_column, "id");
  EXPECT_EQ(r.preview.role_column, "role");
  EXPECT_EQ(r.preview.unmapped_columns, std::vector<std::string>{"CXcomment"});
  EXPECT_EQ(r.preview.ignored_columns.size(),
            6u);  // lastpage, startlanguage, seed, startdate, datestamp, interviewtime
  EXPECT_GT(r.preview.dont_know, 0u);
  EXPECT_EQ(r.respondents[0].role, "executive");
  EXPECT_EQ(r.respondents[5].role, "frontline");
  // The scorer sees every answer that is a number, and no "don't know".
  const auto scored = core::score_group(*model.model, to_responses(r.respondents, *model.model));
  std::size_t numbers = 0;
  for (const auto& who : r.respondents) {
    for (const auto& [item, value] : who.answers) numbers += item == 0 && value.has_value();
  }
  EXPECT_EQ(scored.items[0].stats.n, numbers);
  EXPECT_EQ(scored.items[0].missing, r.respondents.size() - numbers);
}

// LimeSurvey exports made in German (German headings, the statements of
// the German translation as full question text, German answer texts) and
// in French (French headings, semicolons, answer codes): the same answers
// as the English export's first respondents.
TEST(SurveyImport, GermanAndFrenchLimeSurveyExportsWithTheShippedMapping) {
  const auto model = model::load_default_model();
  ASSERT_TRUE(model.model);
  std::vector<core::Model> translations;
  for (const auto& t : model::default_translations()) {
    auto parsed = model::parse_translation(t.text, t.name, *model.model);
    ASSERT_TRUE(parsed.model) << model::format(parsed.diagnostics[0]);
    translations.push_back(std::move(*parsed.model));
  }
  const auto english =
      import_survey_csv(read_data("limesurvey_export.csv"), shipped("limesurvey"), *model.model);
  const auto de = import_survey_csv(read_data("limesurvey_export_de.csv"), shipped("limesurvey"),
                                    *model.model, translations);
  ASSERT_TRUE(de.ok()) << problems_of(de)[0];
  EXPECT_EQ(de.preview.rows, 4u);
  EXPECT_EQ(de.preview.respondents, 3u);  // no "Datum Abgeschickt": incomplete
  EXPECT_EQ(de.preview.items.size(), model.model->items.size());
  EXPECT_EQ(de.preview.respondent_column, "Antwort ID");
  EXPECT_EQ(de.preview.role_column, "Ihre Rolle");
  EXPECT_EQ(de.preview.unit_column, "Ihre Abteilung");
  EXPECT_TRUE(de.preview.unmapped_columns.empty());
  EXPECT_EQ(de.respondents[0].role, "executive");
  EXPECT_EQ(de.respondents[2].role, "frontline");
  for (std::size_t i = 0; i < de.respondents.size(); ++i)
    EXPECT_EQ(de.respondents[i].answers, english.respondents[i].answers) << "respondent " << i;
  // Without the translation the German statements are no columns of the model.
  EXPECT_FALSE(
      import_survey_csv(read_data("limesurvey_export_de.csv"), shipped("limesurvey"), *model.model)
          .ok());

  const auto fr = import_survey_csv(read_data("limesurvey_export_fr.csv"), shipped("limesurvey"),
                                    *model.model, translations);
  ASSERT_TRUE(fr.ok()) << problems_of(fr)[0];
  EXPECT_EQ(fr.preview.separator, ';');
  EXPECT_EQ(fr.preview.rows, 3u);
  EXPECT_EQ(fr.preview.respondents, 2u);  // no "Date de soumission": incomplete
  EXPECT_EQ(fr.preview.respondent_column, "ID de la réponse");
  EXPECT_EQ(fr.preview.ignored_columns.size(), 5u);  // Dernière page … Date de la dernière action
  EXPECT_TRUE(fr.preview.unmapped_columns.empty());
  EXPECT_EQ(fr.preview.items.size(), model.model->items.size());
}

TEST(SurveyImport, AFormbricksExportWithTheShippedMapping) {
  const auto model = model::load_default_model();
  ASSERT_TRUE(model.model);
  const auto r =
      import_survey_csv(read_data("formbricks_export.csv"), shipped("formbricks"), *model.model);
  ASSERT_TRUE(r.ok()) << problems_of(r)[0];
  EXPECT_EQ(r.preview.rows, 12u);
  EXPECT_EQ(r.preview.skipped_rows, 2u);  // Finished = No
  EXPECT_EQ(r.preview.respondents, 10u);
  EXPECT_EQ(r.preview.items.size(), model.model->items.size());
  EXPECT_EQ(r.preview.role_column, "1. What is your role?");
  EXPECT_EQ(r.preview.unit_column, "2. Which department do you work in?");
  EXPECT_EQ(r.preview.unmapped_columns,
            std::vector<std::string>{"4. Anything else you want to tell us?"});
  // Both exports hold the same answers (one generator): same respondents' values.
  const auto lime =
      import_survey_csv(read_data("limesurvey_export.csv"), shipped("limesurvey"), *model.model);
  ASSERT_EQ(lime.respondents.size(), r.respondents.size());
  for (std::size_t i = 0; i < r.respondents.size(); ++i) {
    EXPECT_EQ(lime.respondents[i].answers, r.respondents[i].answers) << "respondent " << i;
    EXPECT_EQ(lime.respondents[i].unit, r.respondents[i].unit);
  }
}

}  // namespace
}  // namespace cxm::answers

namespace cxm::answers {
namespace {

core::Model commenting_model() {
  core::Model m = small_model();
  m.competencies[0].comment = "What would help us most?";  // "a" asks; "b" does not
  return m;
}

// LimeSurvey: a question coded with the competency's id has a [comment]
// column; the comment goes with the respondent, normalized.
TEST(SurveyImportComments, LimeSurveyCommentColumnsBecomeComments) {
  const core::Model m = commenting_model();
  const std::string csv =
      "id,submitdate,CX[A2],CX[A3],CX[B2],a[comment],b[comment]\n"
      "1,2026-01-01,A4,A3,A2,\"More time, please.\r\nAnd tools.\",ignored\n"
      "2,2026-01-01,A5,A1,A2,,\n";
  const auto result = import_survey_csv(csv, shipped("limesurvey"), m);
  ASSERT_TRUE(result.ok()) << problems_of(result)[0];
  ASSERT_EQ(result.respondents.size(), 2u);
  ASSERT_EQ(result.respondents[0].comments.size(), 1u);
  EXPECT_EQ(result.respondents[0].comments[0].first, 0u);
  EXPECT_EQ(result.respondents[0].comments[0].second, "More time, please.\nAnd tools.");
  EXPECT_TRUE(result.respondents[1].comments.empty());
  ASSERT_EQ(result.preview.comment_columns.size(), 1u);
  EXPECT_EQ(result.preview.comment_columns[0].item, "a");
  EXPECT_EQ(result.preview.comments, 1u);
  // b asks no comment: its [comment] column is one LimeSurvey adds anyway.
  EXPECT_NE(std::find(result.preview.ignored_columns.begin(), result.preview.ignored_columns.end(),
                      "b[comment]"),
            result.preview.ignored_columns.end());
  // The answers file carries them.
  const auto file = answers_json(result.respondents, m);
  EXPECT_EQ(file["respondents"][0]["comments"]["a"], "More time, please.\nAnd tools.");
  EXPECT_FALSE(file["respondents"][1].contains("comments"));
}

// Formbricks: an open-text question headed by the comment question.
TEST(SurveyImportComments, FormbricksOpenTextQuestionsBecomeComments) {
  const core::Model m = commenting_model();
  const std::string csv =
      "Response ID,Finished,1. We listen to customers.,2. We act on what they say.,"
      "3. Leaders - and everyone else - care.,4. What would help us most?\n"
      "r1,Yes,Agree,Disagree,Agree,Fewer hand-offs.\n";
  const auto result = import_survey_csv(csv, shipped("formbricks"), m);
  ASSERT_TRUE(result.ok()) << problems_of(result)[0];
  ASSERT_EQ(result.respondents[0].comments.size(), 1u);
  EXPECT_EQ(result.respondents[0].comments[0].second, "Fewer hand-offs.");
  EXPECT_TRUE(result.preview.unmapped_columns.empty());
}

TEST(SurveyImportComments, ABadCommentNamesRowAndColumnAndImportsNothing) {
  const core::Model m = commenting_model();
  const auto result = import_survey_csv(
      "id,submitdate,CX[A2],a[comment]\n1,2026-01-01,A4,ok\n2,2026-01-01,A4,\"bell\a\"\n",
      shipped("limesurvey"), m);
  EXPECT_FALSE(result.ok());
  EXPECT_TRUE(result.respondents.empty());
  ASSERT_FALSE(result.problems.empty());
  EXPECT_EQ(format(result.problems[0], "x.csv"),
            "x.csv: row 3, column 4 (D) 'a[comment]': the comment holds a control character "
            "(character 5)");
  // A mapping that names a competency asking no comment question says so.
  const auto wrong = import_survey_csv("id,CX[A2],Note\n1,A4,x\n", mapping_of(R"(
respondent: id
items:
  - pattern: "*[{item}]"
comments:
  - heading: Note
    competency: b
labels: {A4: 4}
)"),
                                       m);
  ASSERT_FALSE(wrong.ok());
  EXPECT_NE(format(wrong.problems[0], "x.csv").find("asks no comment question"), std::string::npos);
}

}  // namespace
}  // namespace cxm::answers

namespace cxm::answers {
namespace {

// The small model in German, as model::parse_translation makes it: the same
// structure with every text replaced.
core::Model german_small_model() {
  core::Model m = small_model();
  m.scale.labels = {"Stimme überhaupt nicht zu", "Stimme nicht zu", "Teils, teils", "Stimme zu",
                    "Stimme voll zu"};
  m.scale.dont_know_label = "Weiß nicht";
  m.items[0].text = "Wir hören Kunden zu.";
  m.items[1].text = "Wir handeln nach dem, was sie sagen.";
  m.items[2].text = "Die Führung – und alle anderen – kümmert es.";
  for (auto& role : m.roles) role.name = "Rolle " + role.id;
  return m;
}

// A German LimeSurvey export ("Full question text", full answers), quoted
// as LimeSurvey quotes every cell.
std::string quoted_german_export() {
  return "\"Antwort ID\",\"Datum Abgeschickt\",\"Letzte Seite\",\"Start-Sprache\",\"Ihre Rolle\","
         "\"Frage [Wir hören Kunden zu.]\",\"Frage [Wir handeln nach dem, was sie sagen.]\","
         "\"Frage [Die Führung – und alle anderen – kümmert es.]\"\n"
         "\"1\",\"2026-04-01 10:00\",\"3\",\"de\",\"\",\"Stimme voll zu\",\"Teils, teils\","
         "\"Weiß nicht\"\n";
}

TEST(SurveyImportLanguages, AGermanExportReadsWithTheModelsGermanTranslation) {
  const std::vector<core::Model> translations{german_small_model()};
  const auto r =
      import_survey_csv(quoted_german_export(), shipped("limesurvey"), kModel, translations);
  ASSERT_TRUE(r.ok()) << problems_of(r)[0];
  EXPECT_EQ(r.preview.respondent_column, "Antwort ID");
  EXPECT_EQ(r.preview.items.size(), 3u);
  ASSERT_EQ(r.respondents.size(), 1u);
  const auto& answers = r.respondents[0].answers;
  ASSERT_EQ(answers.size(), 3u);
  EXPECT_EQ(answers[0], (std::pair<std::size_t, std::optional<int>>{0, 5}));
  EXPECT_EQ(answers[1], (std::pair<std::size_t, std::optional<int>>{1, 3}));
  EXPECT_EQ(answers[2], (std::pair<std::size_t, std::optional<int>>{2, std::nullopt}));
  // LimeSurvey's own German headings are ignored, not left unmapped.
  EXPECT_TRUE(r.preview.unmapped_columns.empty());
}

// Without the translation the German statements and labels mean nothing.
TEST(SurveyImportLanguages, WithoutTheTranslationGermanTextIsNotRead) {
  const auto r = import_survey_csv(quoted_german_export(), shipped("limesurvey"), kModel);
  EXPECT_FALSE(r.ok());
}

TEST(SurveyImportLanguages, GermanRoleNamesAndDontKnowFromTheTranslation) {
  const std::vector<core::Model> translations{german_small_model()};
  const std::string csv =
      "Antwort ID;Datum Abgeschickt;Ihre Rolle;CX[A2];CX[A3];CX[B2]\n"
      "7;2026-04-02;Rolle " +
      kModel.roles.front().id + ";Stimme zu;Weiß nicht;A2\n";
  const auto r = import_survey_csv(csv, shipped("limesurvey"), kModel, translations);
  ASSERT_TRUE(r.ok()) << problems_of(r)[0];
  ASSERT_EQ(r.respondents.size(), 1u);
  EXPECT_EQ(r.respondents[0].role, kModel.roles.front().id);
  EXPECT_EQ(r.respondents[0].answers[0].second, std::optional<int>(4));
  EXPECT_EQ(r.respondents[0].answers[1].second, std::nullopt);
}

}  // namespace
}  // namespace cxm::answers
