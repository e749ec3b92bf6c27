// Participants answering in their language over HTTP (SPEC section 4.8):
// ?lang=, the link's stored choice, Accept-Language with q-values, the
// cycle's default; the choice kept with the link (PUT .../language); a
// workshop seat in its own language; answers kept by statement id. On
// SQLite and PostgreSQL.
#include <gtest/gtest.h>

#include <nlohmann/json.hpp>

#include "server_fixture.h"

namespace cxm::testing {
namespace {

using nlohmann::json;

const char* const kModel = R"(id: mini
version: "1"
title: Mini check
introduction: Think of the last six months.
scale: {min: 1, max: 2, labels: [No, Yes], dont_know: Don't know}
threshold: 60
roles:
  - {id: manager, name: Manager}
glossary:
  - {term: touchpoint, definition: A moment where a customer meets us.}
stages:
  - {number: 1, id: one, name: One, description: d1, obstacle: o1}
  - {number: 2, id: two, name: Two, description: d2, obstacle: o2}
competencies:
  - id: c
    name: Care
    description: How we care.
    comment: What would help customers most?
items:
  - {id: C1, competency: c, stage: 2, text: We care.}
  - {id: C2, competency: c, stage: 2, text: Every touchpoint is cared for.}
)";

const char* const kGerman = R"(language: de
model: mini
version: "1"
title: Mini-Check
introduction: Denken Sie an die letzten sechs Monate.
scale: {labels: [Nein, Ja], dont_know: Weiß nicht}
roles:
  manager: Führungskraft
glossary:
  touchpoint: {term: Touchpoint, definition: 'Ein Moment, in dem uns ein Kunde begegnet.'}
stages:
  one: {name: Eins, description: d1, obstacle: o1}
  two: {name: Zwei, description: d2, obstacle: o2}
competencies:
  c:
    name: Fürsorge
    description: Wie wir uns kümmern.
    comment: Was würde Kunden am meisten helfen?
items:
  C1: Wir kümmern uns.
  C2: Um jeden Touchpoint wird sich gekümmert.
)";

class ParticipantLanguages : public ServerTest {
 protected:
  // An open cycle of the mini model offering `languages` (the first the
  // default), without a title; returns its id.
  std::string cycle_in(const json& languages) {
    const std::string org = create_org(admin, "Müller & Söhne");
    const auto r = admin.send("POST", "/api/orgs/" + org + "/cycles",
                              json{{"name", "Both"},
                                   {"model_yaml", kModel},
                                   {"translations", {{"de", kGerman}}},
                                   {"languages", languages}}
                                  .dump());
    EXPECT_EQ(r.status, 201) << r.body;
    const std::string id = body_of(r)["id"];
    EXPECT_EQ(admin.send("POST", "/api/cycles/" + id + "/open").status, 200);
    return id;
  }
  json questionnaire(const std::string& token, const std::string& query = "",
                     const std::map<std::string, std::string>& headers = {}) {
    const auto r = http_request(server->port(), "GET", "/api/r/" + token + query, "", headers);
    EXPECT_EQ(r.status, 200) << r.body;
    return body_of(r);
  }
  HttpResult choose(const std::string& token, const std::string& body) {
    return http_request(server->port(), "PUT", "/api/r/" + token + "/language", body,
                        {{"Content-Type", "application/json"}});
  }
};

TEST_P(ParticipantLanguages, TheQuestionnaireComesInTheAskedLanguage) {
  const std::string cycle = cycle_in({"en", "de"});
  const std::string token = invite(admin, cycle, 1, "manager")[0];

  // Nothing asked: the cycle's default, with the languages it offers.
  json q = questionnaire(token);
  EXPECT_EQ(q["lang"], "en");
  EXPECT_EQ(q["languages"], json::parse(R"([{"lang":"en","name":"English"},
                                             {"lang":"de","name":"Deutsch"}])"));
  EXPECT_EQ(q["items"][1]["text"], "Every touchpoint is cared for.");
  EXPECT_EQ(q["cycle"]["title"], "Müller & Söhne customer-experience assessment");

  // ?lang=de: every text of the model in German, ids and numbers the same.
  q = questionnaire(token, "?lang=de");
  EXPECT_EQ(q["lang"], "de");
  EXPECT_EQ(q["items"][0], json::parse(R"({"id":"C1","competency":"c","text":"Wir kümmern uns.",
                                           "terms":[]})"));
  EXPECT_EQ(q["items"][1]["text"], "Um jeden Touchpoint wird sich gekümmert.");
  EXPECT_EQ(q["items"][1]["terms"], json::array({0}));
  EXPECT_EQ(q["competencies"][0]["name"], "Fürsorge");
  EXPECT_EQ(q["competencies"][0]["description"], "Wie wir uns kümmern.");
  EXPECT_EQ(q["competencies"][0]["comment"], "Was würde Kunden am meisten helfen?");
  EXPECT_EQ(q["scale"]["labels"], json::array({"Nein", "Ja"}));
  EXPECT_EQ(q["scale"]["dont_know"], "Weiß nicht");
  EXPECT_EQ(q["scale"]["min"], 1);
  EXPECT_EQ(q["introduction"], "Denken Sie an die letzten sechs Monate.");
  EXPECT_EQ(q["glossary"][0]["term"], "Touchpoint");
  EXPECT_EQ(q["glossary"][0]["definition"], "Ein Moment, in dem uns ein Kunde begegnet.");
  EXPECT_EQ(q["model"]["title"], "Mini-Check");
  EXPECT_EQ(q["cycle"]["title"], "Customer-Experience-Einschätzung bei Müller & Söhne");
  EXPECT_EQ(q["cycle"]["name"], q["cycle"]["title"]);

  // A language the cycle does not offer gives its default.
  EXPECT_EQ(questionnaire(token, "?lang=fr")["lang"], "en");
  EXPECT_EQ(questionnaire(token, "?lang=fr", {{"Accept-Language", "de"}})["lang"], "en");
}

TEST_P(ParticipantLanguages, AcceptLanguagePicksTheBestOfferedLanguage) {
  const std::string cycle = cycle_in({"en", "de"});
  const std::string token = invite(admin, cycle, 1, "manager")[0];
  const auto lang_for = [&](const std::string& accept) {
    return questionnaire(token, "", {{"Accept-Language", accept}})["lang"].get<std::string>();
  };
  EXPECT_EQ(lang_for("de"), "de");
  EXPECT_EQ(lang_for("de-AT"), "de");  // a regional variant matches its language
  EXPECT_EQ(lang_for("DE-ch, en;q=0.5"), "de");
  EXPECT_EQ(lang_for("fr-FR, fr;q=0.9, de;q=0.8, en;q=0.7"), "de");  // the best offered
  EXPECT_EQ(lang_for("en;q=0.4, de;q=0.9"), "de");                   // q-values, not order
  EXPECT_EQ(lang_for("de;q=0.3, en"), "en");                         // no q is 1
  EXPECT_EQ(lang_for("de;q=0, en;q=0.1"), "en");                     // q=0: not acceptable
  EXPECT_EQ(lang_for("de;q=0"), "en");
  EXPECT_EQ(lang_for("fr, it"), "en");  // nothing offered: the default
  EXPECT_EQ(lang_for("*"), "en");
  EXPECT_EQ(lang_for("de;q=abc, en;q=0.5"), "en");  // a malformed q is ignored
  EXPECT_EQ(lang_for(";;,,"), "en");
  // ?lang= wins over the browser.
  EXPECT_EQ(questionnaire(token, "?lang=en", {{"Accept-Language", "de"}})["lang"], "en");

  // A cycle whose default is German.
  const std::string german_first = cycle_in({"de", "en"});
  const std::string other = invite(admin, german_first, 1, "manager")[0];
  EXPECT_EQ(questionnaire(other)["lang"], "de");
  EXPECT_EQ(questionnaire(other, "", {{"Accept-Language", "en-GB,en;q=0.9"}})["lang"], "en");
  EXPECT_EQ(questionnaire(other, "", {{"Accept-Language", "es"}})["lang"], "de");

  // A cycle in English only offers one language and ignores German browsers.
  const std::string english = cycle_in({"en"});
  const std::string plain = invite(admin, english, 1, "manager")[0];
  json q = questionnaire(plain, "", {{"Accept-Language", "de"}});
  EXPECT_EQ(q["lang"], "en");
  EXPECT_EQ(q["languages"], json::parse(R"([{"lang":"en","name":"English"}])"));
  EXPECT_EQ(q["items"][0]["text"], "We care.");
}

TEST_P(ParticipantLanguages, TheChoiceStaysWithTheLink) {
  const std::string cycle = cycle_in({"en", "de"});
  const auto tokens = invite(admin, cycle, 2, "manager");
  const std::string token = tokens[0];

  auto r = choose(token, R"({"lang":"de"})");
  ASSERT_EQ(r.status, 200) << r.body;
  EXPECT_EQ(body_of(r)["lang"], "de");
  EXPECT_EQ(body_of(r)["languages"].size(), 2u);
  // The stored choice wins over the browser's; ?lang= over both.
  EXPECT_EQ(questionnaire(token)["lang"], "de");
  EXPECT_EQ(questionnaire(token, "", {{"Accept-Language", "en-US,en;q=0.9"}})["lang"], "de");
  EXPECT_EQ(questionnaire(token, "?lang=en")["lang"], "en");
  // Only this link's.
  EXPECT_EQ(questionnaire(tokens[1])["lang"], "en");
  // Changed back.
  ASSERT_EQ(choose(token, R"({"lang":"en"})").status, 200);
  EXPECT_EQ(questionnaire(token, "", {{"Accept-Language", "de"}})["lang"], "en");

  // A language the cycle does not offer, or no language: 422, nothing kept.
  r = choose(token, R"({"lang":"fr"})");
  EXPECT_EQ(r.status, 422) << r.body;
  EXPECT_EQ(body_of(r)["error"]["message"], "lang: this assessment is offered in en, de");
  EXPECT_EQ(choose(token, R"({"lang":""})").status, 422);
  EXPECT_EQ(choose(token, R"({"lang":7})").status, 422);
  EXPECT_EQ(choose(token, R"({})").status, 422);
  EXPECT_EQ(choose(token, "not json").status, 400);
  EXPECT_EQ(questionnaire(token)["lang"], "en");

  // A link that is not valid: 404, as for the questionnaire.
  EXPECT_EQ(choose(std::string(32, 'a'), R"({"lang":"de"})").status, 404);
  EXPECT_EQ(choose("short", R"({"lang":"de"})").status, 404);
  // A revoked link chooses nothing.
  const auto created =
      admin.send("POST", "/api/cycles/" + cycle + "/invitations",
                 json{{"count", 1}, {"role", "manager"}, {"unit", "Sales"}}.dump());
  ASSERT_EQ(created.status, 201) << created.body;
  const json invitation = body_of(created)["invitations"][0];
  ASSERT_EQ(admin
                .send("POST", "/api/cycles/" + cycle + "/invitations/" +
                                  invitation["id"].get<std::string>() + "/revoke")
                .status,
            200);
  EXPECT_EQ(choose(invitation["token"], R"({"lang":"de"})").status, 404);
}

TEST_P(ParticipantLanguages, AnswersSavedInGermanReadBackTheSameInEnglish) {
  const std::string cycle = cycle_in({"en", "de"});
  const std::string token = invite(admin, cycle, 1, "manager")[0];
  const std::string base = "/api/r/" + token;
  const int port = server->port();
  ASSERT_EQ(choose(token, R"({"lang":"de"})").status, 200);
  const auto started =
      http_request(port, "POST", base + "/claim", "{}", {{"Content-Type", "application/json"}});
  ASSERT_EQ(started.status, 200) << started.body;
  const std::string set = started.headers.at("set-cookie");
  const std::map<std::string, std::string> mine = {{"Content-Type", "application/json"},
                                                   {"Cookie", set.substr(0, set.find(';'))}};
  // Answered while reading German.
  ASSERT_EQ(questionnaire(token, "", mine)["lang"], "de");
  ASSERT_EQ(http_request(
                port, "PUT", base + "/answers",
                R"({"answers":{"C1":2,"C2":null},"comments":{"c":"Schneller antworten."}})", mine)
                .status,
            200);
  // Read back in English: the same answers by id.
  const json english = questionnaire(token, "?lang=en", mine);
  EXPECT_EQ(english["lang"], "en");
  EXPECT_EQ(english["answers"], json::parse(R"({"C1":2,"C2":null})"));
  EXPECT_EQ(english["comments"], json::parse(R"({"c":"Schneller antworten."})"));
  EXPECT_EQ(english["progress"]["answered"], 2);
  EXPECT_EQ(english["items"][0]["text"], "We care.");
  // Once started, only the browser that started the link keeps a choice
  // with it: whoever else holds the link (the facilitator holds every one)
  // cannot change the person's language.
  const auto other = choose(token, R"({"lang":"en"})");
  EXPECT_EQ(other.status, 403) << other.body;
  EXPECT_EQ(questionnaire(token, "", mine)["lang"], "de");
  // Choosing a language after submission is harmless.
  ASSERT_EQ(http_request(port, "POST", base + "/submit", "", mine).status, 200);
  EXPECT_EQ(http_request(port, "PUT", base + "/language", R"({"lang":"en"})", mine).status, 200);
  EXPECT_TRUE(questionnaire(token, "", mine)["submitted"].get<bool>());
}

TEST_P(ParticipantLanguages, AWorkshopSeatShowsTheRoomInItsLanguage) {
  const std::string cycle = cycle_in({"en", "de"});
  const auto started =
      admin.send("POST", "/api/cycles/" + cycle + "/workshops", R"({"pace":"statement"})");
  ASSERT_EQ(started.status, 201) << started.body;
  const std::string code = body_of(started)["code"];
  const auto phone = join_phone(server->port(), code);
  ASSERT_TRUE(phone);
  const std::string seat = "/api/r/" + phone->token + "/workshop";
  const auto room = [&](const std::map<std::string, std::string>& headers,
                        const std::string& query = "") {
    auto h = headers;
    h["Cookie"] = phone->cookie;
    const auto r = http_request(server->port(), "GET", seat + query, "", h);
    EXPECT_EQ(r.status, 200) << r.body;
    return body_of(r);
  };
  // In English, with the German words beside.
  json en = room({});
  EXPECT_EQ(en["lang"], "en");
  ASSERT_EQ(en["current"].size(), 1u);
  const std::string first = en["current"][0]["id"];
  EXPECT_EQ(en["scale"]["labels"], json::array({"No", "Yes"}));
  EXPECT_EQ(en["languages"].size(), 2u);
  ASSERT_TRUE(en["translations"].contains("de"));
  EXPECT_EQ(en["translations"]["de"]["scale"]["labels"], json::array({"Nein", "Ja"}));
  EXPECT_EQ(en["translations"]["de"]["current"][0]["id"], first);
  EXPECT_EQ(en["translations"]["de"]["current"][0]["competency"], "Fürsorge");
  EXPECT_EQ(en["translations"]["de"]["cycle_name"],
            "Customer-Experience-Einschätzung bei Müller & Söhne");
  EXPECT_FALSE(en["translations"].contains("en"));

  // A German phone: from its browser, then by its choice.
  json de = room({{"Accept-Language", "de-DE,de;q=0.9"}});
  EXPECT_EQ(de["lang"], "de");
  EXPECT_EQ(de["scale"]["dont_know"], "Weiß nicht");
  EXPECT_EQ(de["current"][0]["competency"], "Fürsorge");
  EXPECT_TRUE(de["translations"].contains("en"));
  EXPECT_EQ(room({}, "?lang=de")["lang"], "de");
  // The phone holds the seat's claim; nobody else changes its language.
  EXPECT_EQ(choose(phone->token, R"({"lang":"de"})").status, 403);
  const auto choose_on_phone = [&](const std::string& body) {
    return http_request(server->port(), "PUT", "/api/r/" + phone->token + "/language", body,
                        {{"Content-Type", "application/json"}, {"Cookie", phone->cookie}});
  };
  ASSERT_EQ(choose_on_phone(R"({"lang":"de"})").status, 200);
  EXPECT_EQ(room({{"Accept-Language", "en"}})["lang"], "de");
  EXPECT_EQ(choose_on_phone(R"({"lang":"fr"})").status, 422);
  // Answered in German, kept by id.
  ASSERT_EQ(phone->answer(1, {{first, 2}}).status, 200);
  EXPECT_EQ(room({}, "?lang=en")["answers"], json({{first, 2}}));
}

INSTANTIATE_TEST_SUITE_P(Databases, ParticipantLanguages, ::testing::Values("sqlite", "postgresql"),
                         [](const auto& info) { return info.param; });

}  // namespace
}  // namespace cxm::testing
