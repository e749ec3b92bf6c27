// Drives the real `cxm` binary: exit statuses, the JSON shapes pinned in
// SPEC section 5, and one clear line on stderr for every kind of bad input.
#include <gtest/gtest.h>

#include <algorithm>
#include <filesystem>
#include <map>
#include <nlohmann/json.hpp>
#include <regex>

#include "run_process.h"

namespace cxm::testing {
namespace {

using nlohmann::json;

const std::string kModelFile = std::string(CXM_SOURCE_DIR) + "/models/cx-maturity.yaml";

std::size_t line_count(const std::string& s) {
  return static_cast<std::size_t>(std::count(s.begin(), s.end(), '\n'));
}

// A team of 6 answering every item of the default model, in JSON and CSV.
struct Team {
  json answers;
  std::string csv;
};

Team make_team() {
  const auto shown = run_cxm({"model", "show", "--json"});
  const json model = json::parse(shown.out);
  Team team;
  team.answers["respondents"] = json::array();
  team.csv = "respondent,role,unit";
  for (const auto& item : model["items"]) team.csv += "," + item["id"].get<std::string>();
  team.csv += "\n";
  const char* roles[] = {"executive", "executive", "executive",
                         "frontline", "frontline", "frontline"};
  for (int r = 0; r < 6; ++r) {
    json answers = json::object();
    std::string row =
        "r" + std::to_string(r) + "," + roles[r] + "," + (r % 2 ? "Sales" : "Support");
    int k = 0;
    for (const auto& item : model["items"]) {
      const int stage = item["stage"];
      // Lower stages score higher; executives are more positive.
      int value = std::clamp(6 - stage + (r < 3 ? 1 : 0) + (k++ + r) % 2, 1, 5);
      if (r == 5 && k == 3) {
        answers[item["id"].get<std::string>()] = nullptr;
        row += ",";
        continue;
      }
      answers[item["id"].get<std::string>()] = value;
      row += "," + std::to_string(value);
    }
    team.answers["respondents"].push_back({{"id", "r" + std::to_string(r)},
                                           {"role", roles[r]},
                                           {"unit", r % 2 ? "Sales" : "Support"},
                                           {"answers", answers}});
    team.csv += row + "\n";
  }
  return team;
}

void expect_bad_input(const ProcessResult& r, const std::string& starts_with) {
  EXPECT_EQ(r.exit_status, 2) << r.err;
  EXPECT_EQ(r.signal, 0);
  EXPECT_EQ(line_count(r.err), 1u) << r.err;
  EXPECT_EQ(r.err.rfind(starts_with, 0), 0u) << r.err;
  EXPECT_EQ(r.err.find("terminate called"), std::string::npos);
}

TEST(Cli, VersionAndHelp) {
  const auto v = run_cxm({"--version"});
  EXPECT_EQ(v.exit_status, 0);
  EXPECT_EQ(v.out, "cxm 0.1.0\n");
  const auto h = run_cxm({"--help"});
  EXPECT_EQ(h.exit_status, 0);
  for (const char* cmd : {"assess", "score", "report", "model", "due"})
    EXPECT_NE(h.out.find(cmd), std::string::npos);
}

TEST(Cli, UsageErrorsExitTwoWithOneLine) {
  expect_bad_input(run_cxm({}), "cxm: ");
  expect_bad_input(run_cxm({"frobnicate"}), "cxm: ");
  expect_bad_input(run_cxm({"score"}), "cxm: ");
  expect_bad_input(run_cxm({"score", "--format", "pdf", "x.json"}), "cxm: ");
  expect_bad_input(run_cxm({"model"}), "cxm: ");
}

// Mail settings are checked before the server starts, each error naming
// its option (docs/mail.md); the password is never taken from the URL.
TEST(Cli, ServeChecksTheMailOptionsBeforeStarting) {
  TempDir dir;
  const std::vector<std::string> base = {"serve", "--db", "sqlite:" + dir.path() + "/x.db",
                                         "--listen", "127.0.0.1:0"};
  const std::vector<std::pair<std::vector<std::string>, std::string>> cases = {
      {{"--smtp", "smtp://127.0.0.1:25"}, "--smtp needs --mail-from"},
      {{"--smtp", "smtp://127.0.0.1:25", "--mail-from", "bad"}, "--mail-from: 'bad' is not"},
      {{"--smtp", "smtp://127.0.0.1:25", "--mail-from", "a@b.org"}, "--smtp needs --public-url"},
      {{"--smtp", "smtp://u:secret@127.0.0.1:25", "--mail-from", "a@b.org", "--public-url",
        "https://x.org"},
       "must not hold a user or password"},
      {{"--smtp", "smtp://127.0.0.1:25", "--mail-from", "a@b.org", "--public-url", "ftp://x"},
       "--public-url: expected http"},
      {{"--smtp", "smtp://127.0.0.1:25", "--smtp-user", "bob", "--mail-from", "a@b.org",
        "--public-url", "https://x.org"},
       "CXM_SMTP_PASSWORD"},
      {{"--mail-from", "a@b.org"}, "need --smtp"},
      {{"--smtp", "smtp://mail.example.org:25?security=none", "--smtp-user", "bob", "--mail-from",
        "a@b.org", "--public-url", "https://x.org"},
       "would send the password unencrypted"},
      {{"--smtp", "smtp://127.0.0.1:25", "--mail-from", "CX <a@b.org>", "--public-url",
        "https://x.org"},
       "give the address alone"},
      {{"--public-url", "https://x.org/?a=1"}, "no query, fragment or user"},
      {{"--public-url", "https://x.org#top"}, "no query, fragment or user"},
      {{"--public-url", "https://me@x.org"}, "no query, fragment or user"},
      {{"--public-url", "https:///path"}, "--public-url: expected"},
      {{"--smtp", "smtp://127.0.0.1:25?security=maybe", "--mail-from", "a@b.org", "--public-url",
        "https://x.org"},
       "--smtp: "}};
  for (const auto& [options, said] : cases) {
    auto args = base;
    args.insert(args.end(), options.begin(), options.end());
    const auto r = run_cxm(args);
    EXPECT_EQ(r.exit_status, 2) << options.front() << " " << r.err;
    EXPECT_NE(r.err.find(said), std::string::npos) << r.err;
    EXPECT_EQ(r.err.find("secret"), std::string::npos) << "never repeats a password";
    EXPECT_EQ(r.out, "") << "did not start";
  }
}

TEST(Cli, ModelValidateAcceptsTheDefaultModel) {
  const auto r = run_cxm({"model", "validate", kModelFile});
  EXPECT_EQ(r.exit_status, 0) << r.err;
  EXPECT_NE(r.out.find("valid model 'cx-maturity'"), std::string::npos);
}

TEST(Cli, ModelValidateListsEveryProblemWithItsPlace) {
  TempDir dir;
  std::string text = read_text(kModelFile);
  text.replace(text.find("threshold: 60"), 13, "threshold: 600");
  text.replace(text.find("competency: brand, stage: 6"), 27, "competency: brnd, stage: 6");
  const std::string path = dir.write("bad.yaml", text);
  const auto r = run_cxm({"model", "validate", path});
  EXPECT_EQ(r.exit_status, 2);
  EXPECT_NE(r.err.find(path + ":64:12: model: threshold must be between 0 and 100\n"),
            std::string::npos)
      << r.err;
  EXPECT_NE(r.err.find(path + ":409:28: item 49: unknown competency 'brnd'\n"), std::string::npos)
      << r.err;
  EXPECT_NE(r.err.find("2 problems found in " + path), std::string::npos) << r.err;
  EXPECT_EQ(line_count(r.err), 3u);
}

TEST(Cli, ModelShowJsonHasThePinnedShape) {
  const auto r = run_cxm({"model", "show", "--json"});
  ASSERT_EQ(r.exit_status, 0) << r.err;
  const json m = json::parse(r.out);
  EXPECT_EQ(m["id"], "cx-maturity");
  EXPECT_EQ(m["scale"]["min"], 1);
  EXPECT_EQ(m["scale"]["max"], 5);
  EXPECT_EQ(m["scale"]["labels"].size(), 5u);
  EXPECT_EQ(m["threshold"], 60);
  ASSERT_EQ(m["stages"].size(), 6u);
  for (const char* key : {"number", "id", "name", "description", "obstacle"})
    EXPECT_TRUE(m["stages"][0].contains(key));
  EXPECT_EQ(m["stages"][5]["name"], "Embed");
  for (const char* key : {"id", "name"}) EXPECT_TRUE(m["competencies"][0].contains(key));
  EXPECT_EQ(m["items"].size(), 49u);
  for (const char* key : {"id", "competency", "stage", "text", "pulse"})
    EXPECT_TRUE(m["items"][0].contains(key));
  // What each statement evidences beyond its stage, and the comment question.
  for (const auto& item : m["items"]) {
    EXPECT_TRUE(item["obstacle"].is_null() || item["obstacle"].is_string()) << item;
    EXPECT_TRUE(item["themes"].is_array()) << item;
    EXPECT_TRUE(item["reverse"].is_boolean()) << item;
  }
  for (const auto& c : m["competencies"])
    EXPECT_TRUE(c["comment"].is_null() || c["comment"].is_string()) << c;
  // For respondents: the introduction and the glossary of terms.
  EXPECT_NE(m["introduction"].get<std::string>().find("last six months"), std::string::npos);
  ASSERT_GE(m["glossary"].size(), 4u);
  for (const auto& entry : m["glossary"]) {
    ASSERT_EQ(entry.size(), 2u);
    EXPECT_FALSE(entry["term"].get<std::string>().empty());
    EXPECT_FALSE(entry["definition"].get<std::string>().empty());
  }
  std::size_t pulse = 0;
  for (const auto& item : m["items"]) pulse += item["pulse"].get<bool>() ? 1 : 0;
  EXPECT_EQ(pulse, 2 * m["competencies"].size());
  // Model 2.1.0: the source it credits, obstacles, themes, reverse wording
  // and a comment question per competency.
  EXPECT_NE(m["source"].get<std::string>().find("Bruce Temkin"), std::string::npos);
  std::set<std::string> obstacles, silo, reversed;
  for (const auto& item : m["items"]) {
    if (!item["obstacle"].is_null()) obstacles.insert(item["obstacle"].get<std::string>());
    for (const auto& theme : item["themes"]) {
      if (theme == "silo") silo.insert(item["id"].get<std::string>());
    }
    if (item["reverse"].get<bool>()) reversed.insert(item["id"].get<std::string>());
  }
  EXPECT_EQ(obstacles.size(), 6u);
  EXPECT_GE(silo.size(), 6u);
  EXPECT_EQ(reversed, std::set<std::string>{"ME4c"});
  for (const auto& c : m["competencies"]) EXPECT_TRUE(c["comment"].is_string()) << c["id"];
}

TEST(Cli, ModelShowTextShowsIntroductionGlossaryAndPulseForm) {
  const auto r = run_cxm({"model", "show"});
  ASSERT_EQ(r.exit_status, 0) << r.err;
  EXPECT_NE(r.out.find("For respondents\n"), std::string::npos) << r.out;
  EXPECT_NE(r.out.find("Glossary\n  brand promise: "), std::string::npos) << r.out;
  EXPECT_NE(r.out.find("  LS3c [stage 3, pulse, obstacle of Explore] Our senior leaders give"),
            std::string::npos)
      << r.out;
  EXPECT_NE(r.out.find("Source\n  The six stages and their key obstacles follow"),
            std::string::npos)
      << r.out;
  EXPECT_NE(r.out.find("  LS2b [stage 2, obstacle of Ignore] "), std::string::npos) << r.out;
}

TEST(Cli, ModelShowTextMarksObstaclesThemesReverseAndComments) {
  TempDir dir;
  const std::string path = dir.write("m.yaml", R"(id: mini
version: "1"
title: Mini
scale: {min: 1, max: 5, labels: [a, b, c, d, e]}
threshold: 60
stages:
  - {number: 1, id: ignore, name: Ignore, description: d1, obstacle: o1}
  - {number: 2, id: explore, name: Explore, description: d2, obstacle: o2}
  - {number: 3, id: mobilize, name: Mobilize, description: d3, obstacle: o3}
competencies:
  - {id: lead, name: Leadership, comment: "What would you change first?"}
items:
  - {id: L2, competency: lead, stage: 2, obstacle: ignore, text: Leaders care.}
  - {id: L3, competency: lead, stage: 3, themes: [silo], reverse: true, text: Targets clash.}
)");
  const auto r = run_cxm({"model", "show", "--model", path});
  ASSERT_EQ(r.exit_status, 0) << r.err;
  EXPECT_NE(r.out.find("  L2 [stage 2, obstacle of Ignore] Leaders care.\n"), std::string::npos)
      << r.out;
  EXPECT_NE(r.out.find("  L3 [stage 3, silo, worded in reverse] Targets clash.\n"),
            std::string::npos)
      << r.out;
  EXPECT_NE(r.out.find("  Comment (optional): What would you change first?\n"), std::string::npos)
      << r.out;
  const auto shown = run_cxm({"model", "show", "--model", path, "--json"});
  ASSERT_EQ(shown.exit_status, 0) << shown.err;
  const json m = json::parse(shown.out);
  EXPECT_EQ(m["items"][0]["obstacle"], "ignore");
  EXPECT_EQ(m["items"][1]["obstacle"], nullptr);
  EXPECT_EQ(m["items"][1]["themes"], json::array({"silo"}));
  EXPECT_EQ(m["items"][1]["reverse"], true);
  EXPECT_EQ(m["competencies"][0]["comment"], "What would you change first?");
}

TEST(Cli, ModelShowWithBadModelFile) {
  TempDir dir;
  expect_bad_input(run_cxm({"model", "show", "--model", dir.write("m.yaml", "id: [")}),
                   dir.path() + "/m.yaml:");
  expect_bad_input(run_cxm({"model", "show", "--model", dir.path() + "/missing.yaml"}),
                   dir.path() + "/missing.yaml: cannot read");
}

TEST(Cli, ScoreJsonHasThePinnedShape) {
  TempDir dir;
  const auto r = run_cxm({"score", "--json", dir.write("team.json", make_team().answers.dump())});
  ASSERT_EQ(r.exit_status, 0) << r.err;
  const json s = json::parse(r.out);
  for (const char* key : {"number", "name", "obstacle"})
    EXPECT_TRUE(s["stage"].contains(key)) << key;
  ASSERT_EQ(s["competencies"].size(), 7u);
  for (const char* key : {"id", "score", "stage", "rwg_j", "alpha"})
    EXPECT_TRUE(s["competencies"][0].contains(key));
  ASSERT_EQ(s["items"].size(), 49u);
  for (const char* key : {"id", "n", "mean", "sd", "rwg", "class"})
    EXPECT_TRUE(s["items"][0].contains(key));
  EXPECT_TRUE(s["next_stage_gaps"].is_array());
  EXPECT_TRUE(s["strengths"]["competencies"].is_array());
  EXPECT_TRUE(s["weaknesses"]["items"].is_array());
  EXPECT_EQ(s["respondents"], 6);
  EXPECT_EQ(s["items"][2]["n"], 5);  // r5 did not know item 3
}

TEST(Cli, CsvAndJsonAnswersScoreTheSame) {
  TempDir dir;
  const Team team = make_team();
  const auto from_json = run_cxm({"score", "--json", dir.write("team.json", team.answers.dump())});
  const auto from_csv = run_cxm({"score", "--json", dir.write("team.csv", team.csv)});
  ASSERT_EQ(from_csv.exit_status, 0) << from_csv.err;
  EXPECT_EQ(from_json.out, from_csv.out);
}

TEST(Cli, ReportRendersASavedScoreDocument) {
  TempDir dir;
  const std::string answers = dir.write("team.json", make_team().answers.dump());
  const auto md = run_cxm({"score", "--format", "md", answers});
  ASSERT_EQ(md.exit_status, 0);
  EXPECT_NE(md.out.find("## Key obstacle"), std::string::npos);
  const auto scored = run_cxm({"score", "--json", answers});
  const std::string saved = dir.write("scored.json", scored.out);
  const auto report = run_cxm({"report", "--format", "md", saved});
  EXPECT_EQ(report.exit_status, 0) << report.err;
  EXPECT_EQ(report.out, md.out);
  const auto as_json = run_cxm({"report", "--format", "json", saved});
  EXPECT_EQ(json::parse(as_json.out), json::parse(scored.out));
  const auto text = run_cxm({"score", answers});
  EXPECT_NE(text.out.find("Key obstacle\n------------"), std::string::npos);
}

// `cxm report --lang de`: the report's own words in German (the model's
// texts as the document was scored), numbers with a decimal comma in text;
// an unknown language is refused.
TEST(Cli, ReportSpeaksGermanWhenAsked) {
  TempDir dir;
  const std::string answers = dir.write("team.json", make_team().answers.dump());
  const std::string saved = dir.write("scored.json", run_cxm({"score", "--json", answers}).out);
  const auto md = run_cxm({"report", "--lang", "de", "--format", "md", saved});
  ASSERT_EQ(md.exit_status, 0) << md.err;
  EXPECT_NE(md.out.find("## Zentrales Hindernis"), std::string::npos) << md.out;
  EXPECT_NE(md.out.find("# CX-Reifegrad: Stufe "), std::string::npos) << md.out;
  EXPECT_EQ(md.out.find("## Key obstacle"), std::string::npos);
  const auto html = run_cxm({"report", "--lang", "de", "--format", "html", saved});
  ASSERT_EQ(html.exit_status, 0) << html.err;
  EXPECT_NE(html.out.find("<h2>Zusammenfassung</h2>"), std::string::npos);
  EXPECT_NE(run_cxm({"report", "--lang", "xx", saved}).exit_status, 0);
  // English stays the default.
  EXPECT_NE(run_cxm({"report", "--format", "md", saved}).out.find("## Key obstacle"),
            std::string::npos);
}

// The pinned `cxm report --format html|xlsx [--out FILE]`.
TEST(Cli, ReportWritesAPrintablePageAndAWorkbook) {
  TempDir dir;
  const std::string answers = dir.write("team.json", make_team().answers.dump());
  const std::string saved = dir.write("scored.json", run_cxm({"score", "--json", answers}).out);
  const auto html = run_cxm({"report", "--format", "html", saved});
  ASSERT_EQ(html.exit_status, 0) << html.err;
  EXPECT_EQ(html.out.rfind("<!doctype html>", 0), 0u);
  EXPECT_EQ(html.out.find("http"), std::string::npos);
  ASSERT_EQ(
      run_cxm({"report", "--format", "html", "--out", dir.path() + "/r.html", saved}).exit_status,
      0);
  EXPECT_EQ(read_text(dir.path() + "/r.html"), html.out);
  expect_bad_input(run_cxm({"report", "--format", "xlsx", saved}),
                   "cxm: --format xlsx needs --out FILE");
  const auto book = run_cxm({"report", "--format", "xlsx", "--out", dir.path() + "/r.xlsx", saved});
  ASSERT_EQ(book.exit_status, 0) << book.err;
  EXPECT_EQ(read_text(dir.path() + "/r.xlsx").substr(0, 2), "PK");
  expect_bad_input(run_cxm({"report", "--format", "md", "--out", dir.path() + "/r.md", saved}),
                   "cxm: --out is for --format html, xlsx or csv");
}

// `cxm report --org NAME --consultant NAME --confidentiality TEXT --logo FILE`:
// the cover names the organization and carries the branding, the logo
// inlined; a logo that is not a PNG or JPEG is refused.
TEST(Cli, ReportNamesTheOrganizationAndCarriesTheBranding) {
  TempDir dir;
  const std::string answers = dir.write("team.json", make_team().answers.dump());
  const std::string saved = dir.write("scored.json", run_cxm({"score", "--json", answers}).out);
  const std::string png(
      "\x89PNG\r\n\x1a\n\0\0\0\rIHDR\0\0\0\x01\0\0\0\x01\x08\x06\0\0\0\x1f\x15\xc4\x89"
      "\0\0\0\rIDATx\x9c"
      "c\xf8\xcf\xc0\xf0\x1f\0\x05\0\x01\xff\x89\x99=\x1d\0\0\0\0IEND\xae"
      "B`\x82",
      67);
  const std::string logo = dir.write("logo.png", png);
  const auto html = run_cxm({"report", "--format", "html", "--org", "Helios AG", "--consultant",
                             "Acme Consulting", "--confidentiality",
                             "Confidential — prepared for Helios AG", "--logo", logo, saved});
  ASSERT_EQ(html.exit_status, 0) << html.err;
  EXPECT_NE(html.out.find("<h1>Helios AG: customer experience maturity</h1>"), std::string::npos);
  EXPECT_NE(html.out.find("Prepared by Acme Consulting for Helios AG"), std::string::npos);
  EXPECT_NE(html.out.find("<p class=\"confidential\">Confidential — prepared for Helios AG</p>"),
            std::string::npos);
  EXPECT_NE(html.out.find("src=\"data:image/png;base64,iVBORw0KGgo"), std::string::npos);
  const std::string svg = dir.write("logo.svg", "<svg onload=\"alert(1)\"/>");
  expect_bad_input(run_cxm({"report", "--format", "html", "--logo", svg, saved}),
                   svg + ": the logo must be a PNG or JPEG image");
  // The workbook's summary sheet carries them too (its CSV, the same table).
  ASSERT_EQ(run_cxm({"report", "--format", "csv", "--org", "Helios AG", "--consultant",
                     "Acme Consulting", "--out", dir.path() + "/tables", saved})
                .exit_status,
            0);
  const std::string summary = read_text(dir.path() + "/tables/summary.csv");
  EXPECT_NE(summary.find("Organization,Helios AG"), std::string::npos) << summary;
  EXPECT_NE(summary.find("Prepared by,Acme Consulting"), std::string::npos) << summary;
}

// `cxm report --format csv --out DIR`: one file per table, the workbook's
// sheets.
TEST(Cli, ReportWritesOneCsvFilePerTable) {
  TempDir dir;
  const std::string answers = dir.write("team.json", make_team().answers.dump());
  const std::string saved = dir.write("scored.json", run_cxm({"score", "--json", answers}).out);
  expect_bad_input(run_cxm({"report", "--format", "csv", saved}),
                   "cxm: --format csv needs --out DIR (one file per table)");
  const auto csv = run_cxm({"report", "--format", "csv", "--out", dir.path() + "/tables", saved});
  ASSERT_EQ(csv.exit_status, 0) << csv.err;
  for (const char* file : {"summary", "competencies", "statements", "groups", "benchmark", "change",
                           "actions", "decisions"}) {
    EXPECT_FALSE(read_text(dir.path() + "/tables/" + file + ".csv").empty()) << file;
  }
  // A byte-order mark first, for Excel.
  EXPECT_EQ(read_text(dir.path() + "/tables/competencies.csv")
                .rfind("\xEF\xBB\xBF"
                       "Competency id,Competency,Score,Stage,",
                       0),
            0u);
  EXPECT_EQ(read_text(dir.path() + "/tables/actions.csv"),
            "\xEF\xBB\xBF"
            "Action,Owner,Due,Status,Competency id\r\n");
}

TEST(Cli, ReportRejectsWhatIsNotAScoreDocument) {
  TempDir dir;
  const std::string answers = dir.write("team.json", make_team().answers.dump());
  expect_bad_input(run_cxm({"report", answers}), answers + ": not a cxm score document");
  const std::string broken = dir.write("broken.json", "{\"schema\":\"cxm.score/1\",\"stage\":{}}");
  expect_bad_input(run_cxm({"report", broken}), broken + ": incomplete score document");
  expect_bad_input(run_cxm({"report", dir.write("x.json", "{")}),
                   dir.path() + "/x.json: not valid JSON");
}

TEST(Cli, PlanJsonHasThePinnedShape) {
  TempDir dir;
  const auto scored =
      run_cxm({"score", "--json", dir.write("team.json", make_team().answers.dump())});
  ASSERT_EQ(scored.exit_status, 0) << scored.err;
  const json score = json::parse(scored.out);
  const auto r = run_cxm({"plan", "--json", dir.write("scored.json", scored.out)});
  ASSERT_EQ(r.exit_status, 0) << r.err;
  const json plan = json::parse(r.out);
  ASSERT_GE(plan["actions"].size(), 3u);
  EXPECT_EQ(plan["stage"]["number"], score["stage"]["number"]);
  // The current stage's obstacle actions come first, as the score document names them.
  const json& obstacle_actions = score["stage"]["obstacle_actions"];
  for (std::size_t k = 0; k < obstacle_actions.size(); ++k) {
    EXPECT_EQ(plan["actions"][k]["kind"], "obstacle");
    EXPECT_EQ(plan["actions"][k]["title"], obstacle_actions[k]["title"]);
    EXPECT_TRUE(plan["actions"][k]["competency"].is_null());
  }
  for (const auto& a : plan["actions"]) {
    for (const char* key : {"kind", "title", "reason", "competency", "stage", "items"})
      EXPECT_TRUE(a.contains(key)) << key;
    EXPECT_FALSE(a["reason"].get<std::string>().empty());
  }
  // The weakest competency's first step is planned, with its statements.
  const std::string weakest = score["weaknesses"]["competencies"][0]["id"];
  const auto found = std::find_if(plan["actions"].begin(), plan["actions"].end(),
                                  [&](const json& a) { return a["competency"] == weakest; });
  ASSERT_NE(found, plan["actions"].end());
  EXPECT_FALSE((*found)["items"].empty());
  const auto text = run_cxm({"plan", dir.path() + "/scored.json"});
  EXPECT_EQ(text.exit_status, 0);
  EXPECT_NE(text.out.find("   Why: The organization is at stage"), std::string::npos) << text.out;
}

TEST(Cli, PlanRefusesWhatItCannotPlanFrom) {
  TempDir dir;
  const std::string answers = dir.write("team.json", make_team().answers.dump());
  expect_bad_input(run_cxm({"plan", "--json", answers}), answers + ": not a score document");
  expect_bad_input(run_cxm({"plan", "--json", dir.write("x.json", "[1")}),
                   dir.path() + "/x.json: not valid JSON");
  expect_bad_input(run_cxm({"plan", "--json", dir.path() + "/missing.json"}),
                   dir.path() + "/missing.json: cannot read");
  json scored = json::parse(run_cxm({"score", "--json", answers}).out);
  scored["model"]["version"] = "0.9";
  const std::string other = dir.write("other.json", scored.dump());
  expect_bad_input(run_cxm({"plan", other}), other + ": scored with model cx-maturity 0.9");
  scored["model"]["version"] = json::parse(run_cxm({"model", "show", "--json"}).out)["version"];
  scored["competencies"][1]["score"] = "high";
  const std::string bad = dir.write("bad.json", scored.dump());
  expect_bad_input(run_cxm({"plan", bad}), bad + ": competencies[1].score: must be 0..100 or null");
  scored["competencies"][1]["score"] = 50;
  scored["form"] = "pulse";
  scored["stage"] = nullptr;
  const std::string pulse = dir.write("pulse.json", scored.dump());
  expect_bad_input(run_cxm({"plan", pulse}), pulse + ": a pulse check gives no stage");
}

TEST(Cli, ProgressJsonHasThePinnedShape) {
  TempDir dir;
  const Team team = make_team();
  json later = team.answers;
  for (auto& r : later["respondents"]) {
    for (auto& [id, value] : r["answers"].items()) {
      if (!value.is_null()) value = std::min(5, value.get<int>() + 2);
    }
  }
  const std::string before = dir.write("before.json", team.answers.dump());
  const std::string after = dir.write("after.json", later.dump());
  const auto r = run_cxm({"progress", "--json", before, after});
  ASSERT_EQ(r.exit_status, 0) << r.err;
  const json p = json::parse(r.out);
  for (const char* key :
       {"before", "after", "change", "ci_low", "ci_high", "verdict", "n_before", "n_after"}) {
    EXPECT_TRUE(p["overall"].contains(key)) << key;
  }
  EXPECT_EQ(p["overall"]["verdict"], "improved");
  EXPECT_GT(p["overall"]["ci_low"].get<double>(), 0.0);
  EXPECT_EQ(p["overall"]["n_before"], 6);
  ASSERT_EQ(p["competencies"].size(), 7u);
  for (const auto& c : p["competencies"]) {
    for (const char* key : {"id", "before", "after", "change", "ci_low", "ci_high", "verdict"})
      EXPECT_TRUE(c.contains(key)) << key;
    EXPECT_NEAR(c["change"].get<double>(), c["after"].get<double>() - c["before"].get<double>(),
                1e-9);
  }
  EXPECT_LE(p["stage"]["before"].get<int>(), p["stage"]["after"].get<int>());
  // The same answers twice: no change at all.
  const json same = json::parse(run_cxm({"progress", "--json", before, before}).out);
  EXPECT_EQ(same["overall"]["change"], 0.0);
  EXPECT_EQ(same["overall"]["verdict"], "no clear change");
  const auto text = run_cxm({"progress", before, after});
  EXPECT_NE(text.out.find("Overall: "), std::string::npos) << text.out;
  expect_bad_input(run_cxm({"progress", before, dir.path() + "/missing.json"}),
                   dir.path() + "/missing.json");
  expect_bad_input(run_cxm({"progress", before}), "cxm: ");
}

// The change at the same mix of roles beside the plain one (SPEC section
// 3): more executives (who rate higher) answered the later file, nothing
// moved inside a role. Roles with at least 2 respondents in both files take
// part (the single manager of each file does not); no other suppression.
TEST(Cli, ProgressJsonGivesTheChangeAtTheSameMixOfRoles) {
  TempDir dir;
  const json model = json::parse(run_cxm({"model", "show", "--json"}).out);
  auto file = [&](int executives, int frontline) {
    json respondents = json::array();
    auto add = [&](const std::string& role, int value) {
      json answers = json::object();
      // A statement worded in reverse is disagreed with as much.
      for (const auto& item : model["items"])
        answers[item["id"].get<std::string>()] = item["reverse"].get<bool>() ? 6 - value : value;
      respondents.push_back({{"id", "r" + std::to_string(respondents.size() + 1)},
                             {"role", role},
                             {"unit", ""},
                             {"answers", answers}});
    };
    for (int i = 0; i < executives; ++i) add("executive", 5);
    for (int i = 0; i < frontline; ++i) add("frontline", 2);
    add("manager", 4);
    return json{{"respondents", respondents}};
  };
  const std::string before = dir.write("before.json", file(2, 7).dump());
  const std::string after = dir.write("after.json", file(7, 2).dump());
  const auto r = run_cxm({"progress", "--json", before, after});
  ASSERT_EQ(r.exit_status, 0) << r.err;
  const json p = json::parse(r.out);
  // The pinned fields are as they were: the plain change says "improved".
  for (const char* key :
       {"before", "after", "change", "ci_low", "ci_high", "verdict", "n_before", "n_after"}) {
    EXPECT_TRUE(p["overall"].contains(key)) << key;
  }
  EXPECT_EQ(p["overall"]["verdict"], "improved") << p["overall"].dump();
  const json& b = p["overall"]["role_balanced"];
  ASSERT_TRUE(b.is_object()) << p["overall"].dump();
  EXPECT_TRUE(p["overall"]["role_balanced_note"].is_null());
  // Executives 100, frontline 25 in both: at the same mix, no change, no
  // variance (the interval is 0 itself).
  EXPECT_NEAR(b["change"].get<double>(), 0.0, 1e-9);
  EXPECT_NEAR(b["ci_low"].get<double>(), 0.0, 1e-9);
  EXPECT_NEAR(b["ci_high"].get<double>(), 0.0, 1e-9);
  EXPECT_NEAR(b["before"].get<double>(), 62.5, 1e-9);  // weights 9/18 each
  EXPECT_EQ(b["verdict"], "no clear change");
  ASSERT_EQ(b["roles"].size(), 2u);
  EXPECT_EQ(b["roles"][0]["role"], "executive");
  EXPECT_EQ(b["roles"][0]["name"], "Executive");
  EXPECT_NEAR(b["roles"][0]["share_before"].get<double>(), 0.2, 1e-12);
  EXPECT_NEAR(b["roles"][0]["share_after"].get<double>(), 0.7, 1e-12);
  EXPECT_EQ(b["roles"][1]["role"], "frontline");
  EXPECT_TRUE(b["flagged"].get<bool>());
  EXPECT_EQ(b["reason"],
            "At the same mix of roles the change is \"no clear change\", not \"improved\": who "
            "answered changed (the share of Executive respondents rose from 20% to 70%).");
  ASSERT_EQ(p["competencies"].size(), 7u);
  for (const auto& c : p["competencies"]) {
    ASSERT_TRUE(c["role_balanced"].is_object()) << c["id"];
    EXPECT_EQ(c["role_balanced"]["verdict"], "no clear change");
  }
  const auto text = run_cxm({"progress", before, after});
  EXPECT_NE(text.out.find("at the same mix of roles: "), std::string::npos) << text.out;
  EXPECT_NE(text.out.find("role shares: Executive 20% -> 70%, Frontline employee 70% -> 20%"),
            std::string::npos)
      << text.out;
  // One executive in the earlier file: only the frontline has 2 in both.
  const std::string one = dir.write("one.json", file(1, 7).dump());
  const json none = json::parse(run_cxm({"progress", "--json", one, after}).out);
  EXPECT_TRUE(none["overall"]["role_balanced"].is_null());
  EXPECT_EQ(none["overall"]["role_balanced_note"],
            "No change at the same mix of roles: fewer than two roles have at least 2 "
            "respondents in both cycles.");
}

// A score document given where answers are needed says so (it said
// "'respondents' must be a list").
TEST(Cli, ProgressGivenAScoreDocumentSaysItNeedsAnswers) {
  TempDir dir;
  const std::string answers = dir.write("team.json", make_team().answers.dump());
  const auto scored = run_cxm({"score", "--json", answers});
  ASSERT_EQ(scored.exit_status, 0) << scored.err;
  const std::string scored_path = dir.write("scored.json", scored.out);
  expect_bad_input(run_cxm({"progress", "--json", scored_path, answers}),
                   scored_path +
                       ": this is a score document (from cxm score --json), not an "
                       "answers file");
}

// Executive 2, Manager 3, Frontline 5 of 10: hiding the executives alone
// would leave them as 10 - 3 - 5. Another role is hidden with them.
TEST(Cli, ScoreNeverLetsAHiddenRoleBeWorkedOutFromTheTotal) {
  TempDir dir;
  const auto shown = json::parse(run_cxm({"model", "show", "--json"}).out);
  json answers;
  answers["respondents"] = json::array();
  for (int r = 0; r < 10; ++r) {
    json a = json::object();
    for (const auto& item : shown["items"]) a[item["id"].get<std::string>()] = 1 + (r + 2) % 5;
    answers["respondents"].push_back(
        {{"id", "r" + std::to_string(r)},
         {"role", r < 2 ? "executive" : (r < 5 ? "manager" : "frontline")},
         {"answers", a}});
  }
  const auto r = run_cxm({"score", "--json", dir.write("team.json", answers.dump())});
  ASSERT_EQ(r.exit_status, 0) << r.err;
  const json s = json::parse(r.out);
  std::map<std::string, bool> hidden;
  for (const auto& role : s["segments"]["role"]) hidden[role["value"]] = role["suppressed"];
  EXPECT_TRUE(hidden["executive"]);
  EXPECT_TRUE(hidden["manager"]) << "shown, Manager and Frontline give Executive by subtraction";
  EXPECT_FALSE(hidden["frontline"]);
}

TEST(Cli, BadAnswerFilesExitTwoWithTheirPlace) {
  TempDir dir;
  const std::vector<std::pair<std::string, std::string>> cases = {
      {"empty.json", ""},
      {"empty.csv", ""},
      {"malformed.json", "{\"respondents\": [ {\"id\": \"r1\", }"},
      {"truncated.csv", "respondent,role,unit,LS2b\nr1,executive,\"Sal"},
      {"unknown.json", R"({"respondents":[{"id":"r1","answers":{"NOPE":3}}]})"},
      {"range.csv", "respondent,role,unit,LS2b\nr1,,,6\n"},
      {"type.json", R"({"respondents":[{"id":"r1","answers":{"LS2b":"five"}}]})"},
      {"utf8.csv", "respondent,role,unit,LS2b\nr1,,M\xfcnchen,4\n"},
      {"utf8.json", "{\"respondents\":[{\"id\":\"r\xc3\x28\",\"answers\":{}}]}"},
      {"injection.csv", "respondent,role,unit,LS2b\nr1,\"'; DROP TABLE x;--\",,4\n"},
      {"binary.json", std::string("\x00\x01\x02\xff", 4)},
  };
  for (const auto& [name, content] : cases) {
    SCOPED_TRACE(name);
    const std::string path = dir.write(name, content);
    expect_bad_input(run_cxm({"score", "--json", path}), path);
  }
  expect_bad_input(run_cxm({"score", dir.path() + "/nope.json"}),
                   dir.path() + "/nope.json: cannot read");
}

TEST(Cli, ScoreWithAnotherModel) {
  TempDir dir;
  const std::string model = dir.write("m.yaml", R"(id: mini
version: "1"
title: Mini
scale: {min: 0, max: 10, labels: ["0","1","2","3","4","5","6","7","8","9","10"]}
threshold: 50
stages:
  - {number: 1, id: a, name: Low, description: d, obstacle: o}
  - {number: 2, id: b, name: High, description: d, obstacle: o}
competencies:
  - {id: c, name: C}
items:
  - {id: c2, competency: c, stage: 2, text: T}
)");
  const std::string answers = dir.write(
      "a.json",
      R"({"respondents":[{"id":"x","answers":{"c2":10}},{"id":"y","answers":{"c2":4}}]})");
  const auto r = run_cxm({"score", "--json", "--model", model, answers});
  ASSERT_EQ(r.exit_status, 0) << r.err;
  const json s = json::parse(r.out);
  EXPECT_EQ(s["stage"]["name"], "High");
  EXPECT_DOUBLE_EQ(s["items"][0]["score"].get<double>(), 70.0);
  // rwg on 11 points: 1 - 18 / ((121 - 1) / 12)
  EXPECT_NEAR(s["items"][0]["rwg"].get<double>(), 0.0, 1e-12);
  // The default model's item ids are unknown to this model.
  expect_bad_input(
      run_cxm({"score", "--model", model, dir.write("b.json", make_team().answers.dump())}),
      dir.path() + "/b.json: respondents[0].");
}

// The evidence rule with the minimum group given, a statement worded in
// reverse and the silo score, in the JSON and in words.
TEST(Cli, ScoreMarksTooFewAnswersAndGivesTheSiloScore) {
  TempDir dir;
  const std::string model = dir.write("m.yaml", R"(id: silo
version: "1"
title: Silo
scale: {min: 1, max: 5, labels: [SD, D, N, A, SA]}
threshold: 60
stages:
  - {number: 1, id: a, name: Low, description: d, obstacle: o}
  - {number: 2, id: b, name: High, description: d, obstacle: o}
competencies:
  - {id: c, name: C}
items:
  - {id: c2, competency: c, stage: 2, themes: [silo], text: We hand over well.}
  - {id: c2r, competency: c, stage: 2, themes: [silo], reverse: true, text: Targets divide us.}
  - {id: c2x, competency: c, stage: 2, text: We know.}
)");
  // Three people; c2r and c2x have 2 answers each: with a minimum group of
  // 3 only c2 counts, 1 of 3 statements: "too few answers to be sure".
  // c2r answered 2 and 1: mean 1.5 -> 12.5, reversed 87.5.
  const std::string answers = dir.write(
      "a.json", R"({"respondents":[{"id":"x","unit":"U","answers":{"c2":4,"c2r":2,"c2x":5}},)"
                R"({"id":"y","unit":"U","answers":{"c2":4,"c2r":1,"c2x":5}},)"
                R"({"id":"z","unit":"U","answers":{"c2":4,"c2r":null,"c2x":null}}]})");
  const auto r = run_cxm({"score", "--json", "--model", model, answers});
  ASSERT_EQ(r.exit_status, 0) << r.err;
  const json s = json::parse(r.out);
  EXPECT_EQ(s["answers_to_count"], 3);
  EXPECT_EQ(s["stages"][1]["counted"], 1);
  EXPECT_EQ(s["stages"][1]["statements"], 3);
  EXPECT_EQ(s["stages"][1]["indicative"], true);
  EXPECT_EQ(s["stage"]["indicative"], true);
  EXPECT_EQ(s["competencies"][0]["indicative"], true);
  EXPECT_EQ(s["items"][1]["reverse"], true);
  EXPECT_DOUBLE_EQ(s["items"][1]["score"].get<double>(), 87.5);
  // Silo: c2 75; c2r (2 answers) counts no more here than for a stage:
  // 75 on 1 statement; unit U (3 people) shown, the same.
  EXPECT_DOUBLE_EQ(s["silo"]["score"].get<double>(), 75.0);
  EXPECT_EQ(s["silo"]["counted"], 1);
  ASSERT_EQ(s["silo"]["units"].size(), 1u);
  EXPECT_EQ(s["silo"]["units"][0]["name"], "U");
  EXPECT_EQ(s["silo"]["units"][0]["counted"], 1);
  // A minimum group of 2: every statement counts, nothing is indicative.
  const json two = json::parse(
      run_cxm({"score", "--json", "--min-group-size", "2", "--model", model, answers}).out);
  EXPECT_EQ(two["stages"][1]["counted"], 3);
  EXPECT_EQ(two["stage"]["indicative"], false);
  // Silo: c2 75, c2r 87.5: 81.25 on both statements.
  EXPECT_DOUBLE_EQ(two["silo"]["score"].get<double>(), 81.25);
  EXPECT_EQ(two["silo"]["counted"], 2);
  const auto text = run_cxm({"score", "--model", model, answers});
  EXPECT_NE(text.out.find("too few answers to be sure"), std::string::npos) << text.out;
  EXPECT_NE(text.out.find("Silo score"), std::string::npos) << text.out;
}

}  // namespace
}  // namespace cxm::testing

