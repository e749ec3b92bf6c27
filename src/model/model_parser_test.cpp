#include "model/model_parser.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <set>
#include <string>
#include <vector>

#include "core/glossary.h"

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

TEST(ModelParser, ObstacleThemesReverseAndComment) {
  std::string text = replace(kValid, "{id: L3, competency: lead, stage: 3, text: Leaders fund it.}",
                             "{id: L3, competency: lead, stage: 3, obstacle: explore, themes: "
                             "[silo], reverse: true, text: Leaders fund it.}");
  text = replace(text, "{id: data, name: Data}", "{id: data, name: Data, comment: \"Why so?\"}");
  text = replace(text, "{id: D3, competency: data, stage: 3,",
                 "{id: D3, competency: data, stage: 3, obstacle: mobilize,");
  const auto result = parse_model(text, "m.yaml");
  ASSERT_TRUE(result.model) << problems(text);
  const core::Model& m = *result.model;
  EXPECT_EQ(m.items[1].obstacle, 2);
  EXPECT_TRUE(m.items[1].reverse);
  EXPECT_TRUE(m.items[1].has_theme(core::kSiloTheme));
  EXPECT_EQ(m.items[0].obstacle, 0);
  EXPECT_FALSE(m.items[0].reverse);
  EXPECT_TRUE(m.items[0].themes.empty());
  // The last stage's obstacle sits at the last stage.
  EXPECT_EQ(m.items[3].obstacle, 3);
  EXPECT_EQ(m.competencies[1].comment, "Why so?");
  EXPECT_EQ(m.competencies[0].comment, "");
}

// `source:` credits where a model comes from; optional, non-empty text.
TEST(ModelParser, SourceIsOptionalText) {
  EXPECT_TRUE(parse_model(kValid, "m.yaml").model->source.empty());
  const std::string text = replace(kValid, "title: Mini model\n",
                                   "title: Mini model\nsource: After A. Author (2013).\n");
  const auto result = parse_model(text, "m.yaml");
  ASSERT_TRUE(result.model) << problems(text);
  EXPECT_EQ(result.model->source, "After A. Author (2013).");
  EXPECT_EQ(problems(replace(kValid, "title: Mini model\n", "title: Mini model\nsource: [a]\n")),
            "m.yaml:4:9: model: 'source' must be non-empty text\n");
  EXPECT_EQ(problems(replace(kValid, "title: Mini model\n", "title: Mini model\nsources: x\n")),
            "m.yaml:4:1: model: unknown key 'sources'; did you mean 'source'?\n");
}

TEST(ModelParser, BadObstacleThemesAndReverse) {
  const std::string item = "{id: L3, competency: lead, stage: 3, text: Leaders fund it.}";
  auto with = [&](const std::string& extra) {
    return problems(
        replace(kValid, item,
                "{id: L3, competency: lead, stage: 3, " + extra + ", text: Leaders fund it.}"));
  };
  EXPECT_EQ(with("obstacle: explor"),
            "m.yaml:27:52: item 2: unknown stage 'explor' (stages: ignore, explore, mobilize)\n");
  // Overcoming stage 3's obstacle cannot be evidence of stage 3 unless 3 is
  // the last stage (it is here), and never of an earlier stage.
  EXPECT_EQ(problems(replace(kValid, "{id: L2, competency: lead, stage: 2,",
                             "{id: L2, competency: lead, stage: 2, obstacle: explore,")),
            "m.yaml:26:52: item 1: overcoming the obstacle of stage 'explore' (2) is evidence of a "
            "later stage, but the statement is at stage 2\n");
  EXPECT_EQ(with("themes: [silos]"),
            "m.yaml:27:51: item 2: unknown theme 'silos' (themes: silo, customer)\n");
  EXPECT_EQ(with("themes: [silo, silo]"), "m.yaml:27:57: item 2: theme 'silo' is named twice\n");
  EXPECT_EQ(with("themes: silo"), "m.yaml:27:50: item 2: 'themes' must be a list\n");
  EXPECT_EQ(with("reverse: sometimes"), "m.yaml:27:51: item 2: 'reverse' must be true or false\n");
  EXPECT_EQ(
      problems(replace(kValid, "{id: data, name: Data}", "{id: data, name: Data, comment: ''}")),
      "m.yaml:24:37: competency 2: 'comment' must be non-empty text\n");
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
  EXPECT_GE(m.items.size(), 42u);
  EXPECT_LE(m.items.size(), 49u);
  EXPECT_GE(m.competencies.size(), 6u);
  EXPECT_LE(m.competencies.size(), 8u);
  EXPECT_EQ(m.version.substr(0, 2), "2.");
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
  EXPECT_EQ(
      problems(replace(
          kValid, "  - {id: D3, competency: data, stage: 3, text: We act on measures.}\n", "")),
      "m.yaml:24:5: competency 'data' has no item for stage 3 (Mobilize)\n");
}

