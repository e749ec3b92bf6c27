#include "mail/smtp_client.h"

#include <curl/curl.h>

#include <algorithm>
#include <cstring>
#include <memory>
#include <mutex>

#include "mail/address.h"

namespace cxm::mail {
namespace {

// What libcurl reads the message from.
struct Upload {
  const std::string* message;
  std::size_t offset = 0;
};

std::size_t read_message(char* buffer, std::size_t size, std::size_t count, void* user) {
  auto* upload = static_cast<Upload*>(user);
  const std::size_t n = std::min(size * count, upload->message->size() - upload->offset);
  std::memcpy(buffer, upload->message->data() + upload->offset, n);
  upload->offset += n;
  return n;
}

// What the exchange showed: the server's last answer, its first refusal
// (4xx or 5xx) and the command refused, and the last command sent (its
// verb only: what follows AUTH is a secret).
struct Transcript {
  std::string last_reply;
  std::string last_verb;
  std::string refusal;
  std::string refused_verb;
};

void on_reply_line(Transcript& transcript, const std::string& line) {
  // Of a multi-line answer ("250-…" lines, then "250 …") the last line
  // stays: it ends the answer.
  transcript.last_reply = line;
  if (transcript.refusal.empty() && (line[0] == '4' || line[0] == '5')) {
    transcript.refusal = line;
    transcript.refused_verb = transcript.last_verb;
  }
}

int on_debug(CURL*, curl_infotype type, char* data, std::size_t size, void* user) {
  auto* transcript = static_cast<Transcript*>(user);
  const std::string_view text(data, size);
  if (type == CURLINFO_HEADER_IN) {
    for (std::size_t start = 0; start < text.size();) {
      std::size_t end = text.find('\n', start);
      if (end == std::string_view::npos) end = text.size();
      std::string line(text.substr(start, end - start));
      if (!line.empty() && line.back() == '\r') line.pop_back();
      if (!line.empty()) on_reply_line(*transcript, line);
      start = end + 1;
    }
  } else if (type == CURLINFO_HEADER_OUT) {
    static constexpr const char* kVerbs[] = {"EHLO", "HELO", "STARTTLS", "AUTH",
                                             "MAIL", "RCPT", "DATA",     "QUIT"};
    for (const char* verb : kVerbs) {
      if (text.substr(0, std::strlen(verb)) == verb) transcript->last_verb = verb;
    }
  }
  return 0;
}

std::string url_of(const SmtpSettings& settings) {
  const bool ipv6 = settings.host.find(':') != std::string::npos;
  const std::string host = ipv6 ? "[" + settings.host + "]" : settings.host;
  const auto at = settings.from.rfind('@');
  // The path names the client in EHLO: the sender's domain.
  const std::string helo = at == std::string::npos ? "localhost" : settings.from.substr(at + 1);
  return std::string(settings.security == Security::tls ? "smtps://" : "smtp://") + host + ":" +
         std::to_string(settings.port) + "/" + helo;
}

// `text` without any copy of `secret`.
std::string without(std::string text, const std::string& secret) {
  if (secret.empty()) return text;
  const std::string hidden = "(password)";
  for (auto at = text.find(secret); at != std::string::npos;
       at = text.find(secret, at + hidden.size()))
    text.replace(at, secret.size(), hidden);
  return text;
}

using Easy = std::unique_ptr<CURL, decltype(&curl_easy_cleanup)>;
using List = std::unique_ptr<curl_slist, decltype(&curl_slist_free_all)>;

}  // namespace

SmtpClient::SmtpClient(SmtpSettings settings) : settings_(std::move(settings)) {
  static std::once_flag once;
  std::call_once(once, [] { curl_global_init(CURL_GLOBAL_DEFAULT); });
}

SendResult SmtpClient::send(const std::string& to, const std::string& message) const {
  if (auto error = address_error(to)) return {SendResult::permanent, "invalid address: " + *error};
  if (auto error = address_error(settings_.from))
    return {SendResult::permanent, "invalid sender address: " + *error};

  Easy curl(curl_easy_init(), curl_easy_cleanup);
  if (!curl) return {SendResult::transient, "cannot start libcurl"};
  const std::string url = url_of(settings_);
  const std::string mail_from = "<" + settings_.from + ">";
  List recipients(curl_slist_append(nullptr, ("<" + to + ">").c_str()), curl_slist_free_all);
  Upload upload{&message};
  Transcript transcript;
  char error_buffer[CURL_ERROR_SIZE] = "";
  const long timeout = std::max(1, settings_.timeout_seconds);

  CURL* h = curl.get();
  curl_easy_setopt(h, CURLOPT_URL, url.c_str());
  curl_easy_setopt(h, CURLOPT_NOSIGNAL, 1L);
  curl_easy_setopt(h, CURLOPT_USE_SSL,
                   settings_.security == Security::starttls ? static_cast<long>(CURLUSESSL_ALL)
                                                            : static_cast<long>(CURLUSESSL_NONE));
  if (!settings_.ca_file.empty()) curl_easy_setopt(h, CURLOPT_CAINFO, settings_.ca_file.c_str());
  if (!settings_.user.empty()) {
    curl_easy_setopt(h, CURLOPT_USERNAME, settings_.user.c_str());
    curl_easy_setopt(h, CURLOPT_PASSWORD, settings_.password.c_str());
  }
  curl_easy_setopt(h, CURLOPT_MAIL_FROM, mail_from.c_str());
  curl_easy_setopt(h, CURLOPT_MAIL_RCPT, recipients.get());
  curl_easy_setopt(h, CURLOPT_UPLOAD, 1L);
  curl_easy_setopt(h, CURLOPT_READFUNCTION, read_message);
  curl_easy_setopt(h, CURLOPT_READDATA, &upload);
  curl_easy_setopt(h, CURLOPT_INFILESIZE_LARGE, static_cast<curl_off_t>(message.size()));
  // A server that accepts the connection and then says nothing ends the
  // exchange as surely as one that never answers the connection.
  curl_easy_setopt(h, CURLOPT_CONNECTTIMEOUT, timeout);
  curl_easy_setopt(h, CURLOPT_SERVER_RESPONSE_TIMEOUT, timeout);
  curl_easy_setopt(h, CURLOPT_TIMEOUT, timeout);
  curl_easy_setopt(h, CURLOPT_ERRORBUFFER, error_buffer);
  curl_easy_setopt(h, CURLOPT_VERBOSE, 1L);
  curl_easy_setopt(h, CURLOPT_DEBUGFUNCTION, on_debug);
  curl_easy_setopt(h, CURLOPT_DEBUGDATA, &transcript);

  const CURLcode code = curl_easy_perform(h);
  const std::string reply = without(transcript.last_reply, settings_.password);
  if (code == CURLE_OK) return {SendResult::sent, reply};

  const std::string curl_words = without(
      error_buffer[0] ? std::string(error_buffer) : curl_easy_strerror(code), settings_.password);
  const std::string refusal = without(transcript.refusal, settings_.password);
  const std::string said = refusal.empty() ? curl_words : refusal + " (" + curl_words + ")";
  // A 5xx refusal of the sender, the recipient or the message itself will
  // be refused again. One of the login or of STARTTLS, or a 530 (log in
  // first) to any command, is the server's configuration or ours, and may
  // be mended.
  const std::string& verb = transcript.refused_verb;
  const bool login_wanted = refusal.rfind("530", 0) == 0;
  if (refusal[0] == '5' && !login_wanted && (verb == "MAIL" || verb == "RCPT" || verb == "DATA"))
    return {SendResult::permanent, said};
  return {SendResult::transient, said};
}

}  // namespace cxm::mail