namespace cxm::testing {
namespace {

// A file starting with a UTF-16 byte order mark (or any bytes that are not
// UTF-8): the one error line escapes them instead of echoing them.
TEST(Cli, BadBytesInInputAreEscapedInTheErrorLine) {
  TempDir dir;
  const std::string path = dir.write("bom.json", "\xff\xfe{\"respondents\":[]}");
  const auto r = run_cxm({"score", "--json", path});
  EXPECT_EQ(r.exit_status, 2) << r.err;
  EXPECT_NE(r.err.find("\\xFF"), std::string::npos) << r.err;
  EXPECT_EQ(r.err.find('\xff'), std::string::npos) << r.err;
}

}  // namespace
}  // namespace cxm::testing

namespace cxm::testing {
namespace {

// Peers of the default model: seven Retail rows (overall 20, 30 ... 80) and
// four Banking rows, with a column for the first competency and for one the
// model does not have.
std::string peers_dataset(const std::string& competency) {
  std::string csv = "organization,industry,size_band,region,assessed_on,model_id,stage,overall," +
                    competency + ",unknown_competency\n";
  for (int i = 0; i < 7; ++i) {
    csv += "r" + std::to_string(i) + ",Retail,250-999,EU,2025-0" + std::to_string(i + 1) +
           "-01,cx-maturity," + std::to_string(1 + i % 6) + "," + std::to_string(20 + 10 * i) +
           "," + std::to_string(30 + 10 * i) + ",1\n";
  }
  for (int i = 0; i < 4; ++i)
    csv += "b" + std::to_string(i) + ",Banking,1000+,US,2024-01-01,cx-maturity,2,50,,\n";
  csv += "x,Retail,250-999,EU,2025-01-01,another-model,6,99,99,99\n";
  return csv;
}

TEST(Cli, BenchmarkHasThePinnedShapeAndTheFivePeerRule) {
  TempDir dir;
  const auto scored =
      run_cxm({"score", "--json", dir.write("team.json", make_team().answers.dump())});
  ASSERT_EQ(scored.exit_status, 0) << scored.err;
  const json s = json::parse(scored.out);
  const std::string competency = s["competencies"][0]["id"];
  const std::string scored_path = dir.write("scored.json", scored.out);
  const std::string peers = dir.write("peers.csv", peers_dataset(competency));

  const auto r =
      run_cxm({"benchmark", "--dataset", peers, "--industry", "Retail", "--json", scored_path});
  ASSERT_EQ(r.exit_status, 0) << r.err;
  const json b = json::parse(r.out);
  EXPECT_EQ(b["dataset"]["name"], "peers.csv");
  EXPECT_EQ(b["dataset"]["assessments"], 12);
  EXPECT_EQ(b["filter"]["model_id"], "cx-maturity");
  for (const char* key : {"score", "percentile", "n", "median", "q1", "q3"})
    EXPECT_TRUE(b["overall"].contains(key)) << key;
  EXPECT_EQ(b["overall"]["n"], 7);
  EXPECT_DOUBLE_EQ(b["overall"]["score"].get<double>(), s["overall_score"].get<double>());
  EXPECT_DOUBLE_EQ(b["overall"]["median"].get<double>(), 50.0);
  EXPECT_DOUBLE_EQ(b["overall"]["q1"].get<double>(), 35.0);
  EXPECT_DOUBLE_EQ(b["overall"]["q3"].get<double>(), 65.0);
  // Mid-rank: peers strictly below our score, of 7.
  const double own = s["overall_score"];
  int below = 0;
  for (int i = 0; i < 7; ++i) below += (20 + 10 * i) < own ? 1 : 0;
  EXPECT_DOUBLE_EQ(b["overall"]["percentile"].get<double>(), 100.0 * below / 7);
  ASSERT_EQ(b["competencies"].size(), 7u);
  for (const char* key : {"id", "score", "percentile", "n", "median", "q1", "q3"}) {
    EXPECT_TRUE(b["competencies"][0].contains(key)) << key;
  }
  EXPECT_EQ(b["competencies"][0]["id"], competency);
  EXPECT_DOUBLE_EQ(b["competencies"][0]["median"].get<double>(), 60.0);
  EXPECT_FALSE(b["competencies"][1]["in_dataset"].get<bool>());
  EXPECT_EQ(b["competencies"][1]["missing"], 5);
  EXPECT_TRUE(b["competencies"][1]["percentile"].is_null());
  EXPECT_EQ(b["stages"]["ours"], s["stage"]["number"]);
  ASSERT_EQ(b["stages"]["counts"].size(), 6u);
  EXPECT_EQ(b["stages"]["counts"][0]["name"], "Ignore");
  EXPECT_EQ(b["stages"]["counts"][0]["peers"], 2);     // r0 and r6
  EXPECT_EQ(r.out.find("\"r0\""), std::string::npos);  // no peer is ever named

  // Four Banking peers: nothing but how many are missing.
  const auto banks = json::parse(
      run_cxm({"benchmark", "--dataset", peers, "--industry", "banking", "--json", scored_path})
          .out);
  EXPECT_EQ(banks["peers"], 4);
  EXPECT_EQ(banks["missing"], 1);
  EXPECT_TRUE(banks["overall"]["percentile"].is_null());
  EXPECT_TRUE(banks["overall"]["median"].is_null());
  EXPECT_EQ(banks["overall"]["missing"], 1);
  // Since March: five Retail peers left, shown.
  const auto since =
      json::parse(run_cxm({"benchmark", "--dataset", peers, "--size", "250-999", "--region", "EU",
                           "--since", "2025-03-01", "--json", scored_path})
                      .out);
  EXPECT_EQ(since["peers"], 5);
  EXPECT_EQ(since["missing"], 0);
}

// As plan, progress and score: the score document is the argument, --json
// a switch for the document; without it the comparison reads in words.
// The dataset's column is size_band, so is the option (any dash matches).
TEST(Cli, BenchmarkReadsInWordsAndTakesTheDatasetsNames) {
  TempDir dir;
  const auto scored =
      run_cxm({"score", "--json", dir.write("team.json", make_team().answers.dump())});
  ASSERT_EQ(scored.exit_status, 0) << scored.err;
  const std::string scored_path = dir.write("scored.json", scored.out);
  const std::string competency = json::parse(scored.out)["competencies"][0]["id"];
  const std::string peers = dir.write("peers.csv", peers_dataset(competency));

  const auto pinned = run_cxm({"benchmark", "--dataset", peers, "--json", scored_path});
  const auto flag_last = run_cxm({"benchmark", "--dataset", peers, scored_path, "--json"});
  ASSERT_EQ(pinned.exit_status, 0) << pinned.err;
  EXPECT_EQ(pinned.out, flag_last.out);

  const auto text = run_cxm({"benchmark", "--dataset", peers, "--industry", "Retail", "--size-band",
                             "250\u2013999", scored_path});
  ASSERT_EQ(text.exit_status, 0) << text.err;
  EXPECT_FALSE(json::accept(text.out));  // words, not the document
  EXPECT_NE(text.out.find("Dataset: peers.csv"), std::string::npos) << text.out;
  EXPECT_NE(text.out.find("Peers: 7 assessments (industry Retail, size_band 250-999)"),
            std::string::npos)
      << text.out;
  EXPECT_NE(text.out.find("Overall: ours "), std::string::npos) << text.out;
  EXPECT_NE(text.out.find("(n = 7; peers' median 50.0, middle half 35.0 to 65.0)"),
            std::string::npos)
      << text.out;
  EXPECT_NE(text.out.find("not in the dataset"), std::string::npos) << text.out;

  const auto banks =
      run_cxm({"benchmark", "--dataset", peers, "--industry", "Banking", scored_path});
  ASSERT_EQ(banks.exit_status, 0) << banks.err;
  EXPECT_NE(banks.out.find("Not enough peers to compare: 1 more needed (a comparison needs at "
                           "least 5)"),
            std::string::npos)
      << banks.out;
}

TEST(Cli, BenchmarkBadInputExitsTwoWithThePlace) {
  TempDir dir;
  const auto scored =
      run_cxm({"score", "--json", dir.write("team.json", make_team().answers.dump())});
  const std::string scored_path = dir.write("scored.json", scored.out);
  const std::string good = dir.write("peers.csv", peers_dataset("x"));
  std::string bad_text = peers_dataset("x");
  const std::string row = ",2025-03-01,cx-maturity,3,40,";
  bad_text.replace(bad_text.find(row), row.size(), ",2025-03-01,cx-maturity,3,140,");
  const std::string bad = dir.write("bad.csv", bad_text);
  expect_bad_input(run_cxm({"benchmark", "--dataset", bad, "--json", scored_path}),
                   bad + ":4:8: overall 140 is outside 0..100");
  expect_bad_input(
      run_cxm({"benchmark", "--dataset", dir.path() + "/none.csv", "--json", scored_path}),
      dir.path() + "/none.csv: cannot read the dataset");
  expect_bad_input(run_cxm({"benchmark", "--dataset", good, "--json", good}),
                   good + ": not valid JSON");
  expect_bad_input(
      run_cxm({"benchmark", "--dataset", good, "--since", "March", "--json", scored_path}),
      "cxm benchmark: --since 'March' is not a date as YYYY-MM-DD");
  expect_bad_input(run_cxm({"benchmark", "--json", scored_path}),
                   "cxm benchmark: --dataset PEERS.csv and a score document SCORED.json");
  // A pulse check has no stage: it is not compared with full assessments.
  json pulse = json::parse(scored.out);
  pulse["stage"] = nullptr;
  const std::string pulse_path = dir.write("pulse.json", pulse.dump());
  expect_bad_input(run_cxm({"benchmark", "--dataset", good, "--json", pulse_path}),
                   pulse_path + ": a pulse check");
}

TEST(Cli, BenchmarkImportStoresAValidDatasetOnly) {
  TempDir dir;
  const std::string db = "sqlite:" + dir.path() + "/cxm.db";
  std::string bad_text = peers_dataset("x");
  bad_text.replace(bad_text.find("2024-01-01"), 10, "2024-01-32");
  const std::string bad = dir.write("bad.csv", bad_text);
  expect_bad_input(run_cxm({"benchmark", "import", "--db", db, "--name", "N", "--source", "S",
                            "--licence", "L", bad}),
                   bad +
                       ":9:5: assessed_on '2024-01-32' is not a date as YYYY-MM-DD (from 1900) "
                       "(nothing was imported)");
  const auto ok = run_cxm({"benchmark", "import", "--db", db, "--name", "Clients 2025", "--source",
                           "Example Consulting", "--licence", "CC-BY-4.0", "--synthetic",
                           dir.write("good.csv", peers_dataset("x"))});
  ASSERT_EQ(ok.exit_status, 0) << ok.err;
  EXPECT_EQ(ok.out.rfind("imported 12 assessments as dataset ", 0), 0u) << ok.out;
}

// `cxm ratings import`: a customer-ratings dataset (CSV with options, or
// JSON with its metadata) stored with its provenance; a bad cell exits 2
// naming its line and column (or row and field) and stores nothing.
// `cxm ratings list` shows them, in words or as JSON.
TEST(Cli, RatingsImportStoresAValidDatasetOnly) {
  TempDir dir;
  const std::string db = "sqlite:" + dir.path() + "/cxm.db";
  const std::string bad = dir.write(
      "bad.csv",
      "company,industry,year,metric,value\nA,Retail,2025,nps,3\nB,Retail,2025,csat,140\n");
  expect_bad_input(
      run_cxm(
          {"ratings", "import", "--db", db, "--name", "N", "--source", "S", "--licence", "L", bad}),
      bad + ":3:5: value 140 is outside the scale of csat (0 to 100) (nothing was imported)");
  const std::string bad_json = dir.write(
      "bad.json", R"({"rows": [{"company": "A", "industry": "Retail", "year": 2025, "metric": "ces",
                    "value": 8}]})");
  expect_bad_input(run_cxm({"ratings", "import", "--db", db, "--name", "N", "--source", "S",
                            "--licence", "L", bad_json}),
                   bad_json + ": row 1, field value: value 8 is outside the scale of ces (1 to 7)");
  const std::string good =
      dir.write("good.csv",
                "company,industry,year,metric,value\nA,Retail,2025,nps,3\nB,Retail,2025,csat,40\n");
  expect_bad_input(run_cxm({"ratings", "import", "--db", db, good}),
                   "cxm ratings import: --name must be 1 to 500 characters");
  const auto none = run_cxm({"ratings", "list", "--db", db, "--json"});
  ASSERT_EQ(none.exit_status, 0) << none.err;
  EXPECT_EQ(nlohmann::json::parse(none.out)["datasets"].size(), 0u);

  const auto ok = run_cxm({"ratings", "import", "--db", db, "--name", "Index 2025", "--source",
                           "Example Institute", "--licence", "CC-BY-4.0", "--published-on",
                           "2025-12-01", good});
  ASSERT_EQ(ok.exit_status, 0) << ok.err;
  EXPECT_EQ(ok.out.rfind("imported 2 ratings as dataset ", 0), 0u) << ok.out;
  const std::string with_metadata = dir.write(
      "index.json", R"({"metadata": {"name": "Made up", "source": "cxm test", "licence": "CC0-1.0",
                                     "synthetic": true},
                       "rows": [{"company": "A", "industry": "Retail", "year": 2026,
                                 "metric": "stars", "name": "Stars", "scale_min": 1,
                                 "scale_max": 5, "value": 4.5}]})");
  const auto from_json = run_cxm({"ratings", "import", "--db", db, with_metadata});
  ASSERT_EQ(from_json.exit_status, 0) << from_json.err;
  EXPECT_NE(from_json.out.find("(Made up, synthetic)"), std::string::npos) << from_json.out;

  const auto listed = run_cxm({"ratings", "list", "--db", db, "--json"});
  ASSERT_EQ(listed.exit_status, 0) << listed.err;
  const auto doc = nlohmann::json::parse(listed.out)["datasets"];
  ASSERT_EQ(doc.size(), 2u);
  EXPECT_EQ(doc[1]["name"], "Index 2025");
  EXPECT_EQ(doc[1]["date"], "2025-12-01");
  EXPECT_EQ(doc[1]["synthetic"], false);
  EXPECT_EQ(doc[1]["metrics"], nlohmann::json::array({"nps", "csat"}));
  EXPECT_EQ(doc[0]["name"], "Made up");
  EXPECT_EQ(doc[0]["synthetic"], true);
  const auto words = run_cxm({"ratings", "list", "--db", db});
  ASSERT_EQ(words.exit_status, 0) << words.err;
  EXPECT_NE(words.out.find("Made up  [SYNTHETIC: made-up data]"), std::string::npos) << words.out;
  EXPECT_NE(words.out.find("2 ratings of nps, csat"), std::string::npos) << words.out;
}

