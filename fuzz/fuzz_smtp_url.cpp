// libFuzzer target: any bytes as `--smtp URL`. An accepted URL gives a
// host without user, path or control characters and a port from 1 to
// 65535, and describes itself as a URL that reads back the same.
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <string>
#include <string_view>

#include "mail/smtp_url.h"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  using namespace cxm::mail;
  const std::string_view text(reinterpret_cast<const char*>(data), size);
  const auto parsed = parse_smtp_url(text);
  if (const auto* error = std::get_if<std::string>(&parsed)) {
    if (error->empty()) std::abort();
    return 0;
  }
  const SmtpUrl& url = std::get<SmtpUrl>(parsed);
  if (url.host.empty() || url.port < 1 || url.port > 65535) std::abort();
  for (char c : url.host) {
    const auto u = static_cast<unsigned char>(c);
    if (u <= 0x20 || u >= 0x7f || c == '@' || c == '/' || c == '?') std::abort();
  }
  SmtpSettings settings;
  settings.host = url.host;
  settings.port = url.port;
  settings.security = url.security;
  const std::string described = describe(settings);
  const std::string again = described.substr(0, described.find(' ')) + "?security=" +
                            (url.security == Security::starttls ? "starttls"
                             : url.security == Security::tls    ? "tls"
                                                                : "none");
  const auto reparsed = parse_smtp_url(again);
  const auto* same = std::get_if<SmtpUrl>(&reparsed);
  if (!same || same->host != url.host || same->port != url.port || same->security != url.security)
    std::abort();
  return 0;
}
