// The spreadsheet export: a workbook from a score document, with sheets
// for the summary, competencies, statements (with their statistics) and
// groups, and — only where the cycle allows it — the answers, one row per
// respondent. Numbers are numbers with number formats, header rows are
// frozen, columns have widths. Columns are stable: the same columns in the
// same order for every export of a model version, whatever the answers.
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "report/html_report.h"

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

// Writes the workbook of `score_json` to `path`. Returns an error message,
// empty on success.
std::string write_xlsx(const std::string& path, std::string_view score_json, const ReportContext& context = {},
                       const RawAnswers* raw = nullptr);

}  // namespace cxm::report