// `cxm due`: every organization with its last closed cycle and when the
// next is due (six months after it closed unless the organization says
// otherwise), in text or JSON; exit 0 whatever is due.
TEST(Cli, DueListsEachOrganizationsNextCycle) {
  TempDir dir;
  const std::string db = "sqlite:" + dir.path() + "/cxm.db";
  const auto empty = run_cxm({"due", "--db", db});
  ASSERT_EQ(empty.exit_status, 0) << empty.err;
  EXPECT_EQ(empty.out, "No organizations.\n");
  ASSERT_EQ(run_cxm({"demo", "--db", db}).exit_status, 0);
  const auto listed = run_cxm({"due", "--db", db, "--json"});
  ASSERT_EQ(listed.exit_status, 0) << listed.err;
  const auto doc = nlohmann::json::parse(listed.out);
  ASSERT_EQ(doc["organizations"].size(), 1u);
  const auto& org = doc["organizations"][0];
  EXPECT_TRUE(org["demo"].get<bool>());
  EXPECT_EQ(org["review_interval_months"], 6);
  EXPECT_EQ(org["last_closed"]["name"], "One-year review (demo)");
  // The demo's last cycle closed about a month ago: due in about five months.
  EXPECT_EQ(org["status"], "due");
  EXPECT_GT(org["next_due"].get<std::string>(), doc["today"].get<std::string>());
  EXPECT_LT(org["last_closed"]["closed_on"].get<std::string>(), doc["today"].get<std::string>());
  const auto text = run_cxm({"due", "--db", db});
  ASSERT_EQ(text.exit_status, 0);
  EXPECT_NE(text.out.find("Northwind Retail (demo, synthetic data)"), std::string::npos)
      << text.out;
  EXPECT_NE(
      text.out.find("next due:    " + org["next_due"].get<std::string>() + " (6 months later)"),
      std::string::npos)
      << text.out;
  EXPECT_EQ(text.out.find("OVERDUE"), std::string::npos);
  expect_bad_input(run_cxm({"due", "--db", "mysql://nowhere"}), "cxm: ");
}

