// Comments over HTTP (SPEC sections 2, 4.9, 8; docs/anonymity.md
// "Comments"): saved with the answers, read back by their writer only; in
// an anonymous cycle shown only after a release and only for a competency
// at least k people who answered themselves commented on (imported rows
// never complete a group); hidden with a reason, never edited.
#include <gtest/gtest.h>

#include <fstream>
#include <nlohmann/json.hpp>
#include <sstream>

#include "server_fixture.h"

namespace cxm::testing {
namespace {

using nlohmann::json;

std::string comments_model() {
  std::ifstream in(std::string(CXM_SOURCE_DIR) + "/tests/data/comments-model.yaml");
  std::stringstream s;
  s << in.rdbuf();
  return s.str();
}

std::string base64(const std::string& bytes) {
  static const char* kAlphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
  std::string out;
  for (std::size_t i = 0; i < bytes.size(); i += 3) {
    unsigned n = static_cast<unsigned char>(bytes[i]) << 16;
    if (i + 1 < bytes.size()) n |= static_cast<unsigned char>(bytes[i + 1]) << 8;
    if (i + 2 < bytes.size()) n |= static_cast<unsigned char>(bytes[i + 2]);
    out += kAlphabet[(n >> 18) & 63];
    out += kAlphabet[(n >> 12) & 63];
    out += i + 1 < bytes.size() ? kAlphabet[(n >> 6) & 63] : '=';
    out += i + 2 < bytes.size() ? kAlphabet[n & 63] : '=';
  }
  return out;
}

class CommentsTest : public ServerTest {
 protected:
  const std::map<std::string, std::string> kJson = {{"Content-Type", "application/json"}};

