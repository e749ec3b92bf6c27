// libFuzzer target: any bytes checked as an e-mail address. An accepted
// address is one line of at most 254 bytes with one @, nothing in it that
// could start another address or header; a refusal is words without
// control characters.
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <string_view>

#include "mail/address.h"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string_view address(reinterpret_cast<const char*>(data), size);
  const auto error = cxm::mail::address_error(address);
  if (error) {
    if (error->empty()) std::abort();
    for (char c : *error) {
      if (static_cast<unsigned char>(c) < 0x20) std::abort();
    }
    return 0;
  }
  if (address.empty() || address.size() > cxm::mail::kMaxAddressBytes) std::abort();
  const auto at = address.find('@');
  if (at == 0 || at == std::string_view::npos ||
      address.find('@', at + 1) != std::string_view::npos)
    std::abort();
  for (char c : address) {
    const auto u = static_cast<unsigned char>(c);
    if (u <= 0x20 || u == 0x7f ||
        std::string_view("\"<>,;()[]\\:").find(c) != std::string_view::npos)
      std::abort();
  }
  return 0;
}
