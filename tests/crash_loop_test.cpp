// The crash loop (SPEC §8, issue 28): `cxm serve` under concurrent
// questionnaire saves and submissions through participants' links, cycle
// closes and a live workshop (phones answering, reveals, steps, second
// rounds, ends), killed with SIGKILL (every tenth time SIGTERM) at random
// moments and restarted on the same database, on SQLite and PostgreSQL.
// After every restart the database, read directly (tests/crash_loop_db.h),
// must hold what the clients were told:
//  - every acknowledged answer, once, with its acknowledged value; no
//    answer that was never sent, none from a request whose outcome the
//    client never learned if it started after a close, a submission or a
//    reveal was acknowledged;
//  - a cycle whose close was acknowledged is closed, no other is;
//  - a submission acknowledged stays submitted; none that was never sent;
//  - a reveal acknowledged stays, with the histogram it showed, which is
//    what the answers in the database give; no reveal that was never asked;
//  - a workshop is at the round and step last acknowledged; ended stays ended.
// While it runs, the server must refuse what the rules refuse (an answer
// after its cycle's close or its link's submission was acknowledged, a
// phone's answer after its statement's reveal) and read back what it
// acknowledged.
//
// CXM_CRASH_KILLS (default 20) sets the number of SIGKILLs under load per
// database (a SIGTERM comes besides after every nine),
// CXM_CRASH_SEED the random seed (printed; a run repeats its choices, not
// the server's timing). The long run (docs/reliability.md, "Crashes"):
//   CXM_CRASH_KILLS=1000 nice build/crash_loop_tests
#include <fcntl.h>
#include <gtest/gtest.h>
#include <netinet/in.h>
#include <signal.h>
#include <sodium.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <atomic>
#include <chrono>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <map>
#include <memory>
#include <mutex>
#include <nlohmann/json.hpp>
#include <random>
#include <set>
#include <sstream>
#include <thread>

#include "crash_loop_db.h"
#include "postgres_cluster.h"
#include "run_process.h"
#include "server_process.h"

namespace cxm::testing {
namespace {

using nlohmann::json;
using Clock = std::chrono::steady_clock;

// What an answer cell may hold after a restart: kAbsent (no row),
// kDontKnow (NULL) or a value 1..5.
constexpr int kAbsent = -1;
constexpr int kDontKnow = 0;
using Possible = std::set<int>;

int code_of(const json& v) { return v.is_null() ? kDontKnow : v.get<int>(); }
json value_of(int code) { return code == kDontKnow ? json(nullptr) : json(code); }
std::string text_of(const Possible& p) {
  std::string out;
  for (int v : p) {
    out += out.empty() ? "{" : ",";
    out += v == kAbsent ? "absent" : v == kDontKnow ? "null" : std::to_string(v);
  }
  return out + "}";
}
std::string text_of_code(int v) { return text_of(Possible{v}); }

long env_number(const char* name, long fallback) {
  const char* text = std::getenv(name);
  return text && *text ? std::atol(text) : fallback;
}

std::string link_hash(const std::string& token) {
  unsigned char digest[32];
  crypto_generichash(digest, sizeof digest, reinterpret_cast<const unsigned char*>(token.data()),
                     token.size(), nullptr, 0);
  static constexpr char kHex[] = "0123456789abcdef";
  std::string out;
  for (unsigned char b : digest) out += {kHex[b >> 4], kHex[b & 15]};
  return out;
}

std::string cookie_of(const HttpResult& r) {
  const auto it = r.headers.find("set-cookie");
  return it == r.headers.end() ? "" : it->second.substr(0, it->second.find(';'));
}

std::string error_code(const HttpResult& r) {
  try {
    return json::parse(r.body).at("error").at("code").get<std::string>();
  } catch (...) {
    return "";
  }
}

struct Stats {
  std::atomic<long long> answer_writes{0};     // acknowledged questionnaire PUTs
  std::atomic<long long> answers{0};           // answers in them
  std::atomic<long long> phone_answers{0};     // acknowledged workshop answers
  std::atomic<long long> submissions{0};       // acknowledged submissions
  std::atomic<long long> closes{0};            // acknowledged closes
  std::atomic<long long> reveals{0};           // acknowledged reveals
  std::atomic<long long> workshop_changes{0};  // steps, rounds, starts and ends acknowledged
  std::atomic<long long> refusals{0};          // 409s
  std::atomic<long long> refusals_checked{0};  // of them, ones a rule required
  std::atomic<long long> unknown{0};           // no answer (the kill) or 5xx
  std::atomic<long long> server_errors{0};     // 5xx
  std::atomic<long long> reads_checked{0};     // read-back GETs compared
  long long cells_checked = 0;                 // acknowledged answer cells found after restarts
  long long kills = 0, sigterms = 0, startup_kills = 0;
  long long load_ms = 0;  // time under load before the kills
};

struct Failures {
  std::mutex mutex;
  std::vector<std::string> list;
  void add(const std::string& what) {
    std::lock_guard lock(mutex);
    if (list.size() < 50) std::cerr << "crash loop: FAILURE " << what << "\n";
    list.push_back(what);
  }
  bool any() {
    std::lock_guard lock(mutex);
    return !list.empty();
  }
};

struct Cycle;

// A questionnaire link, used by one worker at a time (`busy`).
struct Link {
  std::string token, id;
  Cycle* cycle = nullptr;
  std::mutex busy;
  std::string cookie;
  bool claim_unknown = false, dead = false;
  std::map<std::string, Possible> items;
  Possible submitted{0};
};

struct Cycle {
  std::string id;
  std::vector<std::unique_ptr<Link>> links;
  std::atomic<bool> closed{false};  // its close acknowledged (or found done after a restart)
  bool close_unknown = false;
  bool settled = false;  // closed and checked since: only full checks look again
  int epochs = 0;
};

struct Phone {
  std::string token, cookie, hash, id;
  std::map<std::pair<int, std::string>, Possible> answers;
};

struct Reveal {
  std::vector<int> histogram;
  int dont_know = 0;
};

struct Workshop {
  std::string id, code;
  bool ended = false;
  bool state_unknown = false;  // a change without answer: learn the state after the restart
  int round = 1, step = 0, steps = 0;
  std::vector<std::string> current;
  bool second_available = false;
  std::vector<Phone> phones;
  std::map<std::pair<int, std::string>, Reveal> reveals;
  std::set<std::pair<int, std::string>> reveals_unknown;

