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
// Text for a print header or footer: '&' doubled (it starts a code there),
// cut to what Excel accepts.
std::string header_text(const std::string& text) {
  std::string out;
  for (char c : text) {
    out += c;
    if (c == '&') out += '&';
  }
  if (out.size() <= 100) return out;
  // Cut before the character that would not fit whole.
  std::size_t end = 100;
  while (end > 0 && (static_cast<unsigned char>(out[end]) & 0xC0) == 0x80) --end;
  out.resize(end);
  return out;
}

// The organization and the branding on every printed page: who prepared
// it at the top, the confidentiality line and the page at the foot.
void print_branding(lxw_worksheet* sheet, const ReportContext& ctx) {
  std::string head;
  if (!ctx.organization.empty()) head += "&L" + header_text(ctx.organization);
  if (!ctx.branding.consultant.empty())
    head += "&R" + header_text("Prepared by " + ctx.branding.consultant);
  if (!head.empty()) worksheet_set_header(sheet, head.c_str());
  std::string foot;
  if (!ctx.branding.confidentiality.empty())
    foot += "&L" + header_text(ctx.branding.confidentiality);
  foot += "&RPage &P of &N";
  worksheet_set_footer(sheet, foot.c_str());
}

void write_sheet(lxw_workbook* book, const Formats& f, const Table& table,
                 const ReportContext& context) {
  lxw_worksheet* sheet = workbook_add_worksheet(book, table.name.c_str());
  print_branding(sheet, context);
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
  for (const auto& table : tables) write_sheet(book, f, table, context);
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
