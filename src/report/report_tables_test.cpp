#include "report/report_tables.h"

#include <gtest/gtest.h>

#include <map>
#include <nlohmann/json.hpp>
#include <regex>
#include <string>

#include "../../tests/run_process.h"
#include "answers/csv_records.h"
#include "core/cycle_scoring.h"
#include "core/synthetic.h"
#include "model/model_parser.h"
#include "report/csv.h"
#include "report/html_report.h"
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

// Digits after the decimal point of a number as written.
std::size_t decimals(const std::string& number) {
  const std::size_t dot = number.find('.');
  return dot == std::string::npos ? 0 : number.size() - dot - 1;
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
        "benchmark.csv", "change.csv", "role_mix.csv", "actions.csv", "decisions.csv",
        "workshop.csv", "silo.csv", "outside_in.csv"}) {
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
  c.rows = {{"overall", "Overall", 40.0, 50.0, 10.0, 2.0, 18.0, "improved"},
            {"LS", "Leadership", 40.0, 45.0, 5.0, -2.0, 12.0, "no clear change"}};
  c.rows[0].balanced = BalancedChangeRow{
      1.5,
      -3.25,
      6.25,
      "no clear change",
      {{"executive", "Executive", 0.2, 0.5}, {"frontline", "=Frontline", 0.6, 0.3}},
      true,
      "Who answered changed."};
  c.rows[1].balanced_note = "No change at the same mix of roles: fewer than two roles.";
  s.change = c;
  s.actions =
      std::vector<ActionRow>{{"Name an owner, for real", "Ana", "2027-01-31", "planned", "LS"}};
  s.decisions =
      std::vector<DecisionRow>{{"LS2", "We have a strategy", "Line one\nline two", 2, "Disagree"}};
  WorkshopRoundRow moved;
  moved.competency = "Leadership & strategy";
  moved.statement = "We have a strategy";
  moved.mean_before = 3.666666;
  moved.mean_after = 4;
  moved.rwg_before = 0;
  moved.rwg_after = 1;
  moved.words = "The room came closer together";
  WorkshopRoundRow hidden;
  hidden.competency = "Leadership & strategy";
  hidden.statement = "=Leaders listen";
  hidden.hidden = "fewer than 3 ratings in the second round";
  s.workshop = std::vector<WorkshopRoundRow>{moved, hidden};
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
  ASSERT_EQ(tables.size(), 13u);

  const auto parsed = nlohmann::json::parse(doc);
  const auto& competencies = tables["competencies.csv"];
  ASSERT_EQ(competencies.size(), 1 + parsed["competencies"].size());
  for (std::size_t i = 0; i < parsed["competencies"].size(); ++i) {
    const auto& c = parsed["competencies"][i];
    EXPECT_EQ(competencies[i + 1].fields[0], c["id"].get<std::string>());
    // Rounded to 2 decimals, not 60.52599013125329.
    EXPECT_NEAR(std::stod(competencies[i + 1].fields[2]), c["score"].get<double>(), 0.005);
    EXPECT_LE(decimals(competencies[i + 1].fields[2]), 2u) << competencies[i + 1].fields[2];
  }
  const auto& statements = tables["statements.csv"];
  ASSERT_EQ(statements.size(), 1 + parsed["items"].size());
  EXPECT_EQ(statements[0].fields.size(), 14 + parsed["scale"]["labels"].size());
  EXPECT_EQ(statements[0].fields[statements[0].fields.size() - 2], "Answers: Strongly agree");
  EXPECT_EQ(statements[0].fields.back(), "Worded in reverse");
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
  // The change at the same mix of roles beside it, and the roles' shares
  // (numbers; a role's name neutralized like any text).
  EXPECT_EQ(tables["change.csv"][1].fields,
            (std::vector<std::string>{"Spring", "overall", "Overall", "40", "50", "10", "2", "18",
                                      "improved", "1.5", "-3.25", "6.25", "no clear change", "true",
                                      "Who answered changed."}));
  EXPECT_EQ(tables["change.csv"][2].fields[14],
            "No change at the same mix of roles: fewer than two roles.");
  EXPECT_EQ(tables["change.csv"][2].fields[13], "false");
  const auto& mix = tables["role_mix.csv"];
  ASSERT_EQ(mix.size(), 3u);
  EXPECT_EQ(mix[0].fields, (std::vector<std::string>{"Since", "Id", "Name", "Role", "Role name",
                                                     "Share before", "Share after"}));
  EXPECT_EQ(mix[1].fields, (std::vector<std::string>{"Spring", "overall", "Overall", "executive",
                                                     "Executive", "0.2", "0.5"}));
  EXPECT_EQ(mix[2].fields[4], "'=Frontline");
  // The live workshop's before and after (it was on the page only): a
  // hidden statement has no figures, its reason instead.
  const auto& workshop = tables["workshop.csv"];
  ASSERT_EQ(workshop.size(), 3u);
  EXPECT_EQ(workshop[1].fields,
            (std::vector<std::string>{"Leadership & strategy", "We have a strategy", "3.67", "4",
                                      "0", "1", "The room came closer together", ""}));
  EXPECT_EQ(workshop[2].fields,
            (std::vector<std::string>{"Leadership & strategy", "'=Leaders listen", "", "", "", "",
                                      "", "fewer than 3 ratings in the second round"}));
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
    if (t.name == "Benchmark" || t.name == "Change" || t.name == "Role mix" ||
        t.name == "Actions" || t.name == "Decisions" || t.name == "Workshop") {
      EXPECT_TRUE(t.rows.empty()) << t.name;
      EXPECT_EQ(parse(table_csv(t)).size(), 1u) << t.name;
    }
  }
}