  void adopt(const json& s) {
    ended = s.at("status") == "ended";
    round = s.at("round");
    step = s.at("step");
    steps = static_cast<int>(s.at("steps").size());
    current.clear();
    for (const auto& c : s.at("current")) current.push_back(c.at("id"));
    second_available = s.at("second_round").at("available");
  }
};

std::string histogram_text(const std::vector<int>& h) {
  std::string out;
  for (std::size_t i = 0; i < h.size(); ++i) out += (i ? " " : "") + std::to_string(h[i]);
  return out;
}

// Set in a load thread once a request got no answer: the server is gone.
thread_local bool server_lost = false;

class CrashLoop {
 public:
  CrashLoop(const std::string& kind, TempDir& dir)
      : kind_(kind), dir_(dir), db_(test_database(kind, dir.path())) {
    seed_ = static_cast<std::uint64_t>(env_number("CXM_CRASH_SEED", 0));
    if (seed_ == 0) seed_ = std::random_device{}() | 1u;
    rng_.seed(seed_);
  }

  Stats stats;
  Failures failures;
  std::uint64_t seed() const { return seed_; }
  const std::string& db() const { return db_; }

  // A few kills while the server starts on the fresh database (during its
  // migrations), then the start and the set-up.
  void begin(int startup_kills) {
    for (int i = 0; i < startup_kills; ++i) kill_while_starting(static_cast<int>(rng_() % 150));
    start();
    Admin setup;
    const auto r = http_request(
        port(), "POST", "/api/setup",
        json{{"email", "lead@example.org"}, {"name", "Lead"}, {"password", "correct horse battery"}}
            .dump(),
        {{"Content-Type", "application/json"}});
    ASSERT_EQ(r.status, 201) << r.body;
    admin_.cookie = cookie_of(r);
    admin_.csrf = json::parse(r.body)["csrf_token"];
    const auto org = admin_send("POST", "/api/orgs",
                                json{{"name", "Acme"}, {"units", json::array({"Sales"})}}.dump());
    ASSERT_EQ(org.status, 201) << org.body;
    org_ = json::parse(org.body)["id"];
    const auto cycle = admin_send("POST", "/api/orgs/" + org_ + "/cycles",
                                  json{{"name", "Workshop"}, {"anonymous", true}}.dump());
    ASSERT_EQ(cycle.status, 201) << cycle.body;
    workshop_cycle_ = json::parse(cycle.body)["id"];
    ASSERT_EQ(admin_send("POST", "/api/cycles/" + workshop_cycle_ + "/open").status, 200);
    for (int i = 0; i < 3; ++i) create_cycle();
    ASSERT_FALSE(failures.any());
    ASSERT_FALSE(cycles_.empty());
    ASSERT_FALSE(cycles_.front()->links.empty());
    const auto& first = *cycles_.front()->links.front();
    const auto q = http_request(port(), "GET", "/api/r/" + first.token);
    ASSERT_EQ(q.status, 200) << q.body;
    const json questionnaire = json::parse(q.body);
    for (const auto& item : questionnaire["items"]) items_.push_back(item["id"]);
    ASSERT_GE(items_.size(), 8u);
  }

  // One epoch: load, a kill at a random moment, a restart, the checks.
  void epoch(int number, bool last) {
    const bool sigterm = number % 10 == 9;
    for (auto& c : cycles_) ++c->epochs;
    stop_ = false;
    std::vector<std::thread> threads;
    for (int i = 0; i < 6; ++i) threads.emplace_back([this, s = rng_()] { participant_worker(s); });
    threads.emplace_back([this, s = rng_()] { controller(s); });
    threads.emplace_back([this, s = rng_()] { workshop_driver(s); });
    // A quarter of the kills come while the restarted server warms up.
    const int delay =
        rng_() % 4 == 0 ? static_cast<int>(rng_() % 50) : 50 + static_cast<int>(rng_() % 600);
    std::this_thread::sleep_for(std::chrono::milliseconds(delay));
    stats.load_ms += delay;
    const int status = server_->stop(sigterm ? SIGTERM : SIGKILL);
    stop_ = true;
    for (auto& t : threads) t.join();
    if (sigterm) {
      ++stats.sigterms;
      if (status != 0) failures.add("SIGTERM: the server exited with " + std::to_string(status));
    } else {
      ++stats.kills;
      if (status != 128 + SIGKILL)
        failures.add("SIGKILL: the server ended with " + std::to_string(status));
    }
    wait_for_old_sessions();
    if (number % 20 == 7) {
      kill_while_starting(static_cast<int>(rng_() % 60));
      wait_for_old_sessions();
    }
    start();
    verify(last || number % 25 == 24);
  }

  void finish() {
    if (server_) server_->stop(SIGTERM);
  }

 private:
  struct Admin {
    std::string cookie, csrf;
  };

  int port() const { return server_->port(); }

  HttpResult admin_send(const std::string& method, const std::string& path,
                        const std::string& body = "{}") {
    return http_request(port(), method, path, body,
                        {{"Cookie", admin_.cookie},
                         {"X-CSRF-Token", admin_.csrf},
                         {"Content-Type", "application/json"}});
  }

  // acked / refused (4xx) / unknown (no answer, or 5xx: the write may have
  // happened or not).
  enum class Result { acked, refused, unknown };
  Result classify(const HttpResult& r, const std::string& what) {
    if (r.status == 200 || r.status == 201) return Result::acked;
    if (r.status == 0) {
      ++stats.unknown;
      server_lost = true;  // this thread stops until the restart
      return Result::unknown;
    }
    if (r.status >= 500) {
      ++stats.unknown;
      if (++stats.server_errors <= 5)
        std::cerr << "crash loop: " << what << " answered " << r.status << ": " << r.body << "\n";
      return Result::unknown;
    }
    if (r.status == 409) ++stats.refusals;
    return Result::refused;
  }

  void start() {
    const std::string log = dir_.path() + "/serve.log";
    std::error_code ignored;
    std::filesystem::rename(log, dir_.path() + "/serve.previous.log", ignored);
    server_ = std::make_unique<ServerProcess>(db_, ServerProcessOptions{{}, log});
  }

