// One CSV cell as every CSV file cxm writes for people holds it (RFC 4180,
// and SPEC section 8: no cell is read as a formula).
#pragma once

#include <string>
#include <string_view>

namespace cxm::report {

// `text` as a spreadsheet must hold it, in a CSV field or a workbook's text
// cell: with a leading ' when a spreadsheet would take it for a formula (it
// starts with = + - @, a tab or a carriage return).
std::string neutralized(std::string_view text);

// `text` as a field: neutralized, and quoted, its quotes doubled, when it
// holds a comma, a semicolon (the list separator of many locales), a quote
// or a line break.
std::string csv_field(std::string_view text);

// `v` in the shortest form that reads back as the same double ("62.5",
// "71.42857142857143").
std::string csv_number(double v);

// `v` rounded to `decimals` places, without trailing zeros ("60.53" for
// 60.52599013125329 and 2, "62.5" for 62.5, "0" for -0.0001 and 2).
std::string csv_number(double v, int decimals);

// The UTF-8 byte-order mark every CSV file cxm writes for people starts
// with: without it Excel reads the file in the computer's code page and
// garbles accented names (é, ü). cxm's CSV readers skip it.
inline constexpr std::string_view kUtf8Bom = "\xEF\xBB\xBF";

}  // namespace cxm::report
