// Shared pieces of the `cxm` subcommands. Exit statuses: 0 success,
// 1 failure to write output, 2 bad input (one clear line on stderr),
// 130 interrupted by the user.
#pragma once

#include <cstdint>
#include <iosfwd>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "core/model.h"

namespace CLI {
class App;
}

namespace cxm::store {
class Store;
struct Organization;
}  // namespace cxm::store

namespace cxm::cli {

inline constexpr int kExitOk = 0;
inline constexpr int kExitFailure = 1;
inline constexpr int kExitBadInput = 2;
inline constexpr int kExitInterrupted = 130;

// Loads the model at `path`, or the built-in default model when `path` is
// empty. On failure writes the first problem (and how many more there are)
// to `err` as one line and returns nullopt.
std::optional<core::Model> load_model(const std::string& path, std::ostream& err);

// The translations of the model loaded from `path` (docs/languages.md),
// each the model with its texts in that language: for the built-in model
// (`path` empty) those compiled into the binary, else the NAME.LANG.yaml
// files beside the model file, in order of language. A translation with a
// problem is reported like a model (its first problem, one line) and
// nullopt returned.
std::optional<std::vector<core::Model>> load_translations(const std::string& path,
                                                          const core::Model& model,
                                                          std::ostream& err);

// The languages `model` can be read in: its own first, then its translations'.
std::vector<std::string> model_languages(const core::Model& model,
                                         const std::vector<core::Model>& translations);

// `model` in `lang`: the model itself for an empty `lang` or its own
// language, else the translation into `lang`. A language the model has no
// translation for is refused with one line on `err` that starts with
// `what` and names the available languages.
std::optional<core::Model> model_in_language(const core::Model& model,
                                             const std::vector<core::Model>& translations,
                                             const std::string& lang, const std::string& what,
                                             std::ostream& err);

// Opens the database at `db` (sqlite:PATH or postgresql://...) and applies
// migrations; on failure writes one line to stderr and returns nullptr.
std::unique_ptr<store::Store> open_store(const std::string& db, std::size_t readers = 4);

// The organization named by its id or by its exact name, or nullopt.
std::optional<store::Organization> find_org(store::Store& store, const std::string& key);

// The wall clock in Unix milliseconds.
std::int64_t now_ms();

// Prints a score document to standard output as `format` (json, md or
// text). A document that cannot be rendered is bad input, reported with
// `source` (the file it came from). Returns the exit status.
int print_score_document(const std::string& document, const std::string& format,
                         const std::string& source);

// Each adds its subcommand to `app`; the subcommand stores its exit status
// in `*status` when it runs. `status` must outlive the parse.
void add_model_command(CLI::App& app, int* status);
void add_score_command(CLI::App& app, int* status);
void add_report_command(CLI::App& app, int* status);
void add_assess_command(CLI::App& app, int* status);
void add_serve_command(CLI::App& app, int* status);
void add_user_command(CLI::App& app, int* status);
void add_demo_command(CLI::App& app, int* status);
// `backup` and `restore`.
void add_backup_command(CLI::App& app, int* status);
void add_plan_command(CLI::App& app, int* status);
void add_progress_command(CLI::App& app, int* status);
void add_benchmark_command(CLI::App& app, int* status);
void add_ratings_command(CLI::App& app, int* status);
void add_due_command(CLI::App& app, int* status);
void add_import_command(CLI::App& app, int* status);
// `export` and `import-org`: one organization from one instance to another.
void add_org_transfer_commands(CLI::App& app, int* status);
// `metrics import|list|delete`: an organization's customer metrics.
void add_metrics_command(CLI::App& app, int* status);

}  // namespace cxm::cli
