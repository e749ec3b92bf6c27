// A cycle's report is kept as typed values (results::CycleReport) and
// turned into JSON once, when a response needs it. The JSON must stay what
// the API answered before the report was typed: compared here, report by
// report, with tests/data/cycle_report_rich.json, which the JSON path made
// (score document dumped, parsed back and extended) for a rich cycle —
// targets and scope, a weakest-unit roll-up, segments shown and hidden,
// imported respondents with comments, customer metrics, two languages, an
// anonymous release — before it was replaced.
// CXM_UPDATE_FIXTURES=1 writes the file anew (after a deliberate change of
// what a report says).
#include "results/cycle_report.h"

#include <gtest/gtest.h>

#include <cstdlib>
#include <fstream>
#include <sstream>

#include "../../tests/run_process.h"
#include "model/model_parser.h"
#include "report/score_document_parser.h"

namespace cxm::results {
namespace {

using nlohmann::json;

std::string read_text(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  std::stringstream s;
  s << in.rdbuf();
  return s.str();
}

constexpr std::int64_t kDay = 86'400'000;
constexpr std::int64_t kOpens = 20'458 * kDay;  // 2026-01-05

class CycleReportTest : public ::testing::Test {
 protected:
  cxm::testing::TempDir dir;
  std::unique_ptr<store::Store> store = store::Store::open(
      store::DatabaseUrl{store::DatabaseUrl::Kind::sqlite, dir.path() + "/x.db"});
  Results results{*store};
  store::Organization org;
  store::OrgAims aims;
  store::Cycle cycle;
  std::vector<store::ParticipantAnswers> answers;

  void SetUp() override {
    org.id = "o1";
    org.name = "Acme";
    org.units = {"Sales", "Service", "Support"};
    org.stage_rollup = store::StageRollup::weakest_unit;
    store->create_organization(org, std::nullopt);
    aims.targets = {{"leadership", 4}, {"insight", 3}};
    aims.out_of_scope = {{"GO3b", "We have no team for it"}};
    store->save_org_aims(org.id, aims);
    std::vector<core::CustomerFigure> figures = {
        {"nps", "2026-01", "", 31, 420, "Quarterly survey", false},
        {"nps", "2025-11", "", 22, 380, "Quarterly survey", false},
        {"nps", "2026-01", "Sales", 40, 120, "Quarterly survey", false},
        {"nps", "2026-01", "Support", 12, 60, "Quarterly survey", false},
        {"csat", "2026-02", "Service", 78, 90, "Ticket survey", true}};
    store->import_customer_metrics(org.id, {}, figures);

    cycle.id = "c1";
    cycle.org_id = org.id;
    cycle.name = "Spring";
    cycle.status = store::CycleStatus::open;
    cycle.model_yaml = read_text(std::string(CXM_SOURCE_DIR) + "/models/cx-maturity.yaml");
    cycle.translation_yamls = {
        {"de", read_text(std::string(CXM_SOURCE_DIR) + "/models/cx-maturity.de.yaml")}};
    cycle.languages = {"en", "de"};
    cycle.anonymous = false;
    cycle.min_group_size = 3;
    cycle.created_at = kOpens - kDay;
    cycle.opens_at = kOpens;
    cycle.closes_at = kOpens + 40 * kDay;
    store->create_cycle(cycle);

    const auto model = model::parse_model(cycle.model_yaml, "model").model;
    ASSERT_TRUE(model);
    // Imported respondents, with comments.
    std::vector<store::ImportedRespondent> imported;
    for (int n = 0; n < 3; ++n) {
      store::ImportedRespondent r;
      r.participant.id = "imp" + std::to_string(n);
      r.participant.cycle_id = cycle.id;
      r.participant.role = "manager";
      r.participant.unit = "Service";
      r.participant.submitted_at = kOpens + kDay;
      r.participant.created_at = kOpens + kDay;
      r.participant.import_id = "i1";
      r.source_key = "key" + std::to_string(n);
      for (std::size_t i = 0; i < model->items.size(); ++i) {
        r.answers.push_back(
            {model->items[i].id, (i + n) % 7 == 0 ? std::nullopt : std::optional<int>(2 + n)});
      }
      r.comments = {{"leadership", "Comment " + std::to_string(n), "cm" + std::to_string(n)},
                    {"brand", "Promise " + std::to_string(n), "cb" + std::to_string(n)}};
      imported.push_back(std::move(r));
    }
    ASSERT_EQ(store
                  ->import_respondents(
                      {"i1", cycle.id, "export.csv", "limesurvey", 3, "u1", kOpens}, imported)
                  .outcome,
              store::ImportOutcome::imported);
    answers = store->cycle_answers(cycle.id);
    // Links: roles and units of every size, in both languages, one not
    // submitted; released in two releases (anonymous variant).
    const std::vector<std::tuple<std::string, std::string, std::string>> people = {
        {"executive", "Sales", "en"},   {"executive", "Sales", "de"},
        {"executive", "Service", "en"}, {"manager", "Sales", "en"},
        {"manager", "Sales", "de"},     {"manager", "Service", "de"},
        {"frontline", "Sales", "en"},   {"frontline", "Service", "en"},
        {"frontline", "Service", "de"}, {"frontline", "Support", "en"},
        {"frontline", "Support", "de"}, {"other", "", "en"},
        {"frontline", "Sales", "de"}};
    for (std::size_t p = 0; p < people.size(); ++p) {
      store::ParticipantAnswers a;
      a.participant.id = "link" + std::to_string(p);
      a.participant.cycle_id = cycle.id;
      a.participant.role = std::get<0>(people[p]);
      a.participant.unit = std::get<1>(people[p]);
      a.participant.answered_lang = std::get<2>(people[p]);
      a.participant.created_at = kOpens;
      if (p + 1 < people.size()) a.participant.submitted_at = kOpens + 2 * kDay;
      a.participant.released_in = p < 9 ? 1 : 2;
      for (std::size_t i = 0; i < model->items.size(); ++i) {
        const auto v = static_cast<int>(1 + (i * 3 + p * 5 + i * p) % 5);
        a.answers.push_back(
            {model->items[i].id, (i * p) % 11 == 3 ? std::nullopt : std::optional<int>(v)});
      }
      answers.push_back(std::move(a));
    }
  }

