// The mail server cxm sends through: `--smtp URL` parsed into typed
// settings, and a description of them that never carries the password.
// Pure, no I/O.
#pragma once

#include <string>
#include <string_view>
#include <variant>

namespace cxm::mail {

// How the connection is protected: STARTTLS after connecting (port 587),
// TLS from the first byte (port 465), or not at all (a relay on the same
// machine, or a test server).
enum class Security { starttls, tls, none };

struct SmtpSettings {
  std::string host;
  int port = 587;
  Security security = Security::starttls;
  std::string user, password;  // password from CXM_SMTP_PASSWORD, never printed
  std::string from;            // --mail-from, checked with address_error
  std::string ca_file;         // --smtp-ca: an extra CA to trust (PEM), optional
  int timeout_seconds = 30;    // connecting, and the whole message
};

struct SmtpUrl {
  std::string host;  // a name, an IPv4 address, or an IPv6 address without brackets
  int port = 587;
  Security security = Security::starttls;
};

// Parses smtp://HOST[:PORT][?security=starttls|tls|none]. The port
// defaults to 587 for starttls and none, 465 for tls. The error, in words,
// names the part that is wrong. A user name or password in the URL is
// refused (they go in --smtp-user and CXM_SMTP_PASSWORD).
std::variant<SmtpUrl, std::string> parse_smtp_url(std::string_view url);

// "STARTTLS", "TLS" or "none".
std::string_view security_name(Security security);

// "smtp://host:587 (STARTTLS), user u" or "…, no login": for the log and
// the admin page. Never the password.
std::string describe(const SmtpSettings& settings);

}  // namespace cxm::mail