TEST(ModelParser, BadScale) {
  EXPECT_EQ(
      problems(replace(kValid, "max: 5", "max: 1")),
      "m.yaml:5:3: scale: min and max must satisfy min < max, with 2 to 11 points between -100 "
      "and 100 (got 1..1)\n");
  EXPECT_EQ(problems(replace(kValid, "[SD, D, N, A, SA]", "[SD, D, A, SA]")),
            "m.yaml:7:11: scale: expected 5 labels (one per point from 1 to 5), found 4\n");
  EXPECT_EQ(problems(replace(kValid, "min: 1", "min: one")),
            "m.yaml:5:8: scale: 'min' must be a whole number\n");
}

TEST(ModelParser, StagesMustBeNumberedInOrder) {
  EXPECT_EQ(problems(replace(kValid, "{number: 2, id: explore", "{number: 4, id: explore")),
            "m.yaml:14:14: stage 2: stages must be numbered 1, 2, 3, ... in order; expected 2, "
            "found 4\n");
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
  EXPECT_EQ(problems(replace(kValid, "competencies:\n  - {id: lead",
                             "competencies: 3\nx:\n  - {id: lead")),
            "m.yaml:23:1: model: unknown key 'x'\n"
            "m.yaml:22:15: model: 'competencies' must be a list\n");
}

