// RFC 4180 CSV records, shared by the readers of answer files and of
// benchmark datasets.
#pragma once

#include <string>
#include <string_view>
#include <vector>

namespace cxm::answers {

// One CSV record with the physical line it started on.
struct CsvRecord {
  int line = 0;
  std::vector<std::string> fields;
  std::vector<std::size_t> offsets;  // byte offset in the text where each field starts
};

// Appends the records of `text` to `records`, after a UTF-8 byte-order mark
// if it starts with one: quoted fields may hold commas,
// quotes ("") and newlines; CRLF and LF both end records; blank lines are
// skipped. `separator` is ',' unless the caller knows better (spreadsheets
// in many locales write ';'). Returns an error message on a malformed
// quote, with `error_line` set, or empty.
std::string read_csv_records(std::string_view text, std::vector<CsvRecord>& records,
                             int& error_line, char separator = ',');

// `text` as one RFC 4180 field: quoted (inner quotes doubled) when it holds
// a comma, a quote or a line break, else as it is. For files cxm writes to
// read back (a dataset's stored rows); files for people go through
// report::csv_field, which also defuses spreadsheet formulas.
std::string quote_csv_field(std::string_view text);

// The separator of a file whose first record is a header: whichever of
// ',', ';' and tab occurs most often outside quotes in it (',' on a tie).
char detect_csv_separator(std::string_view text);

}  // namespace cxm::answers
