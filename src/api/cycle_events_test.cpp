// Live states (api/cycle_events.h): a change builds its state once, on the
// thread of the handler that made it, and the change feed's echo of this
// process's own change builds nothing; another process's change is built
// on the events thread.
#include "api/cycle_events.h"

#include <gtest/gtest.h>

#include <atomic>
#include <chrono>
#include <condition_variable>
#include <future>
#include <mutex>
#include <nlohmann/json.hpp>
#include <thread>

#include "../../tests/run_process.h"
#include "api/app.h"
#include "store/store.h"

namespace cxm::api {
namespace {

using namespace std::chrono_literals;
using nlohmann::json;

// A stream that keeps what it was sent.
class KeptStream : public http::Stream {
 public:
  bool send(std::string data) override {
    std::lock_guard lock(mutex_);
    sent_.push_back(std::move(data));
    arrived_.notify_all();
    return true;
  }
  void close() override { open_ = false; }
  bool is_open() const override { return open_; }

  std::vector<std::string> sent() {
    std::lock_guard lock(mutex_);
    return sent_;
  }
  // The data of every event sent so far, once there are `count`.
  std::vector<json> wait_for(std::size_t count, std::chrono::milliseconds limit = 5000ms) {
    std::unique_lock lock(mutex_);
    arrived_.wait_for(lock, limit, [&] { return sent_.size() >= count; });
    std::vector<json> out;
    for (const auto& text : sent_) {
      const auto at = text.find("data: ");
      out.push_back(json::parse(text.substr(at + 6, text.find('\n', at) - at - 6)));
    }
    return out;
  }

 private:
  std::mutex mutex_;
  std::condition_variable arrived_;
  std::vector<std::string> sent_;
  std::atomic<bool> open_{true};
};

// A publish builds the state once, on the publishing thread, sends it to
// the followers and returns it; publish_if_followed builds nothing when
// no stream follows.
TEST(CycleEvents, APublishBuildsOnTheCallersThreadAndSendsWhatItBuilt) {
  std::atomic<int> version{1};
  std::mutex mutex;
  std::vector<std::thread::id> builders;
  CycleEvents events(
      [&](const std::string& id) -> std::optional<std::string> {
        std::lock_guard lock(mutex);
        builders.push_back(std::this_thread::get_id());
        return json{{"id", id}, {"version", version.load()}}.dump();
      },
      600000ms, "workshop");
  events.publish_if_followed("w1");
  EXPECT_EQ(events.built(), 0u) << "a state nobody follows was built";
  auto stream = std::make_shared<KeptStream>();
  events.follow("w1", stream, "");
  ASSERT_EQ(stream->wait_for(1).size(), 1u);  // the first state, from the events thread
  EXPECT_EQ(events.built(), 1u);
  version = 2;
  const auto published = events.publish("w1");
  ASSERT_TRUE(published);
  EXPECT_EQ(json::parse(*published)["version"], 2);
  EXPECT_EQ(events.built(), 2u);
  const auto sent = stream->wait_for(2);
  ASSERT_EQ(sent.size(), 2u);
  EXPECT_EQ(sent[1]["version"], 2);
  {
    std::lock_guard lock(mutex);
    ASSERT_EQ(builders.size(), 2u);
    EXPECT_NE(builders[0], std::this_thread::get_id());
    EXPECT_EQ(builders[1], std::this_thread::get_id()) << "the published state was built elsewhere";
  }
  // The same state again: built (the caller wants it) but not sent again.
  events.publish_if_followed("w1");
  EXPECT_EQ(events.built(), 3u);
  std::this_thread::sleep_for(100ms);
  EXPECT_EQ(stream->sent().size(), 2u);
  EXPECT_EQ(CycleEvents::state_id(*published),
            stream->sent()[1].substr(4, 16));  // "id: " + the fingerprint
}

// The events thread and a handler may build one state at once: the state
// whose build started later is newer, and one built earlier and finished
// later is never sent over it.
TEST(CycleEvents, AStateBuiltEarlierNeverOvertakesANewerOne) {
  std::atomic<int> version{1};
  std::mutex mutex;
  std::condition_variable released;
  bool hold = false, holding = false, go = false;
  CycleEvents events(
      [&](const std::string&) -> std::optional<std::string> {
        const int seen = version.load();
        std::unique_lock lock(mutex);
        if (hold && !holding) {
          holding = true;
          released.notify_all();
          released.wait(lock, [&] { return go; });
        }
        return json{{"version", seen}}.dump();
      },
      600000ms, "workshop");
  auto stream = std::make_shared<KeptStream>();
  events.follow("w1", stream, "");
  ASSERT_EQ(stream->wait_for(1).size(), 1u);
  {
    std::lock_guard lock(mutex);
    hold = true;  // the events thread's next build waits, having read version 1
  }
  events.changed("w1");
  {
    std::unique_lock lock(mutex);
    ASSERT_TRUE(released.wait_for(lock, 5s, [&] { return holding; }));
  }
  version = 2;
  ASSERT_TRUE(events.publish("w1"));  // not held: `holding` is set
  {
    std::lock_guard lock(mutex);
    go = true;
  }
  released.notify_all();
  std::this_thread::sleep_for(200ms);
  const auto sent = stream->wait_for(2);
  ASSERT_EQ(sent.size(), 2u);
  EXPECT_EQ(sent[1]["version"], 2);
  EXPECT_EQ(events.built(), 3u);
}

// One App on a SQLite file, called in this process as the server would.
class LiveWorkshopEvents : public ::testing::Test {
 protected:
  cxm::testing::TempDir dir;
  std::string path = dir.path() + "/cxm.db";
  std::unique_ptr<store::Store> store =
      store::Store::open(store::DatabaseUrl{store::DatabaseUrl::Kind::sqlite, path});
  std::unique_ptr<App> app = std::make_unique<App>(*store, options(), [] {
    return std::chrono::duration_cast<std::chrono::milliseconds>(
               std::chrono::system_clock::now().time_since_epoch())
        .count();
  });
  std::string cookie, csrf;
  std::vector<http::StreamReply> replies;  // hold the streams' places

