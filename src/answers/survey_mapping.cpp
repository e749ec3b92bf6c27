#include "answers/survey_mapping.h"

#include <yaml-cpp/yaml.h>

#include <algorithm>
#include <charconv>
#include <set>

#include "model/model_parser.h"
#include "model/utf8.h"

namespace cxm::answers {

// Generated from mappings/*.yaml (cmake/embed_string.cmake).
std::string_view limesurvey_mapping_text();
std::string_view formbricks_mapping_text();

namespace {

// How often `placeholder` stands in `pattern`.
std::size_t occurrences(const std::string& pattern, std::string_view placeholder) {
  std::size_t n = 0;
  for (auto at = pattern.find(placeholder); at != std::string::npos;
       at = pattern.find(placeholder, at + 1))
    ++n;
  return n;
}

using model::Diagnostic;

class MappingReader {
 public:
  MappingReader(std::string_view file, std::vector<Diagnostic>& out) : file_(file), out_(out) {}

  void error(const YAML::Node& at, const std::string& message) {
    const YAML::Mark mark = at.Mark();
    out_.push_back(Diagnostic{file_, mark.is_null() ? 0 : mark.line + 1,
                              mark.is_null() ? 0 : mark.column + 1, message});
  }

  bool keys(const YAML::Node& node, const std::string& what,
            std::initializer_list<std::string_view> allowed) {
    if (!node.IsMap()) {
      error(node, what + " must be a mapping of keys to values");
      return false;
    }
    std::set<std::string> seen;
    bool ok = true;
    for (const auto& pair : node) {
      const std::string key = pair.first.Scalar();
      if (!seen.insert(key).second) {
        error(pair.first, what + ": key '" + key + "' appears twice");
        ok = false;
      } else if (std::find(allowed.begin(), allowed.end(), key) == allowed.end()) {
        std::string known;
        for (auto k : allowed) known += (known.empty() ? "" : ", ") + std::string(k);
        error(pair.first, what + ": unknown key '" + key + "' (known: " + known + ")");
        ok = false;
      }
    }
    return ok;
  }

  std::optional<std::string> text(const YAML::Node& node, const std::string& what) {
    if (!node.IsScalar() || node.Scalar().empty()) {
      error(node, what + " must be non-empty text");
      return std::nullopt;
    }
    return node.Scalar();
  }

  std::optional<bool> flag(const YAML::Node& node, const std::string& what) {
    if (node.IsScalar()) {
      const std::string v = node.Scalar();
      if (v == "true" || v == "yes") return true;
      if (v == "false" || v == "no") return false;
    }
    error(node, what + " must be true or false");
    return std::nullopt;
  }

  // A heading or a list of headings.
  std::vector<std::string> headings(const YAML::Node& node, const std::string& what) {
    std::vector<std::string> out;
    if (node.IsScalar()) {
      if (auto t = text(node, what)) out.push_back(*t);
    } else if (node.IsSequence() && node.size() > 0) {
      for (std::size_t i = 0; i < node.size(); ++i) {
        if (auto t = text(node[i], what + "[" + std::to_string(i) + "]")) out.push_back(*t);
      }
    } else {
      error(node, what + " must be a heading or a list of headings");
    }
    return out;
  }

  // `role: heading`, `role: [headings]` or `role: {columns: …, required: …}`.
  ColumnChoice column(const YAML::Node& node, const std::string& what, bool required_by_default,
                      std::vector<RoleLabel>* roles) {
    ColumnChoice choice{{}, required_by_default};
    if (!node.IsMap()) {
      choice.headings = headings(node, what);
      return choice;
    }
    if (roles) {
      keys(node, what, {"columns", "required", "values"});
    } else {
      keys(node, what, {"columns", "required"});
    }
    if (node["columns"]) {
      choice.headings = headings(node["columns"], what + ".columns");
    } else {
      error(node, what + ": 'columns' is missing");
    }
    if (node["required"])
      choice.required = flag(node["required"], what + ".required").value_or(choice.required);
    if (roles && node["values"]) {
      const YAML::Node values = node["values"];
      if (!values.IsMap()) {
        error(values, what + ".values must map labels in the export to role ids");
      } else {
        for (const auto& pair : values) {
          auto role = text(pair.second, what + ".values." + pair.first.Scalar());
          if (role) roles->push_back(RoleLabel{pair.first.Scalar(), *role});
        }
      }
    }
    return choice;
  }

