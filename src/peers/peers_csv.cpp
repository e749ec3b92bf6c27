#include "peers/peers_csv.h"

#include <algorithm>
#include <array>
#include <cctype>
#include <charconv>
#include <cmath>
#include <set>

#include "answers/csv_records.h"
#include "model/model_parser.h"
#include "model/utf8.h"

namespace cxm::peers {
namespace {

constexpr std::array<const char*, 8> kFixed = {"organization", "industry", "size_band", "region",
                                               "assessed_on",  "model_id", "stage",     "overall"};
enum Fixed {
  kOrganization,
  kIndustry,
  kSizeBand,
  kRegion,
  kAssessedOn,
  kModelId,
  kStage,
  kOverall
};

std::string trim(std::string_view s) {
  const auto first = s.find_first_not_of(" \t");
  if (first == std::string_view::npos) return {};
  return std::string(s.substr(first, s.find_last_not_of(" \t") - first + 1));
}

std::string lower(std::string s) {
  std::transform(s.begin(), s.end(), s.begin(), [](unsigned char c) { return std::tolower(c); });
  return s;
}

bool valid_id(std::string_view id) {
  return !id.empty() && id.size() <= 64 && std::all_of(id.begin(), id.end(), [](unsigned char c) {
    return std::isalnum(c) || c == '_' || c == '-' || c == '.';
  });
}

// A score 0..100, or an error message.
std::string parse_score(const std::string& cell, const std::string& column, double& value) {
  const auto [end, ec] = std::from_chars(cell.data(), cell.data() + cell.size(), value);
  if (ec != std::errc() || end != cell.data() + cell.size() || !std::isfinite(value)) {
    return column + " '" + model::printable(cell) +
           "' is not a number (write a score from 0 to 100, e.g. 57.5)";
  }
  if (value < 0 || value > 100) return column + " " + cell + " is outside 0..100";
  return {};
}

struct Header {
  std::array<std::size_t, kFixed.size()> fixed{};
  std::vector<std::size_t> competency_columns;
};

}  // namespace

PeersParseResult parse_peers_csv(std::string_view text, std::string_view file) {
  PeersParseResult result;
  const std::string file_name(file);
  auto fail = [&](int line, std::size_t column, std::string message) {
    result.error = model::Diagnostic{file_name, line, static_cast<int>(column), std::move(message)};
    return result;
  };
  if (text.substr(0, 3) == "\xEF\xBB\xBF") text.remove_prefix(3);
  if (const auto bad = model::find_invalid_utf8(text)) {
    const auto p = model::position_of(text, *bad);
    return fail(p.line, static_cast<std::size_t>(p.column), "invalid UTF-8 byte sequence");
  }
  std::vector<answers::CsvRecord> records;
  int error_line = 0;
  if (auto problem = answers::read_csv_records(text, records, error_line); !problem.empty()) {
    return fail(error_line, 0, "malformed CSV: " + problem);
  }
  const std::string expected_header =
      "organization,industry,size_band,region,assessed_on,model_id,stage,overall,<competency ids>";
  if (records.empty()) return fail(0, 0, "the file is empty; expected a header " + expected_header);

  const auto& head = records[0];
  Header header;
  header.fixed.fill(head.fields.size());
  core::PeerTable table;
  std::set<std::string> seen;
  for (std::size_t c = 0; c < head.fields.size(); ++c) {
    const std::string name = trim(head.fields[c]);
    if (!seen.insert(lower(name)).second)
      return fail(head.line, c + 1, "column '" + name + "' appears twice");
    const auto fixed = std::find(kFixed.begin(), kFixed.end(), lower(name));
    if (fixed != kFixed.end()) {
      header.fixed[static_cast<std::size_t>(fixed - kFixed.begin())] = c;
      continue;
    }
    if (!valid_id(name)) {
      return fail(head.line, c + 1,
                  "column '" + model::printable(name) +
                      "' is not a competency id (letters, digits, '_', '-', '.'; at most 64)");
    }
    header.competency_columns.push_back(c);
    table.competency_ids.push_back(name);
  }
  for (std::size_t f = 0; f < kFixed.size(); ++f) {
    if (header.fixed[f] == head.fields.size()) {
      return fail(head.line, 0,
                  std::string("the header has no column '") + kFixed[f] + "' (expected " +
                      expected_header + ")");
    }
  }
  if (table.competency_ids.size() > kMaxCompetencyColumns) {
    return fail(head.line, 0,
                "more than " + std::to_string(kMaxCompetencyColumns) + " competency columns");
  }
  if (records.size() == 1) return fail(head.line, 0, "no assessments: the file has only a header");
  if (records.size() - 1 > kMaxPeerRows) {
    return fail(0, 0, "more than " + std::to_string(kMaxPeerRows) + " assessments in one dataset");
  }

  table.rows.reserve(records.size() - 1);
  for (std::size_t r = 1; r < records.size(); ++r) {
    const auto& record = records[r];
    const int line = record.line;
    if (record.fields.size() != head.fields.size()) {
      return fail(line, 0,
                  "expected " + std::to_string(head.fields.size()) + " columns, found " +
                      std::to_string(record.fields.size()));
    }
    auto cell = [&](Fixed f) { return trim(record.fields[header.fixed[f]]); };
    auto column_of = [&](Fixed f) { return header.fixed[f] + 1; };
    core::PeerAssessment peer;
    for (Fixed f : {kOrganization, kIndustry, kSizeBand, kRegion, kModelId}) {
      std::string value = cell(f);
      if (value.size() > kMaxLabelLength) {
        return fail(line, column_of(f),
                    std::string(kFixed[f]) + " is longer than " + std::to_string(kMaxLabelLength) +
                        " characters");
      }
      if (value.empty() && (f == kOrganization || f == kModelId)) {
        return fail(line, column_of(f), std::string(kFixed[f]) + " is empty");
      }
      switch (f) {
        case kOrganization:
          peer.organization = std::move(value);
          break;
        case kIndustry:
          peer.industry = std::move(value);
          break;
        case kSizeBand:
          peer.size_band = core::canonical_size_band(value);  // "250–999" is "250-999"
          break;
        case kRegion:
          peer.region = std::move(value);
          break;
        default:
          peer.model_id = std::move(value);
          break;
      }
    }
    const std::string day = cell(kAssessedOn);
    const auto assessed_on = core::parse_iso_date(day);
    if (!assessed_on) {
      return fail(
          line, column_of(kAssessedOn),
          "assessed_on '" + model::printable(day) + "' is not a date as YYYY-MM-DD (from 1900)");
    }
    peer.assessed_on = *assessed_on;
    const std::string stage = cell(kStage);
    const auto [end, ec] = std::from_chars(stage.data(), stage.data() + stage.size(), peer.stage);
    if (ec != std::errc() || end != stage.data() + stage.size() || peer.stage < 1 ||
        peer.stage > 20) {
      return fail(line, column_of(kStage),
                  "stage '" + model::printable(stage) + "' is not a stage number 1..20");
    }
    if (auto problem = parse_score(cell(kOverall), "overall", peer.overall); !problem.empty()) {
      return fail(line, column_of(kOverall), problem);
    }
    for (std::size_t c = 0; c < header.competency_columns.size(); ++c) {
      const std::size_t column = header.competency_columns[c];
      const std::string value = trim(record.fields[column]);
      if (value.empty() || lower(value) == "na") {
        peer.competencies.emplace_back();
        continue;
      }
      double score = 0;
      if (auto problem = parse_score(value, table.competency_ids[c], score); !problem.empty()) {
        return fail(line, column + 1, problem);
      }
      peer.competencies.emplace_back(score);
    }
    table.rows.push_back(std::move(peer));
  }
  result.table = std::move(table);
  return result;
}

PeersParseResult load_peers_csv(const std::string& path) {
  std::string error;
  const auto text = model::read_file(path, error);
  if (!text) {
    PeersParseResult result;
    result.error = model::Diagnostic{path, 0, 0, "cannot read the dataset: " + error};
    return result;
  }
  return parse_peers_csv(*text, path);
}

}  // namespace cxm::peers