TEST(CsvNumber, RoundsToTheGivenDecimalsWithoutTrailingZeros) {
  EXPECT_EQ(csv_number(60.52599013125329, 2), "60.53");
  EXPECT_EQ(csv_number(0.94123456, 3), "0.941");
  EXPECT_EQ(csv_number(62.5, 2), "62.5");
  EXPECT_EQ(csv_number(70.0, 2), "70");
  EXPECT_EQ(csv_number(-0.0001, 2), "0");
  EXPECT_EQ(csv_number(-1.23456, 3), "-1.235");
  EXPECT_EQ(csv_number(40.0, 0), "40");
  EXPECT_EQ(std::stod(csv_number(1e300, 2)), 1e300);  // too long to write fixed: still the number
}

// Issue 23 item 10: Excel reads a CSV file without a byte-order mark in the
// computer's code page (é and ü garbled); statistics at full precision
// (60.52599013125329) read as noise.
TEST(CsvTables, StartWithAByteOrderMarkAndRoundTheirNumbers) {
  const auto model = *model::load_default_model().model;
  ReportContext ctx;
  ctx.organization = "Zoë Müller GmbH";
  ctx.sections = some_sections();
  ctx.sections.actions->push_back({"Schulung für Führungskräfte", "Zoë", "", "in_progress", ""});
  std::vector<Table> tables;
  ASSERT_EQ(report_tables(scored(40, model, 3), ctx, nullptr, tables), "");
  std::map<std::string, std::vector<answers::CsvRecord>> parsed;
  for (const auto& t : tables) {
    const std::string csv = table_csv(t);
    EXPECT_EQ(csv.rfind("\xEF\xBB\xBF", 0), 0u) << t.file;
    EXPECT_NE(csv.substr(3, 1), "\xEF") << "one mark, not two";
    parsed[t.file] = parse(csv);
    // The mark is not part of the first column's name.
    EXPECT_EQ(parsed[t.file][0].fields[0], t.columns[0].name) << t.file;
  }
  EXPECT_EQ(parsed["summary.csv"][1].fields[1], "Zoë Müller GmbH");
  // Statements: mean, median, SD and rwg (statistics) to 3 decimals, the
  // score to 2, counts whole.
  const auto& statements = parsed["statements.csv"];
  bool any_fraction = false;
  for (std::size_t r = 1; r < statements.size(); ++r) {
    const auto& f = statements[r].fields;
    for (std::size_t c : {6u, 7u, 8u, 10u}) {
      EXPECT_LE(decimals(f[c]), 3u) << statements[0].fields[c] << " " << f[c];
      any_fraction = any_fraction || decimals(f[c]) == 3;
    }
    EXPECT_LE(decimals(f[9]), 2u) << f[9];
    EXPECT_EQ(decimals(f[4]), 0u) << f[4];
  }
  EXPECT_TRUE(any_fraction) << "the test data has statistics with 3 decimals";
  // Actions: the due day as YYYY-MM-DD, the status as people say it.
  const auto& actions = parsed["actions.csv"];
  ASSERT_EQ(actions.size(), 3u);
  EXPECT_EQ(actions[1].fields, (std::vector<std::string>{"Name an owner, for real", "Ana",
                                                         "2027-01-31", "Planned", "LS"}));
  EXPECT_EQ(actions[2].fields[3], "In progress");
  EXPECT_EQ(actions[2].fields[2], "");
}