// Administrator rights come from an operator, never from a file (SPEC
// section 8, "Insiders"): a restore names the file's administrators and
// makes none; `cxm user grant-admin` gives the rights back and
// `revoke-admin` takes them. Each state is read back through a backup
// restored elsewhere, whose summary names the administrators it had.
TEST(Cli, AdministratorRightsComeFromAnOperatorNotFromABackup) {
  TempDir dir;
  const std::string db = "sqlite:" + dir.path() + "/cxm.db";
  ASSERT_EQ(run_cxm({"user", "add", "--db", db, "--email", "Lead@Example.org", "--admin"},
                    "correct horse battery\n")
                .exit_status,
            0);
  ASSERT_EQ(
      run_cxm({"user", "add", "--db", db, "--email", "fay@example.org"}, "another long password\n")
          .exit_status,
      0);
  int backups = 0;
  // Restores a new backup of `from` into a new database, returning its
  // URL and what the restore said.
  auto round_trip = [&](const std::string& from) {
    const std::string n = std::to_string(++backups);
    const std::string file = dir.path() + "/backup" + n + ".cxm";
    EXPECT_EQ(run_cxm({"backup", "--db", from, file}).exit_status, 0);
    const std::string to = "sqlite:" + dir.path() + "/restored" + n + ".db";
    const auto restored = run_cxm({"restore", "--db", to, file});
    EXPECT_EQ(restored.exit_status, 0) << restored.err;
    return std::make_pair(to, restored.out);
  };
  const auto [restored, said] = round_trip(db);
  EXPECT_NE(said.find("administrator rights not restored for 1 users: lead@example.org\n"
                      "grant them again, each with: cxm user grant-admin --db " +
                      restored + " --email ADDRESS\n"),
            std::string::npos)
      << said;
  // The restored database has no administrator left to name.
  EXPECT_EQ(round_trip(restored).second.find("administrator rights"), std::string::npos);

  const auto granted =
      run_cxm({"user", "grant-admin", "--db", restored, "--email", "lead@example.org"});
  ASSERT_EQ(granted.exit_status, 0) << granted.err;
  EXPECT_EQ(granted.out,
            "administrator rights granted to lead@example.org (their log-in sessions ended)\n");
  EXPECT_NE(round_trip(restored).second.find("not restored for 1 users: lead@example.org\n"),
            std::string::npos);
  ASSERT_EQ(run_cxm({"user", "revoke-admin", "--db", restored, "--email", "LEAD@example.org"})
                .exit_status,
            0);
  EXPECT_EQ(round_trip(restored).second.find("administrator rights"), std::string::npos);
  expect_bad_input(
      run_cxm({"user", "grant-admin", "--db", restored, "--email", "nobody@example.org"}),
      "cxm: no user with e-mail nobody@example.org");
}

}  // namespace
}  // namespace cxm::testing

