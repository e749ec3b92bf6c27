// E-mail end to end (SPEC section 4.7): a real `cxm serve` sends
// invitations and reminders through a real SMTP server on loopback; the
// test reads each message, follows its link, answers, and checks who is
// reminded; failing servers; two processes sharing one outbox; cycles that
// open and close on their dates. On SQLite and on PostgreSQL.
#include <gtest/gtest.h>

#include <chrono>
#include <map>
#include <nlohmann/json.hpp>
#include <set>
#include <thread>

#include "postgres_cluster.h"
#include "run_process.h"
#include "server_process.h"
#include "smtp_sink.h"

namespace cxm::testing {
namespace {

using nlohmann::json;

json body_of(const HttpResult& r) { return json::parse(r.body); }

std::int64_t now_ms() {
  return std::chrono::duration_cast<std::chrono::milliseconds>(
             std::chrono::system_clock::now().time_since_epoch())
      .count();
}

std::vector<std::string> mail_args(const SmtpSink& sink, std::vector<std::string> more = {}) {
  std::vector<std::string> args = {
      "--smtp",
      "smtp://127.0.0.1:" + std::to_string(sink.port()) + "?security=none",
      "--mail-from",
      "cxm@example.com",
      "--public-url",
      "http://cxm.example.com/",
      "--mail-rate",
      "6000",
      "--mail-retry",
      "1",
      "--smtp-timeout",
      "3",
      "--scheduler-interval",
      "1"};
  args.insert(args.end(), more.begin(), more.end());
  return args;
}

ServerProcessOptions serve_options(std::vector<std::string> args, const std::string& log = "") {
  ServerProcessOptions options;
  options.extra_args = std::move(args);
  options.log_file = log;
  return options;
}

// Waits until `check` holds (or 20 s): the outbox drains on its own thread.
template <class Check>
bool eventually(Check check, int timeout_ms = 20000) {
  const auto deadline = std::chrono::steady_clock::now() + std::chrono::milliseconds(timeout_ms);
  while (!check()) {
    if (std::chrono::steady_clock::now() >= deadline) return false;
    std::this_thread::sleep_for(std::chrono::milliseconds(100));
  }
  return true;
}

class MailTest : public ::testing::TestWithParam<std::string> {
 protected:
  TempDir dir;
  std::string db = test_database(GetParam(), dir.path());

