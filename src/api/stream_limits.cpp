#include "api/stream_limits.h"

namespace cxm::api {
namespace {

// What a refused client is told to wait: a stream ends when its screen
// closes, which nobody can say in advance.
constexpr std::int64_t kRetryAfterSeconds = 30;

Refusal too_many_streams(const std::string& message) {
  Refusal refusal = refuse(429, "too_many_streams", message);
  refusal.retry_after_seconds = kRetryAfterSeconds;
  return refusal;
}

// Drops a count, and the key with it at zero (addresses come and go).
void decrement(std::map<std::string, std::size_t>& counts, const std::string& key) {
  const auto it = counts.find(key);
  if (it == counts.end()) return;
  if (--it->second == 0) counts.erase(it);
}

}  // namespace

Outcome<StreamLimits::Place> StreamLimits::admit(const std::string& link,
                                                 const std::string& address) {
  {
    std::lock_guard lock(counts_->mutex);
    Counts& c = *counts_;
    if (c.in_all >= options_.in_all) {
      Refusal refusal = refuse(503, "busy",
                               "the server has as many live updates open as it can hold; "
                               "the page keeps working and tries again");
      refusal.retry_after_seconds = kRetryAfterSeconds;
      return refusal;
    }
    const auto link_at = c.by_link.find(link);
    if (link_at != c.by_link.end() && link_at->second >= options_.per_link)
      return too_many_streams("too many live updates open for this link (" +
                              std::to_string(options_.per_link) +
                              "); close it in another tab or device");
    const auto address_at = c.by_address.find(address);
    if (address_at != c.by_address.end() && address_at->second >= options_.per_address)
      return too_many_streams("too many live updates open from your network (" +
                              std::to_string(options_.per_address) + ")");
    ++c.in_all;
    ++c.by_link[link];
    ++c.by_address[address];
  }
  return Place(std::make_shared<Held>(counts_, link, address));
}

StreamLimits::Held::~Held() {
  std::lock_guard lock(counts->mutex);
  --counts->in_all;
  decrement(counts->by_link, link);
  decrement(counts->by_address, address);
}

std::size_t StreamLimits::open_in_all() const {
  std::lock_guard lock(counts_->mutex);
  return counts_->in_all;
}

}  // namespace cxm::api
