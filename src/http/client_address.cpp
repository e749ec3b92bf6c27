#include "http/client_address.h"

#include <arpa/inet.h>

#include <algorithm>
#include <cctype>
#include <cstring>

namespace cxm::http {
namespace {

std::string trimmed(const std::string& text) {
  const auto first = text.find_first_not_of(" \t");
  if (first == std::string::npos) return "";
  const auto last = text.find_last_not_of(" \t");
  return text.substr(first, last - first + 1);
}

std::vector<std::string> split_list(const std::string& text) {
  std::vector<std::string> parts;
  std::size_t at = 0;
  for (;;) {
    const auto comma = text.find(',', at);
    parts.push_back(
        trimmed(text.substr(at, comma == std::string::npos ? std::string::npos : comma - at)));
    if (comma == std::string::npos) return parts;
    at = comma + 1;
  }
}

// IPv4 as IPv4-mapped IPv6 (::ffff:a.b.c.d), so that one comparison fits
// both and a peer reported as "::ffff:10.0.0.1" matches "10.0.0.1".
std::optional<std::array<std::uint8_t, 16>> parse_address(std::string text, bool* v4 = nullptr) {
  if (text.size() > 2 && text.front() == '[' && text.back() == ']')
    text = text.substr(1, text.size() - 2);
  std::array<std::uint8_t, 16> bytes{};
  in_addr a4{};
  if (inet_pton(AF_INET, text.c_str(), &a4) == 1) {
    bytes[10] = 0xff;
    bytes[11] = 0xff;
    std::memcpy(bytes.data() + 12, &a4, 4);
    if (v4) *v4 = true;
    return bytes;
  }
  in6_addr a6{};
  if (inet_pton(AF_INET6, text.c_str(), &a6) == 1) {
    std::memcpy(bytes.data(), &a6, 16);
    if (v4) *v4 = false;
    return bytes;
  }
  return std::nullopt;
}

}  // namespace

std::optional<TrustedProxies> TrustedProxies::parse(const std::string& list, std::string& error) {
  TrustedProxies proxies;
  for (const std::string& entry : split_list(list)) {
    const auto slash = entry.find('/');
    bool v4 = false;
    const auto bytes = parse_address(entry.substr(0, slash), &v4);
    Range range;
    if (bytes) range.bytes = *bytes;
    bool ok = bytes.has_value();
    if (ok && slash != std::string::npos) {
      const std::string bits = entry.substr(slash + 1);
      const int most = v4 ? 32 : 128;
      ok = !bits.empty() && bits.size() <= 3 && std::all_of(bits.begin(), bits.end(), ::isdigit) &&
           std::stoi(bits) <= most;
      if (ok) range.bits = std::stoi(bits) + (v4 ? 96 : 0);
    }
    if (!ok) {
      error = "not an IP address or ADDRESS/BITS range: '" + entry + "'";
      return std::nullopt;
    }
    proxies.ranges_.push_back(range);
  }
  return proxies;
}

bool TrustedProxies::contains(const std::string& address) const {
  const auto bytes = parse_address(address);
  if (!bytes) return false;
  return std::any_of(ranges_.begin(), ranges_.end(), [&](const Range& r) {
    for (int bit = 0; bit < r.bits; ++bit) {
      const int byte = bit / 8, mask = 0x80 >> (bit % 8);
      if (((*bytes)[byte] & mask) != (r.bytes[byte] & mask)) return false;
    }
    return true;
  });
}

std::string client_address(const Request& request, const TrustedProxies& proxies) {
  if (!proxies.contains(request.remote_address)) return request.remote_address;
  const auto forwarded = request.header("x-forwarded-for");
  if (!forwarded) return request.remote_address;
  // Each proxy appends the address it received from: the rightmost entry
  // that no trusted proxy could have added is the client.
  auto entries = split_list(*forwarded);
  std::string client = request.remote_address;
  for (auto it = entries.rbegin(); it != entries.rend(); ++it) {
    if (!parse_address(*it)) break;  // garbage: trust nothing further left
    client = *it;
    if (!proxies.contains(*it)) break;
  }
  return client;
}

std::string address_block(const std::string& address) {
  const auto bytes = parse_address(address);
  if (!bytes) return address;
  const bool v4 =
      std::all_of(bytes->begin(), bytes->begin() + 10, [](std::uint8_t b) { return b == 0; }) &&
      (*bytes)[10] == 0xff && (*bytes)[11] == 0xff;
  char text[INET6_ADDRSTRLEN] = {};
  if (v4) {
    inet_ntop(AF_INET, bytes->data() + 12, text, sizeof text);
    return text;
  }
  in6_addr network{};
  std::memcpy(&network, bytes->data(), 6);  // the first 48 bits; the rest zero
  inet_ntop(AF_INET6, &network, text, sizeof text);
  return std::string(text) + "/48";
}

bool forwarded_https(const Request& request, const TrustedProxies& proxies) {
  if (!proxies.contains(request.remote_address)) return false;
  const auto proto = request.header("x-forwarded-proto");
  if (!proto) return false;
  std::string first = split_list(*proto).front();
  for (auto& c : first) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return first == "https";
}

}  // namespace cxm::http
