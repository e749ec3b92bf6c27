// A small thread-safe cache whose entries expire after a fixed time. Used
// to spare the database the same few reads on every request (sessions,
// participant links, cycles). Changes made through this process evict the
// entry at once; changes made by another process sharing the database are
// seen within the time-to-live.
#pragma once

#include <cstdint>
#include <map>
#include <mutex>
#include <optional>
#include <string>

namespace cxm::api {

template <typename Value>
class TtlCache {
 public:
  explicit TtlCache(std::int64_t ttl_ms, std::size_t capacity = 100000) : ttl_ms_(ttl_ms), capacity_(capacity) {}

  std::optional<Value> get(const std::string& key, std::int64_t now_ms) {
    std::lock_guard lock(mutex_);
    const auto it = entries_.find(key);
    if (it == entries_.end()) return std::nullopt;
    if (now_ms >= it->second.first) {
      entries_.erase(it);
      return std::nullopt;
    }
    return it->second.second;
  }

  void put(const std::string& key, Value value, std::int64_t now_ms) {
    std::lock_guard lock(mutex_);
    if (entries_.size() >= capacity_) entries_.clear();  // crude, but bounded
    entries_.insert_or_assign(key, std::make_pair(now_ms + ttl_ms_, std::move(value)));
  }

  void clear() {
    std::lock_guard lock(mutex_);
    entries_.clear();
  }

  void erase(const std::string& key) {
    std::lock_guard lock(mutex_);
    entries_.erase(key);
  }

 private:
  std::int64_t ttl_ms_;
  std::size_t capacity_;
  std::mutex mutex_;
  std::map<std::string, std::pair<std::int64_t, Value>> entries_;
};

}  // namespace cxm::api
