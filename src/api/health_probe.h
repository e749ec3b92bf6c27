// What GET /api/health reports: whether the database answers a read and
// commits a write (a row of its own, written through the writer like every
// other write), so that a read-only file, a full disk or a database server
// that is down shows as unhealthy and recovers by itself when the fault
// ends. A write that succeeded is not repeated for kWriteEvery, so frequent
// health checks cost little.
#pragma once

#include <cstdint>
#include <mutex>
#include <optional>
#include <string>

#include "store/store.h"

namespace cxm::api {

class HealthProbe {
 public:
  static constexpr std::int64_t kWriteEveryMs = 5000;

  // nullopt when healthy, else what is wrong (safe to show: no values).
  // Thread-safe; checks run one at a time. Logs each change of state once.
  std::optional<std::string> check(store::Store& store, std::int64_t now);

 private:
  std::mutex mutex_;
  std::int64_t last_write_ok_ = -kWriteEveryMs;
  std::optional<std::string> last_problem_;
  bool reported_ = false;  // last_problem_ was logged
};

}  // namespace cxm::api
