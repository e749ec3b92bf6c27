#include "http/server.h"

#include <spdlog/spdlog.h>

#include <algorithm>
#include <array>
#include <atomic>
#include <boost/asio.hpp>
#include <boost/beast/core/flat_buffer.hpp>
#include <boost/beast/core/string.hpp>
#include <boost/beast/http/read.hpp>
#include <boost/beast/http/status.hpp>
#include <boost/beast/http/string_body.hpp>
#include <chrono>
#include <list>
#include <mutex>
#include <optional>
#include <thread>

#include "http/request_head.h"

namespace cxm::http {

namespace asio = boost::asio;
namespace beast = boost::beast;
namespace bhttp = beast::http;
using tcp = asio::ip::tcp;
using Clock = std::chrono::steady_clock;

// Everything on a connection runs on its loop's io_context; naming that
// executor type (instead of the type-erased any_io_executor) spares every
// operation an executor copy through a virtual table.
using Executor = asio::io_context::executor_type;
template <typename T>
using Task = asio::awaitable<T, Executor>;
constexpr asio::use_awaitable_t<Executor> kUseTask;
constexpr auto kTuple = asio::as_tuple(kUseTask);
using Socket = asio::basic_stream_socket<tcp, Executor>;
using Acceptor = asio::basic_socket_acceptor<tcp, Executor>;
using Timer = asio::basic_waitable_timer<Clock, asio::wait_traits<Clock>, Executor>;

namespace {

// One accepted connection, owned by its coroutine and listed on its loop.
struct Connection {
  explicit Connection(Socket s) : socket(std::move(s)) {}
  Socket socket;
  // The socket's pending operation is cancelled once this passes; max()
  // while the request is with a handler.
  Clock::time_point deadline = Clock::time_point::max();
  std::string remote_address;
  std::string head;  // the response's status line and headers, reused
};

// An I/O thread's event loop. Instead of a timer per socket operation, a
// sweep once a second cancels the operations of connections past their
// deadline, so timeouts cost one clock read per operation.
class ServerStream;

struct Loop {
  // Declared before the context, which destroys suspended connections
  // (and with them their place in these lists) when it goes.
  std::list<Connection*> connections;  // touched only on this loop's thread
  std::list<ServerStream*> streams;    // open event streams; likewise
  asio::io_context context{1};
  Timer sweeper{context.get_executor()};

  Task<void> sweep() {
    for (;;) {
      sweeper.expires_after(std::chrono::seconds(1));
      auto [ec] = co_await sweeper.async_wait(kTuple);
      if (ec) co_return;
      const auto now = Clock::now();
      for (Connection* c : connections) {
        if (c->deadline > now) continue;
        c->deadline = Clock::time_point::max();
        boost::system::error_code ignored;
        c->socket.cancel(ignored);
      }
    }
  }
};

// An event stream's state, shared by its connection's coroutine (on the
// loop's thread) and whoever sends events (any thread, and possibly after
// the server is gone: then it only says the stream has ended).
class ServerStream final : public Stream, public std::enable_shared_from_this<ServerStream> {
 public:
  ServerStream(Executor executor, std::size_t backlog_limit)
      : executor_(executor), limit_(backlog_limit) {}

  bool send(std::string data) override {
    std::lock_guard lock(mutex_);
    if (closed_) return false;
    backlog_ += data.size();
    if (backlog_ > limit_) {
      closed_ = true;  // too far behind: it reconnects and catches up
      queue_.clear();
    } else {
      queue_.push_back(std::move(data));
    }
    poke();
    return !closed_;
  }
  void close() override {
    std::lock_guard lock(mutex_);
    if (closed_) return;
    closed_ = true;
    poke();
  }
  bool is_open() const override {
    std::lock_guard lock(mutex_);
    return !closed_;
  }

