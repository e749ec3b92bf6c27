// `cxm plan [--model FILE] [--json] SCORED.json`: the draft action plan of a
// score document written by `cxm score --json` (SPEC section 5).
#include <CLI/CLI.hpp>
#include <iostream>

#include "cli/common.h"
#include "core/plan.h"
#include "model/model_parser.h"
#include "report/plan_document.h"

namespace cxm::cli {
namespace {

struct PlanOptions {
  std::string model_path;
  std::string scored_path;
  bool json = false;
};

void print_text(const core::Model& model, const core::Plan& plan, std::ostream& out) {
  std::size_t n = 0;
  for (const auto& a : plan.actions) {
    out << ++n << ". " << a.title << " [" << core::to_string(a.kind) << ", "
        << (a.competency ? model.competencies[*a.competency].name
                         : std::string("whole organization"))
        << ", towards stage " << a.target_stage << "]\n";
    out << "   Why: " << a.reason << '\n';
    if (!a.detail.empty()) out << "   What: " << a.detail << '\n';
    if (!a.owner.empty()) out << "   Owner: " << a.owner << '\n';
    if (!a.success_measure.empty()) out << "   Done when: " << a.success_measure << '\n';
  }
  if (plan.actions.empty()) out << "The model's action library has nothing for this result.\n";
}

int run(const PlanOptions& options) {
  const auto model = load_model(options.model_path, std::cerr);
  if (!model) return kExitBadInput;
  std::string error;
  const auto text = model::read_file(options.scored_path, error);
  if (!text) {
    std::cerr << options.scored_path << ": cannot read the score document: " << error << '\n';
    return kExitBadInput;
  }
  const auto input = report::plan_input_from_score_document(*model, *text);
  if (!input.input) {
    std::cerr << options.scored_path << ": " << input.error << '\n';
    return kExitBadInput;
  }
  const core::Plan plan = core::draft_plan(*model, *input.input);
  if (options.json) {
    std::cout << report::plan_document_json(*model, *input.input, plan) << '\n';
  } else {
    print_text(*model, plan, std::cout);
  }
  std::cout.flush();
  return std::cout ? kExitOk : kExitFailure;
}

}  // namespace

void add_plan_command(CLI::App& app, int* status) {
  auto options = std::make_shared<PlanOptions>();
  auto* cmd =
      app.add_subcommand("plan", "Draft an action plan from a score document (cxm score --json)");
  cmd->add_option("SCORED", options->scored_path, "Score document (JSON)")->required();
  cmd->add_option("--model", options->model_path,
                  "Model file (YAML) it was scored with; default: the built-in model");
  cmd->add_flag("--json", options->json, "Print the plan as JSON");
  cmd->callback([status, options] { *status = run(*options); });
}

}  // namespace cxm::cli
