// The guessing limits and the event stream limits of SECURITY.md against
// the real `cxm serve`, on SQLite and on a private PostgreSQL cluster:
// join codes, resume codes and passwords guessed at once from many
// addresses through two processes on one database get no more checks than
// the instance allows; a venue that mistypes codes is slowed for seconds,
// not locked out; event streams are limited per link, per address and by
// the files the process may open, end after their lifetime, and health and
// pages keep answering.
#include <gtest/gtest.h>

#include <atomic>
#include <chrono>
#include <functional>
#include <memory>
#include <nlohmann/json.hpp>
#include <thread>

#include "server_fixture.h"

namespace cxm::testing {
namespace {

using nlohmann::json;
using namespace std::chrono_literals;

const std::string kEmail = "lead@example.org";
const std::string kPassword = "correct horse battery";

// The wait a 429 asks for, in seconds (its Retry-After).
int retry_after(const HttpResult& r) {
  const auto it = r.headers.find("retry-after");
  return it == r.headers.end() ? -1 : std::stoi(it->second);
}

// Client addresses, as the trusted proxy (127.0.0.1) reports them.
std::string address(int i) { return "198.51.100." + std::to_string(i + 1); }
std::map<std::string, std::string> from(const std::string& client) {
  return {{"Content-Type", "application/json"}, {"X-Forwarded-For", client}};
}

// A well-formed join code (6 of the 31 characters) that is not `right`.
std::string wrong_code(int i, const std::string& right) {
  static const std::string alphabet = "ABCDEFGHJKMNPQRSTUVWXYZ23456789";
  for (int n = i;; n += 1000) {
    std::string code = "ZZ";
    for (int k = 0, v = n; k < 4; ++k, v /= 31) code += alphabet[static_cast<std::size_t>(v % 31)];
    if (code != right) return code;
  }
}

// Runs `attempt(i)` for i in [0, count) on `threads` threads at once;
// returns how long that took.
std::chrono::milliseconds in_parallel(int count, int threads,
                                      const std::function<void(int)>& attempt) {
  const auto started = std::chrono::steady_clock::now();
  std::atomic<int> next{0};
  std::vector<std::thread> running;
  for (int t = 0; t < threads; ++t) {
    running.emplace_back([&] {
      for (int i = next++; i < count; i = next++) attempt(i);
    });
  }
  for (auto& t : running) t.join();
  return std::chrono::duration_cast<std::chrono::milliseconds>(std::chrono::steady_clock::now() -
                                                               started);
}

// What a steady rule allows within `took`: its burst, and one more per
// `every` that passed meanwhile (the allowance refills while the attack
// goes on).
int allowed(int burst, std::chrono::milliseconds every, std::chrono::milliseconds took) {
  return burst + static_cast<int>(took / every);
}

// Repeats `request` once after the Retry-After of a 429 (which must be at
// most `longest` seconds): what a person does who is asked to wait.
HttpResult after_one_wait(const std::function<HttpResult()>& request, int longest) {
  HttpResult r = request();
  if (r.status != 429) return r;
  EXPECT_GE(retry_after(r), 1);
  EXPECT_LE(retry_after(r), longest);
  std::this_thread::sleep_for(std::chrono::seconds(retry_after(r)));
  return request();
}

class Limits : public ::testing::TestWithParam<std::string> {
 protected:
  TempDir dir;
  std::string db = test_database(GetParam(), dir.path());

  // A server that believes 127.0.0.1's X-Forwarded-For, so that one test
  // can come from many addresses.
  std::unique_ptr<ServerProcess> start(const std::vector<std::string>& args = {},
                                       int open_files = 0) {
    ServerProcessOptions options;
    options.extra_args = {"--trusted-proxy", "127.0.0.1"};
    options.extra_args.insert(options.extra_args.end(), args.begin(), args.end());
    options.open_files = open_files;
    return std::make_unique<ServerProcess>(db, options);
  }

  // An open cycle of a new organization; its id.
  static std::string open_cycle(const Client& admin) {
    const auto org =
        admin.send("POST", "/api/orgs", json{{"name", "Acme"}, {"units", {"Sales"}}}.dump());
    EXPECT_EQ(org.status, 201) << org.body;
    const auto cycle =
        admin.send("POST", "/api/orgs/" + body_of(org)["id"].get<std::string>() + "/cycles",
                   json{{"name", "Spring"}, {"anonymous", false}}.dump());
    EXPECT_EQ(cycle.status, 201) << cycle.body;
    const std::string id = body_of(cycle)["id"];
    EXPECT_EQ(admin.send("POST", "/api/cycles/" + id + "/open").status, 200);
    return id;
  }

