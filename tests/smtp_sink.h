// A real SMTP server on loopback for tests (tests/smtp_sink.py on Debian's
// python3-aiosmtpd) that keeps every message it takes as a file, with the
// envelope's recipients.
#pragma once

#include <sys/types.h>

#include <string>
#include <vector>

namespace cxm::testing {

struct ReceivedMail {
  std::string file;
  std::string to;   // the envelope's recipient
  std::string raw;  // the message as received
};

class SmtpSink {
 public:
  // `args`: the sink's options besides --dir (--refuse ADDR, --hang, …).
  SmtpSink(const std::string& dir, const std::vector<std::string>& args = {});
  ~SmtpSink();  // SIGTERM to the pid started, and wait
  SmtpSink(const SmtpSink&) = delete;
  SmtpSink& operator=(const SmtpSink&) = delete;

  int port() const { return port_; }
  // Every message received so far, in the order received.
  std::vector<ReceivedMail> messages() const;
  // Waits until at least `count` messages have arrived (or `timeout_ms`).
  std::vector<ReceivedMail> wait_for(std::size_t count, int timeout_ms = 20000) const;

 private:
  std::string dir_;
  pid_t pid_ = -1;
  int port_ = 0;
};

// The text of a message's parts, decoded (quoted-printable or base64, soft
// line breaks joined), one after the other.
std::string decoded_text(const std::string& raw);
// The token of the first participant link (…/r/TOKEN) in the message.
std::string link_token(const std::string& raw);

}  // namespace cxm::testing
