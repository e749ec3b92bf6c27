// Reports in several languages over HTTP (SPEC section 4.8, issue 26): the
// languages respondents answered in, as counts that single out no one in
// an anonymous cycle (alone, beside the total, or beside the previous
// release), and the report read in any language the cycle offers. On
// SQLite and PostgreSQL.
#include <gtest/gtest.h>
#include <sqlite3.h>

#include <nlohmann/json.hpp>

#include "server_fixture.h"

namespace cxm::testing {
namespace {

using nlohmann::json;

const std::string kModel = R"(id: mini
version: "1"
title: Mini
scale: {min: 1, max: 5, labels: [Never, Rarely, Sometimes, Often, Always]}
threshold: 60
roles:
  - {id: manager, name: Manager}
  - {id: frontline, name: Frontline}
stages:
  - {number: 1, id: one, name: Ignore, description: d1, obstacle: o1}
  - {number: 2, id: two, name: Explore, description: d2, obstacle: o2}
competencies:
  - {id: care, name: Care}
  - {id: lead, name: Leadership}
items:
  - {id: C2, competency: care, stage: 2, text: We care for customers.}
  - {id: L2, competency: lead, stage: 2, text: Leaders talk about customers.}
)";

const std::string kGerman = R"(language: de
model: mini
version: "1"
title: Mini auf Deutsch
scale: {labels: [Nie, Selten, Manchmal, Oft, Immer]}
roles:
  manager: Führungskraft
  frontline: Kundenkontakt
stages:
  one: {name: Ignorieren, description: b1, obstacle: h1}
  two: {name: Erkunden, description: b2, obstacle: h2}
competencies:
  care: {name: Fürsorge}
  lead: {name: Führung}
items:
  C2: Wir kümmern uns um unsere Kundschaft.
  L2: Führungskräfte sprechen über die Kundschaft.
)";

class ReportLanguages : public ServerTest {
 protected:
  // An open cycle of the mini model in English (default) and German.
  std::string open_cycle(bool anonymous, int min_group = 3) {
    org = create_org(admin, "Müller & Söhne");
    const auto r = admin.send("POST", "/api/orgs/" + org + "/cycles",
                              json{{"name", "Frühjahr"},
                                   {"anonymous", anonymous},
                                   {"min_group_size", min_group},
                                   {"model_yaml", kModel},
                                   {"translations", {{"de", kGerman}}},
                                   {"languages", {"en", "de"}}}
                                  .dump());
    EXPECT_EQ(r.status, 201) << r.body;
    const std::string id = body_of(r)["id"];
    EXPECT_EQ(admin.send("POST", "/api/cycles/" + id + "/open").status, 200);
    return id;
  }
  // Writes the language each link chose, as the participant pages keep it.
  void set_lang(const std::string& cycle, const std::string& lang, const std::string& where) {
    const std::string sql = "UPDATE participants SET lang = '" + lang + "' WHERE cycle_id = '" +
                            cycle + "' AND " + where;
    if (db.rfind("sqlite:", 0) == 0) {
      sqlite3* handle = nullptr;
      ASSERT_EQ(sqlite3_open(db.substr(7).c_str(), &handle), SQLITE_OK);
      sqlite3_busy_timeout(handle, 10000);
      EXPECT_EQ(sqlite3_exec(handle, sql.c_str(), nullptr, nullptr, nullptr), SQLITE_OK);
      sqlite3_close(handle);
    } else {
      ASSERT_TRUE(shared_postgres().execute(db, sql));
    }
  }
  // `count` links of `role` chose `lang` ("" never chose) and submitted.
  void respond(const std::string& cycle, int count, const std::string& role,
               const std::string& lang) {
    const auto tokens = invite(admin, cycle, count, role);
    // The new links are the only ones not yet submitted.
    set_lang(cycle, lang, "lang = '' AND submitted_at IS NULL AND revoked = 0");
    for (const auto& token : tokens) {
      ASSERT_EQ(put_answers(token, {{"C2", 4}, {"L2", 3}}).status, 200);
      ASSERT_EQ(server->request("POST", "/api/r/" + token + "/submit").status, 200);
    }
  }
  json report(const std::string& cycle, const std::string& query = "") {
    const auto r = admin.get("/api/cycles/" + cycle + "/report" + query);
    EXPECT_EQ(r.status, 200) << r.body;
    return body_of(r);
  }
  std::string org;
};