  // Loop side. The coroutine's timer, cancelled when there is news.
  void attach(Timer* wake) {
    std::lock_guard lock(mutex_);
    wake_ = wake;
  }
  // Moves the queued data to `out`; true while open.
  bool take(std::vector<std::string>& out) {
    std::lock_guard lock(mutex_);
    for (auto& d : queue_) out.push_back(std::move(d));
    queue_.clear();
    backlog_ = 0;
    return !closed_;
  }
  // The coroutine ends: closed for good, nothing more is posted to it.
  void detach() {
    std::lock_guard lock(mutex_);
    closed_ = true;
    wake_ = nullptr;
  }

 private:
  // Wakes the coroutine on its own thread (timers are not thread-safe); one
  // pending wake-up is enough. Called with the mutex held, so the post
  // happens before detach() and so while the loop exists.
  void poke() {
    if (!wake_ || poking_) return;
    poking_ = true;
    asio::post(executor_, [self = shared_from_this()] {
      std::lock_guard lock(self->mutex_);
      self->poking_ = false;
      if (self->wake_) self->wake_->cancel();
    });
  }

  Executor executor_;
  mutable std::mutex mutex_;
  std::vector<std::string> queue_;
  std::size_t backlog_ = 0;
  bool closed_ = false;
  bool poking_ = false;
  Timer* wake_ = nullptr;
  const std::size_t limit_;
};

bool has_header(const Response& r, std::string_view name) {
  return std::any_of(r.headers.begin(), r.headers.end(),
                     [name](const auto& h) { return beast::iequals(h.first, name); });
}

void append_header(std::string& out, std::string_view name, std::string_view value) {
  out.append(name).append(": ");
  // A value never ends the header early: CR and LF become spaces.
  for (char c : value) out.push_back(c == '\r' || c == '\n' ? ' ' : c);
  out.append("\r\n");
}

// The status line and headers of `r`, with the defaults a handler's own
// header replaces (Set-Cookie may repeat). Without a length, the body ends
// when the connection does (event streams).
void write_head(std::string& out, const Response& r, unsigned version, bool keep_alive,
                std::optional<std::size_t> length) {
  out.clear();
  out.append(version == 10 ? "HTTP/1.0 " : "HTTP/1.1 ");
  out.append(std::to_string(r.status)).push_back(' ');
  out.append(bhttp::obsolete_reason(static_cast<bhttp::status>(r.status))).append("\r\n");
  append_header(out, "Server", "cxm");
  if (!has_header(r, "Content-Type")) append_header(out, "Content-Type", r.content_type);
  if (!has_header(r, "Cache-Control")) append_header(out, "Cache-Control", "no-store");
  append_header(out, "X-Content-Type-Options", "nosniff");
  for (const auto& [name, value] : r.headers) append_header(out, name, value);
  if (version == 10 && keep_alive) append_header(out, "Connection", "keep-alive");
  if (version != 10 && !keep_alive) append_header(out, "Connection", "close");
  const bool bodiless = r.status < 200 || r.status == 204 || r.status == 304;
  if (!bodiless && length) append_header(out, "Content-Length", std::to_string(*length));
  out.append("\r\n");
}

// A parse error, as opposed to the client going away or timing out.
bool is_malformed(const boost::system::error_code& ec) {
  return ec.category() == bhttp::make_error_code(bhttp::error::bad_method).category() &&
         ec != bhttp::error::end_of_stream && ec != bhttp::error::partial_message;
}

}  // namespace

struct Server::Impl {
  ServerOptions options;
  const Router& router;
  // One event loop per I/O thread; connections are dealt out round-robin,
  // so threads never contend for one scheduler. The first loop also runs
  // the acceptor and the signal handler.
  std::vector<std::unique_ptr<Loop>> loops;
  asio::io_context& io;
  asio::thread_pool workers;
  Acceptor acceptor{io.get_executor()};
  asio::basic_signal_set<Executor> signals{io.get_executor(), SIGINT, SIGTERM};
  std::atomic<bool> stopping{false};
  std::atomic<std::uint64_t> next_request{1};
  std::atomic<int> busy{0};  // connections with a request being answered
  std::atomic<std::uint64_t> streams_opened{0};

  Impl(ServerOptions o, const Router& r)
      : options(std::move(o)),
        router(r),
        loops(make_loops(options.io_threads)),
        io(loops.front()->context),
        workers(static_cast<std::size_t>(options.worker_threads)) {}

