// How a route's handler runs. Every route is one handler that declares one
// of these (see Router):
//  - on the I/O thread: answers from memory at once; must never block.
//  - on a worker: may block (on the database); a plain function.
//  - deferred: a coroutine (returning Handling) that starts on the I/O
//    thread and may wait without holding a thread: for a commit of the
//    database writer (co_await exchange.after(...)), or for a lookup it
//    moves to a worker when its caches miss (co_await
//    exchange.to_worker()). It never reruns.
//  - stream: on a worker, it opens an event stream (Stream) that stays open
//    and is written from any thread, or answers at once.
// Nothing here knows Asio: the server provides the threads (Threads).
#pragma once

#include <coroutine>
#include <exception>
#include <functional>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <thread>
#include <utility>
#include <vector>

#include "http/message.h"

namespace cxm::http {

using PathParams = std::map<std::string, std::string>;

// Where a deferred handler's work can go; provided by the server.
class Threads {
 public:
  virtual ~Threads() = default;
  // Runs `fn` on a thread that may block.
  virtual void to_worker(std::function<void()> fn) = 0;
  // Runs `fn` on the I/O thread of the request's connection.
  virtual void to_io_thread(std::function<void()> fn) = 0;
};

// One request on its way through a deferred handler. Lives until the
// handler has finished.
struct Exchange {
  Exchange(Request& r, const PathParams& p, Threads& t)
      : request(r), params(p), threads(t), io_thread(std::this_thread::get_id()) {}

  Request& request;
  const PathParams& params;
  Threads& threads;
  const std::thread::id io_thread;  // where the handler starts
  std::thread::id worker;           // the worker it last moved to

  // Moves the handler to a worker or back to the I/O thread, unless it
  // runs there already (after an awaited callback it may run on the
  // thread that called back, e.g. the database writer's: then it moves).
  struct Hop {
    Exchange& exchange;
    bool to_worker;
    bool await_ready() const noexcept {
      const auto here = std::this_thread::get_id();
      return to_worker ? here == exchange.worker : here == exchange.io_thread;
    }
    void await_suspend(std::coroutine_handle<> h) {
      // Nothing of the handler's may be touched once posted: it may run,
      // finish and be gone before the post returns.
      Threads& threads = exchange.threads;
      auto resume = [h] { h.resume(); };
      if (to_worker) {
        threads.to_worker(std::move(resume));
      } else {
        threads.to_io_thread(std::move(resume));
      }
    }
    void await_resume() const noexcept {
      if (to_worker) exchange.worker = std::this_thread::get_id();
    }
  };
  // co_await: continue on a worker (at once when already on one).
  Hop to_worker() { return Hop{*this, true}; }
  // co_await: continue on the connection's I/O thread.
  Hop to_io_thread() { return Hop{*this, false}; }

  // What work done elsewhere calls once it is done (from its own thread,
  // e.g. the database writer's, after the commit): the handler continues
  // on the connection's I/O thread, posted there at once. Copyable; owns
  // nothing.
  struct Resume {
    Threads* threads;
    std::coroutine_handle<> handler;
    void operator()() const {
      // Nothing of the handler's may be touched once posted.
      threads->to_io_thread([h = handler] { h.resume(); });
    }
  };
  // Waits, without a thread, for work that calls back: `start(resume)`
  // queues the work (say, a write to the database writer), which calls
  // `resume()` once when done, from any thread, after storing what it
  // reports where the handler reads it. The handler then continues on its
  // I/O thread: one post from the calling-back thread, the handler never
  // runs there. (References only: GCC 12 mis-destroys an awaiter temporary
  // with members that own memory.)
  template <class Start>
  struct After {
    Exchange& exchange;
    Start& start;
    bool await_ready() const noexcept { return false; }
    void await_suspend(std::coroutine_handle<> h) { start(Resume{&exchange.threads, h}); }
    void await_resume() const noexcept {}
  };
  // co_await exchange.after(start): see After. `start` must outlive the
  // wait (a named local of the handler).
  template <class Start>
  After<Start> after(Start& start) {
    return After<Start>{*this, start};
  }
};

// A response sent while it is produced: an event stream
// (text/event-stream). Its route's handler (Router::stream) runs on a worker
// and either answers at once (e.g. 401) or opens the stream; whoever holds
// it then sends events from any thread until either side ends it.
class Stream {
 public:
  virtual ~Stream() = default;
  // Queues `data` (whole events, e.g. "event: x\ndata: {...}\n\n") to be
  // written; from any thread, never blocks. False once the stream has ended;
  // also ends it (false) when the client has fallen so far behind that its
  // unsent data passes the server's limit: it reconnects and catches up.
  virtual bool send(std::string data) = 0;
  // Ends the stream; from any thread.
  virtual void close() = 0;
  virtual bool is_open() const = 0;
};

struct StreamReply {
  // Set: answered as an ordinary response (an error, a redirect), no stream.
  std::optional<Response> answer;
  // Extra headers of the stream's head.
  std::vector<std::pair<std::string, std::string>> headers;
  // Called once the head is sent, on the connection's I/O thread, with the
  // open stream (e.g. to register it where events are published).
  std::function<void(std::shared_ptr<Stream>)> opened;
  // Called once when the stream has ended (the client left, close(), the
  // server stopping), on the I/O thread.
  std::function<void()> closed;
};

// Turns what a handler threw into its response (the API's error shape).
using ErrorMapper = std::function<Response(std::exception_ptr, const Request&)>;

// The coroutine a deferred handler is: co_return a Response.
class Handling {
 public:
  struct promise_type {
    std::optional<Response> response;
    ErrorMapper on_error;
    const Request* request = nullptr;
    std::function<void(Response)> finish;

    Handling get_return_object() {
      return Handling(std::coroutine_handle<promise_type>::from_promise(*this));
    }
    std::suspend_always initial_suspend() noexcept { return {}; }
    struct Final {
      bool await_ready() const noexcept { return false; }
      void await_suspend(std::coroutine_handle<promise_type> h) noexcept {
        auto finish = std::move(h.promise().finish);
        Response response = std::move(*h.promise().response);
        h.destroy();
        finish(std::move(response));
      }
      void await_resume() const noexcept {}
    };
    Final final_suspend() noexcept { return {}; }
    void return_value(Response r) { response = std::move(r); }
    void unhandled_exception() { response = on_error(std::current_exception(), *request); }
  };

  Handling(Handling&& other) noexcept : handle_(std::exchange(other.handle_, {})) {}
  Handling(const Handling&) = delete;
  Handling& operator=(const Handling&) = delete;
  ~Handling() {
    if (handle_) handle_.destroy();  // never started
  }

  // Runs the handler on the calling thread until it first waits. `finish`
  // is called once with the response, on the thread the handler ends on;
  // what it throws becomes a response through `on_error`.
  void start(const Request& request, ErrorMapper on_error,
             std::function<void(Response)> finish) && {
    auto h = std::exchange(handle_, {});
    h.promise().request = &request;
    h.promise().on_error = std::move(on_error);
    h.promise().finish = std::move(finish);
    h.resume();
  }

 private:
  explicit Handling(std::coroutine_handle<promise_type> h) : handle_(h) {}
  std::coroutine_handle<promise_type> handle_;
};

}  // namespace cxm::http
