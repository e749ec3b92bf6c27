#include "smtp_sink.h"

#include <poll.h>
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <chrono>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <stdexcept>
#include <thread>

namespace cxm::testing {
namespace {

std::string file_text(const std::filesystem::path& path) {
  std::ifstream in(path, std::ios::binary);
  std::ostringstream out;
  out << in.rdbuf();
  return out.str();
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

SmtpSink::SmtpSink(const std::string& dir, const std::vector<std::string>& args) : dir_(dir) {
  std::filesystem::create_directories(dir_);
  int out[2];
  if (pipe(out) != 0) throw std::runtime_error("pipe");
  std::vector<std::string> command = {"/usr/bin/python3", CXM_SOURCE_DIR "/tests/smtp_sink.py",
                                      "--dir", dir_};
  command.insert(command.end(), args.begin(), args.end());
  std::vector<char*> argv;
  for (auto& a : command) argv.push_back(a.data());
  argv.push_back(nullptr);
  pid_ = fork();
  if (pid_ == 0) {
    dup2(out[1], 1);
    close(out[0]);
    close(out[1]);
    execv(argv[0], argv.data());
    _exit(127);
  }
  close(out[1]);
  std::string line;
  const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(20);
  while (line.find('\n') == std::string::npos && std::chrono::steady_clock::now() < deadline) {
    pollfd p = {out[0], POLLIN, 0};
    if (poll(&p, 1, 100) <= 0) continue;
    char c;
    if (read(out[0], &c, 1) != 1) break;
    line += c;
  }
  close(out[0]);
  try {
    port_ = std::stoi(line);
  } catch (const std::exception&) {
    throw std::runtime_error("the SMTP sink did not start: " + line);
  }
}

SmtpSink::~SmtpSink() {
  if (pid_ <= 0) return;
  kill(pid_, SIGTERM);
  int status = 0;
  waitpid(pid_, &status, 0);
}

std::vector<ReceivedMail> SmtpSink::messages() const {
  std::vector<std::filesystem::path> files;
  for (const auto& entry : std::filesystem::directory_iterator(dir_)) {
    if (entry.path().extension() == ".eml") files.push_back(entry.path());
  }
  // N.eml, in the order received.
  std::sort(files.begin(), files.end(), [](const auto& a, const auto& b) {
    return std::stoi(a.stem().string()) < std::stoi(b.stem().string());
  });
  std::vector<ReceivedMail> out;
  for (const auto& f : files) {
    ReceivedMail m{f.string(), "", file_text(f)};
    const std::string header = "X-Envelope-To: ";
    if (m.raw.rfind(header, 0) == 0) {
      const auto end = m.raw.find_first_of("\r\n");
      m.to = m.raw.substr(header.size(), end - header.size());
    }
    out.push_back(std::move(m));
  }
  return out;
}

std::vector<ReceivedMail> SmtpSink::wait_for(std::size_t count, int timeout_ms) const {
  const auto deadline = std::chrono::steady_clock::now() + std::chrono::milliseconds(timeout_ms);
  for (;;) {
    auto received = messages();
    if (received.size() >= count || std::chrono::steady_clock::now() >= deadline) return received;
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
  for (std::size_t i = at + 3; i < text.size() && std::isxdigit(static_cast<unsigned char>(text[i]));
       ++i)
    token += text[i];
  return token;
}

}  // namespace cxm::testing
