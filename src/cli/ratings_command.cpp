// `cxm ratings import --db URL [--name N] [--source S] [--licence L]
// [--citation C] [--published-on DATE] [--synthetic] FILE.csv|FILE.json`
// stores a customer-ratings dataset for the server with its provenance (a
// JSON dataset may carry it in its metadata; the options say better), every
// cell checked first: exit 2 naming the line and column (or row and field)
// of the first problem, and nothing stored. `cxm ratings list --db URL
// [--json]` lists the datasets with their provenance
// (docs/ratings-datasets.md).
#include <CLI/CLI.hpp>
#include <iostream>
#include <nlohmann/json.hpp>

#include "cli/common.h"
#include "model/model_parser.h"
#include "peers/ratings_dataset.h"
#include "secrets/secrets.h"
#include "store/store.h"

namespace cxm::cli {
namespace {

struct RatingsImportOptions {
  std::string db = "sqlite:data/cxm.db";
  std::string path;
  store::RatingsDataset dataset;
};

// The file's rows and, from the JSON form, its metadata; nullopt (with a
// line on stderr) when it cannot be read or has a problem.
struct RatingsFile {
  std::vector<core::CustomerRating> rows;
  std::optional<peers::DatasetMetadata> metadata;
};

std::optional<RatingsFile> read_ratings(const std::string& path) {
  std::string error;
  auto text = model::read_file(path, error);
  if (!text) {
    std::cerr << path << ": cannot read the dataset: " << error << " (nothing was imported)\n";
    return std::nullopt;
  }
  RatingsFile file;
  if (peers::looks_like_json(*text)) {
    auto parsed = peers::parse_ratings_json(*text);
    if (!parsed.dataset) {
      std::cerr << path << ": " << parsed.error << " (nothing was imported)\n";
      return std::nullopt;
    }
    file.rows = std::move(parsed.dataset->rows);
    file.metadata = std::move(parsed.dataset->metadata);
    return file;
  }
  auto parsed = peers::parse_ratings_csv(*text, path);
  if (!parsed.rows) {
    std::cerr << model::format(*parsed.error) << " (nothing was imported)\n";
    return std::nullopt;
  }
  file.rows = std::move(*parsed.rows);
  return file;
}

int run_ratings_import(RatingsImportOptions options) {
  auto& d = options.dataset;
  const auto file = read_ratings(options.path);
  if (!file) return kExitBadInput;
  if (file->metadata) {
    const auto& m = *file->metadata;
    for (const auto& [option, from] : {std::pair{&d.name, &m.name},
                                       {&d.source, &m.source},
                                       {&d.citation, &m.citation},
                                       {&d.licence, &m.licence},
                                       {&d.published_on, &m.date}}) {
      if (option->empty()) *option = *from;
    }
    d.synthetic = d.synthetic || m.synthetic;
  }
  for (const auto& [field, value] :
       {std::pair{"--name", &d.name}, {"--source", &d.source}, {"--licence", &d.licence}}) {
    if (value->empty() || value->size() > 500) {
      std::cerr << "cxm ratings import: " << field
                << " must be 1 to 500 characters (or given in the JSON dataset's metadata); "
                   "nothing was imported\n";
      return kExitBadInput;
    }
  }
  if (!d.published_on.empty() && !core::parse_iso_date(d.published_on)) {
    std::cerr << "cxm ratings import: --published-on '" << d.published_on
              << "' is not a date as YYYY-MM-DD; nothing was imported\n";
    return kExitBadInput;
  }
  if (!secrets::init_crypto()) return kExitFailure;
  auto store = open_store(options.db, 1);
  if (!store) return kExitFailure;
  d.id = secrets::new_id();
  d.ratings = static_cast<std::int64_t>(file->rows.size());
  for (const auto& r : file->rows) {
    if (std::find(d.metrics.begin(), d.metrics.end(), r.metric) == d.metrics.end())
      d.metrics.push_back(r.metric);
  }
  d.created_by = "cli";
  d.created_at = now_ms();
  try {
    store->create_ratings_dataset(d, peers::write_ratings_csv(file->rows),
                                  store::AuditEntry{"cli", "", "ratings.import", d.name, now_ms()});
  } catch (const store::StoreError& e) {
    std::cerr << "cxm ratings import: " << e.what() << '\n';
    return kExitFailure;
  }
  std::cout << "imported " << d.ratings << " ratings as dataset " << d.id << " (" << d.name
            << (d.synthetic ? ", synthetic" : "") << ")\n";
  return kExitOk;
}

struct ListOptions {
  std::string db = "sqlite:data/cxm.db";
  bool json = false;
};

int run_list(const ListOptions& options) {
  auto store = open_store(options.db, 1);
  if (!store) return kExitFailure;
  try {
    const auto datasets = store->ratings_datasets();
    if (options.json) {
      auto list = nlohmann::json::array();
      for (const auto& d : datasets) {
        list.push_back({{"id", d.id},
                        {"name", d.name},
                        {"source", d.source},
                        {"citation", d.citation},
                        {"licence", d.licence},
                        {"date", d.published_on.empty() ? nlohmann::json(nullptr)
                                                        : nlohmann::json(d.published_on)},
                        {"synthetic", d.synthetic},
                        {"ratings", d.ratings},
                        {"metrics", d.metrics},
                        {"created_at", d.created_at}});
      }
      std::cout << nlohmann::json{{"datasets", list}}.dump(2) << '\n';
      return kExitOk;
    }
    if (datasets.empty()) std::cout << "No customer-ratings datasets.\n";
    for (const auto& d : datasets) {
      std::string metrics;
      for (const auto& m : d.metrics) metrics += (metrics.empty() ? "" : ", ") + m;
      std::cout << d.id << "  " << d.name << (d.synthetic ? "  [SYNTHETIC: made-up data]" : "")
                << "\n  " << d.ratings << " ratings of " << metrics << "\n  source: " << d.source
                << "\n  licence: " << d.licence;
      if (!d.citation.empty()) std::cout << "\n  citation: " << d.citation;
      if (!d.published_on.empty()) std::cout << "\n  published: " << d.published_on;
      std::cout << '\n';
    }
    return kExitOk;
  } catch (const store::StoreError& e) {
    std::cerr << "cxm ratings list: " << e.what() << '\n';
    return kExitFailure;
  }
}

}  // namespace

void add_ratings_command(CLI::App& app, int* status) {
  auto* cmd = app.add_subcommand(
      "ratings", "Customer-ratings datasets: companies rated by their customers, to compare with");
  cmd->require_subcommand(1);
  const char* db_help = "Database: sqlite:PATH or postgresql://... (default sqlite:data/cxm.db)";

  auto imported = std::make_shared<RatingsImportOptions>();
  auto* import = cmd->add_subcommand(
      "import",
      "Store a customer-ratings dataset (CSV or JSON) with its provenance for the server");
  import->add_option("FILE", imported->path, "The dataset (CSV, or JSON with metadata and rows)")
      ->required();
  import->add_option("--db", imported->db, db_help);
  import->add_option("--name", imported->dataset.name,
                     "What the dataset is called (required unless in the JSON's metadata)");
  import->add_option("--source", imported->dataset.source,
                     "Who collected the ratings (required unless in the JSON's metadata)");
  import->add_option("--licence", imported->dataset.licence,
                     "Under which terms they may be used (required unless in the JSON's metadata)");
  import->add_option("--citation", imported->dataset.citation, "How to cite it");
  import->add_option("--published-on", imported->dataset.published_on,
                     "Publication date (YYYY-MM-DD)");
  import->add_flag("--synthetic", imported->dataset.synthetic,
                   "Made-up data: labelled synthetic wherever shown");
  import->callback([status, imported] { *status = run_ratings_import(*imported);
});

auto listed = std::make_shared<ListOptions>();
auto* list = cmd->add_subcommand("list", "List the customer-ratings datasets with provenance");
list->add_option("--db", listed->db, db_help);
list->add_flag("--json", listed->json, "As JSON");
list->callback([status, listed] { *status = run_list(*listed); });
}  // namespace cxm::cli

}  // namespace cxm::cli