// `cxm import` (docs/import.md): a survey tool's CSV export -> answers.
namespace cxm::testing {
namespace {

const std::string kData = std::string(CXM_SOURCE_DIR) + "/tests/data/";

TEST(CliImport, ALimeSurveyExportBecomesAnswersThatScore) {
  TempDir dir;
  const std::string out = dir.path() + "/answers.json";
  const auto r =
      run_cxm({"import", "--mapping", "limesurvey", "--out", out, kData + "limesurvey_export.csv"});
  ASSERT_EQ(r.exit_status, 0) << r.err;
  EXPECT_EQ(r.out, "");
  EXPECT_NE(r.err.find("warning: column 'CXcomment' maps to nothing"), std::string::npos) << r.err;
  EXPECT_NE(r.err.find("cxm import: 10 respondents, 49 statements; 2 rows left out"),
            std::string::npos)
      << r.err;
  const json answers = json::parse(read_text(out));
  ASSERT_EQ(answers["respondents"].size(), 10u);
  EXPECT_EQ(answers["respondents"][0]["id"], "1");
  EXPECT_EQ(answers["respondents"][0]["role"], "executive");
  EXPECT_EQ(answers["respondents"][0]["unit"], "Sales");
  const auto scored = run_cxm({"score", "--json", out});
  ASSERT_EQ(scored.exit_status, 0) << scored.err;
  const json doc = json::parse(scored.out);
  EXPECT_EQ(doc["respondents"], 10);
  EXPECT_TRUE(doc["stage"]["number"].is_number_integer());
}

TEST(CliImport, FormbricksToStandardOutputAndAPreview) {
  const auto r = run_cxm({"import", "--mapping", "formbricks", kData + "formbricks_export.csv"});
  ASSERT_EQ(r.exit_status, 0) << r.err;
  EXPECT_EQ(json::parse(r.out)["respondents"].size(), 10u);
  const auto preview =
      run_cxm({"import", "--mapping", "formbricks", "--preview", kData + "formbricks_export.csv"});
  ASSERT_EQ(preview.exit_status, 0) << preview.err;
  EXPECT_NE(preview.out.find("respondents: 10"), std::string::npos) << preview.out;
  EXPECT_NE(preview.out.find("imported: finished responses (Finished = Yes); left out: 2"),
            std::string::npos);
  EXPECT_NE(
      preview.out.find("warning: column '4. Anything else you want to tell us?' maps to nothing"),
      std::string::npos);
  const auto as_json = run_cxm({"import", "--mapping", "formbricks", "--preview", "--json",
                                kData + "formbricks_export.csv"});
  ASSERT_EQ(as_json.exit_status, 0) << as_json.err;
  EXPECT_EQ(json::parse(as_json.out)["items"].size(), 49u);
}

TEST(CliImport, AWrongRowWritesNothingAndNamesRowAndColumn) {
  TempDir dir;
  const std::string out = dir.path() + "/answers.json";
  const std::string csv = dir.write("export.csv",
                                    "id,submitdate,CX[LS2b],CX[LS3]\r\n"
                                    "1,2026-01-01,A1,A2\r\n"
                                    "2,2026-01-01,A3,A7\r\n"
                                    "1,2026-01-01,A3,A4\r\n");
  const auto r = run_cxm({"import", "--mapping", "limesurvey", "--out", out, csv});
  EXPECT_EQ(r.exit_status, 2);
  EXPECT_EQ(r.signal, 0);
  EXPECT_NE(
      r.err.find(csv + ": row 3, column 4 (D) 'CX[LS3]': unknown answer label 'A7' for item LS3"),
      std::string::npos)
      << r.err;
  EXPECT_NE(
      r.err.find(csv + ": row 4, column 1 (A) 'id': duplicate respondent id '1' (also in row 2)\n"),
      std::string::npos)
      << r.err;
  EXPECT_EQ(line_count(r.err), 2u) << r.err;  // one line per problem
  EXPECT_FALSE(std::filesystem::exists(out));
  EXPECT_FALSE(std::filesystem::exists(out + ".partial"));
}

TEST(CliImport, BadInputIsOneLinePerProblem) {
  TempDir dir;
  expect_bad_input(run_cxm({"import", "--mapping", "limesurvey", dir.path() + "/missing.csv"}),
                   dir.path() + "/missing.csv: ");
  const std::string utf16 = dir.write("u.csv", std::string("\xFF\xFEi\0d\0", 6));
  expect_bad_input(run_cxm({"import", "--mapping", "limesurvey", utf16}),
                   utf16 + ": the file is UTF-16; export or save it as UTF-8");
  expect_bad_input(
      run_cxm({"import", "--mapping", "limesurvey", "--json", kData + "limesurvey_export.csv"}),
      "cxm: --json requires --preview");
  const auto unknown_mapping =
      run_cxm({"import", "--mapping", "qualtrics", kData + "limesurvey_export.csv"});
  expect_bad_input(unknown_mapping, "qualtrics: ");
  EXPECT_NE(unknown_mapping.err.find("not a shipped mapping either: limesurvey, formbricks"),
            std::string::npos)
      << unknown_mapping.err;
  const std::string mapping = dir.write("bad.yaml", "respondent: id\nitems: [{pattern: '*'}]\n");
  expect_bad_input(run_cxm({"import", "--mapping", mapping, kData + "limesurvey_export.csv"}),
                   mapping + ":2:19: items[0].pattern must hold exactly one {item} or {text}");
  // A mapping file of one's own, for another tool.
  const std::string own =
      dir.write("qualtrics.yaml",
                "respondent: ResponseId\nonly: {column: Finished, values: ['1', 'True']}\n"
                "items: [{heading: Q1_1, item: LS2b}, {heading: Q1_2, item: LS3}]\n"
                "labels: {Strongly disagree: 1, Strongly agree: 5}\n");
  const auto mapped = run_cxm(
      {"import", "--mapping", own,
       dir.write("q.csv",
                 "ResponseId,Finished,Q1_1,Q1_2\nR_1,True,Strongly agree,Agree\nR_2,False,x,y\n")});
  ASSERT_EQ(mapped.exit_status, 0) << mapped.err;
  EXPECT_EQ(json::parse(mapped.out)["respondents"][0]["answers"], json({{"LS2b", 5}, {"LS3", 4}}));
}

// The worked example of docs/import.md, as it stands there.
TEST(CliImport, TheWorkedExampleOfTheDocs) {
  TempDir dir;
  const std::string mapping =
      dir.write("mytool.yaml",
                "name: mytool\nrespondent: Resp\nunit: Team\n"
                "only: {column: Done, values: [\"yes\"], description: finished responses}\n"
                "items:\n  - pattern: \"* ({item})\"\nignore: [Comment]\n"
                "labels: {fully disagree: 1, disagree: 2, neutral: 3, agree: 4, fully agree: 5, "
                "no idea: null}\n");
  const std::string csv = dir.write("export.csv",
                                    "Resp;Done;Team;Q1 (LS2b);Q2 (LS3);Comment\n"
                                    "a17;yes;Sales;fully agree;agree;\n"
                                    "a18;yes;Support;agree;no idea;too long\n"
                                    "a19;no;Sales;;;\n");
  const auto preview = run_cxm({"import", "--mapping", mapping, "--preview", csv});
  ASSERT_EQ(preview.exit_status, 0) << preview.err;
  EXPECT_NE(
      preview.out.find("rows: 3\nimported: finished responses; left out: 1\nrespondents: 2\n"),
      std::string::npos)
      << preview.out;
  EXPECT_NE(preview.out.find("  LS2b <- column 4 'Q1 (LS2b)'\n  LS3 <- column 5 'Q2 (LS3)'\n"),
            std::string::npos);
  EXPECT_NE(
      preview.out.find("  'agree' = 4: 2\n  'fully agree' = 5: 1\n  'no idea' = don't know: 1\n"),
      std::string::npos)
      << preview.out;
  const auto r = run_cxm({"import", "--mapping", mapping, csv});
  ASSERT_EQ(r.exit_status, 0) << r.err;
  EXPECT_EQ(json::parse(r.out), json::parse(R"({"respondents": [
    {"id": "a17", "role": null, "unit": "Sales", "answers": {"LS2b": 5, "LS3": 4}},
    {"id": "a18", "role": null, "unit": "Support", "answers": {"LS2b": 4, "LS3": null}}]})"));
}

}  // namespace
}  // namespace cxm::testing

