#include "smtp_sink.h"

#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <spawn.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cstdio>
#include <filesystem>
#include <stdexcept>

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

std::string SmtpSink::log() const { return read_text(files_.path() + "/stderr"); }

}  // namespace cxm::testing
