// How many event streams may be open at once in this process: per link
// (a participant's seat, or a signed-in user), per client address block,
// and in all. Open streams live in one process, so the counts are this
// process's own (not the database's): with several processes behind a
// load balancer, each allows as many. A stream over a limit is refused
// before it opens (429, or 503 when the process is full), so that one
// phone's link or one address cannot hold every file descriptor the
// server has and leave health checks and pages unanswered.
#pragma once

#include <cstddef>
#include <map>
#include <memory>
#include <mutex>
#include <string>
#include <utility>

#include "api/app.h"
#include "api/outcome.h"

namespace cxm::api {

class StreamLimits {
 public:
  explicit StreamLimits(StreamLimitOptions options) : options_(options) {}

  // One open stream's place, given back when the last copy goes (the
  // stream's reply holds it until the server drops the reply, after the
  // stream ended or failed to open). Thread-safe.
  using Place = std::shared_ptr<void>;

  // A place for one more stream of `link` (e.g. "seat:ID", "user:ID") from
  // `address` (an address block), or the refusal: 429 too_many_streams with
  // Retry-After when the link or the address has its most, 503 busy when
  // the process has.
  Outcome<Place> admit(const std::string& link, const std::string& address);

  // Streams open now.
  std::size_t open_in_all() const;

 private:
  // Shared with every place, which may outlive this object.
  struct Counts {
    std::mutex mutex;
    std::map<std::string, std::size_t> by_link, by_address;
    std::size_t in_all = 0;
  };
  // What a place holds; counts its stream out when it goes.
  struct Held {
    Held(std::shared_ptr<Counts> c, std::string l, std::string a)
        : counts(std::move(c)), link(std::move(l)), address(std::move(a)) {}
    ~Held();
    Held(const Held&) = delete;
    Held& operator=(const Held&) = delete;
    std::shared_ptr<Counts> counts;
    std::string link, address;
  };
  const StreamLimitOptions options_;
  std::shared_ptr<Counts> counts_ = std::make_shared<Counts>();
};

}  // namespace cxm::api
