#include "model/translation_parser.h"

#include <filesystem>
#include <map>

#include "core/glossary.h"
#include "model/utf8.h"
#include "model/yaml_reader.h"

namespace cxm::model {
namespace {

using core::Model;

// Walks a translation beside its model, replacing the copy's texts.
class Translator {
 public:
  explicit Translator(Reader& r) : r_(r) {}

  // The text of `key` in `map`: required when the model's `original` is not
  // empty, refused when it is (there is nothing to translate).
  void text(const YAML::Node& map, const std::string& key, const std::string& what,
            std::string& target) {
    const YAML::Node node = map.IsMap() ? map[key] : YAML::Node();
    if (target.empty()) {
      if (node) r_.error(node, what + ": '" + key + "' has no text in the model to translate");
      return;
    }
    if (!node) {
      r_.error(map, what + ": no translation for '" + key + "'");
      return;
    }
    if (!node.IsScalar() || node.Scalar().empty()) {
      r_.error(node.IsNull() ? map : node, what + ": '" + key + "' must be non-empty text");
      return;
    }
    target = node.Scalar();
  }

  // A section that maps the model's ids to translations: calls `each` with
  // the node of every id the model has, and reports unknown and missing ids.
  // `ids` lists the model's ids in its order.
  template <typename Each>
  void by_id(const YAML::Node& root, const std::string& section, const std::string& what,
             const std::vector<std::string>& ids, Each each) {
    const YAML::Node node = root[section];
    if (ids.empty()) {
      if (node) r_.error(node, section + ": the model has no " + what + "s to translate");
      return;
    }
    if (!node) {
      r_.error(root, "no '" + section + "' section: the model has " + std::to_string(ids.size()) +
                         " " + what + (ids.size() == 1 ? "" : "s") + " to translate");
      return;
    }
    if (!node.IsMap()) {
      r_.error(node, section + " must map each " + what + "'s id to its translation");
      return;
    }
    std::set<std::string> seen;
    for (const auto& pair : node) {
      const std::string id = pair.first.Scalar();
      if (!seen.insert(id).second) {
        r_.error(pair.first, section + ": '" + id + "' appears twice");
      } else if (std::find(ids.begin(), ids.end(), id) == ids.end()) {
        std::string message = section + ": unknown " + what + " '" + id + "'";
        for (const auto& known : ids) {
          if (edit_distance(id, known) <= std::max<std::size_t>(1, id.size() / 3)) {
            message += "; did you mean '" + known + "'?";
            break;
          }
        }
        r_.error(pair.first, message);
      }
    }
    for (std::size_t i = 0; i < ids.size(); ++i) {
      const YAML::Node entry = node[ids[i]];
      if (!entry) {
        r_.error(node, section + ": no translation for '" + ids[i] + "'");
        continue;
      }
      each(i, entry);
    }
  }

  // A list of actions translated in the model's order.
  void actions(const YAML::Node& map, const std::string& key, const std::string& what,
               std::vector<core::Action*> targets) {
    const YAML::Node node = map.IsMap() ? map[key] : YAML::Node();
    if (targets.empty()) {
      if (node) r_.error(node, what + ": the model has no actions here to translate");
      return;
    }
    if (!node) {
      r_.error(map, what + ": no translation for '" + key + "' (" + std::to_string(targets.size()) +
                        " action" + (targets.size() == 1 ? "" : "s") + ")");
      return;
    }
    if (!node.IsSequence()) {
      r_.error(node, what + ": '" + key + "' must be a list of actions in the model's order");
      return;
    }
    if (node.size() != targets.size()) {
      r_.error(node, what + ": the model has " + std::to_string(targets.size()) + " action" +
                         (targets.size() == 1 ? "" : "s") + " here, the translation " +
                         std::to_string(node.size()));
      return;
    }
    for (std::size_t i = 0; i < targets.size(); ++i) {
      const std::string where = what + " action " + std::to_string(i + 1);
      if (!r_.mapping(node[i], where, {"title", "detail", "owner", "success_measure"}, {}))
        continue;
      core::Action& action = *targets[i];
      text(node[i], "title", where, action.title);
      text(node[i], "detail", where, action.detail);
      text(node[i], "owner", where, action.owner);
      text(node[i], "success_measure", where, action.success_measure);
    }
  }