  static std::vector<std::unique_ptr<Loop>> make_loops(int count) {
    std::vector<std::unique_ptr<Loop>> out;
    for (int i = 0; i < std::max(1, count); ++i) out.push_back(std::make_unique<Loop>());
    return out;
  }

  // Turns a Beast request into our Request (moving the body out); false
  // when the target is not a valid origin-form URL.
  bool translate(bhttp::request<bhttp::string_body>& in, const Connection& connection,
                 Request& out) {
    if (!translate_request(in, out)) return false;
    out.remote_address = connection.remote_address;
    out.request_id = std::to_string(next_request++);
    return true;
  }

  // Writes `r` in one gather write; a shared body is sent from where it
  // lives, without a copy. No body for HEAD.
  Task<boost::system::error_code> write(Connection& c, Response& r, unsigned version,
                                        bool keep_alive, bool head_only = false) {
    const std::string_view body =
        r.shared_body ? std::string_view(*r.shared_body) : std::string_view(r.body);
    write_head(c.head, r, version, keep_alive, body.size());
    const bool send_body =
        !head_only && !body.empty() && r.status >= 200 && r.status != 204 && r.status != 304;
    c.deadline = Clock::now() + std::chrono::seconds(options.request_timeout_seconds);
    const std::array<asio::const_buffer, 2> buffers{
        asio::buffer(c.head), asio::buffer(body.data(), send_body ? body.size() : 0)};
    auto [ec, n] = co_await asio::async_write(c.socket, buffers, kTuple);
    c.deadline = Clock::time_point::max();
    co_return ec;
  }

  // The threads a deferred handler of this connection moves between.
  struct ConnectionThreads : Threads {
    asio::io_context& loop;
    asio::thread_pool& workers;
    ConnectionThreads(asio::io_context& l, asio::thread_pool& w) : loop(l), workers(w) {}
    void to_worker(std::function<void()> fn) override { asio::post(workers, std::move(fn)); }
    void to_io_thread(std::function<void()> fn) override { asio::post(loop, std::move(fn)); }
  };

  // Runs a deferred handler from this I/O thread and resumes the connection
  // here once it has finished, wherever it finished. A handler that
  // finishes at once (from memory) is answered without a round through the
  // loop's queue.
  Task<Response> run_deferred(const Router::Match& match, Request& request,
                              asio::io_context& loop) {
    ConnectionThreads threads(loop, workers);
    Exchange exchange{request, match.params, threads};
    // 0: start() running; 1: this coroutine waits for `resume`; 2: finished.
    struct Rendezvous {
      std::atomic<int> phase{0};
      std::optional<Response> response;
      std::function<void()> resume;
    } rendezvous;
    router.start(match, exchange, [&rendezvous](Response r) {
      rendezvous.response = std::move(r);
      if (rendezvous.phase.exchange(2) == 1) {
        // A copy: once posted, the coroutine (and `rendezvous`) may be gone.
        auto resume = rendezvous.resume;
        resume();
      }
    });
    if (rendezvous.phase.load() != 2) {
      co_await asio::async_initiate<const asio::use_awaitable_t<Executor>, void()>(
          [&rendezvous](auto handler) {
            // The resume callback must be copyable; the coroutine's handler
            // is move-only. It resumes the coroutine on its own executor.
            auto shared = std::make_shared<decltype(handler)>(std::move(handler));
            rendezvous.resume = [shared] {
              auto executor = asio::get_associated_executor(*shared);
              asio::post(executor, [shared]() mutable { std::move (*shared)(); });
            };
            int waiting = 0;
            if (!rendezvous.phase.compare_exchange_strong(waiting, 1))
              rendezvous.resume();  // finished meanwhile
          },
          kUseTask);
    }
    co_return std::move(*rendezvous.response);
  }

  // Runs a blocking handler on the worker pool; resumes here when done.
  Task<Response> run_on_worker(const Router::Match& match, Request& request) {
    co_return co_await asio::co_spawn(
        workers,
        [this, &match, &request]() -> asio::awaitable<Response> {
          co_return router.run(match, request);
        },
        kUseTask);
  }

