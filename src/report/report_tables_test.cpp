#include "report/report_tables.h"

#include <gtest/gtest.h>

#include <map>
#include <nlohmann/json.hpp>

#include "../../tests/run_process.h"
#include "answers/csv_records.h"
#include "core/cycle_scoring.h"
#include "core/synthetic.h"
#include "model/model_parser.h"
#include "report/csv.h"
#include "report/score_document.h"

namespace cxm::report {
namespace {

std::string scored(std::size_t people, const core::Model& model, std::uint64_t seed) {
  core::SyntheticProfile profile;
  profile.respondents = people;
  profile.units = {"Sales", "Service"};
  profile.seed = seed;
  return score_document_json(
      model, core::score_cycle(model, core::synthetic_responses(model, profile)), -1);
}

std::vector<answers::CsvRecord> parse(const std::string& text) {
  std::vector<answers::CsvRecord> records;
  int line = 0;
  EXPECT_EQ(answers::read_csv_records(text, records, line), "");
  return records;
}

std::map<std::string, std::vector<answers::CsvRecord>> read_tables(const std::string& dir) {
  std::map<std::string, std::vector<answers::CsvRecord>> out;
  for (const char* file :
       {"summary.csv", "competencies.csv", "statements.csv", "groups.csv", "answers.csv",
        "benchmark.csv", "change.csv", "actions.csv", "decisions.csv"}) {
    const std::string text = cxm::testing::read_text(dir + "/" + file);
    if (!text.empty()) out[file] = parse(text);
  }
  return out;
}

ReportSections some_sections() {
  ReportSections s;
  BenchmarkSection b;
  b.dataset = "Clients, 2025";
  b.source = "Example \"Consulting\"";
  b.citation = "Example Consulting (2025), client assessments";
  b.rows = {{"overall", "Overall", 55.5, 62.5, 12, 50, 40, 60}};
  s.benchmark = b;
  ChangeSection c;
  c.since = "Spring";
  c.rows = {{"overall", "Overall", 40.0, 50.0, 10.0, 2.0, 18.0, "improved"}};
  s.change = c;
  s.actions =
      std::vector<ActionRow>{{"Name an owner, for real", "Ana", "2027-01-31", "planned", "LS"}};
  s.decisions =
      std::vector<DecisionRow>{{"LS2", "We have a strategy", "Line one\nline two", 2, "Disagree"}};
  return s;
}

// Every table read back: the same columns as the workbook's sheet, the
// same values as the document, whatever needs quoting quoted.
// Every CSV cell cxm writes: nothing a spreadsheet would run as a formula,
// in locales whose list separator is a comma or a semicolon.
TEST(CsvField, NoCellIsReadAsAFormula) {
  EXPECT_EQ(report::csv_field("Retail"), "Retail");
  EXPECT_EQ(report::csv_field("=HYPERLINK(\"x\")"), "\"'=HYPERLINK(\"\"x\"\")\"");
  EXPECT_EQ(report::csv_field("@SUM(1+1)"), "'@SUM(1+1)");
  EXPECT_EQ(report::csv_field("+cmd|' /C calc'!A0"), "'+cmd|' /C calc'!A0");
  EXPECT_EQ(report::csv_field("-2"), "'-2");
  EXPECT_EQ(report::csv_field("\tx"), "'\tx");
  EXPECT_EQ(report::csv_field("Ann;@SUM(1+1)"), "\"Ann;@SUM(1+1)\"");
  EXPECT_EQ(report::csv_field("a,b"), "\"a,b\"");
  EXPECT_EQ(report::csv_field("two\nlines"), "\"two\nlines\"");
  EXPECT_EQ(report::csv_field(""), "");
}

TEST(CsvTables, ParseBackWithTheDocumentsValues) {
  const auto model = *model::load_default_model().model;
  const std::string doc = scored(40, model, 3);
  cxm::testing::TempDir dir;
  ReportContext ctx;
  ctx.organization = "Acme, Inc.";
  ctx.sections = some_sections();
  ctx.imported = 12;
  RawAnswers raw;
  raw.item_ids = {"LS2", "LS3"};
  raw.respondents = {{"r1", "executive", "Sales", {4, std::nullopt}}};
  ASSERT_EQ(write_csv_tables(dir.path(), doc, ctx, &raw), "");
  auto tables = read_tables(dir.path());
  ASSERT_EQ(tables.size(), 9u);

  const auto parsed = nlohmann::json::parse(doc);
  const auto& competencies = tables["competencies.csv"];
  ASSERT_EQ(competencies.size(), 1 + parsed["competencies"].size());
  for (std::size_t i = 0; i < parsed["competencies"].size(); ++i) {
    const auto& c = parsed["competencies"][i];
    EXPECT_EQ(competencies[i + 1].fields[0], c["id"].get<std::string>());
    EXPECT_DOUBLE_EQ(std::stod(competencies[i + 1].fields[2]),
                     c["score"].get<double>());  // exact, not rounded
  }
  const auto& statements = tables["statements.csv"];
  ASSERT_EQ(statements.size(), 1 + parsed["items"].size());
  EXPECT_EQ(statements[0].fields.size(), 13 + parsed["scale"]["labels"].size());
  EXPECT_EQ(statements[0].fields.back(), "Answers: Strongly agree");
  for (const auto& row : statements) EXPECT_EQ(row.fields.size(), statements[0].fields.size());
  EXPECT_EQ(tables["summary.csv"][1].fields,
            (std::vector<std::string>{"Organization", "Acme, Inc."}));
  bool imported = false;
  for (const auto& row : tables["summary.csv"]) {
    imported = imported || row.fields == std::vector<std::string>{"Imported respondents", "12"};
  }
  EXPECT_TRUE(imported) << "the summary gives the imported respondents";
  EXPECT_EQ(tables["answers.csv"][1].fields,
            (std::vector<std::string>{"r1", "executive", "Sales", "4", ""}));
  const auto& benchmark = tables["benchmark.csv"];
  ASSERT_EQ(benchmark.size(), 2u);
  EXPECT_EQ(benchmark[1].fields[0], "Clients, 2025");
  EXPECT_EQ(benchmark[1].fields[6], "62.5");
  EXPECT_EQ(benchmark[1].fields[11], "Example \"Consulting\"");
  EXPECT_EQ(tables["decisions.csv"][1].fields[4], "Line one\nline two");
  EXPECT_EQ(tables["change.csv"][1].fields[8], "improved");
}

// The columns of every table depend on the model only: another export of
// the same model with other answers, no sections and no raw answers has
// the same header rows.
TEST(CsvTables, ColumnsAreStableWhateverTheAnswers) {
  const auto model = *model::load_default_model().model;
  ReportContext with;
  with.sections = some_sections();
  std::vector<Table> a, b;
  ASSERT_EQ(report_tables(scored(40, model, 3), with, nullptr, a), "");
  ASSERT_EQ(report_tables(scored(4, model, 9), {}, nullptr, b), "");
  ASSERT_EQ(a.size(), b.size());
  for (std::size_t t = 0; t < a.size(); ++t) {
    EXPECT_EQ(a[t].name, b[t].name);
    EXPECT_EQ(parse(table_csv(a[t]))[0].fields, parse(table_csv(b[t]))[0].fields) << a[t].name;
    EXPECT_EQ(a[t].columns.size(), parse(table_csv(a[t]))[0].fields.size());
  }
  // Empty sections keep their header row and nothing else.
  for (const auto& t : b) {
    if (t.name == "Benchmark" || t.name == "Change" || t.name == "Actions" ||
        t.name == "Decisions") {
      EXPECT_TRUE(t.rows.empty()) << t.name;
      EXPECT_EQ(parse(table_csv(t)).size(), 1u) << t.name;
    }
  }
}

TEST(CsvTables, RefusesWhatIsNotAScoreDocument) {
  cxm::testing::TempDir dir;
  EXPECT_NE(write_csv_tables(dir.path() + "/t", "{}"), "");
  EXPECT_NE(write_csv_tables(dir.path() + "/t", "[1,2"), "");
}

}  // namespace
}  // namespace cxm::report
