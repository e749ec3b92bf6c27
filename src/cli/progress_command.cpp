// `cxm progress [--model FILE] [--json] EARLIER LATER`: the change between
// two cycles' answer files (SPEC sections 3 and 5), per competency and
// overall, with its 95% Welch interval and verdict, and the stage change;
// beside each, the change at the same mix of roles (role_balanced: every
// role with at least 2 respondents in both files takes part).
#include <CLI/CLI.hpp>
#include <cstdio>
#include <iostream>
#include <nlohmann/json.hpp>
#include <numeric>

#include "answers/answers_file.h"
#include "cli/common.h"
#include "core/comparison.h"
#include "core/progress.h"
#include "core/scoring.h"
#include "report/progress_document.h"

namespace cxm::cli {
namespace {

struct ProgressOptions {
  std::string model_path;
  std::string earlier_path;
  std::string later_path;
  bool json = false;
};

core::CycleStanding standing(const core::Model& model, const core::Responses& responses) {
  std::vector<std::size_t> rows(responses.size());
  std::iota(rows.begin(), rows.end(), std::size_t{0});
  const core::GroupResult group = core::score_group(model, responses, rows);
  return {&model, core::summarize(core::respondent_scores(model, responses, rows)),
          model.form == core::Form::full ? std::optional<int>(group.stage.stage) : std::nullopt,
          core::summarize_by_role(model, responses, rows)};
}

std::string number(const nlohmann::json& v, int digits = 1) {
  if (v.is_null()) return "–";
  char buffer[32];
  std::snprintf(buffer, sizeof buffer, "%.*f", digits, v.get<double>());
  return buffer;
}

std::string signed_number(const nlohmann::json& v) {
  const std::string s = number(v);
  return !v.is_null() && v.get<double>() > 0 ? "+" + s : s;
}

void print_line(const std::string& name, const nlohmann::json& c, std::ostream& out) {
  out << name << ": " << number(c["before"]) << " -> " << number(c["after"]) << " ("
      << signed_number(c["change"]) << ", 95% CI " << number(c["ci_low"]) << " to "
      << number(c["ci_high"]) << "; n " << c["n_before"].get<int>() << " -> "
      << c["n_after"].get<int>() << "): " << c["verdict"].get<std::string>() << '\n';
  const auto& b = c["role_balanced"];
  if (b.is_null()) return;
  out << "  at the same mix of roles: " << signed_number(b["change"]) << ", 95% CI "
      << number(b["ci_low"]) << " to " << number(b["ci_high"]) << ": "
      << b["verdict"].get<std::string>() << '\n';
  std::string shares;
  for (const auto& r : b["roles"]) {
    shares += (shares.empty() ? "" : ", ") + r["name"].get<std::string>() + " " +
              number(nlohmann::json(r["share_before"].get<double>() * 100), 0) + "% -> " +
              number(nlohmann::json(r["share_after"].get<double>() * 100), 0) + "%";
  }
  out << "  role shares: " << shares << '\n';
  if (b["reason"].is_string()) out << "  flagged: " << b["reason"].get<std::string>() << '\n';
}

void print_text(const nlohmann::json& doc, std::ostream& out) {
  const auto& stage = doc["stage"];
  if (!stage["before"].is_null() && !stage["after"].is_null()) {
    out << "Stage: " << stage["before"].get<int>() << " -> " << stage["after"].get<int>() << '\n';
  }
  print_line("Overall", doc["overall"], out);
  for (const auto& c : doc["competencies"]) print_line(c["name"].get<std::string>(), c, out);
}

int run(const ProgressOptions& options) {
  const auto model = load_model(options.model_path, std::cerr);
  if (!model) return kExitBadInput;
  const auto earlier = answers::load_answers_file(options.earlier_path, *model);
  if (!earlier.responses) {
    std::cerr << model::format(*earlier.error) << '\n';
    return kExitBadInput;
  }
  const auto later = answers::load_answers_file(options.later_path, *model);
  if (!later.responses) {
    std::cerr << model::format(*later.error) << '\n';
    return kExitBadInput;
  }
  const core::Progress progress = core::progress_between(standing(*model, *earlier.responses),
                                                         standing(*model, *later.responses));
  nlohmann::json doc = report::progress_json(*model, progress);
  doc["schema"] = "cxm.progress/1";
  doc["model"] = {{"id", model->id}, {"version", model->version}};
  if (options.json) {
    std::cout << doc.dump(2) << '\n';
  } else {
    print_text(doc, std::cout);
  }
  std::cout.flush();
  return std::cout ? kExitOk : kExitFailure;
}

}  // namespace

void add_progress_command(CLI::App& app, int* status) {
  auto options = std::make_shared<ProgressOptions>();
  auto* cmd = app.add_subcommand(
      "progress", "Change between two cycles' answer files, with 95% confidence intervals");
  cmd->add_option("EARLIER", options->earlier_path, "Answers of the earlier cycle: .json or .csv")
      ->required();
  cmd->add_option("LATER", options->later_path, "Answers of the later cycle: .json or .csv")
      ->required();
  cmd->add_option("--model", options->model_path, "Model file (YAML); default: the built-in model");
  cmd->add_flag("--json", options->json, "Print the change as JSON");
  cmd->callback([status, options] { *status = run(*options); });
}

}  // namespace cxm::cli