  std::optional<ItemRule> item_rule(const YAML::Node& node, const std::string& what) {
    if (!keys(node, what, {"heading", "item", "pattern"})) return std::nullopt;
    ItemRule rule;
    if (node["pattern"]) {
      if (node["heading"] || node["item"]) {
        error(node, what + ": a rule has either 'pattern' or 'heading' with 'item', not both");
        return std::nullopt;
      }
      auto pattern = text(node["pattern"], what + ".pattern");
      if (!pattern) return std::nullopt;
      const bool by_id = pattern->find("{item}") != std::string::npos;
      const bool by_text = pattern->find("{text}") != std::string::npos;
      if (by_id == by_text ||
          occurrences(*pattern, "{item}") + occurrences(*pattern, "{text}") != 1) {
        error(node["pattern"], what + ".pattern must hold exactly one {item} or {text}");
        return std::nullopt;
      }
      rule.pattern = *pattern;
      return rule;
    }
    if (!node["heading"] || !node["item"]) {
      error(node, what + ": give 'pattern', or 'heading' and 'item'");
      return std::nullopt;
    }
    auto heading = text(node["heading"], what + ".heading");
    auto item = text(node["item"], what + ".item");
    if (!heading || !item) return std::nullopt;
    rule.heading = *heading;
    rule.item = *item;
    return rule;
  }

  std::optional<CommentRule> comment_rule(const YAML::Node& node, const std::string& what) {
    if (!keys(node, what, {"heading", "competency", "pattern"})) return std::nullopt;
    CommentRule rule;
    if (node["pattern"]) {
      if (node["heading"] || node["competency"]) {
        error(node,
              what + ": a rule has either 'pattern' or 'heading' with 'competency', not both");
        return std::nullopt;
      }
      auto pattern = text(node["pattern"], what + ".pattern");
      if (!pattern) return std::nullopt;
      if (occurrences(*pattern, "{competency}") + occurrences(*pattern, "{question}") != 1) {
        error(node["pattern"], what + ".pattern must hold exactly one {competency} or {question}");
        return std::nullopt;
      }
      rule.pattern = *pattern;
      return rule;
    }
    if (!node["heading"] || !node["competency"]) {
      error(node, what + ": give 'pattern', or 'heading' and 'competency'");
      return std::nullopt;
    }
    auto heading = text(node["heading"], what + ".heading");
    auto competency = text(node["competency"], what + ".competency");
    if (!heading || !competency) return std::nullopt;
    rule.heading = *heading;
    rule.competency = *competency;
    return rule;
  }

  void labels(const YAML::Node& node, std::vector<AnswerLabel>& out) {
    if (!node.IsMap()) {
      error(
          node,
          "labels must map each answer label to a number on the scale, or to null for don't know");
      return;
    }
    for (const auto& pair : node) {
      const std::string label = pair.first.Scalar();
      const YAML::Node value = pair.second;
      if (label.empty()) {
        error(pair.first, "labels: a label must not be empty (an empty cell is always no answer)");
        continue;
      }
      if (value.IsNull() ||
          (value.IsScalar() && (value.Scalar() == "null" || value.Scalar() == "~"))) {
        out.push_back(AnswerLabel{label, std::nullopt});
        continue;
      }
      int number = 0;
      const std::string& s = value.IsScalar() ? value.Scalar() : std::string();
      const auto [end, ec] = std::from_chars(s.data(), s.data() + s.size(), number);
      if (!value.IsScalar() || ec != std::errc() || end != s.data() + s.size() || number < -100 ||
          number > 100) {
        error(value,
              "labels." + label + " must be a whole number on the scale, or null for don't know");
        continue;
      }
      out.push_back(AnswerLabel{label, number});
    }
  }

  std::optional<RowFilter> filter(const YAML::Node& node) {
    if (!keys(node, "only", {"column", "values", "not_empty", "description"})) return std::nullopt;
    RowFilter f;
    if (!node["column"]) {
      error(node, "only: 'column' is missing");
      return std::nullopt;
    }
    f.columns = headings(node["column"], "only.column");
    if (node["values"]) f.values = headings(node["values"], "only.values");
    if (node["not_empty"] && node["values"])
      error(node, "only: give 'values' or 'not_empty', not both");
    if (node["not_empty"] && !flag(node["not_empty"], "only.not_empty").value_or(false)) {
      error(node["not_empty"], "only.not_empty can only be true");
    }
    if (!node["not_empty"] && !node["values"])
      error(node, "only: give 'values' or 'not_empty: true'");
    if (node["description"])
      f.description = text(node["description"], "only.description").value_or("");
    return f;
  }

