// Several `cxm serve` processes behind nginx on one PostgreSQL (SPEC
// section 6, docs/deploy.md), run from the very files in deploy/: the
// processes from the systemd unit's ExecStart, nginx (Debian's, not root,
// everything in a temporary directory) from deploy/nginx/cxm.conf. The
// placeholders of those files (ports, the binary, the database, the log
// directory) are replaced here; nothing else is changed.
//
// The scenario: participants save answers all along, a facilitator follows
// the cycle live, and a workshop runs with phones and a projector, every
// request and stream through nginx and so spread over the three processes.
// Mid-workshop one process is killed (SIGKILL): every acknowledged answer
// is kept, every screen goes on through the other two, and the killed one,
// started again on its port, takes requests and streams again and hears of
// changes made through the others.
#include <arpa/inet.h>
#include <fcntl.h>
#include <grp.h>
#include <gtest/gtest.h>
#include <netinet/in.h>
#include <poll.h>
#include <signal.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <atomic>
#include <chrono>
#include <filesystem>
#include <fstream>
#include <functional>
#include <map>
#include <mutex>
#include <nlohmann/json.hpp>
#include <optional>
#include <random>
#include <set>
#include <sstream>
#include <string>
#include <thread>
#include <vector>

#include "server_fixture.h"

namespace cxm::testing {
namespace {

using nlohmann::json;
using Clock = std::chrono::steady_clock;

const char* const kNginx = "/usr/sbin/nginx";
const std::string kDeploy = std::string(CXM_SOURCE_DIR) + "/deploy/";

// Replaces the one occurrence of `from` in `text`; fails the test (naming
// the file that changed) when there is none or more than one.
void replace_once(std::string& text, const std::string& from, const std::string& to,
                  const std::string& file) {
  const auto at = text.find(from);
  if (at == std::string::npos)
    throw std::runtime_error(file + " no longer has '" + from + "': update this test");
  if (text.find(from, at + 1) != std::string::npos)
    throw std::runtime_error(file + " has '" + from + "' twice");
  text.replace(at, from.size(), to);
}

// A port below the ephemeral range (where the servers' own connections to
// PostgreSQL take theirs, so that a killed process finds its port free
// again) that nothing listens on now.
int free_port(std::set<int>& taken) {
  static std::mt19937 random(static_cast<unsigned>(getpid()) ^
                             static_cast<unsigned>(Clock::now().time_since_epoch().count()));
  for (;;) {
    const int port = 20000 + static_cast<int>(random() % 10000);
    if (taken.contains(port)) continue;
    const int fd = socket(AF_INET, SOCK_STREAM, 0);
    sockaddr_in address{};
    address.sin_family = AF_INET;
    address.sin_port = htons(static_cast<std::uint16_t>(port));
    address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    const bool free = bind(fd, reinterpret_cast<sockaddr*>(&address), sizeof address) == 0;
    close(fd);
    if (free) {
      taken.insert(port);
      return port;
    }
  }
}

bool accepts(int port) {
  const int fd = socket(AF_INET, SOCK_STREAM, 0);
  sockaddr_in address{};
  address.sin_family = AF_INET;
  address.sin_port = htons(static_cast<std::uint16_t>(port));
  address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  const bool ok = connect(fd, reinterpret_cast<sockaddr*>(&address), sizeof address) == 0;
  close(fd);
  return ok;
}

// KEY=VALUE lines of an environment file (comments and blank lines aside).
std::map<std::string, std::string> environment_file(const std::string& text) {
  std::map<std::string, std::string> out;
  std::istringstream lines(text);
  for (std::string line; std::getline(lines, line);) {
    if (line.empty() || line[0] == '#') continue;
    const auto eq = line.find('=');
    if (eq != std::string::npos) out[line.substr(0, eq)] = line.substr(eq + 1);
  }
  return out;
}

// The command line of deploy/systemd/cxm@.service for instance `port`, as
// systemd makes it: %i is the instance, ${NAME} one argument, $NAME split
// at spaces; the installed binary's path is the built binary's here.
std::vector<std::string> unit_command(const std::map<std::string, std::string>& env, int port) {
  const std::string unit = read_text(kDeploy + "systemd/cxm@.service");
  const auto at = unit.find("\nExecStart=");
  if (at == std::string::npos) throw std::runtime_error("cxm@.service has no ExecStart");
  const auto end = unit.find('\n', at + 1);
  std::istringstream words(unit.substr(at + 11, end - at - 11));
  std::vector<std::string> argv;
  for (std::string word; words >> word;) {
    for (auto i = word.find("%i"); i != std::string::npos; i = word.find("%i"))
      word.replace(i, 2, std::to_string(port));
    if (word.starts_with("${") && word.ends_with("}")) {
      const auto value = env.find(word.substr(2, word.size() - 3));
      if (value == env.end()) throw std::runtime_error("cxm.env does not set " + word);
      argv.push_back(value->second);
    } else if (word.starts_with("$")) {
      const auto value = env.find(word.substr(1));
      std::istringstream split(value == env.end() ? "" : value->second);
      for (std::string part; split >> part;) argv.push_back(part);
    } else {
      argv.push_back(word);
    }
  }
  if (argv.empty() || argv[0] != "/usr/local/bin/cxm")
    throw std::runtime_error("cxm@.service no longer starts /usr/local/bin/cxm: update this test");
  argv[0] = CXM_BINARY;
  return argv;
}

// One `cxm serve` instance, started (and started again) from the unit.
class Instance {
 public:
  Instance(std::vector<std::string> argv, int port, std::string log)
      : argv_(std::move(argv)), port_(port), log_(std::move(log)) {}
  ~Instance() { stop(SIGTERM); }
  Instance(const Instance&) = delete;
  Instance& operator=(const Instance&) = delete;