 private:
  Reader& r_;
};

void translate_scale(Reader& r, Translator& t, const YAML::Node& root, Model& model) {
  const YAML::Node node = root["scale"];
  if (!node) {
    r.error(root, "no 'scale' section: the model's scale labels need a translation");
    return;
  }
  if (!r.mapping(node, "scale", {"labels", "dont_know"}, {"labels"})) return;
  if (const auto labels = r.list(node, "labels", "scale")) {
    if (labels->size() != model.scale.labels.size()) {
      r.error(*labels, "scale: the model has " + std::to_string(model.scale.labels.size()) +
                           " labels, the translation " + std::to_string(labels->size()));
    } else {
      for (std::size_t i = 0; i < labels->size(); ++i) {
        const YAML::Node label = (*labels)[i];
        if (!label.IsScalar() || label.Scalar().empty()) {
          r.error(label, "scale: each label must be non-empty text");
          continue;
        }
        model.scale.labels[i] = label.Scalar();
      }
    }
  }
  t.text(node, "dont_know", "scale", model.scale.dont_know_label);
}

void translate_glossary(Reader& r, const YAML::Node& root, Model& model) {
  std::vector<std::string> terms;
  for (const auto& entry : model.glossary) terms.push_back(entry.term);
  Translator t(r);
  std::set<std::string> seen;
  t.by_id(root, "glossary", "term", terms, [&](std::size_t i, const YAML::Node& node) {
    const std::string what = "glossary '" + terms[i] + "'";
    if (!r.mapping(node, what, {"term", "definition"}, {"term", "definition"})) return;
    const auto term = r.text(node, "term", what);
    const auto definition = r.text(node, "definition", what);
    if (!term || !definition) return;
    std::string lower = *term;
    std::transform(lower.begin(), lower.end(), lower.begin(),
                   [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
    if (!seen.insert(lower).second) {
      r.error(node["term"], what + ": another term is already translated as '" + *term + "'");
      return;
    }
    model.glossary[i] = {*term, *definition};
    // Like the model's own rule: a term is explained where respondents read
    // it, so the translated statements or introduction must use it.
    const core::GlossaryEntry& entry = model.glossary[i];
    const auto used = [&](const std::string& text) {
      return !core::find_glossary_terms({&entry, 1}, text).empty();
    };
    const bool in_items = std::any_of(model.items.begin(), model.items.end(),
                                      [&](const core::Item& item) { return used(item.text); });
    if (!in_items && !used(model.introduction)) {
      r.error(node["term"], what +
                                ": no translated statement and not the translated "
                                "introduction uses the term '" +
                                *term + "'");
    }
  });
}

void translate_actions(Reader& r, Translator& t, const YAML::Node& root, Model& model) {
  // competency -> stage -> the model's actions in order
  std::map<std::string, std::map<int, std::vector<core::Action*>>> library;
  for (auto& a : model.actions) {
    library[model.competencies[a.competency].id][a.stage].push_back(&a.action);
  }
  std::vector<std::string> ids;
  for (const auto& c : model.competencies) {
    if (library.count(c.id)) ids.push_back(c.id);
  }
  t.by_id(root, "actions", "competency", ids, [&](std::size_t i, const YAML::Node& node) {
    const std::string what = "actions of '" + ids[i] + "'";
    if (!node.IsMap()) {
      r.error(node, what + " must map stage numbers to lists of actions");
      return;
    }
    const auto& stages = library[ids[i]];
    for (const auto& pair : node) {
      int stage = 0;
      if (!YAML::convert<int>::decode(pair.first, stage) || !stages.count(stage)) {
        r.error(pair.first, what + ": the model has no actions for stage '" + pair.first.Scalar() +
                                "' of this competency");
      }
    }
    for (const auto& [stage, targets] : stages) {
      t.actions(node, std::to_string(stage), what + " at stage " + std::to_string(stage), targets);
    }
  });
}

void translate(Reader& r, const YAML::Node& root, Model& model) {
  Translator t(r);
  t.text(root, "title", "translation", model.title);
  t.text(root, "description", "translation", model.description);
  t.text(root, "source", "translation", model.source);
  t.text(root, "introduction", "translation", model.introduction);
  translate_scale(r, t, root, model);

  std::vector<std::string> roles;
  for (const auto& role : model.roles) roles.push_back(role.id);
  t.by_id(root, "roles", "role", roles, [&](std::size_t i, const YAML::Node& node) {
    if (!node.IsScalar() || node.Scalar().empty()) {
      r.error(node, "roles: '" + roles[i] + "' must be non-empty text");
      return;
    }
    model.roles[i].name = node.Scalar();
  });

  std::vector<std::string> stages;
  for (const auto& stage : model.stages) stages.push_back(stage.id);
  t.by_id(root, "stages", "stage", stages, [&](std::size_t i, const YAML::Node& node) {
    const std::string what = "stage '" + stages[i] + "'";
    if (!r.mapping(node, what, {"name", "description", "obstacle", "obstacle_actions"}, {})) return;
    core::Stage& stage = model.stages[i];
    t.text(node, "name", what, stage.name);
    t.text(node, "description", what, stage.description);
    t.text(node, "obstacle", what, stage.obstacle);
    std::vector<core::Action*> actions;
    for (auto& a : stage.obstacle_actions) actions.push_back(&a);
    t.actions(node, "obstacle_actions", what, actions);
  });

  std::vector<std::string> competencies;
  for (const auto& c : model.competencies) competencies.push_back(c.id);
  t.by_id(root, "competencies", "competency", competencies,
          [&](std::size_t i, const YAML::Node& node) {
            const std::string what = "competency '" + competencies[i] + "'";
            if (!r.mapping(node, what, {"name", "description", "comment"}, {})) return;
            core::Competency& c = model.competencies[i];
            t.text(node, "name", what, c.name);
            t.text(node, "description", what, c.description);
            t.text(node, "comment", what, c.comment);
          });

  std::vector<std::string> items;
  for (const auto& item : model.items) items.push_back(item.id);
  t.by_id(root, "items", "statement", items, [&](std::size_t i, const YAML::Node& node) {
    if (!node.IsScalar() || node.Scalar().empty()) {
      r.error(node, "items: '" + items[i] + "' must be non-empty text");
      return;
    }
    model.items[i].text = node.Scalar();
  });

  translate_actions(r, t, root, model);
  // Last: the glossary rule reads the translated statements.
  translate_glossary(r, root, model);
}

}  // namespace

TranslationParseResult parse_translation(std::string_view text, std::string_view file_name,
                                         const core::Model& base) {
  TranslationParseResult result;
  Reader r(file_name, result.diagnostics);
  const auto document = load_document(r, text, "a translation of model '" + base.id + "'");
  if (!document) return result;
  const YAML::Node& root = *document;
  try {
    if (!r.mapping(
            root, "translation",
            {"language", "model", "version", "title", "description", "source", "introduction",
             "scale", "roles", "glossary", "stages", "competencies", "items", "actions"},
            {"language", "model", "version"})) {
      return result;
    }
    if (const auto language = r.text(root, "language", "translation")) {
      if (!is_language_tag(*language)) {
        r.error(root["language"], "translation: language '" + *language +
                                      "' is not a language tag such as 'de' or 'pt-BR'");
      } else if (*language == base.language) {
        r.error(root["language"], "translation: '" + *language + "' is the model's own language");
      } else {
        result.language = *language;
      }
    }
    if (const auto id = r.text(root, "model", "translation"); id && *id != base.id) {
      r.error(root["model"],
              "translation: it translates model '" + *id + "', not '" + base.id + "'");
    }
    if (const auto version = r.text(root, "version", "translation");
        version && *version != base.version) {
      r.error(root["version"], "translation: it translates version " + *version +
                                   " of the model, which is at version " + base.version);
    }
    Model model = base;
    translate(r, root, model);
    if (result.diagnostics.empty()) {
      model.language = result.language;
      result.model = std::move(model);
    }
  } catch (const YAML::Exception& e) {
    r.error(e.mark.is_null() ? 0 : e.mark.line + 1, e.mark.is_null() ? 0 : e.mark.column + 1,
            e.msg);
  }
  return result;
}

std::string translation_path(std::string_view model_path, std::string_view language) {
  std::string path(model_path);
  const std::size_t slash = path.find_last_of('/');
  const std::size_t dot = path.find_last_of('.');
  if (dot == std::string::npos || (slash != std::string::npos && dot < slash)) {
    return path + "." + std::string(language) + ".yaml";
  }
  return path.substr(0, dot) + "." + std::string(language) + path.substr(dot);
}

std::vector<std::pair<std::string, std::string>> translation_files(const std::string& model_path) {
  namespace fs = std::filesystem;
  std::vector<std::pair<std::string, std::string>> found;
  const fs::path model(model_path);
  const std::string stem = model.stem().string();
  const std::string extension = model.extension().string();
  std::error_code error;
  const fs::path dir = model.has_parent_path() ? model.parent_path() : fs::path(".");
  for (fs::directory_iterator it(dir, error), end; !error && it != end; it.increment(error)) {
    const std::string name = it->path().filename().string();
    if (name.size() <= stem.size() + 1 + extension.size() || name.rfind(stem + ".", 0) != 0 ||
        name.substr(name.size() - extension.size()) != extension) {
      continue;
    }
    const std::string language =
        name.substr(stem.size() + 1, name.size() - stem.size() - 1 - extension.size());
    if (!is_language_tag(language)) continue;
    found.emplace_back(language, translation_path(model_path, language));
  }
  std::sort(found.begin(), found.end());
  return found;
}

}  // namespace cxm::model
