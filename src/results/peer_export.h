// This instance's results as a benchmark dataset for elsewhere: the one
// export behind both GET /api/benchmarks/export.csv and `cxm benchmark
// export`. Each organization's latest closed assessment
// (results/benchmark_position.h) under a random pseudonym, new at every
// export; demo organizations (synthetic data) stay home.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "peers/peers_json.h"
#include "results/benchmark_position.h"

namespace cxm::results {

struct PeerRow {
  std::string pseudonym;  // "client-" and 8 hex digits
  std::string industry;
  std::string size_band;
  std::string assessed_on;  // YYYY-MM-DD
  std::string model_id;
  int stage = 1;
  double overall = 0;
  std::vector<std::optional<double>> competencies;  // as PeerExport::competency_ids
};

struct PeerExport {
  std::vector<std::string> competency_ids;  // in order of first appearance
  std::vector<PeerRow> rows;                // in pseudonym order
};

// The rows of every organization in `orgs` (those the exporting user may
// see) assessed on or after `since`. Blocks.
PeerExport peer_rows(Results& results, const std::vector<store::Organization>& orgs,
                     std::optional<core::Day> since);

// As PEERS.csv (peers/peers_csv.h), numbers in their shortest exact form,
// an unknown competency score an empty field.
std::string write_peers_csv(const PeerExport& peers);
// As a JSON dataset (peers/peers_json.h) with `metadata` (never synthetic).
std::string write_peers_json(const PeerExport& peers, const peers::DatasetMetadata& metadata);

}  // namespace cxm::results