  // Runs a stream route's handler on the worker pool.
  Task<StreamReply> open_on_worker(const Router::Match& match, Request& request) {
    co_return co_await asio::co_spawn(
        workers,
        [this, &match, &request]() -> asio::awaitable<StreamReply> {
          co_return router.open(match, request);
        },
        kUseTask);
  }

  // Ends the stream when the client closes its side (or the connection
  // fails). Touches the socket only while the stream is open: the stream's
  // coroutine marks it closed before the socket goes.
  static Task<void> watch_peer(Socket& socket, std::shared_ptr<ServerStream> stream) {
    std::array<char, 512> ignored;
    while (stream->is_open()) {
      auto [ec, n] = co_await socket.async_read_some(asio::buffer(ignored), kTuple);
      if (ec) break;
    }
    stream->close();
  }

  // How long the next stream may stay open: its lifetime less up to a
  // tenth, spread over the streams by a counter (no shared random state).
  Clock::duration stream_lifetime() {
    const auto full = std::chrono::milliseconds(
        static_cast<std::int64_t>(std::max(1, options.stream_lifetime_seconds)) * 1000);
    const auto permille = static_cast<std::int64_t>((streams_opened++ * 7919) % 1000);
    return full - full * permille / 10000;
  }

  // Sends an event stream until it ends; the connection closes after it.
  Task<void> run_stream(Loop& loop, Connection& c, StreamReply& reply, unsigned version) {
    Response head;
    head.content_type = "text/event-stream";
    head.headers = std::move(reply.headers);
    head.headers.emplace_back("X-Accel-Buffering", "no");  // nginx: pass events on at once
    write_head(c.head, head, version, false, std::nullopt);
    c.deadline = Clock::now() + std::chrono::seconds(options.request_timeout_seconds);
    auto [head_ec, sent] = co_await asio::async_write(c.socket, asio::buffer(c.head), kTuple);
    c.deadline = Clock::time_point::max();
    if (head_ec) co_return;

    auto stream =
        std::make_shared<ServerStream>(loop.context.get_executor(), options.stream_backlog_limit);
    Timer wake(loop.context.get_executor());
    stream->attach(&wake);
    loop.streams.push_front(stream.get());
    struct Unlist {
      Loop& loop;
      std::list<ServerStream*>::iterator at;
      ~Unlist() { loop.streams.erase(at); }
    } unlist{loop, loop.streams.begin()};
    if (stopping) stream->close();
    asio::co_spawn(loop.context, watch_peer(c.socket, stream), asio::detached);
    if (reply.opened) reply.opened(stream);

    const auto heartbeat = std::chrono::seconds(options.stream_heartbeat_seconds);
    const auto ends_at = Clock::now() + stream_lifetime();
    auto quiet_until = Clock::now() + heartbeat;
    std::vector<std::string> batch;
    std::vector<asio::const_buffer> buffers;
    for (;;) {
      batch.clear();
      if (Clock::now() >= ends_at) stream->close();  // what is queued still goes
      const bool open = stream->take(batch);
      if (batch.empty() && Clock::now() >= quiet_until) batch.emplace_back(":\n\n");  // a comment
      if (!batch.empty()) {
        buffers.clear();
        for (const auto& d : batch) buffers.push_back(asio::buffer(d));
        c.deadline = Clock::now() + std::chrono::seconds(options.request_timeout_seconds);
        auto [ec, n] = co_await asio::async_write(c.socket, buffers, kTuple);
        c.deadline = Clock::time_point::max();
        if (ec) break;
        quiet_until = Clock::now() + heartbeat;
        continue;
      }
      if (!open) break;
      wake.expires_at(std::min(quiet_until, ends_at));
      co_await wake.async_wait(kTuple);
    }
    stream->detach();
    if (reply.closed) reply.closed();
  }

