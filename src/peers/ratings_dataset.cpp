#include "peers/ratings_dataset.h"

#include <algorithm>
#include <array>
#include <charconv>
#include <cmath>
#include <map>
#include <nlohmann/json.hpp>
#include <set>
#include <tuple>

#include "answers/csv_records.h"
#include "answers/json_problem.h"
#include "model/utf8.h"

namespace cxm::peers {
namespace {

constexpr std::array<const char*, 10> kColumns = {"company",     "industry",  "year",      "metric",
                                                  "name",        "scale_min", "scale_max", "value",
                                                  "respondents", "source"};
enum Column {
  kCompany,
  kIndustry,
  kYear,
  kMetric,
  kName,
  kScaleMin,
  kScaleMax,
  kValue,
  kRespondents,
  kSource
};
constexpr bool required(std::size_t c) {
  return c == kCompany || c == kIndustry || c == kYear || c == kMetric || c == kValue;
}
constexpr const char* kExpectedHeader =
    "company,industry,year,metric,value (and optionally name,scale_min,scale_max,respondents,"
    "source)";

std::string trim(std::string_view s) {
  const auto first = s.find_first_not_of(" \t");
  if (first == std::string_view::npos) return {};
  return std::string(s.substr(first, s.find_last_not_of(" \t") - first + 1));
}

std::string lower(std::string s) {
  std::transform(s.begin(), s.end(), s.begin(),
                 [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
  return s;
}

std::size_t code_points(std::string_view s) {
  return static_cast<std::size_t>(
      std::count_if(s.begin(), s.end(), [](unsigned char c) { return (c & 0xC0) != 0x80; }));
}

std::string number_text(double v) {
  char buffer[32];
  const auto [end, ec] = std::to_chars(buffer, buffer + sizeof buffer, v);
  return ec == std::errc() ? std::string(buffer, end) : std::string();
}

std::string scale_text(double min, double max) {
  return number_text(min) + " to " + number_text(max);
}

// A finite number, or nullopt.
std::optional<double> number(const std::string& cell) {
  double value = 0;
  const auto [end, ec] = std::from_chars(cell.data(), cell.data() + cell.size(), value);
  if (ec != std::errc() || end != cell.data() + cell.size() || !std::isfinite(value))
    return std::nullopt;
  return value;
}

std::optional<long long> whole_number(const std::string& cell) {
  long long value = 0;
  const auto [end, ec] = std::from_chars(cell.data(), cell.data() + cell.size(), value);
  if (ec != std::errc() || end != cell.data() + cell.size()) return std::nullopt;
  return value;
}

// A problem in one cell: its column and the message.
struct CellProblem {
  Column column;
  std::string message;
};

// A text cell: no control characters (a line break would also shift the
// lines errors name), at most `limit` (bytes or code points).
std::optional<CellProblem> check_text(Column c, const std::string& text, std::size_t limit,
                                      bool count_code_points) {
  if (std::any_of(text.begin(), text.end(),
                  [](unsigned char ch) { return ch < 0x20 || ch == 0x7F; })) {
    return CellProblem{c, std::string(kColumns[c]) + " has a control character or line break"};
  }
  const std::size_t length = count_code_points ? code_points(text) : text.size();
  if (length > limit) {
    return CellProblem{
        c, std::string(kColumns[c]) + " is longer than " + std::to_string(limit) + " characters"};
  }
  if (text.empty() && required(c)) return CellProblem{c, std::string(kColumns[c]) + " is empty"};
  return std::nullopt;
}

// One row's cells (trimmed; an absent column is empty) -> a rating.
std::optional<CellProblem> read_row(const std::array<std::string, kColumns.size()>& cells,
                                    core::CustomerRating& r) {
  const std::pair<Column, std::size_t> texts[] = {{kCompany, kMaxCompanyLength},
                                                  {kIndustry, kMaxCompanyLength},
                                                  {kName, core::kMaxMetricNameLength},
                                                  {kSource, core::kMaxMetricSourceLength}};
  for (const auto& [c, limit] : texts) {
    if (auto problem = check_text(c, cells[c], limit, c == kName || c == kSource)) return problem;
  }
  r.company = cells[kCompany];
  r.industry = cells[kIndustry];
  r.source = cells[kSource];
  const auto year = whole_number(cells[kYear]);
  if (cells[kYear].size() != 4 || !year || *year < 1900) {
    return CellProblem{
        kYear, "year '" + model::printable(cells[kYear]) + "' is not a year as YYYY (from 1900)"};
  }
  r.year = static_cast<int>(*year);
  r.metric = lower(cells[kMetric]);
  if (!core::valid_metric_id(r.metric)) {
    return CellProblem{kMetric, "metric '" + model::printable(cells[kMetric]) +
                                    "' is not nps, csat, ces or a named rating's id (a letter, "
                                    "then letters, digits or '_'; at most 40)"};
  }
  if (const auto builtin = core::builtin_metric(r.metric)) {
    if (!cells[kName].empty()) {
      return CellProblem{kName, "name is for a named rating; " + r.metric + " is cxm's " +
                                    builtin->name + " (leave name empty)"};
    }
    for (Column c : {kScaleMin, kScaleMax}) {
      if (cells[c].empty()) continue;
      const auto given = number(cells[c]);
      const double expected = c == kScaleMin ? builtin->scale_min : builtin->scale_max;
      if (!given || *given != expected) {
        return CellProblem{c, std::string(kColumns[c]) + " '" + model::printable(cells[c]) +
                                  "' is not the scale of " + r.metric + " (" +
                                  scale_text(builtin->scale_min, builtin->scale_max) +
                                  "; leave it empty)"};
      }
    }
    r.name = builtin->name;
    r.scale_min = builtin->scale_min;
    r.scale_max = builtin->scale_max;
  } else {
    std::optional<double> bounds[2];
    for (Column c : {kScaleMin, kScaleMax}) {
      auto& bound = bounds[c == kScaleMin ? 0 : 1];
      bound = number(cells[c]);
      if (!bound) {
        return CellProblem{c, std::string(kColumns[c]) + " '" + model::printable(cells[c]) +
                                  "' is not a number: a named rating (" + r.metric +
                                  ") needs its scale"};
      }
    }
    if (!(*bounds[0] < *bounds[1])) {
      return CellProblem{kScaleMax, "scale_max " + cells[kScaleMax] + " is not above scale_min " +
                                        cells[kScaleMin]};
    }
    r.scale_min = *bounds[0];
    r.scale_max = *bounds[1];
    r.name = cells[kName].empty() ? r.metric : cells[kName];
  }
  const auto value = number(cells[kValue]);
  if (!value) {
    return CellProblem{
        kValue, "value '" + model::printable(cells[kValue]) + "' is not a number (e.g. 42 or 7.5)"};
  }
  if (*value < r.scale_min || *value > r.scale_max) {
    return CellProblem{kValue, "value " + cells[kValue] + " is outside the scale of " + r.metric +
                                   " (" + scale_text(r.scale_min, r.scale_max) + ")"};
  }
  r.value = *value;
  if (!cells[kRespondents].empty()) {
    const auto n = whole_number(cells[kRespondents]);
    if (!n || *n < 1 || *n > 1'000'000'000'000LL) {
      return CellProblem{kRespondents, "respondents '" + model::printable(cells[kRespondents]) +
                                           "' is not a whole number of customers from 1 (or "
                                           "empty when unknown)"};
    }
    r.respondents = *n;
  }
  return std::nullopt;
}

// Rules across rows: one rating a company, industry, year, metric and
// scale; one name for a named rating on one scale.
class RowsSeen {
 public:
  // `json_rows`: the CSV was made from a JSON file's rows (line L is row L - 1).
  explicit RowsSeen(bool json_rows) : json_rows_(json_rows) {}

  std::optional<CellProblem> add(const core::CustomerRating& r, int line) {
    const auto key = std::make_tuple(lower(r.company), lower(r.industry), r.year, r.metric,
                                     r.scale_min, r.scale_max);
    const auto [at, fresh] = ratings_.emplace(key, line);
    if (!fresh) {
      return CellProblem{kCompany, "company '" + model::printable(r.company) + "' has a second " +
                                       r.metric + " rating for " + std::to_string(r.year) + " in " +
                                       model::printable(r.industry) + " (" +
                                       (json_rows_ ? "row " + std::to_string(at->second - 1)
                                                   : "line " + std::to_string(at->second)) +
                                       " has the first)"};
    }
    const auto [named, first] =
        names_.emplace(std::make_tuple(r.metric, r.scale_min, r.scale_max), r.name);
    if (!first && named->second != r.name) {
      return CellProblem{kName, "name '" + model::printable(r.name) + "' differs from '" +
                                    model::printable(named->second) + "', the name of " + r.metric +
                                    " (" + scale_text(r.scale_min, r.scale_max) + ") above"};
    }
    return std::nullopt;
  }

 private:
  bool json_rows_;
  std::map<std::tuple<std::string, std::string, int, std::string, double, double>, int> ratings_;
  std::map<std::tuple<std::string, double, double>, std::string> names_;
};

RatingsParseResult parse_csv(std::string_view text, std::string_view file, bool json_rows) {
  RatingsParseResult result;
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
  if (auto problem = answers::read_csv_records(text, records, error_line); !problem.empty())
    return fail(error_line, 0, "malformed CSV: " + problem);
  if (records.empty())
    return fail(0, 0, std::string("the file is empty; expected a header ") + kExpectedHeader);

  const auto& head = records[0];
  std::array<std::size_t, kColumns.size()> where;  // the column of each field, or absent
  const std::size_t absent = head.fields.size();
  where.fill(absent);
  for (std::size_t c = 0; c < head.fields.size(); ++c) {
    const std::string name = lower(trim(head.fields[c]));
    const auto known =
        std::find_if(kColumns.begin(), kColumns.end(), [&](const char* k) { return name == k; });
    if (known == kColumns.end()) {
      return fail(head.line, c + 1,
                  "column '" + model::printable(trim(head.fields[c])) + "' is not one of " +
                      kExpectedHeader);
    }
    auto& slot = where[static_cast<std::size_t>(known - kColumns.begin())];
    if (slot != absent) return fail(head.line, c + 1, "column '" + name + "' appears twice");
    slot = c;
  }
  for (std::size_t f = 0; f < kColumns.size(); ++f) {
    if (required(f) && where[f] == absent) {
      return fail(head.line, 0,
                  std::string("the header has no column '") + kColumns[f] + "' (expected " +
                      kExpectedHeader + ")");
    }
  }
  if (records.size() == 1) return fail(head.line, 0, "no ratings: the file has only a header");
  if (records.size() - 1 > kMaxRatingRows) {
    return fail(0, 0, "more than " + std::to_string(kMaxRatingRows) + " ratings in one dataset");
  }

  std::vector<core::CustomerRating> rows;
  rows.reserve(records.size() - 1);
  RowsSeen seen(json_rows);
  for (std::size_t r = 1; r < records.size(); ++r) {
    const auto& record = records[r];
    if (record.fields.size() != head.fields.size()) {
      return fail(record.line, 0,
                  "expected " + std::to_string(head.fields.size()) + " columns, found " +
                      std::to_string(record.fields.size()));
    }
    std::array<std::string, kColumns.size()> cells;
    for (std::size_t f = 0; f < kColumns.size(); ++f) {
      if (where[f] != absent) cells[f] = trim(record.fields[where[f]]);
    }
    core::CustomerRating rating;
    auto problem = read_row(cells, rating);
    if (!problem) problem = seen.add(rating, record.line);
    if (problem) return fail(record.line, where[problem->column] + 1, problem->message);
    rows.push_back(std::move(rating));
  }
  result.rows = std::move(rows);
  return result;
}

}  // namespace

RatingsParseResult parse_ratings_csv(std::string_view text, std::string_view file) {
  return parse_csv(text, file, false);
}

namespace {

using json = nlohmann::ordered_json;

struct Failure {
  std::string message;
};

std::string where(std::size_t row, const std::string& field) {
  return "row " + std::to_string(row + 1) + ", field " + field;
}

// One field's text for the CSV form, after the checks a CSV file cannot
// make (JSON types); the value's own checks are the CSV reader's.
std::string cell_text(const json& value, std::size_t row, Column c) {
  const std::string field = kColumns[c];
  if (value.is_null()) {
    if (required(c)) throw Failure{where(row, field) + ": missing"};
    return "";
  }
  switch (c) {
    case kYear:
      if (!value.is_number_integer())
        throw Failure{where(row, field) + ": must be a whole number (a year as YYYY)"};
      return std::to_string(value.get<long long>());
    case kRespondents:
      if (!value.is_number_integer())
        throw Failure{where(row, field) + ": must be a whole number of customers, or null"};
      return std::to_string(value.get<long long>());
    case kValue:
    case kScaleMin:
    case kScaleMax:
      if (!value.is_number())
        throw Failure{where(row, field) + ": must be a number" + (required(c) ? "" : ", or null")};
      return number_text(value.get<double>());
    default:
      if (!value.is_string()) throw Failure{where(row, field) + ": must be text"};
      return value.get<std::string>();
  }
}

}  // namespace

RatingsJsonResult parse_ratings_json(std::string_view text) {
  RatingsJsonResult result;
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
    RatingsJson dataset;
    if (auto problem = read_dataset_metadata(doc, dataset.metadata); !problem.empty())
      throw Failure{problem};
    if (!doc.contains("rows") || !doc["rows"].is_array())
      throw Failure{"rows: must be a list of ratings"};
    const json& rows = doc["rows"];
    if (rows.empty()) throw Failure{"rows: no ratings"};
    if (rows.size() > kMaxRatingRows)
      throw Failure{"rows: more than " + std::to_string(kMaxRatingRows) + " ratings"};
    std::string csv;
    for (std::size_t c = 0; c < kColumns.size(); ++c)
      csv += std::string(c ? "," : "") + kColumns[c];
    csv += "\n";
    for (std::size_t r = 0; r < rows.size(); ++r) {
      const json& row = rows[r];
      if (!row.is_object()) throw Failure{"row " + std::to_string(r + 1) + ": must be an object"};
      for (const auto& item : row.items()) {
        const std::string& key = item.key();
        if (std::none_of(kColumns.begin(), kColumns.end(), [&](const char* k) { return key == k; }))
          throw Failure{where(r, model::printable(key)) + ": is not a field of a rating (" +
                        kExpectedHeader + ")"};
      }
      for (std::size_t c = 0; c < kColumns.size(); ++c) {
        const auto found = row.find(kColumns[c]);
        const std::string cell =
            cell_text(found == row.end() ? json(nullptr) : *found, r, static_cast<Column>(c));
        // One CSV line per row: a line break would shift the rows errors name.
        if (cell.find_first_of("\r\n") != std::string::npos)
          throw Failure{where(r, kColumns[c]) + ": has a line break"};
        csv += (c ? "," : "") + answers::quote_csv_field(cell);
      }
      csv += "\n";
    }
    // The values' own checks, as for a CSV file: line L of the CSV is row L - 1.
    auto parsed = parse_csv(csv, "rows", true);
    if (!parsed.rows) {
      const auto& e = *parsed.error;
      std::string place = e.line >= 2 ? "row " + std::to_string(e.line - 1) : std::string("rows");
      if (e.column > 0 && static_cast<std::size_t>(e.column) <= kColumns.size())
        place += std::string(", field ") + kColumns[static_cast<std::size_t>(e.column) - 1];
      throw Failure{place + ": " + e.message};
    }
    dataset.rows = std::move(*parsed.rows);
    result.dataset = std::move(dataset);
  } catch (const Failure& f) {
    result.error = f.message;
  } catch (const json::exception& e) {
    result.error = std::string("unexpected JSON: ") + model::printable(e.what());
  }
  return result;
}

std::string write_ratings_csv(const std::vector<core::CustomerRating>& rows) {
  std::string csv;
  for (std::size_t c = 0; c < kColumns.size(); ++c) csv += std::string(c ? "," : "") + kColumns[c];
  csv += "\n";
  for (const auto& r : rows) {
    const bool builtin = core::builtin_metric(r.metric).has_value();
    const std::string cells[] = {r.company,
                                 r.industry,
                                 std::to_string(r.year),
                                 r.metric,
                                 builtin ? "" : r.name,
                                 builtin ? "" : number_text(r.scale_min),
                                 builtin ? "" : number_text(r.scale_max),
                                 number_text(r.value),
                                 r.respondents ? std::to_string(*r.respondents) : "",
                                 r.source};
    for (std::size_t c = 0; c < std::size(cells); ++c)
      csv += (c ? "," : "") + answers::quote_csv_field(cells[c]);
    csv += "\n";
  }
  return csv;
}

}  // namespace cxm::peers
