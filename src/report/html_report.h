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

// The organization's branding (SPEC §4): shown on the cover and in every
// page's footer. `logo` holds the bytes of a PNG or JPEG image (checked by
// the store, report/branding.h), `logo_type` its media type; the report
// inlines it as a data: URI, so the page stays one file.
struct Branding {
  std::string consultant;       // the consultant or firm preparing the report
  std::string confidentiality;  // e.g. "Confidential — prepared for Helios AG"
  std::string logo;             // image bytes; empty for none
  std::string logo_type;        // "image/png" or "image/jpeg"
  bool empty() const { return consultant.empty() && confidentiality.empty() && logo.empty(); }
};

// What the score document does not know, when the report comes from a
// cycle on the server, or from `cxm report --org/--consultant/...`.
struct ReportContext {
  std::string organization;
  std::string cycle;
  std::string period;          // e.g. "1 March – 31 March 2027"
  std::string generated_on;    // e.g. "29 November 2026"
  std::string generated_day;   // the same day as YYYY-MM-DD, a date in the workbook
  std::optional<int> invited;  // links handed out: gives the response rate
  int imported = 0;            // respondents in this report imported from a survey tool's export
  bool anonymous = true;
  // Made by the server for a cycle: its sections (benchmark, change, plan,
  // decisions) were looked up. False for `cxm report` on a score file,
  // which has none of them whatever --org names.
  bool from_server = false;
  std::string filter;  // e.g. "Unit: Sales"; empty for everyone
  // The language of the renderers' own words (report/report_text.h): "en"
  // or "de"; the document's model texts are already in it.
  std::string lang = "en";
  ReportSections sections;  // the whole cycle only
  Branding branding;
};

// Renders `document`; the error is always empty.
RenderResult render_html(const ScoreDocument& document, const ReportContext& context = {});

// Renders `score_json` (a document of score_document_json, or a cycle's
// report from the server), read with read_score_document. The error is set
// when it is not a valid score document ("not a complete score document:
// <field path>: <what is wrong>" for a bad field).
RenderResult render_html(std::string_view score_json, const ReportContext& context = {});

// The page shown instead of a report when none can be shown (too few
// respondents, or none yet), with the reason; `title` says which
// ("No report yet", or "Results for this group are hidden"; empty: the
// first, in the context's language).
std::string render_html_notice(const ReportContext& context, const std::string& reason,
                               const std::string& title = "");

}  // namespace cxm::report