TEST_P(ReportLanguages, CountsRespondentsByTheLanguageTheirLinkChose) {
  const std::string cycle = open_cycle(false, 1);
  respond(cycle, 2, "manager", "de");
  respond(cycle, 1, "manager", "en");
  respond(cycle, 1, "frontline", "");  // never chose: the cycle's default
  const json doc = report(cycle);
  EXPECT_EQ(doc["languages"], json::parse(R"([{"lang":"en","respondents":2},
                                              {"lang":"de","respondents":2}])"))
      << doc.dump();
  EXPECT_TRUE(doc["languages_note"].is_null());
  // Only the whole cycle's report: a role's view would cut finer.
  EXPECT_FALSE(report(cycle, "?role=manager").contains("languages"));
}

// What is counted is the language a link had when it submitted: choosing
// another afterwards (the seat of a workshop, the thank-you page) moves no
// published count.
TEST_P(ReportLanguages, ALanguageChosenAfterSubmissionMovesNoCount) {
  const std::string cycle = open_cycle(true, 3);
  const auto tokens = invite(admin, cycle, 3, "manager");
  respond(cycle, 3, "frontline", "en");
  for (const auto& token : tokens) {
    ASSERT_EQ(server
                  ->request("PUT", "/api/r/" + token + "/language", json{{"lang", "de"}}.dump(),
                            {{"Content-Type", "application/json"}})
                  .status,
              200);
    ASSERT_EQ(put_answers(token, {{"C2", 4}, {"L2", 3}}).status, 200);
    ASSERT_EQ(server->request("POST", "/api/r/" + token + "/submit").status, 200);
  }
  ASSERT_EQ(admin.send("POST", "/api/cycles/" + cycle + "/close").status, 200);
  const json before = report(cycle)["languages"];
  EXPECT_EQ(before, json::parse(R"([{"lang":"en","respondents":3},
                                    {"lang":"de","respondents":3}])"));
  ASSERT_EQ(server
                ->request("PUT", "/api/r/" + tokens[0] + "/language", json{{"lang", "en"}}.dump(),
                          {{"Content-Type", "application/json"}})
                .status,
            200);
  // Computed afresh (the German report is not cached yet): the same counts.
  EXPECT_EQ(report(cycle, "?lang=de")["languages"], before);
}

TEST_P(ReportLanguages, AnonymousCycleShowsNoLanguageOfFewerThanK) {
  const std::string cycle = open_cycle(true, 3);
  respond(cycle, 4, "manager", "en");
  respond(cycle, 1, "manager", "de");
  ASSERT_EQ(admin.send("POST", "/api/cycles/" + cycle + "/close").status, 200);
  const json doc = report(cycle);
  ASSERT_EQ(doc["respondents"], 5) << doc.dump();
  // German (1) is not shown alone; nor is English (4): the total (5)
  // minus it would be the one who answered in German.
  EXPECT_EQ(doc["languages"], json::array()) << doc.dump();
  const std::string note = doc["languages_note"];
  EXPECT_NE(note.find("each of its languages has at least 3 respondents"), std::string::npos)
      << note;
  EXPECT_EQ(doc.dump().find("\"respondents\":1"), std::string::npos) << doc.dump();
  EXPECT_EQ(doc.dump().find("\"respondents\":4"), std::string::npos) << doc.dump();
}

TEST_P(ReportLanguages, AnonymousCycleShowsLanguagesOfKOrMore) {
  const std::string cycle = open_cycle(true, 3);
  respond(cycle, 3, "manager", "en");
  respond(cycle, 3, "frontline", "de");
  ASSERT_EQ(admin.send("POST", "/api/cycles/" + cycle + "/close").status, 200);
  const json doc = report(cycle);
  EXPECT_EQ(doc["languages"], json::parse(R"([{"lang":"en","respondents":3},
                                              {"lang":"de","respondents":3}])"))
      << doc.dump();
  EXPECT_TRUE(doc["languages_note"].is_null());
}

