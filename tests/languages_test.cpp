// Cycles in several languages over HTTP (SPEC section 4.8): the languages a
// new cycle offers, chosen among its model's, changed while it is a draft
// and kept when it is repeated. On SQLite and PostgreSQL.
#include <gtest/gtest.h>

#include <nlohmann/json.hpp>

#include "server_fixture.h"

namespace cxm::testing {
namespace {

using nlohmann::json;

TEST_P(ServerTest, CyclesOfferTheirModelsLanguages) {
  const std::string org = create_org(admin, "Müller & Söhne");
  // By default a cycle offers the model's own language; the default model
  // also comes in German.
  auto r = admin.send("POST", "/api/orgs/" + org + "/cycles", json{{"name", "Plain"}}.dump());
  ASSERT_EQ(r.status, 201) << r.body;
  EXPECT_EQ(body_of(r)["languages"], json::array({"en"}));
  EXPECT_EQ(body_of(r)["model"]["language"], "en");
  EXPECT_EQ(body_of(r)["model"]["languages"], json::array({"en", "de"}));

  r = admin.send("POST", "/api/orgs/" + org + "/cycles",
                 json{{"name", "Both"}, {"languages", {"de", "en"}}}.dump());
  ASSERT_EQ(r.status, 201) << r.body;
  const std::string both = body_of(r)["id"];
  EXPECT_EQ(body_of(r)["languages"], json::array({"de", "en"}));  // German first: the default

  // A language the model does not come in, twice the same, or none.
  for (const json& languages : {json::array({"fr"}), json::array({"de", "de"}), json::array(),
                                json("de"), json::array({1})}) {
    r = admin.send("POST", "/api/orgs/" + org + "/cycles",
                   json{{"name", "Bad"}, {"languages", languages}}.dump());
    EXPECT_EQ(r.status, 422) << languages.dump() << r.body;
    EXPECT_NE(body_of(r)["error"]["message"].get<std::string>().find("languages:"),
              std::string::npos);
  }
  EXPECT_NE(
      body_of(admin.send("POST", "/api/orgs/" + org + "/cycles",
                         json{{"name", "Bad"}, {"languages", {"fr"}}}.dump()))["error"]["message"]
          .get<std::string>()
          .find("'fr' is not one of the model's languages (en, de)"),
      std::string::npos);

  // A draft changes its languages; an open cycle no longer does.
  r = admin.send("PATCH", "/api/cycles/" + both, json{{"languages", {"en"}}}.dump());
  ASSERT_EQ(r.status, 200) << r.body;
  EXPECT_EQ(body_of(admin.get("/api/cycles/" + both))["languages"], json::array({"en"}));
  r = admin.send("PATCH", "/api/cycles/" + both, json{{"languages", {"en", "de"}}}.dump());
  ASSERT_EQ(r.status, 200) << r.body;
  ASSERT_EQ(admin.send("POST", "/api/cycles/" + both + "/open").status, 200);
  r = admin.send("PATCH", "/api/cycles/" + both, json{{"languages", {"de"}}}.dump());
  EXPECT_EQ(r.status, 409) << r.body;
  EXPECT_EQ(body_of(admin.get("/api/cycles/" + both))["languages"], json::array({"en", "de"}));

  // The next cycle offers what this one did.
  ASSERT_EQ(admin.send("POST", "/api/cycles/" + both + "/close").status, 200);
  r = admin.send("POST", "/api/cycles/" + both + "/repeat", "{}");
  ASSERT_EQ(r.status, 201) << r.body;
  EXPECT_EQ(body_of(r)["cycle"]["languages"], json::array({"en", "de"}));
  EXPECT_EQ(body_of(r)["cycle"]["model"]["languages"], json::array({"en", "de"}));
}

TEST_P(ServerTest, ACustomModelBringsItsOwnTranslations) {
  const std::string org = create_org(admin, "Acme");
  const std::string model = R"(id: mini
version: "1"
title: Mini
scale: {min: 1, max: 2, labels: [No, Yes]}
threshold: 60
stages:
  - {number: 1, id: one, name: One, description: d1, obstacle: o1}
  - {number: 2, id: two, name: Two, description: d2, obstacle: o2}
competencies:
  - {id: c, name: Care}
items:
  - {id: C2, competency: c, stage: 2, text: We care.}
)";
  const std::string french = R"(language: fr
model: mini
version: "1"
title: Mini
scale: {labels: [Non, Oui]}
stages:
  one: {name: Un, description: d1, obstacle: o1}
  two: {name: Deux, description: d2, obstacle: o2}
competencies:
  c: {name: Soin}
items:
  C2: Nous prenons soin.
)";
  auto r = admin.send("POST", "/api/orgs/" + org + "/cycles",
                      json{{"name", "Custom"},
                           {"model_yaml", model},
                           {"translations", {{"fr", french}}},
                           {"languages", {"fr", "en"}}}
                          .dump());
  ASSERT_EQ(r.status, 201) << r.body;
  EXPECT_EQ(body_of(r)["model"]["languages"], json::array({"en", "fr"}));
  EXPECT_EQ(body_of(r)["languages"], json::array({"fr", "en"}));

  // A translation that misses a statement is named by line and column.
  const std::string missing = french.substr(0, french.find("items:")) + "items:\n  C9: x\n";
  r = admin.send(
      "POST", "/api/orgs/" + org + "/cycles",
      json{{"name", "Custom"}, {"model_yaml", model}, {"translations", {{"fr", missing}}}}.dump());
  EXPECT_EQ(r.status, 422) << r.body;
  EXPECT_EQ(
      body_of(r)["error"]["message"],
      "translations.fr: line 12, column 3: items: unknown statement 'C9'; did you mean 'C2'?");
  // Filed under another language than it says.
  r = admin.send(
      "POST", "/api/orgs/" + org + "/cycles",
      json{{"name", "Custom"}, {"model_yaml", model}, {"translations", {{"de", french}}}}.dump());
  EXPECT_EQ(r.status, 422) << r.body;
  // The default model brings its own.
  r = admin.send("POST", "/api/orgs/" + org + "/cycles",
                 json{{"name", "Default"}, {"translations", {{"fr", french}}}}.dump());
  EXPECT_EQ(r.status, 422) << r.body;
}

}  // namespace
}  // namespace cxm::testing
