// `cxm report [--format md|json|text|html|xlsx|csv] [--out FILE|DIR] [--org NAME]
// [--consultant NAME] [--confidentiality TEXT] [--logo FILE] [--lang en|de] SCORED.json`:
// renders a score document written earlier by `cxm score --json`; html is one
// self-contained printable file (report/html_report.h), xlsx a workbook
// (report/xlsx_report.h), csv one file per table into a directory
// (report/report_tables.h).
#include <CLI/CLI.hpp>
#include <fstream>
#include <iostream>

#include "cli/common.h"
#include "model/model_parser.h"
#include "report/branding.h"
#include "report/html_report.h"
#include "report/report_tables.h"
#include "report/report_text.h"
#include "report/summary_text.h"
#include "report/xlsx_report.h"

namespace cxm::cli {
namespace {

struct ReportOptions {
  std::string path;
  std::string format = "md";
  std::string out;  // empty: standard output
  // What the document does not know: the organization and its branding.
  std::string org, consultant, confidentiality, logo;
  // The language of the renderers' own words; the document's model texts
  // are in the language it was scored in.
  std::string lang = "en";
};

// The context that --org, --consultant, --confidentiality and --logo give;
// an error message when the logo cannot be read or is not a PNG or JPEG.
std::string report_context(const ReportOptions& options, report::ReportContext& context) {
  context.organization = options.org;
  context.lang = options.lang;
  context.branding.consultant = options.consultant;
  context.branding.confidentiality = options.confidentiality;
  if (options.logo.empty()) return "";
  std::string error;
  const auto bytes = model::read_file(options.logo, error);
  if (!bytes) return options.logo + ": cannot read the logo: " + error;
  const report::LogoCheck check = report::check_logo(*bytes);
  if (!check.error.empty()) return options.logo + ": " + check.error;
  context.branding.logo = *bytes;
  context.branding.logo_type = check.type;
  return "";
}

int write_output(const std::string& text, const std::string& path) {
  if (path.empty()) {
    std::cout << text;
    std::cout.flush();
    return std::cout.good() ? kExitOk : kExitFailure;
  }
  std::ofstream file(path, std::ios::binary | std::ios::trunc);
  file << text;
  file.close();
  if (!file) {
    std::cerr << "cxm: cannot write " << path << '\n';
    return kExitFailure;
  }
  return kExitOk;
}

int run(const ReportOptions& options) {
  const report::TextScope words(options.lang);
  std::string error;
  const auto text = model::read_file(options.path, error);
  if (!text) {
    std::cerr << options.path << ": cannot read the score document: " << error << '\n';
    return kExitBadInput;
  }
  if (const auto problem = report::check_score_document(*text); !problem.empty()) {
    std::cerr << options.path << ": " << problem << '\n';
    return kExitBadInput;
  }
  report::ReportContext context;
  if (const auto problem = report_context(options, context); !problem.empty()) {
    std::cerr << problem << '\n';
    return kExitBadInput;
  }
  if (options.format == "html") {
    const auto rendered = report::render_html(*text, context);
    if (!rendered.error.empty()) {
      std::cerr << options.path << ": " << rendered.error << '\n';
      return kExitBadInput;
    }
    return write_output(rendered.output, options.out);
  }
  if (options.format == "xlsx") {
    if (options.out.empty()) {
      std::cerr << "cxm: --format xlsx needs --out FILE\n";
      return kExitBadInput;
    }
    if (const auto problem = report::write_xlsx(options.out, *text, context); !problem.empty()) {
      std::cerr << "cxm: " << problem << '\n';
      return kExitFailure;
    }
    return kExitOk;
  }
  if (options.format == "csv") {
    if (options.out.empty()) {
      std::cerr << "cxm: --format csv needs --out DIR (one file per table)\n";
      return kExitBadInput;
    }
    if (const auto problem = report::write_csv_tables(options.out, *text, context);
        !problem.empty()) {
      std::cerr << "cxm: " << problem << '\n';
      return kExitFailure;
    }
    return kExitOk;
  }
  if (!options.out.empty()) {
    std::cerr << "cxm: --out is for --format html, xlsx or csv\n";
    return kExitBadInput;
  }
  return print_score_document(*text, options.format, options.path);
}

}  // namespace

void add_report_command(CLI::App& app, int* status) {
  auto options = std::make_shared<ReportOptions>();
  auto* cmd =
      app.add_subcommand("report", "Render a score document (from cxm score --json) for people");
  cmd->add_option("SCORED", options->path, "Score document (JSON)")->required();
  cmd->add_option("--format", options->format,
                  "Output: md (default), text, json, html (a printable file), xlsx (a workbook; "
                  "needs --out) "
                  "or csv (one file per table into the directory --out)")
      ->check(CLI::IsMember({"text", "md", "json", "html", "xlsx", "csv"}));
  cmd->add_option("--out", options->out,
                  "Write to FILE instead of standard output (html, xlsx); the directory for csv");
  cmd->add_option("--org", options->org,
                  "The organization's name, for the cover and the title (html, xlsx, csv)");
  cmd->add_option("--consultant", options->consultant,
                  "The consultant or firm preparing the report (html, xlsx, csv)");
  cmd->add_option("--confidentiality", options->confidentiality,
                  "A line printed on the cover and at the foot of every page, e.g. "
                  "\"Confidential — prepared for Helios AG\" (html, xlsx, csv)");
  cmd->add_option("--logo", options->logo,
                  "A PNG or JPEG logo of at most 256 kB for the cover (html)");
  cmd->add_option("--lang", options->lang,
                  "The language of the report's own words: en (default) or de; the model's texts "
                  "stay in the language the document was scored in")
      ->check(CLI::IsMember({"en", "de"}));
  cmd->callback([status, options] { *status = run(*options); });
}

}  // namespace cxm::cli