// Issue 23 item 10: a sheet with only a header on a first cycle says why.
TEST(ReportTables, AnEmptyTableSaysWhy) {
  const auto model = *model::load_default_model().model;
  const std::string doc = scored(12, model, 3);
  auto note = [](const std::vector<Table>& tables, const std::string& name) {
    for (const auto& t : tables) {
      if (t.name == name) {
        EXPECT_TRUE(t.rows.empty()) << name;
        return t.empty_note;
      }
    }
    return std::string("no such table");
  };
  // A first cycle on the server: no change, no actions or decisions yet.
  ReportContext server;
  server.organization = "Acme";
  server.from_server = true;
  server.sections.actions.emplace();
  server.sections.decisions.emplace();
  std::vector<Table> first;
  ASSERT_EQ(report_tables(doc, server, nullptr, first), "");
  EXPECT_EQ(note(first, "Change").rfind("No earlier cycle to compare with", 0), 0u);
  EXPECT_EQ(note(first, "Actions"), "No actions in the organization's plan yet.");
  EXPECT_EQ(note(first, "Decisions").rfind("No notes or decisions", 0), 0u);
  EXPECT_EQ(note(first, "Benchmark").rfind("No benchmark", 0), 0u);
  server.sections.benchmark.emplace().withheld = "4 peers in this cut, 5 needed";
  ASSERT_EQ(report_tables(doc, server, nullptr, first), "");
  EXPECT_EQ(note(first, "Benchmark"), "Not shown: 4 peers in this cut, 5 needed");
  // One unit's report, and a report made from a file with `cxm report`.
  ReportContext unit;
  unit.organization = "Acme";
  unit.from_server = true;
  unit.filter = "Unit: Sales";
  std::vector<Table> tables;
  ASSERT_EQ(report_tables(doc, unit, nullptr, tables), "");
  EXPECT_EQ(note(tables, "Change").rfind("Not in the report of one group (Unit: Sales)", 0), 0u);
  ASSERT_EQ(report_tables(doc, ReportContext{}, nullptr, tables), "");
  EXPECT_EQ(note(tables, "Actions").rfind("Not in a report made from a score file", 0), 0u);
  // `cxm report --org` names the organization; the sections are still not
  // there, and the notes say so (they said "No actions ... yet").
  ReportContext named;
  named.organization = "Helios AG";
  ASSERT_EQ(report_tables(doc, named, nullptr, tables), "");
  for (const char* table : {"Actions", "Change", "Benchmark"})
    EXPECT_EQ(note(tables, table).rfind("Not in a report made from a score file", 0), 0u) << table;
  // CSV keeps the header only: its readers expect rows of its columns.
  for (const auto& t : tables) {
    if (t.rows.empty()) {
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

namespace cxm::report {
namespace {

// The comments a score document carries (only those that may be shown):
// one per row of the Comments table, every cell neutralized in CSV; a
// withheld competency has one row saying why; the HTML escapes them.
TEST(CommentsSection, TablesAndPagesShowWhatTheDocumentHoldsNeutralized) {
  const auto model = *model::load_default_model().model;
  auto doc = nlohmann::json::parse(scored(12, model, 3));
  // Without comments: no Comments table (older documents read as before).
  std::vector<Table> tables;
  ASSERT_EQ(report_tables(doc.dump(), ReportContext{}, nullptr, tables), "");
  for (const auto& t : tables) EXPECT_NE(t.name, "Comments");
  doc["comments"] = {{{"competency", "leadership"},
                      {"name", "Leadership & strategy"},
                      {"question", "What would help?"},
                      {"texts", {"=HYPERLINK(\"http://x\")", "Two lines,\nsecond <b>bold</b>"}},
                      {"hidden", {"names <a> colleague"}},
                      {"withheld", nullptr}},
                     {{"competency", "governance"},
                      {"name", "CX governance"},
                      {"question", "Anything else?"},
                      {"texts", nlohmann::json::array()},
                      {"withheld", "fewer than 3 people who answered themselves commented"}}};
  ASSERT_EQ(report_tables(doc.dump(), ReportContext{}, nullptr, tables), "");
  const Table* comments = nullptr;
  for (const auto& t : tables) {
    if (t.name == "Comments") comments = &t;
  }
  ASSERT_NE(comments, nullptr);
  ASSERT_EQ(comments->rows.size(), 4u);
  const auto csv = parse(table_csv(*comments));
  ASSERT_EQ(csv.size(), 5u);
  EXPECT_EQ(csv[1].fields[2], "'=HYPERLINK(\"http://x\")");  // never a formula
  EXPECT_EQ(csv[2].fields[2], "Two lines,\nsecond <b>bold</b>");
  // A hidden comment: a row that says so and why, never its text.
  EXPECT_EQ(csv[3].fields[2], "");
  EXPECT_EQ(csv[3].fields[3], "hidden by a facilitator: names <a> colleague");
  EXPECT_EQ(csv[4].fields[2], "");
  EXPECT_EQ(csv[4].fields[3], "fewer than 3 people who answered themselves commented");
  const auto html = render_html(doc.dump());
  ASSERT_TRUE(html.error.empty()) << html.error;
  EXPECT_NE(html.output.find("<h2>Comments</h2>"), std::string::npos);
  EXPECT_NE(html.output.find("Two lines,<br>second &lt;b&gt;bold&lt;/b&gt;"), std::string::npos);
  EXPECT_NE(html.output.find("Not shown: fewer than 3 people who answered themselves commented."),
            std::string::npos);
  EXPECT_NE(html.output.find("Hidden by a facilitator: names &lt;a&gt; colleague"),
            std::string::npos);
  // A comments entry that is not what the document promises is refused.
  doc["comments"][0]["texts"] = "not a list";
  EXPECT_NE(report_tables(doc.dump(), ReportContext{}, nullptr, tables), "");
}

}  // namespace
}  // namespace cxm::report

namespace cxm::report {
namespace {

// The workbook and its CSV tables in German (issue 26): sheet and column
// names and the summary's rows in German, numbers still numbers with a
// decimal point, the files' names unchanged.
TEST(ReportTables, InGermanNamesSheetsAndColumnsInGerman) {
  const auto model = *model::load_default_model().model;
  const std::string doc = scored(30, model, 3);
  ReportContext ctx;
  ctx.lang = "de";
  std::vector<Table> german;
  ASSERT_EQ(report_tables(doc, ctx, nullptr, german), "");
  std::vector<Table> english;
  ASSERT_EQ(report_tables(doc, ReportContext{}, nullptr, english), "");
  ASSERT_EQ(german.size(), english.size());
  for (std::size_t t = 0; t < german.size(); ++t) {
    EXPECT_EQ(german[t].file, english[t].file);
    EXPECT_LE(german[t].name.size(), 31u) << german[t].name;  // an Excel sheet's name
  }
  EXPECT_EQ(german[0].name, "Übersicht");
  EXPECT_EQ(german[0].columns[0].name, "Was");
  EXPECT_EQ(german[1].name, "Kompetenzen");
  EXPECT_EQ(german[1].columns[1].name, "Kompetenz");
  const std::string csv = table_csv(german[0]);
  EXPECT_NE(csv.find("Befragte,30"), std::string::npos) << csv;
  EXPECT_NE(csv.find("Gruppe,Alle"), std::string::npos) << csv;
  EXPECT_EQ(table_csv(german[1]).find(",Score,"), std::string::npos);
  // Numbers in CSV keep their decimal point.
  EXPECT_TRUE(std::regex_search(table_csv(german[1]), std::regex(R"(,\d+\.\d,)")));
  // No English word left in a column's name or the summary's values.
  for (const auto& table : german) {
    for (const auto& column : table.columns)
      EXPECT_EQ(column.name.rfind("Answers", 0), std::string::npos) << column.name;
  }
  EXPECT_NE(csv.find("Form,vollständig"), std::string::npos) << csv;
}

}  // namespace
}  // namespace cxm::report
