#include "metrics/metrics_reader.h"

#include <algorithm>
#include <array>
#include <cctype>
#include <charconv>
#include <cmath>
#include <map>
#include <nlohmann/json.hpp>
#include <tuple>

#include "answers/csv_records.h"
#include "answers/json_problem.h"
#include "model/diagnostic.h"
#include "model/utf8.h"
#include "policy/names.h"

namespace cxm::metrics {
namespace {

constexpr std::array<std::string_view, 10> kFields = {
    "period", "unit", "metric",     "value",     "respondents",
    "source", "name", "definition", "scale_min", "scale_max"};
constexpr std::size_t kRequiredFields = 6;  // the first six of kFields
constexpr const char* kFieldList =
    "period, unit, metric, value, respondents, source, and optionally name, definition, "
    "scale_min, scale_max";
// A scale's ends stay within this, so that a value read on 0..100 is a
// number.
constexpr double kMaxScaleMagnitude = 1e9;  // said in words below

// The first problem, thrown inside this file only and returned as the
// reader's error.
struct Failure {
  std::string message;
};

[[noreturn]] void fail(const Place& place, std::string_view field, const std::string& message) {
  throw Failure{where(place, field) + ": " + message};
}

std::string trim(std::string_view s) {
  const auto first = s.find_first_not_of(" \t");
  if (first == std::string_view::npos) return {};
  return std::string(s.substr(first, s.find_last_not_of(" \t") - first + 1));
}

std::string lower(std::string s) {
  std::transform(s.begin(), s.end(), s.begin(),
                 [](unsigned char c) { return c >= 'A' && c <= 'Z' ? c - 'A' + 'a' : c; });
  return s;
}

std::string number_text(double v) {
  char buffer[32];
  const auto [end, ec] = std::to_chars(buffer, buffer + sizeof buffer, v);
  return ec == std::errc() ? std::string(buffer, end) : std::string("?");
}

std::string scale_text(const core::MetricDefinition& d) {
  return number_text(d.scale_min) + " to " + number_text(d.scale_max);
}

std::string in_quotes(std::string_view text) { return "'" + model::printable(text) + "'"; }

// One row as read, its numbers already numbers; what they mean is checked
// by Checker.
struct RowInput {
  Place place;
  std::string period, unit, metric, source, name, definition;
  double value = 0;
  std::string value_text;  // as written, for messages
  std::int64_t respondents = 0;
  std::string respondents_text;
  std::optional<double> scale_min, scale_max;
};

std::string respondents_rule() {
  return "must be a whole number from 1 to " + std::to_string(kMaxMetricRespondents) +
         " (the customers behind the figure)";
}

// Equal ignoring ASCII case and outer spaces.
bool same_letters(std::string_view a, std::string_view b) {
  auto trim = [](std::string_view t) {
    while (!t.empty() && t.front() == ' ') t.remove_prefix(1);
    while (!t.empty() && t.back() == ' ') t.remove_suffix(1);
    return t;
  };
  a = trim(a);
  b = trim(b);
  if (a.size() != b.size()) return false;
  for (std::size_t i = 0; i < a.size(); ++i) {
    if (std::tolower(static_cast<unsigned char>(a[i])) !=
        std::tolower(static_cast<unsigned char>(b[i])))
      return false;
  }
  return true;
}

// One-line text of at most `max_length` characters.
void check_text(const Place& place, std::string_view field, const std::string& text,
                std::size_t max_length) {
  if (policy::find_control_character(text)) {
    fail(place, field,
         "has a control character (such as a line break or a tab): write it on one line as "
         "plain text");
  }
  if (model::code_point_count(text) > max_length) {
    fail(place, field, "is longer than " + std::to_string(max_length) + " characters");
  }
}

// Checks each row's meaning and gathers the file's definitions and figures.
class Checker {
 public:
  explicit Checker(const std::vector<std::string>* units) : units_(units) {}