  // `cxm serve` killed `ms` after it was started, whatever it was doing.
  void kill_while_starting(int ms) {
    const pid_t pid = fork();
    if (pid == 0) {
      const int null = open("/dev/null", O_WRONLY);
      dup2(null, 1);
      dup2(null, 2);
      execl(CXM_BINARY, CXM_BINARY, "serve", "--db", db_.c_str(), "--listen", "127.0.0.1:0",
            static_cast<char*>(nullptr));
      _exit(127);
    }
    std::this_thread::sleep_for(std::chrono::milliseconds(ms));
    kill(pid, SIGKILL);
    int status = 0;
    waitpid(pid, &status, 0);
    ++stats.startup_kills;
  }

  // On PostgreSQL a killed server's sessions end when their backends see
  // it gone; a COMMIT it had sent may still land until then. The checks
  // start after that, so that they see everything that will ever land.
  void wait_for_old_sessions() {
    if (kind_ != "postgresql") return;
    RawDatabase raw(db_);
    for (int i = 0; i < 1000; ++i) {
      const auto rows = raw.rows(
          "SELECT COUNT(*) FROM pg_stat_activity WHERE datname = current_database() AND pid <> "
          "pg_backend_pid() AND backend_type = 'client backend'");
      if (rows.at(0).at(0) == "0") return;
      std::this_thread::sleep_for(std::chrono::milliseconds(10));
    }
    failures.add("the killed server's PostgreSQL sessions did not end within 10 s");
  }

  // ---- the load -------------------------------------------------------

  Link* pick_link(std::mt19937_64& rng) {
    std::lock_guard lock(cycles_mutex_);
    // Mostly the open cycles; a few tries at closed ones, which must refuse.
    std::vector<Cycle*> open, closed;
    for (auto& c : cycles_) (c->closed ? closed : open).push_back(c.get());
    auto& from = closed.empty() || (!open.empty() && rng() % 10 != 0) ? open : closed;
    if (from.empty()) return nullptr;
    Cycle* c = from[rng() % from.size()];
    if (c->links.empty()) return nullptr;
    Link* link = c->links[rng() % c->links.size()].get();
    return link->busy.try_lock() ? link : nullptr;
  }

  void participant_worker(std::uint64_t seed) {
    std::mt19937_64 rng(seed);
    server_lost = false;
    while (!stop_ && !server_lost) {
      Link* link = pick_link(rng);
      if (!link) {
        std::this_thread::sleep_for(std::chrono::milliseconds(1));
        continue;
      }
      std::unique_lock lock(link->busy, std::adopt_lock);
      use_link(*link, rng);
    }
  }

  void use_link(Link& link, std::mt19937_64& rng) {
    if (link.dead) return;
    if (link.cookie.empty()) {
      const auto r = http_request(port(), "POST", "/api/r/" + link.token + "/claim", "{}",
                                  {{"Content-Type", "application/json"}});
      switch (classify(r, "claim")) {
        case Result::acked:
          link.cookie = cookie_of(r);
          break;
        case Result::unknown:
          link.claim_unknown = true;
          return;
        case Result::refused:
          // Claimed by a claim whose answer was lost: the link is that
          // browser's now. Otherwise no one else could have claimed it.
          if (!link.claim_unknown && error_code(r) == "claimed")
            failures.add("link " + link.id + ": claimed by no one we know: " + r.body);
          link.dead = true;
          return;
      }
    }
    const bool submitted = link.submitted == Possible{1};
    const auto pick = rng() % 100;
    if (submitted) {
      if (pick < 30) save(link, rng);  // must be refused
    } else if (pick < 8) {
      // Only with an answer saved: an empty questionnaire is refused (422).
      const bool answered = std::any_of(link.items.begin(), link.items.end(),
                                        [](const auto& i) { return !i.second.contains(kAbsent); });
      if (answered) submit(link);
    } else if (pick < 15) {
      read_back(link);
    } else {
      save(link, rng);
    }
  }

  void save(Link& link, std::mt19937_64& rng) {
    const bool after_close = link.cycle->closed.load();
    const bool after_submit = link.submitted == Possible{1};
    std::map<std::string, int> batch;
    const std::size_t n = 1 + rng() % 8;
    while (batch.size() < n) {
      const int v = rng() % 10 == 0 ? kDontKnow : 1 + static_cast<int>(rng() % 5);
      batch[items_[rng() % items_.size()]] = v;
    }
    json answers = json::object();
    for (const auto& [item, v] : batch) answers[item] = value_of(v);
    const auto r = http_request(port(), "PUT", "/api/r/" + link.token + "/answers",
                                json{{"answers", answers}}.dump(),
                                {{"Content-Type", "application/json"}, {"Cookie", link.cookie}});
    switch (classify(r, "answers")) {
      case Result::acked:
        if (after_close)
          failures.add("link " + link.id + ": answers accepted after cycle " + link.cycle->id +
                       "'s close was acknowledged");
        if (after_submit)
          failures.add("link " + link.id + ": answers accepted after its submission");
        for (const auto& [item, v] : batch) link.items[item] = {v};
        ++stats.answer_writes;
        stats.answers += static_cast<long long>(batch.size());
        break;
      case Result::unknown:
        // Written or not; never once the rules were known to refuse it.
        if (after_close || after_submit) break;
        for (const auto& [item, v] : batch)
          link.items.try_emplace(item, Possible{kAbsent}).first->second.insert(v);
        break;
      case Result::refused:
        if (r.status != 409) {
          failures.add("link " + link.id + ": answers refused with " + std::to_string(r.status) +
                       ": " + r.body);
        } else if (after_close || after_submit) {
          ++stats.refusals_checked;
        }
        break;
    }
  }

  void submit(Link& link) {
    const bool after_close = link.cycle->closed.load();
    const auto r = http_request(port(), "POST", "/api/r/" + link.token + "/submit", "",
                                {{"Cookie", link.cookie}});
    switch (classify(r, "submit")) {
      case Result::acked:
        if (after_close && link.submitted != Possible{1})
          failures.add("link " + link.id + ": submission accepted after cycle " + link.cycle->id +
                       "'s close was acknowledged");
        link.submitted = {1};
        ++stats.submissions;
        break;
      case Result::unknown:
        if (!after_close) link.submitted.insert(1);
        break;
      case Result::refused:
        if (r.status != 409)
          failures.add("link " + link.id + ": submission refused with " + std::to_string(r.status) +
                       ": " + r.body);
        else if (after_close)
          ++stats.refusals_checked;
        break;
    }
  }

