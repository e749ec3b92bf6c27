// `cxm report [--format md|json|text] SCORED.json`: renders a score document
// written earlier by `cxm score --json`.
#include <CLI/CLI.hpp>

#include <iostream>

#include "cli/common.h"
#include "model/model_parser.h"
#include "report/summary_text.h"

namespace cxm::cli {
namespace {

struct ReportOptions {
  std::string path;
  std::string format = "md";
};

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
  return print_score_document(*text, options.format, options.path);
}

}  // namespace

void add_report_command(CLI::App& app, int* status) {
  auto options = std::make_shared<ReportOptions>();
  auto* cmd = app.add_subcommand("report", "Render a score document (from cxm score --json) for people");
  cmd->add_option("SCORED", options->path, "Score document (JSON)")->required();
  cmd->add_option("--format", options->format, "Output: md (default), text or json")
      ->check(CLI::IsMember({"text", "md", "json"}));
  cmd->callback([status, options] { *status = run(*options); });
}

}  // namespace cxm::cli