  void add(const RowInput& row) {
    const Place& at = row.place;
    const auto period = core::parse_period(row.period);
    if (row.period.empty())
      fail(at, "period", "is empty: write a month as YYYY-MM or a day as YYYY-MM-DD");
    if (!period) {
      fail(at, "period",
           in_quotes(row.period) +
               " is not a period: write a month as YYYY-MM (e.g. 2026-03) or a day as YYYY-MM-DD");
    }
    check_unit(at, row.unit);
    const core::MetricDefinition metric = definition_of(row);
    if (!(row.value >= metric.scale_min && row.value <= metric.scale_max)) {
      fail(at, "value",
           row.value_text + " is outside the scale of " + metric.id + " (" + scale_text(metric) +
               ")");
    }
    if (row.respondents < 1 || row.respondents > kMaxMetricRespondents) {
      fail(at, "respondents", row.respondents_text + ": " + respondents_rule());
    }
    if (row.source.empty()) {
      fail(at, "source", "is empty: say where the figure comes from (e.g. Quarterly NPS survey)");
    }
    check_text(at, "source", row.source, core::kMaxMetricSourceLength);
    core::CustomerFigure figure{
        metric.id, core::to_text(*period), row.unit, row.value, row.respondents, row.source, false};
    const auto key = std::make_tuple(figure.metric, figure.period, figure.unit);
    const auto [it, added] = seen_.emplace(key, at);
    if (!added) {
      fail(at, "period",
           figure.metric + " for " + figure.period + ", " +
               (figure.unit.empty() ? std::string("the whole organization")
                                    : "unit " + model::printable(figure.unit)) +
               ", is also on " + where(it->second) + ": give each metric, period and unit once");
    }
    file_.figures.push_back(std::move(figure));
    file_.figure_places.push_back(at);
  }

  MetricsFile take() { return std::move(file_); }

 private:
  void check_unit(const Place& at, const std::string& unit) {
    if (unit.empty()) return;
    check_text(at, "unit", unit, kMaxMetricUnitLength);
    if (!units_ || std::find(units_->begin(), units_->end(), unit) != units_->end()) return;
    std::string listed;
    for (const auto& u : *units_) listed += (listed.empty() ? "" : ", ") + u;
    fail(at, "unit",
         in_quotes(unit) + " is not one of the organization's units (" +
             (listed.empty() ? std::string("it has none") : listed) +
             "); leave it empty for the whole organization");
  }

  core::MetricDefinition definition_of(const RowInput& row) {
    const Place& at = row.place;
    const std::string id = lower(row.metric);
    if (id.empty()) {
      fail(at, "metric", "is empty: write nps, csat, ces or the id of a named rating");
    }
    if (const auto builtin = core::builtin_metric(id)) {
      const std::string said = id + " is a built-in metric (" + builtin->name + ")";
      if (!row.name.empty()) fail(at, "name", said + ": leave name empty");
      if (!row.definition.empty()) fail(at, "definition", said + ": leave definition empty");
      if (row.scale_min && *row.scale_min != builtin->scale_min)
        fail(at, "scale_min",
             said + " on the scale " + scale_text(*builtin) + ": leave scale_min empty");
      if (row.scale_max && *row.scale_max != builtin->scale_max)
        fail(at, "scale_max",
             said + " on the scale " + scale_text(*builtin) + ": leave scale_max empty");
      return *builtin;
    }
    if (!core::valid_metric_id(id)) {
      fail(at, "metric",
           in_quotes(row.metric) +
               " is not a metric: write nps, csat, ces, or a named rating's id (a letter, then up "
               "to 39 letters, digits or _)");
    }
    const std::string named = id + " is a named rating";
    if (!row.scale_min)
      fail(at, "scale_min", named + ": give its scale in scale_min and scale_max (e.g. 1 and 5)");
    if (!row.scale_max)
      fail(at, "scale_max", named + ": give its scale in scale_min and scale_max (e.g. 1 and 5)");
    for (const auto& [field, end] :
         {std::pair{"scale_min", *row.scale_min}, std::pair{"scale_max", *row.scale_max}}) {
      if (std::fabs(end) > kMaxScaleMagnitude)
        fail(at, field,
             number_text(end) + " is too large: a scale's ends lie from -1000000000 to 1000000000");
    }
    if (!(*row.scale_min < *row.scale_max)) {
      fail(at, "scale_max",
           number_text(*row.scale_max) + " is not above scale_min (" + number_text(*row.scale_min) +
               "): a scale runs up from scale_min to scale_max, and higher is better");
    }
    if (row.definition.empty())
      fail(at, "definition", named + ": say in definition what it measures and how");
    check_text(at, "name", row.name, core::kMaxMetricNameLength);
    check_text(at, "definition", row.definition, core::kMaxMetricDefinitionLength);
    // A named rating may not pass for a built-in metric on every screen.
    for (const auto& builtin : core::builtin_metrics()) {
      if (same_letters(row.name, builtin.name) || same_letters(row.name, builtin.id)) {
        fail(at, "name",
             "'" + row.name + "' is the built-in " + builtin.id +
                 "; give a named rating a name of its own, or import it as metric " + builtin.id);
      }
    }
    core::MetricDefinition d{
        id,   row.name.empty() ? id : row.name, row.definition, *row.scale_min, *row.scale_max,
        false};
    const auto known = named_.find(id);
    if (known == named_.end()) {
      named_.emplace(id, file_.named.size());
      file_.named.push_back(d);
      file_.named_places.push_back(at);
      return d;
    }
    const auto& first = file_.named[known->second];
    const char* differs = first.name != d.name               ? "name"
                          : first.definition != d.definition ? "definition"
                          : first.scale_min != d.scale_min   ? "scale_min"
                          : first.scale_max != d.scale_max   ? "scale_max"
                                                             : nullptr;
    if (differs) {
      fail(at, differs,
           "differs from " + where(file_.named_places[known->second]) + ": every row of " + id +
               " carries the same name, definition and scale");
    }
    return first;
  }