  ~LiveWorkshopEvents() override {
    app.reset();
    store.reset();
  }

  static AppOptions options() {
    AppOptions o;
    o.live_poll_ms = 600000;  // only changes build states here
    return o;
  }

  http::Request request(const std::string& method, const std::string& path, const std::string& body,
                        std::map<std::string, std::string> headers) {
    http::Request r;
    r.method = method;
    r.target = path;
    r.path = path;
    r.body = body;
    r.headers = std::move(headers);
    if (!body.empty()) r.headers["content-type"] = "application/json";
    r.remote_address = "127.0.0.1";
    r.request_id = "test";
    return r;
  }
  // Runs a deferred handler's steps inline, on whichever thread moves it.
  struct InlineThreads : http::Threads {
    void to_worker(std::function<void()> fn) override { fn(); }
    void to_io_thread(std::function<void()> fn) override { fn(); }
  };
  http::Response call(const std::string& method, const std::string& path, const json& body = {},
                      std::map<std::string, std::string> headers = {}) {
    auto r = request(method, path, body.is_null() ? "" : body.dump(), std::move(headers));
    const auto match = app->router().match(r);
    if (match.runs_on != http::RunsOn::deferred) return app->router().run(match, r);
    // A deferred route (an answer awaits the writer): run to its response.
    InlineThreads threads;
    http::Exchange exchange(r, match.params, threads);
    std::promise<http::Response> done;
    app->router().start(match, exchange,
                        [&](http::Response response) { done.set_value(std::move(response)); });
    return done.get_future().get();
  }
  http::Response as_admin(const std::string& method, const std::string& path,
                          const json& body = {}) {
    return call(method, path, body, {{"cookie", cookie}, {"x-csrf-token", csrf}});
  }
  std::shared_ptr<KeptStream> follow(const std::string& path,
                                     std::map<std::string, std::string> headers = {}) {
    const auto r = request("GET", path, "", std::move(headers));
    auto reply = app->router().open(app->router().match(r), r);
    EXPECT_FALSE(reply.answer) << reply.answer->body;
    auto stream = std::make_shared<KeptStream>();
    reply.opened(stream);
    replies.push_back(std::move(reply));
    return stream;
  }
  static std::string cookie_of(const http::Response& r, const std::string& name) {
    for (const auto& [header, value] : r.headers) {
      if (header == "Set-Cookie" && value.rfind(name + "=", 0) == 0)
        return value.substr(0, value.find(';'));
    }
    return "";
  }
};

// A reveal builds the projector's state once (in the handler, which answers
// it) and the room's once; the change feed's echo of it builds nothing.
// Before: the handler, the events thread and the echo each built the
// projector's state (3), the events thread and the echo the room's (2).
// A change made by another process is built once each, on the events thread.
TEST_F(LiveWorkshopEvents, AChangeBuildsEachLiveStateOnce) {
  const auto setup = call(
      "POST", "/api/setup",
      {{"email", "lead@example.org"}, {"name", "Lead"}, {"password", "correct horse battery"}});
  ASSERT_EQ(setup.status, 201) << setup.body;
  cookie = cookie_of(setup, "cxm_session");
  csrf = json::parse(setup.body)["csrf_token"];
  const auto org = as_admin("POST", "/api/orgs", {{"name", "Acme"}, {"units", {"Sales"}}});
  ASSERT_EQ(org.status, 201) << org.body;
  const auto cycle =
      as_admin("POST", "/api/orgs/" + json::parse(org.body)["id"].get<std::string>() + "/cycles",
               {{"name", "Spring"}, {"anonymous", false}});
  ASSERT_EQ(cycle.status, 201) << cycle.body;
  const std::string cycle_id = json::parse(cycle.body)["id"];
  ASSERT_EQ(as_admin("POST", "/api/cycles/" + cycle_id + "/open").status, 200);
  const auto started = as_admin("POST", "/api/cycles/" + cycle_id + "/workshops");
  ASSERT_EQ(started.status, 201) << started.body;
  const std::string ws = json::parse(started.body)["id"];
  const std::string code = json::parse(started.body)["code"];
  const std::string item = json::parse(started.body)["current"][0]["id"];

  struct Phone {
    std::string token, claim;
  };
  std::vector<Phone> phones;
  for (int i = 0; i < 3; ++i) {
    const auto joined = call("POST", "/api/join", {{"code", code}});
    ASSERT_EQ(joined.status, 200) << joined.body;
    phones.push_back({json::parse(joined.body)["token"], cookie_of(joined, "cxm_claim")});
    ASSERT_FALSE(phones.back().claim.empty());
  }
  auto projector = follow("/api/workshops/" + ws + "/events", {{"cookie", cookie}});
  auto room = follow("/api/r/" + phones[0].token + "/workshop/events");
  for (const auto& phone : phones) {
    ASSERT_EQ(call("PUT", "/api/r/" + phone.token + "/workshop/answers",
                   {{"round", 1}, {"answers", {{item, 3}}}}, {{"cookie", phone.claim}})
                  .status,
              200);
  }
  // Settled: the counts shown, every echo of the joins and answers arrived.
  for (int tries = 0; tries < 50; ++tries) {
    const auto shown = projector->wait_for(1);
    if (!shown.empty() && shown.back()["current"][0]["answered"] == 3) break;
    std::this_thread::sleep_for(100ms);
  }
  ASSERT_EQ(projector->wait_for(1).back()["current"][0]["answered"], 3);
  ASSERT_EQ(room->wait_for(1).size(), 1u);
  std::this_thread::sleep_for(600ms);

  const auto before = app->live_states_built();
  const auto projector_events = projector->sent().size();
  const auto revealed =
      as_admin("POST", "/api/workshops/" + ws + "/reveal", {{"round", 1}, {"item", item}});
  ASSERT_EQ(revealed.status, 200) << revealed.body;
  EXPECT_TRUE(json::parse(revealed.body)["current"][0]["revealed"]);
  // The screens have it when the handler answers, without another thread.
  ASSERT_EQ(projector->sent().size(), projector_events + 1);
  EXPECT_EQ(projector->wait_for(projector_events + 1).back(), json::parse(revealed.body));
  ASSERT_EQ(room->sent().size(), 2u);
  EXPECT_TRUE(room->wait_for(2).back()["current"][0]["revealed"]);
  std::this_thread::sleep_for(600ms);  // the change feed's echo (SQLite: every 100 ms)
  const auto after = app->live_states_built();
  EXPECT_EQ(after.workshop - before.workshop, 1u) << "projector states built for one reveal";
  EXPECT_EQ(after.room - before.room, 1u) << "room states built for one reveal";
  EXPECT_EQ(projector->sent().size(), projector_events + 1);
  EXPECT_EQ(room->sent().size(), 2u);

  // Another process moves the workshop on: its change comes through the
  // feed, and is built once each on the events thread.
  {
    auto other = store::Store::open(store::DatabaseUrl{store::DatabaseUrl::Kind::sqlite, path});
    ASSERT_EQ(other->set_workshop_step(ws, 1, 1), store::WorkshopChange::done);
  }
  EXPECT_EQ(room->wait_for(3).back()["step"], 1);
  EXPECT_EQ(projector->wait_for(projector_events + 2).back()["step"], 1);
  std::this_thread::sleep_for(300ms);
  const auto moved = app->live_states_built();
  EXPECT_EQ(moved.workshop - after.workshop, 1u);
  EXPECT_EQ(moved.room - after.room, 1u);
}

}  // namespace
}  // namespace cxm::api
