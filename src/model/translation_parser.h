// Reads a translation of a maturity model (SPEC section 2, Languages): a
// YAML file beside the model (`cx-maturity.de.yaml` for `cx-maturity.yaml`)
// holding every text of the model by id. The result is the model itself
// with its texts in that language; ids, structure and numbers stay the
// model's, so answers and scores never depend on the language. Every
// missing or unknown translation is reported as file:line:col: message.
//
// The format (docs/languages.md):
//
//   language: de          # the translation's language tag
//   model: cx-maturity    # the model's id and version
//   version: "2.2.0"
//   title: … description: … source: … introduction: …
//   scale: {labels: [...], dont_know: …}
//   roles: {ROLE_ID: name}
//   glossary: {ENGLISH TERM: {term: …, definition: …}}
//   stages: {STAGE_ID: {name, description, obstacle, obstacle_actions: [ACTION…]}}
//   competencies: {COMPETENCY_ID: {name, description, comment}}
//   items: {ITEM_ID: text}
//   actions: {COMPETENCY_ID: {STAGE_NUMBER: [ACTION…]}}
//
// where ACTION is {title, detail, owner, success_measure} and lists hold as
// many actions as the model's, in its order. A text is present exactly when
// the model's is not empty.
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "core/model.h"
#include "model/diagnostic.h"

namespace cxm::model {

struct TranslationParseResult {
  // `base` with every text in the translation's language; present exactly
  // when diagnostics is empty.
  std::optional<core::Model> model;
  std::string language;  // as the file names it (empty when it names none)
  std::vector<Diagnostic> diagnostics;
};

// Parses `text` as a translation of `base`; `file_name` is used only in
// diagnostics.
TranslationParseResult parse_translation(std::string_view text, std::string_view file_name,
                                         const core::Model& base);

// A translation compiled into the binary beside the default model.
struct EmbeddedTranslation {
  std::string_view language;
  std::string_view name;  // "models/cx-maturity.de.yaml"
  std::string_view text;
};

// The default model's translations (models/cx-maturity.*.yaml), by language.
const std::vector<EmbeddedTranslation>& default_translations();

// The translation file of `language` beside a model file:
// "dir/cx-maturity.yaml", "de" -> "dir/cx-maturity.de.yaml".
std::string translation_path(std::string_view model_path, std::string_view language);

// The translation files beside a model file, as (language, path), sorted by
// language. Reads the directory; files whose middle part is not a language
// tag are not translations.
std::vector<std::pair<std::string, std::string>> translation_files(const std::string& model_path);

}  // namespace cxm::model
