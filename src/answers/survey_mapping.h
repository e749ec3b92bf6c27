// A survey-tool mapping (docs/import.md): how the columns and answer labels
// of a survey tool's CSV export become respondents and answers of a model.
// Written in YAML; cxm ships mappings for LimeSurvey and Formbricks
// (mappings/*.yaml, compiled into the binary).
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "model/diagnostic.h"

namespace cxm::answers {

// How a column heading becomes a statement of the model. A `heading` rule
// names one exact heading and its item; a `pattern` rule matches headings
// where `*` stands for any text and exactly one placeholder stands for the
// item: `{item}` for its id (LimeSurvey's CODE[SUBCODE]) or `{text}` for the
// statement's text (LimeSurvey's "Question [statement]", Formbricks'
// "N. Headline - Row label"). Headings compare without regard to case,
// surrounding spaces or runs of spaces.
struct ItemRule {
  std::string heading;  // a heading rule: the exact heading
  std::string item;     // a heading rule: the item id
  std::string pattern;  // a pattern rule
};

// How a column heading becomes the comments on a competency (its optional
// free-text question): a `heading` rule names one exact heading and its
// competency; a `pattern` rule has exactly one placeholder, `{competency}`
// for the competency's id (LimeSurvey's CODE[comment]) or `{question}` for
// its comment question's text (a free-text question's heading).
struct CommentRule {
  std::string heading;     // a heading rule: the exact heading
  std::string competency;  // a heading rule: the competency id
  std::string pattern;     // a pattern rule
};

// A column found by its heading: the first of `headings` that the file has
// (a heading may hold `*` for any text).
struct ColumnChoice {
  std::vector<std::string> headings;
  bool required = false;
};

// Which rows are responses to import (e.g. only completed ones): those
// whose column (the first of `columns` that the file has) is not empty, or
// holds one of `values`.
struct RowFilter {
  std::vector<std::string> columns;
  std::vector<std::string> values;  // empty: any non-empty cell
  std::string description;          // what the kept rows are, for the preview
};

// An answer label and its value on the model's scale; nullopt: "don't know".
struct AnswerLabel {
  std::string label;
  std::optional<int> value;
};

// A role label in the export and the model's role id it stands for.
struct RoleLabel {
  std::string label;
  std::string role;
};

struct SurveyMapping {
  std::string name;
  std::string description;
  ColumnChoice respondent;  // always required
  ColumnChoice role;
  ColumnChoice unit;
  std::vector<RoleLabel> roles;  // besides the model's role ids and names
  std::vector<ItemRule> items;
  std::vector<CommentRule> comments{};  // tried before `items` and `ignore`
  std::vector<std::string> ignore;  // headings (with `*` for any text) known to carry no answers
  std::vector<AnswerLabel> labels;
  bool model_labels = true;  // also accept the model's own scale labels
  bool numbers = false;      // also accept whole numbers on the model's scale
  std::optional<RowFilter> only;
};

struct MappingParseResult {
  std::optional<SurveyMapping> mapping;  // present exactly when diagnostics is empty
  std::vector<model::Diagnostic> diagnostics;
};

// Parses a mapping file's text; `file_name` is used only in diagnostics.
MappingParseResult parse_survey_mapping(std::string_view text, std::string_view file_name);

// The mappings compiled into the binary, by name ("limesurvey", "formbricks").
std::vector<std::string> shipped_mapping_names();
std::optional<std::string_view> shipped_mapping_text(std::string_view name);

// A shipped mapping by its name, or else the YAML file at `name_or_path`.
MappingParseResult load_survey_mapping(const std::string& name_or_path);

}  // namespace cxm::answers
