// The HTTP/1.1 server: Boost.Beast on Asio with C++20 coroutines, one event
// loop per I/O thread. Each request goes to its route's one handler, run
// where the route says (router.h, handling.h): on its I/O thread, on the
// worker pool, where it may block on the database without stalling the I/O
// threads, or as a deferred coroutine that waits without holding a thread.
#pragma once

#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <string>

#include "http/message.h"
#include "http/router.h"

namespace cxm::http {

struct ServerOptions {
  std::string address = "127.0.0.1";
  std::uint16_t port = 8080;  // 0: any free port
  int io_threads = 2;
  int worker_threads = 32;           // handlers may block on the database
  std::size_t body_limit = 1 << 20;  // 413 above this
  int request_timeout_seconds = 30;  // to receive a whole request
  int idle_timeout_seconds = 75;     // keep-alive
  // Event streams: a comment line after this long without an event keeps
  // proxies from closing the connection and finds clients that left.
  int stream_heartbeat_seconds = 15;
  // Unsent data a stream's client may fall behind by before it is ended.
  std::size_t stream_backlog_limit = 1 << 20;
  // A stream is ended after this long (somewhere in its last tenth, so that
  // streams opened together do not all end together): a client that stays
  // is counted afresh when it reconnects, and one that left without a word
  // holds nothing for ever. EventSource reconnects by itself, with
  // Last-Event-ID.
  int stream_lifetime_seconds = 3600;
};

class Server {
 public:
  // `router` must outlive the server.
  Server(ServerOptions options, const Router& router);
  ~Server();

  // Binds and listens; returns the bound port. Throws on failure.
  std::uint16_t listen();
  // Serves until stop() or SIGTERM/SIGINT; then stops accepting, lets
  // in-flight requests finish and returns.
  void run();
  // Thread-safe.
  void stop();

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

}  // namespace cxm::http
