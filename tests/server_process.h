// A real `cxm serve` process on a free loopback port, and a small HTTP/1.1
// client for talking to it.
#pragma once

#include <sys/types.h>

#include <functional>
#include <map>
#include <optional>
#include <string>
#include <vector>

namespace cxm::testing {

struct HttpResult {
  int status = 0;                              // 0: no answer (connection failed)
  std::map<std::string, std::string> headers;  // lower-case names
  std::string body;
};

// One HTTP/1.1 request to 127.0.0.1:`port` on a new connection.
HttpResult http_request(int port, const std::string& method, const std::string& target,
                        const std::string& body = "",
                        const std::map<std::string, std::string>& headers = {});

struct ServerProcessOptions {
  std::vector<std::string> extra_args;  // e.g. {"--trusted-proxy", "127.0.0.1"}
  std::string log_file;                 // the server's stderr (the log); /dev/null when empty
  uid_t uid = 0;                        // when not 0 (and we are root): run as this user
  int open_files = 0;  // when not 0: the server may open at most this many files (RLIMIT_NOFILE)
};

// The same, as a participant's browser makes it: requests to a link's API
// (/api/r/TOKEN...) carry that link's claim cookie, and the first PUT or
// POST through a link not yet claimed in this test process claims it (as
// the browser does when the participant starts). The claims are shared by
// every server of the test process (they share databases). A request that
// brings its own Cookie header is sent as it is.
HttpResult participant_request(int port, const std::string& method, const std::string& target,
                               const std::string& body = "",
                               std::map<std::string, std::string> headers = {});

// One server-sent event.
struct ServerEvent {
  std::string id;
  std::string event;
  std::string data;
};

// A GET of an event stream on its own connection, read event by event.
class EventStreamClient {
 public:
  EventStreamClient(int port, const std::string& target,
                    const std::map<std::string, std::string>& headers = {});
  ~EventStreamClient();
  EventStreamClient(const EventStreamClient&) = delete;
  EventStreamClient& operator=(const EventStreamClient&) = delete;
  int status() const { return status_; }
  // A header of the response's head (lower-case name), or "".
  std::string header(const std::string& name) const;
  // The next event (heartbeat comments skipped), or none within `timeout_ms`
  // or once the server has ended the stream.
  std::optional<ServerEvent> next(int timeout_ms);
  // Whether the server has ended the stream (seen by next()).
  bool ended() const { return ended_; }

 private:
  int fd_ = -1;
  int status_ = 0;
  std::string head_;
  std::string buffer_;
  bool ended_ = false;
};

class ServerProcess {
 public:
  // Starts `cxm serve --db DB --listen 127.0.0.1:0` and waits for its port.
  explicit ServerProcess(const std::string& db, const ServerProcessOptions& options = {});
  ~ServerProcess();  // SIGTERM and wait, if still running
  ServerProcess(const ServerProcess&) = delete;
  ServerProcess& operator=(const ServerProcess&) = delete;

  int port() const { return port_; }
  pid_t pid() const { return pid_; }
  // Requests go through participant_request.
  // Sends `signal` to the server (by the pid we started) and waits for it;
  // returns the exit status, or 128 + signal when it was killed.
  int stop(int signal);

  HttpResult request(const std::string& method, const std::string& target,
                     const std::string& body = "",
                     const std::map<std::string, std::string>& headers = {}) const;

 private:
  pid_t pid_ = -1;
  int port_ = 0;
  int stdout_fd_ = -1;
};

// A signed-in user: keeps the session cookie and CSRF token.
class Client {
 public:
  explicit Client(const ServerProcess& server) : port_([&server] { return server.port(); }) {}
  // A server in this process, listening on `port`.
  explicit Client(int port) : port_([port] { return port; }) {}
  // POST /api/setup or /api/session, keeping the cookie; returns the status.
  int setup(const std::string& email, const std::string& password);
  int login(const std::string& email, const std::string& password);
  HttpResult get(const std::string& target) const;
  HttpResult send(const std::string& method, const std::string& target,
                  const std::string& json = "{}") const;
  // The session cookie ("cxm_session=..."), to use it through another process.
  const std::string& cookie() const { return cookie_; }

 private:
  int start(const std::string& path, const std::string& body);
  std::function<int()> port_;
  std::string cookie_;
  std::string csrf_;
};

}  // namespace cxm::testing
