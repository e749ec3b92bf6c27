// Who sent a request when cxm runs behind a reverse proxy: the peer's
// address, or, when the peer is a proxy the operator trusts, the address
// that proxy reports in X-Forwarded-For (and the scheme in
// X-Forwarded-Proto). Headers from anyone else are ignored, since any
// client can send them.
#pragma once

#include <array>
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "http/message.h"

namespace cxm::http {

class TrustedProxies {
 public:
  TrustedProxies() = default;
  // Parses "ADDRESS[/BITS][,ADDRESS[/BITS]...]" (IPv4 or IPv6); nullopt,
  // with `error` naming the bad entry, when one is not an address.
  static std::optional<TrustedProxies> parse(const std::string& list, std::string& error);

  bool empty() const { return ranges_.empty(); }
  // Whether `address` (as the server reports a peer, IPv4-mapped IPv6
  // included) is one of the trusted proxies.
  bool contains(const std::string& address) const;

 private:
  struct Range {
    std::array<std::uint8_t, 16> bytes{};  // IPv4 as IPv4-mapped IPv6
    int bits = 128;
  };
  std::vector<Range> ranges_;
};

// The client's address: the nearest address in X-Forwarded-For (read from
// the right) that is not itself a trusted proxy, when the peer is trusted;
// the peer's address otherwise.
std::string client_address(const Request& request, const TrustedProxies& proxies);

// What a per-address limit should count under: the IPv4 address itself,
// or an IPv6 address's /48 network; `address` unchanged when it is not an
// IP address. One machine commonly holds a whole /64, and anyone can get a
// /48 (65,536 /64s) for little or nothing: counted per /64, a /48 would
// get 65,536 allowances. Per /48, one site (or a mobile carrier's pool)
// shares one, as the phones behind a venue's one IPv4 address do, which
// the limits allow for (api/guess_limits.h, api/stream_limits.h).
std::string address_block(const std::string& address);

// Whether a trusted proxy says the client used HTTPS (X-Forwarded-Proto).
bool forwarded_https(const Request& request, const TrustedProxies& proxies);

}  // namespace cxm::http
