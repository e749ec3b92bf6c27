#include "peers/peers_json.h"

#include <algorithm>
#include <array>
#include <cctype>
#include <charconv>
#include <cmath>
#include <nlohmann/json.hpp>

#include "answers/csv_records.h"
#include "answers/json_problem.h"
#include "model/utf8.h"
#include "peers/peers_csv.h"

namespace cxm::peers {
namespace {

// Objects keep the file's order: competencies are columns in the order first seen.
using json = nlohmann::ordered_json;

constexpr std::array<const char*, 8> kFixed = {"organization", "industry", "size_band", "region",
                                               "assessed_on",  "model_id", "stage",     "overall"};

bool is_fixed(const std::string& key) {
  for (const char* f : kFixed) {
    if (key == f) return true;
  }
  return false;
}

std::string number_text(double v) {
  char buffer[32];
  const auto [end, ec] = std::to_chars(buffer, buffer + sizeof buffer, v);
  return ec == std::errc() ? std::string(buffer, end) : std::string();
}

struct Failure {
  std::string message;
};

std::string where(std::size_t row, const std::string& field) {
  return "row " + std::to_string(row + 1) + ", field " + field;
}

// One cell's text for PEERS.csv, after the checks a CSV file cannot make
// (JSON types); the value's own checks are the CSV reader's.
std::string cell_text(const json& value, std::size_t row, const std::string& field) {
  if (field == "stage") {
    if (!value.is_number_integer())
      throw Failure{where(row, field) + ": must be a whole number (a stage 1..20)"};
    return std::to_string(value.get<long long>());
  }
  if (field == "overall") {
    if (!value.is_number()) throw Failure{where(row, field) + ": must be a number from 0 to 100"};
    return number_text(value.get<double>());
  }
  if (is_fixed(field)) {
    if (value.is_null() && field != "organization" && field != "model_id" && field != "assessed_on")
      return "";
    if (!value.is_string()) throw Failure{where(row, field) + ": must be text"};
    const auto text = value.get<std::string>();
    // One CSV line per row: a line break would shift the rows named in errors.
    if (text.find_first_of("\r\n") != std::string::npos)
      throw Failure{where(row, field) + ": has a line break"};
    return text;
  }
  if (value.is_null()) return "";
  if (!value.is_number())
    throw Failure{where(row, field) + ": must be a number from 0 to 100, or null"};
  return number_text(value.get<double>());
}

}  // namespace

PeersJsonResult parse_peers_json(std::string_view text) {
  PeersJsonResult result;
  if (text.substr(0, 3) == "\xEF\xBB\xBF") text.remove_prefix(3);
  json doc;
  try {
    doc = json::parse(text);
  } catch (const json::exception& e) {  // also out_of_range: a number too large for a double
    result.error = answers::json_problem_text(text, e);
    return result;
  }
  try {
    if (!doc.is_object())
      throw Failure{"expected an object {\"metadata\": {...}, \"rows\": [...]}"};
    for (const auto& [key, value] : doc.items()) {
      if (key != "metadata" && key != "rows")
        throw Failure{"unknown field '" + model::printable(key) + "' (metadata, rows)"};
    }
    PeersJson dataset;
    if (auto problem = read_dataset_metadata(doc, dataset.metadata); !problem.empty())
      throw Failure{problem};
    if (!doc.contains("rows") || !doc["rows"].is_array())
      throw Failure{"rows: must be a list of assessments"};
    const json& rows = doc["rows"];
    if (rows.empty()) throw Failure{"rows: no assessments"};
    if (rows.size() > kMaxPeerRows)
      throw Failure{"rows: more than " + std::to_string(kMaxPeerRows) + " assessments"};
    // The competency columns: every other field of any row, in the order first seen.
    std::vector<std::string> competencies;
    for (std::size_t r = 0; r < rows.size(); ++r) {
      if (!rows[r].is_object())
        throw Failure{"row " + std::to_string(r + 1) + ": must be an object"};
      for (const auto& [key, value] : rows[r].items()) {
        if (is_fixed(key) ||
            std::find(competencies.begin(), competencies.end(), key) != competencies.end())
          continue;
        const bool valid = !key.empty() && key.size() <= 64 &&
                           std::all_of(key.begin(), key.end(), [](unsigned char c) {
                             return std::isalnum(c) || c == '_' || c == '-' || c == '.';
                           });
        if (!valid) {
          throw Failure{where(r, model::printable(key)) +
                        ": is not a competency id (letters, digits, '_', '-', '.'; at most 64) nor "
                        "a column of PEERS.csv"};
        }
        competencies.push_back(key);
        if (competencies.size() > kMaxCompetencyColumns)
          throw Failure{"more than " + std::to_string(kMaxCompetencyColumns) + " competencies"};
      }
    }
    std::vector<std::string> header(kFixed.begin(), kFixed.end());
    header.insert(header.end(), competencies.begin(), competencies.end());
    std::string csv;
    for (std::size_t c = 0; c < header.size(); ++c)
      csv += (c ? "," : "") + answers::quote_csv_field(header[c]);
    csv += "\n";
    for (std::size_t r = 0; r < rows.size(); ++r) {
      const json& row = rows[r];
      for (const char* f : {"organization", "assessed_on", "model_id", "stage", "overall"}) {
        if (!row.contains(f)) throw Failure{where(r, f) + ": missing"};
      }
      for (std::size_t c = 0; c < header.size(); ++c) {
        const auto found = row.find(header[c]);
        csv += (c ? "," : "") + answers::quote_csv_field(found == row.end()
                                                             ? std::string()
                                                             : cell_text(*found, r, header[c]));
      }
      csv += "\n";
    }
    // The values' own checks, as for PEERS.csv: line L of the CSV is row L - 1.
    auto parsed = parse_peers_csv(csv, "rows");
    if (!parsed.table) {
      const auto& e = *parsed.error;
      std::string place = e.line >= 2 ? "row " + std::to_string(e.line - 1) : std::string("rows");
      if (e.column > 0 && static_cast<std::size_t>(e.column) <= header.size()) {
        place += ", field " + model::printable(header[static_cast<std::size_t>(e.column) - 1]);
      }
      throw Failure{place + ": " + e.message};
    }
    dataset.csv = std::move(csv);
    dataset.table = std::move(*parsed.table);
    result.dataset = std::move(dataset);
  } catch (const Failure& f) {
    result.error = f.message;
  } catch (const json::exception& e) {
    result.error = std::string("unexpected JSON: ") + e.what();
  }
  return result;
}

}  // namespace cxm::peers
