// A small thread-safe cache whose entries expire after a fixed time. Used
// to spare the database the same few reads on every request (sessions,
// participant links, cycles). Changes made through this process evict the
// entry at once; changes made by another process sharing the database are
// seen within the time-to-live. Values are shared and immutable, so a hit
// costs a reference count, not a copy.
#pragma once

#include <cstdint>
#include <map>
#include <memory>
#include <mutex>
#include <string>

namespace cxm::api {

template <typename Value>
class TtlCache {
 public:
  explicit TtlCache(std::int64_t ttl_ms, std::size_t capacity = 100000)
      : ttl_ms_(ttl_ms), capacity_(capacity) {}

  // nullptr when absent or expired.
  std::shared_ptr<const Value> get(const std::string& key, std::int64_t now_ms) {
    std::lock_guard lock(mutex_);
    const auto it = entries_.find(key);
    if (it == entries_.end()) return nullptr;
    if (now_ms >= it->second.first) {
      entries_.erase(it);
      return nullptr;
    }
    return it->second.second;
  }

  // Stores `value`; returns the shared copy.
  std::shared_ptr<const Value> put(const std::string& key, Value value, std::int64_t now_ms) {
    auto shared = std::make_shared<const Value>(std::move(value));
    std::lock_guard lock(mutex_);
    if (entries_.size() >= capacity_) entries_.clear();  // crude, but bounded
    entries_.insert_or_assign(key, std::make_pair(now_ms + ttl_ms_, shared));
    return shared;
  }

  void clear() {
    std::lock_guard lock(mutex_);
    entries_.clear();
  }

  // Forgets every entry whose value `matches` (e.g. one user's sessions).
  template <class Matches>
  void erase_if(Matches matches) {
    std::lock_guard lock(mutex_);
    std::erase_if(entries_, [&](const auto& entry) { return matches(*entry.second.second); });
  }
  void erase(const std::string& key) {
    std::lock_guard lock(mutex_);
    entries_.erase(key);
  }

 private:
  std::int64_t ttl_ms_;
  std::size_t capacity_;
  std::mutex mutex_;
  std::map<std::string, std::pair<std::int64_t, std::shared_ptr<const Value>>> entries_;
};

}  // namespace cxm::api
