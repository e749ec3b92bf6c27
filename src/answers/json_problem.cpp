#include "answers/json_problem.h"

#include <algorithm>
#include <nlohmann/json.hpp>

#include "model/diagnostic.h"
#include "model/utf8.h"

namespace cxm::answers {

JsonProblem json_problem(std::string_view text, const nlohmann::json::exception& error) {
  const auto* parse = dynamic_cast<const nlohmann::json::parse_error*>(&error);
  // nlohmann reports a number too large for a double as out_of_range,
  // without its place.
  if (parse == nullptr) return JsonProblem{0, 0, "a number is too large"};
  // byte is the 1-based offset just past the offending byte.
  const std::size_t at = parse->byte > 0 ? parse->byte - 1 : 0;
  const auto p = model::position_of(text, std::min(at, text.size()));
  std::string message = parse->what();
  // Keep nlohmann's explanation, drop its prefix ("[json.exception...]
  // parse error at line L, column C: syntax error while parsing X - ").
  if (const auto dash = message.find(" - "); dash != std::string::npos) {
    message = message.substr(dash + 3);
  } else if (const auto colon = message.find(": "); colon != std::string::npos) {
    message = message.substr(colon + 2);
  }
  return JsonProblem{static_cast<std::size_t>(p.line), static_cast<std::size_t>(p.column),
                     model::printable(message)};
}

std::string json_problem_text(std::string_view text, const nlohmann::json::exception& error) {
  const JsonProblem problem = json_problem(text, error);
  if (problem.line == 0) return "not valid JSON: " + problem.message;
  return "not valid JSON at line " + std::to_string(problem.line) + ", column " +
         std::to_string(problem.column) + ": " + problem.message;
}

}  // namespace cxm::answers