  // What the server reads back is what it acknowledged.
  void read_back(Link& link) {
    if (link.submitted != Possible{0} || link.cycle->closed) return;
    for (const auto& [item, p] : link.items)
      if (p.size() != 1) return;
    const auto r =
        http_request(port(), "GET", "/api/r/" + link.token, "", {{"Cookie", link.cookie}});
    if (r.status != 200) return;  // the kill, or the cycle closing meanwhile
    const json answers = json::parse(r.body)["answers"];
    for (const auto& [item, p] : link.items) {
      const int want = *p.begin();
      const int got = answers.contains(item) ? code_of(answers[item]) : kAbsent;
      if (got != want)
        failures.add("link " + link.id + ": " + item + " reads " + text_of_code(got) + " after " +
                     text_of_code(want) + " was acknowledged");
    }
    for (const auto& [item, v] : answers.items())
      if (!link.items.contains(item))
        failures.add("link " + link.id + ": reads " + item + ", never sent");
    ++stats.reads_checked;
  }

  void create_cycle() {
    const auto made = admin_send("POST", "/api/orgs/" + org_ + "/cycles",
                                 json{{"name", "Crash " + std::to_string(next_cycle_++)},
                                      {"anonymous", next_cycle_ % 2 == 0}}
                                     .dump());
    if (classify(made, "creating a cycle") != Result::acked) {
      if (made.status != 0 && made.status < 500) failures.add("creating a cycle: " + made.body);
      return;
    }
    auto cycle = std::make_unique<Cycle>();
    cycle->id = json::parse(made.body)["id"];
    const auto opened = admin_send("POST", "/api/cycles/" + cycle->id + "/open");
    if (classify(opened, "opening a cycle") != Result::acked) {
      if (opened.status != 0 && opened.status < 500)
        failures.add("opening a cycle: " + opened.body);
      return;  // an abandoned draft (or open) cycle: no links
    }
    const auto invited =
        admin_send("POST", "/api/cycles/" + cycle->id + "/invitations",
                   json{{"count", 12}, {"role", "frontline"}, {"unit", "Sales"}}.dump());
    if (classify(invited, "inviting") != Result::acked) {
      if (invited.status != 0 && invited.status < 500) failures.add("inviting: " + invited.body);
      return;  // participants no one holds a link of
    }
    const json list = json::parse(invited.body);
    for (const auto& i : list["invitations"]) {
      auto link = std::make_unique<Link>();
      link->token = i["token"];
      link->id = i["id"];
      link->cycle = cycle.get();
      cycle->links.push_back(std::move(link));
    }
    std::lock_guard lock(cycles_mutex_);
    cycles_.push_back(std::move(cycle));
  }

  // The facilitator: keeps three cycles open, closes one now and then.
  void controller(std::uint64_t seed) {
    std::mt19937_64 rng(seed);
    server_lost = false;
    while (!stop_ && !server_lost) {
      std::this_thread::sleep_for(std::chrono::milliseconds(5 + rng() % 25));
      std::vector<Cycle*> open;
      {
        std::lock_guard lock(cycles_mutex_);
        for (auto& c : cycles_)
          if (!c->closed && !c->close_unknown) open.push_back(c.get());
      }
      if (open.size() < 3) {
        create_cycle();
        continue;
      }
      if (rng() % 3 != 0) continue;
      Cycle* c = open[rng() % open.size()];
      if (c->epochs < 1) continue;
      const auto r = admin_send("POST", "/api/cycles/" + c->id + "/close");
      switch (classify(r, "close")) {
        case Result::acked:
          c->closed = true;
          ++stats.closes;
          break;
        case Result::unknown:
          c->close_unknown = true;
          break;
        case Result::refused:
          failures.add("cycle " + c->id + ": close refused: " + r.body);
          break;
      }
    }
  }

  // ---- the live workshop ------------------------------------------------

  Workshop* current_workshop() {
    if (workshops_.empty() || workshops_.back()->ended) return nullptr;
    return workshops_.back().get();
  }

  void workshop_driver(std::uint64_t seed) {
    std::mt19937_64 rng(seed);
    server_lost = false;
    while (!stop_ && !server_lost) {
      std::this_thread::sleep_for(std::chrono::milliseconds(rng() % 8));
      if (workshop_start_unknown_) continue;  // learnt after the restart
      Workshop* ws = current_workshop();
      if (ws && ws->state_unknown) continue;
      if (!ws) {
        start_workshop();
      } else if (ws->phones.size() < 4) {
        join(*ws);
      } else if (ws->current.empty()) {
        change(*ws, "end", "{}");
      } else {
        workshop_step(*ws, rng);
      }
    }
  }

  void start_workshop() {
    const auto r = admin_send("POST", "/api/cycles/" + workshop_cycle_ + "/workshops",
                              R"({"pace":"statement"})");
    switch (classify(r, "workshop start")) {
      case Result::acked: {
        const json s = json::parse(r.body);
        auto ws = std::make_unique<Workshop>();
        ws->id = s["id"];
        ws->code = s["code"];
        ws->adopt(s);
        workshops_.push_back(std::move(ws));
        ++stats.workshop_changes;
        break;
      }
      case Result::unknown:
        workshop_start_unknown_ = true;
        break;
      case Result::refused:
        failures.add("workshop start refused: " + r.body);
        break;
    }
  }

  void join(Workshop& ws) {
    const auto r = http_request(port(), "POST", "/api/join", json{{"code", ws.code}}.dump(),
                                {{"Content-Type", "application/json"}});
    switch (classify(r, "join")) {
      case Result::acked: {
        Phone phone;
        phone.token = json::parse(r.body)["token"];
        phone.cookie = cookie_of(r);  // the last Set-Cookie: the seat's claim
        phone.hash = link_hash(phone.token);
        ws.phones.push_back(std::move(phone));
        break;
      }
      case Result::unknown:
        break;  // a seat no one holds, maybe
      case Result::refused:
        failures.add("workshop " + ws.id + ": join refused: " + r.body);
        break;
    }
  }