  SurveyMapping read(const YAML::Node& root) {
    SurveyMapping m;
    if (!keys(root, "the mapping",
              {"name", "description", "respondent", "role", "unit", "items", "comments", "ignore",
               "labels", "model_labels", "numbers", "only"})) {
      if (!root.IsMap()) return m;
    }
    if (root["name"]) m.name = text(root["name"], "name").value_or("");
    if (root["description"]) m.description = text(root["description"], "description").value_or("");
    if (root["respondent"]) {
      m.respondent = column(root["respondent"], "respondent", true, nullptr);
      m.respondent.required = true;
    } else {
      error(root,
            "the mapping has no 'respondent' column (the column that identifies each response)");
    }
    if (root["role"]) m.role = column(root["role"], "role", false, &m.roles);
    if (root["unit"]) m.unit = column(root["unit"], "unit", false, nullptr);
    const YAML::Node items = root["items"];
    if (!items || !items.IsSequence() || items.size() == 0) {
      error(items ? items : root, "items must be a list of rules (pattern, or heading and item)");
    } else {
      for (std::size_t i = 0; i < items.size(); ++i) {
        if (auto rule = item_rule(items[i], "items[" + std::to_string(i) + "]"))
          m.items.push_back(*rule);
      }
    }
    if (const YAML::Node comments = root["comments"]) {
      if (!comments.IsSequence()) {
        error(comments, "comments must be a list of rules (pattern, or heading and competency)");
      } else {
        for (std::size_t i = 0; i < comments.size(); ++i) {
          if (auto rule = comment_rule(comments[i], "comments[" + std::to_string(i) + "]"))
            m.comments.push_back(*rule);
        }
      }
    }
    if (root["ignore"]) m.ignore = headings(root["ignore"], "ignore");
    if (root["labels"]) labels(root["labels"], m.labels);
    if (root["model_labels"])
      m.model_labels = flag(root["model_labels"], "model_labels").value_or(true);
    if (root["numbers"]) m.numbers = flag(root["numbers"], "numbers").value_or(false);
    if (root["only"]) m.only = filter(root["only"]);
    if (m.labels.empty() && !m.model_labels && !m.numbers) {
      error(root, "no answer can be read: give labels, or model_labels: true, or numbers: true");
    }
    return m;
  }

 private:
  std::string file_;
  std::vector<Diagnostic>& out_;
};

}  // namespace

MappingParseResult parse_survey_mapping(std::string_view text, std::string_view file_name) {
  MappingParseResult result;
  const std::string file(file_name);
  if (text.substr(0, 3) == "\xEF\xBB\xBF") text.remove_prefix(3);
  if (const auto bad = model::find_invalid_utf8(text)) {
    const auto p = model::position_of(text, *bad);
    result.diagnostics.push_back(Diagnostic{file, p.line, p.column, "invalid UTF-8 byte sequence"});
    return result;
  }
  YAML::Node root;
  try {
    root = YAML::Load(std::string(text));
  } catch (const YAML::Exception& e) {
    result.diagnostics.push_back(Diagnostic{file, e.mark.is_null() ? 0 : e.mark.line + 1,
                                            e.mark.is_null() ? 0 : e.mark.column + 1, e.msg});
    return result;
  }
  if (!root.IsMap()) {
    result.diagnostics.push_back(
        Diagnostic{file, 0, 0, "a mapping file is a YAML mapping (respondent, items, labels, …)"});
    return result;
  }
  try {
    MappingReader reader(file, result.diagnostics);
    SurveyMapping mapping = reader.read(root);
    if (result.diagnostics.empty()) result.mapping = std::move(mapping);
  } catch (const YAML::Exception& e) {
    result.diagnostics.push_back(Diagnostic{file, e.mark.is_null() ? 0 : e.mark.line + 1,
                                            e.mark.is_null() ? 0 : e.mark.column + 1, e.msg});
  }
  return result;
}

std::vector<std::string> shipped_mapping_names() { return {"limesurvey", "formbricks"}; }

std::optional<std::string_view> shipped_mapping_text(std::string_view name) {
  if (name == "limesurvey") return limesurvey_mapping_text();
  if (name == "formbricks") return formbricks_mapping_text();
  return std::nullopt;
}

MappingParseResult load_survey_mapping(const std::string& name_or_path) {
  if (const auto shipped = shipped_mapping_text(name_or_path)) {
    return parse_survey_mapping(*shipped, "mappings/" + name_or_path + ".yaml");
  }
  std::string error;
  const auto text = model::read_file(name_or_path, error);
  if (!text) {
    std::string names;
    for (const auto& n : shipped_mapping_names()) names += (names.empty() ? "" : ", ") + n;
    MappingParseResult result;
    result.diagnostics.push_back(
        Diagnostic{name_or_path, 0, 0, error + " (not a shipped mapping either: " + names + ")"});
    return result;
  }
  return parse_survey_mapping(*text, name_or_path);
}

}  // namespace cxm::answers
