// `cxm model validate FILE` and `cxm model show [--model FILE] [--json]`.
#include <CLI/CLI.hpp>
#include <algorithm>
#include <iostream>
#include <vector>

#include "cli/common.h"
#include "model/model_parser.h"
#include "report/score_document.h"

namespace cxm::cli {
namespace {

std::size_t pulse_count(const core::Model& m) {
  return static_cast<std::size_t>(
      std::count_if(m.items.begin(), m.items.end(), [](const core::Item& i) { return i.pulse; }));
}

int validate(const std::string& path) {
  const auto result = model::load_model_file(path);
  if (!result.model) {
    for (const auto& d : result.diagnostics) std::cerr << model::format(d) << '\n';
    std::cerr << result.diagnostics.size()
              << (result.diagnostics.size() == 1 ? " problem" : " problems") << " found in " << path
              << '\n';
    return kExitBadInput;
  }
  const core::Model& m = *result.model;
  std::cout << path << ": valid model '" << m.id << "' version " << m.version << ": "
            << m.stage_count() << " stages, " << m.competencies.size() << " competencies, "
            << m.items.size() << " items, " << m.actions.size() << " actions, " << pulse_count(m)
            << " pulse statements, " << m.glossary.size() << " glossary terms\n";
  return kExitOk;
}

void print_model(const core::Model& m) {
  std::cout << m.title << " (" << m.id << " " << m.version << ")\n\n";
  if (!m.source.empty()) std::cout << "Source\n  " << m.source << "\n\n";
  if (!m.introduction.empty()) std::cout << "For respondents\n  " << m.introduction << "\n\n";
  std::cout << "Scale: ";
  for (int p = m.scale.min; p <= m.scale.max; ++p) {
    std::cout << p << " " << m.scale.labels[static_cast<std::size_t>(p - m.scale.min)]
              << (p < m.scale.max ? ", " : "");
  }
  if (!m.scale.dont_know_label.empty()) std::cout << "; d " << m.scale.dont_know_label;
  std::cout << "\nA stage is attained when its statements score " << m.threshold
            << " of 100 or more.\n\n";
  std::cout << "Stages\n";
  for (const auto& s : m.stages) {
    std::cout << "  " << s.number << " " << s.name << ": " << s.description << "\n"
              << "    Key obstacle: " << s.obstacle << "\n";
  }
  for (std::size_t c = 0; c < m.competencies.size(); ++c) {
    std::cout << "\n" << m.competencies[c].name << " (" << m.competencies[c].id << ")\n";
    for (const auto& item : m.items) {
      if (item.competency == c) {
        std::cout << "  " << item.id << " [stage " << item.stage << (item.pulse ? ", pulse" : "");
        if (item.obstacle > 0) std::cout << ", obstacle of " << m.stage(item.obstacle).name;
        for (const auto& theme : item.themes) std::cout << ", " << theme;
        if (item.reverse) std::cout << ", worded in reverse";
        std::cout << "] " << item.text << "\n";
      }
    }
    if (!m.competencies[c].comment.empty())
      std::cout << "  Comment (optional): " << m.competencies[c].comment << "\n";
  }
  if (!m.glossary.empty()) {
    std::cout << "\nGlossary\n";
    std::vector<const core::GlossaryEntry*> entries;
    for (const auto& g : m.glossary) entries.push_back(&g);
    std::sort(entries.begin(), entries.end(), [](auto* a, auto* b) { return a->term < b->term; });
    for (const auto* g : entries) std::cout << "  " << g->term << ": " << g->definition << "\n";
  }
}

}  // namespace

void add_model_command(CLI::App& app, int* status) {
  auto* model = app.add_subcommand("model", "Validate or show a maturity model");
  model->require_subcommand(1);

  auto* validate_cmd =
      model->add_subcommand("validate", "Check a model file; print every problem as file:line:col");
  auto path = std::make_shared<std::string>();
  validate_cmd->add_option("FILE", *path, "Model file (YAML)")->required();
  validate_cmd->callback([status, path] { *status = validate(*path); });

  auto* show =
      model->add_subcommand("show", "Print a model (the default one unless --model is given)");
  auto model_path = std::make_shared<std::string>();
  auto json = std::make_shared<bool>(false);
  show->add_option("--model", *model_path,
                   "Model file (YAML); default: the built-in CX maturity model");
  show->add_flag("--json", *json, "Print JSON");
  show->callback([status, model_path, json] {
    const auto m = load_model(*model_path, std::cerr);
    if (!m) {
      *status = kExitBadInput;
      return;
    }
    if (*json) {
      std::cout << report::model_document_json(*m) << '\n';
    } else {
      print_model(*m);
    }
    *status = std::cout.good() ? kExitOk : kExitFailure;
  });
}

}  // namespace cxm::cli
