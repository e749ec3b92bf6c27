// The user's language for the application's pages (SPEC section 4.8):
// PUT /api/session/language {lang} stores "en", "de" or "" (follow the
// browser) in users.lang; GET /api/session and every new session say it;
// anything else is refused with 422 and changes nothing.
#include <gtest/gtest.h>

#include <chrono>
#include <nlohmann/json.hpp>
#include <thread>

#include "server_fixture.h"

namespace cxm::testing {
namespace {

using nlohmann::json;

class UserLanguageTest : public ServerTest {
 protected:
  HttpResult choose(const Client& client, const json& body) {
    return client.send("PUT", "/api/session/language", body.dump());
  }
  json session_lang(const Client& client) { return body_of(client.get("/api/session"))["lang"]; }
};

TEST_P(UserLanguageTest, TheChoiceIsStoredAndSaidByEverySession) {
  // Nothing chosen yet: follow the browser.
  EXPECT_EQ(session_lang(admin), "");

  const auto chosen = choose(admin, {{"lang", "de"}});
  ASSERT_EQ(chosen.status, 200) << chosen.body;
  EXPECT_EQ(body_of(chosen), json({{"lang", "de"}}));
  EXPECT_EQ(session_lang(admin), "de");

  // Another session of the same user, and a log-in, say it too.
  Client again(*server);
  ASSERT_EQ(again.login("lead@example.org", "correct horse battery"), 200);
  EXPECT_EQ(session_lang(again), "de");

  // Back to the browser's language.
  ASSERT_EQ(choose(again, {{"lang", ""}}).status, 200);
  EXPECT_EQ(session_lang(admin), "");
  ASSERT_EQ(choose(admin, {{"lang", "en"}}).status, 200);
  EXPECT_EQ(session_lang(again), "en");
}

TEST_P(UserLanguageTest, OnlyTheApplicationsLanguagesAreAccepted) {
  ASSERT_EQ(choose(admin, {{"lang", "de"}}).status, 200);
  for (const json& body :
       {json{{"lang", "fr"}}, json{{"lang", "DE"}}, json{{"lang", "de-AT"}}, json{{"lang", 7}},
        json{{"lang", nullptr}}, json::object(), json{{"language", "en"}}}) {
    const auto refused = choose(admin, body);
    EXPECT_EQ(refused.status, 422) << body.dump() << " " << refused.body;
    EXPECT_EQ(body_of(refused)["error"]["code"], "invalid") << body.dump();
  }
  EXPECT_EQ(session_lang(admin), "de");  // unchanged
}

TEST_P(UserLanguageTest, EachUserHasTheirOwnAndStrangersNone) {
  const auto added = run_cxm({"user", "add", "--db", db, "--email", "other@example.org"},
                             "another long password\n");
  ASSERT_EQ(added.exit_status, 0) << added.err;
  Client other(*server);
  ASSERT_EQ(other.login("other@example.org", "another long password"), 200);
  ASSERT_EQ(choose(other, {{"lang", "de"}}).status, 200);
  EXPECT_EQ(session_lang(other), "de");
  EXPECT_EQ(session_lang(admin), "");

  // Without a session: 401; with a forged cookie and no CSRF token: 401 too.
  EXPECT_EQ(server
                ->request("PUT", "/api/session/language", R"({"lang":"de"})",
                          {{"Content-Type", "application/json"}})
                .status,
            401);
  EXPECT_EQ(server
                ->request("PUT", "/api/session/language", R"({"lang":"de"})",
                          {{"Content-Type", "application/json"}, {"Cookie", "cxm_session=forged"}})
                .status,
            401);
}

// Two processes on one database: a session cached in one says the choice
// made through the other at once, not when its cache expires.
TEST_P(UserLanguageTest, AnotherProcessSaysTheNewChoiceAtOnce) {
  ServerProcess second(db);
  Client admin_b(second);
  ASSERT_EQ(admin_b.login("lead@example.org", "correct horse battery"), 200);
  EXPECT_EQ(session_lang(admin_b), "");  // cached in the second process now
  ASSERT_EQ(choose(admin, {{"lang", "de"}}).status, 200);
  bool seen = false;
  for (int attempt = 0; attempt < 100 && !seen; ++attempt) {
    seen = session_lang(admin_b) == "de";
    if (!seen) std::this_thread::sleep_for(std::chrono::milliseconds(20));
  }
  EXPECT_TRUE(seen);
}

INSTANTIATE_TEST_SUITE_P(Databases, UserLanguageTest, ::testing::Values("sqlite", "postgresql"),
                         [](const auto& info) { return info.param; });

}  // namespace
}  // namespace cxm::testing
