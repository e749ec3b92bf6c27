#include "mail/smtp_url.h"

#include <charconv>

namespace cxm::mail {
namespace {

constexpr std::string_view kScheme = "smtp://";

bool is_host_name_char(char c) {
  return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '-' ||
         c == '.';
}

// An empty string when `host` is a usable host name or IPv4 address.
std::string host_name_error(std::string_view host) {
  if (host.empty()) return "the URL has no host (smtp://HOST:PORT)";
  if (host.size() > 253) return "the host is longer than 253 characters";
  for (char c : host) {
    if (!is_host_name_char(c)) return "the host has a character that no host name has";
  }
  if (host.front() == '.' || host.front() == '-' || host.find("..") != std::string_view::npos)
    return "the host is not a host name";
  return {};
}

std::string ipv6_error(std::string_view host) {
  if (host.empty()) return "the host between [ ] is empty";
  if (host.find(':') == std::string_view::npos)
    return "the host between [ ] is not an IPv6 address";
  for (char c : host) {
    const bool hex = (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F');
    if (!hex && c != ':' && c != '.') return "the host between [ ] is not an IPv6 address";
  }
  return {};
}

std::variant<int, std::string> parse_port(std::string_view text) {
  int port = 0;
  const auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), port);
  if (text.empty() || ec != std::errc() || end != text.data() + text.size() || port < 1 ||
      port > 65535)
    return std::string("the port is not a number from 1 to 65535");
  return port;
}

std::variant<Security, std::string> parse_query(std::string_view query) {
  constexpr std::string_view key = "security=";
  if (query.substr(0, key.size()) != key)
    return std::string("the only option after ? is security=starttls|tls|none");
  const std::string_view value = query.substr(key.size());
  if (value == "starttls") return Security::starttls;
  if (value == "tls") return Security::tls;
  if (value == "none") return Security::none;
  return std::string("security must be starttls, tls or none");
}

}  // namespace

std::variant<SmtpUrl, std::string> parse_smtp_url(std::string_view url) {
  if (url.substr(0, kScheme.size()) != kScheme)
    return std::string("the URL must start with smtp:// (smtp://HOST:PORT?security=starttls)");
  std::string_view rest = url.substr(kScheme.size());
  SmtpUrl parsed;
  if (const auto mark = rest.find('?'); mark != std::string_view::npos) {
    auto security = parse_query(rest.substr(mark + 1));
    if (auto* error = std::get_if<std::string>(&security)) return *error;
    parsed.security = std::get<Security>(security);
    rest = rest.substr(0, mark);
  }
  if (!rest.empty() && rest.back() == '/') rest.remove_suffix(1);
  if (rest.find('@') != std::string_view::npos)
    return std::string(
        "the URL must not hold a user or password (use --smtp-user and CXM_SMTP_PASSWORD)");
  if (rest.find('/') != std::string_view::npos) return std::string("the URL must not have a path");

  std::string_view host = rest, port;
  std::string host_error;
  if (!rest.empty() && rest.front() == '[') {
    const auto close = rest.find(']');
    if (close == std::string_view::npos) return std::string("the host has [ without ]");
    host = rest.substr(1, close - 1);
    host_error = ipv6_error(host);
    const std::string_view after = rest.substr(close + 1);
    if (!after.empty() && after.front() != ':')
      return std::string("after the host's ] comes :PORT or nothing");
    if (!after.empty()) port = after.substr(1);
    if (after == ":") return std::string("the port is not a number from 1 to 65535");
  } else {
    if (const auto colon = rest.find(':'); colon != std::string_view::npos) {
      host = rest.substr(0, colon);
      port = rest.substr(colon + 1);
      if (port.empty()) return std::string("the port is not a number from 1 to 65535");
    }
    host_error = host_name_error(host);
  }
  if (!host_error.empty()) return host_error;
  parsed.host = std::string(host);
  parsed.port = parsed.security == Security::tls ? 465 : 587;
  if (!port.empty()) {
    auto number = parse_port(port);
    if (auto* error = std::get_if<std::string>(&number)) return *error;
    parsed.port = std::get<int>(number);
  }
  return parsed;
}

std::string_view security_name(Security security) {
  switch (security) {
    case Security::starttls:
      return "STARTTLS";
    case Security::tls:
      return "TLS";
    case Security::none:
      return "none";
  }
  return "none";
}

std::string describe(const SmtpSettings& settings) {
  const bool ipv6 = settings.host.find(':') != std::string::npos;
  std::string text = "smtp://" + (ipv6 ? "[" + settings.host + "]" : settings.host) + ":" +
                     std::to_string(settings.port) + " (";
  text += settings.security == Security::none ? std::string("no encryption")
                                              : std::string(security_name(settings.security));
  text += ")";
  text += settings.user.empty() ? ", no login" : ", user " + settings.user;
  return text;
}

}  // namespace cxm::mail
