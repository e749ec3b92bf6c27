#include "api/health_probe.h"

#include <spdlog/spdlog.h>

namespace cxm::api {

std::optional<std::string> HealthProbe::check(store::Store& store, std::int64_t now) {
  std::lock_guard lock(mutex_);  // one probe at a time
  std::optional<std::string> problem;
  try {
    store.schema_version();
  } catch (const store::StoreError& e) {
    problem = std::string("the database cannot be read: ") + e.what();
  }
  if (!problem && now - last_write_ok_ >= kWriteEveryMs) {
    try {
      store.write_probe(now);
      last_write_ok_ = now;
    } catch (const store::StoreError& e) {
      problem = std::string("the database does not take writes: ") + e.what();
    }
  }
  if (problem && (!reported_ || problem != last_problem_)) {
    spdlog::error("health: {}", *problem);
    reported_ = true;
  } else if (!problem && reported_) {
    spdlog::warn("health: the database takes reads and writes again");
    reported_ = false;
  }
  last_problem_ = problem;
  return problem;
}

}  // namespace cxm::api
