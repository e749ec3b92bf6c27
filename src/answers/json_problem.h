// What is wrong with a JSON document nlohmann could not parse, in words for
// the person who wrote the file: the place (line and column) and
// nlohmann's explanation without its internal prefix, never the library's
// exception text.
#pragma once

#include <nlohmann/json.hpp>
#include <string>
#include <string_view>

namespace cxm::answers {

struct JsonProblem {
  std::size_t line = 0, column = 0;  // 0: no place (a number too large for a double)
  std::string message;               // e.g. "syntax error while parsing value - invalid literal"
};

// `error` was thrown by json::parse(text).
JsonProblem json_problem(std::string_view text, const nlohmann::json::exception& error);

// "not valid JSON at line L, column C: MESSAGE" (or without the place).
std::string json_problem_text(std::string_view text, const nlohmann::json::exception& error);

}  // namespace cxm::answers