// A second release of 3 (2 English, 1 German) after 3 + 3: shown per
// language, German would go from 3 to 4, revealing that the one new German
// answer is among the 3 new people; so the languages are hidden in
// release 2, with the reason.
TEST_P(ReportLanguages, ANewReleaseRevealsNoOneByDifference) {
  const std::string cycle = open_cycle(true, 3);
  respond(cycle, 3, "manager", "en");
  respond(cycle, 3, "frontline", "de");
  ASSERT_EQ(admin.send("POST", "/api/cycles/" + cycle + "/close").status, 200);
  EXPECT_EQ(report(cycle)["languages"].size(), 2u);
  ASSERT_EQ(admin.send("POST", "/api/cycles/" + cycle + "/open").status, 200);
  respond(cycle, 2, "manager", "en");
  respond(cycle, 1, "manager", "de");
  ASSERT_EQ(admin.send("POST", "/api/cycles/" + cycle + "/close").status, 200);
  const json doc = report(cycle);
  ASSERT_EQ(doc["anonymity"]["release"], 2) << doc.dump();
  for (const auto& l : doc["languages"]) {
    // Whatever is shown differs from release 1 by 0 or at least 3.
    const int before = l["lang"] == "en" ? 3 : l["lang"] == "de" ? 3 : 0;
    const int change = l["respondents"].get<int>() - before;
    EXPECT_TRUE(change == 0 || change >= 3) << doc.dump();
  }
  EXPECT_TRUE(doc["languages_note"].is_string()) << doc.dump();
}

// English 3, German 2, French 1 with k = 3: German and French are too
// small alone; together they would be 3, but "other" beside the total
// would still tell which small languages were used: nothing is shown.
TEST_P(ReportLanguages, SmallLanguagesHideTheWholeBreakdown) {
  // Three languages need a model with three: French comes as a second
  // translation.
  org = create_org(admin, "Acme");
  std::string french = kGerman;
  french.replace(french.find("language: de"), 12, "language: fr");
  const auto r = admin.send("POST", "/api/orgs/" + org + "/cycles",
                            json{{"name", "Trois"},
                                 {"anonymous", true},
                                 {"min_group_size", 3},
                                 {"model_yaml", kModel},
                                 {"translations", {{"de", kGerman}, {"fr", french}}},
                                 {"languages", {"en", "de", "fr"}}}
                                .dump());
  ASSERT_EQ(r.status, 201) << r.body;
  const std::string cycle = body_of(r)["id"];
  ASSERT_EQ(admin.send("POST", "/api/cycles/" + cycle + "/open").status, 200);
  respond(cycle, 3, "manager", "en");
  respond(cycle, 2, "manager", "de");
  respond(cycle, 1, "frontline", "fr");
  ASSERT_EQ(admin.send("POST", "/api/cycles/" + cycle + "/close").status, 200);
  const json doc = report(cycle);
  EXPECT_EQ(doc["languages"], json::array()) << doc.dump();
  const std::string note = doc["languages_note"];
  EXPECT_EQ(note.find("German"), std::string::npos) << note;
  EXPECT_EQ(note.find("French"), std::string::npos) << note;
}