  int port() const { return port_; }
  void spawn() {
    int out[2];
    if (pipe(out) != 0) throw std::runtime_error("pipe");
    std::vector<char*> argv;
    for (auto& a : argv_) argv.push_back(a.data());
    argv.push_back(nullptr);
    pid_ = fork();
    if (pid_ == 0) {
      dup2(out[1], 1);
      const int log_fd = open(log_.c_str(), O_WRONLY | O_CREAT | O_APPEND, 0644);
      dup2(log_fd, 2);
      close(out[0]);
      close(out[1]);
      execv(argv[0], argv.data());
      _exit(127);
    }
    close(out[1]);
    stdout_fd_ = out[0];
  }
  // Waits for the line saying where it listens.
  void wait_ready() {
    std::string line;
    const auto deadline = Clock::now() + std::chrono::seconds(30);
    while (line.find('\n') == std::string::npos && Clock::now() < deadline) {
      pollfd p{stdout_fd_, POLLIN, 0};
      if (poll(&p, 1, 100) <= 0) continue;
      char c;
      if (read(stdout_fd_, &c, 1) != 1) break;
      line += c;
    }
    if (line.find(":" + std::to_string(port_) + " (database") == std::string::npos)
      throw std::runtime_error("cxm serve did not start on " + std::to_string(port_) + ": " + line +
                               read_text(log_));
  }
  void start() {
    spawn();
    wait_ready();
  }
  void stop(int signal) {
    if (pid_ > 0) {
      kill(pid_, signal);
      waitpid(pid_, nullptr, 0);
    }
    pid_ = -1;
    if (stdout_fd_ >= 0) close(stdout_fd_);
    stdout_fd_ = -1;
  }

 private:
  std::vector<std::string> argv_;
  int port_;
  std::string log_;
  pid_t pid_ = -1;
  int stdout_fd_ = -1;
};

// Debian's nginx with deploy/nginx/cxm.conf, in `dir`, on 127.0.0.1:`port`,
// as a user other than root. The main configuration is the smallest that
// runs nginx in a temporary directory; the only addition to the site is a
// response header naming the process that answered (X-Cxm-Upstream), so
// that the test knows where each stream went.
class Nginx {
 public:
  Nginx(const std::string& dir, int port, const std::vector<int>& upstreams) : dir_(dir) {
    const std::string file = "deploy/nginx/cxm.conf";
    std::string site = read_text(kDeploy + "nginx/cxm.conf");
    for (std::size_t i = 0; i < upstreams.size(); ++i) {
      replace_once(site, "server 127.0.0.1:" + std::to_string(8081 + i) + " ",
                   "server 127.0.0.1:" + std::to_string(upstreams[i]) + " ", file);
    }
    if (site.find("server 127.0.0.1:808" + std::to_string(upstreams.size() + 1)) !=
        std::string::npos)
      throw std::runtime_error(file + " has more processes than this test starts");
    replace_once(site, "listen 80;", "listen 127.0.0.1:" + std::to_string(port) + ";", file);
    replace_once(site, "listen [::]:80;", "", file);
    replace_once(site, "access_log /var/log/nginx/", "access_log " + dir + "/", file);
    std::ofstream(dir + "/cxm.conf") << site;
    std::ofstream(dir + "/nginx.conf")
        << "worker_processes 2;\n"
           "pid "
        << dir << "/nginx.pid;\nerror_log " << dir
        << "/error.log warn;\n"
           "events { worker_connections 1024; }\n"
           "http {\n"
           "  client_body_temp_path "
        << dir << "/body;\n  proxy_temp_path " << dir << "/proxy;\n  fastcgi_temp_path " << dir
        << "/fastcgi;\n  uwsgi_temp_path " << dir << "/uwsgi;\n  scgi_temp_path " << dir
        << "/scgi;\n"
           "  add_header X-Cxm-Upstream $upstream_addr always;\n"
           "  include "
        << dir << "/cxm.conf;\n}\n";
    if (geteuid() == 0) {  // nginx runs as nobody: its directory must be its own
      chmod(std::filesystem::path(dir).parent_path().c_str(), 0711);
      for (const auto& entry : std::filesystem::recursive_directory_iterator(dir))
        if (lchown(entry.path().c_str(), kNobody, kNobody) != 0) ADD_FAILURE() << "chown";
      if (chown(dir.c_str(), kNobody, kNobody) != 0) ADD_FAILURE() << "chown";
    }
    // `nginx -t` first: a configuration it refuses fails with its words.
    if (const int status = run({"-t"}); status != 0)
      throw std::runtime_error("nginx -t refused deploy/nginx/cxm.conf: " +
                               read_text(dir + "/nginx.out"));
    pid_ = start({"-g", "daemon off;"});
    const auto deadline = Clock::now() + std::chrono::seconds(10);
    while (!accepts(port) && Clock::now() < deadline)
      std::this_thread::sleep_for(std::chrono::milliseconds(20));
    if (!accepts(port))
      throw std::runtime_error("nginx did not start: " + read_text(dir + "/nginx.out") +
                               read_text(dir + "/error.log"));
  }
  ~Nginx() {
    if (pid_ > 0) {
      kill(pid_, SIGTERM);
      waitpid(pid_, nullptr, 0);
    }
  }
  Nginx(const Nginx&) = delete;
  Nginx& operator=(const Nginx&) = delete;

