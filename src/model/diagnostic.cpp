#include "model/diagnostic.h"

#include <string_view>

#include "model/utf8.h"

namespace cxm::model {

std::string format(const Diagnostic& d) {
  // A message may quote the input (a key, a token, the JSON parser's "last
  // read"); the file name is the user's: neither may put raw bytes on a
  // terminal.
  std::string out = printable(d.file);
  if (d.line > 0) {
    out += ':' + std::to_string(d.line);
    if (d.column > 0) out += ':' + std::to_string(d.column);
  }
  out += ": ";
  out += printable(d.message);
  return out;
}

Position position_of(std::string_view text, std::size_t offset) {
  Position p;
  for (std::size_t i = 0; i < offset && i < text.size(); ++i) {
    if (text[i] == '\n') {
      ++p.line;
      p.column = 1;
    } else {
      ++p.column;
    }
  }
  return p;
}

}  // namespace cxm::model
