// Internal to src/store: the thread that receives changes announced by any
// process (see change_feed.h) and hands them to a ChangeListener.
#pragma once

#include <atomic>
#include <thread>

#include "store/change_feed.h"
#include "store/store.h"

namespace cxm::store {

class ChangeWatcher {
 public:
  // Starts watching on a connection of its own. The listener is called on
  // the watcher's thread only.
  // `origin` names this process's own announcements (Change::own).
  ChangeWatcher(DatabaseUrl url, StoreOptions options, std::string origin, ChangeListener listener);
  ~ChangeWatcher();  // stops within about 100 ms

 private:
  void watch_sqlite();
  void watch_postgresql();
  void deliver(const std::string& kind, const std::string& key, const std::string& origin);

  DatabaseUrl url_;
  StoreOptions options_;
  std::string origin_;
  ChangeListener listener_;
  std::atomic<bool> stopping_{false};
  std::thread thread_;
};

}  // namespace cxm::store
