#include "report/score_document_parser.h"

#include <gtest/gtest.h>

#include <functional>
#include <nlohmann/json.hpp>

#include "core/cycle_scoring.h"
#include "core/forms.h"
#include "core/synthetic.h"
#include "core/test_support.h"
#include "model/model_parser.h"
#include "report/html_report.h"
#include "report/report_tables.h"
#include "report/score_document.h"
#include "report/summary_text.h"

namespace cxm::report {
namespace {

using nlohmann::json;
using Problem = ScoreDocumentReading::Problem;

// A scored cycle of the default model with synthetic answers in two units.
std::string scored(const core::Model& model, std::size_t people = 60) {
  core::SyntheticProfile profile;
  profile.respondents = people;
  profile.units = {"Sales", "Service"};
  profile.seed = 7;
  return score_document_json(
      model, core::score_cycle(model, core::synthetic_responses(model, profile)), -1);
}

std::string default_scored(std::size_t people = 60) {
  return scored(*model::load_default_model().model, people);
}

// A small model with a suppressed segment and perception gaps (score_document_test.cpp).
std::string small_scored() {
  const core::Model model = core::testing::make_model(4, {{"a2", "a", 2},
                                                          {"a3", "a", 3},
                                                          {"a4", "a", 4},
                                                          {"b2", "b", 2},
                                                          {"b3", "b", 3},
                                                          {"b4", "b", 4}});
  core::Responses responses{6};
  for (int i = 0; i < 3; ++i) {
    core::testing::add_respondent(responses, {5, 2, 5, 4, 1, 5}, "executive", "Sales");
  }
  for (int i = 0; i < 3; ++i) {
    core::testing::add_respondent(responses, {4, 3, 4, 5, 2, 4}, "frontline", "Support");
  }
  core::testing::add_respondent(responses, {1, 5, 1, 5, 5, 1}, "manager", "Sales");
  return score_document_json(model, core::score_cycle(model, responses), -1);
}

std::optional<double> number_or_null(const json& v) {
  return v.is_null() ? std::nullopt : std::optional<double>(v.get<double>());
}

TEST(ScoreDocumentParser, ReadsEveryFieldOfARealDocument) {
  const std::string text = default_scored();
  const json j = json::parse(text);
  std::string error;
  const auto doc = score_document_from_json(text, error);
  ASSERT_TRUE(doc) << error;
  EXPECT_EQ(error, "");
  EXPECT_EQ(doc->form, core::Form::full);
  EXPECT_EQ(doc->model.id, j["model"]["id"]);
  EXPECT_EQ(doc->model.version, j["model"]["version"]);
  EXPECT_EQ(doc->scale.labels.size(), j["scale"]["labels"].size());
  EXPECT_EQ(doc->threshold, j["threshold"].get<double>());
  EXPECT_EQ(doc->respondents, 60);
  EXPECT_EQ(doc->overall_score, number_or_null(j["overall_score"]));
  ASSERT_TRUE(doc->stage);
  EXPECT_EQ(doc->stage->number, j["stage"]["number"].get<int>());
  EXPECT_EQ(doc->stage->obstacle, j["stage"]["obstacle"]);
  EXPECT_EQ(doc->stage->obstacle_actions.size(), j["stage"]["obstacle_actions"].size());
  ASSERT_EQ(doc->stages.size(), 6u);
  EXPECT_FALSE(doc->stages[0].score);
  EXPECT_EQ(doc->next_stage.has_value(), j["next_stage"].is_object());
  EXPECT_EQ(json(doc->next_stage_gaps), j["next_stage_gaps"]);
  ASSERT_TRUE(doc->stage_rollup);
  EXPECT_EQ(doc->stage_rollup->rule, core::StageRollupRule::pooled_answers);
  EXPECT_EQ(doc->stage_rollup->statement, j["stage_rollup"]["statement"]);
  ASSERT_EQ(doc->competencies.size(), j["competencies"].size());
  for (std::size_t c = 0; c < doc->competencies.size(); ++c) {
    const auto& jc = j["competencies"][c];
    EXPECT_EQ(doc->competencies[c].id, jc["id"]);
    EXPECT_EQ(doc->competencies[c].score, number_or_null(jc["score"]));
    EXPECT_EQ(doc->competencies[c].stage, jc["stage"].get<int>());
    EXPECT_EQ(doc->competencies[c].alpha_n, jc["alpha_n"].get<long long>());
    EXPECT_FALSE(doc->competencies[c].target_stage);
  }
  ASSERT_EQ(doc->items.size(), j["items"].size());
  for (std::size_t i = 0; i < doc->items.size(); ++i) {
    const auto& ji = j["items"][i];
    EXPECT_EQ(doc->items[i].id, ji["id"]);
    EXPECT_EQ(doc->items[i].rwg, number_or_null(ji["rwg"]));
    EXPECT_EQ(json(doc->items[i].histogram), ji["histogram"]);
    EXPECT_EQ(
        doc->items[i].agreement ? json(core::to_string(*doc->items[i].agreement)) : json(nullptr),
        ji["class"]);
  }
  EXPECT_EQ(doc->strengths.competencies.size(), j["strengths"]["competencies"].size());
  EXPECT_EQ(doc->segments.role.size(), j["segments"]["role"].size());
  ASSERT_EQ(doc->segments.unit.size(), 2u);
  EXPECT_EQ(doc->segments.unit[0].respondents, 30);
  EXPECT_EQ(doc->segments.unit[0].competencies.size(), doc->competencies.size());
  ASSERT_EQ(doc->gaps.size(), j["gaps"].size());
  EXPECT_TRUE(doc->out_of_scope.empty());
  EXPECT_FALSE(doc->anonymity);
}

TEST(ScoreDocumentParser, APulseHasNoStageAnywhere) {
  const core::Model pulse = core::pulse_form(*model::load_default_model().model);
  std::string error;
  const auto doc = score_document_from_json(scored(pulse, 20), error);
  ASSERT_TRUE(doc) << error;
  EXPECT_EQ(doc->form, core::Form::pulse);
  EXPECT_FALSE(doc->stage);
  EXPECT_TRUE(doc->stages.empty());
  EXPECT_FALSE(doc->next_stage);
  EXPECT_FALSE(doc->stage_rollup);
  EXPECT_NE(doc->note.find("Pulse check"), std::string::npos);
  for (const auto& c : doc->competencies) EXPECT_FALSE(c.stage) << c.id;
  for (const auto& s : doc->segments.unit) EXPECT_FALSE(s.stage) << s.value;
}

TEST(ScoreDocumentParser, ReadsWhatTheServerAdds) {
  json j = json::parse(small_scored());
  for (auto& c : j["competencies"]) c["target_stage"] = nullptr;
  j["competencies"][1]["target_stage"] = 3;
  j["out_of_scope"] = json::array({{{"id", "c9"}, {"text", "Gone"}, {"reason", "No such team"}}});
  j["anonymity"] = {{"release", 2}, {"released", 14}, {"held_back", 3}};
  j["segments"]["role"][1]["respondents"] = nullptr;
  j["segments"]["role"][1]["fewer_than"] = 5;
  std::string error;
  const auto doc = score_document_from_json(j.dump(), error);
  ASSERT_TRUE(doc) << error;
  EXPECT_FALSE(doc->competencies[0].target_stage);
  EXPECT_EQ(doc->competencies[1].target_stage, 3);
  ASSERT_EQ(doc->out_of_scope.size(), 1u);
  EXPECT_EQ(doc->out_of_scope[0].reason, "No such team");
  ASSERT_TRUE(doc->anonymity);
  EXPECT_EQ(doc->anonymity->held_back, 3);
  EXPECT_FALSE(doc->segments.role[1].respondents);
  EXPECT_EQ(doc->segments.role[1].fewer_than, 5);
  EXPECT_TRUE(doc->segments.role[1].suppressed);
  // Null where the server may write null reads as absent.
  j["anonymity"] = nullptr;
  j["out_of_scope"] = nullptr;
  const auto again = score_document_from_json(j.dump(), error);
  ASSERT_TRUE(again) << error;
  EXPECT_FALSE(again->anonymity);
  EXPECT_TRUE(again->out_of_scope.empty());
}

struct BadInput {
  const char* what;
  std::function<void(json&)> change;
  std::string error;
};

// Each kind of bad document, and the field it names.
TEST(ScoreDocumentParser, NamesTheFieldOfEachProblem) {
  const json good = json::parse(small_scored());
  ASSERT_FALSE(good["gaps"].empty());
  const std::vector<BadInput> cases = {
      {"missing field", [](json& d) { d.erase("competencies"); }, "competencies: required"},
      {"missing nested field", [](json& d) { d["items"][4].erase("text"); },
       "items[4].text: required"},
      {"wrong type", [](json& d) { d["competencies"][1]["score"] = "high"; },
       "competencies[1].score: must be 0..100 or null"},
      {"score out of range", [](json& d) { d["items"][2]["score"] = 101; },
       "items[2].score: must be 0..100 or null"},
      {"count as text", [](json& d) { d["respondents"] = "many"; },
       "respondents: must be a whole number of 0 or more"},
      {"negative count", [](json& d) { d["items"][0]["n"] = -1; },
       "items[0].n: must be a whole number of 0 or more"},
      {"fraction as count", [](json& d) { d["items"][0]["histogram"][2] = 1.5; },
       "items[0].histogram[2]: must be a whole number of 0 or more"},
      {"stage out of range", [](json& d) { d["stage"]["number"] = 9; },
       "stage.number: must be a whole number from 1 to 4"},
      {"competency stage out of range", [](json& d) { d["competencies"][0]["stage"] = 0; },
       "competencies[0].stage: must be a whole number from 1 to 4"},
      {"ladder out of order", [](json& d) { d["stages"][1]["number"] = 3; },
       "stages[1].number: must be 2: the ladder lists stages 1, 2, ... in order"},
      {"unknown form", [](json& d) { d["form"] = "weekly"; }, "form: must be full or pulse"},
      {"pulse with a stage", [](json& d) { d["form"] = "pulse"; },
       "stages: must be empty: a pulse document claims no stage"},
      {"full without a stage", [](json& d) { d["stage"] = nullptr; }, "stage: must be an object"},
      {"unknown class", [](json& d) { d["items"][3]["class"] = "unsure"; },
       "items[3].class: must be agreement, mixed, disagreement or null"},
      {"class without rwg", [](json& d) { d["items"][3]["rwg"] = nullptr; },
       "items[3].rwg: must be a number when class is given"},
      {"gap names no statement",
       [](json& d) {
         d["next_stage_gaps"] = {"b3", "zz"};
       },
       "next_stage_gaps[1]: names no statement of items (\"zz\")"},
      {"element not an object", [](json& d) { d["competencies"][1] = 5; },
       "competencies[1]: must be an object"},
      {"list not a list", [](json& d) { d["items"] = json::object(); }, "items: must be a list"},
      {"hidden count without fewer_than",
       [](json& d) { d["segments"]["role"][1]["respondents"] = nullptr; },
       "segments.role[1].fewer_than: required when respondents is null"},
      {"shown segment without score",
       [](json& d) { d["segments"]["role"][0].erase("overall_score"); },
       "segments.role[0].overall_score: required"},
      {"no scale labels", [](json& d) { d["scale"]["labels"] = json::array(); },
       "scale.labels: must name at least one point"},
      {"unknown gap kind", [](json& d) { d["gaps"][0]["segment"] = "team"; },
       "gaps[0].segment: must be role or unit"},
      {"gap difference", [](json& d) { d["gaps"][0]["competencies"][1]["ci_low"] = "low"; },
       "gaps[0].competencies[1].ci_low: must be a number or null"},
      {"model title", [](json& d) { d["model"]["title"] = 3; }, "model.title: must be a string"},
      {"ranking score", [](json& d) { d["strengths"]["competencies"][0]["score"] = nullptr; },
       "strengths.competencies[0].score: must be 0..100"},
      {"target stage", [](json& d) { d["competencies"][0]["target_stage"] = 0; },
       "competencies[0].target_stage: must be a whole number of 1 or more or null"},
      {"anonymity",
       [](json& d) {
         d["anonymity"] = {{"release", 1}, {"released", 5}};
       },
       "anonymity.held_back: required"},
      {"out of scope",
       [](json& d) {
         d["out_of_scope"] = {{{"id", "a2"}, {"text", "x"}}};
       },
       "out_of_scope[0].reason: required"},
      {"threshold", [](json& d) { d["threshold"] = 120; }, "threshold: must be 0..100"},
  };
  for (const auto& c : cases) {
    SCOPED_TRACE(c.what);
    json doc = good;
    c.change(doc);
    const ScoreDocumentReading reading = read_score_document(doc.dump());
    EXPECT_FALSE(reading.document);
    EXPECT_EQ(reading.problem, Problem::invalid_field);
    EXPECT_EQ(reading.error, c.error);
  }
}

TEST(ScoreDocumentParser, RefusesWhatIsNotAScoreDocument) {
  for (const char* text : {"", "{", "[1,2", "not json", "{\"schema\":\"cxm.score/1\""}) {
    const auto reading = read_score_document(text);
    EXPECT_EQ(reading.problem, Problem::not_json) << text;
    EXPECT_EQ(reading.error, "not valid JSON");
  }
  for (const char* text :
       {"{}", "[1]", "3", R"({"schema":"cxm.score/2"})", R"({"schema":1})", R"({"schema":null})"}) {
    const auto reading = read_score_document(text);
    EXPECT_EQ(reading.problem, Problem::not_score_document) << text;
    EXPECT_EQ(reading.error,
              "not a cxm score document (expected \"schema\": \"cxm.score/1\"; create one with cxm "
              "score --json)");
    EXPECT_EQ(check_score_document(text), reading.error);
  }
}

// check_score_document looks at the envelope only, as before; the
// renderers' string entry points report a bad field in their own words.
TEST(ScoreDocumentParser, EntryPointsReportTheFieldPath) {
  json doc = json::parse(small_scored());
  doc["competencies"][1]["score"] = "high";
  const std::string text = doc.dump();
  EXPECT_EQ(check_score_document(text), "");
  EXPECT_EQ(render_summary(text, SummaryStyle::text).error,
            "incomplete score document: competencies[1].score: must be 0..100 or null");
  EXPECT_EQ(render_html(text).error,
            "not a complete score document: competencies[1].score: must be 0..100 or null");
  std::vector<Table> tables;
  EXPECT_EQ(report_tables(text, {}, nullptr, tables),
            "not a complete score document: competencies[1].score: must be 0..100 or null");
  EXPECT_TRUE(tables.empty());
}

// The typed renderers give what the string entry points give.
TEST(ScoreDocumentParser, TypedRenderersMatchTheTextEntryPoints) {
  for (const std::string& text : {default_scored(), small_scored()}) {
    std::string error;
    const auto doc = score_document_from_json(text, error);
    ASSERT_TRUE(doc) << error;
    EXPECT_EQ(render_html(*doc).output, render_html(text).output);
    EXPECT_EQ(render_summary(*doc, SummaryStyle::markdown).output,
              render_summary(text, SummaryStyle::markdown).output);
    std::vector<Table> tables;
    ASSERT_EQ(report_tables(text, {}, nullptr, tables), "");
    const auto typed = report_tables(*doc, {}, nullptr);
    ASSERT_EQ(typed.size(), tables.size());
    for (std::size_t t = 0; t < typed.size(); ++t) {
      EXPECT_EQ(table_csv(typed[t]), table_csv(tables[t]));
    }
  }
}

// A model with silo statements (one worded in reverse) answered so that
// competency b's stage 3 rests on too few answers (minimum group 3): b3
// has 2 answers of 5 people, b3x none. Sales has 2 people and
// is hidden (fewer than 3); Service has 3 and is shown.
std::string silo_scored() {
  core::Model model = core::testing::make_model(
      3, {{"a2", "a", 2}, {"a3", "a", 3}, {"b2", "b", 2}, {"b3", "b", 3}, {"b3x", "b", 3}});
  model.items[1].themes = {"silo"};
  model.items[2].themes = {"silo"};
  model.items[2].reverse = true;
  core::Responses responses{5};
  const std::optional<int> na;
  core::testing::add_respondent(responses, {4, 4, 2, 5, na}, "", "Service");
  core::testing::add_respondent(responses, {5, 4, 1, 5, na}, "", "Service");
  core::testing::add_respondent(responses, {4, 3, 2, na, na}, "", "Service");
  core::testing::add_respondent(responses, {2, 2, 2, na, na}, "", "Sales");
  core::testing::add_respondent(responses, {3, 1, 1, na, na}, "", "Sales");
  return score_document_json(model, core::score_cycle(model, responses, 3), -1);
}

TEST(ScoreDocumentParser, RoundTripsTheEvidenceRuleAndTheSiloScore) {
  const std::string text = silo_scored();
  const json j = json::parse(text);
  std::string error;
  const auto doc = score_document_from_json(text, error);
  ASSERT_TRUE(doc) << error;
  EXPECT_EQ(doc->answers_to_count, 3);
  ASSERT_EQ(doc->stages.size(), 3u);
  // Stage 3: a3 (5 answers) counts, b3 (2) and b3x (0) do not: 1 of 3.
  EXPECT_TRUE(doc->stages[2].indicative);
  EXPECT_EQ(doc->stages[2].counted, 1);
  EXPECT_EQ(doc->stages[2].statements, 3);
  EXPECT_FALSE(doc->stages[1].indicative);
  for (std::size_t k = 0; k < doc->stages.size(); ++k) {
    EXPECT_EQ(doc->stages[k].indicative, j["stages"][k]["indicative"].get<bool>());
  }
  ASSERT_TRUE(doc->stage);
  EXPECT_EQ(doc->stage->indicative, j["stage"]["indicative"].get<bool>());
  EXPECT_FALSE(doc->competencies[0].indicative);
  // b: stage 2 (b2, 85) attained, stage 3 has none counted: not attained
  // and indicative, and the competency's stage 2 rests on it.
  EXPECT_EQ(doc->competencies[1].stage, 2);
  EXPECT_TRUE(doc->competencies[1].indicative);
  // The organization: stage 2 (a2 65, b2 85) attained, stage 3 (a3 45
  // alone) not: the verdict rests on the indicative stage 3.
  EXPECT_EQ(doc->stage->number, 2);
  EXPECT_TRUE(doc->stage->indicative);
  EXPECT_FALSE(doc->items[0].reverse);
  EXPECT_TRUE(doc->items[2].reverse);
  // Silo: a3 answers 4 4 3 2 1 = 2.8 -> 45; b2 (reversed) 2 1 2 2 1 = 1.6
  // -> 15, reversed 85; (45 + 85) / 2 = 65. Only Service (3 people) is shown.
  ASSERT_TRUE(doc->silo);
  EXPECT_NEAR(*doc->silo->score, 65.0, 1e-9);
  EXPECT_EQ(doc->silo->statements, (std::vector<std::string>{"a3", "b2"}));
  ASSERT_EQ(doc->silo->units.size(), 1u);
  EXPECT_EQ(doc->silo->units[0].name, "Service");
  // Service: a3 11/3 -> 66.667; b2 5/3 -> 16.667, reversed 83.333: 75.
  EXPECT_NEAR(*doc->silo->units[0].score, 75.0, 1e-9);
  EXPECT_FALSE(doc->silo->spread);  // one unit shown
  EXPECT_TRUE(j["silo"]["spread"].is_null());
  // Without silo statements the document says null and reads as absent.
  json none = j;
  none["silo"] = nullptr;
  const auto without = score_document_from_json(none.dump(), error);
  ASSERT_TRUE(without) << error;
  EXPECT_FALSE(without->silo);
  // A document written before these fields still reads.
  json older = j;
  older.erase("silo");
  older.erase("answers_to_count");
  for (auto& s : older["stages"]) s.erase("indicative"), s.erase("counted"), s.erase("statements");
  older["stage"].erase("indicative");
  for (auto& c : older["competencies"]) c.erase("indicative");
  for (auto& i : older["items"]) i.erase("reverse");
  const auto old = score_document_from_json(older.dump(), error);
  ASSERT_TRUE(old) << error;
  EXPECT_FALSE(old->stages[2].indicative);
  EXPECT_FALSE(old->silo);
  // Wrong kinds of value in the silo part are reading errors, never throws.
  const json flat = j.flatten();
  for (const auto& [pointer, value] : flat.items()) {
    if (!pointer.starts_with("/silo") && pointer.find("indicative") == std::string::npos) continue;
    for (const json& wrong : {json(-1), json::object({{"k", 1}})}) {
      json broken = j;
      broken[json::json_pointer(pointer)] = wrong;
      const auto reading = read_score_document(broken.dump());
      EXPECT_EQ(reading.problem, Problem::invalid_field) << pointer << " " << wrong.dump();
    }
  }
}

// Every value of a document replaced by the wrong kind of value, and every
// prefix of its text: a reading error or a document, never a throw.
TEST(ScoreDocumentParser, SurvivesEveryFieldBroken) {
  const std::string text = small_scored();
  const json flat = json::parse(text).flatten();
  for (const json& wrong : {json("x"), json(-1), json::object({{"k", 1}}), json(nullptr)}) {
    for (const auto& [pointer, value] : flat.items()) {
      json doc = json::parse(text);
      doc[json::json_pointer(pointer)] = wrong;
      ScoreDocumentReading reading;
      EXPECT_NO_THROW(reading = read_score_document(doc.dump())) << pointer;
      EXPECT_EQ(reading.document.has_value(), reading.problem == Problem::none) << pointer;
      if (reading.document) {
        EXPECT_NO_THROW(render_html(*reading.document)) << pointer;
      }
    }
  }
  for (std::size_t n = 0; n < text.size(); n += 7) {
    EXPECT_NO_THROW(read_score_document(text.substr(0, n)));
  }
}

}  // namespace
}  // namespace cxm::report
