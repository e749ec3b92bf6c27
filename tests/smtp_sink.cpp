#include "smtp_sink.h"

#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <spawn.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <filesystem>
#include <stdexcept>
#include <thread>

extern char** environ;

namespace cxm::testing {
namespace {

// The first line the sink prints, within `timeout_ms`: its port.
std::string read_line(int fd, int timeout_ms) {
  std::string line;
  char c = 0;
  while (true) {
    pollfd p{fd, POLLIN, 0};
    if (poll(&p, 1, timeout_ms) <= 0) return {};
    if (read(fd, &c, 1) != 1) return {};
    if (c == '\n') return line;
    line += c;
  }
}

int hex_value(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  return -1;
}

std::string quoted_printable(const std::string& text) {
  std::string out;
  for (std::size_t i = 0; i < text.size(); ++i) {
    if (text[i] != '=') {
      out += text[i];
    } else if (i + 2 < text.size() && text[i + 1] == '\r' && text[i + 2] == '\n') {
      i += 2;  // a soft line break
    } else if (i + 1 < text.size() && text[i + 1] == '\n') {
      i += 1;
    } else if (i + 2 < text.size() && hex_value(text[i + 1]) >= 0 && hex_value(text[i + 2]) >= 0) {
      out += static_cast<char>(hex_value(text[i + 1]) * 16 + hex_value(text[i + 2]));
      i += 2;
    } else {
      out += '=';
    }
  }
  return out;
}

std::string base64(const std::string& text) {
  static const std::string kAlphabet =
      "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
  std::string out;
  int bits = 0, value = 0;
  for (char c : text) {
    const auto at = kAlphabet.find(c);
    if (at == std::string::npos) continue;  // line breaks, padding
    value = (value << 6) | static_cast<int>(at);
    bits += 6;
    if (bits >= 8) {
      bits -= 8;
      out += static_cast<char>((value >> bits) & 0xff);
    }
  }
  return out;
}

std::string lower(std::string text) {
  std::transform(text.begin(), text.end(), text.begin(),
                 [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
  return text;
}

}  // namespace

SmtpSink::SmtpSink(const std::vector<std::string>& options) : dir_(files_.path() + "/mail") {
  std::vector<std::string> args{CXM_PYTHON, CXM_SOURCE_DIR "/tests/smtp_sink.py", "--dir", dir_};
  args.insert(args.end(), options.begin(), options.end());
  std::vector<char*> argv;
  for (auto& a : args) argv.push_back(a.data());
  argv.push_back(nullptr);

  int out[2];
  if (pipe(out) != 0) throw std::runtime_error("pipe failed");
  const std::string err = files_.path() + "/stderr";
  posix_spawn_file_actions_t actions;
  posix_spawn_file_actions_init(&actions);
  posix_spawn_file_actions_adddup2(&actions, out[1], 1);
  posix_spawn_file_actions_addclose(&actions, out[0]);
  posix_spawn_file_actions_addopen(&actions, 2, err.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0600);
  const int rc = posix_spawn(&pid_, args[0].c_str(), &actions, nullptr, argv.data(), environ);
  posix_spawn_file_actions_destroy(&actions);
  close(out[1]);
  if (rc != 0) {
    close(out[0]);
    throw std::runtime_error("cannot start " CXM_PYTHON);
  }
  const std::string line = read_line(out[0], 15000);
  close(out[0]);
  try {
    port_ = std::stoi(line);
  } catch (const std::exception&) {
    const std::string why = log();
    kill(pid_, SIGKILL);
    waitpid(pid_, nullptr, 0);
    throw std::runtime_error("smtp_sink.py did not start: " + why);
  }
}

SmtpSink::~SmtpSink() {
  kill(pid_, SIGTERM);
  waitpid(pid_, nullptr, 0);
}

std::vector<std::string> SmtpSink::messages() const {
  std::vector<std::string> found;
  for (int n = 1; std::filesystem::exists(dir_ + "/" + std::to_string(n) + ".eml"); ++n)
    found.push_back(read_text(dir_ + "/" + std::to_string(n) + ".eml"));
  return found;
}

std::string parse_mail_json(const std::string& path) {
  const std::string command =
      std::string(CXM_PYTHON " " CXM_SOURCE_DIR "/tests/mail_parse.py '") + path + "'";
  FILE* pipe = popen(command.c_str(), "r");
  if (!pipe) throw std::runtime_error("cannot run tests/mail_parse.py");
  std::string out;
  char buffer[4096];
  for (std::size_t n; (n = fread(buffer, 1, sizeof buffer, pipe)) > 0;) out.append(buffer, n);
  pclose(pipe);
  return out;
}

std::vector<ReceivedMail> SmtpSink::received() const {
  std::vector<ReceivedMail> out;
  for (auto& raw : messages()) {
    ReceivedMail m{"", std::move(raw)};
    const std::string header = "X-Envelope-To: <";
    if (const auto at = m.raw.find(header); at != std::string::npos) {
      const auto start = at + header.size();
      m.to = m.raw.substr(start, m.raw.find('>', start) - start);
    }
    out.push_back(std::move(m));
  }
  return out;
}

std::vector<ReceivedMail> SmtpSink::wait_for(std::size_t count, int timeout_ms) const {
  const auto deadline = std::chrono::steady_clock::now() + std::chrono::milliseconds(timeout_ms);
  for (;;) {
    auto got = received();
    if (got.size() >= count || std::chrono::steady_clock::now() >= deadline) return got;
    std::this_thread::sleep_for(std::chrono::milliseconds(100));
  }
}

std::string decoded_text(const std::string& raw) {
  // Each part: its headers up to a blank line, then its body up to the
  // next boundary line ("--…").
  std::string out;
  std::size_t at = 0;
  while ((at = lower(raw).find("content-transfer-encoding:", at)) != std::string::npos) {
    const auto line_end = raw.find('\n', at);
    const std::string encoding = lower(raw.substr(at, line_end - at));
    auto body = raw.find("\r\n\r\n", at);
    std::size_t skip = 4;
    if (body == std::string::npos) body = raw.find("\n\n", at), skip = 2;
    if (body == std::string::npos) break;
    body += skip;
    auto end = raw.find("\n--", body);
    if (end == std::string::npos) end = raw.size();
    const std::string text = raw.substr(body, end - body);
    if (encoding.find("quoted-printable") != std::string::npos)
      out += quoted_printable(text);
    else if (encoding.find("base64") != std::string::npos)
      out += base64(text);
    else
      out += text;
    out += "\n";
    at = end;
  }
  return out;
}

std::string link_token(const std::string& raw) {
  const std::string text = decoded_text(raw);
  const auto at = text.find("/r/");
  if (at == std::string::npos) return "";
  std::string token;
  for (std::size_t i = at + 3;
       i < text.size() && std::isxdigit(static_cast<unsigned char>(text[i])); ++i)
    token += text[i];
  return token;
}

std::string SmtpSink::log() const { return read_text(files_.path() + "/stderr"); }

}  // namespace cxm::testing
