// Screens following a cycle live (GET /api/cycles/{cycle}/events, a
// text/event-stream): the facilitator's cycle page and, later, the
// workshop's projector.
//
// Each event is the cycle's whole live state (its status and response
// counts, with the anonymity rule of the counts), and its id is a
// fingerprint of that state. A client reconnecting with Last-Event-ID is
// sent the state only when it differs from the one it last saw: nothing is
// lost (the state carries everything) and nothing is repeated.
//
// A handler that has just changed a cycle publishes its state itself
// (`publish`): built once, on the handler's thread, sent to every follower
// from there and answered to the client, with no other thread involved.
// The change feed's echo of this process's own change is not passed on
// (store::Change::own; Context::forget), so nothing rebuilds what was just
// published. Otherwise one thread builds and sends the events, never an I/O
// thread: it is woken when another process announces a change of a
// followed cycle (the store's change feed: PostgreSQL NOTIFY, SQLite's
// changes table), by `changed` (a burst of answers or joins makes one
// state), and every `poll` for what is not announced (answers saved before
// submission, new links). A state is built once per change, whatever the
// number of screens.
#pragma once

#include <atomic>
#include <chrono>
#include <condition_variable>
#include <cstdint>
#include <functional>
#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <set>
#include <string>
#include <thread>
#include <vector>

#include "http/handling.h"

namespace cxm::api {

class CycleEvents {
 public:
  // The cycle's live state as JSON, or nullopt when it is gone. Called on
  // the events thread; may block (reads the database); may throw (the
  // database is down: tried again at the next poll).
  using State = std::function<std::optional<std::string>(const std::string& cycle_id)>;

  // `event` names the events sent ("cycle"; "workshop" and "room" for the
  // workshop's projector and phones, keyed by workshop id).
  explicit CycleEvents(State state,
                       std::chrono::milliseconds poll = std::chrono::milliseconds(2000),
                       std::string event = "cycle");
  ~CycleEvents();  // stops the thread; streams stay open (the server ends them)
  CycleEvents(const CycleEvents&) = delete;
  CycleEvents& operator=(const CycleEvents&) = delete;

  // Sends `stream` the cycle's state now (unless its id is `last_event_id`)
  // and every change from now on, until the stream ends.
  void follow(const std::string& cycle_id, std::shared_ptr<http::Stream> stream,
              std::string last_event_id);
  // A followed stream of the cycle has ended: forget the ended ones.
  void ended(const std::string& cycle_id);
  // The cycle changed: its state is built on the events thread, soon (one
  // state for changes coming together; never blocks).
  void changed(const std::string& cycle_id);
  // This process has just changed the cycle: builds its state now, on the
  // calling thread (may block, may throw as State does), sends it to the
  // followers and returns it (nullopt: the cycle is gone). A state built
  // earlier elsewhere and published after it is never sent over it.
  std::optional<std::string> publish(const std::string& cycle_id);
  // As publish, only when a stream follows the cycle (nothing else needs
  // the state then); never throws (a failed build is left to the events
  // thread).
  void publish_if_followed(const std::string& cycle_id);
  // Changes may have been missed: rebuild every followed cycle's state.
  void changed_all();

  // How many streams follow a cycle now (for tests and the benchmark).
  std::size_t followers(const std::string& cycle_id);
  // How many states were built so far, on any thread (for tests: a change
  // builds its state once).
  std::size_t built() const { return built_.load(); }

  // "id: ID\nevent: EVENT\ndata: DATA\n\n"; `data` must be one line (JSON).
  static std::string event_text(const std::string& id, const std::string& data,
                                const std::string& event = "cycle");
  // The id of a state: 16 hex digits of its 64-bit FNV-1a hash.
  static std::string state_id(const std::string& data);

 private:
  struct Follower {
    std::shared_ptr<http::Stream> stream;
    std::string last_id;
  };
  void run();
  // Builds the state (counted) and sends it unless a state whose build
  // started later was sent already; `ticket` orders the builds.
  std::optional<std::string> build_and_send(const std::string& cycle_id);
  void send(const std::string& cycle_id, std::uint64_t ticket,
            const std::optional<std::string>& data);

  State state_;
  const std::chrono::milliseconds poll_;
  const std::string event_;
  std::mutex mutex_;
  std::condition_variable wake_;
  std::map<std::string, std::vector<Follower>> followers_;  // by cycle id
  std::set<std::string> pending_;                           // cycles to rebuild
  std::uint64_t tickets_ = 0;                               // builds started, in order
  std::map<std::string, std::uint64_t> sent_;  // the ticket of each followed cycle's last send
  std::atomic<std::size_t> built_{0};
  bool stopping_ = false;
  std::thread thread_;  // last: started once everything above exists
};

}  // namespace cxm::api
