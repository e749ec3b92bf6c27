// A problem found in an input file, with the place it was found.
#pragma once

#include <string>
#include <vector>

namespace cxm::model {

struct Diagnostic {
  std::string file;
  int line = 0;    // 1-based; 0 when the problem concerns the whole file
  int column = 0;  // 1-based; 0 when unknown
  std::string message;
};

// "file:line:col: message", or "file: message" when there is no place.
std::string format(const Diagnostic& diagnostic);

// 1-based line and column of byte `offset` in `text` (columns count bytes).
struct Position {
  int line = 1;
  int column = 1;
};
Position position_of(std::string_view text, std::size_t offset);

}  // namespace cxm::model
