// The spreadsheet export: a workbook from a score document, one sheet per
// table of report/report_tables.h (summary, competencies, statements with
// their statistics, groups, the answers only where the cycle allows it,
// benchmark, change, actions, decisions). Numbers are numbers with number
// formats, dates are dates, header rows are frozen and filter the rows
// (every sheet but the summary), columns have widths; each sheet prints on
// A4, one page wide (landscape when wide), its header row on every page. A
// sheet with no rows says why in one line under its header. Columns are stable: the same columns in
// the same order for every export of a model version, whatever the answers.
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "report/report_tables.h"
#include "report/score_document_types.h"

namespace cxm::report {

// Writes the workbook of `document` to `path`. Returns an error message,
// empty on success.
std::string write_xlsx(const std::string& path, const ScoreDocument& document,
                       const ReportContext& context = {}, const RawAnswers* raw = nullptr);

// The same for `score_json`, read first as report_tables reads it (nothing
// is written when it is not a valid score document).
std::string write_xlsx(const std::string& path, std::string_view score_json,
                       const ReportContext& context = {}, const RawAnswers* raw = nullptr);

}  // namespace cxm::report
