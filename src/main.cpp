// cxm: customer-experience maturity assessment. Wiring only: the
// subcommands live in src/cli/.
#include <spdlog/sinks/stdout_sinks.h>
#include <spdlog/spdlog.h>

#include <CLI/CLI.hpp>
#include <exception>
#include <iostream>

#include "cli/common.h"

int main(int argc, char** argv) {
  // Standard output is each command's result (JSON, CSV, a report): what is
  // logged goes to standard error.
  spdlog::set_default_logger(spdlog::stderr_logger_mt("cli"));
  CLI::App app{"cxm: measure, discuss and track customer-experience maturity", "cxm"};
  app.set_version_flag("--version", "cxm " CXM_VERSION);
  app.require_subcommand(1);
  app.failure_message([](const CLI::App*, const CLI::Error& e) {
    return std::string("cxm: ") + e.what() + " (see cxm --help)\n";
  });

  int status = cxm::cli::kExitOk;
  cxm::cli::add_model_command(app, &status);
  cxm::cli::add_score_command(app, &status);
  cxm::cli::add_report_command(app, &status);
  cxm::cli::add_assess_command(app, &status);
  cxm::cli::add_serve_command(app, &status);
  cxm::cli::add_user_command(app, &status);
  cxm::cli::add_demo_command(app, &status);
  cxm::cli::add_backup_command(app, &status);
  cxm::cli::add_plan_command(app, &status);
  cxm::cli::add_progress_command(app, &status);
  cxm::cli::add_benchmark_command(app, &status);
  cxm::cli::add_due_command(app, &status);
  cxm::cli::add_import_command(app, &status);
  cxm::cli::add_org_transfer_commands(app, &status);
  cxm::cli::add_metrics_command(app, &status);

  try {
    app.parse(argc, argv);
  } catch (const CLI::ParseError& e) {
    // --help and --version are "errors" with status 0; every real usage
    // error is bad input.
    return app.exit(e) == 0 ? cxm::cli::kExitOk : cxm::cli::kExitBadInput;
  } catch (const std::exception& e) {
    std::cerr << "cxm: internal error: " << e.what() << '\n';
    return cxm::cli::kExitFailure;
  }
  return status;
}
