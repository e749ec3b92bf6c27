#include "api/health_probe.h"

#include <spdlog/spdlog.h>

namespace cxm::api {

std::optional<std::string> HealthProbe::check(store::Store& store, std::int64_t now) {
  std::lock_guard lock(mutex_);
  // Checks that arrive together (a load balancer polling from several
  // places) share the answer of the last probe for a moment.
  if (now - last_check_ < 200 && now >= last_check_) return last_problem_;
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
  last_check_ = now;
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