  std::string access_log() const { return read_text(dir_ + "/cxm.access.log"); }
  std::string error_log() const { return read_text(dir_ + "/error.log"); }

 private:
  static constexpr uid_t kNobody = 65534;
  pid_t start(const std::vector<std::string>& extra) {
    std::vector<std::string> args = {
        kNginx, "-p", dir_ + "/", "-c", dir_ + "/nginx.conf", "-e", dir_ + "/error.log"};
    args.insert(args.end(), extra.begin(), extra.end());
    std::vector<char*> argv;
    for (auto& a : args) argv.push_back(a.data());
    argv.push_back(nullptr);
    const std::string out = dir_ + "/nginx.out";
    const pid_t pid = fork();
    if (pid == 0) {
      const int fd = open(out.c_str(), O_WRONLY | O_CREAT | O_APPEND, 0666);
      dup2(fd, 1);
      dup2(fd, 2);
      if (geteuid() == 0 &&
          (setgroups(0, nullptr) != 0 || setgid(kNobody) != 0 || setuid(kNobody) != 0))
        _exit(126);
      execv(kNginx, argv.data());
      _exit(127);
    }
    return pid;
  }
  int run(const std::vector<std::string>& extra) {
    const pid_t pid = start(extra);
    int status = 0;
    waitpid(pid, &status, 0);
    return WIFEXITED(status) ? WEXITSTATUS(status) : 128;
  }
  std::string dir_;
  pid_t pid_ = -1;
};

// An event stream through nginx, which sends it chunked: the chunks are
// undone before the events are read.
class Stream {
 public:
  Stream(int port, const std::string& target, const std::map<std::string, std::string>& headers) {
    fd_ = socket(AF_INET, SOCK_STREAM, 0);
    sockaddr_in address{};
    address.sin_family = AF_INET;
    address.sin_port = htons(static_cast<std::uint16_t>(port));
    address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    if (connect(fd_, reinterpret_cast<sockaddr*>(&address), sizeof address) != 0) return;
    std::string request =
        "GET " + target + " HTTP/1.1\r\nHost: 127.0.0.1\r\nAccept: text/event-stream\r\n";
    for (const auto& [name, value] : headers) request += name + ": " + value + "\r\n";
    request += "\r\n";
    if (send(fd_, request.data(), request.size(), MSG_NOSIGNAL) !=
        static_cast<ssize_t>(request.size()))
      return;
    const auto deadline = Clock::now() + std::chrono::seconds(10);
    while (raw_.find("\r\n\r\n") == std::string::npos && Clock::now() < deadline) {
      if (!receive(100)) break;
    }
    const auto end = raw_.find("\r\n\r\n");
    if (end == std::string::npos || raw_.size() < 12) return;
    status_ = std::stoi(raw_.substr(9, 3));
    std::string head = raw_.substr(0, end + 2);
    raw_.erase(0, end + 4);
    for (auto& c : head) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    chunked_ = head.find("transfer-encoding: chunked") != std::string::npos;
    if (const auto at = head.find("x-cxm-upstream: "); at != std::string::npos)
      upstream_ = head.substr(at + 16, head.find("\r\n", at) - at - 16);
    if (const auto at = head.find("content-type: "); at != std::string::npos)
      content_type_ = head.substr(at + 14, head.find("\r\n", at) - at - 14);
  }
  ~Stream() {
    if (fd_ >= 0) close(fd_);
  }
  Stream(const Stream&) = delete;
  Stream& operator=(const Stream&) = delete;

