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
};

// Appends the records of `text` to `records`: quoted fields may hold commas,
// quotes ("") and newlines; CRLF and LF both end records; blank lines are
// skipped. Returns an error message on a malformed quote, with `error_line`
// set, or empty.
std::string read_csv_records(std::string_view text, std::vector<CsvRecord>& records, int& error_line);

}  // namespace cxm::answers
