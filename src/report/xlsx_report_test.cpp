#include "report/xlsx_report.h"

#include <gtest/gtest.h>
#include <zlib.h>

#include <cstring>
#include <fstream>
#include <map>
#include <nlohmann/json.hpp>
#include <regex>
#include <sstream>

#include "../../tests/run_process.h"
#include "core/cycle_scoring.h"
#include "core/synthetic.h"
#include "model/model_parser.h"
#include "report/score_document.h"

namespace cxm::report {
namespace {

// The files of a ZIP archive (an .xlsx), read back to check what was
// written: the central directory, then each entry stored or deflated.
std::map<std::string, std::string> unzip(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  const std::string zip((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
  auto u16 = [&](std::size_t at) {
    return static_cast<unsigned>(static_cast<unsigned char>(zip[at]) |
                                 static_cast<unsigned char>(zip[at + 1]) << 8);
  };
  auto u32 = [&](std::size_t at) { return u16(at) | u16(at + 2) << 16; };
  std::map<std::string, std::string> files;
  const std::size_t end = zip.rfind(std::string("PK\x05\x06", 4));
  if (end == std::string::npos) return files;
  std::size_t at = u32(end + 16);
  for (unsigned n = u16(end + 10); n > 0; --n) {
    const unsigned method = u16(at + 10), packed = u32(at + 20), size = u32(at + 24);
    const unsigned name_len = u16(at + 28), extra = u16(at + 30), comment = u16(at + 32),
                   local = u32(at + 42);
    const std::string name = zip.substr(at + 46, name_len);
    const std::size_t data = local + 30 + u16(local + 26) + u16(local + 28);
    std::string out(size, '\0');
    if (method == 0) {
      out = zip.substr(data, size);
    } else {
      z_stream z{};
      inflateInit2(&z, -15);
      z.next_in = reinterpret_cast<Bytef*>(const_cast<char*>(zip.data() + data));
      z.avail_in = packed;
      z.next_out = reinterpret_cast<Bytef*>(out.data());
      z.avail_out = size;
      inflate(&z, Z_FINISH);
      inflateEnd(&z);
    }
    files[name] = out;
    at += 46 + name_len + extra + comment;
  }
  return files;
}

std::string scored(std::size_t people, const core::Model& model) {
  core::SyntheticProfile profile;
  profile.respondents = people;
  profile.units = {"Sales", "Service"};
  profile.seed = 11;
  return score_document_json(
      model, core::score_cycle(model, core::synthetic_responses(model, profile)), -1);
}

// The cells of one sheet's row, as the XML has them.
std::vector<std::string> row_cells(const std::string& sheet, int row) {
  const std::regex row_re("<row r=\"" + std::to_string(row) + "\"[^>]*>(.*?)</row>");
  std::smatch m;
  if (!std::regex_search(sheet, m, row_re)) return {};
  std::vector<std::string> cells;
  const std::string body = m[1];
  const std::regex cell_re("<c [^>]*?(/>|>.*?</c>)");
  for (std::sregex_iterator it(body.begin(), body.end(), cell_re), e; it != e; ++it)
    cells.push_back(it->str());
  return cells;
}

TEST(Xlsx, SheetsWithNumbersAsNumbersFrozenHeadersAndStableColumns) {
  const auto model = *model::load_default_model().model;
  cxm::testing::TempDir dir;
  ReportContext ctx;
  ctx.organization = "Acme";
  ctx.invited = 50;
  const std::string path = dir.path() + "/r.xlsx";
  ASSERT_EQ(write_xlsx(path, scored(40, model), ctx), "");
  auto files = unzip(path);
  ASSERT_TRUE(files.contains("xl/workbook.xml"));
  const std::string& workbook = files["xl/workbook.xml"];
  for (const char* sheet : {"Summary", "Competencies", "Statements", "Groups"}) {
    EXPECT_NE(workbook.find("name=\"" + std::string(sheet) + "\""), std::string::npos) << sheet;
  }
  EXPECT_EQ(workbook.find("name=\"Answers\""), std::string::npos);  // none were given
  const std::string& competencies = files["xl/worksheets/sheet2.xml"];
  EXPECT_NE(competencies.find("state=\"frozen\""), std::string::npos);
  EXPECT_NE(competencies.find("<cols>"), std::string::npos);
  // Seven competencies, each with its score as a number (no t="s" text).
  for (int row = 2; row <= 8; ++row) {
    const auto cells = row_cells(competencies, row);
    ASSERT_GE(cells.size(), 3u) << row;
    EXPECT_NE(cells[0].find("t=\"s\""), std::string::npos);           // the id is text
    EXPECT_EQ(cells[2].find("t=\""), std::string::npos) << cells[2];  // the score is a number
    EXPECT_NE(cells[2].find("<v>"), std::string::npos);
  }
  EXPECT_TRUE(row_cells(competencies, 9).empty());
  // The response rate is a number with a percent format: 40 of 50.
  EXPECT_NE(files["xl/worksheets/sheet1.xml"].find("<v>0.8</v>"), std::string::npos);

  // Another export of the same model with other answers: the same columns.
  const std::string other = dir.path() + "/other.xlsx";
  ASSERT_EQ(write_xlsx(other, scored(7, model)), "");
  auto again = unzip(other);
  for (const char* sheet :
       {"xl/worksheets/sheet2.xml", "xl/worksheets/sheet3.xml", "xl/worksheets/sheet4.xml"}) {
    EXPECT_EQ(row_cells(files[sheet], 1).size(), row_cells(again[sheet], 1).size()) << sheet;
  }
  EXPECT_EQ(files["xl/sharedStrings.xml"].find("Answers: Strongly agree") != std::string::npos,
            true);
}

// The Competencies sheet ends with the organization's target stage (a
// number, blank when none); the summary states the roll-up and the scope.
TEST(Xlsx, TargetStagesAndScope) {
  const auto model = *model::load_default_model().model;
  cxm::testing::TempDir dir;
  nlohmann::json doc = nlohmann::json::parse(scored(40, model));
  for (auto& c : doc["competencies"]) c["target_stage"] = nullptr;
  doc["competencies"][0]["target_stage"] = 5;
  doc["out_of_scope"] = nlohmann::json::array(
      {{{"id", "LS2"}, {"text", "Said openly"}, {"reason", "No executives"}}});
  const std::string path = dir.path() + "/t.xlsx";
  ASSERT_EQ(write_xlsx(path, doc.dump(), ReportContext{}), "");
  auto files = unzip(path);
  const std::string& competencies = files["xl/worksheets/sheet2.xml"];
  // Column J: the header, the first competency's target as a number, then blank.
  auto cell = [&](const std::string& ref) {
    std::smatch m;
    const std::regex re("<c r=\"" + ref + "\"[^>]*?(/>|>.*?</c>)");
    return std::regex_search(competencies, m, re) ? m.str() : std::string();
  };
  EXPECT_NE(cell("J1").find("t=\"s\""), std::string::npos);
  EXPECT_NE(files["xl/sharedStrings.xml"].find("Target stage"), std::string::npos);
  EXPECT_NE(cell("J2").find("<v>5</v>"), std::string::npos) << cell("J2");
  EXPECT_EQ(cell("J2").find("t=\""), std::string::npos);  // a number
  EXPECT_EQ(cell("J3"), "");                              // no target: blank
  EXPECT_NE(files["xl/sharedStrings.xml"].find("Out of scope: LS2"), std::string::npos);
  EXPECT_NE(files["xl/sharedStrings.xml"].find("Stage roll-up"), std::string::npos);
}

TEST(Xlsx, AnswersOnlyWhenGiven) {
  const auto model = *model::load_default_model().model;
  cxm::testing::TempDir dir;
  RawAnswers raw;
  raw.item_ids = {"LS2", "LS3"};
  raw.respondents = {{"r1", "executive", "Sales", {4, std::nullopt}},
                     {"r2", "manager", "", {2, 5}}};
  const std::string path = dir.path() + "/r.xlsx";
  ASSERT_EQ(write_xlsx(path, scored(12, model), {}, &raw), "");
  auto files = unzip(path);
  EXPECT_NE(files["xl/workbook.xml"].find("name=\"Answers\""), std::string::npos);
  const std::string& answers = files["xl/worksheets/sheet5.xml"];
  const auto first = row_cells(answers, 2);
  ASSERT_EQ(first.size(), 4u);  // r1, role, unit, LS2 (LS3 empty: no answer)
  EXPECT_NE(first[3].find("<v>4</v>"), std::string::npos);
}

// The number format of a cell's style (s="N"): its cellXfs entry's
// numFmtId, looked up among the workbook's own formats; "" for none.
std::string number_format(std::map<std::string, std::string>& files, const std::string& cell) {
  std::smatch m;
  if (!std::regex_search(cell, m, std::regex(" s=\"(\\d+)\""))) return "";
  const std::size_t index = std::stoul(m[1]);
  const std::string& styles = files["xl/styles.xml"];
  const std::size_t xfs = styles.find("<cellXfs");
  if (xfs == std::string::npos) return "";
  const std::string list = styles.substr(xfs, styles.find("</cellXfs>", xfs) - xfs);
  const std::regex xf_re("<xf [^>]*numFmtId=\"(\\d+)\"");
  std::size_t n = 0;
  for (std::sregex_iterator it(list.begin(), list.end(), xf_re), e; it != e; ++it, ++n) {
    if (n != index) continue;
    const std::string id = (*it)[1];
    std::smatch f;
    if (std::regex_search(styles, f,
                          std::regex("<numFmt numFmtId=\"" + id + "\" formatCode=\"([^\"]*)\""))) {
      return f[1];
    }
    return "builtin " + id;
  }
  return "";
}

// One cell by reference ("C2") in a sheet's XML, or "".
std::string cell_at(const std::string& sheet, const std::string& ref) {
  std::smatch m;
  const std::regex re("<c r=\"" + ref + "\"[^>]*?(/>|>.*?</c>)");
  return std::regex_search(sheet, m, re) ? m.str() : std::string();
}

// Issue 23 item 10: what a consultant saw in Excel, LibreOffice and a PDF
// of the workbook: dates as text, statuses as ids, no filters, 32 pages.
TEST(Xlsx, DatesAreDatesStatusesAreWordsSheetsFilterAndPrintOnePageWide) {
  const auto model = *model::load_default_model().model;
  cxm::testing::TempDir dir;
  ReportContext ctx;
  ctx.organization = "Acme";
  ctx.from_server = true;
  ctx.generated_on = "7 December 2026";
  ctx.generated_day = "2026-12-07";
  ctx.sections.actions = std::vector<ActionRow>{
      {"Name an owner", "Ana", "2027-01-31", "in_progress", "LS"}, {"Undated", "", "", "done", ""}};
  ctx.sections.decisions.emplace();
  const std::string path = dir.path() + "/r.xlsx";
  ASSERT_EQ(write_xlsx(path, scored(40, model), ctx), "");
  auto files = unzip(path);
  const std::string& workbook = files["xl/workbook.xml"];
  const std::string& strings = files["xl/sharedStrings.xml"];

  // Actions (sheet 7): the due day is a date (a serial number with a date
  // format), the status a word; no due day, no cell.
  const std::string& actions = files["xl/worksheets/sheet7.xml"];
  const std::string due = cell_at(actions, "C2");
  EXPECT_NE(due.find("<v>46418</v>"), std::string::npos) << due;  // 31 January 2027
  EXPECT_EQ(due.find("t=\""), std::string::npos) << due;
  EXPECT_EQ(number_format(files, due), "d mmm yyyy");
  EXPECT_EQ(cell_at(actions, "C3"), "");
  EXPECT_NE(cell_at(actions, "D2").find("t=\"s\""), std::string::npos);
  EXPECT_NE(strings.find(">In progress<"), std::string::npos);
  EXPECT_NE(strings.find(">Done<"), std::string::npos);
  EXPECT_EQ(strings.find("in_progress"), std::string::npos);
  // The summary's "Made on" is a date too.
  const std::string& summary = files["xl/worksheets/sheet1.xml"];
  const std::regex made_on("<c r=\"B\\d+\"[^>]*><v>46363</v></c>");
  std::smatch m;
  ASSERT_TRUE(std::regex_search(summary, m, made_on)) << "7 December 2026 as a date";
  EXPECT_EQ(number_format(files, m.str()), "d mmm yyyy");

  for (int n = 1; n <= 8; ++n) {
    const std::string name = "sheet" + std::to_string(n);
    const std::string& sheet = files["xl/worksheets/" + name + ".xml"];
    ASSERT_FALSE(sheet.empty()) << name;
    // A filter on the header of every table (not on the summary's list).
    EXPECT_EQ(sheet.find("<autoFilter ref=\"A1:") != std::string::npos, n > 1) << name;
    // Printed on A4, one page wide and as many long as it takes, with
    // gridlines, the header row repeated on every page.
    EXPECT_NE(sheet.find("<pageSetUpPr fitToPage=\"1\"/>"), std::string::npos) << name;
    EXPECT_NE(sheet.find("<pageSetup paperSize=\"9\""), std::string::npos) << name;
    EXPECT_NE(sheet.find("fitToHeight=\"0\""), std::string::npos) << name;
    EXPECT_EQ(sheet.find("fitToWidth="), std::string::npos) << name;  // 1, the default
    EXPECT_NE(sheet.find("<printOptions gridLines=\"1\"/>"), std::string::npos) << name;
    EXPECT_NE(sheet.find("state=\"frozen\""), std::string::npos) << name;
    EXPECT_NE(sheet.find("Page &amp;P of &amp;N"), std::string::npos) << name;
  }
  // Landscape where the columns are wide (statements), not where narrow (summary).
  EXPECT_NE(files["xl/worksheets/sheet3.xml"].find("orientation=\"landscape\""), std::string::npos);
  EXPECT_EQ(summary.find("orientation=\"landscape\""), std::string::npos);
  // The header row repeats: a print title per sheet.
  std::size_t titles = 0;
  for (std::size_t at = workbook.find("_xlnm.Print_Titles"); at != std::string::npos;
       at = workbook.find("_xlnm.Print_Titles", at + 1)) {
    ++titles;
  }
  EXPECT_EQ(titles, 12u);
  EXPECT_NE(workbook.find("Statements!$1:$1"), std::string::npos) << workbook;

  // A sheet with no rows says why in one line; a table with rows has no such line.
  EXPECT_NE(cell_at(files["xl/worksheets/sheet6.xml"], "A2").find("t=\"s\""), std::string::npos);
  EXPECT_NE(strings.find("No earlier cycle to compare with"), std::string::npos);
  EXPECT_NE(strings.find("No notes or decisions recorded"), std::string::npos);
  EXPECT_EQ(strings.find("No actions in the organization"), std::string::npos);
  // A statement's text wraps within its column rather than running off the page.
  EXPECT_EQ(number_format(files, cell_at(files["xl/worksheets/sheet3.xml"], "D2")), "builtin 0");
  EXPECT_NE(files["xl/styles.xml"].find("wrapText=\"1\""), std::string::npos);
}

TEST(Xlsx, RefusesWhatIsNotAScoreDocument) {
  cxm::testing::TempDir dir;
  EXPECT_NE(write_xlsx(dir.path() + "/x.xlsx", "{}"), "");
  EXPECT_NE(write_xlsx(dir.path() + "/x.xlsx", "[1,2"), "");
}

// A long consultant's name is cut to the header's 100 bytes between whole
// pairs of '&': one '&' left alone would join the footer's "&R" code and
// print "&RPage" as text. (The cut fell between the two '&' of a pair.)
TEST(Xlsx, ALongPrintHeaderIsCutBetweenWholeCharacters) {
  const auto model = *model::load_default_model().model;
  ReportContext ctx;
  // "Prepared by " (12) + 87 x is 99 bytes: the '&' pair would end at 101.
  ctx.branding.consultant = std::string(87, 'x') + "&\u00e9";
  cxm::testing::TempDir dir;
  const std::string path = dir.path() + "/r.xlsx";
  ASSERT_EQ(write_xlsx(path, scored(40, model), ctx), "");
  auto files = unzip(path);
  const std::string& sheet = files["xl/worksheets/sheet1.xml"];
  const std::string header =
      "<oddHeader>&amp;RPrepared by " + std::string(87, 'x') + "</oddHeader>";
  EXPECT_NE(sheet.find(header), std::string::npos)
      << sheet.substr(sheet.find("<headerFooter"), 300);
}

}  // namespace
}  // namespace cxm::report

namespace cxm::report {
namespace {

// SPEC section 8: text a facilitator typed (here unit names) that a
// spreadsheet would take for a formula is written with a ' before it.
TEST(Xlsx, TextThatLooksLikeAFormulaIsNeverOne) {
  const auto model = *model::load_default_model().model;
  core::SyntheticProfile profile;
  profile.respondents = 40;
  profile.units = {"=1+2", "@SUM(1+1)", "-3", "+cmd"};
  profile.seed = 11;
  const std::string doc = score_document_json(
      model, core::score_cycle(model, core::synthetic_responses(model, profile)), -1);
  cxm::testing::TempDir dir;
  const std::string path = dir.path() + "/r.xlsx";
  ASSERT_EQ(write_xlsx(path, doc, ReportContext{}), "");
  auto files = unzip(path);
  const std::string& strings = files["xl/sharedStrings.xml"];
  for (const char* unit : {"=1+2", "@SUM(1+1)", "-3", "+cmd"}) {
    EXPECT_NE(strings.find(std::string(">'") + unit + "<"), std::string::npos) << unit;
    EXPECT_EQ(strings.find(std::string(">") + unit + "<"), std::string::npos) << unit;
  }
}

// The branding at the top of the summary sheet and in every sheet's print
// header and footer ('&' doubled there: it starts a code).
TEST(Xlsx, BrandingOnTheSummaryAndEveryPrintedPage) {
  const auto model = *model::load_default_model().model;
  ReportContext ctx;
  ctx.organization = "Helios AG";
  ctx.branding.consultant = "Acme & Partners";
  ctx.branding.confidentiality = "Confidential — prepared for Helios AG";
  cxm::testing::TempDir dir;
  const std::string path = dir.path() + "/r.xlsx";
  ASSERT_EQ(write_xlsx(path, scored(40, model), ctx), "");
  auto files = unzip(path);
  const std::string& strings = files["xl/sharedStrings.xml"];
  for (const char* text : {"Prepared by", "Acme &amp; Partners", "Confidentiality",
                           "Confidential — prepared for Helios AG"}) {
    EXPECT_NE(strings.find(text), std::string::npos) << text;
  }
  for (const auto& [name, xml] : files) {
    if (name.rfind("xl/worksheets/sheet", 0) != 0) continue;
    EXPECT_NE(xml.find("<oddHeader>&amp;LHelios AG&amp;RPrepared by Acme &amp;&amp; "
                       "Partners</oddHeader>"),
              std::string::npos)
        << name;
    EXPECT_NE(xml.find("<oddFooter>&amp;LConfidential — prepared for Helios AG&amp;RPage "
                       "&amp;P of &amp;N</oddFooter>"),
              std::string::npos)
        << name;
  }
}

}  // namespace
}  // namespace cxm::report

namespace cxm::report {
namespace {

// The Outside-in sheet (SPEC section 4.10): the customers' figures and the
// delivery gap as numbers, every text cell neutralized.
TEST(Xlsx, OutsideInSheetHasNumbersAsNumbers) {
  const auto model = *model::load_default_model().model;
  cxm::testing::TempDir dir;
  nlohmann::json doc = nlohmann::json::parse(scored(12, model));
  doc["outside_in"] = nlohmann::json::parse(R"J({
    "caveat": "A comparison, not a cause.",
    "period": {"first": "2026-03-10", "last": "2026-04-20", "figures_from": "2025-09-10"},
    "metrics": [{"metric": "nps", "name": "Net Promoter Score", "definition": "d",
      "scale": {"min": -100, "max": 100}, "builtin": true, "synthetic": false, "reason": null,
      "figures": [{"unit": null, "period": "2026-04", "value": 12.5, "normalized": 56.25,
        "respondents": 421, "source": "@SUM(1+1)", "synthetic": false, "change": null,
        "change_note": null}], "missing": []}],
    "delivery_gap": {"statements": ["LS2"], "reason": null, "hidden": [],
      "rows": [{"metric": "nps", "unit": null, "period": "2026-04", "own": 61.5,
        "own_statements": 1, "own_respondents": 12, "customers": 56.25, "customer_value": 12.5,
        "customer_respondents": 421, "gap": 5.25, "reason": null}]}})J");
  const std::string path = dir.path() + "/o.xlsx";
  ASSERT_EQ(write_xlsx(path, doc.dump(), ReportContext{}), "");
  auto files = unzip(path);
  EXPECT_NE(files["xl/workbook.xml"].find("name=\"Outside-in\""), std::string::npos);
  std::string sheet;
  for (const auto& [name, content] : files) {
    if (name.rfind("xl/worksheets/", 0) == 0 && content.find("<v>421</v>") != std::string::npos)
      sheet = content;
  }
  ASSERT_FALSE(sheet.empty()) << "the customers behind the figure, as a number";
  EXPECT_NE(sheet.find("<v>12.5</v>"), std::string::npos);
  EXPECT_NE(sheet.find("<v>5.25</v>"), std::string::npos);
  EXPECT_NE(files["xl/sharedStrings.xml"].find("'@SUM(1+1)"), std::string::npos);
  EXPECT_EQ(files["xl/sharedStrings.xml"].find(">@SUM"), std::string::npos);
}

}  // namespace
}  // namespace cxm::report