  // A live workshop in `cycle`: its id and code.
  static std::pair<std::string, std::string> start_workshop(const Client& admin,
                                                            const std::string& cycle) {
    const auto started = admin.send("POST", "/api/cycles/" + cycle + "/workshops");
    EXPECT_EQ(started.status, 201) << started.body;
    return {body_of(started)["id"], body_of(started)["code"]};
  }

  static std::vector<Phone> join_phones(int port, const std::string& code, int count) {
    std::vector<Phone> phones;
    for (int i = 0; i < count; ++i) {
      auto phone = join_phone(port, code);
      EXPECT_TRUE(phone) << i;
      if (phone) phones.push_back(*phone);
    }
    return phones;
  }
};

// ---- Join codes ---------------------------------------------------------------

HttpResult join_from(int port, const std::string& code, const std::string& client) {
  return http_request(port, "POST", "/api/join", json{{"code", code}}.dump(), from(client));
}

// The attack: ten addresses with 60 wrong codes each (each
// address's whole allowance), all at once and through two processes, got
// 600 checks. The instance allows 300 (and one more per 2 s while the
// attack lasts): that many are checked (422), the rest refused (429)
// without a check. The right code then waits for one
// place (at most 2 s), and the next phone joins at once.
TEST_P(Limits, JoinCodeGuessesFromManyAddressesGetOnlyTheInstanceAllowance) {
  auto a = start();
  auto b = start();
  Client admin(*a);
  ASSERT_EQ(admin.setup(kEmail, kPassword), 201);
  const auto [workshop, code] = start_workshop(admin, open_cycle(admin));
  std::atomic<int> checked{0}, refused{0}, other{0};
  const auto took = in_parallel(600, 16, [&](int i) {
    const auto r = join_from((i % 2 ? *b : *a).port(), wrong_code(i, code), address(i % 10));
    if (r.status == 422) {
      ++checked;
    } else if (r.status == 429 && retry_after(r) >= 1 &&
               body_of(r)["error"]["code"] == "too_many_attempts") {
      ++refused;
    } else {
      ++other;
    }
  });
  EXPECT_GE(checked.load(), 300);
  EXPECT_LE(checked.load(), allowed(300, 2s, took)) << took.count() << " ms";
  EXPECT_EQ(checked.load() + refused.load(), 600);
  EXPECT_EQ(other.load(), 0);

  // While the attack holds the instance's allowance at nought, a phone that
  // scanned the projector's QR code (the workshop's id with its code)
  // joins at once: the room is never locked out.
  for (const auto* server : {&a, &b}) {
    const auto scanned =
        http_request((*server)->port(), "POST", "/api/join",
                     json{{"code", code}, {"workshop", workshop}}.dump(), from(address(30)));
    EXPECT_EQ(scanned.status, 200) << scanned.body;
  }

  const auto joined = after_one_wait([&] { return join_from(b->port(), code, address(20)); }, 2);
  EXPECT_EQ(joined.status, 200) << joined.body;
  EXPECT_EQ(join_from(a->port(), code, address(21)).status,
            200);  // a good code gives its place back
}

// 65 wrong codes from the venue's one address used to lock the whole room
// out for up to 5 minutes. Now the address's 60 go at once, then one per
// 5 s: the right code waits one place (at most 5 s), and the rest of the
// room joins one after another without waiting, since a good code gives
// its place back.
TEST_P(Limits, AVenueThatMistypesIsSlowedForSecondsNotLockedOut) {
  auto server = start();
  Client admin(*server);
  ASSERT_EQ(admin.setup(kEmail, kPassword), 201);
  const auto [workshop, code] = start_workshop(admin, open_cycle(admin));
  const std::string venue = "203.0.113.10";
  int checked = 0;
  HttpResult last;
  const auto mistyping = std::chrono::steady_clock::now();
  for (int i = 0; i < 65; ++i) {
    last = join_from(server->port(), wrong_code(i, code), venue);
    checked += last.status == 422;
  }
  const auto took = std::chrono::duration_cast<std::chrono::milliseconds>(
      std::chrono::steady_clock::now() - mistyping);
  EXPECT_GE(checked, 60);
  EXPECT_LE(checked, allowed(60, 5s, took));
  ASSERT_EQ(last.status, 429);
  EXPECT_LE(retry_after(last), 5);

  const auto started = std::chrono::steady_clock::now();
  const auto first = after_one_wait([&] { return join_from(server->port(), code, venue); }, 5);
  EXPECT_EQ(first.status, 200) << first.body;
  for (int i = 0; i < 20; ++i) EXPECT_EQ(join_from(server->port(), code, venue).status, 200) << i;
  EXPECT_LT(std::chrono::steady_clock::now() - started, 10s);
}

// ---- Resume codes ---------------------------------------------------------------

HttpResult resume_from(int port, const std::string& token, const std::string& code,
                       const std::string& client) {
  return http_request(port, "POST", "/api/r/" + token + "/claim",
                      json{{"resume_code", code}}.dump(), from(client));
}

// Whoever holds many links (a facilitator holds all of theirs) tries wrong
// resume codes from ten addresses at once through two processes: 8 per link
// (under the link's lock of 10) and 16 per address (under its 20), 160 in
// all. The instance allows 100 (and one more per 10 s): that many are
// checked (422), the rest refused (429). The participant's right code waits for one place (at most
// 10 s).
TEST_P(Limits, ResumeCodeGuessesFromManyAddressesGetOnlyTheInstanceAllowance) {
  auto a = start();
  auto b = start();
  Client admin(*a);
  ASSERT_EQ(admin.setup(kEmail, kPassword), 201);
  const std::string cycle = open_cycle(admin);
  const auto invited = admin.send("POST", "/api/cycles/" + cycle + "/invitations",
                                  json{{"count", 20}, {"role", "manager"}}.dump());
  ASSERT_EQ(invited.status, 201) << invited.body;
  std::vector<std::string> tokens, codes;
  const json links = body_of(invited)["invitations"];
  for (const auto& i : links) {
    tokens.push_back(i["token"]);
    const auto started = http_request(a->port(), "POST", "/api/r/" + tokens.back() + "/claim", "{}",
                                      {{"Content-Type", "application/json"}});
    ASSERT_EQ(started.status, 200) << started.body;
    codes.push_back(body_of(started)["resume_code"]);
  }
  std::atomic<int> checked{0}, refused{0}, other{0};
  const auto took = in_parallel(160, 16, [&](int i) {
    const auto link = static_cast<std::size_t>(i % 20);
    const std::string wrong = codes[link] == "BBBB-BBBB" ? "CCCC-CCCC" : "BBBB-BBBB";
    const auto r = resume_from((i % 2 ? *b : *a).port(), tokens[link], wrong, address(i % 10));
    if (r.status == 422 && body_of(r)["error"]["code"] == "wrong_code") {
      ++checked;
    } else if (r.status == 429 && retry_after(r) >= 1) {
      ++refused;
    } else {
      ++other;
    }
  });
  EXPECT_GE(checked.load(), 100);
  EXPECT_LE(checked.load(), allowed(100, 10s, took)) << took.count() << " ms";
  EXPECT_EQ(checked.load() + refused.load(), 160);
  EXPECT_EQ(other.load(), 0);

  const auto resumed =
      after_one_wait([&] { return resume_from(b->port(), tokens[0], codes[0], address(30)); }, 10);
  EXPECT_EQ(resumed.status, 200) << resumed.body;
}

// ---- Log-ins --------------------------------------------------------------------

HttpResult log_in_from(int port, const std::string& email, const std::string& password,
                       const std::string& client) {
  return http_request(port, "POST", "/api/session",
                      json{{"email", email}, {"password", password}}.dump(), from(client));
}

// Password spraying from ten addresses through two processes: 30 accounts
// with 4 wrong passwords each (under an account's 5) from ten addresses (12
// each, under an address's 20), 120 in all. The instance allows 100 (and
// one more per 6 s): that many are checked (401), the rest refused (429). The owner then waits for
// one place (at most 6 s). (Eight at a time: each check is an Argon2id hash
// of 64 MiB.)
TEST_P(Limits, PasswordGuessesFromManyAddressesGetOnlyTheInstanceAllowance) {
  auto a = start();
  auto b = start();
  Client admin(*a);
  ASSERT_EQ(admin.setup(kEmail, kPassword), 201);
  std::atomic<int> checked{0}, refused{0}, other{0};
  const auto took = in_parallel(120, 8, [&](int i) {
    const auto r =
        log_in_from((i % 2 ? *b : *a).port(), "someone" + std::to_string(i % 30) + "@example.org",
                    "wrong password " + std::to_string(i), address(i % 10));
    if (r.status == 401) {
      ++checked;
    } else if (r.status == 429 && retry_after(r) >= 1) {
      ++refused;
    } else {
      ++other;
    }
  });
  EXPECT_GE(checked.load(), 100);
  EXPECT_LE(checked.load(), allowed(100, 6s, took)) << took.count() << " ms";
  EXPECT_EQ(checked.load() + refused.load(), 120);
  EXPECT_EQ(other.load(), 0);

  const auto in =
      after_one_wait([&] { return log_in_from(b->port(), kEmail, kPassword, address(40)); }, 6);
  EXPECT_EQ(in.status, 200) << in.body;
}

// ---- Event streams ----------------------------------------------------------------

std::unique_ptr<EventStreamClient> room_stream(int port, const std::string& token,
                                               const std::string& client,
                                               std::map<std::string, std::string> headers = {}) {
  headers["X-Forwarded-For"] = client;
  return std::make_unique<EventStreamClient>(port, "/api/r/" + token + "/workshop/events", headers);
}

// One phone's link opened 174 streams and one address may open as many as
// it likes. Now a link has 10 at most, an address what --streams-per-address
// says (here 12), refused with 429 and Retry-After before the stream opens,
// while another link or address still gets one and health and pages answer.
// Open streams are counted per process: a second process allows its own.
TEST_P(Limits, EventStreamsAreLimitedPerLinkAndPerAddress) {
  auto server = start({"--streams-per-address", "12"});
  const int port = server->port();
  Client admin(*server);
  ASSERT_EQ(admin.setup(kEmail, kPassword), 201);
  const std::string cycle = open_cycle(admin);
  const auto [workshop, code] = start_workshop(admin, cycle);
  const auto phones = join_phones(port, code, 14);
  ASSERT_EQ(phones.size(), 14u);

  // One link: ten streams (from ten addresses), not eleven.
  std::vector<std::unique_ptr<EventStreamClient>> held;
  for (int i = 0; i < 10; ++i) {
    held.push_back(room_stream(port, phones[0].token, address(i)));
    ASSERT_EQ(held.back()->status(), 200) << i;
  }
  const auto eleventh = room_stream(port, phones[0].token, address(10));
  EXPECT_EQ(eleventh->status(), 429);
  EXPECT_EQ(eleventh->header("retry-after"), "30");
  const auto other_link = room_stream(port, phones[1].token, address(10));
  EXPECT_EQ(other_link->status(), 200);
  EXPECT_EQ(http_request(port, "GET", "/api/health").status, 200);
  EXPECT_EQ(admin.get("/api/cycles/" + cycle).status, 200);

  // One address: twelve streams (of twelve phones), not thirteen; another
  // address still gets one, the facilitator's screen too.
  const std::string venue = "203.0.113.77";
  for (std::size_t i = 1; i <= 12; ++i) {
    held.push_back(room_stream(port, phones[i].token, venue));
    ASSERT_EQ(held.back()->status(), 200) << i;
  }
  EXPECT_EQ(room_stream(port, phones[13].token, venue)->status(), 429);
  EXPECT_EQ(room_stream(port, phones[13].token, "203.0.113.78")->status(), 200);
  const std::string cycle_events = "/api/cycles/" + cycle + "/events";
  EXPECT_EQ(EventStreamClient(port, cycle_events,
                              {{"Cookie", admin.cookie()}, {"X-Forwarded-For", venue}})
                .status(),
            429);
  EXPECT_EQ(EventStreamClient(port, cycle_events,
                              {{"Cookie", admin.cookie()}, {"X-Forwarded-For", "203.0.113.79"}})
                .status(),
            200);

  // A stream that ends gives its place back.
  held.erase(held.begin());
  int status = 0;
  for (int i = 0; i < 50 && status != 200; ++i) {
    std::this_thread::sleep_for(100ms);
    status = room_stream(port, phones[0].token, address(11))->status();
  }
  EXPECT_EQ(status, 200);

  // Counted per process: another process lets the same link open a stream.
  const auto second = start();
  EXPECT_EQ(room_stream(second->port(), phones[0].token, address(12))->status(), 200);
}

// The attack on a server that may open 200 files: streams until it
// is full. It keeps a quarter of its files (at least 64) for everything
// else, refuses the 137th stream with 503, and health, the facilitator's
// page, a log-in and the web application answer at once; the open streams
// still get events.
TEST_P(Limits, ManyEventStreamsLeaveHealthAndPagesAnswering) {
  auto server = start({}, 200);
  const int port = server->port();
  Client admin(*server);
  ASSERT_EQ(admin.setup(kEmail, kPassword), 201);
  const std::string cycle = open_cycle(admin);
  const auto [workshop, code] = start_workshop(admin, cycle);
  const auto phones = join_phones(port, code, 15);
  ASSERT_EQ(phones.size(), 15u);

  std::vector<std::unique_ptr<EventStreamClient>> held;
  int refused = 0;
  for (int i = 0; i < 150 && refused == 0; ++i) {
    auto stream = room_stream(port, phones[static_cast<std::size_t>(i / 10)].token, address(i));
    if (stream->status() == 200) {
      held.push_back(std::move(stream));
    } else {
      EXPECT_EQ(stream->status(), 503);
      EXPECT_EQ(stream->header("retry-after"), "30");
      ++refused;
    }
  }
  EXPECT_EQ(refused, 1);
  EXPECT_EQ(held.size(), 136u);  // 200 files, less 64 for everything else

  const auto started = std::chrono::steady_clock::now();
  EXPECT_EQ(http_request(port, "GET", "/api/health").status, 200);
  EXPECT_EQ(admin.get("/api/cycles/" + cycle).status, 200);
  Client again(*server);
  EXPECT_EQ(again.login(kEmail, kPassword), 200);
  EXPECT_EQ(http_request(port, "GET", "/").status, 200);
  EXPECT_LT(std::chrono::steady_clock::now() - started, 5s);

  ASSERT_TRUE(held.front()->next(5000));  // the room's state when it opened
  ASSERT_EQ(admin
                .send("POST", "/api/workshops/" + workshop + "/step",
                      json{{"round", 1}, {"step", 1}}.dump())
                .status,
            200);
  const auto moved = held.front()->next(5000);
  ASSERT_TRUE(moved);
  EXPECT_EQ(json::parse(moved->data)["step"], 1);
}

// Every stream ends after its lifetime (here --stream-lifetime 2, ending in
// its last tenth), so a client that left without a word holds nothing for
// long. Reconnecting with Last-Event-ID, as EventSource does, loses
// nothing: a change made in between arrives at once, and nothing is sent
// twice.
TEST_P(Limits, AStreamEndsAfterItsLifetimeAndNothingIsLost) {
  auto server = start({"--stream-lifetime", "2"});
  const int port = server->port();
  Client admin(*server);
  ASSERT_EQ(admin.setup(kEmail, kPassword), 201);
  const auto [workshop, code] = start_workshop(admin, open_cycle(admin));
  const auto phone = join_phone(port, code);
  ASSERT_TRUE(phone);
  const std::string path = "/api/r/" + phone->token + "/workshop/events";

  const auto started = std::chrono::steady_clock::now();
  EventStreamClient first(port, path);
  ASSERT_EQ(first.status(), 200);
  const auto opened = first.next(5000);
  ASSERT_TRUE(opened);
  while (!first.ended() && std::chrono::steady_clock::now() - started < 10s) first.next(500);
  const auto lived = std::chrono::steady_clock::now() - started;
  EXPECT_TRUE(first.ended());
  EXPECT_GE(lived, 1700ms);
  EXPECT_LT(lived, 4s);

  ASSERT_EQ(admin
                .send("POST", "/api/workshops/" + workshop + "/step",
                      json{{"round", 1}, {"step", 1}}.dump())
                .status,
            200);
  EventStreamClient second(port, path, {{"Last-Event-ID", opened->id}});
  ASSERT_EQ(second.status(), 200);
  const auto changed = second.next(5000);
  ASSERT_TRUE(changed);
  EXPECT_EQ(json::parse(changed->data)["step"], 1);
  EXPECT_NE(changed->id, opened->id);
  EventStreamClient third(port, path, {{"Last-Event-ID", changed->id}});
  ASSERT_EQ(third.status(), 200);
  EXPECT_FALSE(third.next(1000));  // unchanged: nothing repeated
}

INSTANTIATE_TEST_SUITE_P(Databases, Limits, ::testing::Values("sqlite", "postgresql"),
                         [](const auto& info) { return info.param; });

}  // namespace
}  // namespace cxm::testing
