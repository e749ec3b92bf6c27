// `cxm benchmark --dataset PEERS.csv [--industry X] [--size X] [--region X]
// [--since DATE] [--until DATE] --json SCORED.json`: where a scored
// assessment stands among the peers of a dataset (SPEC sections 3 and 5).
// `cxm benchmark import --db URL --name N --source S --licence L
// [--citation C] [--published-on DATE] [--synthetic] PEERS.csv` stores a
// dataset for the server, with its provenance.
#include <CLI/CLI.hpp>

#include <filesystem>
#include <iostream>

#include "cli/common.h"
#include "core/benchmark.h"
#include "model/model_parser.h"
#include "peers/peers_csv.h"
#include "report/benchmark_document.h"
#include "secrets/secrets.h"
#include "store/store.h"

namespace cxm::cli {
namespace {

struct BenchmarkOptions {
  std::string dataset;
  std::string scored;
  std::optional<std::string> industry, size_band, region, since, until;
};

// Parses an optional --since/--until; false (with a line on stderr) when malformed.
bool read_day(const std::optional<std::string>& text, const char* option, std::optional<core::Day>& day) {
  if (!text) return true;
  day = core::parse_iso_date(*text);
  if (!day) std::cerr << "cxm benchmark: " << option << " '" << *text << "' is not a date as YYYY-MM-DD\n";
  return day.has_value();
}

struct ImportOptions {
  std::string db = "sqlite:data/cxm.db";
  std::string path;
  store::BenchmarkDataset dataset;
};

int run_import(ImportOptions options) {
  auto& d = options.dataset;
  for (const auto& [field, value] : {std::pair{"--name", &d.name}, {"--source", &d.source}, {"--licence", &d.licence}}) {
    if (value->empty() || value->size() > 500) {
      std::cerr << "cxm benchmark import: " << field << " must be 1 to 500 characters\n";
      return kExitBadInput;
    }
  }
  if (!d.published_on.empty() && !core::parse_iso_date(d.published_on)) {
    std::cerr << "cxm benchmark import: --published-on '" << d.published_on << "' is not a date as YYYY-MM-DD\n";
    return kExitBadInput;
  }
  std::string error;
  const auto text = model::read_file(options.path, error);
  if (!text) {
    std::cerr << options.path << ": cannot read the dataset: " << error << '\n';
    return kExitBadInput;
  }
  const auto peers = peers::parse_peers_csv(*text, options.path);
  if (!peers.table) {
    std::cerr << model::format(*peers.error) << " (nothing was imported)\n";
    return kExitBadInput;
  }
  if (!secrets::init_crypto()) return kExitFailure;
  auto store = open_store(options.db, 1);
  if (!store) return kExitFailure;
  d.id = secrets::new_id();
  d.assessments = static_cast<std::int64_t>(peers.table->rows.size());
  d.competency_ids = peers.table->competency_ids;
  d.created_by = "cli";
  d.created_at = now_ms();
  try {
    store->create_benchmark_dataset(d, *text);
    store->audit("cli", "", "benchmark.import", d.name, now_ms());
  } catch (const store::StoreError& e) {
    std::cerr << "cxm benchmark import: " << e.what() << '\n';
    return kExitFailure;
  }
  std::cout << "imported " << d.assessments << " assessments as dataset " << d.id << " (" << d.name << ")\n";
  return kExitOk;
}

int run(const BenchmarkOptions& options) {
  if (options.dataset.empty() || options.scored.empty()) {
    std::cerr << "cxm benchmark: --dataset PEERS.csv and --json SCORED.json are required (see cxm benchmark --help)\n";
    return kExitBadInput;
  }
  core::PeerFilter filter;
  filter.industry = options.industry;
  filter.size_band = options.size_band;
  filter.region = options.region;
  if (!read_day(options.since, "--since", filter.since) || !read_day(options.until, "--until", filter.until)) {
    return kExitBadInput;
  }
  std::string error;
  const auto text = model::read_file(options.scored, error);
  if (!text) {
    std::cerr << options.scored << ": cannot read the score document: " << error << '\n';
    return kExitBadInput;
  }
  const auto own = report::own_assessment_from_score_document(*text, error);
  if (!own) {
    std::cerr << options.scored << ": " << error << '\n';
    return kExitBadInput;
  }
  const auto peers = peers::load_peers_csv(options.dataset);
  if (!peers.table) {
    std::cerr << model::format(*peers.error) << '\n';
    return kExitBadInput;
  }
  // Only assessments made with the same model are comparable.
  filter.model_id = own->model_id;
  const core::PeerIndex index(*peers.table);
  const auto result = index.compare(filter, own->scores);
  core::DatasetProvenance provenance;
  provenance.name = std::filesystem::path(options.dataset).filename().string();
  std::cout << report::benchmark_document_json(provenance, index.size(), filter, *own, result) << '\n';
  return std::cout.flush() ? kExitOk : kExitFailure;
}

}  // namespace

void add_benchmark_command(CLI::App& app, int* status) {
  auto options = std::make_shared<BenchmarkOptions>();
  auto* cmd = app.add_subcommand("benchmark", "Compare a scored assessment with the peers of a benchmark dataset");
  cmd->add_option("--dataset", options->dataset, "Benchmark dataset (PEERS.csv)");
  cmd->add_option("--json", options->scored, "Score document (from cxm score --json)");
  cmd->add_option("--industry", options->industry, "Only peers of this industry");
  cmd->add_option("--size", options->size_band, "Only peers of this size band");
  cmd->add_option("--region", options->region, "Only peers of this region");
  cmd->add_option("--since", options->since, "Only assessments on or after this date (YYYY-MM-DD)");
  cmd->add_option("--until", options->until, "Only assessments on or before this date (YYYY-MM-DD)");

  auto imported = std::make_shared<ImportOptions>();
  auto* import = cmd->add_subcommand("import", "Store a benchmark dataset (PEERS.csv) with its provenance for the server");
  import->add_option("PEERS", imported->path, "The dataset (PEERS.csv)")->required();
  import->add_option("--db", imported->db, "Database: sqlite:PATH or postgresql://... (default sqlite:data/cxm.db)");
  import->add_option("--name", imported->dataset.name, "What the dataset is called")->required();
  import->add_option("--source", imported->dataset.source, "Who collected the data")->required();
  import->add_option("--licence", imported->dataset.licence, "Under which terms it may be used")->required();
  import->add_option("--citation", imported->dataset.citation, "How to cite it");
  import->add_option("--published-on", imported->dataset.published_on, "Publication date (YYYY-MM-DD)");
  import->add_flag("--synthetic", imported->dataset.synthetic, "Made-up data: labelled synthetic wherever shown");
  import->callback([status, imported] { *status = run_import(*imported); });
  cmd->callback([status, options, import] {
    if (!import->parsed()) *status = run(*options);
  });
}

}  // namespace cxm::cli
