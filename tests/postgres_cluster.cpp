#include "postgres_cluster.h"

#include <arpa/inet.h>
#include <netinet/in.h>
#include <pwd.h>
#include <sys/socket.h>
#include <unistd.h>

#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <memory>
#include <random>
#include <stdexcept>

namespace cxm::testing {
namespace {

int free_port() {
  const int fd = socket(AF_INET, SOCK_STREAM, 0);
  sockaddr_in address{};
  address.sin_family = AF_INET;
  inet_pton(AF_INET, "127.0.0.1", &address.sin_addr);
  bind(fd, reinterpret_cast<sockaddr*>(&address), sizeof address);
  socklen_t size = sizeof address;
  getsockname(fd, reinterpret_cast<sockaddr*>(&address), &size);
  close(fd);
  return ntohs(address.sin_port);
}

std::string newest_bin_dir() {
  std::string best;
  std::error_code ec;
  for (const auto& entry : std::filesystem::directory_iterator("/usr/lib/postgresql", ec)) {
    const auto bin = entry.path() / "bin";
    if (std::filesystem::exists(bin / "initdb") && bin.string() > best) best = bin.string();
  }
  return best;
}

}  // namespace

std::optional<PostgresCluster*> PostgresCluster::start(std::string& why) {
  std::unique_ptr<PostgresCluster> cluster(new PostgresCluster());
  cluster->bin_ = newest_bin_dir();
  if (cluster->bin_.empty()) {
    why = "PostgreSQL server binaries not found under /usr/lib/postgresql";
    return std::nullopt;
  }
  std::string pattern = "/tmp/cxm-pg-XXXXXX";
  cluster->dir_ = mkdtemp(pattern.data());
  // initdb refuses to run as root: run the cluster as the postgres user.
  if (geteuid() == 0) {
    const passwd* pg = getpwnam("postgres");
    if (!pg) {
      why = "running as root and there is no postgres user";
      return std::nullopt;
    }
    if (chown(cluster->dir_.c_str(), pg->pw_uid, pg->pw_gid) != 0) {
      why = "cannot hand the cluster directory to postgres";
      return std::nullopt;
    }
    cluster->user_prefix_ = "runuser -u postgres -- ";
  }
  cluster->port_ = free_port();
  const std::string& d = cluster->dir_;
  // --no-sync: a test cluster's files need not survive a power cut.
  const std::string init = cluster->user_prefix_ + cluster->bin_ + "/initdb --no-sync -D " + d +
                           "/data -U cxm --auth=trust -E UTF8 >" + d + "/initdb.log 2>&1";
  if (std::system(init.c_str()) != 0 || !cluster->start_server()) {
    why = "the private cluster did not start; see " + d;
    cluster->port_ = 0;
    cluster->dir_.clear();  // keep the logs
    return std::nullopt;
  }
  return cluster.release();
}

std::optional<PostgresCluster*> PostgresCluster::attach(const std::string& state_file,
                                                        std::string& why) {
  std::ifstream in(state_file);
  std::unique_ptr<PostgresCluster> cluster(new PostgresCluster());
  std::string user;
  if (!(in >> cluster->dir_ >> cluster->port_ >> cluster->bin_ >> user)) {
    why = "cannot read the test cluster's state from " + state_file;
    return std::nullopt;
  }
  if (user != "-") cluster->user_prefix_ = "runuser -u " + user + " -- ";
  cluster->owned_ = false;
  return cluster.release();
}

bool PostgresCluster::start_server() {
  // Test data need not survive a power cut.
  const std::string settings = "-c fsync=off -c synchronous_commit=off -c full_page_writes=off";
  const std::string start = user_prefix_ + bin_ + "/pg_ctl -D " + dir_ + "/data -l " + dir_ +
                            "/server.log -w -o \"-p " + std::to_string(port_) + " -k " + dir_ +
                            " -c listen_addresses=127.0.0.1 " + settings +
                            "\" start >/dev/null 2>&1";
  return std::system(start.c_str()) == 0;
}

bool PostgresCluster::stop_server() {
  if (!owned_) return false;
  return std::system(
             (user_prefix_ + bin_ + "/pg_ctl -D " + dir_ + "/data -m fast -w stop >/dev/null 2>&1")
                 .c_str()) == 0;
}

int PostgresCluster::terminate_connections(const std::string& url) {
  const std::string name = url.substr(url.rfind('/') + 1);
  const std::string command =
      bin_ + "/psql -h 127.0.0.1 -p " + std::to_string(port_) + " -U cxm -d postgres -tA -c " +
      "\"SELECT count(pg_terminate_backend(pid)) FROM pg_stat_activity WHERE datname = '" + name +
      "'\" 2>/dev/null";
  FILE* out = popen(command.c_str(), "r");
  if (!out) return -1;
  int count = -1;
  if (std::fscanf(out, "%d", &count) != 1) count = -1;
  pclose(out);
  return count;
}

bool PostgresCluster::execute(const std::string& url, const std::string& sql) {
  const std::string name = url.substr(url.rfind('/') + 1);
  const std::string command = bin_ + "/psql -h 127.0.0.1 -p " + std::to_string(port_) +
                              " -U cxm -d " + name + " -v ON_ERROR_STOP=1 -q -c \"" + sql +
                              "\" >/dev/null 2>&1";
  return std::system(command.c_str()) == 0;
}

PostgresCluster::~PostgresCluster() {
  if (!owned_) return;
  if (port_ != 0) stop_server();
  std::error_code ignored;
  if (!dir_.empty()) std::filesystem::remove_all(dir_, ignored);
}

std::string PostgresCluster::create_database() {
  // Unique across the processes sharing the cluster, and across process
  // ids used again within one run: createdb refuses a name taken, and a
  // test must never run on another test's data.
  static std::mt19937_64 random{std::random_device{}()};
  for (int attempt = 0; attempt < 5; ++attempt) {
    const std::string name = "cxm_test_" + std::to_string(getpid()) + "_" +
                             std::to_string(++databases_) + "_" +
                             std::to_string(random() % 1000000);
    const std::string command = bin_ + "/createdb -h 127.0.0.1 -p " + std::to_string(port_) +
                                " -U cxm " + name + " >/dev/null 2>&1";
    if (std::system(command.c_str()) == 0) {
      return "postgresql://cxm@127.0.0.1:" + std::to_string(port_) + "/" + name;
    }
  }
  throw std::runtime_error("PostgreSQL: createdb failed on the test cluster (port " +
                           std::to_string(port_) + ")");
}

PostgresCluster& shared_postgres() {
  static std::unique_ptr<PostgresCluster> cluster;
  if (!cluster) {
    std::string why;
    const char* state = std::getenv("CXM_TEST_POSTGRES");
    auto found =
        state && *state ? PostgresCluster::attach(state, why) : PostgresCluster::start(why);
    if (!found) throw std::runtime_error("PostgreSQL: " + why);
    cluster.reset(*found);
  }
  return *cluster;
}

std::string test_database(const std::string& kind, const std::string& dir,
                          const std::string& file) {
  if (kind == "sqlite") return "sqlite:" + dir + "/" + file;
  return shared_postgres().create_database();
}

}  // namespace cxm::testing
