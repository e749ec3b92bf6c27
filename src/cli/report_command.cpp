// `cxm report [--format md|json|text|html|xlsx|csv] [--out FILE|DIR] SCORED.json`:
// renders a score document written earlier by `cxm score --json`; html is one
// self-contained printable file (report/html_report.h), xlsx a workbook
// (report/xlsx_report.h), csv one file per table into a directory
// (report/report_tables.h).
#include <CLI/CLI.hpp>
#include <fstream>
#include <iostream>

#include "cli/common.h"
#include "model/model_parser.h"
#include "report/html_report.h"
#include "report/report_tables.h"
#include "report/summary_text.h"
#include "report/xlsx_report.h"

namespace cxm::cli {
namespace {

struct ReportOptions {
  std::string path;
  std::string format = "md";
  std::string out;  // empty: standard output
};

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
  if (options.format == "html") {
    const auto rendered = report::render_html(*text);
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
    if (const auto problem = report::write_xlsx(options.out, *text); !problem.empty()) {
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
    if (const auto problem = report::write_csv_tables(options.out, *text); !problem.empty()) {
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
  cmd->callback([status, options] { *status = run(*options); });
}

}  // namespace cxm::cli
