// The evidence rule, statements worded in reverse and the silo score as the
// reports show them: HTML, Markdown and text, and the tables of the
// workbook and the CSV files.
#include <gtest/gtest.h>

#include <nlohmann/json.hpp>

#include "core/cycle_scoring.h"
#include "core/test_support.h"
#include "report/html_report.h"
#include "report/report_tables.h"
#include "report/score_document.h"
#include "report/summary_text.h"

namespace cxm::report {
namespace {

// Silo statements a3 and b2 (b2 worded in reverse). Stage 3 of the
// organization rests on a3 alone (b3 has 2 answers of 8, b3x none: with a
// minimum group of 3 they count for no stage), so the verdict is marked
// "too few answers to be sure". Units: Service (3) and Sales (3) shown,
// Tiny (2) hidden.
std::string document() {
  core::Model model = core::testing::make_model(
      3, {{"a2", "a", 2}, {"a3", "a", 3}, {"b2", "b", 2}, {"b3", "b", 3}, {"b3x", "b", 3}});
  model.items[1].themes = {"silo"};
  model.items[2].themes = {"silo"};
  model.items[2].reverse = true;
  model.items[2].text = "Our targets push us against customers";
  core::Responses r{5};
  const std::optional<int> na;
  core::testing::add_respondent(r, {4, 4, 2, 5, na}, "", "Service");
  core::testing::add_respondent(r, {5, 4, 1, 5, na}, "", "Service");
  core::testing::add_respondent(r, {4, 3, 2, na, na}, "", "Service");
  core::testing::add_respondent(r, {4, 2, 2, na, na}, "", "Sales");
  core::testing::add_respondent(r, {4, 1, 1, na, na}, "", "Sales");
  core::testing::add_respondent(r, {4, 2, 1, na, na}, "", "Sales");
  core::testing::add_respondent(r, {1, 5, 5, na, na}, "", "Tiny");
  core::testing::add_respondent(r, {1, 5, 5, na, na}, "", "Tiny");
  return score_document_json(model, core::score_cycle(model, r, 3), -1);
}

ScoreDocument typed() {
  std::string error;
  auto doc = score_document_from_json(document(), error);
  EXPECT_TRUE(doc) << error;
  return *doc;
}

TEST(EvidenceReport, TheDocumentMarksTheStageAndNamesOnlyShownUnits) {
  const ScoreDocument doc = typed();
  ASSERT_TRUE(doc.stage);
  EXPECT_TRUE(doc.stage->indicative);
  ASSERT_TRUE(doc.silo);
  ASSERT_EQ(doc.silo->units.size(), 2u);
  EXPECT_EQ(doc.silo->units[0].name, "Service");
  EXPECT_EQ(doc.silo->units[1].name, "Sales");
  EXPECT_TRUE(doc.silo->spread);
}

TEST(EvidenceReport, HtmlSaysTooFewAnswersWordedInReverseAndTheSiloScore) {
  const auto page = render_html(typed(), {}).output;
  EXPECT_NE(page.find("too few answers to be sure"), std::string::npos);
  EXPECT_NE(page.find("Dashed: too few answers to be sure"), std::string::npos);
  EXPECT_NE(page.find("<h2>Silo score</h2>"), std::string::npos);
  EXPECT_NE(page.find("how far people see departments working together"), std::string::npos);
  EXPECT_NE(page.find("<td>Service</td>"), std::string::npos);
  EXPECT_NE(page.find("<td>Sales</td>"), std::string::npos);
  // The hidden unit is in the groups table with its reason, never with a silo score.
  const auto silo = page.substr(page.find("<h2>Silo score</h2>"));
  EXPECT_EQ(silo.substr(0, silo.find("</section>")).find("Tiny"), std::string::npos);
  EXPECT_NE(page.find("points apart in their overall scores"), std::string::npos);
  EXPECT_NE(page.find("are scored reversed"), std::string::npos);  // methods
}

TEST(EvidenceReport, MarkdownAndTextSayItToo) {
  for (const auto style : {SummaryStyle::markdown, SummaryStyle::text}) {
    const auto text = render_summary(typed(), style).output;
    EXPECT_NE(text.find("too few answers to be sure"), std::string::npos);
    EXPECT_NE(text.find("Silo score"), std::string::npos);
    EXPECT_NE(text.find("Service"), std::string::npos);
    EXPECT_NE(text.find("how far people see departments working together"), std::string::npos);
    // b2, worded in reverse (65.6), is among the weakest statements (lines
    // wrapped at 78 columns, joined again here).
    std::string joined;
    for (char c : text) {
      if (c == '\n' || c == ' ') {
        if (!joined.empty() && joined.back() != ' ') joined += ' ';
      } else {
        joined += c;
      }
    }
    EXPECT_NE(joined.find("b2: Our targets push us against customers (worded in reverse, scored "
                          "reversed)"),
              std::string::npos)
        << text;
  }
}

TEST(EvidenceReport, TablesCarryTheFlagsAndTheSiloSheet) {
  const auto tables = report_tables(typed(), {}, nullptr);
  const Table* silo = nullptr;
  const Table* statements = nullptr;
  const Table* competencies = nullptr;
  const Table* summary = nullptr;
  for (const auto& t : tables) {
    if (t.file == "silo.csv") silo = &t;
    if (t.file == "statements.csv") statements = &t;
    if (t.file == "competencies.csv") competencies = &t;
    if (t.file == "summary.csv") summary = &t;
  }
  ASSERT_TRUE(silo && statements && competencies && summary);
  ASSERT_EQ(silo->rows.size(), 3u);  // everyone, Service, Sales
  EXPECT_EQ(silo->rows[0][0].text, "Everyone");
  EXPECT_EQ(silo->rows[1][0].text, "Service");
  EXPECT_EQ(silo->rows[2][0].text, "Sales");
  EXPECT_EQ(statements->columns.back().name, "Worded in reverse");
  EXPECT_TRUE(statements->rows[2].back().flag);
  EXPECT_FALSE(statements->rows[1].back().flag);
  EXPECT_EQ(competencies->columns.back().name, "Too few answers to be sure");
  bool evidence = false;
  for (const auto& row : summary->rows) {
    if (row[0].text == "Stage evidence") evidence = row[1].text == "too few answers to be sure";
  }
  EXPECT_TRUE(evidence);
}

}  // namespace
}  // namespace cxm::report