namespace cxm::testing {
namespace {

// Comments from a survey export through the answers file into the score
// document and the printed report: only a competency at least the minimum
// group commented on, in an order that is not the file's.
TEST(CliComments, ImportScoreAndReportKeepTheCommentsThatMayBeShown) {
  TempDir dir;
  const std::string model = std::string(CXM_SOURCE_DIR) + "/tests/data/comments-model.yaml";
  const std::string csv = dir.write("ls.csv",
                                    "id,submitdate,CX[L2],CX[D2],lead[comment],data[comment]\n"
                                    "1,2026-01-01,A4,A3,First lead comment.,Only data comment.\n"
                                    "2,2026-01-01,A5,A3,Second lead comment.,\n"
                                    "3,2026-01-01,A2,A3,\"Third lead comment,\non two lines.\",\n"
                                    "4,2026-01-01,A3,A3,,\n");
  const std::string answers = dir.path() + "/answers.json";
  const auto imported =
      run_cxm({"import", "--mapping", "limesurvey", "--model", model, "--out", answers, csv});
  ASSERT_EQ(imported.exit_status, 0) << imported.err;
  const json file = json::parse(read_text(answers));
  EXPECT_EQ(file["respondents"][0]["comments"]["lead"], "First lead comment.");
  const auto scored = run_cxm({"score", "--json", "--model", model, answers});
  ASSERT_EQ(scored.exit_status, 0) << scored.err;
  const json doc = json::parse(scored.out);
  ASSERT_EQ(doc["comments"].size(), 2u);
  EXPECT_EQ(doc["comments"][0]["competency"], "lead");
  EXPECT_EQ(doc["comments"][0]["texts"].size(), 3u);
  EXPECT_TRUE(doc["comments"][0]["withheld"].is_null());
  EXPECT_EQ(doc["comments"][1]["competency"], "data");
  EXPECT_EQ(doc["comments"][1]["texts"], json::array());
  EXPECT_EQ(doc["comments"][1]["withheld"],
            "fewer than 3 people who answered themselves commented; comments are shown from 3 on");
  EXPECT_EQ(scored.out.find("Only data comment"), std::string::npos);
  // Deterministic: the same file scores to the same order.
  EXPECT_EQ(run_cxm({"score", "--json", "--model", model, answers}).out, scored.out);
  const std::string scored_path = dir.write("scored.json", scored.out);
  const auto text = run_cxm({"report", "--format", "text", scored_path});
  ASSERT_EQ(text.exit_status, 0) << text.err;
  EXPECT_NE(text.out.find("Comments"), std::string::npos) << text.out;
  EXPECT_NE(text.out.find("Third lead comment, on two lines."), std::string::npos) << text.out;
  EXPECT_NE(text.out.find("Not shown: fewer than 3"), std::string::npos);
  // A bad comment in an answers file: exit 2, its place named.
  const std::string bad = dir.write(
      "bad.json", R"({"respondents":[{"id":"r","answers":{"L2":3},"comments":{"ops":"x"}}]})");
  const auto refused = run_cxm({"score", "--json", "--model", model, bad});
  EXPECT_EQ(refused.exit_status, 2);
  EXPECT_NE(refused.err.find("respondents[0].comments.ops: competency 'ops' asks no comment"),
            std::string::npos)
      << refused.err;
}

// `cxm metrics import|list|delete`: an organization's customer metrics
// (docs/customer-metrics.md), the demo's synthetic ones among them.
const std::string kDemoOrg = "Northwind Retail (demo, synthetic data)";

json metrics_of(const std::string& db) {
  const auto listed = run_cxm({"metrics", "list", "--db", db, "--org", kDemoOrg, "--json"});
  EXPECT_EQ(listed.exit_status, 0) << listed.err;
  return json::parse(listed.out)["metrics"];
}

TEST(CliMetrics, TheDemoHasSyntheticCustomerMetricsLabelledAsSuch) {
  TempDir dir;
  const std::string db = "sqlite:" + dir.path() + "/cxm.db";
  const auto demo = run_cxm({"demo", "--db", db});
  ASSERT_EQ(demo.exit_status, 0) << demo.err;
  EXPECT_NE(demo.out.find("customer metrics (NPS monthly and per unit at each cycle, CSAT "
                          "quarterly)"),
            std::string::npos)
      << demo.out;
  const json metrics = metrics_of(db);
  ASSERT_EQ(metrics.size(), 2u);
  EXPECT_EQ(metrics[0]["metric"], "nps");
  EXPECT_EQ(metrics[1]["metric"], "csat");
  std::size_t whole = 0, unit_periods = 0;
  for (const auto& m : metrics) {
    EXPECT_TRUE(m["synthetic"].get<bool>());
    for (const auto& f : m["series"]) {
      EXPECT_TRUE(f["synthetic"].get<bool>());
      EXPECT_EQ(f["source"], "Synthetic demo figures (cxm demo)");
      if (m["metric"] == "nps") (f["unit"].is_null() ? whole : unit_periods) += 1;
    }
  }
  EXPECT_GE(whole, 13u);         // every month of the demo's ~15
  EXPECT_EQ(unit_periods, 12u);  // four units at three cycles: enough for a correlation
  EXPECT_GE(metrics[1]["series"].size(), 4u);
  // Loosely rising with the demo's maturity.
  const auto& nps = metrics[0]["series"];
  EXPECT_GT(nps[whole - 1]["value"].get<double>(), nps[0]["value"].get<double>() + 10);
  const auto text = run_cxm({"metrics", "list", "--db", db, "--org", kDemoOrg});
  ASSERT_EQ(text.exit_status, 0);
  EXPECT_NE(text.out.find("nps: Net Promoter Score, on the scale -100 to 100 (higher is better) "
                          "[synthetic]"),
            std::string::npos)
      << text.out;
  EXPECT_NE(text.out.find("; the whole organization, Customer Service, Marketing, Operations, "
                          "Sales\n"),
            std::string::npos)
      << text.out;
}

TEST(CliMetrics, ImportListAndDelete) {
  TempDir dir;
  const std::string db = "sqlite:" + dir.path() + "/cxm.db";
  ASSERT_EQ(run_cxm({"demo", "--db", db}).exit_status, 0);
  const std::string csv = dir.write("ces.csv",
                                    "period,unit,metric,value,respondents,source\n"
                                    "2030-01,,ces,5.1,80,Effort survey\n"
                                    "2030-01,Sales,ces,5.6,20,Effort survey\n");
  const auto imported = run_cxm({"metrics", "import", "--db", db, "--org", kDemoOrg, csv});
  ASSERT_EQ(imported.exit_status, 0) << imported.err;
  EXPECT_EQ(imported.out, "imported 2 figures into '" + kDemoOrg + "': 2 added, 0 replaced\n");
  const std::string rows =
      dir.write("ces.json",
                R"(  {"rows": [{"period": "2030-01", "unit": null, "metric": "ces", "value": 5.3,
                     "respondents": 85, "source": "Effort survey"},
                    {"period": "2030-02-14", "metric": "stars", "value": 4.5, "respondents": 300,
                     "source": "Shop reviews", "name": "Shop stars",
                     "definition": "Mean stars of the shop's reviews", "scale_min": 1,
                     "scale_max": 5}]})");
  const auto again = run_cxm({"metrics", "import", "--db", db, "--org", kDemoOrg, rows});
  ASSERT_EQ(again.exit_status, 0) << again.err;
  EXPECT_EQ(again.out, "imported 2 figures into '" + kDemoOrg + "': 1 added, 1 replaced\n");
  json metrics = metrics_of(db);
  ASSERT_EQ(metrics.size(), 4u);
  EXPECT_EQ(metrics[2]["metric"], "ces");
  EXPECT_EQ(metrics[2]["synthetic"], false);
  EXPECT_EQ(metrics[2]["series"][0]["value"], 5.3);
  EXPECT_EQ(metrics[3]["metric"], "stars");
  EXPECT_EQ(metrics[3]["scale"], json({{"min", 1}, {"max", 5}}));
  const auto deleted = run_cxm({"metrics", "delete", "--db", db, "--org", kDemoOrg, "stars"});
  ASSERT_EQ(deleted.exit_status, 0) << deleted.err;
  EXPECT_EQ(deleted.out, "deleted 1 figure of stars from '" + kDemoOrg + "'\n");
  expect_bad_input(run_cxm({"metrics", "delete", "--db", db, "--org", kDemoOrg, "stars"}),
                   "cxm: '" + kDemoOrg + "' has no figures of the metric stars");
  EXPECT_EQ(metrics_of(db).size(), 3u);
}