  const std::vector<std::string>* units_;
  MetricsFile file_;
  std::map<std::string, std::size_t> named_;  // id -> index in file_.named
  std::map<std::tuple<std::string, std::string, std::string>, Place> seen_;
};

// ---- CSV ----

std::optional<double> csv_number(const Place& at, std::string_view field, const std::string& cell,
                                 bool required) {
  if (cell.empty()) {
    if (required) fail(at, field, "is empty: write a number (e.g. 42 or 7.5)");
    return std::nullopt;
  }
  double value = 0;
  const auto [end, ec] = std::from_chars(cell.data(), cell.data() + cell.size(), value);
  if (ec != std::errc() || end != cell.data() + cell.size() || !std::isfinite(value)) {
    fail(at, field,
         in_quotes(cell) + " is not a number (write e.g. 42 or 7.5, with a decimal point)");
  }
  return value;
}

std::int64_t csv_whole_number(const Place& at, const std::string& cell) {
  std::int64_t value = 0;
  const auto [end, ec] = std::from_chars(cell.data(), cell.data() + cell.size(), value);
  if (cell.empty() || ec != std::errc() || end != cell.data() + cell.size()) {
    fail(at, "respondents",
         (cell.empty() ? "is empty" : in_quotes(cell)) + ": " + respondents_rule());
  }
  return value;
}

// Column index of each of kFields in the header, or -1.
std::array<int, kFields.size()> read_header(const answers::CsvRecord& head) {
  std::array<int, kFields.size()> columns;
  columns.fill(-1);
  const Place at{true, head.line};
  for (std::size_t c = 0; c < head.fields.size(); ++c) {
    const std::string name = lower(trim(head.fields[c]));
    if (name.empty()) {
      fail(at, "",
           "column " + std::to_string(c + 1) + " has no name (the columns are " + kFieldList + ")");
    }
    const auto known = std::find(kFields.begin(), kFields.end(), name);
    if (known == kFields.end()) {
      fail(at, model::printable(name),
           std::string("unknown column (the columns are ") + kFieldList + ")");
    }
    auto& column = columns[static_cast<std::size_t>(known - kFields.begin())];
    if (column >= 0) fail(at, name, "appears twice");
    column = static_cast<int>(c);
  }
  for (std::size_t f = 0; f < kRequiredFields; ++f) {
    if (columns[f] < 0) {
      fail(at, "",
           "the header has no column " + std::string(kFields[f]) + " (the columns are " +
               kFieldList + ")");
    }
  }
  return columns;
}

MetricsFile read_csv(std::string_view text, const std::vector<std::string>* units) {
  if (const auto bad = model::find_invalid_utf8(text)) {
    fail(Place{true, model::position_of(text, *bad).line}, "",
         "invalid UTF-8 (save the file as UTF-8)");
  }
  std::string_view body = text;
  if (body.substr(0, 3) == "\xEF\xBB\xBF") body.remove_prefix(3);
  std::vector<answers::CsvRecord> records;
  int error_line = 0;
  const auto problem =
      answers::read_csv_records(text, records, error_line, answers::detect_csv_separator(body));
  if (!problem.empty()) fail(Place{true, error_line}, "", "malformed CSV: " + problem);
  if (records.empty()) {
    throw Failure{
        "the file is empty: give a header (period,unit,metric,value,respondents,source) "
        "and a row for each figure"};
  }
  const auto columns = read_header(records[0]);
  if (records.size() == 1) fail(Place{true, records[0].line}, "", "no figures, only a header");
  if (records.size() - 1 > kMaxMetricRows) {
    throw Failure{"more than " + std::to_string(kMaxMetricRows) +
                  " figures in one file: import them in parts"};
  }
  Checker checker(units);
  for (std::size_t r = 1; r < records.size(); ++r) {
    const auto& record = records[r];
    RowInput row;
    row.place = Place{true, record.line};
    if (record.fields.size() != records[0].fields.size()) {
      fail(row.place, "",
           "expected " + std::to_string(records[0].fields.size()) +
               " columns as in the header, found " + std::to_string(record.fields.size()) +
               " (a cell holding the separator must be in double quotes)");
    }
    auto cell = [&](std::size_t field) {
      return columns[field] < 0 ? std::string()
                                : trim(record.fields[static_cast<std::size_t>(columns[field])]);
    };
    row.period = cell(0);
    row.unit = cell(1);
    row.metric = cell(2);
    row.value_text = cell(3);
    row.value = *csv_number(row.place, "value", row.value_text, true);
    row.respondents_text = cell(4);
    row.respondents = csv_whole_number(row.place, row.respondents_text);
    row.source = cell(5);
    row.name = cell(6);
    row.definition = cell(7);
    row.scale_min = csv_number(row.place, "scale_min", cell(8), false);
    row.scale_max = csv_number(row.place, "scale_max", cell(9), false);
    checker.add(row);
  }
  return checker.take();
}

// ---- JSON ----

using json = nlohmann::json;

std::string json_text(const json& row, const Place& at, std::string_view field, bool nullable) {
  const auto it = row.find(std::string(field));
  if (it == row.end() || it->is_null()) {
    if (nullable) return {};
    fail(at, field, it == row.end() ? "missing" : "must be text, not null");
  }
  if (!it->is_string()) fail(at, field, "must be text");
  return trim(it->get<std::string>());
}

std::optional<double> json_number(const json& row, const Place& at, std::string_view field,
                                  bool required) {
  const auto it = row.find(std::string(field));
  if (it == row.end() || it->is_null()) {
    if (required) fail(at, field, it == row.end() ? "missing" : "must be a number, not null");
    return std::nullopt;
  }
  if (!it->is_number()) fail(at, field, "must be a number (e.g. 42 or 7.5), not text");
  return it->get<double>();
}

std::int64_t json_whole_number(const json& row, const Place& at) {
  const auto it = row.find("respondents");
  if (it == row.end()) fail(at, "respondents", "missing");
  if (it->is_number_unsigned()) {
    const auto n = it->get<std::uint64_t>();
    if (n > static_cast<std::uint64_t>(kMaxMetricRespondents))
      fail(at, "respondents", std::to_string(n) + ": " + respondents_rule());
    return static_cast<std::int64_t>(n);
  }
  if (!it->is_number_integer()) fail(at, "respondents", respondents_rule());
  return it->get<std::int64_t>();
}

MetricsFile read_json(std::string_view text, const std::vector<std::string>* units) {
  if (text.substr(0, 3) == "\xEF\xBB\xBF") text.remove_prefix(3);
  if (const auto bad = model::find_invalid_utf8(text)) {
    const auto p = model::position_of(text, *bad);
    throw Failure{"not valid JSON: invalid UTF-8 at line " + std::to_string(p.line) + ", column " +
                  std::to_string(p.column) + " (save the file as UTF-8)"};
  }
  json doc;
  try {
    doc = json::parse(text);
  } catch (const json::exception& e) {  // also out_of_range: a number too large for a double
    throw Failure{answers::json_problem_text(text, e)};
  }
  if (!doc.is_object()) throw Failure{"expected an object {\"rows\": [...]}"};
  for (const auto& [key, value] : doc.items()) {
    if (key != "rows")
      throw Failure{"unknown field " + in_quotes(key) + " (expected {\"rows\": [...]})"};
  }
  const auto rows = doc.find("rows");
  if (rows == doc.end() || !rows->is_array()) throw Failure{"rows: must be a list of figures"};
  if (rows->empty()) throw Failure{"rows: no figures"};
  if (rows->size() > kMaxMetricRows) {
    throw Failure{"more than " + std::to_string(kMaxMetricRows) +
                  " figures in one file: import them in parts"};
  }
  Checker checker(units);
  for (std::size_t r = 0; r < rows->size(); ++r) {
    const json& item = (*rows)[r];
    RowInput row;
    row.place = Place{false, static_cast<int>(r + 1)};
    if (!item.is_object()) fail(row.place, "", "must be an object {period, unit, metric, ...}");
    for (const auto& [key, value] : item.items()) {
      if (std::find(kFields.begin(), kFields.end(), key) == kFields.end()) {
        fail(row.place, model::printable(key),
             std::string("unknown field (the fields are ") + kFieldList + ")");
      }
    }
    row.period = json_text(item, row.place, "period", false);
    row.unit = json_text(item, row.place, "unit", true);
    row.metric = json_text(item, row.place, "metric", false);
    row.value = *json_number(item, row.place, "value", true);
    row.value_text = number_text(row.value);
    row.respondents = json_whole_number(item, row.place);
    row.respondents_text = std::to_string(row.respondents);
    row.source = json_text(item, row.place, "source", false);
    row.name = json_text(item, row.place, "name", true);
    row.definition = json_text(item, row.place, "definition", true);
    row.scale_min = json_number(item, row.place, "scale_min", false);
    row.scale_max = json_number(item, row.place, "scale_max", false);
    checker.add(row);
  }
  return checker.take();
}

template <class Read>
MetricsRead guarded(Read read) {
  MetricsRead result;
  try {
    result.file = read();
  } catch (const Failure& f) {
    result.error = f.message;
  } catch (const nlohmann::json::exception& e) {
    result.error = std::string("unexpected JSON: ") + model::printable(e.what());
  }
  return result;
}

}  // namespace

std::string where(const Place& place, std::string_view field) {
  std::string out = (place.csv ? "line " : "row ") + std::to_string(place.number);
  if (!field.empty()) out += (place.csv ? ", column " : ", field ") + std::string(field);
  return out;
}

MetricsRead read_metrics_csv(std::string_view text, const std::vector<std::string>* units) {
  return guarded([&] { return read_csv(text, units); });
}

MetricsRead read_metrics_json(std::string_view text, const std::vector<std::string>* units) {
  return guarded([&] { return read_json(text, units); });
}

bool looks_like_json(std::string_view text) {
  if (text.substr(0, 3) == "\xEF\xBB\xBF") text.remove_prefix(3);
  const auto first = text.find_first_not_of(" \t\r\n");
  return first != std::string_view::npos && text[first] == '{';
}

MetricsRead read_metrics(std::string_view text, const std::vector<std::string>* units) {
  return looks_like_json(text) ? read_metrics_json(text, units) : read_metrics_csv(text, units);
}

}  // namespace cxm::metrics
