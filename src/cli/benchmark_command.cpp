// `cxm benchmark --dataset PEERS.csv [--industry X] [--size-band X]
// [--region X] [--since DATE] [--until DATE] [--json] SCORED.json`: where a
// scored assessment stands among the peers of a dataset (SPEC sections 3
// and 5), in words, or as the benchmark document with --json (as `plan`,
// `progress` and `score` take it; `--json SCORED.json`, the pinned form,
// reads the same). `--size` is the older name of `--size-band`.
// `cxm benchmark import --db URL --name N --source S --licence L
// [--citation C] [--published-on DATE] [--synthetic] PEERS.csv|PEERS.json`
// stores a dataset for the server, with its provenance (a JSON dataset may
// carry it in its metadata). Both read either form (peers/peers_json.h).
// `cxm benchmark export --db URL [--since DATE] FILE.csv|FILE.json` writes
// the instance's own results as such a dataset, for another instance: one
// row per organization (its latest closed full cycle with a published
// result), under a pseudonym new at every export.
#include <CLI/CLI.hpp>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <nlohmann/json.hpp>
#include <set>

#include "cli/common.h"
#include "core/benchmark.h"
#include "model/model_parser.h"
#include "peers/peers_csv.h"
#include "peers/peers_json.h"
#include "report/benchmark_document.h"
#include "report/score_document.h"
#include "results/peer_export.h"
#include "secrets/secrets.h"
#include "store/store.h"