TEST(CliMetrics, AWrongRowWritesNothingAndNamesRowAndColumn) {
  TempDir dir;
  const std::string db = "sqlite:" + dir.path() + "/cxm.db";
  ASSERT_EQ(run_cxm({"demo", "--db", db}).exit_status, 0);
  const json before = metrics_of(db);
  const std::string csv = dir.write("bad.csv",
                                    "period,unit,metric,value,respondents,source\n"
                                    "2030-01,,csat,80,100,Survey\n"
                                    "2030-01,,nps,140,100,Survey\n");
  expect_bad_input(run_cxm({"metrics", "import", "--db", db, "--org", kDemoOrg, csv}),
                   "cxm: " + csv +
                       ": line 3, column value: 140 is outside the scale of nps (-100 to 100); "
                       "nothing was imported");
  const std::string rows =
      dir.write("bad.json", R"({"rows": [{"period": "2030-01", "metric": "nps", "value": 1,
                     "respondents": 1, "source": "S"},
                    {"period": "2030-01", "unit": "Billing", "metric": "nps", "value": 1,
                     "respondents": 1, "source": "S"}]})");
  expect_bad_input(run_cxm({"metrics", "import", "--db", db, "--org", kDemoOrg, rows}),
                   "cxm: " + rows +
                       ": row 2, field unit: 'Billing' is not one of the organization's units "
                       "(Sales, Customer Service, Operations, Marketing); leave it empty for the "
                       "whole organization; nothing was imported");
  expect_bad_input(
      run_cxm({"metrics", "import", "--db", db, "--org", kDemoOrg, dir.write("empty.csv", "")}),
      "cxm: ");
  expect_bad_input(run_cxm({"metrics", "import", "--db", db, "--org", "Nobody", csv}),
                   "cxm: no organization with the id or name Nobody");
  expect_bad_input(
      run_cxm({"metrics", "import", "--db", db, "--org", kDemoOrg, dir.path() + "/none.csv"}),
      "cxm: " + dir.path() + "/none.csv: cannot read the file");
  expect_bad_input(run_cxm({"metrics", "list", "--db", db}), "cxm: ");
  EXPECT_EQ(metrics_of(db), before);
}

}  // namespace
}  // namespace cxm::testing