TEST(ModelParser, InvalidIdCharacters) {
  EXPECT_EQ(
      problems(replace(kValid, "{id: L2,", "{id: L 2,")),
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

namespace cxm::model {
namespace {

// kValid with the optional fields of model version 2: an introduction, a
// glossary, a pulse form and actions with owner, measure and statements.
std::string with_new_fields() {
  std::string text = kValid;
  text = replace(text, "{id: L2, competency: lead, stage: 2,",
                 "{id: L2, competency: lead, stage: 2, pulse: true,");
  text = replace(text, "{id: L3, competency: lead, stage: 3,",
                 "{id: L3, competency: lead, stage: 3, pulse: true,");
  text = replace(text, "{id: D2, competency: data, stage: 2,",
                 "{id: D2, competency: data, stage: 2, pulse: true,");
  text = replace(text, "{id: D3, competency: data, stage: 3,",
                 "{id: D3, competency: data, stage: 3, pulse: true,");
  text = replace(text, "{competency: lead, stage: 1, title: Start, detail: Begin.}",
                 "{competency: lead, stage: 1, title: Start, detail: Begin., owner: CEO, "
                 "success_measure: L2 rises, items: [L2, D2]}");
  return text +
         "introduction: Think of the last six months and your own unit.\n"
         "glossary:\n"
         "  - {term: leader, definition: Someone who runs a team.}\n"
         "  - {term: unit, definition: The part of the company you work in.}\n";
}

TEST(ModelParser, NewFieldsParse) {
  const std::string text = with_new_fields();
  const auto result = parse_model(text, "m.yaml");
  ASSERT_TRUE(result.model) << problems(text);
  const core::Model& m = *result.model;
  EXPECT_EQ(m.introduction, "Think of the last six months and your own unit.");
  ASSERT_EQ(m.glossary.size(), 2u);
  EXPECT_EQ(m.glossary[0].term, "leader");
  EXPECT_EQ(m.glossary[1].definition, "The part of the company you work in.");
  EXPECT_TRUE(m.items[0].pulse);
  ASSERT_EQ(m.actions.size(), 1u);
  EXPECT_EQ(m.actions[0].action.owner, "CEO");
  EXPECT_EQ(m.actions[0].action.success_measure, "L2 rises");
  EXPECT_EQ(m.actions[0].action.items, (std::vector<std::string>{"L2", "D2"}));
}

TEST(ModelParser, NewFieldsAreOptional) {
  const auto result = parse_model(kValid, "m.yaml");
  ASSERT_TRUE(result.model);
  EXPECT_TRUE(result.model->introduction.empty());
  EXPECT_TRUE(result.model->glossary.empty());
  EXPECT_FALSE(result.model->items[0].pulse);
  EXPECT_TRUE(result.model->actions[0].action.items.empty());
}

TEST(ModelParser, PulseMustBeTrueOrFalse) {
  EXPECT_EQ(problems(replace(with_new_fields(), "stage: 2, pulse: true, text: Leaders care.",
                             "stage: 2, pulse: often, text: Leaders care.")),
            "m.yaml:26:49: item 1: 'pulse' must be true or false\n");
}

TEST(ModelParser, PulseFormNeedsTwoStatementsInEveryCompetency) {
  const std::string text =
      replace(with_new_fields(), "{id: D3, competency: data, stage: 3, pulse: true,",
              "{id: D3, competency: data, stage: 3,");
  EXPECT_EQ(problems(text),
            "m.yaml:24:5: competency 'data' has 1 pulse statement; a pulse form needs at least 2 "
            "in every "
            "competency\n");
  const std::string none =
      replace(replace(text, "{id: D2, competency: data, stage: 2, pulse: true,",
                      "{id: D2, competency: data, stage: 2, pulse: false,"),
              "x", "x");
  EXPECT_EQ(problems(none),
            "m.yaml:24:5: competency 'data' has 0 pulse statements; a pulse form needs at least 2 "
            "in every "
            "competency\n");
}

TEST(ModelParser, GlossaryTermsMustBeUsedOnceEach) {
  EXPECT_EQ(problems(replace(with_new_fields(), "{term: unit,", "{term: budget,")),
            "m.yaml:35:12: glossary entry 2: no statement and not the introduction uses the term "
            "'budget'\n");
  EXPECT_EQ(problems(replace(with_new_fields(), "{term: unit,", "{term: Leader,")),
            "m.yaml:35:12: glossary entry 2: the term 'Leader' is already in the glossary\n");
  EXPECT_EQ(problems(replace(with_new_fields(),
                             "{term: unit, definition: The part of the company you work in.}",
                             "{term: unit}")),
            "m.yaml:35:5: glossary entry 2: missing required key 'definition'\n");
  EXPECT_EQ(problems(replace(with_new_fields(), "glossary:\n", "glossary: none\nx:\n")),
            "m.yaml:34:1: model: unknown key 'x'\n"
            "m.yaml:33:11: model: 'glossary' must be a list\n");
}

TEST(ModelParser, GlossaryTermsMatchWholeWordsAndPlurals) {
  // "leader" is used as "Leaders"; "lead" alone is not a use of "leaders".
  EXPECT_EQ(problems(replace(with_new_fields(), "{term: leader,", "{term: lea,")),
            "m.yaml:34:12: glossary entry 1: no statement and not the introduction uses the term "
            "'lea'\n");
}

TEST(ModelParser, ActionsLinkKnownStatementsOnce) {
  EXPECT_EQ(problems(replace(with_new_fields(), "items: [L2, D2]", "items: [L2, X9]")),
            "m.yaml:31:115: action 1: unknown statement 'X9'\n");
  EXPECT_EQ(problems(replace(with_new_fields(), "items: [L2, D2]", "items: [L2, L2]")),
            "m.yaml:31:115: action 1: statement 'L2' is listed twice\n");
  EXPECT_EQ(problems(replace(with_new_fields(), "items: [L2, D2]", "items: L2")),
            "m.yaml:31:110: action 1: 'items' must be a list\n");
  EXPECT_EQ(problems(replace(with_new_fields(), "owner: CEO", "owner: [CEO]")),
            "m.yaml:31:71: action 1: 'owner' must be non-empty text\n");
}

TEST(ModelParser, ObstacleActionsAreCheckedLikeCompetencyActions) {
  const std::string text =
      replace(with_new_fields(), "{title: Decide trade-offs, detail: Write rules}",
              "{title: Decide trade-offs, detail: Write rules, items: [Z1], colour: red}");
  EXPECT_EQ(problems(text), "m.yaml:21:70: stage 3 action: unknown key 'colour'\n");
  EXPECT_EQ(problems(replace(text, ", colour: red", "")),
            "m.yaml:21:65: stage 3 action: unknown statement 'Z1'\n");
}

TEST(ModelParser, NoTwoActionsShareATitle) {
  EXPECT_EQ(problems(replace(with_new_fields(), "title: Start,", "title: decide Trade-offs,")),
            "m.yaml:31:41: action 1: another action already has the title 'decide Trade-offs'\n");
}

// The default model as SPEC section 2 and issue 11 describe it.
class DefaultModel : public ::testing::Test {
 protected:
  core::Model m = *load_default_model().model;
  std::size_t count(std::size_t competency, int stage) const {
    return static_cast<std::size_t>(std::count_if(
        m.items.begin(), m.items.end(),
        [&](const core::Item& i) { return i.competency == competency && i.stage == stage; }));
  }
};

TEST_F(DefaultModel, SixOrSevenStatementsPerCompetencyWithTheExtraOnesAtStagesThreeAndFour) {
  for (std::size_t c = 0; c < m.competencies.size(); ++c) {
    std::size_t total = 0;
    for (int s = 2; s <= 6; ++s) total += count(c, s);
    EXPECT_GE(total, 6u) << m.competencies[c].id;
    EXPECT_LE(total, 7u) << m.competencies[c].id;
    for (int s : {2, 5, 6}) EXPECT_EQ(count(c, s), 1u) << m.competencies[c].id << " stage " << s;
    for (int s : {3, 4}) EXPECT_GE(count(c, s), 1u) << m.competencies[c].id << " stage " << s;
  }
}

TEST_F(DefaultModel, StatementsAreInStageOrderWithinEachCompetency) {
  for (std::size_t i = 1; i < m.items.size(); ++i) {
    if (m.items[i].competency == m.items[i - 1].competency) {
      EXPECT_LE(m.items[i - 1].stage, m.items[i].stage) << m.items[i].id;
    }
  }
}

// SPEC section 2: two pulse statements per competency that together
// include a statement for the key obstacle of every stage 1..5, so that a
// pulse shows whether the obstacles are moving.
TEST_F(DefaultModel, PulseFormHasTwoStatementsPerCompetencyAndTracksTheObstaclesOfStagesOneToFive) {
  for (std::size_t c = 0; c < m.competencies.size(); ++c) {
    const auto n = std::count_if(m.items.begin(), m.items.end(),
                                 [&](const core::Item& i) { return i.competency == c && i.pulse; });
    EXPECT_EQ(n, 2) << m.competencies[c].id;
  }
  for (int s = 1; s <= 5; ++s) {
    const bool tracked = std::any_of(m.items.begin(), m.items.end(), [&](const core::Item& i) {
      return i.pulse && i.obstacle == s;
    });
    EXPECT_TRUE(tracked) << "no pulse statement measures the obstacle of " << m.stage(s).name;
  }
  // One-off facts stay at the ceiling once true and cannot show change
  // between cycles (model 2.0.0 had them in its pulse).
  for (const char* one_off : {"LS3", "GO3b", "IN3", "IN3b", "BR3", "BR3b", "GO3"}) {
    EXPECT_FALSE(m.items[*m.find_item(one_off)].pulse) << one_off;
  }
}

TEST_F(DefaultModel, HasAnIntroductionAndAGlossaryOfTermsItUses) {
  EXPECT_NE(m.introduction.find("last six months"), std::string::npos);
  EXPECT_NE(m.introduction.find("unit"), std::string::npos);
  EXPECT_NE(m.introduction.find("Don't know"), std::string::npos);
  std::vector<std::string> terms;
  for (const auto& g : m.glossary) terms.push_back(g.term);
  for (const char* term :
       {"customer journey", "touchpoint", "voice of the customer", "brand promise"}) {
    EXPECT_NE(std::find(terms.begin(), terms.end(), term), terms.end()) << term;
  }
}

// What a respondent must know before the first statement (issue 24): who
// sees what, what "customers" means beyond consumers, that the later
// statements describe advanced practice, and "Don't know" for statements
// about the whole organization one cannot judge.
TEST_F(DefaultModel, IntroductionSaysWhoSeesWhatWhoCustomersAreAndThatLaterStatementsAreAdvanced) {
  for (const char* part :
       {"Who sees what", "reported for groups", "anonymous", "business-to-business", "public body",
        "advanced practice", "whole organization", "Don't know", "comment"}) {
    EXPECT_NE(m.introduction.find(part), std::string::npos) << part;
  }
}

// Every glossary term appears in a statement or the introduction (the
// parser refuses others), and every term of art the statements use has an
// entry.
TEST_F(DefaultModel, GlossaryExplainsEveryTermOfArtTheStatementsUse) {
  std::vector<std::string> texts{m.introduction};
  for (const auto& i : m.items) texts.push_back(i.text);
  for (const auto& g : m.glossary) {
    const bool used = std::any_of(texts.begin(), texts.end(), [&](const std::string& t) {
      return !core::find_glossary_terms({&g, 1}, t).empty();
    });
    EXPECT_TRUE(used) << g.term;
  }
  const std::vector<std::string> terms_of_art = {"customer journey",
                                                 "journey owner",
                                                 "journey map",
                                                 "touchpoint",
                                                 "voice of the customer",
                                                 "customer experience measure",
                                                 "customer result",
                                                 "frontline employee",
                                                 "senior leader",
                                                 "service standard",
                                                 "brand promise",
                                                 "pain point",
                                                 "channel",
                                                 "net promoter",
                                                 "closed loop",
                                                 "customer effort",
                                                 "scorecard",
                                                 "persona",
                                                 "segment"};
  for (const auto& term : terms_of_art) {
    const core::GlossaryEntry probe{term, ""};
    const bool used = std::any_of(texts.begin(), texts.end(), [&](const std::string& t) {
      return !core::find_glossary_terms({&probe, 1}, t).empty();
    });
    if (!used) continue;
    const bool explained = std::any_of(m.glossary.begin(), m.glossary.end(), [&](const auto& g) {
      return !core::find_glossary_terms({&g, 1}, term).empty();
    });
    EXPECT_TRUE(explained) << "'" << term << "' is used but not in the glossary";
  }
}

// SPEC section 2: every stage's key obstacle is measured by a statement
// one stage higher (overcoming it evidences the next stage; Embed's sits at
// Embed), and the stage's obstacle actions link those statements and only
// statements of the next stage, which the organization has not reached yet.
TEST_F(DefaultModel, EveryObstacleIsMeasuredOneStageHigherAndItsActionsLinkIt) {
  for (int s = 1; s <= m.stage_count(); ++s) {
    const int evidence = std::min(s + 1, m.stage_count());
    std::set<std::string> measuring;
    for (const auto& i : m.items) {
      if (i.obstacle != s) continue;
      measuring.insert(i.id);
      EXPECT_EQ(i.stage, evidence) << i.id;
    }
    EXPECT_FALSE(measuring.empty()) << "no statement measures the obstacle of " << m.stage(s).name;
    std::set<std::string> linked;
    for (const auto& a : m.stage(s).obstacle_actions) {
      for (const auto& id : a.items) {
        linked.insert(id);
        EXPECT_EQ(m.items[*m.find_item(id)].stage, evidence)
            << m.stage(s).name << ": '" << a.title << "' links " << id;
      }
    }
    for (const auto& id : measuring) {
      EXPECT_TRUE(linked.count(id)) << m.stage(s).name << "'s obstacle actions do not link " << id;
    }
  }
}

// SPEC section 2: at least 6 statements about departments working apart or
// together, one worded in reverse, and the hand-off that frontline staff
// can judge (customers do not chase us across departments).
TEST_F(DefaultModel, SiloThemeHasSixStatementsWithTheHandOffAndOneInReverse) {
  std::vector<std::string> silo;
  for (const auto& i : m.items) {
    if (i.has_theme(core::kSiloTheme)) silo.push_back(i.id);
  }
  EXPECT_GE(silo.size(), 6u);
  const auto& hand_off = m.items[*m.find_item("OP4c")];
  EXPECT_TRUE(hand_off.has_theme(core::kSiloTheme));
  EXPECT_NE(hand_off.text.find("chase us"), std::string::npos);
  EXPECT_FALSE(hand_off.reverse);
  const auto& reversed = m.items[*m.find_item("ME4c")];
  EXPECT_TRUE(reversed.has_theme(core::kSiloTheme));
  EXPECT_TRUE(reversed.reverse);
  // Reverse wording is rare on purpose: one or two, never a habit.
  const auto reverse_count =
      std::count_if(m.items.begin(), m.items.end(), [](const core::Item& i) { return i.reverse; });
  EXPECT_GE(reverse_count, 1);
  EXPECT_LE(reverse_count, 2);
}

TEST_F(DefaultModel, EveryCompetencyEndsWithACommentQuestion) {
  for (const auto& c : m.competencies) {
    EXPECT_FALSE(c.comment.empty()) << c.id;
    EXPECT_EQ(c.comment.back(), '?') << c.id;
  }
}

// Cycles on 2.0.0 and 2.1.0 are compared on the statements they share by
// id, so an id kept from 2.0.0 must name the same statement: same text,
// same competency, same stage, not reversed. Every id that went or came is
// explained in docs/model-changes.md.
TEST_F(DefaultModel, KeptIdsMeanWhatTheyMeantInVersionTwoAndChangesAreDocumented) {
  const auto before =
      load_model_file(std::string(CXM_SOURCE_DIR) + "/tests/data/cx-maturity-2.0.0.yaml");
  ASSERT_TRUE(before.model);
  const core::Model& old = *before.model;
  EXPECT_EQ(old.version, "2.0.0");
  EXPECT_EQ(m.version, "2.2.0");
  std::string error;
  const auto changes = read_file(std::string(CXM_SOURCE_DIR) + "/docs/model-changes.md", error);
  ASSERT_TRUE(changes) << error;
  std::size_t kept = 0;
  for (const auto& was : old.items) {
    const auto now = m.find_item(was.id);
    if (!now) {
      EXPECT_NE(changes->find("`" + was.id + "`"), std::string::npos) << was.id << " went";
      continue;
    }
    ++kept;
    const auto& is = m.items[*now];
    EXPECT_EQ(is.text, was.text) << was.id;
    EXPECT_EQ(is.stage, was.stage) << was.id;
    EXPECT_EQ(m.competencies[is.competency].id, old.competencies[was.competency].id) << was.id;
    EXPECT_FALSE(is.reverse) << was.id;
  }
  for (const auto& is : m.items) {
    if (!old.find_item(is.id)) {
      EXPECT_NE(changes->find("`" + is.id + "`"), std::string::npos) << is.id << " came";
    }
  }
  EXPECT_GE(kept, 25u);  // enough shared statements for a fair comparison
}

TEST_F(DefaultModel, StageDescriptionsSayWhatDefinesEachStageAndThatLaterOnesTakeYears) {
  EXPECT_NE(m.stage(2).description.find("senior leader"), std::string::npos);
  EXPECT_NE(m.stage(2).description.find("volunteers"), std::string::npos);
  EXPECT_NE(m.stage(3).description.find("full time"), std::string::npos);
  EXPECT_NE(m.stage(3).description.find("customer journeys are mapped"), std::string::npos);
  EXPECT_NE(m.stage(3).description.find("feedback comes in all year"), std::string::npos);
  EXPECT_NE(m.stage(4).description.find("Department heads set customer priorities together"),
            std::string::npos);
  EXPECT_NE(m.stage(4).description.find("managers work with customer feedback"), std::string::npos);
  EXPECT_NE(m.stage(5).description.find("rewarded"), std::string::npos);
  EXPECT_NE(m.stage(6).description.find("what the company stands for"), std::string::npos);
  for (int s = 4; s <= 6; ++s)
    EXPECT_NE(m.stage(s).description.find("years"), std::string::npos) << s;
  // In our own words (SPEC section 2): not the source article's phrases.
  for (const auto& stage : m.stages) {
    for (const char* phrase :
         {"by-product", "byproduct", "brand mission", "Generating awareness",
          "Gaining the alignment", "Gaining alignment", "trade-offs against competing priorities",
          "inertia of middle", "as other priorities arise", "renewing the brand identity",
          "ad-hoc group", "strategic imperative", "measurement and HR practices"}) {
      EXPECT_EQ(stage.description.find(phrase), std::string::npos) << stage.name << ": " << phrase;
      EXPECT_EQ(stage.obstacle.find(phrase), std::string::npos) << stage.name << ": " << phrase;
    }
  }
  EXPECT_NE(m.source.find("Bruce Temkin"), std::string::npos);
}

TEST_F(DefaultModel, EveryActionIsConcreteAndLinkedToTheStatementsItMoves) {
  std::set<std::string> details;
  auto check = [&](const core::Action& a, const std::string& where) {
    EXPECT_FALSE(a.detail.empty()) << where;
    EXPECT_FALSE(a.owner.empty()) << where;
    EXPECT_FALSE(a.success_measure.empty()) << where;
    EXPECT_FALSE(a.items.empty()) << where;
    EXPECT_TRUE(details.insert(a.detail).second) << where << ": the same detail twice";
  };
  for (const auto& s : m.stages) {
    for (const auto& a : s.obstacle_actions)
      check(a, "stage " + std::to_string(s.number) + ": " + a.title);
  }
  for (const auto& ca : m.actions) {
    const std::string where =
        m.competencies[ca.competency].id + "/" + std::to_string(ca.stage) + ": " + ca.action.title;
    check(ca.action, where);
    // An action that moves a competency to the next stage links at least
    // one of that competency's next-stage statements.
    if (ca.stage < m.stage_count()) {
      const bool moves_next =
          std::any_of(ca.action.items.begin(), ca.action.items.end(), [&](const std::string& id) {
            const auto& item = m.items[*m.find_item(id)];
            return item.competency == ca.competency && item.stage == ca.stage + 1;
          });
      EXPECT_TRUE(moves_next) << where;
    }
  }
  // Every statement is moved by some action.
  for (const auto& item : m.items) {
    bool linked = false;
    for (const auto& ca : m.actions) {
      linked = linked || std::find(ca.action.items.begin(), ca.action.items.end(), item.id) !=
                             ca.action.items.end();
    }
    EXPECT_TRUE(linked) << item.id;
  }
}

// Cycles keep the model they were run with: version 1.0.0 snapshots, made
// before introductions, glossaries and pulse forms, still parse.
TEST(ModelParser, TheFirstDefaultModelStillParses) {
  const auto result =
      load_model_file(std::string(CXM_SOURCE_DIR) + "/tests/data/cx-maturity-1.0.0.yaml");
  ASSERT_TRUE(result.model) << (result.diagnostics.empty() ? "" : format(result.diagnostics[0]));
  EXPECT_EQ(result.model->version, "1.0.0");
  EXPECT_EQ(result.model->items.size(), 35u);
  EXPECT_TRUE(result.model->glossary.empty());
}

}  // namespace
}  // namespace cxm::model
