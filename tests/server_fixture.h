// The fixture of the tests that drive the real `cxm serve` over HTTP
// (tests/*_test.cpp beside this file): a fresh server on SQLite or on
// PostgreSQL, an administrator, and helpers for organizations, cycles,
// links, answers and workshop phones.
#pragma once

#include <gtest/gtest.h>

#include <map>
#include <memory>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <vector>

#include "postgres_cluster.h"
#include "run_process.h"
#include "server_process.h"

namespace cxm::testing {

inline nlohmann::json body_of(const HttpResult& r) { return nlohmann::json::parse(r.body); }

// Every test runs on SQLite and on PostgreSQL (tests/postgres_cluster.h).
class ServerTest : public ::testing::TestWithParam<std::string> {
 protected:
  TempDir dir;
  std::string db = test_database(GetParam(), dir.path());
  std::unique_ptr<ServerProcess> server = std::make_unique<ServerProcess>(db);
  Client admin{*server};

  void SetUp() override {
    ASSERT_EQ(admin.setup("lead@example.org", "correct horse battery"), 201);
  }

  std::string create_org(const Client& who, const std::string& name) {
    const auto r = who.send("POST", "/api/orgs",
                            nlohmann::json{{"name", name}, {"units", {"Sales", "Support"}}}.dump());
    EXPECT_EQ(r.status, 201) << r.body;
    return body_of(r)["id"];
  }
  // Anonymous cycles show results only once closed (docs/anonymity.md):
  // tests of live results use a cycle that is not anonymous.
  std::string create_open_cycle(const Client& who, const std::string& org, bool anonymous = true) {
    const auto r = who.send("POST", "/api/orgs/" + org + "/cycles",
                            nlohmann::json{{"name", "Spring"}, {"anonymous", anonymous}}.dump());
    EXPECT_EQ(r.status, 201) << r.body;
    const std::string id = body_of(r)["id"];
    EXPECT_EQ(who.send("POST", "/api/cycles/" + id + "/open").status, 200);
    return id;
  }
  std::vector<std::string> invite(const Client& who, const std::string& cycle, int count,
                                  const std::string& role) {
    const auto r =
        who.send("POST", "/api/cycles/" + cycle + "/invitations",
                 nlohmann::json{{"count", count}, {"role", role}, {"unit", "Sales"}}.dump());
    EXPECT_EQ(r.status, 201) << r.body;
    std::vector<std::string> tokens;
    if (r.status != 201)
      return std::vector<std::string>(static_cast<std::size_t>(count), "invitation-failed");
    const nlohmann::json created = body_of(r);
    for (const auto& i : created["invitations"]) tokens.push_back(i["token"]);
    return tokens;
  }
  HttpResult put_answers(const std::string& token, const nlohmann::json& answers) {
    return server->request("PUT", "/api/r/" + token + "/answers",
                           nlohmann::json{{"answers", answers}}.dump(),
                           {{"Content-Type", "application/json"}});
  }
};

// A phone in a live workshop: joined with the room's code, holding the
// claim cookie of the link the join minted (the join's last Set-Cookie;
// a first join also sets the browser's device cookie before it). Each
// phone is a browser of its own: it sends no device cookie to the join.
struct Phone {
  int port = 0;
  std::string token;
  std::string cookie;

  HttpResult answer(int round, const nlohmann::json& answers, bool with_cookie = true) const {
    std::map<std::string, std::string> headers = {{"Content-Type", "application/json"}};
    if (with_cookie) headers["Cookie"] = cookie;
    return http_request(port, "PUT", "/api/r/" + token + "/workshop/answers",
                        nlohmann::json{{"round", round}, {"answers", answers}}.dump(), headers);
  }
  nlohmann::json room() const {
    return nlohmann::json::parse(
        http_request(port, "GET", "/api/r/" + token + "/workshop", "", {{"Cookie", cookie}}).body);
  }
};

inline HttpResult join_with(int port, const std::string& code) {
  return http_request(port, "POST", "/api/join", nlohmann::json{{"code", code}}.dump(),
                      {{"Content-Type", "application/json"}});
}

inline std::optional<Phone> join_phone(int port, const std::string& code) {
  const auto r = join_with(port, code);
  if (r.status != 200 || !r.headers.contains("set-cookie")) return std::nullopt;
  const std::string set = r.headers.at("set-cookie");
  return Phone{port, nlohmann::json::parse(r.body)["token"], set.substr(0, set.find(';'))};
}

}  // namespace cxm::testing