  // The reports compared: the whole cycle in each language, a role's, a
  // unit's, a group too small to show, and the same cycle anonymous after
  // its first release.
  std::map<std::string, std::shared_ptr<const CycleReport>> reports() {
    std::map<std::string, std::shared_ptr<const CycleReport>> out;
    auto build = [&](const store::Cycle& c, const std::string& role, const std::string& unit,
                     const std::string& lang) {
      return build_cycle_report(results, c, role, unit, answers, org, aims, lang);
    };
    out["whole"] = build(cycle, "", "", "");
    out["whole_de"] = build(cycle, "", "", "de");
    out["role_manager"] = build(cycle, "manager", "", "");
    out["unit_sales"] = build(cycle, "", "Sales", "de");
    out["unit_support"] = build(cycle, "", "Support", "");
    store::Cycle anonymous = cycle;
    anonymous.anonymous = true;
    anonymous.releases = 1;
    out["anonymous"] = build(anonymous, "", "", "");
    out["anonymous_role_other"] = build(anonymous, "other", "", "");
    store::Cycle unpublished = anonymous;
    unpublished.releases = 0;
    out["anonymous_unpublished"] = build(unpublished, "", "", "");
    return out;
  }
};

TEST_F(CycleReportTest, TheJsonOfEachReportIsWhatTheJsonPathMade) {
  const std::string path = std::string(CXM_SOURCE_DIR) + "/tests/data/cycle_report_rich.json";
  std::map<std::string, std::string> made;
  for (const auto& [name, report] : reports()) made[name] = *report->json_text();
  if (std::getenv("CXM_UPDATE_FIXTURES")) {
    json all = json::object();
    for (const auto& [name, text] : made) all[name] = json::parse(text);
    std::ofstream(path, std::ios::binary) << all.dump(1) << "\n";
  }
  const json expected = json::parse(read_text(path));
  ASSERT_EQ(expected.size(), made.size());
  for (const auto& [name, text] : made) {
    ASSERT_TRUE(expected.contains(name)) << name;
    // Byte for byte: the fixture holds the documents parsed, and dumping a
    // parsed document gives its bytes back (keys sorted, numbers exact).
    EXPECT_EQ(text, expected[name].dump()) << name;
  }
  // The rich parts are there.
  const json whole = json::parse(made.at("whole"));
  EXPECT_FALSE(whole["comments"].empty());
  EXPECT_TRUE(whole["outside_in"].is_object());
  EXPECT_FALSE(whole["out_of_scope"].empty());
  EXPECT_EQ(whole["stage_rollup"]["rule"], "weakest_unit");
  EXPECT_FALSE(whole["languages"].empty());
  EXPECT_TRUE(json::parse(made.at("anonymous"))["anonymity"].is_object());
  EXPECT_TRUE(json::parse(made.at("unit_support"))["suppressed"].get<bool>());
}

// What readers take from the report (progress, benchmark position, plan,
// the organizations' headlines, the renderers) is the typed document: it
// holds exactly what its JSON says, as the score document parser reads it.
TEST_F(CycleReportTest, TheTypedDocumentIsWhatItsJsonReads) {
  for (const auto& [name, report] : reports()) {
    const auto reading = report::read_score_document(*report->json_text());
    if (!reading.document) {
      // Withheld: why, and nothing else.
      EXPECT_EQ(report->document(), nullptr) << name;
      ASSERT_NE(report->withheld(), nullptr) << name;
      const json body = json::parse(*report->json_text());
      EXPECT_EQ(report->withheld()->reason, body["reason"].get<std::string>()) << name;
      EXPECT_EQ(report->withheld()->suppressed, body["suppressed"].get<bool>()) << name;
      EXPECT_EQ(report->withheld()->release.has_value(), body.contains("anonymity")) << name;
      continue;
    }
    ASSERT_NE(report->document(), nullptr) << name << ": " << report->problem();
    EXPECT_EQ(report->withheld(), nullptr) << name;
    EXPECT_TRUE(report->problem().empty()) << name;
    EXPECT_TRUE(*report->document() == *reading.document) << name;
  }
  const auto made = reports();
  // The server's additions are in the typed values too.
  const report::ScoreDocument& whole = *made.at("whole")->document();
  EXPECT_EQ(made.at("whole")->lang(), "en");
  EXPECT_EQ(made.at("whole_de")->lang(), "de");
  EXPECT_EQ(whole.competencies.front().target_stage, 4);
  ASSERT_EQ(whole.out_of_scope.size(), 1u);
  EXPECT_EQ(whole.out_of_scope[0].reason, "We have no team for it");
  EXPECT_FALSE(whole.comments.empty());
  ASSERT_TRUE(whole.outside_in);
  EXPECT_FALSE(whole.outside_in->rows.empty());
  EXPECT_EQ(whole.languages.size(), 2u);
  ASSERT_TRUE(whole.stage_rollup);
  EXPECT_EQ(whole.stage_rollup->applied, "weakest_unit");
  EXPECT_EQ(made.at("role_manager")->document()->stage_rollup->applied, "group_pooled");
  EXPECT_EQ(made.at("role_manager")->document()->stage_rollup->group, "Managers");
  EXPECT_TRUE(made.at("anonymous")->document()->anonymity);
  EXPECT_EQ(made.at("anonymous_unpublished")->withheld()->release, 0);
  EXPECT_EQ(made.at("anonymous_role_other")->withheld()->release, 1);
  EXPECT_TRUE(made.at("unit_support")->withheld()->suppressed);
  EXPECT_FALSE(made.at("unit_support")->withheld()->release);
}

// The JSON is made once per report, and the same text answers every time.
TEST_F(CycleReportTest, TheJsonIsMadeOnceAndShared) {
  const auto report = build_cycle_report(results, cycle, "", "", answers, org, aims, "");
  const auto first = report->json_text();
  EXPECT_EQ(report->json_text().get(), first.get());
}

}  // namespace
}  // namespace cxm::results

// A scored report whose document does not read (a bug) is not "withheld":
// its readers answer an error, never "no results yet".
TEST(CycleReport, ADocumentThatDoesNotReadIsNotWithheld) {
  const auto report = cxm::results::CycleReport::scored(
      nlohmann::json{{"schema", "cxm.score/1"}, {"model", 3}}, "en");
  EXPECT_EQ(report->document(), nullptr);
  EXPECT_FALSE(report->problem().empty());
  EXPECT_EQ(report->withheld(), nullptr);
  const auto none =
      cxm::results::CycleReport::withheld(nlohmann::json{{"reason", "nothing submitted yet"}});
  ASSERT_NE(none->withheld(), nullptr);
  EXPECT_EQ(none->withheld()->reason, "nothing submitted yet");
}
