#include "api/cycle_events.h"

#include <spdlog/spdlog.h>

#include <algorithm>
#include <cstdint>
#include <cstdio>

namespace cxm::api {

CycleEvents::CycleEvents(State state, std::chrono::milliseconds poll, std::string event)
    : state_(std::move(state)), poll_(poll), event_(std::move(event)), thread_([this] { run(); }) {}

CycleEvents::~CycleEvents() {
  {
    std::lock_guard lock(mutex_);
    stopping_ = true;
  }
  wake_.notify_all();
  thread_.join();
}

std::string CycleEvents::state_id(const std::string& data) {
  std::uint64_t hash = 14695981039346656037ull;
  for (unsigned char c : data) {
    hash ^= c;
    hash *= 1099511628211ull;
  }
  char text[17];
  std::snprintf(text, sizeof text, "%016llx", static_cast<unsigned long long>(hash));
  return text;
}

std::string CycleEvents::event_text(const std::string& id, const std::string& data,
                                    const std::string& event) {
  return "id: " + id + "\nevent: " + event + "\ndata: " + data + "\n\n";
}

void CycleEvents::follow(const std::string& cycle_id, std::shared_ptr<http::Stream> stream,
                         std::string last_event_id) {
  {
    std::lock_guard lock(mutex_);
    followers_[cycle_id].push_back(Follower{std::move(stream), std::move(last_event_id)});
    pending_.insert(cycle_id);
  }
  wake_.notify_one();
}

void CycleEvents::ended(const std::string& cycle_id) {
  std::lock_guard lock(mutex_);
  const auto it = followers_.find(cycle_id);
  if (it == followers_.end()) return;
  std::erase_if(it->second, [](const Follower& f) { return !f.stream->is_open(); });
  if (it->second.empty()) {
    followers_.erase(it);
    sent_.erase(cycle_id);
  }
}

void CycleEvents::changed(const std::string& cycle_id) {
  {
    std::lock_guard lock(mutex_);
    if (!followers_.contains(cycle_id)) return;
    pending_.insert(cycle_id);
  }
  wake_.notify_one();
}

void CycleEvents::changed_all() {
  {
    std::lock_guard lock(mutex_);
    for (const auto& [id, _] : followers_) pending_.insert(id);
  }
  wake_.notify_one();
}

std::size_t CycleEvents::followers(const std::string& cycle_id) {
  std::lock_guard lock(mutex_);
  const auto it = followers_.find(cycle_id);
  return it == followers_.end() ? 0 : it->second.size();
}

void CycleEvents::run() {
  std::unique_lock lock(mutex_);
  while (!stopping_) {
    const bool woken =
        wake_.wait_for(lock, poll_, [this] { return stopping_ || !pending_.empty(); });
    if (stopping_) return;
    std::set<std::string> cycles;
    if (woken) {
      cycles.swap(pending_);
    } else {
      for (const auto& [id, _] : followers_) cycles.insert(id);
    }
    lock.unlock();
    for (const auto& id : cycles) {
      try {
        build_and_send(id);
      } catch (const std::exception& e) {
        spdlog::warn("live events of cycle {}: {}", id, e.what());  // the next poll tries again
      }
    }
    lock.lock();
  }
}

std::optional<std::string> CycleEvents::publish(const std::string& cycle_id) {
  return build_and_send(cycle_id);
}

void CycleEvents::publish_if_followed(const std::string& cycle_id) {
  {
    std::lock_guard lock(mutex_);
    if (!followers_.contains(cycle_id)) return;
  }
  try {
    build_and_send(cycle_id);
  } catch (const std::exception& e) {
    // The change is made: its screens get it from the events thread.
    spdlog::warn("live events of cycle {}: {}", cycle_id, e.what());
    changed(cycle_id);
  }
}

std::optional<std::string> CycleEvents::build_and_send(const std::string& cycle_id) {
  std::uint64_t ticket = 0;
  {
    std::lock_guard lock(mutex_);
    ticket = ++tickets_;
  }
  ++built_;
  auto data = state_(cycle_id);
  send(cycle_id, ticket, data);
  return data;
}

void CycleEvents::send(const std::string& cycle_id, std::uint64_t ticket,
                       const std::optional<std::string>& data) {
  std::lock_guard lock(mutex_);
  const auto it = followers_.find(cycle_id);
  if (it == followers_.end()) {
    sent_.erase(cycle_id);
    return;
  }
  // Two threads may build one cycle's state at once (a handler publishing,
  // the events thread); the one that started reading later has the newer.
  auto& last = sent_[cycle_id];
  if (ticket < last) return;
  last = ticket;
  if (!data) {  // the cycle is gone
    for (auto& f : it->second) f.stream->close();
    followers_.erase(it);
    sent_.erase(cycle_id);
    return;
  }
  const std::string id = state_id(*data);
  std::string text;
  for (auto& f : it->second) {
    if (f.last_id == id) continue;
    if (text.empty()) text = event_text(id, *data, event_);
    f.last_id = id;
    f.stream->send(text);  // false: ended (or cut off); forgotten below
  }
  std::erase_if(it->second, [](const Follower& f) { return !f.stream->is_open(); });
  if (it->second.empty()) {
    followers_.erase(it);
    sent_.erase(cycle_id);
  }
}

}  // namespace cxm::api
