#include "report/xlsx_report.h"

#include <xlsxwriter.h>

#include "report/csv.h"

namespace cxm::report {
namespace {

struct Formats {
  lxw_format* bold;
  lxw_format* score;    // 0.0
  lxw_format* index;    // 0.00
  lxw_format* percent;  // 0%
  lxw_format* integer;  // 0

  lxw_format* of(NumberFormat format) const {
    switch (format) {
      case NumberFormat::score:
        return score;
      case NumberFormat::index:
        return index;
      case NumberFormat::percent:
        return percent;
      case NumberFormat::integer:
        return integer;
      case NumberFormat::general:
        break;
    }
    return nullptr;
  }
};

// One sheet: a frozen, bold header row with column widths, then the rows
// cell by cell (empty cells stay empty).
void write_sheet(lxw_workbook* book, const Formats& f, const Table& table) {
  lxw_worksheet* sheet = workbook_add_worksheet(book, table.name.c_str());
  for (std::size_t c = 0; c < table.columns.size(); ++c) {
    const auto col = static_cast<lxw_col_t>(c);
    // A custom model's competency names head columns: neutralized too.
    worksheet_write_string(sheet, 0, col, neutralized(table.columns[c].name).c_str(), f.bold);
    worksheet_set_column(sheet, col, col, table.columns[c].width, nullptr);
  }
  worksheet_freeze_panes(sheet, 1, 0);
  lxw_row_t row = 1;
  for (const auto& cells : table.rows) {
    for (std::size_t c = 0; c < cells.size(); ++c) {
      const Cell& cell = cells[c];
      const auto col = static_cast<lxw_col_t>(c);
      switch (cell.kind) {
        case Cell::Kind::empty:
          break;
        case Cell::Kind::text:
          // SPEC section 8: a text cell is never a formula, even once edited.
          worksheet_write_string(sheet, row, col, neutralized(cell.text).c_str(), nullptr);
          break;
        case Cell::Kind::number:
          worksheet_write_number(sheet, row, col, cell.number, f.of(cell.format));
          break;
        case Cell::Kind::flag:
          worksheet_write_boolean(sheet, row, col, cell.flag ? 1 : 0, nullptr);
          break;
      }
    }
    ++row;
  }
}

}  // namespace

std::string write_xlsx(const std::string& path, const ScoreDocument& document,
                       const ReportContext& context, const RawAnswers* raw) {
  const std::vector<Table> tables = report_tables(document, context, raw);
  lxw_workbook* book = workbook_new(path.c_str());
  if (!book) return "cannot create " + path;
  Formats f{};
  f.bold = workbook_add_format(book);
  format_set_bold(f.bold);
  f.score = workbook_add_format(book);
  format_set_num_format(f.score, "0.0");
  f.index = workbook_add_format(book);
  format_set_num_format(f.index, "0.00");
  f.percent = workbook_add_format(book);
  format_set_num_format(f.percent, "0%");
  f.integer = workbook_add_format(book);
  format_set_num_format(f.integer, "0");
  for (const auto& table : tables) write_sheet(book, f, table);
  const lxw_error closed = workbook_close(book);
  if (closed != LXW_NO_ERROR) return "cannot write " + path + ": " + lxw_strerror(closed);
  return {};
}

std::string write_xlsx(const std::string& path, std::string_view score_json,
                       const ReportContext& context, const RawAnswers* raw) {
  const ScoreDocumentReading reading = read_score_document(score_json);
  if (!reading.document) return reading_error(reading, "not a complete score document: ");
  return write_xlsx(path, *reading.document, context, raw);
}

}  // namespace cxm::report
