#include "server_process.h"

#include <arpa/inet.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <poll.h>
#include <signal.h>
#include <sys/resource.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cctype>
#include <chrono>
#include <mutex>
#include <nlohmann/json.hpp>
#include <stdexcept>

namespace cxm::testing {

ServerProcess::ServerProcess(const std::string& db, const ServerProcessOptions& options) {
  int out[2];
  if (pipe(out) != 0) throw std::runtime_error("pipe");
  std::vector<std::string> args = {CXM_BINARY, "serve", "--db", db, "--listen", "127.0.0.1:0"};
  args.insert(args.end(), options.extra_args.begin(), options.extra_args.end());
  std::vector<char*> argv;
  for (auto& a : args) argv.push_back(a.data());
  argv.push_back(nullptr);
  const std::string log = options.log_file.empty() ? "/dev/null" : options.log_file;
  pid_ = fork();
  if (pid_ == 0) {
    dup2(out[1], 1);
    const int log_fd = open(log.c_str(), O_WRONLY | O_CREAT | O_APPEND, 0644);  // the access log
    dup2(log_fd, 2);
    close(out[0]);
    close(out[1]);
    if (options.open_files > 0) {
      const rlimit files{static_cast<rlim_t>(options.open_files),
                         static_cast<rlim_t>(options.open_files)};
      if (setrlimit(RLIMIT_NOFILE, &files) != 0) _exit(125);
    }
    if (options.uid != 0 && geteuid() == 0 &&
        (setgid(options.uid) != 0 || setuid(options.uid) != 0))
      _exit(126);
    execv(CXM_BINARY, argv.data());
    _exit(127);
  }
  close(out[1]);
  stdout_fd_ = out[0];
  std::string line;
  const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(30);
  while (line.find('\n') == std::string::npos && std::chrono::steady_clock::now() < deadline) {
    struct pollfd p = {stdout_fd_, POLLIN, 0};
    if (poll(&p, 1, 100) <= 0) continue;
    char c;
    if (read(stdout_fd_, &c, 1) != 1) break;
    line += c;
  }
  const auto colon = line.rfind(':', line.find(" (database"));
  if (colon == std::string::npos) throw std::runtime_error("cxm serve did not start: " + line);
  port_ = std::stoi(line.substr(colon + 1));
}

ServerProcess::~ServerProcess() {
  if (pid_ > 0) stop(SIGTERM);
  if (stdout_fd_ >= 0) close(stdout_fd_);
}

int ServerProcess::stop(int signal) {
  if (pid_ <= 0) return -1;
  kill(pid_, signal);
  int status = 0;
  waitpid(pid_, &status, 0);
  pid_ = -1;
  return WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
}

HttpResult ServerProcess::request(const std::string& method, const std::string& target,
                                  const std::string& body,
                                  const std::map<std::string, std::string>& headers) const {
  return participant_request(port_, method, target, body, headers);
}

namespace {

std::mutex claims_mutex;
std::map<std::string, std::string> claims;  // token -> "cxm_claim=..."

}  // namespace

HttpResult participant_request(int port, const std::string& method, const std::string& target,
                               const std::string& body,
                               std::map<std::string, std::string> headers) {
  const std::string prefix = "/api/r/";
  if (target.rfind(prefix, 0) != 0 || headers.contains("Cookie")) {
    return http_request(port, method, target, body, headers);
  }
  const std::string token =
      target.substr(prefix.size(), target.find_first_of("/?", prefix.size()) - prefix.size());
  std::string cookie;
  {
    std::lock_guard lock(claims_mutex);
    if (const auto it = claims.find(token); it != claims.end()) cookie = it->second;
  }
  const bool claims_itself = target.find("/claim") != std::string::npos;
  if (cookie.empty() && method != "GET" && !claims_itself) {
    const auto claimed = http_request(port, "POST", prefix + token + "/claim", "{}",
                                      {{"Content-Type", "application/json"}});
    if (claimed.status == 200) {
      const std::string set = claimed.headers.at("set-cookie");
      cookie = set.substr(0, set.find(';'));
      std::lock_guard lock(claims_mutex);
      claims[token] = cookie;
    }
  }
  if (!cookie.empty()) headers["Cookie"] = cookie;
  auto result = http_request(port, method, target, body, headers);
  if (claims_itself && result.status == 200 && result.headers.contains("set-cookie")) {
    const std::string set = result.headers.at("set-cookie");
    std::lock_guard lock(claims_mutex);
    claims[token] = set.substr(0, set.find(';'));
  }
  return result;
}

HttpResult http_request(int port, const std::string& method, const std::string& target,
                        const std::string& body,
                        const std::map<std::string, std::string>& headers) {
  HttpResult result;
  const int fd = socket(AF_INET, SOCK_STREAM, 0);
  // A server that stops answering fails the test instead of hanging it.
  timeval timeout{30, 0};
  setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &timeout, sizeof timeout);
  setsockopt(fd, SOL_SOCKET, SO_SNDTIMEO, &timeout, sizeof timeout);
  sockaddr_in address{};
  address.sin_family = AF_INET;
  address.sin_port = htons(static_cast<std::uint16_t>(port));
  inet_pton(AF_INET, "127.0.0.1", &address.sin_addr);
  if (connect(fd, reinterpret_cast<sockaddr*>(&address), sizeof address) != 0) {
    close(fd);
    return result;
  }
  std::string wire =
      method + " " + target + " HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n";
  for (const auto& [name, value] : headers) wire += name + ": " + value + "\r\n";
  if (!body.empty() || method == "POST" || method == "PUT" || method == "PATCH") {
    wire += "Content-Length: " + std::to_string(body.size()) + "\r\n";
  }
  wire += "\r\n" + body;
  std::size_t sent = 0;
  while (sent < wire.size()) {
    const ssize_t n = send(fd, wire.data() + sent, wire.size() - sent, MSG_NOSIGNAL);
    if (n <= 0) break;  // the server may answer (413) before reading everything
    sent += static_cast<std::size_t>(n);
  }
  std::string raw;
  char buffer[65536];
  for (;;) {
    const ssize_t n = recv(fd, buffer, sizeof buffer, 0);
    if (n <= 0) break;
    raw.append(buffer, static_cast<std::size_t>(n));
  }
  close(fd);
  const auto head_end = raw.find("\r\n\r\n");
  if (raw.rfind("HTTP/1.1 ", 0) != 0 || head_end == std::string::npos) return result;
  result.status = std::stoi(raw.substr(9, 3));
  std::size_t at = raw.find("\r\n") + 2;
  while (at < head_end) {
    const auto end = raw.find("\r\n", at);
    const std::string line = raw.substr(at, end - at);
    const auto colon = line.find(':');
    std::string name = line.substr(0, colon);
    for (auto& c : name) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    result.headers[name] = line.substr(colon + 2);
    at = end + 2;
  }
  result.body = raw.substr(head_end + 4);
  return result;
}

