// Hands a message to the mail server (SMTP through libcurl). libcurl stays
// inside smtp_client.cpp.
#pragma once

#include <string>

#include "mail/smtp_url.h"

namespace cxm::mail {

struct SendResult {
  // sent: the server took the message. transient: worth trying again later
  // (cannot connect, timeout, dropped connection, a 4xx answer, the login
  // or TLS refused). permanent: never worth trying again (a 5xx answer to
  // MAIL, RCPT or DATA, an address cxm does not send to).
  enum Status { sent, transient, permanent } status = transient;
  // The server's last answer (e.g. "550 5.1.1 <x@example.org>: no such
  // user") or, when there is none, libcurl's error in words. Never the
  // password.
  std::string reply;
};

class SmtpClient {
 public:
  explicit SmtpClient(SmtpSettings settings);

  // Sends `message` (a whole RFC 5322 message with CRLF line ends) to `to`,
  // from settings.from, on a connection of its own. Blocks for at most
  // about settings.timeout_seconds (connecting, and the whole exchange).
  // Safe to call from several threads at once.
  SendResult send(const std::string& to, const std::string& message) const;

  const SmtpSettings& settings() const { return settings_; }

 private:
  SmtpSettings settings_;
};

}  // namespace cxm::mail
