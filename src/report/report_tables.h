// The tables of a report, as the workbook's sheets and the CSV files hold
// them: summary, competencies, statements (with their statistics), groups,
// the answers (only where the cycle allows it), and the benchmark, change,
// actions and decisions of a cycle on the server. One definition for both
// exports, so that their columns are the same; and the columns are stable:
// the same columns in the same order for every export of a model version,
// whatever the answers (a table with nothing to show keeps its header).
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "report/html_report.h"
#include "report/score_document_types.h"

namespace cxm::report {

// Answers one row per respondent, without names (r1, r2, ...), for cycles
// that are not anonymous.
struct RawAnswers {
  std::vector<std::string> item_ids;  // the columns, in model order
  struct Respondent {
    std::string id, role, unit;
    std::vector<std::optional<int>> answers;  // per item; nullopt: no answer or don't know
  };
  std::vector<Respondent> respondents;
};

// How a number reads in a spreadsheet; in CSV, scores (and percentiles)
// have 2 decimals, statistics (index: mean, SD, rwg, alpha) and fractions
// (percent) 3, integers none.
enum class NumberFormat { general, score, index, percent, integer };

struct Cell {
  // A date is a real day: its `text` is YYYY-MM-DD; a date cell in the
  // workbook, that text in CSV.
  enum class Kind { empty, text, number, flag, date };
  Kind kind = Kind::empty;
  std::string text;
  double number = 0;
  NumberFormat format = NumberFormat::general;
  bool flag = false;
};

struct Column {
  std::string name;
  double width = 10;  // in the workbook, characters
};

struct Table {
  std::string name;  // the sheet's name ("Competencies")
  std::string file;  // the CSV file's name ("competencies.csv")
  std::vector<Column> columns;
  std::vector<std::vector<Cell>> rows;  // each as long as `columns`
  // When `rows` is empty: why ("No earlier cycle to compare with ..."),
  // the one line the workbook's sheet shows under its header. CSV files
  // keep just the header (their readers expect rows of the columns).
  std::string empty_note;
};

// The tables of `document` in workbook order; the Answers table only when
// `raw` is given.
std::vector<Table> report_tables(const ScoreDocument& document, const ReportContext& context,
                                 const RawAnswers* raw);

// The same for `score_json`, read with read_score_document. Returns an
// error message (not a score document; "not a complete score document:
// <field path>: <what is wrong>" for a bad field) and leaves `tables` as it
// was, or an empty string.
std::string report_tables(std::string_view score_json, const ReportContext& context,
                          const RawAnswers* raw, std::vector<Table>& tables);

// One table as RFC 4180 CSV for people and their spreadsheets: a UTF-8
// byte-order mark first, CRLF line ends, fields quoted when they need it,
// numbers rounded as NumberFormat says, dates as YYYY-MM-DD, flags as
// true/false, empty cells empty.
std::string table_csv(const Table& table);

// Writes every table of `document` as FILE.csv into `directory` (created
// if missing). Returns an error message, empty on success.
std::string write_csv_tables(const std::string& directory, const ScoreDocument& document,
                             const ReportContext& context = {}, const RawAnswers* raw = nullptr);

// The same for `score_json`, read first as report_tables reads it.
std::string write_csv_tables(const std::string& directory, std::string_view score_json,
                             const ReportContext& context = {}, const RawAnswers* raw = nullptr);

}  // namespace cxm::report