int Client::start(const std::string& path, const std::string& body) {
  const auto r = http_request(port_(), "POST", path, body, {{"Content-Type", "application/json"}});
  if (r.status == 200 || r.status == 201) {
    const std::string set_cookie = r.headers.at("set-cookie");
    cookie_ = set_cookie.substr(0, set_cookie.find(';'));
    csrf_ = nlohmann::json::parse(r.body)["csrf_token"];
  }
  return r.status;
}

int Client::setup(const std::string& email, const std::string& password) {
  return start("/api/setup",
               nlohmann::json{{"email", email}, {"name", "Admin"}, {"password", password}}.dump());
}

int Client::login(const std::string& email, const std::string& password) {
  return start("/api/session", nlohmann::json{{"email", email}, {"password", password}}.dump());
}

HttpResult Client::get(const std::string& target) const {
  return http_request(port_(), "GET", target, "", {{"Cookie", cookie_}});
}

HttpResult Client::send(const std::string& method, const std::string& target,
                        const std::string& json) const {
  return http_request(
      port_(), method, target, json,
      {{"Cookie", cookie_}, {"X-CSRF-Token", csrf_}, {"Content-Type", "application/json"}});
}

EventStreamClient::EventStreamClient(int port, const std::string& target,
                                     const std::map<std::string, std::string>& headers) {
  fd_ = ::socket(AF_INET, SOCK_STREAM, 0);
  sockaddr_in address{};
  address.sin_family = AF_INET;
  address.sin_port = htons(static_cast<std::uint16_t>(port));
  address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  if (::connect(fd_, reinterpret_cast<sockaddr*>(&address), sizeof address) != 0) return;
  std::string request =
      "GET " + target + " HTTP/1.1\r\nHost: 127.0.0.1\r\nAccept: text/event-stream\r\n";
  for (const auto& [name, value] : headers) request += name + ": " + value + "\r\n";
  request += "\r\n";
  if (::send(fd_, request.data(), request.size(), MSG_NOSIGNAL) !=
      static_cast<ssize_t>(request.size()))
    return;
  // The head, then whatever of the stream came with it.
  const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(10);
  while (buffer_.find("\r\n\r\n") == std::string::npos &&
         std::chrono::steady_clock::now() < deadline) {
    pollfd p{fd_, POLLIN, 0};
    if (::poll(&p, 1, 100) <= 0) continue;
    char chunk[4096];
    const ssize_t n = ::recv(fd_, chunk, sizeof chunk, 0);
    if (n <= 0) break;
    buffer_.append(chunk, static_cast<std::size_t>(n));
  }
  const auto end = buffer_.find("\r\n\r\n");
  if (end == std::string::npos || buffer_.size() < 12) return;
  status_ = std::stoi(buffer_.substr(9, 3));
  head_ = buffer_.substr(0, end + 2);
  buffer_.erase(0, end + 4);
}

