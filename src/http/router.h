// Maps method + path pattern ("/api/cycles/{cycle}/report") to the one
// handler of that route, which declares how it runs (handling.h).
#pragma once

#include <functional>
#include <optional>
#include <string>
#include <variant>
#include <vector>

#include "http/handling.h"
#include "http/message.h"

namespace cxm::http {

using Handler = std::function<Response(const Request&, const PathParams&)>;
using DeferredHandler = std::function<Handling(Exchange&)>;
using StreamHandler = std::function<StreamReply(const Request&, const PathParams&)>;

enum class RunsOn { io_thread, worker, deferred, stream };

class Router {
 public:
  // `on_error` turns what a handler throws into a response.
  explicit Router(ErrorMapper on_error);

  // A handler answering from memory, on the I/O thread. Must never block.
  void on_io_thread(const std::string& method, const std::string& pattern, Handler handler);
  // A handler that may block, on a worker thread.
  void on_worker(const std::string& method, const std::string& pattern, Handler handler);
  // A coroutine that starts on the I/O thread and waits without a thread.
  void deferred(const std::string& method, const std::string& pattern, DeferredHandler handler);
  // An event stream: the handler runs on a worker and opens the stream or
  // answers at once (handling.h).
  void stream(const std::string& method, const std::string& pattern, StreamHandler handler);
  // Answers what no route matches (e.g. the web application's files), on
  // the I/O thread or a worker; without one, 404 or 405.
  void set_fallback(Handler handler, RunsOn runs_on = RunsOn::io_thread);

  struct Match {
    RunsOn runs_on = RunsOn::io_thread;
    const Handler* handler = nullptr;           // io_thread and worker
    const DeferredHandler* deferred = nullptr;  // deferred
    const StreamHandler* stream = nullptr;      // stream
    PathParams params;
    std::optional<Response> answer;  // 404 or 405: no route fits
  };
  // The route for `request`, or its 404 or 405 answer.
  Match match(const Request& request) const;

  // Runs an io_thread or worker match; never throws.
  Response run(const Match& match, const Request& request) const;
  // Starts a deferred match; `finish` gets the response once, on any thread.
  void start(const Match& match, Exchange& exchange, std::function<void(Response)> finish) const;
  // Runs a stream match's handler; what it throws becomes an answer.
  StreamReply open(const Match& match, const Request& request) const;

  // Every registered (method, pattern), for the OpenAPI completeness test.
  std::vector<std::pair<std::string, std::string>> routes() const;

 private:
  struct Route {
    std::string method;
    std::string pattern;
    std::vector<std::string> segments;
    RunsOn runs_on;
    Handler handler;
    DeferredHandler deferred;
    StreamHandler stream;
  };
  static bool match_path(const Route& route, const std::vector<std::string>& path,
                         PathParams& params);
  ErrorMapper on_error_;
  std::vector<Route> routes_;
  Handler fallback_;
  RunsOn fallback_runs_on_ = RunsOn::io_thread;
};

// Splits "/a/b/c" into {"a", "b", "c"}.
std::vector<std::string> split_path(const std::string& path);

}  // namespace cxm::http
