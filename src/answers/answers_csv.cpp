#include <algorithm>
#include <cctype>
#include <charconv>
#include <set>
#include <vector>

#include "answers/answers_file.h"
#include "answers/csv_records.h"
#include "model/utf8.h"

namespace cxm::answers {
namespace {

std::string lower(std::string s) {
  std::transform(s.begin(), s.end(), s.begin(), [](unsigned char c) { return std::tolower(c); });
  return s;
}

std::string trim(const std::string& s) {
  const auto first = s.find_first_not_of(" \t");
  if (first == std::string::npos) return {};
  return s.substr(first, s.find_last_not_of(" \t") - first + 1);
}

// Missing answers: an empty cell or a "don't know" marker.
bool is_missing(const std::string& cell) {
  const std::string v = lower(cell);
  return v.empty() || v == "na" || v == "d" || v == "dk" || v == "don't know" || v == "dont know";
}

}  // namespace

AnswersParseResult parse_answers_csv(std::string_view text, std::string_view file,
                                     const core::Model& model) {
  AnswersParseResult result;
  const std::string file_name(file);
  auto fail = [&](int line, int column, std::string message) {
    result.error = model::Diagnostic{file_name, line, column, std::move(message)};
    return result;
  };
  if (text.substr(0, 3) == "\xEF\xBB\xBF") text.remove_prefix(3);  // byte-order mark
  if (const auto bad = model::find_invalid_utf8(text)) {
    const auto p = model::position_of(text, *bad);
    return fail(p.line, p.column, "invalid UTF-8 byte sequence");
  }
  std::vector<CsvRecord> records;
  int error_line = 0;
  if (auto problem = read_csv_records(text, records, error_line); !problem.empty()) {
    return fail(error_line, 0, "malformed CSV: " + problem);
  }
  if (records.empty())
    return fail(0, 0, "the file is empty; expected a header respondent,role,unit,<item ids>");

  const CsvRecord& header = records[0];
  const char* fixed[] = {"respondent", "role", "unit"};
  for (int c = 0; c < 3; ++c) {
    if (header.fields.size() <= static_cast<std::size_t>(c) ||
        lower(trim(header.fields[c])) != fixed[c]) {
      return fail(header.line, c + 1,
                  std::string("header column ") + std::to_string(c + 1) + " must be '" + fixed[c] +
                      "' (the header is respondent,role,unit,<item ids>)");
    }
  }
  std::vector<std::size_t> item_of_column;
  std::set<std::size_t> seen;
  for (std::size_t c = 3; c < header.fields.size(); ++c) {
    const std::string id = trim(header.fields[c]);
    const auto item = model.find_item(id);
    const int column = static_cast<int>(c) + 1;
    if (!item) return fail(header.line, column, "unknown item id '" + id + "'");
    if (!seen.insert(*item).second)
      return fail(header.line, column, "item " + id + " appears twice in the header");
    item_of_column.push_back(*item);
  }
  if (records.size() == 1)
    return fail(header.line, 0, "no respondents: the file has only a header");

  core::Responses responses(model.items.size());
  std::set<std::string> ids;
  for (std::size_t r = 1; r < records.size(); ++r) {
    const CsvRecord& record = records[r];
    if (record.fields.size() != header.fields.size()) {
      return fail(record.line, 0,
                  "expected " + std::to_string(header.fields.size()) + " columns, found " +
                      std::to_string(record.fields.size()));
    }
    core::Respondent who{trim(record.fields[0]), trim(record.fields[1]), trim(record.fields[2])};
    if (who.id.empty()) return fail(record.line, 1, "the respondent id is empty");
    if (!ids.insert(who.id).second)
      return fail(record.line, 1, "duplicate respondent id '" + who.id + "'");
    if (auto problem = check_role(model, who.role); !problem.empty())
      return fail(record.line, 2, problem);
    if (who.unit.size() > 200)
      return fail(record.line, 3, "the unit is longer than 200 characters");
    const std::size_t row = responses.add(std::move(who));
    for (std::size_t c = 3; c < record.fields.size(); ++c) {
      const std::string cell = trim(record.fields[c]);
      if (is_missing(cell)) continue;
      const core::Item& item = model.items[item_of_column[c - 3]];
      const int column = static_cast<int>(c) + 1;
      long value = 0;
      const auto [end, ec] = std::from_chars(cell.data(), cell.data() + cell.size(), value);
      if (ec == std::errc::result_out_of_range) {
        return fail(record.line, column,
                    "answer '" + cell + "' to item " + item.id + " is out of range " +
                        std::to_string(model.scale.min) + ".." + std::to_string(model.scale.max));
      }
      if (ec != std::errc() || end != cell.data() + cell.size()) {
        return fail(record.line, column,
                    "answer '" + cell + "' to item " + item.id + " is not a whole number from " +
                        std::to_string(model.scale.min) + " to " + std::to_string(model.scale.max) +
                        " (leave the cell empty or write NA for don't know)");
      }
      if (auto problem = check_answer_value(model, item, value); !problem.empty()) {
        return fail(record.line, column, problem);
      }
      responses.set(row, item_of_column[c - 3], static_cast<std::int8_t>(value));
    }
  }
  result.responses = std::move(responses);
  return result;
}

}  // namespace cxm::answers