  std::string setup_org(Client& admin) {
    EXPECT_EQ(admin.setup("lead@example.org", "correct horse battery"), 201);
    const auto r = admin.send("POST", "/api/orgs",
                              json{{"name", "Helios AG"}, {"units", {"Sales", "Support"}}}.dump());
    EXPECT_EQ(r.status, 201) << r.body;
    return body_of(r)["id"];
  }
  std::string open_cycle(const Client& who, const std::string& org,
                         json settings = json::object()) {
    settings["name"] = "Spring";
    const auto r = who.send("POST", "/api/orgs/" + org + "/cycles", settings.dump());
    EXPECT_EQ(r.status, 201) << r.body;
    const std::string id = body_of(r)["id"];
    EXPECT_EQ(who.send("POST", "/api/cycles/" + id + "/open").status, 200);
    return id;
  }
  static json people(int count, const std::string& prefix = "person") {
    json list = json::array();
    for (int i = 0; i < count; ++i) {
      list.push_back({{"name", "Person " + std::to_string(i)},
                      {"email", prefix + std::to_string(i) + "@example.org"},
                      {"role", i % 2 ? "frontline" : "executive"},
                      {"unit", i % 2 ? "Sales" : "Support"}});
    }
    return list;
  }
  // Answers every statement and submits, through the link of a message.
  static void answer_and_submit(const ServerProcess& server, const std::string& token) {
    const auto form = server.request("GET", "/api/r/" + token);
    ASSERT_EQ(form.status, 200) << form.body;
    json answers = json::object();
    const json items = body_of(form)["items"];
    for (const auto& item : items) answers[item["id"].get<std::string>()] = 3;
    const auto put =
        server.request("PUT", "/api/r/" + token + "/answers", json{{"answers", answers}}.dump(),
                       {{"Content-Type", "application/json"}});
    ASSERT_EQ(put.status, 200) << put.body;
    const auto submitted = server.request("POST", "/api/r/" + token + "/submit");
    ASSERT_EQ(submitted.status, 200) << submitted.body;
  }
};

TEST_P(MailTest, InvitedPeopleFollowTheirLinkAndOnlyThoseWhoHaveNotSubmittedAreReminded) {
  SmtpSink sink;
  ServerProcess server(db, serve_options(mail_args(sink), dir.path() + "/server.log"));
  Client admin(server);
  const auto org = setup_org(admin);
  const auto cycle = open_cycle(admin, org);

  const auto created = admin.send("POST", "/api/cycles/" + cycle + "/invitations",
                                  json{{"people", people(4)}, {"send", true}}.dump());
  ASSERT_EQ(created.status, 201) << created.body;
  EXPECT_EQ(body_of(created)["queued"], 4);
  const json created_links = body_of(created)["invitations"];
  for (const auto& i : created_links) {
    EXPECT_FALSE(i.contains("token")) << "a mailed link goes only to its person";
    EXPECT_EQ(i["invitation"], "queued");
  }
  auto received = sink.wait_for(4);
  ASSERT_EQ(received.size(), 4u);
  std::map<std::string, std::string> token_of;  // by address
  for (const auto& m : received) {
    const std::string text = decoded_text(m.raw);
    EXPECT_NE(text.find("http://cxm.example.com/r/"), std::string::npos) << "absolute link";
    EXPECT_NE(m.raw.find("Helios AG"), std::string::npos);
    token_of[m.to] = link_token(m.raw);
    EXPECT_EQ(token_of[m.to].size(), 32u);
  }
  ASSERT_EQ(token_of.size(), 4u) << "one message per person";

  // The link of the message opens the questionnaire, which says it was mailed.
  const auto form = server.request("GET", "/api/r/" + token_of["person0@example.org"]);
  ASSERT_EQ(form.status, 200);
  EXPECT_TRUE(body_of(form)["invited_by_email"]);
  answer_and_submit(server, token_of["person0@example.org"]);
  answer_and_submit(server, token_of["person1@example.org"]);

  // An anonymous cycle: nobody's own progress in the list.
  const json invitations =
      body_of(admin.get("/api/cycles/" + cycle + "/invitations"))["invitations"];
  for (const auto& i : invitations) {
    EXPECT_TRUE(i["submitted"].is_null());
    EXPECT_EQ(i["invitation"], "sent");
  }

  // An anonymous cycle says why it counts no reminders.
  const auto reminded = admin.send("POST", "/api/cycles/" + cycle + "/reminders");
  ASSERT_EQ(reminded.status, 200) << reminded.body;
  EXPECT_TRUE(body_of(reminded)["queued"].is_null());
  EXPECT_NE(body_of(reminded)["hidden"].get<std::string>().find("who has not answered"),
            std::string::npos);
  received = sink.wait_for(6);
  ASSERT_EQ(received.size(), 6u);
  std::set<std::string> reminded_to;
  for (std::size_t i = 4; i < received.size(); ++i) {
    reminded_to.insert(received[i].to);
    EXPECT_EQ(link_token(received[i].raw), token_of[received[i].to]) << "the same link again";
  }
  EXPECT_EQ(reminded_to, (std::set<std::string>{"person2@example.org", "person3@example.org"}));
  // Not twice within 12 hours.
  admin.send("POST", "/api/cycles/" + cycle + "/reminders");
  std::this_thread::sleep_for(std::chrono::milliseconds(1500));
  EXPECT_EQ(sink.received().size(), 6u);

  // The outbox of an anonymous cycle lists and counts invitations alone.
  const auto box = body_of(admin.get("/api/cycles/" + cycle + "/outbox"));
  EXPECT_EQ(box["invitations"]["sent"], 4);
  EXPECT_TRUE(box["reminders"].is_null());
  EXPECT_TRUE(box["counts"].is_null());
  EXPECT_FALSE(box["reminders_hidden"].is_null());
  for (const auto& m : box["messages"]) EXPECT_EQ(m["kind"], "invitation");

  // The curious facilitator invites one person alone and reminds at once:
  // what they see is the same whether that person has submitted or not.
  auto one_late = [&](const std::string& who, bool submits) {
    const json person = {{{"name", who}, {"email", who + "@example.org"}}};
    EXPECT_EQ(admin
                  .send("POST", "/api/cycles/" + cycle + "/invitations",
                        json{{"people", person}, {"send", true}}.dump())
                  .status,
              201);
    const auto got = sink.wait_for(sink.received().size() + 1);
    if (submits) answer_and_submit(server, link_token(got.back().raw));
    const auto answer = admin.send("POST", "/api/cycles/" + cycle + "/reminders");
    std::this_thread::sleep_for(std::chrono::milliseconds(1500));
    json seen = body_of(admin.get("/api/cycles/" + cycle + "/outbox"));
    seen.erase("messages");     // each invitation, sent to everyone alike
    seen.erase("invitations");  // one more each time, whoever it is
    seen.erase("recipients");
    return std::pair{answer.body, seen.dump()};
  };
  const auto carol = one_late("carol", true);
  const auto dave = one_late("dave", false);
  EXPECT_EQ(carol, dave);

  // Closing erases the addresses; nothing more can be sent.
  ASSERT_EQ(admin.send("POST", "/api/cycles/" + cycle + "/close").status, 200);
  const auto closed = body_of(admin.get("/api/cycles/" + cycle + "/outbox"));
  EXPECT_EQ(closed["recipients"], 0);
  for (const auto& m : closed["messages"]) EXPECT_TRUE(m["email"].is_null());
  EXPECT_EQ(admin.send("POST", "/api/cycles/" + cycle + "/reminders").status, 409);
}

// Messages in the recipient's language (SPEC section 4.8): the cycle's
// default until the person chooses another on the welcome page.
TEST_P(MailTest, MessagesAreInTheCyclesLanguageUntilThePersonChoosesAnother) {
  SmtpSink sink;
  ServerProcess server(db, serve_options(mail_args(sink), dir.path() + "/server.log"));
  Client admin(server);
  const auto org = setup_org(admin);
  const auto cycle = open_cycle(admin, org, {{"languages", {"de", "en"}}});
  ASSERT_EQ(admin
                .send("POST", "/api/cycles/" + cycle + "/invitations",
                      json{{"people", people(2)}, {"send", true}}.dump())
                .status,
            201);
  auto received = sink.wait_for(2);
  ASSERT_EQ(received.size(), 2u);
  std::map<std::string, std::string> token_of;
  for (const auto& m : received) {
    const std::string text = decoded_text(m.raw);
    EXPECT_NE(text.find("Guten Tag Person"), std::string::npos) << text;
    EXPECT_NE(text.find("Customer-Experience-Einschätzung bei Helios AG"), std::string::npos);
    EXPECT_EQ(text.find("Hello"), std::string::npos);
    token_of[m.to] = link_token(m.raw);
  }
  // Person 1 reads English.
  const auto chose =
      server.request("PUT", "/api/r/" + token_of["person1@example.org"] + "/language",
                     json{{"lang", "en"}}.dump(), {{"Content-Type", "application/json"}});
  ASSERT_EQ(chose.status, 200) << chose.body;
  ASSERT_EQ(admin.send("POST", "/api/cycles/" + cycle + "/reminders").status, 200);
  received = sink.wait_for(4);
  ASSERT_EQ(received.size(), 4u);
  for (std::size_t i = 2; i < 4; ++i) {
    const std::string text = decoded_text(received[i].raw);
    if (received[i].to == "person1@example.org") {
      EXPECT_NE(text.find("A short reminder"), std::string::npos) << text;
    } else {
      EXPECT_NE(text.find("Eine kurze Erinnerung"), std::string::npos) << text;
    }
  }
}

TEST_P(MailTest, ANamedCycleShowsEachMessageAndWhoHasAnswered) {
  SmtpSink sink;
  ServerProcess server(db, serve_options(mail_args(sink), dir.path() + "/server.log"));
  Client admin(server);
  const auto org = setup_org(admin);
  const auto cycle = open_cycle(admin, org, {{"anonymous", false}});
  ASSERT_EQ(admin
                .send("POST", "/api/cycles/" + cycle + "/invitations",
                      json{{"people", people(2)}, {"send", true}}.dump())
                .status,
            201);
  const auto received = sink.wait_for(2);
  ASSERT_EQ(received.size(), 2u);
  for (const auto& m : received)
    if (m.to == "person0@example.org") answer_and_submit(server, link_token(m.raw));
  ASSERT_EQ(body_of(admin.send("POST", "/api/cycles/" + cycle + "/reminders"))["queued"], 1);
  ASSERT_EQ(sink.wait_for(3).size(), 3u);
  ASSERT_TRUE(eventually([&] {
    return body_of(admin.get("/api/cycles/" + cycle + "/outbox"))["reminders"]["sent"] == 1;
  }));
  const auto box = body_of(admin.get("/api/cycles/" + cycle + "/outbox"));
  int reminders = 0;
  for (const auto& m : box["messages"]) {
    if (m["kind"] != "reminder") continue;
    ++reminders;
    EXPECT_EQ(m["email"], "person1@example.org");
    EXPECT_EQ(m["state"], "sent");
  }
  EXPECT_EQ(reminders, 1);
  std::map<std::string, bool> submitted;
  const json invitations =
      body_of(admin.get("/api/cycles/" + cycle + "/invitations"))["invitations"];
  for (const auto& i : invitations) submitted[i["email"]] = i["submitted"];
  EXPECT_TRUE(submitted["person0@example.org"]);
  EXPECT_FALSE(submitted["person1@example.org"]);
}

TEST_P(MailTest, ARefusedAddressFailsWithTheServersAnswerAndADroppedMessageIsSentOnRetry) {
  // The first message is cut off mid-DATA; the address refused gets 550.
  SmtpSink sink({"--refuse", "person1@example.org", "--drop-after", "1"});
  ServerProcess server(db, serve_options(mail_args(sink), dir.path() + "/server.log"));
  Client admin(server);
  const auto org = setup_org(admin);
  const auto cycle = open_cycle(admin, org);
  ASSERT_EQ(admin
                .send("POST", "/api/cycles/" + cycle + "/invitations",
                      json{{"people", people(3)}, {"send", true}}.dump())
                .status,
            201);
  json box;
  ASSERT_TRUE(eventually([&] {
    box = body_of(admin.get("/api/cycles/" + cycle + "/outbox"));
    return box["invitations"]["sent"] == 2 && box["invitations"]["failed"] == 1;
  })) << box.dump();
  for (const auto& m : box["messages"]) {
    if (m["email"] == "person1@example.org") {
      EXPECT_EQ(m["state"], "failed");
      EXPECT_NE(m["error"].get<std::string>().find("550"), std::string::npos) << m.dump();
    }
  }
  // Never sent twice: each address received exactly one message.
  std::map<std::string, int> count;
  for (const auto& m : sink.received()) ++count[m.to];
  EXPECT_EQ(count,
            (std::map<std::string, int>{{"person0@example.org", 1}, {"person2@example.org", 1}}));
}

TEST_P(MailTest, AServerThatHangsIsGivenUpOnInTimeAndTriedAgain) {
  SmtpSink sink({"--hang"});
  ServerProcess server(db, serve_options(mail_args(sink), dir.path() + "/server.log"));
  Client admin(server);
  const auto org = setup_org(admin);
  const auto cycle = open_cycle(admin, org);
  ASSERT_EQ(admin
                .send("POST", "/api/cycles/" + cycle + "/invitations",
                      json{{"people", people(1)}, {"send", true}}.dump())
                .status,
            201);
  json box;
  ASSERT_TRUE(eventually([&] {
    box = body_of(admin.get("/api/cycles/" + cycle + "/outbox"));
    const auto& m = box["messages"][0];
    return m["attempts"].get<int>() >= 1 && !m["error"].is_null() && m["state"] != "sending";
  })) << box.dump();
  EXPECT_EQ(box["messages"][0]["state"], "queued") << "tried again later";
  // The server still answers, and stops promptly.
  EXPECT_EQ(server.request("GET", "/api/health").status, 200);
}

TEST_P(MailTest, TwoProcessesSharingTheOutboxSendEachMessageOnce) {
  SmtpSink sink;
  ServerProcess first(db, serve_options(mail_args(sink), dir.path() + "/server.log"));
  ServerProcess second(db, serve_options(mail_args(sink), dir.path() + "/server.log"));
  Client admin(first);
  const auto org = setup_org(admin);
  const auto cycle = open_cycle(admin, org);
  // Queued through the first process without its wake-up reaching the
  // second: both poll the shared outbox.
  ASSERT_EQ(admin
                .send("POST", "/api/cycles/" + cycle + "/invitations",
                      json{{"people", people(30)}, {"send", true}}.dump())
                .status,
            201);
  const auto received = sink.wait_for(30, 60000);
  std::this_thread::sleep_for(std::chrono::seconds(2));  // anything sent twice arrives too
  std::map<std::string, int> count;
  for (const auto& m : sink.received()) ++count[m.to];
  EXPECT_EQ(count.size(), 30u);
  for (const auto& [to, n] : count) EXPECT_EQ(n, 1) << to;
}

TEST_P(MailTest, ACycleOpensAndClosesItselfOnItsDatesOnceAcrossProcesses) {
  ServerProcess first(db, serve_options({"--scheduler-interval", "1"}));
  ServerProcess second(db, serve_options({"--scheduler-interval", "1"}));
  Client admin(first);
  const auto org = setup_org(admin);
  const std::int64_t now = now_ms();
  const auto r = admin.send(
      "POST", "/api/orgs/" + org + "/cycles",
      json{{"name", "Dated"}, {"opens_at", now + 1500}, {"closes_at", now + 6000}}.dump());
  ASSERT_EQ(r.status, 201) << r.body;
  const std::string cycle = body_of(r)["id"];
  EXPECT_EQ(body_of(admin.get("/api/cycles/" + cycle))["status"], "draft");
  ASSERT_TRUE(
      eventually([&] { return body_of(admin.get("/api/cycles/" + cycle))["status"] == "open"; }));
  ASSERT_TRUE(
      eventually([&] { return body_of(admin.get("/api/cycles/" + cycle))["status"] == "closed"; }));
  // Reopened by hand after its closing date, it stays open.
  ASSERT_EQ(admin.send("POST", "/api/cycles/" + cycle + "/open").status, 200);
  std::this_thread::sleep_for(std::chrono::milliseconds(2500));
  EXPECT_EQ(body_of(admin.get("/api/cycles/" + cycle))["status"], "open");
}

// A low response rate: the facilitator gives people more time. The cycle
// then closes itself on the new date, not the old one.
TEST_P(MailTest, AnOpenCyclesClosingDateCanMoveLaterAndItClosesThen) {
  ServerProcess server(db, serve_options({"--scheduler-interval", "1"}));
  Client admin(server);
  const auto org = setup_org(admin);
  const std::int64_t now = now_ms();
  const auto cycle = open_cycle(admin, org, {{"closes_at", now + 3000}});
  const std::string path = "/api/cycles/" + cycle;
  EXPECT_EQ(admin.send("PATCH", path, json{{"closes_at", now - 1000}}.dump()).status, 422);
  EXPECT_EQ(admin.send("PATCH", path, json{{"closes_at", nullptr}}.dump()).status, 422);
  EXPECT_EQ(admin.send("PATCH", path, json{{"closes_at", now + 60000}, {"anonymous", false}}.dump())
                .status,
            409)
      << "other settings only in a draft";
  const auto moved = admin.send(
      "PATCH", path,
      json{{"closes_at", now + 6000}, {"reminders", {{"before_close_days", {1}}, {"max", 1}}}}
          .dump());
  ASSERT_EQ(moved.status, 200) << moved.body;
  EXPECT_EQ(body_of(moved)["closes_at"], now + 6000);
  EXPECT_EQ(body_of(moved)["reminders"]["before_close_days"], json::array({1}));
  std::this_thread::sleep_for(std::chrono::milliseconds(4000));
  EXPECT_EQ(body_of(admin.get(path))["status"], "open") << "not on the old date";
  ASSERT_TRUE(eventually([&] { return body_of(admin.get(path))["status"] == "closed"; }));
  EXPECT_EQ(admin.send("PATCH", path, json{{"closes_at", now + 60000}}.dump()).status, 409);
}

// A mail server that hangs keeps no cycle open past its closing date: the
// scheduler looks at the dates between messages.
TEST_P(MailTest, CyclesCloseOnTheirDatesWhileTheMailServerHangs) {
  SmtpSink sink({"--hang"});
  ServerProcess server(db, serve_options(mail_args(sink), dir.path() + "/server.log"));
  Client admin(server);
  const auto org = setup_org(admin);
  const auto busy = open_cycle(admin, org);
  ASSERT_EQ(admin
                .send("POST", "/api/cycles/" + busy + "/invitations",
                      json{{"people", people(6)}, {"send", true}}.dump())
                .status,
            201);
  const auto dated = open_cycle(admin, org, {{"closes_at", now_ms() + 3000}});
  ASSERT_TRUE(eventually(
      [&] { return body_of(admin.get("/api/cycles/" + dated))["status"] == "closed"; }, 30000));
}

TEST_P(MailTest, WithoutMailTheListIsKeptAndSendingSaysWhy) {
  ServerProcess server(db);
  Client admin(server);
  const auto org = setup_org(admin);
  const auto cycle = open_cycle(admin, org);
  const auto refused = admin.send("POST", "/api/cycles/" + cycle + "/invitations",
                                  json{{"people", people(2)}, {"send", true}}.dump());
  EXPECT_EQ(refused.status, 409);
  EXPECT_NE(refused.body.find("mail_not_configured"), std::string::npos);
  const auto kept = admin.send("POST", "/api/cycles/" + cycle + "/invitations",
                               json{{"people", people(2)}}.dump());
  ASSERT_EQ(kept.status, 201) << kept.body;
  EXPECT_EQ(body_of(kept)["queued"], 0);
  // The same address twice in one cycle is refused, naming it.
  const auto twice = admin.send("POST", "/api/cycles/" + cycle + "/invitations",
                                json{{"people", people(1)}}.dump());
  EXPECT_EQ(twice.status, 409);
  EXPECT_NE(twice.body.find("person0@example.org"), std::string::npos);
  EXPECT_EQ(admin.send("POST", "/api/cycles/" + cycle + "/reminders").status, 409);
  const auto settings = body_of(admin.get("/api/admin/mail"));
  EXPECT_FALSE(settings["configured"]);
}

TEST_P(MailTest, ACsvListIsCheckedWholeNamingRowAndColumn) {
  ServerProcess server(db);
  Client admin(server);
  const auto org = setup_org(admin);
  const auto cycle = open_cycle(admin, org);
  const std::string bad =
      "name,email,role,unit\nAda,ada@example.org,Frontline employee,sales\nBob,not-an-address,,\n";
  const auto refused =
      admin.send("POST", "/api/cycles/" + cycle + "/invitations", json{{"csv", bad}}.dump());
  EXPECT_EQ(refused.status, 422);
  EXPECT_NE(refused.body.find("row 3, column \\\"email\\\""), std::string::npos) << refused.body;
  EXPECT_TRUE(body_of(admin.get("/api/cycles/" + cycle + "/invitations"))["invitations"].empty())
      << "all or nothing";
  const std::string good =
      "Name;E-mail;Role;Unit\nAda;ada@example.org;frontline "
      "employee;sales\nBob;bob@example.org;;\n";
  const auto created =
      admin.send("POST", "/api/cycles/" + cycle + "/invitations", json{{"csv", good}}.dump());
  ASSERT_EQ(created.status, 201) << created.body;
  const auto list = body_of(created)["invitations"];
  ASSERT_EQ(list.size(), 2u);
  EXPECT_EQ(list[0]["role"], "frontline");
  EXPECT_EQ(list[0]["unit"], "Sales");
  EXPECT_EQ(list[0]["email"], "ada@example.org");
}

}  // namespace

INSTANTIATE_TEST_SUITE_P(Databases, MailTest, ::testing::Values("sqlite", "postgresql"),
                         [](const auto& info) { return info.param; });

}  // namespace cxm::testing
