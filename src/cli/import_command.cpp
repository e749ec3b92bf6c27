// `cxm import --mapping NAME|FILE.yaml [--model FILE] [--out ANSWERS.json]
// [--preview [--json]] EXPORT.csv`: a survey tool's CSV export -> the
// answers format (docs/import.md). The answers go to --out (or standard
// output), a short summary and warnings to standard error; --preview prints
// what the import would do and writes nothing. Any problem: every problem
// on standard error, one line each, exit 2, nothing written.
#include <CLI/CLI.hpp>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <iostream>

#include "answers/import_json.h"
#include "answers/survey_import.h"
#include "cli/common.h"
#include "model/model_parser.h"

namespace cxm::cli {
namespace {

struct SurveyImportOptions {
  std::string mapping;
  std::string model_path;
  std::string export_path;
  std::string out;
  bool preview = false;
  bool json = false;
};

void print_preview(const answers::ImportPreview& p, std::ostream& out) {
  out << "rows: " << p.rows << "\n";
  if (!p.filter.empty())
    out << "imported: " << p.filter << "; left out: " << p.skipped_rows << "\n";
  out << "respondents: " << p.respondents << "\n";
  out << "respondent id: '" << p.respondent_column << "'";
  if (!p.role_column.empty()) out << ", role: '" << p.role_column << "'";
  if (!p.unit_column.empty()) out << ", unit: '" << p.unit_column << "'";
  out << "\nstatements (" << p.items.size() << " columns):\n";
  for (const auto& c : p.items)
    out << "  " << c.item << " <- column " << c.column << " '" << c.heading << "'\n";
  if (!p.comment_columns.empty()) {
    out << "comments (" << p.comment_columns.size() << " columns, " << p.comments
        << " comments):\n";
    for (const auto& c : p.comment_columns)
      out << "  " << c.item << " <- column " << c.column << " '" << c.heading << "'\n";
  }
  out << "answers: " << p.answers << " (" << p.dont_know
      << " don't know), empty cells (no answer): " << p.no_answer << "\nlabels:\n";
  for (const auto& l : p.labels) {
    out << "  '" << l.label
        << "' = " << (l.value ? std::to_string(*l.value) : std::string("don't know")) << ": "
        << l.count << "\n";
  }
  if (!p.items_without_column.empty()) {
    out << "statements with no column:";
    for (const auto& id : p.items_without_column) out << ' ' << id;
    out << "\n";
  }
  out << "ignored columns: " << p.ignored_columns.size() << "\n";
  for (const auto& h : p.unmapped_columns)
    out << "warning: column '" << h << "' maps to nothing and is left out\n";
}

// Writes `text` to `path` whole or not at all: a temporary file beside it,
// renamed over it once written.
bool write_whole(const std::string& path, const std::string& text) {
  const std::string temporary = path + ".partial";
  {
    std::ofstream out(temporary, std::ios::binary | std::ios::trunc);
    if (!out || !(out << text) || !out.flush()) {
      std::remove(temporary.c_str());
      return false;
    }
  }
  std::error_code error;
  std::filesystem::rename(temporary, path, error);
  if (error) std::remove(temporary.c_str());
  return !error;
}

int run(const SurveyImportOptions& options) {
  const auto model = load_model(options.model_path, std::cerr);
  if (!model) return kExitBadInput;
  const auto mapping = answers::load_survey_mapping(options.mapping);
  if (!mapping.mapping) {
    for (const auto& d : mapping.diagnostics) std::cerr << model::format(d) << '\n';
    return kExitBadInput;
  }
  std::string error;
  const auto text = model::read_file(options.export_path, error);
  if (!text) {
    std::cerr << options.export_path << ": " << error << '\n';
    return kExitBadInput;
  }
  // Statements and answer labels may also be in the model's other languages.
  const auto translations = load_translations(options.model_path, *model, std::cerr);
  if (!translations) return kExitBadInput;
  const auto result = answers::import_survey_csv(*text, *mapping.mapping, *model, *translations);
  if (!result.ok()) {
    // One line per problem and nothing else (SPEC section 5); nothing is written.
    for (const auto& p : result.problems)
      std::cerr << answers::format(p, options.export_path) << '\n';
    return kExitBadInput;
  }
  if (options.preview) {
    if (options.json) {
      std::cout << answers::preview_json(result.preview).dump(2) << '\n';
    } else {
      print_preview(result.preview, std::cout);
    }
    return kExitOk;
  }
  for (const auto& h : result.preview.unmapped_columns) {
    std::cerr << options.export_path << ": warning: column '" << h
              << "' maps to nothing and is left out\n";
  }
  const std::string document = answers::answers_json(result.respondents, *model).dump(2) + "\n";
  if (options.out.empty()) {
    std::cout << document;
  } else if (!write_whole(options.out, document)) {
    std::cerr << options.out << ": cannot write the answers file\n";
    return kExitFailure;
  }
  std::cerr << "cxm import: " << result.preview.respondents << " respondents, "
            << result.preview.items.size() << " statements";
  if (result.preview.skipped_rows > 0)
    std::cerr << "; " << result.preview.skipped_rows << " rows left out";
  std::cerr << '\n';
  return kExitOk;
}

}  // namespace

void add_import_command(CLI::App& app, int* status) {
  auto options = std::make_shared<SurveyImportOptions>();
  auto* cmd = app.add_subcommand("import", "Turn a survey tool's CSV export into an answers file");
  cmd->add_option("EXPORT", options->export_path, "The survey tool's CSV export")->required();
  cmd->add_option(
         "--mapping", options->mapping,
         "A shipped mapping (limesurvey, formbricks) or a mapping file (YAML); see docs/import.md")
      ->required();
  cmd->add_option("--model", options->model_path, "Model file (YAML); default: the built-in model");
  cmd->add_option("--out", options->out,
                  "Write the answers (JSON) here instead of standard output");
  auto* preview =
      cmd->add_flag("--preview", options->preview, "Print what the import would do, write nothing");
  cmd->add_flag("--json", options->json, "With --preview: print the preview as JSON")
      ->needs(preview);
  cmd->callback([status, options] { *status = run(*options); });
}

}  // namespace cxm::cli
