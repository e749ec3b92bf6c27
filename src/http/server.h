// The HTTP/1.1 server: Boost.Beast on Asio with C++20 coroutines, one event
// loop per I/O thread. A request is answered, in this order of preference:
// from memory on its I/O thread (MemoryHandler), by starting work that
// answers later without holding a thread (AsyncHandler), or by the handler
// on a worker pool, where it may block on the database without stalling
// the I/O threads.
#pragma once

#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <string>

#include "http/message.h"

namespace cxm::http {

struct ServerOptions {
  std::string address = "127.0.0.1";
  std::uint16_t port = 8080;  // 0: any free port
  int io_threads = 2;
  int worker_threads = 32;            // handlers may block on the database
  std::size_t body_limit = 1 << 20;   // 413 above this
  int request_timeout_seconds = 30;   // to receive a whole request
  int idle_timeout_seconds = 75;      // keep-alive
};

using RequestHandler = std::function<Response(Request&)>;
// Tried first, on the I/O thread: answers a request from memory, or returns
// nullopt to send it to the worker pool. Must never block.
using MemoryHandler = std::function<std::optional<Response>(Request&)>;
// Tried next, on the I/O thread: for a request that only waits (e.g. for a
// database commit), a function that starts it and later, from any thread,
// passes its argument a function that makes the response; that function
// runs back on the connection's I/O thread. nullptr to use the workers.
using Respond = std::function<void(std::function<Response()>)>;
using AsyncHandler = std::function<std::function<void(Respond)>(Request&)>;

class Server {
 public:
  Server(ServerOptions options, RequestHandler handler, MemoryHandler from_memory = nullptr,
         AsyncHandler async = nullptr);
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