  int status() const { return status_; }
  bool ended() const { return ended_; }
  // The process that answered, "127.0.0.1:PORT" (nginx's $upstream_addr).
  const std::string& upstream() const { return upstream_; }
  const std::string& content_type() const { return content_type_; }

  std::optional<ServerEvent> next(int timeout_ms) {
    const auto deadline = Clock::now() + std::chrono::milliseconds(timeout_ms);
    for (;;) {
      dechunk();
      for (auto end = text_.find("\n\n"); end != std::string::npos; end = text_.find("\n\n")) {
        const std::string block = text_.substr(0, end);
        text_.erase(0, end + 2);
        ServerEvent event;
        bool any = false;
        std::istringstream lines(block);
        for (std::string line; std::getline(lines, line);) {
          const auto colon = line.find(": ");
          if (line.empty() || line[0] == ':' || colon == std::string::npos) continue;
          const std::string field = line.substr(0, colon), value = line.substr(colon + 2);
          if (field == "id") event.id = value, any = true;
          if (field == "event") event.event = value, any = true;
          if (field == "data") event.data += value, any = true;
        }
        if (any) return event;
      }
      const auto left =
          std::chrono::duration_cast<std::chrono::milliseconds>(deadline - Clock::now()).count();
      if (left <= 0 || ended_ || fd_ < 0) return std::nullopt;
      if (!receive(static_cast<int>(left)) && !ended_) return std::nullopt;
    }
  }

 private:
  // False when nothing came within `timeout_ms`; sets ended_ at the end.
  bool receive(int timeout_ms) {
    pollfd p{fd_, POLLIN, 0};
    if (poll(&p, 1, timeout_ms) <= 0) return false;
    char chunk[16384];
    const ssize_t n = recv(fd_, chunk, sizeof chunk, 0);
    if (n <= 0) {
      ended_ = true;
      return false;
    }
    raw_.append(chunk, static_cast<std::size_t>(n));
    return true;
  }
  void dechunk() {
    if (!chunked_) {
      text_ += raw_;
      raw_.clear();
      return;
    }
    for (;;) {
      const auto eol = raw_.find("\r\n");
      if (eol == std::string::npos) return;
      const std::size_t size = std::stoul(raw_.substr(0, eol), nullptr, 16);
      if (size == 0) {  // the last chunk: the stream ended
        ended_ = true;
        raw_.clear();
        return;
      }
      if (raw_.size() < eol + 2 + size + 2) return;
      text_ += raw_.substr(eol + 2, size);
      raw_.erase(0, eol + 2 + size + 2);
    }
  }
  int fd_ = -1;
  int status_ = 0;
  bool chunked_ = false;
  bool ended_ = false;
  std::string upstream_, content_type_, raw_, text_;
};

// A screen (a browser's EventSource) through nginx: when its stream ends
// it connects again with Last-Event-ID, as browsers do.
class Screen {
 public:
  Screen(std::string name, int port, std::string target, std::map<std::string, std::string> headers)
      : name_(std::move(name)),
        port_(port),
        target_(std::move(target)),
        headers_(std::move(headers)) {
    connect();
  }
  const std::string& name() const { return name_; }
  // The process of the current stream.
  std::string upstream() const { return stream_ ? stream_->upstream() : ""; }
  int reconnections() const { return reconnections_; }
  const std::set<std::string>& upstreams() const { return upstreams_; }
  int status() const { return stream_ ? stream_->status() : 0; }
  std::string content_type() const { return stream_ ? stream_->content_type() : ""; }

  // The first event (within `timeout_ms`) whose data satisfies `wanted`.
  std::optional<json> until(const std::function<bool(const json&)>& wanted,
                            int timeout_ms = 20000) {
    const auto deadline = Clock::now() + std::chrono::milliseconds(timeout_ms);
    while (Clock::now() < deadline) {
      if (!stream_ || stream_->ended() || stream_->status() != 200) {
        std::this_thread::sleep_for(std::chrono::milliseconds(50));
        ++reconnections_;
        connect();
        continue;
      }
      const auto left =
          std::chrono::duration_cast<std::chrono::milliseconds>(deadline - Clock::now()).count();
      const auto event = stream_->next(static_cast<int>(std::min<long>(left, 1000)));
      if (!event) continue;
      if (!event->id.empty()) last_id_ = event->id;
      const json data = json::parse(event->data);
      last_ = data;
      if (wanted(data)) return data;
    }
    return std::nullopt;
  }
  const json& last() const { return last_; }