std::string EventStreamClient::header(const std::string& name) const {
  std::size_t at = head_.find("\r\n");
  while (at != std::string::npos && at + 2 < head_.size()) {
    const auto eol = head_.find("\r\n", at + 2);
    const std::string line = head_.substr(at + 2, eol - at - 2);
    const auto colon = line.find(':');
    if (colon != std::string::npos) {
      std::string field = line.substr(0, colon);
      for (auto& c : field) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
      if (field == name) return line.substr(line.find_first_not_of(' ', colon + 1));
    }
    at = eol;
  }
  return "";
}

EventStreamClient::~EventStreamClient() {
  if (fd_ >= 0) ::close(fd_);
}

std::optional<ServerEvent> EventStreamClient::next(int timeout_ms) {
  const auto deadline = std::chrono::steady_clock::now() + std::chrono::milliseconds(timeout_ms);
  for (;;) {
    // Whole blocks: an event, or a heartbeat comment (skipped).
    for (auto end = buffer_.find("\n\n"); end != std::string::npos; end = buffer_.find("\n\n")) {
      const std::string block = buffer_.substr(0, end);
      buffer_.erase(0, end + 2);
      ServerEvent event;
      bool any = false;
      std::size_t at = 0;
      while (at <= block.size()) {
        auto eol = block.find('\n', at);
        if (eol == std::string::npos) eol = block.size();
        const std::string line = block.substr(at, eol - at);
        at = eol + 1;
        const auto colon = line.find(": ");
        if (line.empty() || line[0] == ':' || colon == std::string::npos) continue;
        const std::string field = line.substr(0, colon), value = line.substr(colon + 2);
        if (field == "id") event.id = value, any = true;
        if (field == "event") event.event = value, any = true;
        if (field == "data") event.data += value, any = true;
      }
      if (any) return event;
    }
    const auto left = std::chrono::duration_cast<std::chrono::milliseconds>(
        deadline - std::chrono::steady_clock::now());
    if (left.count() <= 0 || fd_ < 0) return std::nullopt;
    pollfd p{fd_, POLLIN, 0};
    if (::poll(&p, 1, static_cast<int>(left.count())) <= 0) return std::nullopt;
    char chunk[4096];
    const ssize_t n = ::recv(fd_, chunk, sizeof chunk, 0);
    if (n <= 0) {
      ended_ = true;
      return std::nullopt;
    }
    buffer_.append(chunk, static_cast<std::size_t>(n));
  }
}

}  // namespace cxm::testing