// Languages (docs/languages.md): the model's translations beside it.
namespace cxm::testing {
namespace {

const std::string kGermanFile = std::string(CXM_SOURCE_DIR) + "/models/cx-maturity.de.yaml";

TEST(CliLanguages, ModelValidateChecksTheTranslationsBesideTheModel) {
  const auto r = run_cxm({"model", "validate", kModelFile});
  EXPECT_EQ(r.exit_status, 0) << r.err;
  EXPECT_NE(r.out.find(kGermanFile + ": valid translation 'de' of 'cx-maturity' version 2.2.0"),
            std::string::npos)
      << r.out;
}

// A translation with one statement removed and one unknown id added: both
// named with file:line:col, for the model and for the translation alone.
TEST(CliLanguages, ModelValidateNamesAMissingAndAnUnknownTranslation) {
  TempDir dir;
  const std::string model = dir.write("cx.yaml", read_text(kModelFile));
  std::string german = read_text(kGermanFile);
  const std::size_t at = german.find("  LS4c: \"");
  ASSERT_NE(at, std::string::npos);
  german.erase(at, german.find('\n', at) + 1 - at);
  const std::size_t ls5 = german.find("  LS5: \"");
  german.insert(ls5, "  LS9z: \"Eine Aussage, die das Modell nicht hat.\"\n");
  const std::string path = dir.write("cx.de.yaml", german);
  // The unknown id's place: its line, column 3.
  std::size_t line = 1;
  for (std::size_t i = 0; i < german.find("  LS9z:"); ++i) line += german[i] == '\n';
  for (const std::string& file : {model, path}) {
    const auto r = run_cxm({"model", "validate", file});
    EXPECT_EQ(r.exit_status, 2) << file;
    EXPECT_TRUE(std::regex_search(
        r.err, std::regex(std::regex_replace(path, std::regex(R"([.^$|()\[\]{}*+?\\])"), R"(\$&)") +
                          R"(:\d+:\d+: items: no translation for 'LS4c')")))
        << r.err;
    EXPECT_NE(r.err.find(path + ":" + std::to_string(line) + ":3: items: unknown"),
              std::string::npos)
        << r.err;
    EXPECT_NE(r.err.find("'LS9z'"), std::string::npos) << r.err;
    EXPECT_NE(r.err.find("2 problems found in " + path), std::string::npos) << r.err;
  }
}

TEST(CliLanguages, ModelShowInGermanAndItsLanguages) {
  const auto en = run_cxm({"model", "show"});
  ASSERT_EQ(en.exit_status, 0) << en.err;
  EXPECT_NE(en.out.find("Languages: en (shown), de\n"), std::string::npos) << en.out;

  const auto de = run_cxm({"model", "show", "--lang", "de"});
  ASSERT_EQ(de.exit_status, 0) << de.err;
  EXPECT_NE(de.out.find("Sprachen: en, de (angezeigt)\n"), std::string::npos) << de.out;
  EXPECT_NE(de.out.find("  3 Mobilisieren: "), std::string::npos) << de.out;
  EXPECT_NE(de.out.find("  LS3c [Stufe 3, Puls, Hindernis von Erkunden] Die Mitglieder unserer "
                        "Geschäftsleitung"),
            std::string::npos)
      << de.out;
  EXPECT_NE(de.out.find("; w Weiß nicht"), std::string::npos) << de.out;

  const auto json_de = run_cxm({"model", "show", "--lang", "de", "--json"});
  ASSERT_EQ(json_de.exit_status, 0) << json_de.err;
  const json m = json::parse(json_de.out);
  EXPECT_EQ(m["language"], "de");
  EXPECT_EQ(m["languages"], json::array({"en", "de"}));
  EXPECT_EQ(m["id"], "cx-maturity");  // ids stay the model's
  EXPECT_EQ(m["stages"][5]["name"], "Verankern");
  EXPECT_EQ(m["scale"]["labels"][4], "Stimme voll zu");
  EXPECT_EQ(m["items"].size(), 49u);
  const json m_en = json::parse(run_cxm({"model", "show", "--json"}).out);
  EXPECT_EQ(m_en["language"], "en");
  EXPECT_EQ(m_en["languages"], json::array({"en", "de"}));
}

TEST(CliLanguages, AnUnknownLanguageIsRefusedWithTheAvailableOnes) {
  const auto r = run_cxm({"model", "show", "--lang", "fr"});
  EXPECT_EQ(r.exit_status, 2);
  EXPECT_NE(r.err.find("cxm model show: --lang: the model 'cx-maturity' is not available in 'fr' "
                       "(available: en, de)"),
            std::string::npos)
      << r.err;
  EXPECT_EQ(r.out, "");
}

// A German LimeSurvey export with the statements' German text and German
// answer texts reads with the built-in model (tests/data/make_survey_exports.py).
TEST(CliLanguages, ImportReadsGermanAndFrenchLimeSurveyExports) {
  const std::string data = std::string(CXM_SOURCE_DIR) + "/tests/data/";
  const auto de = run_cxm({"import", "--mapping", "limesurvey", "--preview", "--json",
                           data + "limesurvey_export_de.csv"});
  ASSERT_EQ(de.exit_status, 0) << de.err;
  const json p = json::parse(de.out);
  EXPECT_EQ(p["respondents"], 3);
  EXPECT_EQ(p["items"].size(), 49u);
  EXPECT_EQ(p["respondent_column"], "Antwort ID");
  const auto fr = run_cxm({"import", "--mapping", "limesurvey", "--preview", "--json",
                           data + "limesurvey_export_fr.csv"});
  ASSERT_EQ(fr.exit_status, 0) << fr.err;
  const json q = json::parse(fr.out);
  EXPECT_EQ(q["respondents"], 2);
  EXPECT_EQ(q["respondent_column"], "ID de la réponse");
}

}  // namespace
}  // namespace cxm::testing