 private:
  void connect() {
    auto headers = headers_;
    if (!last_id_.empty()) headers["Last-Event-ID"] = last_id_;
    stream_ = std::make_unique<Stream>(port_, target_, headers);
    if (stream_->status() == 200) upstreams_.insert(stream_->upstream());
  }
  std::string name_;
  int port_;
  std::string target_;
  std::map<std::string, std::string> headers_;
  std::unique_ptr<Stream> stream_;
  std::string last_id_;
  json last_;
  int reconnections_ = 0;
  std::set<std::string> upstreams_;
};

std::string address(int port) { return "127.0.0.1:" + std::to_string(port); }

class MultiProcess : public ::testing::Test {
 protected:
  void SetUp() override {
    if (access(kNginx, X_OK) != 0) FAIL() << kNginx << " is missing: run scripts/bootstrap";
    db = shared_postgres().create_database();
    auto env = environment_file(read_text(kDeploy + "systemd/cxm.env"));
    ASSERT_TRUE(env.contains("CXM_DB")) << "deploy/systemd/cxm.env does not set CXM_DB";
    env["CXM_DB"] = db;
    std::set<int> taken;
    nginx_port = free_port(taken);
    // All three at once on the empty database: one migrates, the others
    // wait for it (an advisory lock).
    for (int i = 0; i < 3; ++i) {
      const int port = free_port(taken);
      instances.push_back(std::make_unique<Instance>(
          unit_command(env, port), port, dir.path() + "/cxm-" + std::to_string(i) + ".log"));
    }
    for (auto& instance : instances) instance->spawn();
    for (auto& instance : instances) instance->wait_ready();
    std::filesystem::create_directory(dir.path() + "/nginx");
    std::vector<int> ports;
    for (const auto& instance : instances) ports.push_back(instance->port());
    nginx = std::make_unique<Nginx>(dir.path() + "/nginx", nginx_port, ports);
  }
  void TearDown() override {
    if (HasFailure() && nginx) {
      std::cerr << "nginx error log:\n" << nginx->error_log();
      const std::string access = nginx->access_log();
      std::cerr << "nginx access log (tail):\n"
                << access.substr(access.size() > 6000 ? access.size() - 6000 : 0);
      for (std::size_t i = 0; i < instances.size(); ++i)
        std::cerr << "cxm " << i << " log (tail):\n"
                  <<
            [&] {
              const std::string log = read_text(dir.path() + "/cxm-" + std::to_string(i) + ".log");
              return log.substr(log.size() > 3000 ? log.size() - 3000 : 0);
            }();
    }
  }
  Instance* instance_on(const std::string& upstream) {
    for (auto& i : instances)
      if (address(i->port()) == upstream) return i.get();
    return nullptr;
  }