  // A phone answers the statement on the screen.
  void phone_answer(Workshop& ws, Phone& phone, const std::string& item, int v) {
    const auto key = std::make_pair(ws.round, item);
    const bool after_reveal = ws.reveals.contains(key);
    const auto r =
        http_request(port(), "PUT", "/api/r/" + phone.token + "/workshop/answers",
                     json{{"round", ws.round}, {"answers", {{item, value_of(v)}}}}.dump(),
                     {{"Content-Type", "application/json"}, {"Cookie", phone.cookie}});
    switch (classify(r, "workshop answer")) {
      case Result::acked:
        if (after_reveal)
          failures.add("workshop " + ws.id + ": answer to " + item + " in round " +
                       std::to_string(ws.round) + " accepted after its reveal");
        phone.answers[key] = {v};
        ++stats.phone_answers;
        break;
      case Result::unknown:
        if (!after_reveal)
          phone.answers.try_emplace(key, Possible{kAbsent}).first->second.insert(v);
        break;
      case Result::refused:
        if (after_reveal)
          ++stats.refusals_checked;
        else if (!(ws.round == 2 && error_code(r) == "not_in_first_round" &&
                   (!phone.answers.contains({1, item}) ||
                    phone.answers[{1, item}].contains(kAbsent))))
          failures.add("workshop " + ws.id + ": answer refused before any reveal: " + r.body);
        break;
    }
  }

  void advance(Workshop& ws, std::mt19937_64& rng) {
    if (rng() % 50 == 0) {
      change(ws, "end", "{}");
    } else if (ws.round == 1 && ws.second_available && rng() % 5 == 0) {
      change(ws, "second-round", "{}");
    } else if (ws.step + 1 < ws.steps) {
      change(ws, "step", json{{"round", ws.round}, {"step", ws.step + 1}}.dump());
    } else if (ws.round == 2) {
      change(ws, "first-round", "{}");
    } else if (ws.second_available) {
      change(ws, "second-round", "{}");
    } else {
      change(ws, "end", "{}");
    }
  }

  void workshop_step(Workshop& ws, std::mt19937_64& rng) {
    const std::string item = ws.current.front();
    const auto key = std::make_pair(ws.round, item);
    if (ws.reveals.contains(key)) {
      // Shown: no phone changes it any more. Then on.
      if (rng() % 3 == 0)
        phone_answer(ws, ws.phones[rng() % ws.phones.size()], item, 1 + rng() % 5);
      if (!ws.state_unknown) advance(ws, rng);
      return;
    }
    // The second round asks only the phones that answered the first.
    std::vector<Phone*> asked;
    for (auto& p : ws.phones) {
      const auto first = p.answers.find({1, item});
      if (ws.round == 1 || (first != p.answers.end() && !first->second.contains(kAbsent)))
        asked.push_back(&p);
    }
    if (asked.size() < 3) {
      advance(ws, rng);
      return;
    }
    std::size_t answered = 0;
    for (const Phone* p : asked) {
      const auto a = p->answers.find(key);
      if (a != p->answers.end() && a->second.size() == 1 && !a->second.contains(kAbsent))
        ++answered;
    }
    if (answered >= 3 && rng() % 2 == 0) {
      reveal(ws, item);
      return;
    }
    // Mostly a phone that has not answered; sometimes one changing its mind.
    std::vector<Phone*> waiting;
    for (Phone* p : asked)
      if (!p->answers.contains(key)) waiting.push_back(p);
    Phone& phone = waiting.empty() || rng() % 5 == 0 ? *asked[rng() % asked.size()]
                                                     : *waiting[rng() % waiting.size()];
    phone_answer(ws, phone, item, rng() % 8 == 0 ? kDontKnow : 1 + static_cast<int>(rng() % 5));
  }

  void reveal(Workshop& ws, const std::string& item) {
    const auto key = std::make_pair(ws.round, item);
    const auto r = admin_send("POST", "/api/workshops/" + ws.id + "/reveal",
                              json{{"round", ws.round}, {"item", item}}.dump());
    switch (classify(r, "reveal")) {
      case Result::acked: {
        const json s = json::parse(r.body);
        Reveal shown;
        for (const auto& c : s["current"]) {
          if (c["id"] != item) continue;
          shown.histogram = c["figures"]["histogram"].get<std::vector<int>>();
          shown.dont_know = c["figures"]["dont_know"];
        }
        // What it shows is what the phones were told was saved.
        bool known = true;
        Reveal expected{std::vector<int>(5, 0), 0};
        for (const auto& p : ws.phones) {
          const auto a = p.answers.find(key);
          if (a == p.answers.end()) continue;
          if (a->second.size() != 1) known = false;
          const int v = *a->second.begin();
          if (v == kDontKnow) ++expected.dont_know;
          if (v > 0) ++expected.histogram[static_cast<std::size_t>(v - 1)];
        }
        if (known &&
            (expected.histogram != shown.histogram || expected.dont_know != shown.dont_know))
          failures.add("workshop " + ws.id + ": reveal of " + item + " shows " +
                       histogram_text(shown.histogram) + " (" + std::to_string(shown.dont_know) +
                       " don't know), the acknowledged answers give " +
                       histogram_text(expected.histogram) + " (" +
                       std::to_string(expected.dont_know) + ")");
        ws.reveals[key] = shown;
        ws.adopt(s);
        ++stats.reveals;
        break;
      }
      case Result::unknown:
        ws.reveals_unknown.insert(key);
        ws.state_unknown = true;
        break;
      case Result::refused:
        failures.add("workshop " + ws.id + ": reveal of " + item +
                     " with 3 acknowledged answers refused: " + r.body);
        break;
    }
  }

  void change(Workshop& ws, const std::string& what, const std::string& body) {
    const auto r = admin_send("POST", "/api/workshops/" + ws.id + "/" + what, body);
    switch (classify(r, "workshop " + what)) {
      case Result::acked:
        ws.adopt(json::parse(r.body));
        ++stats.workshop_changes;
        break;
      case Result::unknown:
        ws.state_unknown = true;
        break;
      case Result::refused:
        failures.add("workshop " + ws.id + ": " + what + " " + body + " refused: " + r.body);
        break;
    }
  }

