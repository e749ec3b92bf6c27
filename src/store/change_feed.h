// How a change made by one cxm process reaches the caches of every other
// process sharing the database. Each write that changes something a process
// may cache announces it inside its own transaction, so the announcement is
// seen exactly when the change is: on PostgreSQL with NOTIFY (delivered at
// commit to every LISTENing process), on SQLite as a row in the `changes`
// table, which each process reads when PRAGMA data_version says another
// connection has committed (checked every 100 ms).
#pragma once

#include <functional>
#include <string>

namespace cxm::store {

// What changed, and the key a cache finds it by.
enum class ChangeKind {
  session,       // a log-in session ended; key: its token hash
  user,          // a user's account changed; key: user id
  organization,  // key: organization id
  membership,    // key: "USER_ID|ORG_ID"
  cycle,         // status, settings or submitted answers; key: cycle id
  link,          // a participant link was submitted or revoked; key: its token hash
  workshop,      // a live workshop moved, revealed, ended or took an answer; key: workshop id
};

struct Change {
  ChangeKind kind;
  std::string key;
  // Announced by this process (a write of the same Store): what made the
  // change here may have acted on it already (api: a workshop handler
  // publishes the state it built; cycle_events.h).
  bool own = false;
};

struct ChangeListener {
  // One change, on the store's watching thread; must not block.
  std::function<void(const Change&)> changed;
  // Changes may have been missed (the connection was lost, or the process
  // fell behind): forget everything cached.
  std::function<void()> missed;
};

}  // namespace cxm::store
