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
// One thread builds and sends the events, never an I/O thread: it is woken
// when any process announces a change of a followed cycle (the store's
// change feed: PostgreSQL NOTIFY, SQLite's changes table), and every
// `poll` for what is not announced (answers saved before submission, new
// links). A state is built once per cycle, whatever the number of screens.
#pragma once

#include <chrono>
#include <condition_variable>
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
  // Any process changed the cycle (from the change feed; never blocks).
  void changed(const std::string& cycle_id);
  // Changes may have been missed: rebuild every followed cycle's state.
  void changed_all();

  // How many streams follow a cycle now (for tests and the benchmark).
  std::size_t followers(const std::string& cycle_id);

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
  void publish(const std::string& cycle_id);

  State state_;
  const std::chrono::milliseconds poll_;
  const std::string event_;
  std::mutex mutex_;
  std::condition_variable wake_;
  std::map<std::string, std::vector<Follower>> followers_;  // by cycle id
  std::set<std::string> pending_;                           // cycles to rebuild
  bool stopping_ = false;
  std::thread thread_;  // last: started once everything above exists
};

}  // namespace cxm::api