  // ---- the checks after a restart ----------------------------------------

  void verify(bool full) {
    if (http_request(port(), "GET", "/api/health").status != 200)
      failures.add("the restarted server is not healthy");
    RawDatabase raw(db_);
    // Cycles: closed when its close was acknowledged, else open.
    std::map<std::string, std::string> status;
    for (const auto& row : raw.rows("SELECT id, status FROM cycles")) status[*row[0]] = *row[1];
    std::vector<std::string> checked = {workshop_cycle_};
    std::map<std::string, Cycle*> by_id;
    for (auto& c : cycles_) {
      const auto s = status.find(c->id);
      if (s == status.end()) {
        failures.add("cycle " + c->id + ": gone");
        continue;
      }
      if (c->close_unknown) {
        c->closed = s->second == "closed";
        c->close_unknown = false;
      } else if (c->closed != (s->second == "closed")) {
        failures.add("cycle " + c->id + ": " + s->second + " though its close was " +
                     (c->closed ? "" : "never ") + "acknowledged");
      }
      if (full || !c->settled) {
        checked.push_back(c->id);
        by_id[c->id] = c.get();
      }
    }
    // Participants and their answers.
    struct Person {
      std::string cycle, workshop, hash;
      bool submitted = false;
      std::map<std::pair<int, std::string>, int> answers;
    };
    std::map<std::string, Person> people;
    std::map<std::string, std::string> id_by_hash;
    for (const auto& row :
         raw.rows("SELECT id, cycle_id, CASE WHEN submitted_at IS NULL THEN 0 ELSE 1 END, "
                  "COALESCE(workshop_id, ''), token_hash FROM participants WHERE cycle_id IN " +
                  sql_list(checked))) {
      Person& p = people[*row[0]];
      p.cycle = *row[1];
      p.submitted = *row[2] == "1";
      p.workshop = *row[3];
      p.hash = *row[4];
      if (!p.workshop.empty()) id_by_hash[p.hash] = *row[0];
    }
    for (const auto& row :
         raw.rows("SELECT a.participant_id, a.round, a.item_id, a.value FROM answers a JOIN "
                  "participants p ON p.id = a.participant_id WHERE p.cycle_id IN " +
                  sql_list(checked))) {
      const int v = row[3] ? std::stoi(*row[3]) : kDontKnow;
      const auto key = std::make_pair(std::stoi(*row[1]), *row[2]);
      if (!people[*row[0]].answers.emplace(key, v).second)
        failures.add("participant " + *row[0] + ": " + *row[2] + " stored twice");
    }
    std::set<std::string> known;
    auto check_cells = [&](const std::string& who,
                           std::map<std::pair<int, std::string>, int> stored, auto& expected) {
      for (auto& [key, possible] : expected) {
        const auto it = stored.find(key);
        const int got = it == stored.end() ? kAbsent : it->second;
        if (possible.size() == 1 && !possible.contains(kAbsent)) ++stats.cells_checked;
        if (!possible.contains(got)) {
          failures.add(who + ": " + key.second + " (round " + std::to_string(key.first) + ") is " +
                       text_of_code(got) + ", expected one of " + text_of(possible));
        }
        possible = {got};
        if (it != stored.end()) stored.erase(it);
      }
      for (const auto& [key, v] : stored)
        failures.add(who + ": " + key.second + " (round " + std::to_string(key.first) +
                     ") = " + text_of_code(v) + " was never sent");
    };
    for (auto& [id, c] : by_id) {
      for (auto& link : c->links) {
        known.insert(link->id);
        const auto p = people.find(link->id);
        if (p == people.end()) {
          failures.add("link " + link->id + ": its invitation is gone");
          continue;
        }
        std::map<std::pair<int, std::string>, Possible> expected;
        for (auto& [item, possible] : link->items) expected[{1, item}] = possible;
        check_cells("link " + link->id, p->second.answers, expected);
        for (auto& [key, possible] : expected) link->items[key.second] = possible;
        const int got = p->second.submitted ? 1 : 0;
        if (!link->submitted.contains(got))
          failures.add("link " + link->id +
                       (got ? ": submitted, never asked" : ": submission lost"));
        link->submitted = {got};
      }
      if (c->closed) c->settled = true;
    }
    verify_workshops(raw, people, id_by_hash, known, check_cells);
    for (const auto& [id, p] : people)
      if (!known.contains(id) && !p.answers.empty())
        failures.add("participant " + id + " (no one's link) has " +
                     std::to_string(p.answers.size()) + " answers");
  }

