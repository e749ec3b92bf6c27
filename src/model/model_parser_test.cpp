#include "model/model_parser.h"

#include <gtest/gtest.h>

#include <string>

namespace cxm::model {
namespace {

// A small valid model; tests replace one piece of it to break it.
const std::string kValid = R"(id: mini
version: "1"
title: Mini model
scale:
  min: 1
  max: 5
  labels: [SD, D, N, A, SA]
  dont_know: Don't know
threshold: 60
roles:
  - {id: executive, name: Executive}
stages:
  - {number: 1, id: ignore, name: Ignore, description: d1, obstacle: o1}
  - {number: 2, id: explore, name: Explore, description: d2, obstacle: o2}
  - number: 3
    id: mobilize
    name: Mobilize
    description: d3
    obstacle: o3
    obstacle_actions:
      - {title: Decide trade-offs, detail: Write rules}
competencies:
  - {id: lead, name: Leadership}
  - {id: data, name: Data}
items:
  - {id: L2, competency: lead, stage: 2, text: Leaders care.}
  - {id: L3, competency: lead, stage: 3, text: Leaders fund it.}
  - {id: D2, competency: data, stage: 2, text: We measure.}
  - {id: D3, competency: data, stage: 3, text: We act on measures.}
actions:
  - {competency: lead, stage: 1, title: Start, detail: Begin.}
)";

std::string replace(std::string text, const std::string& from, const std::string& to) {
  const auto at = text.find(from);
  EXPECT_NE(at, std::string::npos) << from;
  if (at != std::string::npos) text.replace(at, from.size(), to);
  return text;
}

// All diagnostics, formatted, one per line.
std::string problems(const std::string& text) {
  const auto result = parse_model(text, "m.yaml");
  std::string out;
  for (const auto& d : result.diagnostics) out += format(d) + "\n";
  EXPECT_EQ(result.model.has_value(), result.diagnostics.empty());
  return out;
}

TEST(ModelParser, ValidModelParses) {
  const auto result = parse_model(kValid, "m.yaml");
  ASSERT_TRUE(result.model) << problems(kValid);
  const core::Model& m = *result.model;
  EXPECT_EQ(m.id, "mini");
  EXPECT_EQ(m.scale.points(), 5);
  EXPECT_EQ(m.scale.dont_know_label, "Don't know");
  EXPECT_EQ(m.stage_count(), 3);
  EXPECT_EQ(m.stage(3).obstacle, "o3");
  ASSERT_EQ(m.stage(3).obstacle_actions.size(), 1u);
  EXPECT_EQ(m.items.size(), 4u);
  EXPECT_EQ(m.items[2].competency, 1u);
  EXPECT_EQ(m.actions.size(), 1u);
  EXPECT_EQ(m.roles[0].name, "Executive");
}

TEST(ModelParser, DefaultModelIsValidAndComplete) {
  const auto result = load_default_model();
  ASSERT_TRUE(result.model) << (result.diagnostics.empty() ? "" : format(result.diagnostics[0]));
  const core::Model& m = *result.model;
  EXPECT_EQ(m.stage_count(), 6);
  const char* names[] = {"Ignore", "Explore", "Mobilize", "Operationalize", "Align", "Embed"};
  for (int s = 1; s <= 6; ++s) {
    EXPECT_EQ(m.stage(s).name, names[s - 1]);
    EXPECT_FALSE(m.stage(s).obstacle.empty());
    EXPECT_FALSE(m.stage(s).obstacle_actions.empty());
  }
  EXPECT_GE(m.items.size(), 30u);
  EXPECT_GE(m.competencies.size(), 6u);
  EXPECT_LE(m.competencies.size(), 8u);
  EXPECT_EQ(m.roles.size(), 4u);
  EXPECT_EQ(m.threshold, 60.0);
  // At least one action for every competency x stage pair.
  for (std::size_t c = 0; c < m.competencies.size(); ++c) {
    for (int s = 1; s <= 6; ++s) {
      const bool found = std::any_of(m.actions.begin(), m.actions.end(), [&](const auto& a) {
        return a.competency == c && a.stage == s;
      });
      EXPECT_TRUE(found) << m.competencies[c].id << " stage " << s;
    }
  }
}

TEST(ModelParser, DefaultModelFileOnDiskMatchesEmbeddedCopy) {
  const auto result = load_model_file(std::string(CXM_SOURCE_DIR) + "/models/cx-maturity.yaml");
  ASSERT_TRUE(result.model);
  EXPECT_EQ(result.model->items.size(), load_default_model().model->items.size());
}

TEST(ModelParser, UnknownCompetency) {
  EXPECT_EQ(problems(replace(kValid, "{id: D3, competency: data", "{id: D3, competency: dta")),
            "m.yaml:29:26: item 4: unknown competency 'dta'\n");
}

TEST(ModelParser, DuplicateItemId) {
  EXPECT_EQ(problems(replace(kValid, "{id: D3,", "{id: L2,")),
            "m.yaml:29:10: duplicate item id 'L2'\n");
}

TEST(ModelParser, StageOutOfRange) {
  EXPECT_EQ(problems(replace(kValid, "competency: data, stage: 3", "competency: data, stage: 7")),
            "m.yaml:29:39: item 4: stage 7 is out of range 2..3\n");
}

TEST(ModelParser, ItemsCannotEvidenceTheFloorStage) {
  EXPECT_EQ(problems(replace(kValid, "competency: lead, stage: 2", "competency: lead, stage: 1")),
            "m.yaml:26:39: item 1: stage 1 is out of range 2..3\n");
}

TEST(ModelParser, MissingStageCoverage) {
  EXPECT_EQ(problems(replace(kValid, "  - {id: D3, competency: data, stage: 3, text: We act on measures.}\n", "")),
            "m.yaml:24:5: competency 'data' has no item for stage 3 (Mobilize)\n");
}

TEST(ModelParser, BadScale) {
  EXPECT_EQ(problems(replace(kValid, "max: 5", "max: 1")),
            "m.yaml:5:3: scale: min and max must satisfy min < max, with 2 to 11 points between -100 "
            "and 100 (got 1..1)\n");
  EXPECT_EQ(problems(replace(kValid, "[SD, D, N, A, SA]", "[SD, D, A, SA]")),
            "m.yaml:7:11: scale: expected 5 labels (one per point from 1 to 5), found 4\n");
  EXPECT_EQ(problems(replace(kValid, "min: 1", "min: one")),
            "m.yaml:5:8: scale: 'min' must be a whole number\n");
}

TEST(ModelParser, StagesMustBeNumberedInOrder) {
  EXPECT_EQ(problems(replace(kValid, "{number: 2, id: explore", "{number: 4, id: explore")),
            "m.yaml:14:14: stage 2: stages must be numbered 1, 2, 3, ... in order; expected 2, found 4\n");
}

TEST(ModelParser, DuplicateStageAndCompetencyIds) {
  EXPECT_EQ(problems(replace(kValid, "id: mobilize", "id: explore")),
            "m.yaml:16:9: stage 3: duplicate stage id 'explore'\n");
  EXPECT_EQ(problems(replace(kValid, "{id: data, name: Data}", "{id: lead, name: Data}")),
            "m.yaml:24:10: duplicate competency id 'lead'\n");
}

TEST(ModelParser, UnknownKeySuggestsTheIntendedOne) {
  EXPECT_EQ(problems(replace(kValid, "threshold: 60", "treshold: 60")),
            "m.yaml:9:1: model: unknown key 'treshold'; did you mean 'threshold'?\n"
            "m.yaml:1:1: model: missing required key 'threshold'\n");
}

TEST(ModelParser, ThresholdRange) {
  EXPECT_EQ(problems(replace(kValid, "threshold: 60", "threshold: 160")),
            "m.yaml:9:12: model: threshold must be between 0 and 100\n");
}

TEST(ModelParser, WrongTypes) {
  EXPECT_EQ(problems(replace(kValid, "competencies:\n  - {id: lead", "competencies: 3\nx:\n  - {id: lead")),
            "m.yaml:23:1: model: unknown key 'x'\n"
            "m.yaml:22:15: model: 'competencies' must be a list\n");
}

TEST(ModelParser, InvalidIdCharacters) {
  EXPECT_EQ(problems(replace(kValid, "{id: L2,", "{id: L 2,")),
            "m.yaml:26:10: item 1: 'L 2' is not a valid id (1-64 letters, digits, '_', '-' or '.')\n");
}

TEST(ModelParser, SyntaxErrorHasPlace) {
  EXPECT_EQ(problems("id: x\nstages: [1, 2\n"), "m.yaml:3:1: end of sequence flow not found\n");
}

TEST(ModelParser, InvalidUtf8HasPlace) {
  EXPECT_EQ(problems("id: x\ntitle: caf\xe9\n"), "m.yaml:2:11: invalid UTF-8 byte sequence\n");
}

TEST(ModelParser, EmptyAndNonMappingFiles) {
  EXPECT_EQ(problems(""), "m.yaml: the file is empty; expected a maturity model\n");
  EXPECT_EQ(problems("- a\n- b\n"), "m.yaml:1:1: model must be a mapping of keys to values\n");
}

TEST(ModelParser, TruncatedFileReportsWhatIsMissing) {
  const std::string truncated = kValid.substr(0, kValid.find("competencies:"));
  EXPECT_EQ(problems(truncated),
            "m.yaml:1:1: model: missing required key 'competencies'\n"
            "m.yaml:1:1: model: missing required key 'items'\n");
}

TEST(ModelParser, UnreadableFile) {
  const auto result = load_model_file("/nonexistent/model.yaml");
  ASSERT_EQ(result.diagnostics.size(), 1u);
  EXPECT_EQ(format(result.diagnostics[0]),
            "/nonexistent/model.yaml: cannot read the model file: No such file or directory");
}

TEST(ModelParser, ReportsEveryProblemNotJustTheFirst) {
  std::string text = replace(kValid, "title: Mini model", "title: \"\"");
  text = replace(text, "name: Leadership", "nme: Leadership");
  const auto result = parse_model(text, "m.yaml");
  EXPECT_GE(result.diagnostics.size(), 3u) << problems(text);
}

}  // namespace
}  // namespace cxm::model

namespace cxm::model {
namespace {

TEST(ModelParser, DuplicateKey) {
  const std::string text = replace(kValid, "title: Mini model", "title: Mini model\ntitle: Again");
  EXPECT_EQ(problems(text), "m.yaml:4:1: model: key 'title' appears twice\n");
}

}  // namespace
}  // namespace cxm::model

namespace cxm::model {
namespace {

TEST(ModelParser, DeepNestingIsAnErrorNotACrash) {
  const auto result = parse_model("a: " + std::string(100000, '['), "m.yaml");
  EXPECT_FALSE(result.model.has_value());
  EXPECT_EQ(result.diagnostics.size(), 1u);
}

}  // namespace
}  // namespace cxm::model
