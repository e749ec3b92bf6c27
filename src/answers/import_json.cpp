#include "answers/import_json.h"

namespace cxm::answers {

using nlohmann::json;

namespace {
json nullable(const std::string& s) { return s.empty() ? json(nullptr) : json(s); }
}  // namespace

json preview_json(const ImportPreview& p) {
  json items = json::array();
  for (const auto& c : p.items)
    items.push_back({{"column", c.column}, {"heading", c.heading}, {"item", c.item}});
  json comment_columns = json::array();
  for (const auto& c : p.comment_columns) {
    comment_columns.push_back(
        {{"column", c.column}, {"heading", c.heading}, {"competency", c.item}});
  }
  json labels = json::array();
  for (const auto& l : p.labels) {
    labels.push_back({{"label", l.label},
                      {"value", l.value ? json(*l.value) : json(nullptr)},
                      {"count", l.count}});
  }
  return {{"separator", std::string(1, p.separator)},
          {"byte_order_mark", p.byte_order_mark},
          {"rows", p.rows},
          {"skipped_rows", p.skipped_rows},
          {"filter", nullable(p.filter)},
          {"respondents", p.respondents},
          {"respondent_column", nullable(p.respondent_column)},
          {"role_column", nullable(p.role_column)},
          {"unit_column", nullable(p.unit_column)},
          {"items", items},
          {"ignored_columns", p.ignored_columns},
          {"unmapped_columns", p.unmapped_columns},
          {"labels", labels},
          {"items_without_column", p.items_without_column},
          {"answers", p.answers},
          {"dont_know", p.dont_know},
          {"no_answer", p.no_answer},
          {"comment_columns", comment_columns},
          {"comments", p.comments}};
}

json problems_json(const std::vector<ImportProblem>& problems) {
  json out = json::array();
  for (const auto& p : problems) {
    out.push_back({{"row", p.row > 0 ? json(p.row) : json(nullptr)},
                   {"column", p.column > 0 ? json(p.column) : json(nullptr)},
                   {"heading", nullable(p.heading)},
                   {"message", p.message}});
  }
  return out;
}

json answers_json(const std::vector<ImportedRespondent>& respondents, const core::Model& model) {
  json list = json::array();
  for (const auto& who : respondents) {
    json answers = json::object();
    for (const auto& [item, value] : who.answers) {
      answers[model.items[item].id] = value ? json(*value) : json(nullptr);
    }
    json entry = {{"id", who.id},
                  {"role", nullable(who.role)},
                  {"unit", nullable(who.unit)},
                  {"answers", answers}};
    if (!who.comments.empty()) {
      json comments = json::object();
      for (const auto& [competency, text] : who.comments)
        comments[model.competencies[competency].id] = text;
      entry["comments"] = comments;
    }
    list.push_back(std::move(entry));
  }
  return {{"respondents", list}};
}

}  // namespace cxm::answers
