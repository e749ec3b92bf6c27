#include "report/xlsx_report.h"

#include <xlsxwriter.h>

#include <string>

#include "report/csv.h"
#include "report/report_text.h"

namespace cxm::report {
namespace {

struct Formats {
  lxw_format* bold;
  lxw_format* score;    // 0.0
  lxw_format* index;    // 0.00
  lxw_format* percent;  // 0%
  lxw_format* integer;  // 0
  lxw_format* date;     // 19 Feb 2027
  lxw_format* wrapped;  // long text, wrapped within its column
  lxw_format* note;     // italic: why a sheet has no rows

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

// Text for a print header or footer: '&' doubled (it starts a code there),
// cut to what Excel accepts (100 bytes) between whole characters, never
// inside a UTF-8 character or between the two '&' of a pair (one left
// alone would make the next section's code literal text).
std::string header_text(const std::string& text) {
  constexpr std::size_t kMaxBytes = 100;
  std::string out;
  for (std::size_t i = 0; i < text.size();) {
    std::size_t length = 1;
    while (i + length < text.size() &&
           (static_cast<unsigned char>(text[i + length]) & 0xC0) == 0x80) {
      ++length;
    }
    const std::string piece = text[i] == '&' ? "&&" : text.substr(i, length);
    if (out.size() + piece.size() > kMaxBytes) break;
    out += piece;
    i += length;
  }
  return out;
}

// The organization and the branding on every printed page: who prepared
// it at the top, the confidentiality line and the page at the foot.
void print_branding(lxw_worksheet* sheet, const ReportContext& ctx) {
  std::string head;
  if (!ctx.organization.empty()) head += "&L" + header_text(ctx.organization);
  if (!ctx.branding.consultant.empty())
    head += "&R" + header_text(text(report_lang(ctx.lang), "html.prepared_by",
                                    {{"consultant", ctx.branding.consultant}}));
  if (!head.empty()) worksheet_set_header(sheet, head.c_str());
  std::string foot;
  if (!ctx.branding.confidentiality.empty())
    foot += "&L" + header_text(ctx.branding.confidentiality);
  foot += "&R" + text(report_lang(ctx.lang), "html.page_of", {{"page", "&P"}, {"pages", "&N"}});
  worksheet_set_footer(sheet, foot.c_str());
}

// Columns wider than this hold prose (statements, notes): wrapped, so that
// nothing is cut on paper.
constexpr double kWrapWidth = 30;
// Tables wider than this, in characters, print in landscape.
constexpr double kPortraitWidth = 95;

// A YYYY-MM-DD cell's day, as the workbook stores it.
lxw_datetime day_of(const std::string& iso) {
  lxw_datetime day{};
  day.year = std::stoi(iso.substr(0, 4));
  day.month = std::stoi(iso.substr(5, 2));
  day.day = std::stoi(iso.substr(8, 2));
  return day;
}

// Printing: on A4, as wide as one page, in landscape when the columns are
// wide, the header row on every page, gridlines (page numbers and the
// branding: print_branding).
void set_up_printing(lxw_worksheet* sheet, const Table& table) {
  double width = 0;
  for (const auto& c : table.columns) width += c.width;
  worksheet_set_paper(sheet, 9);  // A4
  if (width > kPortraitWidth) worksheet_set_landscape(sheet);
  worksheet_fit_to_pages(sheet, 1, 0);
  worksheet_repeat_rows(sheet, 0, 0);
  worksheet_gridlines(sheet, LXW_SHOW_ALL_GRIDLINES);
}

// One sheet: a frozen, bold header row with column widths and (on a table
// of rows, not the summary) a filter, then the rows cell by cell (empty
// cells stay empty), or the one line that says why there are none.
void write_sheet(lxw_workbook* book, const Formats& f, const Table& table,
                 const ReportContext& context, bool filter) {
  lxw_worksheet* sheet = workbook_add_worksheet(book, table.name.c_str());
  print_branding(sheet, context);
  for (std::size_t c = 0; c < table.columns.size(); ++c) {
    const auto col = static_cast<lxw_col_t>(c);
    // A custom model's competency names head columns: neutralized too.
    worksheet_write_string(sheet, 0, col, neutralized(table.columns[c].name).c_str(), f.bold);
    worksheet_set_column(sheet, col, col, table.columns[c].width, nullptr);
  }
  worksheet_freeze_panes(sheet, 1, 0);
  set_up_printing(sheet, table);
  if (filter && !table.columns.empty()) {
    worksheet_autofilter(sheet, 0, 0, static_cast<lxw_row_t>(table.rows.size()),
                         static_cast<lxw_col_t>(table.columns.size() - 1));
  }
  if (table.rows.empty() && !table.empty_note.empty()) {
    worksheet_write_string(sheet, 1, 0, neutralized(table.empty_note).c_str(), f.note);
  }
  lxw_row_t row = 1;
  for (const auto& cells : table.rows) {
    for (std::size_t c = 0; c < cells.size(); ++c) {
      const Cell& cell = cells[c];
      const auto col = static_cast<lxw_col_t>(c);
      switch (cell.kind) {
        case Cell::Kind::empty:
          break;
        case Cell::Kind::text: {
          const bool prose = c < table.columns.size() && table.columns[c].width >= kWrapWidth;
          // SPEC section 8: a text cell is never a formula, even once edited.
          worksheet_write_string(sheet, row, col, neutralized(cell.text).c_str(),
                                 prose ? f.wrapped : nullptr);
          break;
        }
        case Cell::Kind::number:
          worksheet_write_number(sheet, row, col, cell.number, f.of(cell.format));
          break;
        case Cell::Kind::flag:
          worksheet_write_boolean(sheet, row, col, cell.flag ? 1 : 0, nullptr);
          break;
        case Cell::Kind::date: {
          lxw_datetime day = day_of(cell.text);
          worksheet_write_datetime(sheet, row, col, &day, f.date);
          break;
        }
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
  f.date = workbook_add_format(book);
  format_set_num_format(f.date, "d mmm yyyy");
  format_set_align(f.date, LXW_ALIGN_LEFT);
  f.wrapped = workbook_add_format(book);
  format_set_text_wrap(f.wrapped);
  format_set_align(f.wrapped, LXW_ALIGN_VERTICAL_TOP);
  f.note = workbook_add_format(book);
  format_set_italic(f.note);
  // The summary is a list of what and value; every other sheet a table to filter.
  for (std::size_t t = 0; t < tables.size(); ++t) write_sheet(book, f, tables[t], context, t > 0);
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