  std::string cycle_with_comments(const std::string& org, bool anonymous) {
    const auto r = admin.send(
        "POST", "/api/orgs/" + org + "/cycles",
        json{{"name", "Spring"}, {"anonymous", anonymous}, {"model_yaml", comments_model()}}
            .dump());
    EXPECT_EQ(r.status, 201) << r.body;
    const std::string id = body_of(r)["id"];
    EXPECT_EQ(admin.send("POST", "/api/cycles/" + id + "/open").status, 200);
    return id;
  }
  HttpResult put(const std::string& token, const json& body) {
    return server->request("PUT", "/api/r/" + token + "/answers", body.dump(), kJson);
  }
  void answer(const std::string& token, const json& comments, bool submit = true) {
    const auto r = put(token, {{"answers", {{"L2", 4}, {"D2", 3}}}, {"comments", comments}});
    ASSERT_EQ(r.status, 200) << r.body;
    if (submit) {
      ASSERT_EQ(server->request("POST", "/api/r/" + token + "/submit", "", kJson).status, 200);
    }
  }
  json comments_of(const std::string& cycle) {
    const auto r = admin.get("/api/cycles/" + cycle + "/comments");
    EXPECT_EQ(r.status, 200) << r.body;
    return body_of(r);
  }
  static const json& competency(const json& body, const std::string& id) {
    for (const auto& c : body["competencies"]) {
      if (c["id"] == id) return c;
    }
    static const json none;
    return none;
  }
};

TEST_P(CommentsTest, TheParticipantSeesTheQuestionAndResumesTheirOwnComments) {
  const std::string org = create_org(admin, "Acme");
  const std::string cycle = cycle_with_comments(org, true);
  const std::string token = invite(admin, cycle, 1, "manager")[0];
  const auto before = body_of(server->request("GET", "/api/r/" + token));
  EXPECT_EQ(before["competencies"][0]["comment"], "What would help our leaders most?");
  EXPECT_TRUE(before["competencies"][2]["comment"].is_null());  // ops asks none
  // Comments alone, then with answers; an empty text deletes.
  ASSERT_EQ(put(token, {{"comments", {{"lead", "  Time to listen.\r\nAnd a budget. "}}}}).status,
            200);
  ASSERT_EQ(put(token, {{"answers", {{"L2", 4}}}, {"comments", {{"data", "Churn."}}}}).status, 200);
  ASSERT_EQ(put(token, {{"comments", {{"data", ""}}}}).status, 200);
  const auto own = body_of(server->request("GET", "/api/r/" + token));
  EXPECT_EQ(own["comments"], json({{"lead", "Time to listen.\nAnd a budget."}}));
  EXPECT_EQ(own["answers"]["L2"], 4);
  // Refusals name the competency.
  for (const auto& [comments, words] : std::vector<std::pair<json, std::string>>{
           {{{"nope", "x"}}, "comments.nope: unknown competency"},
           {{{"ops", "x"}}, "comments.ops: this competency asks no comment"},
           {{{"lead", 5}}, "comments.lead: must be text"},
           {{{"lead", std::string(2001, 'x')}}, "comments.lead: the comment is longer than 2000"},
           {{{"lead", "bell\a"}}, "comments.lead: the comment holds a control character"}}) {
    const auto r = put(token, {{"answers", json::object()}, {"comments", comments}});
    EXPECT_EQ(r.status, 422) << comments.dump();
    EXPECT_NE(body_of(r)["error"]["message"].get<std::string>().find(words), std::string::npos)
        << r.body;
  }
  EXPECT_EQ(body_of(server->request("GET", "/api/r/" + token))["comments"]["lead"],
            "Time to listen.\nAnd a budget.");
}

// The heart of it: before a release nothing; after, only a competency with
// k comments by people who answered themselves; an imported comment shows
// with the others but never completes a group; no role, unit or time.
TEST_P(CommentsTest, AnAnonymousCycleShowsCommentsOnlyAfterAReleaseAndFromKPeople) {
  const std::string org = create_org(admin, "Acme");
  const std::string cycle = cycle_with_comments(org, true);
  const auto tokens = invite(admin, cycle, 4, "manager");
  answer(tokens[0], {{"lead", "Lead comment one."}, {"data", "Data comment one."}});
  answer(tokens[1], {{"lead", "Lead comment two."}, {"data", "Data comment two."}});
  answer(tokens[2], {{"lead", "Lead comment three."}});
  answer(tokens[3], json::object());
  // Open, all submitted: nothing yet, and no text anywhere in the body.
  auto body = comments_of(cycle);
  EXPECT_FALSE(body["withheld"].is_null());
  for (const auto& c : body["competencies"]) {
    EXPECT_TRUE(c["comments"].empty());
    EXPECT_FALSE(c["withheld"].is_null());
  }
  EXPECT_EQ(body.dump().find("comment one"), std::string::npos);
  EXPECT_EQ(admin.get("/api/cycles/" + cycle + "/report").body.find("comment one"),
            std::string::npos);
  // An imported respondent's comment on data: a third comment, not a third
  // person who answered themselves.
  const std::string csv =
      "id,submitdate,CX[L2],CX[D2],data[comment]\n"
      "imp-1,2026-01-01,A4,A3,Imported data comment.\n";
  const auto imported = admin.send("POST", "/api/cycles/" + cycle + "/imports",
                                   json{{"file_name", "ls.csv"},
                                        {"csv_base64", base64(csv)},
                                        {"mapping", "limesurvey"},
                                        {"preview", false}}
                                       .dump());
  ASSERT_EQ(imported.status, 201) << imported.body;
  EXPECT_EQ(body_of(imported)["preview"]["comments"], 1);
  EXPECT_EQ(body_of(imported)["preview"]["comment_columns"][0]["competency"], "data");
  ASSERT_EQ(admin.send("POST", "/api/cycles/" + cycle + "/close").status, 200);

  body = comments_of(cycle);
  EXPECT_TRUE(body["withheld"].is_null());
  EXPECT_EQ(body["min_group_size"], 3);
  const json& lead = competency(body, "lead");
  ASSERT_EQ(lead["comments"].size(), 3u);
  EXPECT_TRUE(lead["withheld"].is_null());
  std::vector<std::string> texts;
  for (const auto& c : lead["comments"]) {
    texts.push_back(c["text"]);
    // Nothing but its id and text: no role, unit, time or person.
    EXPECT_EQ(c.size(), 2u) << c.dump();
  }
  EXPECT_NE(std::find(texts.begin(), texts.end(), "Lead comment two."), texts.end());
  const json& data = competency(body, "data");
  EXPECT_TRUE(data["comments"].empty());
  EXPECT_EQ(data["withheld"],
            "fewer than 3 people who answered themselves commented; comments are shown from 3 on");
  EXPECT_EQ(body.dump().find("Data comment"), std::string::npos);
  EXPECT_EQ(body.dump().find("Imported data comment"), std::string::npos);
  // The whole report carries the same; a role's report none at all.
  const json report = body_of(admin.get("/api/cycles/" + cycle + "/report"));
  ASSERT_TRUE(report.contains("comments")) << report.dump();
  EXPECT_EQ(report["comments"][0]["texts"].size(), 3u);
  EXPECT_EQ(report.dump().find("Data comment"), std::string::npos);
  const auto by_role = admin.get("/api/cycles/" + cycle + "/report?role=manager");
  EXPECT_EQ(by_role.body.find("Lead comment"), std::string::npos) << by_role.body;
}

TEST_P(CommentsTest, AFacilitatorHidesACommentWithAReasonAndNeverEditsIt) {
  const std::string org = create_org(admin, "Acme");
  const std::string cycle = cycle_with_comments(org, false);  // named: shown once submitted
  const auto tokens = invite(admin, cycle, 2, "manager");
  answer(tokens[0], {{"lead", "Bob in Support is the problem."}});
  answer(tokens[1], {{"lead", "More budget."}});
  auto body = comments_of(cycle);
  ASSERT_EQ(competency(body, "lead")["comments"].size(), 2u);
  std::string id;
  for (const auto& c : competency(body, "lead")["comments"]) {
    if (c["text"] == "Bob in Support is the problem.") id = c["id"];
  }
  ASSERT_FALSE(id.empty());
  const std::string hide = "/api/cycles/" + cycle + "/comments/" + id + "/hide";
  EXPECT_EQ(admin.send("POST", hide, "{}").status, 422);  // a reason is needed
  const auto hidden = admin.send("POST", hide, R"({"reason":"names a colleague"})");
  ASSERT_EQ(hidden.status, 200) << hidden.body;
  EXPECT_EQ(body_of(hidden)["reason"], "names a colleague");
  EXPECT_EQ(admin.send("POST", hide, R"({"reason":"again"})").status, 409);
  EXPECT_EQ(admin.send("POST", "/api/cycles/" + cycle + "/comments/nope/hide", R"({"reason":"x"})")
                .status,
            404);
  body = comments_of(cycle);
  const json& lead = competency(body, "lead");
  ASSERT_EQ(lead["comments"].size(), 1u);
  EXPECT_EQ(lead["comments"][0]["text"], "More budget.");
  EXPECT_EQ(lead["hidden"], json::array({{{"id", id}, {"reason", "names a colleague"}}}));
  EXPECT_EQ(body.dump().find("Bob in Support"), std::string::npos);
  // Nor in the report, its HTML or its workbook's CSV; each says that one
  // was hidden, and why.
  for (const char* suffix : {"/report", "/report.html", "/report.csv?table=comments"}) {
    const auto r = admin.get("/api/cycles/" + cycle + suffix);
    EXPECT_EQ(r.body.find("Bob in Support"), std::string::npos) << suffix;
    EXPECT_NE(r.body.find("names a colleague"), std::string::npos) << suffix;
  }
  const json report = body_of(admin.get("/api/cycles/" + cycle + "/report"));
  for (const auto& c : report["comments"]) {
    if (c["competency"] == "lead") {
      EXPECT_EQ(c["hidden"], json::array({"names a colleague"}));
    }
  }
  EXPECT_NE(admin.get("/api/cycles/" + cycle + "/report.html").body.find("More budget."),
            std::string::npos);
  // No route edits a comment: the participant's link is read-only now.
  EXPECT_EQ(put(tokens[0], {{"comments", {{"lead", "changed"}}}}).status, 409);
}

INSTANTIATE_TEST_SUITE_P(Databases, CommentsTest, ::testing::Values("sqlite", "postgresql"),
                         [](const auto& info) { return info.param; });

}  // namespace
}  // namespace cxm::testing
