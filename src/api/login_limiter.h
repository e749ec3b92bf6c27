// Counts failed log-ins per key (account, address) in a sliding window.
#pragma once

#include <chrono>
#include <cstdint>
#include <map>
#include <mutex>
#include <string>

namespace cxm::api {

// Counts failed log-ins per key (account, address) in a sliding window;
// blocks a key after `limit` failures until the window has passed.
class LoginLimiter {
 public:
  LoginLimiter(int limit, std::chrono::seconds window) : limit_(limit), window_(window) {}
  bool blocked(const std::string& key, std::int64_t now_ms);
  void failed(const std::string& key, std::int64_t now_ms);
  void succeeded(const std::string& key);

 private:
  struct Entry {
    int failures = 0;
    std::int64_t window_start = 0;
  };
  int limit_;
  std::chrono::seconds window_;
  std::mutex mutex_;
  std::map<std::string, Entry> entries_;
};

}  // namespace cxm::api
