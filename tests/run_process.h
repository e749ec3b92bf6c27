// Runs the real `cxm` binary for integration tests.
#pragma once

#include <string>
#include <vector>

namespace cxm::testing {

struct ProcessResult {
  int exit_status = -1;  // -1 when the process did not exit normally
  int signal = 0;        // the terminating signal, if any
  std::string out;
  std::string err;
};

// Runs CXM_BINARY with `args`, feeding `input` on standard input.
ProcessResult run_cxm(const std::vector<std::string>& args, const std::string& input = "");

// A fresh temporary directory, removed when the object goes away.
class TempDir {
 public:
  TempDir();
  ~TempDir();
  TempDir(const TempDir&) = delete;
  TempDir& operator=(const TempDir&) = delete;
  const std::string& path() const { return path_; }
  // Writes `content` to `name` inside the directory; returns the full path.
  std::string write(const std::string& name, const std::string& content) const;

 private:
  std::string path_;
};

std::string read_text(const std::string& path);

}  // namespace cxm::testing