  template <typename People, typename Check>
  void verify_workshops(RawDatabase& raw, People& people,
                        const std::map<std::string, std::string>& id_by_hash,
                        std::set<std::string>& known, Check& check_cells) {
    struct Row {
      int round, step;
      bool ended;
    };
    std::map<std::string, Row> rows;
    std::string open_one;
    for (const auto& row :
         raw.rows("SELECT id, round, step, CASE WHEN open_code IS NULL THEN 1 ELSE 0 END FROM "
                  "workshops WHERE cycle_id = '" +
                  workshop_cycle_ + "'")) {
      rows[*row[0]] = {std::stoi(*row[1]), std::stoi(*row[2]), *row[3] == "1"};
      if (*row[3] == "0") open_one = *row[0];
    }
    if (workshop_start_unknown_) {
      workshop_start_unknown_ = false;
      const bool tracked = std::any_of(workshops_.begin(), workshops_.end(),
                                       [&](const auto& w) { return w->id == open_one; });
      if (!open_one.empty() && !tracked) {
        auto ws = std::make_unique<Workshop>();
        ws->id = open_one;
        ws->state_unknown = true;  // its state (and code) from the API below
        workshops_.push_back(std::move(ws));
      }
    }
    std::vector<std::string> ids;
    for (auto& ws : workshops_) {
      ids.push_back(ws->id);
      const auto row = rows.find(ws->id);
      if (row == rows.end()) {
        failures.add("workshop " + ws->id + ": gone");
        continue;
      }
      if (ws->state_unknown) {
        const auto r = admin_send("GET", "/api/workshops/" + ws->id, "");
        if (r.status != 200) {
          failures.add("workshop " + ws->id + ": GET answered " + std::to_string(r.status));
          continue;
        }
        const json s = json::parse(r.body);
        ws->adopt(s);
        if (!ws->ended) ws->code = s["code"];
        ws->state_unknown = false;
      }
      if (row->second.ended != ws->ended ||
          (!ws->ended && (row->second.round != ws->round || row->second.step != ws->step)))
        failures.add("workshop " + ws->id + ": round " + std::to_string(row->second.round) +
                     " step " + std::to_string(row->second.step) +
                     (row->second.ended ? " ended" : " open") + "; acknowledged: round " +
                     std::to_string(ws->round) + " step " + std::to_string(ws->step) +
                     (ws->ended ? " ended" : " open"));
      for (auto& phone : ws->phones) {
        if (phone.id.empty()) {
          const auto id = id_by_hash.find(phone.hash);
          if (id == id_by_hash.end()) {
            failures.add("workshop " + ws->id + ": a joined phone's seat is gone");
            continue;
          }
          phone.id = id->second;
        }
        known.insert(phone.id);
        check_cells("phone " + phone.id, people[phone.id].answers, phone.answers);
      }
    }
    // Reveals: each acknowledged one kept with what it showed; none never
    // asked; each what the answers give.
    std::map<std::pair<std::string, std::pair<int, std::string>>, Reveal> stored;
    for (const auto& row :
         raw.rows("SELECT workshop_id, round, item_id, histogram, dont_know FROM workshop_reveals "
                  "WHERE workshop_id IN " +
                  sql_list(ids))) {
      Reveal r;
      std::istringstream in(*row[3]);
      for (int n; in >> n;) r.histogram.push_back(n);
      r.dont_know = std::stoi(*row[4]);
      stored[{*row[0], {std::stoi(*row[1]), *row[2]}}] = r;
    }
    for (auto& ws : workshops_) {
      for (auto& [key, shown] : ws->reveals) {
        const auto it = stored.find({ws->id, key});
        if (it == stored.end()) {
          failures.add("workshop " + ws->id + ": the acknowledged reveal of " + key.second +
                       " (round " + std::to_string(key.first) + ") is gone");
        } else if (it->second.histogram != shown.histogram ||
                   it->second.dont_know != shown.dont_know) {
          failures.add("workshop " + ws->id + ": reveal of " + key.second + " now " +
                       histogram_text(it->second.histogram) + ", showed " +
                       histogram_text(shown.histogram));
        }
      }
      for (const auto& [key, r] : stored) {
        if (key.first != ws->id || ws->reveals.contains(key.second)) continue;
        if (ws->reveals_unknown.contains(key.second)) {
          ws->reveals[key.second] = r;
        } else {
          failures.add("workshop " + ws->id + ": " + key.second.second + " revealed, never asked");
        }
      }
      ws->reveals_unknown.clear();
    }
    for (const auto& [key, r] : stored) {
      Reveal from_answers{std::vector<int>(5, 0), 0};
      for (const auto& [id, p] : people) {
        if (p.workshop != key.first) continue;
        const auto a = p.answers.find(key.second);
        if (a == p.answers.end()) continue;
        if (a->second == kDontKnow) ++from_answers.dont_know;
        if (a->second > 0) ++from_answers.histogram[static_cast<std::size_t>(a->second - 1)];
      }
      if (from_answers.histogram != r.histogram || from_answers.dont_know != r.dont_know)
        failures.add("workshop " + key.first + ": reveal of " + key.second.second + " keeps " +
                     histogram_text(r.histogram) + ", its answers give " +
                     histogram_text(from_answers.histogram));
    }
  }