namespace cxm::cli {
namespace {

struct BenchmarkOptions {
  std::string dataset;
  std::string scored;
  bool json = false;
  std::optional<std::string> industry, size_band, region, since, until;
};

// Parses an optional --since/--until; false (with a line on stderr) when malformed.
bool read_day(const std::optional<std::string>& text, const char* option,
              std::optional<core::Day>& day) {
  if (!text) return true;
  day = core::parse_iso_date(*text);
  if (!day)
    std::cerr << "cxm benchmark: " << option << " '" << *text << "' is not a date as YYYY-MM-DD\n";
  return day.has_value();
}

struct BenchmarkImportOptions {
  std::string db = "sqlite:data/cxm.db";
  std::string path;
  store::BenchmarkDataset dataset;
};

// A dataset file, PEERS.csv or JSON (peers/peers_json.h): its PEERS.csv
// text and rows, and the JSON form's metadata; nullopt (with a line on
// stderr) when it cannot be read or has a problem.
struct DatasetFile {
  std::string csv;
  core::PeerTable table;
  std::optional<peers::DatasetMetadata> metadata;
};

std::optional<DatasetFile> read_dataset(const std::string& path, const char* context) {
  std::string error;
  auto text = model::read_file(path, error);
  if (!text) {
    std::cerr << path << ": cannot read the dataset: " << error << '\n';
    return std::nullopt;
  }
  DatasetFile file;
  if (peers::looks_like_json(*text)) {
    auto parsed = peers::parse_peers_json(*text);
    if (!parsed.dataset) {
      std::cerr << path << ": " << parsed.error << context << '\n';
      return std::nullopt;
    }
    file.csv = std::move(parsed.dataset->csv);
    file.table = std::move(parsed.dataset->table);
    file.metadata = std::move(parsed.dataset->metadata);
    return file;
  }
  auto parsed = peers::parse_peers_csv(*text, path);
  if (!parsed.table) {
    std::cerr << model::format(*parsed.error) << context << '\n';
    return std::nullopt;
  }
  file.csv = std::move(*text);
  file.table = std::move(*parsed.table);
  return file;
}

int run_benchmark_import(BenchmarkImportOptions options) {
  auto& d = options.dataset;
  const auto file = read_dataset(options.path, " (nothing was imported)");
  if (!file) return kExitBadInput;
  if (file->metadata) {  // the options say better, when given
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
      std::cerr << "cxm benchmark import: " << field
                << " must be 1 to 500 characters (or given in the JSON dataset's metadata)\n";
      return kExitBadInput;
    }
  }
  if (!d.published_on.empty() && !core::parse_iso_date(d.published_on)) {
    std::cerr << "cxm benchmark import: --published-on '" << d.published_on
              << "' is not a date as YYYY-MM-DD\n";
    return kExitBadInput;
  }
  const auto* peers = &*file;
  if (!secrets::init_crypto()) return kExitFailure;
  auto store = open_store(options.db, 1);
  if (!store) return kExitFailure;
  d.id = secrets::new_id();
  d.assessments = static_cast<std::int64_t>(peers->table.rows.size());
  d.competency_ids = peers->table.competency_ids;
  d.created_by = "cli";
  d.created_at = now_ms();
  try {
    store->create_benchmark_dataset(
        d, peers->csv, store::AuditEntry{"cli", "", "benchmark.import", d.name, now_ms()});
  } catch (const store::StoreError& e) {
    std::cerr << "cxm benchmark import: " << e.what() << '\n';
    return kExitFailure;
  }
  std::cout << "imported " << d.assessments << " assessments as dataset " << d.id << " (" << d.name
            << ")\n";
  return kExitOk;
}

struct ExportOptions {
  std::string db = "sqlite:data/cxm.db";
  std::string path;
  std::optional<std::string> since;
  peers::DatasetMetadata metadata;
};

int run_export(const ExportOptions& options) {
  std::optional<core::Day> since;
  if (!read_day(options.since, "--since", since)) return kExitBadInput;
  const bool as_json = options.path.ends_with(".json");
  if (!as_json && !options.path.ends_with(".csv")) {
    std::cerr << "cxm benchmark export: the file must end in .csv or .json (the form to write)\n";
    return kExitBadInput;
  }
  if (std::filesystem::exists(options.path)) {
    std::cerr << "cxm benchmark export: " << options.path << " exists already; choose a new name\n";
    return kExitBadInput;
  }
  if (!secrets::init_crypto()) return kExitFailure;
  auto store = open_store(options.db, 1);
  if (!store) return kExitBadInput;
  try {
    store::User everyone;
    everyone.is_admin = true;
    results::Results results(*store);
    const results::PeerExport peers =
        results::peer_rows(results, store->organizations_for(everyone), since);
    const std::string text = as_json ? results::write_peers_json(peers, options.metadata)
                                     : results::write_peers_csv(peers);
    std::ofstream file(options.path, std::ios::binary | std::ios::trunc);
    file << text;
    file.close();
    if (!file) {
      std::cerr << "cxm benchmark export: cannot write " << options.path << '\n';
      return kExitFailure;
    }
    store->audit("cli", "", "benchmark.export", std::to_string(peers.rows.size()) + " assessments",
                 now_ms());
    std::cout << "exported " << peers.rows.size()
              << " organizations' latest closed assessments (pseudonymized) to " << options.path
              << '\n';
    return kExitOk;
  } catch (const store::StoreError& e) {
    std::cerr << "cxm benchmark export: " << e.what() << '\n';
    return kExitFailure;
  }
}

std::string benchmark_number(const nlohmann::json& value, int digits = 1) {
  if (!value.is_number()) return "-";
  char buffer[32];
  std::snprintf(buffer, sizeof buffer, "%.*f", digits, value.get<double>());
  return buffer;
}

// One standing in words: our score, the percentile and the peers' quartiles,
// or why there is none.
std::string standing_text(const nlohmann::json& s, std::size_t minimum) {
  if (s.contains("in_dataset") && !s["in_dataset"].get<bool>()) return "not in the dataset";
  std::string text = "ours " + benchmark_number(s["score"]);
  const auto n = s["n"].get<std::size_t>();
  if (s["missing"].get<std::size_t>() > 0) {
    return text + "; " + std::to_string(n) + " peers with a value, " +
           std::to_string(s["missing"].get<std::size_t>()) + " more needed (at least " +
           std::to_string(minimum) + ")";
  }
  if (s["percentile"].is_number()) {
    text += ", ahead of " + benchmark_number(s["percentile"], 0) + "% of peers";
  }
  return text + " (n = " + std::to_string(n) + "; peers' median " + benchmark_number(s["median"]) +
         ", middle half " + benchmark_number(s["q1"]) + " to " + benchmark_number(s["q3"]) + ")";
}

void print_benchmark_text(const nlohmann::json& doc, std::ostream& out) {
  const auto& dataset = doc["dataset"];
  out << "Dataset: " << dataset["name"].get<std::string>()
      << (dataset["synthetic"].get<bool>() ? " (synthetic data)" : "") << '\n';
  if (!dataset["source"].get<std::string>().empty())
    out << "Source: " << dataset["source"].get<std::string>() << '\n';
  if (!dataset["citation"].get<std::string>().empty())
    out << "Cite as: " << dataset["citation"].get<std::string>() << '\n';
  std::string cut;
  for (const char* field : {"industry", "size_band", "region", "since", "until"}) {
    const auto& value = doc["filter"][field];
    if (value.is_string())
      cut += (cut.empty() ? "" : ", ") + std::string(field) + " " + value.get<std::string>();
  }
  const auto minimum = doc["minimum_peers"].get<std::size_t>();
  out << "Peers: " << doc["peers"].get<std::size_t>() << " assessments"
      << (cut.empty() ? "" : " (" + cut + ")") << '\n';
  if (doc["missing"].get<std::size_t>() > 0) {
    out << "Not enough peers to compare: " << doc["missing"].get<std::size_t>()
        << " more needed (a comparison needs at least " << minimum << ")\n";
    return;
  }
  out << "Overall: " << standing_text(doc["overall"], minimum) << '\n';
  for (const auto& c : doc["competencies"]) {
    out << "  " << c.value("name", c.value("id", "")) << ": " << standing_text(c, minimum) << '\n';
  }
  const auto& stages = doc["stages"];
  if (stages.is_object() && stages.contains("counts")) {
    out << "Peers per stage:";
    for (const auto& s : stages["counts"]) {
      out << ' ' << s["number"].get<int>() << ": " << s["peers"].get<std::size_t>()
          << (stages["ours"].is_number() && stages["ours"].get<int>() == s["number"].get<int>()
                  ? " (ours)"
                  : "");
    }
    out << '\n';
  }
}

int run(const BenchmarkOptions& options) {
  if (options.dataset.empty() || options.scored.empty()) {
    std::cerr << "cxm benchmark: --dataset PEERS.csv and a score document SCORED.json are required "
                 "(see cxm benchmark --help)\n";
    return kExitBadInput;
  }
  core::PeerFilter filter;
  filter.industry = options.industry;
  if (options.size_band) filter.size_band = core::canonical_size_band(*options.size_band);
  filter.region = options.region;
  if (!read_day(options.since, "--since", filter.since) ||
      !read_day(options.until, "--until", filter.until)) {
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
  const auto peers = read_dataset(options.dataset, "");
  if (!peers) return kExitBadInput;
  // Only assessments made with the same model are comparable.
  filter.model_id = own->model_id;
  const core::PeerIndex index(peers->table);
  const auto result = index.compare(filter, own->scores);
  core::DatasetProvenance provenance;
  provenance.name = std::filesystem::path(options.dataset).filename().string();
  if (peers->metadata) {
    const auto& m = *peers->metadata;
    if (!m.name.empty()) provenance.name = m.name;
    provenance.source = m.source;
    provenance.citation = m.citation;
    provenance.licence = m.licence;
    provenance.published_on = m.date;
    provenance.synthetic = m.synthetic;
  }
  const std::string doc =
      report::benchmark_document_json(provenance, index.size(), filter, *own, result);
  if (options.json) {
    std::cout << doc << '\n';
  } else {
    print_benchmark_text(nlohmann::json::parse(doc), std::cout);
  }
  return std::cout.flush() ? kExitOk : kExitFailure;
}

}  // namespace

void add_benchmark_command(CLI::App& app, int* status) {
  auto options = std::make_shared<BenchmarkOptions>();
  auto* cmd = app.add_subcommand(
      "benchmark", "Compare a scored assessment with the peers of a benchmark dataset");
  cmd->add_option("--dataset", options->dataset, "Benchmark dataset (PEERS.csv or JSON)");
  cmd->add_option("SCORED", options->scored, "Score document (from cxm score --json)");
  cmd->add_flag("--json", options->json, "Print the benchmark document as JSON");
  cmd->add_option("--industry", options->industry, "Only peers of this industry");
  cmd->add_option("--size-band,--size", options->size_band,
                  "Only peers of this size band (the dataset's size_band: 1-49, 50-249, 250-999, "
                  "1000-4999, 5000+; any dash matches)");
  cmd->add_option("--region", options->region, "Only peers of this region");
  cmd->add_option("--since", options->since, "Only assessments on or after this date (YYYY-MM-DD)");
  cmd->add_option("--until", options->until,
                  "Only assessments on or before this date (YYYY-MM-DD)");

  auto imported = std::make_shared<BenchmarkImportOptions>();
  auto* import = cmd->add_subcommand(
      "import", "Store a benchmark dataset (PEERS.csv or JSON) with its provenance for the server");
  import
      ->add_option("PEERS", imported->path,
                   "The dataset (PEERS.csv, or JSON with metadata and rows)")
      ->required();
  import->add_option("--db", imported->db,
                     "Database: sqlite:PATH or postgresql://... (default sqlite:data/cxm.db)");
  import->add_option("--name", imported->dataset.name,
                     "What the dataset is called (required unless in the JSON's metadata)");
  import->add_option("--source", imported->dataset.source,
                     "Who collected the data (required unless in the JSON's metadata)");
  import->add_option("--licence", imported->dataset.licence,
                     "Under which terms it may be used (required unless in the JSON's metadata)");
  import->add_option("--citation", imported->dataset.citation, "How to cite it");
  import->add_option("--published-on", imported->dataset.published_on,
                     "Publication date (YYYY-MM-DD)");
  import->add_flag("--synthetic", imported->dataset.synthetic,
                   "Made-up data: labelled synthetic wherever shown");
  import->callback([status, imported] { *status = run_benchmark_import(*imported);
});

auto exported = std::make_shared<ExportOptions>();
auto* exp = cmd->add_subcommand("export",
                                "Write this instance's results as a benchmark dataset: each "
                                "organization's latest closed assessment, "
                                "pseudonymized (demo organizations stay out)");
exp->add_option("FILE", exported->path, "The new dataset: FILE.csv (PEERS.csv) or FILE.json")
    ->required();
exp->add_option("--db", exported->db,
                "Database: sqlite:PATH or postgresql://... (default sqlite:data/cxm.db)");
exp->add_option("--since", exported->since,
                "Only assessments closed on or after this date (YYYY-MM-DD)");
exp->add_option("--name", exported->metadata.name, "JSON: the dataset's name, in its metadata");
exp->add_option("--source", exported->metadata.source, "JSON: who collected the data");
exp->add_option("--licence", exported->metadata.licence, "JSON: under which terms it may be used");
exp->add_option("--citation", exported->metadata.citation, "JSON: how to cite it");
exp->callback([status, exported] { *status = run_export(*exported); });
cmd->callback([status, options, import, exp] {
  if (!import->parsed() && !exp->parsed()) *status = run(*options);
});
}  // namespace cxm::cli

}  // namespace cxm::cli
