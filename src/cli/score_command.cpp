// `cxm score [--model FILE] [--json | --format text|md|json] ANSWERS`.
#include <CLI/CLI.hpp>
#include <iostream>
#include <nlohmann/json.hpp>

#include "answers/answers_file.h"
#include "cli/common.h"
#include "core/comments.h"
#include "core/cycle_scoring.h"
#include "report/comments_section.h"
#include "report/score_document.h"

namespace cxm::cli {
namespace {

struct ScoreOptions {
  std::string model_path;
  std::string answers_path;
  std::string format = "text";
  bool json = false;
  std::size_t min_group_size = core::kDefaultMinGroupSize;
};

int run(const ScoreOptions& options) {
  const auto model = load_model(options.model_path, std::cerr);
  if (!model) return kExitBadInput;
  const auto answers = answers::load_answers_file(options.answers_path, *model);
  if (!answers.responses) {
    std::cerr << model::format(*answers.error) << '\n';
    return kExitBadInput;
  }
  // As an anonymous cycle's results are shown: a role or unit is hidden
  // when it is smaller than the minimum group, and so is any other whose
  // figure, subtracted from the total, would give a hidden one away.
  const core::Responses& responses = *answers.responses;
  std::vector<core::DisclosureMember> members;
  members.reserve(responses.size());
  for (std::size_t r = 0; r < responses.size(); ++r) {
    members.push_back({responses.respondent(r).role, responses.respondent(r).unit, 1, false});
  }
  const auto shown = core::shown_segments(members, 1, options.min_group_size);
  const auto result = core::score_cycle(*model, responses, options.min_group_size, &shown.front());
  std::string document = report::score_document_json(*model, result);
  // The comments that may be shown: per competency from the minimum group
  // of commenters on, in a keyed order (never the file's order).
  if (core::asks_comments(*model)) {
    auto doc = nlohmann::json::parse(document);
    doc["comments"] = report::comments_section(
        *model, core::shown_comments(*model, answers.comments, options.min_group_size, model->id));
    document = doc.dump(2);
  }
  return print_score_document(document, options.json ? "json" : options.format,
                              options.answers_path);
}

}  // namespace

void add_score_command(CLI::App& app, int* status) {
  auto options = std::make_shared<ScoreOptions>();
  auto* cmd =
      app.add_subcommand("score", "Score a group's answers (JSON or CSV) and print the result");
  cmd->add_option("ANSWERS", options->answers_path, "Answers file: .json or .csv")->required();
  cmd->add_option("--model", options->model_path, "Model file (YAML); default: the built-in model");
  cmd->add_flag("--json", options->json, "Print the JSON score document (same as --format json)");
  cmd->add_option("--format", options->format, "Output: text, md or json")
      ->check(CLI::IsMember({"text", "md", "json"}));
  cmd->add_option("--min-group-size", options->min_group_size,
                  "Hide roles and units with fewer answering respondents (default 3)")
      ->check(CLI::Range(1, 1000000));
  cmd->callback([status, options] { *status = run(*options); });
}

}  // namespace cxm::cli
