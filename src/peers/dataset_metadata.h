// The provenance a dataset file carries beside its rows (benchmark
// datasets, customer-ratings datasets): the "metadata" object of their JSON
// form, read the same way for both.
#pragma once

#include <nlohmann/json_fwd.hpp>
#include <string>
#include <string_view>

namespace cxm::peers {

// What "metadata" says; every field may be absent (empty).
struct DatasetMetadata {
  std::string name, source, citation, licence, date;
  bool synthetic = false;
};

// Reads `doc["metadata"]` (absent: all empty) into `metadata`: only the
// fields name, source, citation, licence, date (YYYY-MM-DD) and synthetic
// (true or false), text of at most 1000 bytes. Returns the first problem
// ("metadata, field date: must be a date as YYYY-MM-DD"), or empty.
std::string read_dataset_metadata(const nlohmann::ordered_json& doc, DatasetMetadata& metadata);

// Whether `text` looks like a JSON dataset rather than CSV (its first
// non-blank character, after a byte-order mark, is '{').
bool looks_like_json(std::string_view text);

}  // namespace cxm::peers
