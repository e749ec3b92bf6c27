#include "answers/answers_file.h"

#include <algorithm>
#include <cctype>

#include "model/model_parser.h"

namespace cxm::answers {

std::string check_answer_value(const core::Model& model, const core::Item& item, long value) {
  if (value >= model.scale.min && value <= model.scale.max) return {};
  return "answer " + std::to_string(value) + " to item " + item.id + " is out of range " +
         std::to_string(model.scale.min) + ".." + std::to_string(model.scale.max);
}

std::string check_role(const core::Model& model, std::string_view role) {
  if (role.empty() || model.find_role(role)) return {};
  std::string known;
  for (const auto& r : model.roles) known += (known.empty() ? "" : ", ") + r.id;
  return "unknown role '" + std::string(role) + "'" +
         (known.empty() ? "; this model defines no roles" : "; expected one of " + known);
}

namespace {

bool ends_with(std::string_view s, std::string_view suffix) {
  if (s.size() < suffix.size()) return false;
  return std::equal(suffix.rbegin(), suffix.rend(), s.rbegin(), [](char a, char b) {
    return std::tolower(static_cast<unsigned char>(a)) == b;
  });
}

}  // namespace

AnswersParseResult load_answers_file(const std::string& path, const core::Model& model) {
  std::string error;
  const auto text = model::read_file(path, error);
  if (!text) {
    AnswersParseResult result;
    result.error = model::Diagnostic{path, 0, 0, "cannot read the answers file: " + error};
    return result;
  }
  if (ends_with(path, ".csv")) return parse_answers_csv(*text, path, model);
  if (ends_with(path, ".json")) return parse_answers_json(*text, path, model);
  const auto first = text->find_first_not_of(" \t\r\n");
  if (first != std::string::npos && (*text)[first] == '{')
    return parse_answers_json(*text, path, model);
  return parse_answers_csv(*text, path, model);
}

}  // namespace cxm::answers
