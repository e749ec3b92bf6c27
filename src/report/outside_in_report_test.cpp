// Outside-in (SPEC section 4.10) as the reports show it: the section of a
// server report's JSON read into the document, then the HTML page,
// Markdown and text, and the Outside-in table of the workbook and the CSV
// files (numbers as numbers, text neutralized).
#include <gtest/gtest.h>

#include <nlohmann/json.hpp>

#include "core/cycle_scoring.h"
#include "core/test_support.h"
#include "report/csv.h"
#include "report/html_report.h"
#include "report/report_tables.h"
#include "report/score_document.h"
#include "report/summary_text.h"

namespace cxm::report {
namespace {

using nlohmann::json;

// What the server adds to a whole cycle's report (results/outside_in.h):
// NPS for everyone and Sales (with a change), Support hidden from the
// delivery gap, CSAT without a figure for the period.
json outside_in() {
  return json::parse(R"J({
    "caveat": "A comparison, not a cause. Bain & Company, \"Closing the Delivery Gap\" (2005): 80% of firms believed they delivered a superior experience; 8% of their customers agreed.",
    "period": {"first": "2026-03-10", "last": "2026-04-20", "figures_from": "2025-09-10"},
    "metrics": [
      {"metric": "nps", "name": "Net Promoter Score", "definition": "Promoters minus detractors.",
       "scale": {"min": -100, "max": 100}, "builtin": true, "synthetic": false, "reason": null,
       "figures": [
         {"unit": null, "period": "2026-04", "value": 10, "normalized": 55, "respondents": 420,
          "source": "=HYPERLINK(\"x\")", "synthetic": false,
          "change": {"since_cycle": "Autumn", "since_period": "2025-10", "before": 4, "change": 6},
          "change_note": null},
         {"unit": "Sales", "period": "2026-04", "value": 0, "normalized": 50, "respondents": 180,
          "source": "Survey", "synthetic": false, "change": null,
          "change_note": "no earlier full cycle with results to compare with"},
         {"unit": "Support", "period": "2026-04", "value": 30, "normalized": 65, "respondents": 90,
          "source": "Survey", "synthetic": false, "change": null, "change_note": null}],
       "missing": []},
      {"metric": "csat", "name": "Customer satisfaction (CSAT)", "definition": "Share satisfied.",
       "scale": {"min": 0, "max": 100}, "builtin": true, "synthetic": true,
       "reason": "no customer figure for this cycle's period", "figures": [],
       "missing": [{"unit": null, "reason": "no customer figure for this cycle's period"}]}],
    "delivery_gap": {
      "statements": ["a2", "b2"], "reason": null,
      "rows": [
        {"metric": "nps", "unit": null, "period": "2026-04", "own": 60, "own_statements": 2,
         "own_respondents": 8, "customers": 55, "customer_value": 10, "customer_respondents": 420,
         "gap": 5, "reason": null},
        {"metric": "nps", "unit": "Sales", "period": "2026-04", "own": 75, "own_statements": 2,
         "own_respondents": 4, "customers": 50, "customer_value": 0, "customer_respondents": 180,
         "gap": 25, "reason": null}],
      "hidden": [{"metric": "nps", "unit": "Support",
                  "reason": "not shown in this cycle's report: fewer than 3 respondents answered"}]}
  })J");
}

std::string document(bool with_section = true) {
  core::Model model = core::testing::make_model(2, {{"a2", "a", 2}, {"b2", "b", 2}});
  model.items[0].themes = {"customer"};
  model.items[1].themes = {"customer"};
  core::Responses r{2};
  for (int i = 0; i < 4; ++i) core::testing::add_respondent(r, {4, 4}, "", "Sales");
  for (int i = 0; i < 4; ++i) core::testing::add_respondent(r, {2, 3}, "", "Service");
  json doc = json::parse(score_document_json(model, core::score_cycle(model, r, 3), -1));
  if (with_section) doc["outside_in"] = outside_in();
  return doc.dump();
}

TEST(OutsideInReport, TheDocumentReadsTheSection) {
  std::string error;
  const auto doc = score_document_from_json(document(), error);
  ASSERT_TRUE(doc) << error;
  ASSERT_TRUE(doc->outside_in);
  const auto& o = *doc->outside_in;
  ASSERT_EQ(o.metrics.size(), 2u);
  EXPECT_EQ(o.metrics[0].figures[0].change, std::optional<double>(6));
  EXPECT_EQ(o.metrics[0].figures[0].since_period, "2025-10");
  EXPECT_EQ(o.metrics[0].figures[1].unit, "Sales");
  EXPECT_EQ(o.metrics[1].missing.size(), 1u);
  ASSERT_EQ(o.rows.size(), 2u);
  EXPECT_EQ(o.rows[1].gap, std::optional<double>(25));
  ASSERT_EQ(o.hidden.size(), 1u);
  EXPECT_EQ(o.hidden[0].unit, "Support");
  // Without the section (a score file, a filtered report): none.
  const auto plain = score_document_from_json(document(false), error);
  ASSERT_TRUE(plain);
  EXPECT_FALSE(plain->outside_in);
  // A wrong field is named.
  json bad = json::parse(document());
  bad["outside_in"]["delivery_gap"]["rows"][0]["own"] = "high";
  EXPECT_FALSE(score_document_from_json(bad.dump(), error));
  EXPECT_NE(error.find("outside_in.delivery_gap.rows[0].own"), std::string::npos) << error;
}

TEST(OutsideInReport, ThePageShowsFiguresGapRespondentsAndTheCaveat) {
  const auto page = render_html(document(), ReportContext{});
  ASSERT_EQ(page.error, "");
  const std::string& html = page.output;
  const auto at = html.find("<h2>Outside-in</h2>");
  ASSERT_NE(at, std::string::npos);
  const std::string section = html.substr(at, html.find("</section>", at) - at);
  EXPECT_NE(section.find("<td class=\"nowrap\">+6 since 2025-10</td>"), std::string::npos)
      << section;
  EXPECT_NE(section.find("Change: since the figure for Autumn"), std::string::npos);
  EXPECT_NE(section.find("<td class=\"n\">10 (420)</td>"), std::string::npos);  // customers
  EXPECT_NE(section.find("<td class=\"n\">60 (8)</td><td class=\"n\">+5</td>"),
            std::string::npos);  // own view (people), gap
  EXPECT_NE(section.find("5 points above the customers&#39; figure"), std::string::npos);
  EXPECT_NE(section.find("25 points above the customers&#39; figure"), std::string::npos);
  EXPECT_NE(section.find("<svg"), std::string::npos);
  EXPECT_NE(section.find("Support (Net Promoter Score): no delivery gap, not shown"),
            std::string::npos);
  EXPECT_NE(section.find("no customer figure for this cycle&#39;s period"), std::string::npos)
      << section;
  EXPECT_NE(section.find("synthetic"), std::string::npos);
  EXPECT_NE(section.find("Bain &amp; Company"), std::string::npos);
  EXPECT_NE(section.find("8% of their customers agreed"), std::string::npos);
  // No section without customer metrics.
  EXPECT_EQ(render_html(document(false), ReportContext{}).output.find("Outside-in"),
            std::string::npos);
}

TEST(OutsideInReport, MarkdownAndTextSayTheSame) {
  for (const auto style : {SummaryStyle::markdown, SummaryStyle::text}) {
    const auto rendered = render_summary(document(), style);
    ASSERT_EQ(rendered.error, "");
    // Paragraphs are wrapped: read them as one line.
    std::string text;
    for (const char c : rendered.output) {
      if (c == '\n' || c == ' ') {
        if (!text.empty() && text.back() != ' ') text += ' ';
      } else {
        text += c;
      }
    }
    EXPECT_NE(text.find("Outside-in"), std::string::npos);
    EXPECT_NE(text.find("+6 since 2025-10 (Autumn)"), std::string::npos) << text;
    EXPECT_NE(text.find("25 points above the customers' figure"), std::string::npos);
    EXPECT_NE(text.find("Whole organization: no customer figure for this cycle's period."),
              std::string::npos);
    EXPECT_NE(text.find("Closing the Delivery Gap"), std::string::npos);
  }
  EXPECT_NE(render_summary(document(), SummaryStyle::markdown).output.find("## Outside-in"),
            std::string::npos);
}

TEST(OutsideInReport, TheTableHasNumbersAsNumbersAndNeutralizedText) {
  std::vector<Table> tables;
  ASSERT_EQ(report_tables(document(), ReportContext{}, nullptr, tables), "");
  const Table* t = nullptr;
  for (const auto& table : tables) {
    if (table.file == "outside_in.csv") t = &table;
  }
  ASSERT_TRUE(t);
  EXPECT_EQ(t->name, "Outside-in");
  // Three figures and the missing CSAT.
  ASSERT_EQ(t->rows.size(), 4u);
  const auto& whole = t->rows[0];
  EXPECT_EQ(whole[1].text, "Whole organization");
  EXPECT_EQ(whole[3].kind, Cell::Kind::number);
  EXPECT_EQ(whole[3].number, 10);
  EXPECT_EQ(whole[10].number, 6);   // change
  EXPECT_EQ(whole[12].number, 60);  // own view
  EXPECT_EQ(whole[14].number, 5);   // gap
  const auto& support = t->rows[2];
  EXPECT_EQ(support[1].text, "Support");
  EXPECT_EQ(support[12].kind, Cell::Kind::empty);  // no own view of a hidden unit
  EXPECT_NE(support[15].text.find("not shown in this cycle's report"), std::string::npos);
  EXPECT_EQ(t->rows[3][15].text, "no customer figure for this cycle's period");
  // A missing figure is neither synthetic nor real: its flag is empty.
  EXPECT_EQ(t->rows[3][9].text, "");
  EXPECT_NE(t->rows[3][9].kind, Cell::Kind::flag);
  const std::string csv = table_csv(*t);
  EXPECT_NE(csv.find("\"'=HYPERLINK(\"\"x\"\")\""), std::string::npos) << csv;
  // The caveat is in the Summary table.
  bool caveat = false;
  for (const auto& table : tables) {
    if (table.name != "Summary") continue;
    for (const auto& row : table.rows) caveat = caveat || row[0].text.find("Outside-in") == 0;
  }
  EXPECT_TRUE(caveat);
}

}  // namespace
}  // namespace cxm::report
