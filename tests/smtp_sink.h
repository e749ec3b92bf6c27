// tests/smtp_sink.py as a process for C++ tests: a mail server on loopback
// that keeps each message it takes as a file. The test target defines
// CXM_PYTHON (a Python with Debian's aiosmtpd) and CXM_SOURCE_DIR.
#pragma once

#include <sys/types.h>

#include <string>
#include <vector>

#include "run_process.h"

namespace cxm::testing {

// A message as the sink took it: the envelope's recipient and the bytes.
struct ReceivedMail {
  std::string to;   // the first envelope recipient, without angle brackets
  std::string raw;  // the stored file: envelope lines, then the message
};

class SmtpSink {
 public:
  // Starts the sink with `options` (e.g. {"--refuse", "x@example.org"}) and
  // waits until it listens; throws std::runtime_error when it does not.
  // Messages go to dir() unless `options` say --hang.
  explicit SmtpSink(const std::vector<std::string>& options = {});
  // Stops the sink (SIGTERM to the process it started, and waits for it).
  ~SmtpSink();
  SmtpSink(const SmtpSink&) = delete;
  SmtpSink& operator=(const SmtpSink&) = delete;

  int port() const { return port_; }
  const std::string& dir() const { return dir_; }
  // The messages taken so far, oldest first, each as stored: the envelope
  // lines (X-Envelope-From, X-Envelope-To) and then the message.
  std::vector<std::string> messages() const;
  // The same with each message's recipient.
  std::vector<ReceivedMail> received() const;
  // Waits until at least `count` messages have arrived (or `timeout_ms`
  // passed) and returns what has.
  std::vector<ReceivedMail> wait_for(std::size_t count, int timeout_ms = 20000) const;
  // What the sink wrote on standard error, for a failing test's message.
  std::string log() const;

 private:
  TempDir files_;
  std::string dir_;
  pid_t pid_ = -1;
  int port_ = 0;
};

// The message in the file at `path` as Python's email package reads it
// (tests/mail_parse.py): JSON with the decoded headers, the parts and their
// decoded contents, the parser's defects and the longest line.
std::string parse_mail_json(const std::string& path);

// The text of a message's parts, decoded (quoted-printable or base64, soft
// line breaks joined), one after the other: for finding what a person
// reads without a full MIME parser.
std::string decoded_text(const std::string& raw);
// The token of the first participant link (…/r/TOKEN) in the message.
std::string link_token(const std::string& raw);

}  // namespace cxm::testing
