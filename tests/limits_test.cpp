// The guessing limits of SECURITY.md against the real `cxm serve`, on
// SQLite and on a private PostgreSQL cluster: join codes, resume codes and
// passwords guessed at once from many addresses through two processes on
// one database get no more checks than the instance allows; a venue that
// mistypes codes is slowed for seconds, not locked out.
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
  std::unique_ptr<ServerProcess> start(const std::vector<std::string>& args = {}) {
    ServerProcessOptions options;
    options.extra_args = {"--trusted-proxy", "127.0.0.1"};
    options.extra_args.insert(options.extra_args.end(), args.begin(), args.end());
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

INSTANTIATE_TEST_SUITE_P(Databases, Limits, ::testing::Values("sqlite", "postgresql"),
                         [](const auto& info) { return info.param; });

}  // namespace
}  // namespace cxm::testing