  std::string kind_;
  TempDir& dir_;
  std::string db_;
  std::uint64_t seed_ = 0;
  std::mt19937_64 rng_;
  std::unique_ptr<ServerProcess> server_;
  std::atomic<bool> stop_{false};
  Admin admin_;
  std::string org_, workshop_cycle_;
  std::vector<std::string> items_;
  std::mutex cycles_mutex_;
  std::vector<std::unique_ptr<Cycle>> cycles_;
  int next_cycle_ = 1;
  std::vector<std::unique_ptr<Workshop>> workshops_;  // the workshop driver's, between checks
  bool workshop_start_unknown_ = false;
};

class CrashTest : public ::testing::TestWithParam<std::string> {};

TEST_P(CrashTest, AcknowledgedWritesAndRulesSurviveKillsAtRandomMoments) {
  ASSERT_EQ(sodium_init() >= 0, true);
  const long kills = std::max(1L, env_number("CXM_CRASH_KILLS", 20));
  TempDir dir;
  CrashLoop loop(GetParam(), dir);
  std::cerr << "crash loop: " << GetParam() << ", " << kills
            << " kills, CXM_CRASH_SEED=" << loop.seed() << "\n";
  const auto started = Clock::now();
  loop.begin(3);
  ASSERT_FALSE(HasFatalFailure());
  // `kills` SIGKILLs under load; every tenth round a SIGTERM besides.
  for (int i = 0; loop.stats.kills < kills && !loop.failures.any(); ++i) {
    loop.epoch(i, i % 10 != 9 && loop.stats.kills + 1 == kills);
    if ((i + 1) % 100 == 0)
      std::cerr << "crash loop: " << loop.stats.kills << " SIGKILLs, " << loop.stats.answers
                << " answers\n";
  }
  loop.finish();
  const double seconds = std::chrono::duration<double>(Clock::now() - started).count();
  const Stats& s = loop.stats;
  std::cerr << "crash loop: " << GetParam() << " done in " << seconds << " s: " << s.kills
            << " SIGKILLs, " << s.sigterms << " SIGTERMs, " << s.startup_kills
            << " kills while starting, after " << s.load_ms
            << " ms under load in all; acknowledged: " << s.answer_writes << " answer writes ("
            << s.answers << " answers), " << s.phone_answers << " workshop answers, "
            << s.submissions << " submissions, " << s.closes << " closes, " << s.reveals
            << " reveals, " << s.workshop_changes << " other workshop changes; " << s.cells_checked
            << " acknowledged answer cells found after restarts; " << s.reads_checked
            << " read-backs; " << s.refusals << " refusals (" << s.refusals_checked
            << " required by a rule); " << s.unknown << " requests without an answer; "
            << s.server_errors << " 5xx\n";
  std::lock_guard lock(loop.failures.mutex);
  EXPECT_TRUE(loop.failures.list.empty())
      << loop.failures.list.size() << " failures, the first: " << loop.failures.list.front()
      << " (CXM_CRASH_SEED=" << loop.seed() << ", database " << loop.db() << ")";
  // The loop did something worth checking.
  EXPECT_GT(s.answer_writes, 0);
  EXPECT_GT(s.cells_checked, 0);
}

// A PUT whose head is sent with "Expect: 100-continue" and whose body is
// held back: once the server has answered "100 Continue" it has read the
// head, and the request is in flight.
class HeldRequest {
 public:
  HeldRequest(int port, const std::string& target, const std::string& body,
              const std::string& cookie)
      : body_(body) {
    fd_ = socket(AF_INET, SOCK_STREAM, 0);
    timeval timeout{30, 0};
    setsockopt(fd_, SOL_SOCKET, SO_RCVTIMEO, &timeout, sizeof timeout);
    sockaddr_in address{};
    address.sin_family = AF_INET;
    address.sin_port = htons(static_cast<std::uint16_t>(port));
    address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    if (connect(fd_, reinterpret_cast<sockaddr*>(&address), sizeof address) != 0) return;
    const std::string head =
        "PUT " + target +
        " HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n"
        "Content-Type: application/json\r\nCookie: " +
        cookie + "\r\nExpect: 100-continue\r\nContent-Length: " + std::to_string(body.size()) +
        "\r\n\r\n";
    if (send(fd_, head.data(), head.size(), MSG_NOSIGNAL) != static_cast<ssize_t>(head.size()))
      return;
    std::string got;
    char c;
    while (got.find("\r\n\r\n") == std::string::npos && recv(fd_, &c, 1, 0) == 1) got += c;
    continued_ = got.rfind("HTTP/1.1 100 ", 0) == 0;
  }
  ~HeldRequest() {
    if (fd_ >= 0) close(fd_);
  }
  bool continued() const { return continued_; }
  // Sends the body; the response's status (0: none).
  int finish() {
    if (send(fd_, body_.data(), body_.size(), MSG_NOSIGNAL) != static_cast<ssize_t>(body_.size()))
      return 0;
    std::string raw;
    char buffer[4096];
    for (ssize_t n; (n = recv(fd_, buffer, sizeof buffer, 0)) > 0;)
      raw.append(buffer, static_cast<std::size_t>(n));
    return raw.rfind("HTTP/1.1 ", 0) == 0 ? std::stoi(raw.substr(9, 3)) : 0;
  }

 private:
  int fd_ = -1;
  std::string body_;
  bool continued_ = false;
};

// SIGTERM (SPEC §8): requests in flight when it comes are answered, what
// they saved is there after the restart, and the server exits cleanly.
TEST_P(CrashTest, SigtermFinishesRequestsInFlight) {
  TempDir dir;
  const std::string db = test_database(GetParam(), dir.path());
  auto server = std::make_unique<ServerProcess>(db);
  Client admin(server->port());
  ASSERT_EQ(admin.setup("lead@example.org", "correct horse battery"), 201);
  const auto org = admin.send("POST", "/api/orgs", R"({"name":"Acme","units":["Sales"]})");
  ASSERT_EQ(org.status, 201);
  const auto made =
      admin.send("POST", "/api/orgs/" + json::parse(org.body)["id"].get<std::string>() + "/cycles",
                 R"({"name":"Spring"})");
  ASSERT_EQ(made.status, 201);
  const std::string cycle = json::parse(made.body)["id"];
  ASSERT_EQ(admin.send("POST", "/api/cycles/" + cycle + "/open").status, 200);
  const auto invited = admin.send("POST", "/api/cycles/" + cycle + "/invitations",
                                  R"({"count":8,"role":"frontline","unit":"Sales"})");
  ASSERT_EQ(invited.status, 201);
  std::vector<std::pair<std::string, std::string>> links;  // token, claim cookie
  const json list = json::parse(invited.body);
  for (const auto& i : list["invitations"]) {
    const std::string token = i["token"];
    const auto claimed = http_request(server->port(), "POST", "/api/r/" + token + "/claim", "{}",
                                      {{"Content-Type", "application/json"}});
    ASSERT_EQ(claimed.status, 200);
    links.emplace_back(token, cookie_of(claimed));
  }
  std::vector<std::unique_ptr<HeldRequest>> held;
  for (std::size_t i = 0; i < links.size(); ++i) {
    const json body = {{"answers", {{"LS2b", 1 + static_cast<int>(i % 5)}, {"LS3", nullptr}}}};
    held.push_back(std::make_unique<HeldRequest>(
        server->port(), "/api/r/" + links[i].first + "/answers", body.dump(), links[i].second));
    ASSERT_TRUE(held.back()->continued());
  }
  ASSERT_EQ(kill(server->pid(), SIGTERM), 0);
  // The server has begun to stop once it takes no new connection.
  int refused_after = 0;
  while (http_request(server->port(), "GET", "/api/health").status != 0 && refused_after < 1000) {
    std::this_thread::sleep_for(std::chrono::milliseconds(10));
    ++refused_after;
  }
  ASSERT_LT(refused_after, 1000) << "the server kept taking connections after SIGTERM";
  for (auto& request : held) EXPECT_EQ(request->finish(), 200);
  EXPECT_EQ(server->stop(SIGTERM), 0);

  server = std::make_unique<ServerProcess>(db);
  for (std::size_t i = 0; i < links.size(); ++i) {
    const auto r = http_request(server->port(), "GET", "/api/r/" + links[i].first, "",
                                {{"Cookie", links[i].second}});
    ASSERT_EQ(r.status, 200);
    const json answers = json::parse(r.body)["answers"];
    EXPECT_EQ(answers, json({{"LS2b", 1 + static_cast<int>(i % 5)}, {"LS3", nullptr}})) << i;
  }
}

INSTANTIATE_TEST_SUITE_P(Databases, CrashTest, ::testing::Values("sqlite", "postgresql"),
                         [](const auto& info) { return info.param; });

}  // namespace
}  // namespace cxm::testing