  // (Not a switch of `co_return co_await`: GCC 12 miscompiles that into a
  // crash when the deferred branch resumes.)
  Task<Response> answer(Loop& loop, const Router::Match& match, Request& request) {
    Response response;
    if (match.runs_on == RunsOn::worker) {
      response = co_await run_on_worker(match, request);
    } else if (match.runs_on == RunsOn::deferred) {
      response = co_await run_deferred(match, request, loop.context);
    } else {
      response = router.run(match, request);
    }
    co_return response;
  }

  Task<void> serve(Loop& loop, Socket socket) {
    Connection c(std::move(socket));
    loop.connections.push_front(&c);
    struct Unlist {
      Loop& loop;
      std::list<Connection*>::iterator at;
      ~Unlist() { loop.connections.erase(at); }
    } unlist{loop, loop.connections.begin()};
    boost::system::error_code peer_ec;
    const auto peer = c.socket.remote_endpoint(peer_ec);
    if (!peer_ec) c.remote_address = peer.address().to_string();
    beast::flat_buffer buffer;
    bool unread_body = false;
    for (;;) {
      bhttp::request_parser<bhttp::string_body> parser;
      parser.body_limit(options.body_limit);
      c.deadline = Clock::now() + std::chrono::seconds(options.idle_timeout_seconds);
      auto [ec, bytes] = co_await bhttp::async_read_header(c.socket, buffer, parser, kTuple);
      // A Content-Length above the limit is refused while reading the header.
      if (ec && ec != bhttp::error::body_limit) {
        if (is_malformed(ec)) {
          auto bad = error_response(400, "bad_request", "malformed HTTP request");
          co_await write(c, bad, 11, false);
        }
        break;
      }
      ++busy;
      struct Done {
        std::atomic<int>& busy;
        ~Done() { --busy; }
      } done{busy};
      c.deadline = Clock::now() + std::chrono::seconds(options.request_timeout_seconds);
      Response response;
      bool readable = true;
      if (!ec && !parser.is_done()) {
        if (parser.get()[bhttp::field::expect] == "100-continue") {
          static constexpr std::string_view kContinue = "HTTP/1.1 100 Continue\r\n\r\n";
          std::tie(ec, bytes) =
              co_await asio::async_write(c.socket, asio::buffer(kContinue), kTuple);
        }
        if (!ec) std::tie(ec, bytes) = co_await bhttp::async_read(c.socket, buffer, parser, kTuple);
      }
      c.deadline = Clock::time_point::max();
      if (ec == bhttp::error::body_limit) {
        response = error_response(
            413, "payload_too_large",
            "the request body is larger than " + std::to_string(options.body_limit) + " bytes");
        readable = false;
        unread_body = true;
      } else if (ec) {
        if (is_malformed(ec)) {
          auto bad = error_response(400, "bad_request", "malformed HTTP request");
          co_await write(c, bad, 11, false);
        }
        break;
      }
      const auto started = Clock::now();
      auto& in = parser.get();  // translate() moves only its body out
      const bool head_only = in.method() == bhttp::verb::head;
      Request request;
      if (readable && !translate(in, c, request)) {
        response = error_response(400, "bad_request", "malformed request target");
        readable = false;
      }
      if (readable) {
        const Router::Match match = router.match(request);
        if (match.runs_on == RunsOn::stream) {
          StreamReply reply = co_await open_on_worker(match, request);
          if (!reply.answer) {
            co_await run_stream(loop, c, reply, in.version());
            const auto ms =
                std::chrono::duration_cast<std::chrono::microseconds>(Clock::now() - started)
                    .count();
            spdlog::info("{} {} {} {} 200 stream {:.3f}ms", request.request_id, c.remote_address,
                         in.method_string(), in.target(), static_cast<double>(ms) / 1000.0);
            break;
          }
          response = std::move(*reply.answer);
        } else {
          response = co_await answer(loop, match, request);
        }
      }
      const bool keep_alive = readable && in.keep_alive() && !stopping;
      const int status = response.status;
      const auto write_ec = co_await write(c, response, in.version(), keep_alive, head_only);
      const auto micros =
          std::chrono::duration_cast<std::chrono::microseconds>(Clock::now() - started).count();
      spdlog::info("{} {} {} {} {} {:.3f}ms", request.request_id, c.remote_address,
                   in.method_string(), in.target(), status, static_cast<double>(micros) / 1000.0);
      if (write_ec || !keep_alive) break;
    }
    boost::system::error_code ignored;
    c.socket.shutdown(tcp::socket::shutdown_send, ignored);
    if (unread_body) {
      // Lingering close: closing with unread data would reset the connection
      // and the client could lose our 413 answer. Discard what is still
      // coming for a moment (bounded in time and size), then close.
      c.deadline = Clock::now() + std::chrono::seconds(2);
      std::array<char, 16384> sink;
      std::size_t drained = 0;
      while (drained < (16u << 20)) {
        auto [read_ec, n] = co_await c.socket.async_read_some(asio::buffer(sink), kTuple);
        if (read_ec) break;
        drained += n;
      }
    }
  }