// The curious facilitator sets one person's link to German (they hold
// every link) and reads the report: it must look the same whether that
// person submitted or not. A language nobody answered in is a group below
// k, as one person is.
TEST_P(ReportLanguages, TheBreakdownDoesNotTellWhetherTheOneGermanSpeakerAnswered) {
  std::vector<json> seen;
  for (const bool submits : {true, false}) {
    const std::string cycle = open_cycle(true, 3);
    const auto target = invite(admin, cycle, 1, "manager").front();
    ASSERT_EQ(server
                  ->request("PUT", "/api/r/" + target + "/language", json{{"lang", "de"}}.dump(),
                            {{"Content-Type", "application/json"}})
                  .status,
              200);
    if (submits) {
      ASSERT_EQ(put_answers(target, {{"C2", 4}, {"L2", 3}}).status, 200);
      ASSERT_EQ(server->request("POST", "/api/r/" + target + "/submit").status, 200);
    }
    respond(cycle, 6, "frontline", "en");
    ASSERT_EQ(admin.send("POST", "/api/cycles/" + cycle + "/close").status, 200);
    const json doc = report(cycle);
    seen.push_back({doc["languages"], doc["languages_note"]});
  }
  EXPECT_EQ(seen[0], seen[1]);
  EXPECT_EQ(seen[0][0], json::array());
}

TEST_P(ReportLanguages, ReadsInAnyOfferedLanguage) {
  const std::string cycle = open_cycle(false, 1);
  respond(cycle, 2, "manager", "de");
  const json english = report(cycle);
  EXPECT_EQ(english["lang"], "en");
  EXPECT_EQ(english["competencies"][0]["name"], "Care");
  const json german = report(cycle, "?lang=de");
  EXPECT_EQ(german["lang"], "de");
  EXPECT_EQ(german["competencies"][0]["name"], "Fürsorge");
  EXPECT_EQ(german["competencies"][1]["name"], "Führung");
  EXPECT_EQ(german["languages"][0]["lang"], "de");
  // The English report is not the German one from the cache.
  EXPECT_EQ(report(cycle)["competencies"][0]["name"], "Care");
  // A role's view names the role in German too.
  EXPECT_EQ(report(cycle, "?role=manager&lang=de")["competencies"][0]["name"], "Fürsorge");

  // A language the cycle does not offer: 422 naming those it does, on
  // every form of the report.
  for (const std::string path : {"/report", "/report.html", "/report.xlsx", "/report.md",
                                 "/report.csv?table=competencies&"}) {
    const std::string url =
        "/api/cycles/" + cycle + path + (path.back() == '&' ? "lang=fr" : "?lang=fr");
    const auto r = admin.get(url);
    EXPECT_EQ(r.status, 422) << url << r.body;
    EXPECT_NE(r.body.find("not offered in 'fr'; it is in en, de"), std::string::npos) << r.body;
  }

  // The printable page in German: its own words and the model's.
  const auto html = admin.get("/api/cycles/" + cycle + "/report.html?lang=de");
  ASSERT_EQ(html.status, 200) << html.body;
  EXPECT_NE(html.body.find("<html lang=\"de\">"), std::string::npos);
  EXPECT_NE(html.body.find("Zusammenfassung"), std::string::npos);
  EXPECT_NE(html.body.find("Fürsorge"), std::string::npos);
  EXPECT_NE(html.body.find("Sprachen der Antworten: Deutsch 2."), std::string::npos);
  EXPECT_EQ(html.body.find("<h2>Summary</h2>"), std::string::npos);
  // Markdown in German, with a decimal comma; in English by default.
  const auto md = admin.get("/api/cycles/" + cycle + "/report.md?lang=de");
  ASSERT_EQ(md.status, 200) << md.body;
  EXPECT_NE(md.body.find("## Kompetenzen"), std::string::npos) << md.body;
  EXPECT_NE(md.body.find("| Fürsorge"), std::string::npos) << md.body;
  EXPECT_NE(admin.get("/api/cycles/" + cycle + "/report.md").body.find("## Competencies"),
            std::string::npos);
  // The CSV tables carry the model's texts in German too.
  const auto csv = admin.get("/api/cycles/" + cycle + "/report.csv?table=competencies&lang=de");
  ASSERT_EQ(csv.status, 200) << csv.body;
  EXPECT_NE(csv.body.find("Fürsorge"), std::string::npos) << csv.body;
}

INSTANTIATE_TEST_SUITE_P(Databases, ReportLanguages, ::testing::Values("sqlite", "postgresql"),
                         [](const auto& info) { return info.param; });

}  // namespace
}  // namespace cxm::testing
