// Benchmark datasets as JSON (docs/benchmark-datasets.md): the same columns
// as PEERS.csv, with the dataset's provenance beside its rows:
//   {"metadata": {"name", "source", "citation", "licence", "date",
//                 "synthetic"},
//    "rows": [{"organization", "industry", "size_band", "region",
//              "assessed_on", "model_id", "stage", "overall",
//              <competency id>: score or null, ...}, ...]}
// Every row is checked as PEERS.csv rows are, all or nothing; the first
// problem is reported with its row (1-based) and field. A valid file is
// turned into the equivalent PEERS.csv text, which is what a dataset
// stores, so both forms behave the same everywhere after import.
#pragma once

#include <optional>
#include <string>
#include <string_view>

#include "core/benchmark.h"
#include "peers/dataset_metadata.h"

namespace cxm::peers {

struct PeersJson {
  DatasetMetadata metadata;
  std::string csv;        // the rows as PEERS.csv (header: the fixed columns, then competency ids)
  core::PeerTable table;  // parsed from `csv`
};

struct PeersJsonResult {
  std::optional<PeersJson> dataset;  // present exactly when error is empty
  std::string error;                 // e.g. "row 3, field overall: overall 101 is outside 0..100"
};

PeersJsonResult parse_peers_json(std::string_view text);

}  // namespace cxm::peers