  Task<void> accept_loop() {
    for (std::size_t next = 0;; ++next) {
      Loop& loop = *loops[next % loops.size()];
      auto [ec, socket] = co_await acceptor.async_accept(loop.context, kTuple);
      if (ec) {
        if (stopping || ec == asio::error::operation_aborted) co_return;
        // E.g. out of file descriptors: the connections we have go on, and
        // the waiting one stays queued. Pause instead of retrying at once,
        // which would spin on the still-readable listening socket.
        spdlog::warn("cannot accept a connection: {}; trying again in 100 ms", ec.message());
        Timer pause(io.get_executor());
        pause.expires_after(std::chrono::milliseconds(100));
        co_await pause.async_wait(kTuple);
        continue;
      }
      asio::co_spawn(loop.context, serve(loop, std::move(socket)), asio::detached);
    }
  }

  void begin_stop() {
    if (stopping.exchange(true)) return;
    spdlog::info("shutting down: no new connections; finishing requests in flight");
    boost::system::error_code ignored;
    acceptor.close(ignored);
    signals.cancel(ignored);
    // Open event streams end: their clients reconnect to another process.
    for (auto& loop : loops) {
      asio::post(loop->context, [&l = *loop] {
        for (ServerStream* stream : l.streams) stream->close();
      });
    }
  }
};

Server::Server(ServerOptions options, const Router& router)
    : impl_(std::make_unique<Impl>(std::move(options), router)) {}

Server::~Server() { impl_->workers.join(); }

std::uint16_t Server::listen() {
  const tcp::endpoint endpoint{asio::ip::make_address(impl_->options.address), impl_->options.port};
  impl_->acceptor.open(endpoint.protocol());
  impl_->acceptor.set_option(asio::socket_base::reuse_address(true));
  impl_->acceptor.bind(endpoint);
  impl_->acceptor.listen(asio::socket_base::max_listen_connections);
  return impl_->acceptor.local_endpoint().port();
}

void Server::run() {
  Impl& s = *impl_;
  s.signals.async_wait([&s](const boost::system::error_code& ec, int) {
    if (!ec) s.begin_stop();
  });
  asio::co_spawn(s.io, s.accept_loop(), asio::detached);
  for (auto& loop : s.loops) asio::co_spawn(loop->context, loop->sweep(), asio::detached);
  // The loops run until the stop: each has its sweep timer pending.
  std::vector<std::thread> threads;
  for (std::size_t i = 1; i < s.loops.size(); ++i)
    threads.emplace_back([&s, i] { s.loops[i]->context.run(); });
  // Idle keep-alive connections would keep run() from returning: after a
  // stop, wait until no request is being answered (at most 30 s), then end
  // the loops, which closes the idle ones.
  std::thread reaper([&s] {
    while (!s.stopping) std::this_thread::sleep_for(std::chrono::milliseconds(20));
    for (int i = 0; i < 1500 && s.busy > 0; ++i)
      std::this_thread::sleep_for(std::chrono::milliseconds(20));
    for (auto& loop : s.loops) loop->context.stop();
  });
  s.io.run();
  for (auto& t : threads) t.join();
  reaper.join();
}

void Server::stop() {
  asio::post(impl_->io, [this] { impl_->begin_stop(); });
}

}  // namespace cxm::http
