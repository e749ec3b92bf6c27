// `cxm metrics import|list|delete --db URL --org ORG`: an organization's
// customer metrics (SPEC section 4.10, docs/customer-metrics.md), as the
// API's /api/orgs/{org}/customer-metrics gives them. Operator commands —
// whoever can open the database may run them — like `cxm export`.
#include <CLI/CLI.hpp>
#include <algorithm>
#include <iostream>
#include <map>
#include <nlohmann/json.hpp>
#include <set>
#include <sstream>

#include "cli/common.h"
#include "metrics/metrics_reader.h"
#include "model/model_parser.h"
#include "results/customer_metrics.h"
#include "results/metrics_import.h"
#include "store/store.h"

namespace cxm::cli {
namespace {

struct MetricsOptions {
  std::string db = "sqlite:data/cxm.db";
  std::string org;
  std::string file;    // import
  std::string metric;  // delete
  bool json = false;   // list
};

// Opens the store and finds the organization, or says why not (nullopt).
struct Opened {
  std::unique_ptr<store::Store> store;
  store::Organization org;
};
std::optional<Opened> open_org(const MetricsOptions& options) {
  auto store = open_store(options.db, 1);
  if (!store) return std::nullopt;
  auto org = find_org(*store, options.org);
  if (!org) {
    std::cerr << "cxm: no organization with the id or name " << options.org << '\n';
    return std::nullopt;
  }
  return Opened{std::move(store), std::move(*org)};
}

std::string figures(std::size_t n) { return std::to_string(n) + (n == 1 ? " figure" : " figures"); }

int run_import(const MetricsOptions& options) {
  std::string error;
  const auto text = model::read_file(options.file, error);
  if (!text) {
    std::cerr << "cxm: " << options.file << ": cannot read the file: " << error << '\n';
    return kExitBadInput;
  }
  auto opened = open_org(options);
  if (!opened) return kExitBadInput;
  const auto& org = opened->org;
  const auto read = metrics::read_metrics(*text, &org.units);
  if (!read.file) {
    std::cerr << "cxm: " << options.file << ": " << read.error << "; nothing was imported\n";
    return kExitBadInput;
  }
  const auto result = results::import_metrics_file(
      *opened->store, org.id, *read.file,
      store::AuditEntry{"cli", org.id, "customer_metrics.import",
                        std::to_string(read.file->figures.size()) + " figures", now_ms()});
  if (result.outcome != store::MetricsImportOutcome::imported) {
    std::cerr << "cxm: " << options.file << ": "
              << (result.problem.empty() ? "the organization is gone" : result.problem)
              << "; nothing was imported\n";
    return kExitBadInput;
  }
  std::cout << "imported " << figures(read.file->figures.size()) << " into '" << org.name
            << "': " << result.added << " added, " << result.replaced << " replaced\n";
  return kExitOk;
}

template <class Strings>
std::string joined(const Strings& values) {
  std::string out;
  for (const auto& v : values) out += (out.empty() ? "" : ", ") + v;
  return out;
}

std::string number_text(double v) {
  std::ostringstream out;
  out << v;
  return out.str();
}

// Each metric: what it is, its scale, and what its figures cover.
void print_metrics(const nlohmann::json& metrics, const std::string& org_name) {
  if (metrics.empty()) {
    std::cout << "No customer metrics for '" << org_name
              << "'. Import them with cxm metrics import.\n";
    return;
  }
  for (const auto& m : metrics) {
    std::vector<std::string> units;  // as the series has them: the whole organization first
    std::set<std::string> sources;
    std::string first, last;
    for (const auto& f : m["series"]) {
      const std::string unit =
          f["unit"].is_null() ? "the whole organization" : f["unit"].get<std::string>();
      if (std::find(units.begin(), units.end(), unit) == units.end()) units.push_back(unit);
      sources.insert(f["source"].get<std::string>());
      const std::string period = f["period"];
      if (first.empty() || period < first) first = period;
      if (last.empty() || period > last) last = period;
    }
    std::cout << m["metric"].get<std::string>() << ": " << m["name"].get<std::string>()
              << ", on the scale " << number_text(m["scale"]["min"].get<double>()) << " to "
              << number_text(m["scale"]["max"].get<double>()) << " (higher is better)"
              << (m["synthetic"].get<bool>() ? " [synthetic]" : "") << '\n'
              << "  " << m["definition"].get<std::string>() << '\n'
              << "  " << m["series"].size() << " figures, " << first << " to " << last << "; "
              << joined(units) << '\n'
              << "  source: " << joined(sources) << '\n';
  }
}

int run_list(const MetricsOptions& options) {
  auto opened = open_org(options);
  if (!opened) return kExitBadInput;
  const auto metrics =
      results::customer_metrics_json(opened->store->customer_metrics_of(opened->org.id));
  if (options.json) {
    std::cout << nlohmann::json{{"metrics", metrics}}.dump(2) << '\n';
  } else {
    print_metrics(metrics, opened->org.name);
  }
  return kExitOk;
}

int run_delete(const MetricsOptions& options) {
  auto opened = open_org(options);
  if (!opened) return kExitBadInput;
  const std::size_t deleted = opened->store->delete_customer_metric(
      opened->org.id, options.metric,
      store::AuditEntry{"cli", opened->org.id, "customer_metrics.delete", options.metric,
                        now_ms()});
  if (deleted == 0) {
    std::cerr << "cxm: '" << opened->org.name << "' has no figures of the metric " << options.metric
              << '\n';
    return kExitBadInput;
  }
  std::cout << "deleted " << figures(deleted) << " of " << options.metric << " from '"
            << opened->org.name << "'\n";
  return kExitOk;
}

// Runs `run`, a store failure being one line and exit 1.
int guarded(int (*run)(const MetricsOptions&), const MetricsOptions& options) {
  try {
    return run(options);
  } catch (const store::StoreError& e) {
    std::cerr << "cxm: " << e.what() << '\n';
    return kExitFailure;
  }
}

void add_common(CLI::App* cmd, MetricsOptions& options) {
  cmd->add_option("--db", options.db,
                  "sqlite:PATH (default sqlite:data/cxm.db) or postgresql://...");
  cmd->add_option("--org", options.org, "The organization's id or exact name")->required();
}

}  // namespace

void add_metrics_command(CLI::App& app, int* status) {
  auto* cmd = app.add_subcommand(
      "metrics", "An organization's customer metrics (NPS, CSAT, CES, named ratings)");
  cmd->require_subcommand(1);

  auto in = std::make_shared<MetricsOptions>();
  auto* imp = cmd->add_subcommand(
      "import",
      "Import figures from a CSV or JSON file (docs/customer-metrics.md), all or nothing");
  add_common(imp, *in);
  imp->add_option("FILE", in->file, "CSV, or JSON when it starts with '{'")->required();
  imp->callback([status, in] { *status = guarded(run_import, *in); });

  auto listed = std::make_shared<MetricsOptions>();
  auto* list = cmd->add_subcommand("list", "List the metrics with their definitions and figures");
  add_common(list, *listed);
  list->add_flag("--json", listed->json, "Print {\"metrics\": [...]} as the API gives it");
  list->callback([status, listed] { *status = guarded(run_list, *listed); });

  auto gone = std::make_shared<MetricsOptions>();
  auto* del = cmd->add_subcommand("delete", "Delete every figure of one metric");
  add_common(del, *gone);
  del->add_option("METRIC", gone->metric, "nps, csat, ces or a named rating's id")->required();
  del->callback([status, gone] { *status = guarded(run_delete, *gone); });
}

}  // namespace cxm::cli
