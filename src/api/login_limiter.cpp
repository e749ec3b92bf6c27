#include "api/login_limiter.h"

namespace cxm::api {

bool LoginLimiter::blocked(const std::string& key, std::int64_t now_ms) {
  std::lock_guard lock(mutex_);
  const auto it = entries_.find(key);
  if (it == entries_.end()) return false;
  if (now_ms - it->second.window_start >= window_.count() * 1000) {
    entries_.erase(it);
    return false;
  }
  return it->second.failures >= limit_;
}

void LoginLimiter::failed(const std::string& key, std::int64_t now_ms) {
  std::lock_guard lock(mutex_);
  Entry& e = entries_[key];
  if (e.failures == 0 || now_ms - e.window_start >= window_.count() * 1000) {
    e.failures = 0;
    e.window_start = now_ms;
  }
  ++e.failures;
}

void LoginLimiter::succeeded(const std::string& key) {
  std::lock_guard lock(mutex_);
  entries_.erase(key);
}

}  // namespace cxm::api
