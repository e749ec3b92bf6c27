// The maturity model as plain data: stages, competencies, items, scale,
// threshold, roles, the action library and what respondents read beside
// the statements (introduction, glossary). Built by src/model from a YAML
// file; everything in core treats a Model as already validated.
#pragma once

#include <cstddef>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace cxm::core {

// An answer scale of consecutive integer points, e.g. 1..5, plus an optional
// "don't know" option that counts as a missing answer, never as a number.
struct Scale {
  int min = 1;
  int max = 5;
  std::vector<std::string> labels;  // one per point, min..max
  std::string dont_know_label;      // empty when the scale has no such option

  int points() const { return max - min + 1; }
};

// A recommended action: what to do, who typically owns it, how you know it
// worked, and the statements it is meant to move. `owner`,
// `success_measure` and `items` may be empty (older models have none).
struct Action {
  std::string title;
  std::string detail;
  std::string owner;
  std::string success_measure;
  std::vector<std::string> items;  // ids of Model::items
};

// A term the statements use, explained where it appears.
struct GlossaryEntry {
  std::string term;
  std::string definition;
};

// Which statements of a model a questionnaire asks: all of them, or only
// the pulse form (the statements flagged `pulse`), for a short check
// between full cycles. A pulse claims no stage verdict.
enum class Form { full, pulse };
const char* to_string(Form form);

// One stage of the journey; stages are numbered 1..N in order.
struct Stage {
  int number = 0;
  std::string id;
  std::string name;
  std::string description;
  std::string obstacle;  // the key obstacle to advancing beyond this stage
  std::vector<Action> obstacle_actions;
};

struct Competency {
  std::string id;
  std::string name;
  std::string description;
  // The optional free-text question at the end of the competency (SPEC
  // section 2, comments); empty when the competency asks none. Answers to
  // it are text, never scored.
  std::string comment;
};

// The theme of statements about departments working apart or together.
inline constexpr std::string_view kSiloTheme = "silo";
// The theme of statements about what customers can feel themselves (the
// delivery gap compares them with what customers say: SPEC section 4.10).
inline constexpr std::string_view kCustomerTheme = "customer";

// A statement a respondent rates. `stage` is in 2..N: the stage whose
// practice the statement evidences.
struct Item {
  std::string id;
  std::size_t competency = 0;  // index into Model::competencies
  int stage = 0;
  std::string text;
  bool pulse = false;  // part of the pulse form
  // The stage (1..N) whose key obstacle this statement measures; 0: none.
  // Overcoming a stage's obstacle evidences a later stage, so obstacle < stage
  // except for the last stage's, which sits at the last stage.
  int obstacle = 0;
  std::vector<std::string> themes;  // kSiloTheme, kCustomerTheme
  // Worded against the grain: agreeing is the weak answer. Scores use the
  // answer mirrored on the scale (min + max - answer); what people answered
  // (histograms, means) is shown as answered.
  bool reverse = false;

  bool has_theme(std::string_view theme) const {
    for (const auto& t : themes) {
      if (t == theme) return true;
    }
    return false;
  }
};

struct Role {
  std::string id;
  std::string name;
};

// An action that moves one competency from `stage` to the next one.
struct CompetencyAction {
  std::size_t competency = 0;  // index into Model::competencies
  int stage = 0;
  Action action;
};

struct Model {
  std::string id;
  std::string version;
  std::string title;
  std::string description;
  // The language of its texts (a BCP 47 tag such as "en" or "de"): the
  // model file's own, or a translation's when localized
  // (model/translation_parser.h).
  std::string language = "en";
  // Where the model comes from and whom it credits (e.g. the author of the
  // maturity journey it follows); may be empty.
  std::string source;
  std::string introduction;  // for respondents; may be empty
  Form form = Form::full;    // Form::pulse: only the pulse statements (see core/forms.h)
  Scale scale;
  double threshold = 60.0;    // attainment threshold on 0..100
  std::vector<Stage> stages;  // stages[i].number == i + 1
  std::vector<Competency> competencies;
  std::vector<Item> items;  // in questionnaire order
  std::vector<Role> roles;
  std::vector<CompetencyAction> actions;
  std::vector<GlossaryEntry> glossary;

  int stage_count() const { return static_cast<int>(stages.size()); }
  const Stage& stage(int number) const { return stages.at(static_cast<std::size_t>(number - 1)); }
  std::optional<std::size_t> find_item(std::string_view id) const;
  std::optional<std::size_t> find_competency(std::string_view id) const;
  std::optional<std::size_t> find_role(std::string_view id) const;
};

}  // namespace cxm::core
