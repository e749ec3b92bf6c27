// The printable report: one self-contained HTML file rendered from a score
// document (no external requests: styles inline, charts as inline SVG with
// text alternatives, the system's fonts). A cover, an executive summary in
// plain language, the stage ladder, the competency chart, agreement,
// perception gaps, next-stage gaps, groups, and a methods appendix. It
// prints to a clean PDF from a browser: A4 pages, page numbers, nothing
// cut across a page break.
#pragma once

#include <optional>
#include <string>
#include <string_view>

#include "report/report_sections.h"
#include "report/score_document_types.h"
#include "report/summary_text.h"

namespace cxm::report {

// What the score document does not know, when the report comes from a
// cycle on the server; empty when `cxm report` renders a file.
struct ReportContext {
  std::string organization;
  std::string cycle;
  std::string period;          // e.g. "1 March – 31 March 2027"
  std::string generated_on;    // e.g. "29 November 2026"
  std::string generated_day;   // the same day as YYYY-MM-DD, a date in the workbook
  std::optional<int> invited;  // links handed out: gives the response rate
  int imported = 0;            // respondents in this report imported from a survey tool's export
  bool anonymous = true;
  std::string filter;       // e.g. "Unit: Sales"; empty for everyone
  ReportSections sections;  // the whole cycle only
};

// Renders `document`; the error is always empty.
RenderResult render_html(const ScoreDocument& document, const ReportContext& context = {});

// Renders `score_json` (a document of score_document_json, or a cycle's
// report from the server), read with read_score_document. The error is set
// when it is not a valid score document ("not a complete score document:
// <field path>: <what is wrong>" for a bad field).
RenderResult render_html(std::string_view score_json, const ReportContext& context = {});

// The page shown instead of a report when none can be shown (too few
// respondents, or none yet), with the reason.
std::string render_html_notice(const ReportContext& context, const std::string& reason);

}  // namespace cxm::report
