// `cxm serve [--db URL] [--listen ADDRESS:PORT] [--secure-cookies]
// [--trusted-proxy LIST] [--stream-lifetime SECONDS] [--streams-per-link N]
// [--streams-per-address N] [--smtp URL --mail-from ADDRESS --public-url
// URL [--smtp-user USER] [--smtp-ca FILE] …] [--scheduler-interval
// SECONDS]` and `cxm migrate [--db URL]`.
#include <spdlog/sinks/basic_file_sink.h>
#include <spdlog/sinks/stdout_sinks.h>
#include <spdlog/spdlog.h>
#include <sys/resource.h>

#include <CLI/CLI.hpp>
#include <algorithm>
#include <chrono>
#include <cstdlib>
#include <fstream>
#include <iostream>
#include <variant>

#include "api/app.h"
#include "cli/common.h"
#include "cli/web_site.h"
#include "http/client_address.h"
#include "http/server.h"
#include "mail/address.h"
#include "secrets/secrets.h"
#include "store/store.h"

namespace cxm::cli {
namespace {

// The access log on stderr, buffered: a line per request would otherwise
// cost a write() per request on the I/O threads. Buffered lines are flushed
// every second, at once for warnings and errors, and at exit.
std::shared_ptr<spdlog::logger> access_logger() {
  try {
    auto logger = spdlog::basic_logger_mt("cxm", "/dev/stderr");
    logger->flush_on(spdlog::level::warn);
    spdlog::flush_every(std::chrono::seconds(1));
    return logger;
  } catch (const spdlog::spdlog_ex&) {
    return spdlog::stderr_logger_mt("cxm");  // no /dev/stderr to open
  }
}

// Each connection holds a file descriptor, and the usual soft limit (1,024)
// is below the thousands of connections a live workshop brings: raise it to
// the hard limit the system allows.
void raise_descriptor_limit() {
  rlimit limit{};
  if (getrlimit(RLIMIT_NOFILE, &limit) != 0 || limit.rlim_cur >= limit.rlim_max) return;
  limit.rlim_cur = limit.rlim_max;
  if (setrlimit(RLIMIT_NOFILE, &limit) != 0) spdlog::warn("cannot raise the open file limit");
}

// Event streams may hold three quarters of the file descriptors the
// process may open, and leave at least 64 for everything else: health
// checks, pages, the database, the log. (Streams are refused with 503 past
// this; api/stream_limits.h.)
std::size_t streams_the_descriptors_allow() {
  rlimit limit{};
  if (getrlimit(RLIMIT_NOFILE, &limit) != 0) return 768;  // as for the usual 1,024
  if (limit.rlim_cur == RLIM_INFINITY) return 1000000;
  const rlim_t reserve = std::max<rlim_t>(64, limit.rlim_cur / 4);
  return limit.rlim_cur > reserve ? static_cast<std::size_t>(limit.rlim_cur - reserve) : 0;
}

struct ServeOptions {
  std::string db = "sqlite:data/cxm.db";
  std::string listen = "127.0.0.1:8080";
  int workers = 32;
  int readers = 4;
  bool secure_cookies = false;
  std::string trusted_proxies;
  int stream_lifetime_seconds = 3600;
  std::size_t streams_per_link = api::StreamLimitOptions{}.per_link;
  std::size_t streams_per_address = api::StreamLimitOptions{}.per_address;
  std::string smtp;  // smtp://HOST:PORT[?security=starttls|tls|none]
  std::string smtp_user;
  std::string smtp_ca;
  int smtp_timeout_seconds = 30;
  std::string mail_from;
  std::string public_url;
  int mail_rate = api::MailOptions{}.rate_per_minute;
  int mail_retry_seconds = api::MailOptions{}.retry_seconds;
  int scheduler_interval_seconds = 30;
};

// The mail settings from the options and CXM_SMTP_PASSWORD, or an error in
// words naming the option. No --smtp: no mail (links are handed out by
// hand), but --public-url still says where the server is reached.
std::variant<api::MailOptions, std::string> mail_options(const ServeOptions& o) {
  api::MailOptions mail;
  mail.rate_per_minute = o.mail_rate;
  mail.retry_seconds = o.mail_retry_seconds;
  mail.public_url = o.public_url;
  while (!mail.public_url.empty() && mail.public_url.back() == '/') mail.public_url.pop_back();
  if (!mail.public_url.empty()) {
    const auto scheme = mail.public_url.find("://");
    const std::string rest = scheme == std::string::npos ? "" : mail.public_url.substr(scheme + 3);
    const std::string name = mail.public_url.substr(0, scheme == std::string::npos ? 0 : scheme);
    if ((name != "http" && name != "https") || rest.empty() || rest.front() == '/' ||
        rest.find_first_of("?#@ \t") != std::string::npos) {
      return std::string(
          "--public-url: expected http://… or https://… with a host and no query, fragment or "
          "user, the address people open cxm at, e.g. https://cxm.example.com");
    }
  }
  if (o.smtp.empty()) {
    if (!o.mail_from.empty() || !o.smtp_user.empty() || !o.smtp_ca.empty())
      return std::string("--mail-from, --smtp-user and --smtp-ca need --smtp");
    return mail;
  }
  const auto url = mail::parse_smtp_url(o.smtp);
  if (const auto* error = std::get_if<std::string>(&url)) return "--smtp: " + *error;
  const auto& parsed = std::get<mail::SmtpUrl>(url);
  mail::SmtpSettings smtp;
  smtp.host = parsed.host;
  smtp.port = parsed.port;
  smtp.security = parsed.security;
  smtp.user = o.smtp_user;
  smtp.timeout_seconds = o.smtp_timeout_seconds;
  if (const char* password = std::getenv("CXM_SMTP_PASSWORD")) smtp.password = password;
  // A password in clear text over a network: only to a relay on this
  // machine (docs/mail.md).
  const bool local = smtp.host == "localhost" || smtp.host.rfind("127.", 0) == 0 ||
                     smtp.host == "::1" || smtp.host == "[::1]";
  if (!smtp.user.empty() && smtp.security == mail::Security::none && !local) {
    return std::string("--smtp-user with security=none would send the password unencrypted to " +
                       smtp.host + "; use security=starttls or tls (or a relay on this machine)");
  }
  if (!smtp.user.empty() && smtp.password.empty())
    return std::string(
        "--smtp-user: give the password in the environment variable CXM_SMTP_PASSWORD");
  if (o.mail_from.empty())
    return std::string("--smtp needs --mail-from ADDRESS, the sender of invitations");
  if (o.mail_from.find('<') != std::string::npos) {
    return std::string(
        "--mail-from: give the address alone (e.g. cxm@example.com); messages show "
        "the organization's name as the sender's name");
  }
  if (const auto error = mail::address_error(o.mail_from))
    return "--mail-from: '" + o.mail_from + "' is not an e-mail address: " + *error;
  smtp.from = o.mail_from;
  if (mail.public_url.empty()) {
    return std::string(
        "--smtp needs --public-url URL, the address people open cxm at (links in "
        "messages start with it)");
  }
  if (!o.smtp_ca.empty()) {
    if (!std::ifstream(o.smtp_ca)) return "--smtp-ca: cannot read " + o.smtp_ca;
    smtp.ca_file = o.smtp_ca;
  }
  mail.smtp = smtp;
  return mail;
}

// A database that cannot be written would take no answers and no log-ins
// while reports still showed: refuse to start, naming the cause, so that
// the operator (or the service manager) sees it at once rather than
// through failing requests.
bool database_takes_writes(store::Store& store, const std::string& db) {
  try {
    store.write_probe(now_ms());
    return true;
  } catch (const store::StoreError& e) {
    std::cerr << "cxm: the database " << db << " cannot be written (" << e.what()
              << "); check the file's permissions, the free disk space, or the PostgreSQL server, "
                 "then start again\n";
    return false;
  }
}

int serve(const ServeOptions& options) {
  const auto colon = options.listen.rfind(':');
  http::ServerOptions server_options;
  try {
    if (colon == std::string::npos) throw std::invalid_argument("no port");
    server_options.address = options.listen.substr(0, colon);
    const int port = std::stoi(options.listen.substr(colon + 1));
    if (port < 0 || port > 65535) throw std::out_of_range("port");
    server_options.port = static_cast<std::uint16_t>(port);
  } catch (const std::exception&) {
    std::cerr << "cxm: --listen: expected ADDRESS:PORT, e.g. 127.0.0.1:8080\n";
    return kExitBadInput;
  }
  api::AppOptions app_options;
  app_options.secure_cookies = options.secure_cookies;
  if (!options.trusted_proxies.empty()) {
    std::string error;
    const auto proxies = http::TrustedProxies::parse(options.trusted_proxies, error);
    if (!proxies) {
      std::cerr << "cxm: --trusted-proxy: " << error << '\n';
      return kExitBadInput;
    }
    app_options.trusted_proxies = *proxies;
  }
  if (!secrets::init_crypto()) {
    std::cerr << "cxm: cannot initialize libsodium\n";
    return kExitFailure;
  }
  server_options.worker_threads = options.workers;
  server_options.stream_lifetime_seconds = options.stream_lifetime_seconds;
  raise_descriptor_limit();
  app_options.streams.per_link = options.streams_per_link;
  app_options.streams.per_address = options.streams_per_address;
  app_options.streams.in_all = streams_the_descriptors_allow();
  auto mail = mail_options(options);
  if (const auto* error = std::get_if<std::string>(&mail)) {
    std::cerr << "cxm: " << *error << '\n';
    return kExitBadInput;
  }
  app_options.mail = std::get<api::MailOptions>(std::move(mail));
  app_options.scheduler_interval_seconds = options.scheduler_interval_seconds;
  // The access log goes to stderr; stdout carries only the one line saying
  // where the server listens (scripts and tests read it).
  spdlog::set_default_logger(access_logger());
  auto store = open_store(options.db, static_cast<std::size_t>(options.readers));
  if (!store) return kExitBadInput;
  if (!database_takes_writes(*store, options.db)) return kExitFailure;
  app_options.site = &web_site();
  if (app_options.mail.smtp) spdlog::info("mail: {}", mail::describe(*app_options.mail.smtp));
  api::App app(*store, app_options, now_ms);
  try {
    http::Server server(server_options, app.router());
    const auto port = server.listen();
    std::cout << "cxm listening on http://" << server_options.address << ":" << port
              << " (database " << options.db << ")" << std::endl;
    server.run();
  } catch (const std::exception& e) {
    std::cerr << "cxm: cannot serve on " << options.listen << ": " << e.what() << '\n';
    return kExitFailure;
  }
  spdlog::info("stopped");
  spdlog::shutdown();  // flushes the buffered log
  return kExitOk;
}

}  // namespace

void add_serve_command(CLI::App& app, int* status) {
  auto options = std::make_shared<ServeOptions>();
  auto* cmd = app.add_subcommand("serve", "Run the web server and JSON API");
  cmd->add_option("--db", options->db,
                  "sqlite:PATH (default sqlite:data/cxm.db) or postgresql://...");
  cmd->add_option("--listen", options->listen,
                  "ADDRESS:PORT to listen on (default 127.0.0.1:8080; port 0: any)");
  cmd->add_option("--workers", options->workers, "Threads running request handlers (default 32)")
      ->check(CLI::Range(1, 1024));
  cmd->add_option("--readers", options->readers, "Database sessions for reading (default 4)")
      ->check(CLI::Range(1, 256));
  cmd->add_flag("--secure-cookies", options->secure_cookies,
                "Mark the session cookie Secure (cxm is reached over HTTPS); behind a trusted "
                "proxy that sends "
                "X-Forwarded-Proto: https this happens by itself");
  cmd->add_option("--trusted-proxy", options->trusted_proxies,
                  "ADDRESS[/BITS][,...] of reverse proxies whose X-Forwarded-For and "
                  "X-Forwarded-Proto are believed "
                  "(the limits per address then count the client behind them)");
  cmd->add_option("--stream-lifetime", options->stream_lifetime_seconds,
                  "Seconds after which the server ends a live-update stream; the browser "
                  "reconnects (default 3600)")
      ->check(CLI::Range(1, 86400));
  cmd->add_option("--streams-per-link", options->streams_per_link,
                  "Live-update streams open at once per participant's link or signed-in user "
                  "(default 10)")
      ->check(CLI::Range(1, 1000000));
  cmd->add_option("--streams-per-address", options->streams_per_address,
                  "Live-update streams open at once per client address (IPv6: per /48; "
                  "default 500)")
      ->check(CLI::Range(1, 1000000));
  cmd->add_option("--smtp", options->smtp,
                  "smtp://HOST:PORT[?security=starttls|tls|none]: the mail server that sends "
                  "invitations and reminders (password in CXM_SMTP_PASSWORD)");
  cmd->add_option("--smtp-user", options->smtp_user, "User name at the mail server");
  cmd->add_option("--smtp-ca", options->smtp_ca,
                  "A CA certificate (PEM) to trust for the mail server, besides the system's");
  cmd->add_option("--smtp-timeout", options->smtp_timeout_seconds,
                  "Seconds a message may take to hand over before it is tried again (default 30)")
      ->check(CLI::Range(1, 600));
  cmd->add_option("--mail-from", options->mail_from, "Sender address of invitations and reminders");
  cmd->add_option("--public-url", options->public_url,
                  "Where people open cxm, e.g. https://cxm.example.com: links in messages start "
                  "with it");
  cmd->add_option("--mail-rate", options->mail_rate,
                  "Messages this process sends per minute at most (default 60)")
      ->check(CLI::Range(1, 100000));
  cmd->add_option("--mail-retry", options->mail_retry_seconds,
                  "Seconds before a message that could not be sent is tried again, doubled each "
                  "time up to an hour (default 60)")
      ->check(CLI::Range(1, 3600));
  cmd->add_option("--scheduler-interval", options->scheduler_interval_seconds,
                  "Seconds between looks at cycles to open or close on their dates and reminders "
                  "due (default 30)")
      ->check(CLI::Range(1, 3600));
  cmd->callback([status, options] { *status = serve(*options); });

  auto migrate_db = std::make_shared<std::string>("sqlite:data/cxm.db");
  auto* migrate = app.add_subcommand("migrate", "Apply pending database migrations and exit");
  migrate->add_option("--db", *migrate_db, "sqlite:PATH or postgresql://...");
  migrate->callback([status, migrate_db] {
    auto store = open_store(*migrate_db);
    if (!store) {
      *status = kExitBadInput;
      return;
    }
    std::cout << "database schema at version " << store->schema_version() << '\n';
    *status = kExitOk;
  });
}

}  // namespace cxm::cli
