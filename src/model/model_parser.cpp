#include "model/model_parser.h"

#include <yaml-cpp/yaml.h>

#include <algorithm>
#include <cctype>
#include <cerrno>
#include <cmath>
#include <cstring>
#include <fstream>
#include <set>
#include <sstream>

#include "core/forms.h"
#include "core/glossary.h"
#include "model/utf8.h"
#include "model/yaml_reader.h"

namespace cxm::model {
namespace {

using core::Model;

void read_scale(Reader& r, const YAML::Node& node, Model& model) {
  if (!node ||
      !r.mapping(node, "scale", {"min", "max", "labels", "dont_know"}, {"min", "max", "labels"})) {
    return;
  }
  const auto min = r.integer(node, "min", "scale");
  const auto max = r.integer(node, "max", "scale");
  if (!min || !max) return;
  if (*min < -100 || *max > 100 || *min >= *max || *max - *min > 10) {
    r.error(node,
            "scale: min and max must satisfy min < max, with 2 to 11 points between -100 and 100 "
            "(got " +
                std::to_string(*min) + ".." + std::to_string(*max) + ")");
    return;
  }
  model.scale.min = static_cast<int>(*min);
  model.scale.max = static_cast<int>(*max);
  if (const auto labels = r.list(node, "labels", "scale")) {
    for (const auto& label : *labels) {
      if (!label.IsScalar() || label.Scalar().empty()) {
        r.error(label, "scale: each label must be non-empty text");
        continue;
      }
      model.scale.labels.push_back(label.Scalar());
    }
    if (labels->size() != static_cast<std::size_t>(model.scale.points())) {
      r.error(*labels, "scale: expected " + std::to_string(model.scale.points()) +
                           " labels (one per point from " + std::to_string(*min) + " to " +
                           std::to_string(*max) + "), found " + std::to_string(labels->size()));
    }
  }
  model.scale.dont_know_label = r.text(node, "dont_know", "scale", false).value_or("");
}

// What reading the action library collects for checks that need the whole
// model: titles seen so far (no two actions may share one) and the
// statement ids actions link to, checked once the items are known.
struct ActionChecks {
  struct ItemLink {
    YAML::Node node;
    std::string what;
  };
  std::set<std::string> titles;  // lower-cased
  std::vector<ItemLink> links;
};

std::string lower_case(std::string text) {
  std::transform(text.begin(), text.end(), text.begin(),
                 [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
  return text;
}

// The fields every action has, stage obstacle action or competency action.
std::optional<core::Action> read_action_fields(Reader& r, const YAML::Node& node,
                                               const std::string& what, ActionChecks& checks) {
  auto title = r.text(node, "title", what);
  auto detail = r.text(node, "detail", what, false);
  auto owner = r.text(node, "owner", what, false);
  auto success = r.text(node, "success_measure", what, false);
  if (title && !checks.titles.insert(lower_case(*title)).second) {
    r.error(node["title"], what + ": another action already has the title '" + *title + "'");
  }
  std::vector<std::string> items;
  if (const auto list = r.list(node, "items", what)) {
    std::set<std::string> seen;
    for (const auto& id : *list) {
      if (!id.IsScalar() || !is_valid_id(id.Scalar())) {
        r.error(id, what + ": 'items' must list statement ids");
        continue;
      }
      if (!seen.insert(id.Scalar()).second) {
        r.error(id, what + ": statement '" + id.Scalar() + "' is listed twice");
        continue;
      }
      items.push_back(id.Scalar());
      checks.links.push_back({id, what});
    }
  }
  if (!title || !detail || !owner || !success) return std::nullopt;
  return core::Action{*title, *detail, *owner, *success, std::move(items)};
}

std::vector<core::Action> read_actions(Reader& r, const YAML::Node& map, const std::string& key,
                                       const std::string& what, ActionChecks& checks) {
  std::vector<core::Action> actions;
  const auto list = r.list(map, key, what);
  if (!list) return actions;
  for (const auto& node : *list) {
    if (!r.mapping(node, what + " action", {"title", "detail", "owner", "success_measure", "items"},
                   {"title"}))
      continue;
    if (auto action = read_action_fields(r, node, what + " action", checks))
      actions.push_back(std::move(*action));
  }
  return actions;
}

void read_stages(Reader& r, const YAML::Node& root, Model& model, ActionChecks& checks) {
  const auto list = r.list(root, "stages", "model");
  if (!list) return;
  std::set<std::string> ids;
  int expected = 1;
  for (const auto& node : *list) {
    const std::string what = "stage " + std::to_string(expected);
    if (!r.mapping(node, what,
                   {"number", "id", "name", "description", "obstacle", "obstacle_actions"},
                   {"number", "id", "name", "description", "obstacle"})) {
      ++expected;
      continue;
    }
    core::Stage stage;
    stage.number = expected;
    if (const auto number = r.integer(node, "number", what); number && *number != expected) {
      r.error(node["number"], what + ": stages must be numbered 1, 2, 3, ... in order; expected " +
                                  std::to_string(expected) + ", found " + std::to_string(*number));
    }
    if (auto id = r.id(node, "id", what)) {
      if (!ids.insert(*id).second) r.error(node["id"], what + ": duplicate stage id '" + *id + "'");
      stage.id = *id;
    }
    stage.name = r.text(node, "name", what).value_or("");
    stage.description = r.text(node, "description", what).value_or("");
    stage.obstacle = r.text(node, "obstacle", what).value_or("");
    stage.obstacle_actions = read_actions(r, node, "obstacle_actions", what, checks);
    model.stages.push_back(std::move(stage));
    ++expected;
  }
  if (model.stages.size() < 2)
    r.error(*list, "model: at least 2 stages are needed (stage 1 is the floor)");
}

void read_competencies(Reader& r, const YAML::Node& root, Model& model,
                       std::vector<YAML::Node>& nodes) {
  const auto list = r.list(root, "competencies", "model");
  if (!list) return;
  for (const auto& node : *list) {
    const std::string what = "competency " + std::to_string(model.competencies.size() + 1);
    if (!r.mapping(node, what, {"id", "name", "description", "comment"}, {"id", "name"})) continue;
    auto id = r.id(node, "id", what);
    auto name = r.text(node, "name", what);
    if (!id || !name) continue;
    if (model.find_competency(*id)) {
      r.error(node["id"], "duplicate competency id '" + *id + "'");
      continue;
    }
    model.competencies.push_back({*id, *name, r.text(node, "description", what, false).value_or(""),
                                  r.text(node, "comment", what, false).value_or("")});
    nodes.push_back(node);
  }
  if (model.competencies.empty()) r.error(*list, "model: at least one competency is needed");
}

std::optional<std::size_t> competency_of(Reader& r, const YAML::Node& node, const Model& model,
                                         const std::string& what) {
  auto id = r.text(node, "competency", what);
  if (!id) return std::nullopt;
  auto index = model.find_competency(*id);
  if (!index) r.error(node["competency"], what + ": unknown competency '" + *id + "'");
  return index;
}

std::optional<int> stage_of(Reader& r, const YAML::Node& node, const Model& model, int lowest,
                            const std::string& what) {
  const auto stage = r.integer(node, "stage", what);
  if (!stage) return std::nullopt;
  if (*stage < lowest || *stage > model.stage_count()) {
    r.error(node["stage"], what + ": stage " + std::to_string(*stage) + " is out of range " +
                               std::to_string(lowest) + ".." + std::to_string(model.stage_count()));
    return std::nullopt;
  }
  return static_cast<int>(*stage);
}

// The stage whose key obstacle the statement measures (`obstacle: STAGE_ID`),
// 0 when it names none. Overcoming a stage's obstacle is evidence of a
// later stage, so the statement sits above that stage; the last stage's
// obstacle (keeping what was reached alive) sits at the last stage.
std::optional<int> obstacle_of(Reader& r, const YAML::Node& node, const Model& model,
                               std::optional<int> stage, const std::string& what) {
  if (!node["obstacle"]) return 0;
  const auto id = r.id(node, "obstacle", what);
  if (!id) return std::nullopt;
  const auto found = std::find_if(model.stages.begin(), model.stages.end(),
                                  [&](const core::Stage& s) { return s.id == *id; });
  if (found == model.stages.end()) {
    std::string known;
    for (const auto& s : model.stages) known += (known.empty() ? "" : ", ") + s.id;
    r.error(node["obstacle"], what + ": unknown stage '" + *id + "' (stages: " + known + ")");
    return std::nullopt;
  }
  const int obstacle = found->number;
  const int last = model.stage_count();
  if (stage && *stage <= obstacle && !(obstacle == last && *stage == last)) {
    r.error(node["obstacle"], what + ": overcoming the obstacle of stage '" + *id + "' (" +
                                  std::to_string(obstacle) +
                                  ") is evidence of a later stage, but the statement is at stage " +
                                  std::to_string(*stage));
    return std::nullopt;
  }
  return obstacle;
}

// `themes: [silo, customer]`: the themes a statement belongs to, each known and named
// once.
std::optional<std::vector<std::string>> themes_of(Reader& r, const YAML::Node& node,
                                                  const std::string& what) {
  std::vector<std::string> themes;
  if (!node["themes"]) return themes;
  const auto list = r.list(node, "themes", what);
  if (!list) return std::nullopt;
  bool ok = true;
  for (const auto& theme : *list) {
    if (!theme.IsScalar() ||
        (theme.Scalar() != core::kSiloTheme && theme.Scalar() != core::kCustomerTheme)) {
      r.error(theme, what + ": unknown theme '" + (theme.IsScalar() ? theme.Scalar() : "") +
                         "' (themes: " + std::string(core::kSiloTheme) + ", " +
                         std::string(core::kCustomerTheme) + ")");
      ok = false;
      continue;
    }
    if (std::find(themes.begin(), themes.end(), theme.Scalar()) != themes.end()) {
      r.error(theme, what + ": theme '" + theme.Scalar() + "' is named twice");
      ok = false;
      continue;
    }
    themes.push_back(theme.Scalar());
  }
  if (!ok) return std::nullopt;
  return themes;
}

void read_items(Reader& r, const YAML::Node& root, Model& model) {
  const auto list = r.list(root, "items", "model");
  if (!list) return;
  for (const auto& node : *list) {
    const std::string what = "item " + std::to_string(model.items.size() + 1);
    if (!r.mapping(node, what,
                   {"id", "competency", "stage", "text", "pulse", "obstacle", "themes", "reverse"},
                   {"id", "competency", "stage", "text"})) {
      continue;
    }
    const auto id = r.id(node, "id", what);
    const auto competency = competency_of(r, node, model, what);
    // Items evidence stages 2..N; stage 1 is the floor and has none.
    const auto stage = stage_of(r, node, model, 2, what);
    const auto text = r.text(node, "text", what);
    const auto pulse = node["pulse"] ? r.boolean(node, "pulse", what) : std::optional<bool>(false);
    const auto reverse =
        node["reverse"] ? r.boolean(node, "reverse", what) : std::optional<bool>(false);
    const auto obstacle = obstacle_of(r, node, model, stage, what);
    const auto themes = themes_of(r, node, what);
    if (id && model.find_item(*id)) {
      r.error(node["id"], "duplicate item id '" + *id + "'");
      continue;
    }
    if (id && competency && stage && text && pulse && reverse && obstacle && themes) {
      model.items.push_back(
          {*id, *competency, *stage, *text, *pulse, *obstacle, *themes, *reverse});
    }
  }
}

void read_roles(Reader& r, const YAML::Node& root, Model& model) {
  const auto list = r.list(root, "roles", "model");
  if (!list) return;
  for (const auto& node : *list) {
    const std::string what = "role " + std::to_string(model.roles.size() + 1);
    if (!r.mapping(node, what, {"id", "name"}, {"id", "name"})) continue;
    auto id = r.id(node, "id", what);
    auto name = r.text(node, "name", what);
    if (!id || !name) continue;
    if (model.find_role(*id)) {
      r.error(node["id"], "duplicate role id '" + *id + "'");
      continue;
    }
    model.roles.push_back({*id, *name});
  }
}

void read_competency_actions(Reader& r, const YAML::Node& root, Model& model,
                             ActionChecks& checks) {
  const auto list = r.list(root, "actions", "model");
  if (!list) return;
  std::size_t n = 0;
  for (const auto& node : *list) {
    const std::string what = "action " + std::to_string(++n);
    if (!r.mapping(node, what,
                   {"competency", "stage", "title", "detail", "owner", "success_measure", "items"},
                   {"competency", "stage", "title"})) {
      continue;
    }
    const auto competency = competency_of(r, node, model, what);
    const auto stage = stage_of(r, node, model, 1, what);
    auto action = read_action_fields(r, node, what, checks);
    if (competency && stage && action)
      model.actions.push_back({*competency, *stage, std::move(*action)});
  }
}

// Every competency needs at least one item for every stage 2..N, or its
// stage could never be evidenced.
void check_coverage(Reader& r, const Model& model, const std::vector<YAML::Node>& nodes) {
  for (std::size_t c = 0; c < model.competencies.size(); ++c) {
    for (int stage = 2; stage <= model.stage_count(); ++stage) {
      const bool covered =
          std::any_of(model.items.begin(), model.items.end(),
                      [&](const core::Item& i) { return i.competency == c && i.stage == stage; });
      if (!covered) {
        r.error(nodes[c], "competency '" + model.competencies[c].id + "' has no item for stage " +
                              std::to_string(stage) + " (" + model.stage(stage).name + ")");
      }
    }
  }
}

// Actions may only link statements the model has.
void check_action_links(Reader& r, const Model& model, const ActionChecks& checks) {
  for (const auto& link : checks.links) {
    if (!model.find_item(link.node.Scalar())) {
      r.error(link.node, link.what + ": unknown statement '" + link.node.Scalar() + "'");
    }
  }
}

// A pulse form is optional; a model that has one needs enough pulse
// statements in every competency for its agreement and reliability.
void check_pulse_form(Reader& r, const Model& model, const std::vector<YAML::Node>& nodes) {
  if (!core::has_pulse_form(model)) return;
  for (std::size_t c = 0; c < model.competencies.size(); ++c) {
    const auto n = static_cast<std::size_t>(
        std::count_if(model.items.begin(), model.items.end(),
                      [&](const core::Item& i) { return i.competency == c && i.pulse; }));
    if (n < core::kMinPulseItemsPerCompetency) {
      r.error(nodes[c],
              "competency '" + model.competencies[c].id + "' has " + std::to_string(n) +
                  " pulse statement" + (n == 1 ? "" : "s") + "; a pulse form needs at least " +
                  std::to_string(core::kMinPulseItemsPerCompetency) + " in every competency");
    }
  }
}

// The glossary explains terms the respondents read: each term once, each
// used by a statement or the introduction.
void read_glossary(Reader& r, const YAML::Node& root, Model& model) {
  const auto list = r.list(root, "glossary", "model");
  if (!list) return;
  std::set<std::string> terms;
  std::size_t n = 0;
  for (const auto& node : *list) {
    const std::string what = "glossary entry " + std::to_string(++n);
    if (!r.mapping(node, what, {"term", "definition"}, {"term", "definition"})) continue;
    const auto term = r.text(node, "term", what);
    const auto definition = r.text(node, "definition", what);
    if (!term || !definition) continue;
    if (!terms.insert(lower_case(*term)).second) {
      r.error(node["term"], what + ": the term '" + *term + "' is already in the glossary");
      continue;
    }
    const core::GlossaryEntry entry{*term, *definition};
    const auto used = [&](const std::string& text) {
      return !core::find_glossary_terms({&entry, 1}, text).empty();
    };
    const bool in_items = std::any_of(model.items.begin(), model.items.end(),
                                      [&](const core::Item& i) { return used(i.text); });
    if (!in_items && !used(model.introduction)) {
      r.error(node["term"],
              what + ": no statement and not the introduction uses the term '" + *term + "'");
      continue;
    }
    model.glossary.push_back(entry);
  }
}

}  // namespace

ModelParseResult parse_model(std::string_view text, std::string_view file_name) {
  ModelParseResult result;
  Reader r(file_name, result.diagnostics);
  const auto document = load_document(r, text, "a maturity model");
  if (!document) return result;
  const YAML::Node& root = *document;
  try {
    Model model;
    if (!r.mapping(
            root, "model",
            {"id", "version", "language", "title", "description", "source", "introduction", "scale",
             "threshold", "roles", "stages", "competencies", "items", "actions", "glossary"},
            {"id", "version", "title", "scale", "threshold", "stages", "competencies", "items"})) {
      return result;
    }
    model.id = r.id(root, "id", "model").value_or("");
    model.version = r.text(root, "version", "model").value_or("");
    model.title = r.text(root, "title", "model").value_or("");
    if (root["language"]) {
      const auto language = r.text(root, "language", "model");
      if (language && !is_language_tag(*language)) {
        r.error(root["language"], "model: language '" + *language +
                                      "' is not a language tag such as 'en' or 'pt-BR'");
      } else if (language) {
        model.language = *language;
      }
    }
    model.description = r.text(root, "description", "model", false).value_or("");
    model.source = r.text(root, "source", "model", false).value_or("");
    model.introduction = r.text(root, "introduction", "model", false).value_or("");
    read_scale(r, root["scale"], model);
    if (const auto threshold = r.number(root, "threshold", "model")) {
      if (*threshold < 0 || *threshold > 100) {
        r.error(root["threshold"], "model: threshold must be between 0 and 100");
      }
      model.threshold = *threshold;
    }
    read_roles(r, root, model);
    const std::size_t before_structure = result.diagnostics.size();
    ActionChecks action_checks;
    read_stages(r, root, model, action_checks);
    std::vector<YAML::Node> competency_nodes;
    read_competencies(r, root, model, competency_nodes);
    // Items and actions refer to stages and competencies: checking them
    // against a broken structure would only repeat its problems.
    if (result.diagnostics.size() == before_structure) {
      const std::size_t before_items = result.diagnostics.size();
      read_items(r, root, model);
      read_competency_actions(r, root, model, action_checks);
      if (result.diagnostics.size() == before_items) {
        check_coverage(r, model, competency_nodes);
        check_pulse_form(r, model, competency_nodes);
        check_action_links(r, model, action_checks);
        read_glossary(r, root, model);
      }
    }
    if (result.diagnostics.empty()) result.model = std::move(model);
  } catch (const YAML::Exception& e) {
    // yaml-cpp throws on some malformed trees while walking them.
    r.error(e.mark.is_null() ? 0 : e.mark.line + 1, e.mark.is_null() ? 0 : e.mark.column + 1,
            e.msg);
  }
  return result;
}

std::optional<std::string> read_file(const std::string& path, std::string& error) {
  std::ifstream in(path, std::ios::binary);
  if (!in) {
    error = std::strerror(errno);
    return std::nullopt;
  }
  std::ostringstream buffer;
  buffer << in.rdbuf();
  if (in.bad()) {
    error = "read error";
    return std::nullopt;
  }
  return buffer.str();
}

ModelParseResult load_model_file(const std::string& path) {
  std::string error;
  const auto text = read_file(path, error);
  if (!text) {
    ModelParseResult result;
    result.diagnostics.push_back({path, 0, 0, "cannot read the model file: " + error});
    return result;
  }
  return parse_model(*text, path);
}

ModelParseResult load_default_model() {
  return parse_model(default_model_text(), default_model_name());
}

}  // namespace cxm::model
