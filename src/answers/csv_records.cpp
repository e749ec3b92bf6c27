#include "answers/csv_records.h"

namespace cxm::answers {

std::string read_csv_records(std::string_view text, std::vector<CsvRecord>& records,
                             int& error_line, char separator) {
  // A UTF-8 byte-order mark (Excel writes one, and so does cxm) is not part
  // of the first field.
  std::size_t i = text.substr(0, 3) == "\xEF\xBB\xBF" ? 3 : 0;
  int line = 1;
  while (i < text.size()) {
    CsvRecord record;
    record.line = line;
    std::string field;
    bool end_of_record = false;
    while (!end_of_record) {
      field.clear();
      record.offsets.push_back(i);
      if (i < text.size() && text[i] == '"') {
        ++i;
        for (;;) {
          if (i >= text.size()) {
            error_line = record.line;
            return "unterminated quoted field";
          }
          if (text[i] == '"') {
            if (i + 1 < text.size() && text[i + 1] == '"') {
              field += '"';
              i += 2;
              continue;
            }
            ++i;
            break;
          }
          if (text[i] == '\n') ++line;
          field += text[i++];
        }
        if (i < text.size() && text[i] != separator && text[i] != '\n' && text[i] != '\r') {
          error_line = line;
          return "unexpected character after a closing quote";
        }
      } else {
        while (i < text.size() && text[i] != separator && text[i] != '\n' && text[i] != '\r') {
          if (text[i] == '"') {
            error_line = line;
            return "a quote inside an unquoted field (quote the whole field and double the quote)";
          }
          field += text[i++];
        }
      }
      record.fields.push_back(field);
      if (i < text.size() && text[i] == separator) {
        ++i;
        continue;
      }
      if (i < text.size() && text[i] == '\r') ++i;
      if (i < text.size() && text[i] == '\n') ++i;
      ++line;
      end_of_record = true;
    }
    const bool blank = record.fields.size() == 1 && record.fields[0].empty();
    if (!blank) records.push_back(std::move(record));
  }
  return {};
}

char detect_csv_separator(std::string_view text) {
  std::size_t commas = 0, semicolons = 0, tabs = 0;
  bool quoted = false;
  for (const char c : text) {
    if (c == '"') quoted = !quoted;
    if (quoted) continue;
    if (c == '\n' || c == '\r') break;
    commas += c == ',';
    semicolons += c == ';';
    tabs += c == '\t';
  }
  if (semicolons > commas && semicolons >= tabs) return ';';
  if (tabs > commas && tabs > semicolons) return '\t';
  return ',';
}

std::string quote_csv_field(std::string_view text) {
  if (text.find_first_of(",\"\r\n") == std::string_view::npos) return std::string(text);
  std::string out = "\"";
  for (char c : text) {
    if (c == '"') out += '"';
    out += c;
  }
  return out + '"';
}

}  // namespace cxm::answers