  TempDir dir;
  std::string db;
  int nginx_port = 0;
  std::vector<std::unique_ptr<Instance>> instances;
  std::unique_ptr<Nginx> nginx;
};

// The systemd files as systemd reads them: no unknown key, no value it
// would ignore (systemd-analyze verify prints nothing).
TEST(DeployFiles, SystemdReadsTheUnitsWithoutComplaint) {
  if (access("/usr/bin/systemd-analyze", X_OK) != 0) GTEST_SKIP() << "no systemd-analyze";
  TempDir dir;
  std::string unit = read_text(kDeploy + "systemd/cxm@.service");
  replace_once(unit, "ExecStart=/usr/local/bin/cxm ", std::string("ExecStart=") + CXM_BINARY + " ",
               "deploy/systemd/cxm@.service");
  dir.write("cxm@8081.service", unit);
  dir.write("cxm.target", read_text(kDeploy + "systemd/cxm.target"));
  const std::string command = "/usr/bin/systemd-analyze verify " + dir.path() +
                              "/cxm@8081.service " + dir.path() + "/cxm.target 2>&1";
  FILE* pipe = popen(command.c_str(), "r");
  ASSERT_NE(pipe, nullptr);
  std::string said;
  char buffer[4096];
  while (const std::size_t n = fread(buffer, 1, sizeof buffer, pipe)) said.append(buffer, n);
  EXPECT_EQ(pclose(pipe), 0) << said;
  EXPECT_EQ(said, "");
}

// Processes started at once on an empty PostgreSQL database (systemd
// starts every instance together): each waits while one migrates, and all
// start. Before the table of versions was made under the lock too, two of
// four such starts failed ("type already exists", "duplicate key").
TEST(Migrations, ProcessesStartingAtOnceOnAnEmptyDatabaseAllMigrate) {
  TempDir dir;
  for (int round = 0; round < 4; ++round) {
    const std::string db = shared_postgres().create_database();
    std::vector<pid_t> pids;
    for (int i = 0; i < 6; ++i) {
      const std::string err =
          dir.path() + "/migrate-" + std::to_string(round) + "-" + std::to_string(i);
      const pid_t pid = fork();
      if (pid == 0) {
        const int fd = open(err.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0644);
        dup2(fd, 1);
        dup2(fd, 2);
        execl(CXM_BINARY, CXM_BINARY, "migrate", "--db", db.c_str(), nullptr);
        _exit(127);
      }
      pids.push_back(pid);
    }
    for (std::size_t i = 0; i < pids.size(); ++i) {
      int status = 0;
      waitpid(pids[i], &status, 0);
      EXPECT_TRUE(WIFEXITED(status) && WEXITSTATUS(status) == 0)
          << "round " << round << ", process " << i << ": "
          << read_text(dir.path() + "/migrate-" + std::to_string(round) + "-" + std::to_string(i));
    }
  }
}

TEST_F(MultiProcess, AWorkshopAndAnswersThroughNginxSurviveAKilledProcess) {
  Client admin(nginx_port);
  ASSERT_EQ(admin.setup("lead@example.org", "correct horse battery"), 201);
  const auto org = admin.send("POST", "/api/orgs", R"({"name":"Acme","units":["Sales"]})");
  ASSERT_EQ(org.status, 201) << org.body;
  // Not anonymous: live results while open, so the facilitator's view
  // shows every submission.
  const auto created =
      admin.send("POST", "/api/orgs/" + body_of(org)["id"].get<std::string>() + "/cycles",
                 R"({"name":"Spring","anonymous":false})");
  ASSERT_EQ(created.status, 201) << created.body;
  const std::string cycle = body_of(created)["id"];
  ASSERT_EQ(admin.send("POST", "/api/cycles/" + cycle + "/open").status, 200);
  const auto invited = admin.send("POST", "/api/cycles/" + cycle + "/invitations",
                                  R"({"count":12,"role":"manager","unit":"Sales"})");
  ASSERT_EQ(invited.status, 201) << invited.body;
  std::vector<std::string> tokens;
  const json invitations = body_of(invited)["invitations"];
  for (const auto& i : invitations) tokens.push_back(i["token"]);
  ASSERT_EQ(tokens.size(), 12u);

  // Each participant starts (claims the link and saves a first answer).
  const std::map<std::string, std::string> json_type = {{"Content-Type", "application/json"}};
  auto save = [&](const std::string& token, int value) {
    return participant_request(nginx_port, "PUT", "/api/r/" + token + "/answers",
                               json{{"answers", {{"LS2b", value}, {"LS3", 6 - value}}}}.dump(),
                               json_type);
  };
  std::mutex acknowledged_mutex;
  std::map<std::string, int> acknowledged;  // token -> the last value answered 200
  std::vector<std::string> failures;        // any request through nginx not answered 200
  for (const auto& token : tokens) {
    const auto r = save(token, 3);
    ASSERT_EQ(r.status, 200) << r.body;
    acknowledged[token] = 3;
  }

  const std::map<std::string, std::string> signed_in = {{"Cookie", admin.cookie()}};
  Screen facilitator("facilitator", nginx_port, "/api/cycles/" + cycle + "/events", signed_in);
  ASSERT_EQ(facilitator.status(), 200);
  EXPECT_EQ(facilitator.content_type(), "text/event-stream");
  ASSERT_TRUE(facilitator.until([](const json& s) { return s["status"] == "open"; }));

  // The workshop: a projector and nine phones, their streams spread over
  // the processes by nginx.
  const auto started =
      admin.send("POST", "/api/cycles/" + cycle + "/workshops", R"({"pace":"statement"})");
  ASSERT_EQ(started.status, 201) << started.body;
  const std::string ws = body_of(started)["id"];
  const std::string code = body_of(started)["code"];
  std::vector<Phone> phones;
  std::vector<std::unique_ptr<Screen>> screens;  // the projector, then the phones' rooms
  screens.push_back(std::make_unique<Screen>("projector", nginx_port,
                                             "/api/workshops/" + ws + "/events", signed_in));
  for (int i = 0; i < 9; ++i) {
    const auto phone = join_phone(nginx_port, code);
    ASSERT_TRUE(phone);
    phones.push_back(*phone);
    screens.push_back(std::make_unique<Screen>("phone " + std::to_string(i), nginx_port,
                                               "/api/r/" + phone->token + "/workshop/events",
                                               std::map<std::string, std::string>{}));
  }
  Screen& projector = *screens[0];
  std::map<std::string, int> streams_per_process;
  for (const auto& s : screens) {
    ASSERT_EQ(s->status(), 200) << s->name();
    ++streams_per_process[s->upstream()];
  }
  ++streams_per_process[facilitator.upstream()];
  EXPECT_EQ(streams_per_process.size(), 3u) << "nginx did not spread the streams";

  // Participants save answers all along, each thread its own links; every
  // save is a new value, and the last one answered 200 must stay.
  std::atomic<bool> saving{true};
  std::atomic<int> saves{0};
  std::vector<std::thread> participants;
  for (int t = 0; t < 3; ++t) {
    participants.emplace_back([&, t] {
      for (int round = 0; saving; ++round) {
        for (std::size_t i = static_cast<std::size_t>(t); i < tokens.size(); i += 3) {
          const int value = 1 + (round + static_cast<int>(i)) % 5;
          const auto r = save(tokens[i], value);
          std::lock_guard lock(acknowledged_mutex);
          if (r.status == 200) {
            acknowledged[tokens[i]] = value;
            ++saves;
          } else {
            failures.push_back("PUT answers: " + std::to_string(r.status) + " " + r.body);
          }
        }
      }
    });
  }

  // One step of the workshop: phones answer (`before_kill` of them, then
  // `at_kill` runs, then the rest), the projector counts them, the
  // facilitator reveals and moves on; every phone's screen follows.
  std::map<int, json> revealed;  // step -> the revealed histogram
  std::map<int, json> expected;
  auto run_step = [&](int step, std::size_t before_kill, const std::function<void()>& at_kill) {
    const json state = body_of(admin.get("/api/workshops/" + ws));
    ASSERT_EQ(state["step"], step);
    const std::string item = state["current"][0]["id"];
    json histogram = json::array({0, 0, 0, 0, 0});
    for (std::size_t i = 0; i < phones.size(); ++i) {
      if (i == before_kill && at_kill) at_kill();
      const int value = 1 + static_cast<int>((i + static_cast<std::size_t>(step)) % 5);
      const auto r = phones[i].answer(1, {{item, value}});
      if (r.status != 200) {
        std::lock_guard lock(acknowledged_mutex);
        failures.push_back("PUT workshop answer: " + std::to_string(r.status) + " " + r.body);
        continue;
      }
      histogram[static_cast<std::size_t>(value - 1)] =
          histogram[static_cast<std::size_t>(value - 1)].get<int>() + 1;
    }
    expected[step] = histogram;
    ASSERT_TRUE(projector.until([&](const json& s) {
      return s["step"] == step && s["current"][0]["answered"] == 9;
    })) << "the projector never counted the nine answers of step "
        << step << "; last: " << projector.last().dump();
    const auto shown = admin.send("POST", "/api/workshops/" + ws + "/reveal",
                                  json{{"round", 1}, {"item", item}}.dump());
    ASSERT_EQ(shown.status, 200) << shown.body;
    revealed[step] = body_of(shown)["current"][0]["figures"]["histogram"];
    const auto moved = admin.send("POST", "/api/workshops/" + ws + "/step",
                                  json{{"round", 1}, {"step", step + 1}}.dump());
    ASSERT_EQ(moved.status, 200) << moved.body;
    for (auto& s : screens) {
      EXPECT_TRUE(s->until([&](const json& room) { return room["step"] == step + 1; }))
          << s->name() << " never showed step " << step + 1 << "; last: " << s->last().dump();
    }
  };

  run_step(0, 0, nullptr);
  std::cerr << "step 0 revealed through three processes\n";
  ASSERT_FALSE(HasFailure());

  // Mid-step, the process holding the projector's stream is killed.
  const std::string victim_address = projector.upstream();
  Instance* victim = instance_on(victim_address);
  ASSERT_NE(victim, nullptr) << victim_address;
  int screens_on_victim = 0;
  for (const auto& s : screens) screens_on_victim += s->upstream() == victim_address;
  const int saves_before_kill = saves;
  run_step(1, 4, [&] { victim->stop(SIGKILL); });
  std::cerr << "step 1 revealed, " << victim_address << " killed during it\n";
  ASSERT_FALSE(HasFailure());
  for (const auto& s : screens) {
    if (s->upstream() == victim_address)
      ADD_FAILURE() << s->name() << " is still on the killed one";
  }
  EXPECT_GE(projector.reconnections(), 1);

  run_step(2, 0, nullptr);  // two processes only
  std::cerr << "step 2 revealed through two processes\n";
  ASSERT_FALSE(HasFailure());

  // Started again on its port, as systemd does (Restart=always): nginx
  // gives it requests and streams again once its fail_timeout is over.
  victim->start();
  std::cerr << victim_address << " started again\n";
  ASSERT_EQ(http_request(victim->port(), "GET", "/api/health").status, 200);
  std::vector<std::unique_ptr<Screen>> newcomers;
  const auto rejoin_deadline = Clock::now() + std::chrono::seconds(30);
  while (Clock::now() < rejoin_deadline &&
         (newcomers.empty() || newcomers.back()->upstream() != victim_address)) {
    newcomers.push_back(std::make_unique<Screen>("projector " + std::to_string(newcomers.size()),
                                                 nginx_port, "/api/workshops/" + ws + "/events",
                                                 signed_in));
    if (newcomers.back()->upstream() != victim_address)
      std::this_thread::sleep_for(std::chrono::milliseconds(250));
  }
  ASSERT_EQ(newcomers.back()->upstream(), victim_address)
      << "nginx never sent a stream to the restarted process";
  Screen& rejoined = *newcomers.back();
  ASSERT_TRUE(rejoined.until([](const json& s) { return s["step"] == 3; }));
  // It hears of a change made through another process (LISTEN again).
  Instance* other = victim == instances[0].get() ? instances[1].get() : instances[0].get();
  Client admin_direct(other->port());
  ASSERT_EQ(admin_direct.login("lead@example.org", "correct horse battery"), 200);
  const std::string phone_item = body_of(admin.get("/api/workshops/" + ws))["current"][0]["id"];
  ASSERT_EQ(http_request(other->port(), "PUT", "/api/r/" + phones[0].token + "/workshop/answers",
                         json{{"round", 1}, {"answers", {{phone_item, 2}}}}.dump(),
                         {{"Content-Type", "application/json"}, {"Cookie", phones[0].cookie}})
                .status,
            200);
  EXPECT_TRUE(rejoined.until([](const json& s) { return s["current"][0]["answered"] == 1; }))
      << "the restarted process did not hear of an answer saved through another; last: "
      << rejoined.last().dump();
  // The rest of the step through nginx, over all three again.
  run_step(3, 0, nullptr);
  std::cerr << "step 3 revealed through three processes\n";
  ASSERT_FALSE(HasFailure());
  // Saves go on over all three for a moment more.
  const auto after_restart = saves.load();
  const auto saves_deadline = Clock::now() + std::chrono::seconds(20);
  while (saves < after_restart + 50 && Clock::now() < saves_deadline)
    std::this_thread::sleep_for(std::chrono::milliseconds(20));
  EXPECT_GE(saves, after_restart + 50) << "the participants' saves stopped";
  saving = false;
  for (auto& t : participants) t.join();
  EXPECT_GT(saves_before_kill, 0);

  // Nothing acknowledged lost: each link has its last acknowledged answers,
  // each revealed distribution holds exactly the answers acknowledged.
  for (const auto& token : tokens) {
    const auto r = participant_request(nginx_port, "GET", "/api/r/" + token);
    ASSERT_EQ(r.status, 200) << r.body;
    EXPECT_EQ(body_of(r)["answers"]["LS2b"], acknowledged[token]) << token;
    EXPECT_EQ(body_of(r)["answers"]["LS3"], 6 - acknowledged[token]) << token;
  }
  for (const auto& [step, histogram] : expected)
    EXPECT_EQ(revealed[step], histogram) << "step " << step;
  // Everyone submits; the facilitator's view, through whichever process,
  // shows all twelve, and so does the report.
  for (const auto& token : tokens) {
    const auto r = participant_request(nginx_port, "POST", "/api/r/" + token + "/submit");
    EXPECT_EQ(r.status, 200) << r.body;
  }
  EXPECT_TRUE(facilitator.until([](const json& s) {
    return s["responses"]["total"]["submitted"] == 12;
  })) << facilitator.last().dump();
  const json report = body_of(admin.get("/api/cycles/" + cycle + "/report"));
  EXPECT_EQ(report["respondents"], 12);
  double sum = 0;
  for (const auto& [token, value] : acknowledged) sum += value;
  for (const auto& item : report["items"]) {
    if (item["id"] == "LS2b") {
      EXPECT_EQ(item["n"], 12);
      EXPECT_NEAR(item["mean"].get<double>(), sum / 12, 1e-9);
    }
  }

  // Not one request through nginx failed: what reached the killed process
  // was sent on to another (the access log shows both tries).
  EXPECT_TRUE(failures.empty()) << failures.size() << " failed, the first: " << failures.front();
  const std::string log = nginx->access_log();
  int retried = 0;
  std::istringstream lines(log);
  for (std::string line; std::getline(lines, line);) {
    if (line.find("upstream=" + victim_address + ", ") != std::string::npos) ++retried;
    EXPECT_EQ(line.find("\" 502 "), std::string::npos) << line;
  }
  EXPECT_GE(retried, 1) << "no request was tried on the killed process and then another";
  std::cerr << "streams per process " << streams_per_process.size() << ", " << screens_on_victim
            << " of " << screens.size() << " workshop screens on the killed one; " << saves
            << " answers saved, " << retried << " requests tried again elsewhere\n";
}

}  // namespace
}  // namespace cxm::testing
