// `cxm model validate FILE` (the model and the translations beside it, or
// one translation) and `cxm model show [--model FILE] [--lang LANG] [--json]`.
#include <CLI/CLI.hpp>
#include <algorithm>
#include <filesystem>
#include <iostream>
#include <nlohmann/json.hpp>
#include <vector>

#include "cli/assess_text.h"
#include "cli/common.h"
#include "model/model_parser.h"
#include "model/translation_parser.h"
#include "report/score_document.h"

namespace cxm::cli {
namespace {

std::size_t pulse_count(const core::Model& m) {
  return static_cast<std::size_t>(
      std::count_if(m.items.begin(), m.items.end(), [](const core::Item& i) { return i.pulse; }));
}

void report_problems(const std::vector<model::Diagnostic>& diagnostics, const std::string& path) {
  for (const auto& d : diagnostics) std::cerr << model::format(d) << '\n';
  std::cerr << diagnostics.size() << (diagnostics.size() == 1 ? " problem" : " problems")
            << " found in " << path << '\n';
}

// The model file `path` translates, when `path` is named NAME.LANG.yaml and
// NAME.yaml is beside it and lists it among its translations.
std::optional<std::string> translated_model(const std::string& path) {
  const std::filesystem::path p(path);
  const std::filesystem::path stem = p.stem();  // NAME.LANG
  if (p.extension() != ".yaml" || stem.extension().empty()) return std::nullopt;
  const std::string base = (p.parent_path() / stem.stem()).string() + ".yaml";
  if (!std::filesystem::exists(base)) return std::nullopt;
  for (const auto& [language, file] : model::translation_files(base)) {
    if (std::filesystem::path(file).filename() == p.filename()) return base;
  }
  return std::nullopt;
}

// Checks one translation file against `m`; prints every problem. Returns
// whether it is valid.
bool validate_translation(const std::string& file, const core::Model& m) {
  std::string error;
  const auto text = model::read_file(file, error);
  if (!text) {
    std::cerr << file << ": " << error << '\n';
    return false;
  }
  const auto result = model::parse_translation(*text, file, m);
  if (!result.model) {
    report_problems(result.diagnostics, file);
    return false;
  }
  std::cout << file << ": valid translation '" << result.model->language << "' of '" << m.id
            << "' version " << m.version << '\n';
  return true;
}

// A model file and every translation beside it (NAME.LANG.yaml), or one
// translation file against the model beside it.
int validate(const std::string& path) {
  if (const auto base = translated_model(path)) {
    const auto result = model::load_model_file(*base);
    if (!result.model) {
      report_problems(result.diagnostics, *base);
      return kExitBadInput;
    }
    return validate_translation(path, *result.model) ? kExitOk : kExitBadInput;
  }
  const auto result = model::load_model_file(path);
  if (!result.model) {
    report_problems(result.diagnostics, path);
    return kExitBadInput;
  }
  const core::Model& m = *result.model;
  std::cout << path << ": valid model '" << m.id << "' version " << m.version << ": "
            << m.stage_count() << " stages, " << m.competencies.size() << " competencies, "
            << m.items.size() << " items, " << m.actions.size() << " actions, " << pulse_count(m)
            << " pulse statements, " << m.glossary.size() << " glossary terms\n";
  bool valid = true;
  for (const auto& [language, file] : model::translation_files(path)) {
    valid = validate_translation(file, m) && valid;
  }
  return valid ? kExitOk : kExitBadInput;
}

// The few words `cxm model show` prints around the model's texts.
struct ShowWords {
  const char* source;
  const char* for_respondents;
  const char* scale;
  const char* threshold_before;
  const char* threshold_after;
  const char* stages;
  const char* key_obstacle;
  const char* stage;
  const char* pulse;
  const char* obstacle_of;
  const char* worded_in_reverse;
  const char* comment;
  const char* glossary;
  const char* languages;
  const char* shown;
};

constexpr ShowWords kEnglishWords = {"Source",
                                     "For respondents",
                                     "Scale: ",
                                     "A stage is attained when its statements score ",
                                     " of 100 or more.",
                                     "Stages",
                                     "Key obstacle: ",
                                     "stage",
                                     "pulse",
                                     "obstacle of ",
                                     "worded in reverse",
                                     "Comment (optional): ",
                                     "Glossary",
                                     "Languages: ",
                                     " (shown)"};
constexpr ShowWords kGermanWords = {"Quelle",
                                    "Für Befragte",
                                    "Skala: ",
                                    "Eine Stufe gilt als erreicht, wenn ihre Aussagen ",
                                    " von 100 oder mehr erreichen.",
                                    "Stufen",
                                    "Zentrales Hindernis: ",
                                    "Stufe",
                                    "Puls",
                                    "Hindernis von ",
                                    "umgekehrt formuliert",
                                    "Kommentar (freiwillig): ",
                                    "Glossar",
                                    "Sprachen: ",
                                    " (angezeigt)"};

void print_model(const core::Model& m, const std::vector<std::string>& languages) {
  const ShowWords& w = m.language == "de" ? kGermanWords : kEnglishWords;
  std::cout << m.title << " (" << m.id << " " << m.version << ")\n";
  std::cout << w.languages;
  for (std::size_t i = 0; i < languages.size(); ++i)
    std::cout << (i ? ", " : "") << languages[i] << (languages[i] == m.language ? w.shown : "");
  std::cout << "\n\n";
  if (!m.source.empty()) std::cout << w.source << "\n  " << m.source << "\n\n";
  if (!m.introduction.empty()) std::cout << w.for_respondents << "\n  " << m.introduction << "\n\n";
  std::cout << w.scale;
  for (int p = m.scale.min; p <= m.scale.max; ++p) {
    std::cout << p << " " << m.scale.labels[static_cast<std::size_t>(p - m.scale.min)]
              << (p < m.scale.max ? ", " : "");
  }
  if (!m.scale.dont_know_label.empty())
    std::cout << "; " << dont_know_key(m.language) << " " << m.scale.dont_know_label;
  std::cout << "\n" << w.threshold_before << m.threshold << w.threshold_after << "\n\n";
  std::cout << w.stages << "\n";
  for (const auto& s : m.stages) {
    std::cout << "  " << s.number << " " << s.name << ": " << s.description << "\n"
              << "    " << w.key_obstacle << s.obstacle << "\n";
  }
  for (std::size_t c = 0; c < m.competencies.size(); ++c) {
    std::cout << "\n" << m.competencies[c].name << " (" << m.competencies[c].id << ")\n";
    for (const auto& item : m.items) {
      if (item.competency == c) {
        std::cout << "  " << item.id << " [" << w.stage << " " << item.stage
                  << (item.pulse ? std::string(", ") + w.pulse : std::string());
        if (item.obstacle > 0) std::cout << ", " << w.obstacle_of << m.stage(item.obstacle).name;
        for (const auto& theme : item.themes) std::cout << ", " << theme;
        if (item.reverse) std::cout << ", " << w.worded_in_reverse;
        std::cout << "] " << item.text << "\n";
      }
    }
    if (!m.competencies[c].comment.empty())
      std::cout << "  " << w.comment << m.competencies[c].comment << "\n";
  }
  if (!m.glossary.empty()) {
    std::cout << "\n" << w.glossary << "\n";
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

  auto* validate_cmd = model->add_subcommand(
      "validate",
      "Check a model file and the translations beside it (NAME.LANG.yaml), or one translation; "
      "print every problem as file:line:col");
  auto path = std::make_shared<std::string>();
  validate_cmd->add_option("FILE", *path, "Model or translation file (YAML)")->required();
  validate_cmd->callback([status, path] { *status = validate(*path); });

  auto* show = model->add_subcommand(
      "show", "Print a model (the default one unless --model is given) and its languages");
  auto model_path = std::make_shared<std::string>();
  auto lang = std::make_shared<std::string>();
  auto json = std::make_shared<bool>(false);
  show->add_option("--model", *model_path,
                   "Model file (YAML); default: the built-in CX maturity model");
  show->add_option("--lang", *lang,
                   "Language: the model's own (default) or one of its translations, e.g. de");
  show->add_flag("--json", *json, "Print JSON");
  show->callback([status, model_path, lang, json] {
    *status = kExitBadInput;
    const auto base = load_model(*model_path, std::cerr);
    if (!base) return;
    const auto translations = load_translations(*model_path, *base, std::cerr);
    if (!translations) return;
    const auto m =
        model_in_language(*base, *translations, *lang, "cxm model show: --lang", std::cerr);
    if (!m) return;
    const auto languages = model_languages(*base, *translations);
    if (*json) {
      auto doc = nlohmann::json::parse(report::model_document_json(*m));
      doc["language"] = m->language;
      doc["languages"] = languages;
      std::cout << doc.dump(2) << '\n';
    } else {
      print_model(*m, languages);
    }
    *status = std::cout.good() ? kExitOk : kExitFailure;
  });
}

}  // namespace cxm::cli
