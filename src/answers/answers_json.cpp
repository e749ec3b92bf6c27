#include <nlohmann/json.hpp>
#include <set>

#include "answers/answers_file.h"
#include "answers/json_problem.h"

namespace cxm::answers {
namespace {

using nlohmann::json;

// Thrown inside this file only, caught in parse_answers_json.
struct BadAnswers {
  std::string place;
  std::string message;
};

[[noreturn]] void fail(std::string place, std::string message) {
  throw BadAnswers{std::move(place), std::move(message)};
}

std::string optional_text(const json& object, const char* key, const std::string& place) {
  const auto it = object.find(key);
  if (it == object.end() || it->is_null()) return {};
  if (!it->is_string())
    fail(place + "." + key, std::string("'") + key + "' must be a string or null");
  std::string value = it->get<std::string>();
  if (value.size() > 200)
    fail(place + "." + key, std::string("'") + key + "' is longer than 200 characters");
  return value;
}

// A respondent's optional "comments": {COMPETENCY_ID: text}; a competency
// must ask a comment question, and each text be one cxm keeps.
void read_comments(const json& entry, const std::string& place, const core::Model& model,
                   std::vector<core::CommentEntry>& comments) {
  const auto it = entry.find("comments");
  if (it == entry.end() || it->is_null()) return;
  if (!it->is_object())
    fail(place + ".comments", "'comments' must be an object mapping competency ids to text");
  for (const auto& [id, value] : it->items()) {
    const std::string at = place + ".comments." + id;
    const auto c = model.find_competency(id);
    if (!c) fail(at, "unknown competency id '" + id + "'");
    if (model.competencies[*c].comment.empty())
      fail(at, "competency '" + id + "' asks no comment question in this model");
    if (value.is_null()) continue;
    if (!value.is_string()) fail(at, "a comment must be text or null");
    const std::string text = core::normalized_comment(value.get<std::string>());
    if (const auto problem = core::comment_problem(text)) fail(at, "the comment " + *problem);
    if (!text.empty()) comments.push_back(core::CommentEntry{"", id, text, false, false, ""});
  }
}

void read_respondent(const json& entry, const std::string& place, const core::Model& model,
                     core::Responses& responses, std::set<std::string>& ids,
                     std::vector<core::CommentEntry>& comments) {
  if (!entry.is_object()) fail(place, "each respondent must be an object");
  const auto id = entry.find("id");
  if (id == entry.end() || !id->is_string() || id->get_ref<const std::string&>().empty()) {
    fail(place + ".id", "each respondent needs a non-empty string 'id'");
  }
  if (!ids.insert(id->get<std::string>()).second) {
    fail(place + ".id", "duplicate respondent id '" + id->get<std::string>() + "'");
  }
  core::Respondent who{id->get<std::string>(), optional_text(entry, "role", place),
                       optional_text(entry, "unit", place)};
  if (auto problem = check_role(model, who.role); !problem.empty()) fail(place + ".role", problem);

  const auto answers = entry.find("answers");
  if (answers == entry.end() || !answers->is_object()) {
    fail(place + ".answers", "'answers' must be an object mapping item ids to values");
  }
  read_comments(entry, place, model, comments);
  const std::size_t row = responses.add(std::move(who));
  for (const auto& [item_id, value] : answers->items()) {
    const std::string at = place + ".answers." + item_id;
    const auto item = model.find_item(item_id);
    if (!item) fail(at, "unknown item id '" + item_id + "'");
    if (value.is_null()) continue;  // "don't know"
    if (!value.is_number_integer()) {
      fail(at, "answer must be a whole number from " + std::to_string(model.scale.min) + " to " +
                   std::to_string(model.scale.max) + ", or null for don't know");
    }
    const long v =
        value.is_number_unsigned() && value.get<std::uint64_t>() > 1000 ? 1001 : value.get<long>();
    if (auto problem = check_answer_value(model, model.items[*item], v); !problem.empty())
      fail(at, problem);
    responses.set(row, *item, static_cast<std::int8_t>(v));
  }
}

}  // namespace

AnswersParseResult parse_answers_json(std::string_view text, std::string_view file,
                                      const core::Model& model) {
  AnswersParseResult result;
  const std::string file_name(file);
  json root;
  try {
    root = json::parse(text);
  } catch (const json::exception& e) {
    const JsonProblem problem = json_problem(text, e);
    result.error =
        model::Diagnostic{file_name, static_cast<int>(problem.line),
                          static_cast<int>(problem.column), "malformed JSON: " + problem.message};
    return result;
  }
  try {
    if (!root.is_object()) fail("", "expected an object with a 'respondents' list");
    // A score document (cxm score's output) is the common mistake: say so.
    const auto schema = root.find("schema");
    if ((schema != root.end() && schema->is_string() &&
         schema->get_ref<const std::string&>().starts_with("cxm.score/")) ||
        (root.contains("competencies") && root.contains("stage") && !root.contains("answers") &&
         (!root.contains("respondents") || !root["respondents"].is_array()))) {
      fail("",
           "this is a score document (from cxm score --json), not an answers file: give the "
           "answers the score was made from ({\"respondents\":[...]} or a CSV)");
    }
    const auto list = root.find("respondents");
    if (list == root.end() || !list->is_array())
      fail("respondents", "'respondents' must be a list");
    if (list->empty()) fail("respondents", "no respondents: the list is empty");
    core::Responses responses(model.items.size());
    std::set<std::string> ids;
    std::vector<core::CommentEntry> comments;
    for (std::size_t i = 0; i < list->size(); ++i) {
      read_respondent((*list)[i], "respondents[" + std::to_string(i) + "]", model, responses, ids,
                      comments);
    }
    result.responses = std::move(responses);
    result.comments = std::move(comments);
  } catch (const BadAnswers& bad) {
    result.error = model::Diagnostic{file_name, 0, 0,
                                     (bad.place.empty() ? "" : bad.place + ": ") + bad.message};
  }
  return result;
}

}  // namespace cxm::answers
