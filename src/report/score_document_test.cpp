#include "report/score_document.h"

#include <gtest/gtest.h>

#include <nlohmann/json.hpp>

#include "core/forms.h"
#include "core/test_support.h"
#include "model/model_parser.h"
#include "report/summary_text.h"

namespace cxm::report {
namespace {

using core::testing::add_respondent;
using nlohmann::json;

class ScoreDocument : public ::testing::Test {
 protected:
  core::Model model = core::testing::make_model(4, {{"a2", "a", 2},
                                                    {"a3", "a", 3},
                                                    {"a4", "a", 4},
                                                    {"b2", "b", 2},
                                                    {"b3", "b", 3},
                                                    {"b4", "b", 4}});
  core::Responses responses{6};
  void SetUp() override {
    for (int i = 0; i < 3; ++i) add_respondent(responses, {5, 2, 5, 4, 1, 5}, "executive", "Sales");
    for (int i = 0; i < 3; ++i)
      add_respondent(responses, {4, 3, 4, 5, 2, 4}, "frontline", "Support");
    add_respondent(responses, {1, 5, 1, 5, 5, 1}, "manager", "Sales");
  }
  json document() {
    return json::parse(score_document_json(model, core::score_cycle(model, responses)));
  }
};

TEST_F(ScoreDocument, HasThePinnedShape) {
  const json doc = document();
  EXPECT_EQ(doc["schema"], "cxm.score/1");
  EXPECT_EQ(doc["stage"]["number"], 2);
  EXPECT_EQ(doc["stage"]["name"], "Stage 2");
  EXPECT_TRUE(doc["stage"].contains("obstacle"));
  ASSERT_EQ(doc["competencies"].size(), 2u);
  for (const char* key : {"id", "score", "stage", "rwg_j", "alpha"}) {
    EXPECT_TRUE(doc["competencies"][0].contains(key)) << key;
  }
  ASSERT_EQ(doc["items"].size(), 6u);
  for (const char* key : {"id", "n", "mean", "sd", "rwg", "class"}) {
    EXPECT_TRUE(doc["items"][0].contains(key)) << key;
  }
  EXPECT_EQ(doc["items"][0]["n"], 7);
  EXPECT_EQ(doc["next_stage_gaps"], json({"b3", "a3"}));
  EXPECT_EQ(doc["strengths"]["competencies"][0]["id"], "a");
  EXPECT_EQ(doc["stages"].size(), 4u);
  EXPECT_EQ(doc["stages"][0]["number"], 1);
}

TEST_F(ScoreDocument, HiddenSegmentsGiveTheirTrueReasonAndTheRollupSaysWhatWasDone) {
  // Anonymous: Support is hidden below k and Sales to keep Support from
  // being worked out by subtraction (as the disclosure rule decides).
  core::ShownSegments shown;
  shown.roles = {"executive", "frontline"};
  shown.hidden_roles["manager"] = {core::HiddenReason::fewer_than_k, {}};
  shown.hidden_units["Sales"] = {core::HiddenReason::reveals_smaller_group, {"unit", "Support"}};
  shown.hidden_units["Support"] = {core::HiddenReason::fewer_than_k, {}};
  core::CycleResult result = core::score_cycle(model, responses, 3, &shown);
  core::apply_stage_rollup(result, core::StageRollupRule::weakest_unit);
  const json doc = json::parse(score_document_json(model, result));
  const json& units = doc["segments"]["unit"];
  ASSERT_EQ(units.size(), 2u);
  EXPECT_EQ(units[0]["value"], "Sales");
  EXPECT_EQ(units[0]["hidden"]["code"], "reveals_smaller_group");
  EXPECT_EQ(units[0]["hidden"]["group"]["name"], "Support");
  EXPECT_EQ(units[0]["hidden"]["k"], 3);
  EXPECT_NE(units[0]["reason"].get<std::string>().find("Support"), std::string::npos);
  EXPECT_EQ(units[0]["reason"].get<std::string>().find("fewer than 3 respondents"),
            std::string::npos);
  // The reason is the disclosure rule's, as given.
  EXPECT_EQ(units[1]["hidden"]["code"], "fewer_than_k");
  const json& roles = doc["segments"]["role"];
  EXPECT_EQ(roles[1]["hidden"]["code"], "fewer_than_k");
  // The weakest unit's rule was chosen, but no unit can be shown.
  const json& rollup = doc["stage_rollup"];
  EXPECT_EQ(rollup["applied"], "pooled_no_unit_shown");
  const std::string statement = rollup["statement"];
  EXPECT_EQ(statement.find("no unit has enough respondents"), std::string::npos);
  EXPECT_NE(statement.find("no unit can be shown"), std::string::npos);
  EXPECT_NE(
      statement.find("Sales would let the answers of a group of fewer than 3 people in Support"),
      std::string::npos);
}

TEST_F(ScoreDocument, AFilteredViewSaysWhoseAnswersArePooled) {
  core::CycleResult result = core::score_cycle(model, responses, 3);
  core::RolledUpStage own = core::roll_up_stage(result, core::StageRollupRule::pooled_answers);
  own.group = "Executives";
  result.rollup = own;
  const json doc = json::parse(score_document_json(model, result));
  EXPECT_EQ(doc["stage_rollup"]["applied"], "group_pooled");
  const std::string statement = doc["stage_rollup"]["statement"];
  EXPECT_NE(statement.find("Executives"), std::string::npos);
  EXPECT_EQ(statement.find("everyone's answers pooled"), std::string::npos);
}

TEST_F(ScoreDocument, ClassIsOneOfThreeWords) {
  for (const auto& item : document()["items"]) {
    const std::string c = item["class"];
    EXPECT_TRUE(c == "agreement" || c == "mixed" || c == "disagreement") << c;
  }
}

TEST_F(ScoreDocument, SuppressedSegmentsCarryNoScores) {
  const json doc = document();
  const json& roles = doc["segments"]["role"];
  ASSERT_EQ(roles.size(), 3u);
  EXPECT_EQ(roles[1]["value"], "manager");
  EXPECT_TRUE(roles[1]["suppressed"].get<bool>());
  EXPECT_FALSE(roles[1].contains("overall_score"));
  EXPECT_FALSE(roles[1].contains("competencies"));
  EXPECT_TRUE(roles[1].contains("reason"));
  ASSERT_EQ(doc["gaps"].size(), 2u);  // executive vs frontline only, then the units
  EXPECT_EQ(doc["gaps"][0]["segment"], "role");
  EXPECT_EQ(doc["gaps"][0]["a"], "executive");
  EXPECT_EQ(doc["gaps"][0]["b"], "frontline");
  EXPECT_EQ(doc["gaps"][1]["segment"], "unit");
  EXPECT_EQ(doc["gaps"][1]["a"], "Sales");
  EXPECT_EQ(doc["gaps"][1]["b"], "Support");
  EXPECT_EQ(doc["gaps"][1]["overall"]["n_a"], 4);
  EXPECT_FALSE(doc["gaps"][1]["overall"]["cohens_d"].is_null());
}

TEST(ScoreDocumentEdges, SingleRespondentSaysWhyStatisticsAreMissing) {
  const core::Model model = core::testing::make_model(2, {{"a2", "a", 2}});
  core::Responses responses(1);
  add_respondent(responses, {4});
  const json doc = json::parse(score_document_json(model, core::score_cycle(model, responses)));
  EXPECT_TRUE(doc["items"][0]["sd"].is_null());
  EXPECT_TRUE(doc["items"][0]["rwg"].is_null());
  EXPECT_TRUE(doc["items"][0]["class"].is_null());
  EXPECT_EQ(doc["items"][0]["note"], "1 answer: sd and agreement need at least 2 answers");
  EXPECT_TRUE(doc["competencies"][0]["rwg_j"].is_null());
  EXPECT_EQ(doc["competencies"][0]["notes"].size(), 2u);
}

TEST_F(ScoreDocument, MarkdownSummaryShowsLadderObstacleAndGaps) {
  const std::string doc = score_document_json(model, core::score_cycle(model, responses));
  const auto md = render_summary(doc, SummaryStyle::markdown);
  ASSERT_TRUE(md.error.empty()) << md.error;
  EXPECT_NE(md.output.find("# CX maturity: stage 2 of 4, Stage 2"), std::string::npos) << md.output;
  EXPECT_NE(md.output.find("> 2 Stage 2"), std::string::npos);
  EXPECT_NE(md.output.find("<- you are here"), std::string::npos);
  EXPECT_NE(md.output.find("## Key obstacle"), std::string::npos);
  EXPECT_NE(md.output.find("## Next-stage gaps (to reach 3 Stage 3)"), std::string::npos);
  EXPECT_NE(md.output.find("| Competency"), std::string::npos);
  EXPECT_NE(md.output.find("hidden"), std::string::npos);  // the suppressed manager segment
  const auto text = render_summary(doc, SummaryStyle::text);
  EXPECT_EQ(text.output.find("## "), std::string::npos);
  EXPECT_NE(text.output.find("Key obstacle\n------------"), std::string::npos);
}

TEST(SummaryErrors, RejectsWhatIsNotAScoreDocument) {
  EXPECT_EQ(render_summary("{", SummaryStyle::text).error, "not valid JSON");
  EXPECT_NE(render_summary(R"({"respondents":[]})", SummaryStyle::text)
                .error.find("not a cxm score document"),
            std::string::npos);
  EXPECT_NE(render_summary(R"({"schema":"cxm.score/1","stage":3})", SummaryStyle::text)
                .error.find("incomplete score document"),
            std::string::npos);
}

TEST(ModelDocument, HasThePinnedShape) {
  const auto model = model::load_default_model();
  const json doc = json::parse(model_document_json(*model.model));
  for (const char* key :
       {"id", "version", "title", "scale", "threshold", "stages", "competencies", "items"}) {
    EXPECT_TRUE(doc.contains(key)) << key;
  }
  EXPECT_EQ(doc["scale"]["min"], 1);
  EXPECT_EQ(doc["scale"]["labels"].size(), 5u);
  EXPECT_EQ(doc["stages"][3]["name"], "Operationalize");
  EXPECT_EQ(doc["stages"][3]["obstacle"],
            "Old habits in the middle: many managers keep running their areas the way they always "
            "have.");
  ASSERT_TRUE(doc.contains("source"));
  EXPECT_NE(doc["source"].get<std::string>().find("Bruce Temkin"), std::string::npos);
  EXPECT_EQ(doc["items"][0]["competency"], "leadership");
  EXPECT_FALSE(doc["introduction"].get<std::string>().empty());
  ASSERT_FALSE(doc["glossary"].empty());
  EXPECT_TRUE(doc["glossary"][0].contains("term"));
  EXPECT_TRUE(doc["glossary"][0].contains("definition"));
  EXPECT_TRUE(doc["items"][0]["pulse"].is_boolean());
  for (const char* key : {"title", "detail", "owner", "success_measure", "items"}) {
    EXPECT_TRUE(doc["actions"][0].contains(key)) << key;
    EXPECT_TRUE(doc["stages"][0]["obstacle_actions"][0].contains(key)) << key;
  }
}

// A pulse claims no stage: no verdict, ladder or gaps, no stage per
// competency or segment; its scores and agreement are there, labelled.
TEST_F(ScoreDocument, PulseDocumentClaimsNoStage) {
  for (const char* id : {"a3", "a4", "b3", "b4"}) model.items[*model.find_item(id)].pulse = true;
  const core::Model pulse = core::pulse_form(model);
  core::Responses answers(pulse.items.size());
  for (int i = 0; i < 3; ++i) add_respondent(answers, {2, 5, 1, 5}, "executive", "Sales");
  for (int i = 0; i < 3; ++i) add_respondent(answers, {3, 4, 2, 4}, "frontline", "Support");
  const std::string text = score_document_json(pulse, core::score_cycle(pulse, answers));
  const json doc = json::parse(text);
  EXPECT_EQ(doc["form"], "pulse");
  EXPECT_TRUE(doc["stage"].is_null());
  EXPECT_TRUE(doc["next_stage"].is_null());
  EXPECT_TRUE(doc["stages"].empty());
  EXPECT_TRUE(doc["next_stage_gaps"].empty());
  EXPECT_NE(doc["note"].get<std::string>().find("only the 4 pulse statements"), std::string::npos);
  ASSERT_EQ(doc["items"].size(), 4u);
  EXPECT_TRUE(doc["competencies"][0]["stage"].is_null());
  EXPECT_TRUE(doc["competencies"][0]["stage_name"].is_null());
  EXPECT_TRUE(doc["competencies"][0]["rwg_j"].is_number());
  EXPECT_FALSE(doc["segments"]["role"][0].contains("stage"));
  EXPECT_TRUE(doc["segments"]["role"][0].contains("overall_score"));

  const auto md = render_summary(text, SummaryStyle::markdown);
  ASSERT_TRUE(md.error.empty()) << md.error;
  EXPECT_NE(md.output.find("# CX pulse check"), std::string::npos) << md.output;
  EXPECT_NE(md.output.find("Competencies (pulse statements only)"), std::string::npos);
  EXPECT_EQ(md.output.find("Stage"), std::string::npos) << md.output;
  EXPECT_EQ(md.output.find("obstacle"), std::string::npos);
}

TEST_F(ScoreDocument, FullDocumentSaysWhatToExpectBetweenCycles) {
  const json doc = document();
  EXPECT_EQ(doc["form"], "full");
  EXPECT_FALSE(doc.contains("note"));
  const auto text = render_summary(doc.dump(), SummaryStyle::text);
  EXPECT_NE(text.output.find("Later stages take years."), std::string::npos) << text.output;
}

}  // namespace
}  // namespace cxm::report
