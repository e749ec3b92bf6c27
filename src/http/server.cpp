#include "http/server.h"

#include <boost/asio.hpp>
#include <boost/beast.hpp>
#include <boost/url/parse.hpp>
#include <spdlog/spdlog.h>

#include <algorithm>
#include <array>
#include <atomic>
#include <chrono>
#include <thread>

namespace cxm::http {

namespace asio = boost::asio;
namespace beast = boost::beast;
namespace bhttp = beast::http;
using tcp = asio::ip::tcp;

struct Server::Impl {
  ServerOptions options;
  RequestHandler handler;
  MemoryHandler from_memory;
  AsyncHandler async;
  // One event loop per I/O thread; connections are dealt out round-robin,
  // so threads never contend for one scheduler. The first loop also runs
  // the acceptor and the signal handler.
  std::vector<std::unique_ptr<asio::io_context>> loops;
  asio::io_context& io;
  asio::thread_pool workers;
  tcp::acceptor acceptor{io};
  asio::signal_set signals{io, SIGINT, SIGTERM};
  std::atomic<bool> stopping{false};
  std::atomic<std::uint64_t> next_request{1};
  std::atomic<int> busy{0};  // connections with a request being answered

  Impl(ServerOptions o, RequestHandler h, MemoryHandler m, AsyncHandler a)
      : options(std::move(o)),
        handler(std::move(h)),
        from_memory(std::move(m)),
        async(std::move(a)),
        loops(make_loops(options.io_threads)),
        io(*loops.front()),
        workers(static_cast<std::size_t>(options.worker_threads)) {}

  static std::vector<std::unique_ptr<asio::io_context>> make_loops(int count) {
    std::vector<std::unique_ptr<asio::io_context>> out;
    for (int i = 0; i < std::max(1, count); ++i) out.push_back(std::make_unique<asio::io_context>(1));
    return out;
  }

  // Turns a Beast request into our Request; false when the target is not a
  // valid origin-form URL.
  bool translate(const bhttp::request<bhttp::string_body>& in, const tcp::socket& socket, Request& out) {
    out.method = std::string(in.method_string());
    out.target = std::string(in.target());
    const auto parsed = boost::urls::parse_origin_form(in.target());
    if (!parsed) return false;
    out.path = std::string(parsed->path());
    for (const auto& param : parsed->params()) out.query[std::string(param.key)] = std::string(param.value);
    for (const auto& field : in) {
      std::string name(field.name_string());
      for (auto& c : name) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
      out.headers[name] = std::string(field.value());
    }
    out.body = in.body();
    boost::system::error_code ec;
    const auto endpoint = socket.remote_endpoint(ec);
    if (!ec) out.remote_address = endpoint.address().to_string();
    out.request_id = std::to_string(next_request++);
    return true;
  }

  // Status and headers of `r` on a Beast response of any body type.
  template <typename Message>
  static void fill(Message& res, const Response& r, bool keep_alive) {
    res.result(static_cast<bhttp::status>(r.status));
    res.set(bhttp::field::server, "cxm");
    res.set(bhttp::field::content_type, r.content_type);
    res.set(bhttp::field::cache_control, "no-store");
    res.set("X-Content-Type-Options", "nosniff");
    // A handler's header replaces a default; Set-Cookie may repeat.
    for (const auto& [name, value] : r.headers) {
      if (beast::iequals(name, "set-cookie")) res.insert(name, value);
      else res.set(name, value);
    }
    res.keep_alive(keep_alive);
  }

  // Writes `r`; a shared body is sent from where it lives, without a copy.
  static asio::awaitable<boost::system::error_code> write(beast::tcp_stream& stream, Response& r, unsigned version,
                                                          bool keep_alive) {
    if (r.shared_body) {
      bhttp::response<bhttp::span_body<const char>> res{bhttp::status::ok, version};
      fill(res, r, keep_alive);
      res.body() = {r.shared_body->data(), r.shared_body->size()};
      res.prepare_payload();
      auto [ec, n] = co_await bhttp::async_write(stream, res, asio::as_tuple(asio::use_awaitable));
      co_return ec;
    }
    bhttp::response<bhttp::string_body> res{bhttp::status::ok, version};
    fill(res, r, keep_alive);
    res.body() = std::move(r.body);
    res.prepare_payload();
    auto [ec, n] = co_await bhttp::async_write(stream, res, asio::as_tuple(asio::use_awaitable));
    co_return ec;
  }

  // Starts a request that answers later from another thread, and resumes
  // this connection on its own event loop, where the response is made.
  static asio::awaitable<Response> wait_for(std::function<void(Respond)> start) {
    co_return co_await asio::async_initiate<decltype(asio::use_awaitable), void(Response)>(
        [&start](auto handler) {
          // Respond must be copyable; the coroutine's handler is move-only.
          auto shared = std::make_shared<decltype(handler)>(std::move(handler));
          start([shared](std::function<Response()> make) {
            auto executor = asio::get_associated_executor(*shared);
            asio::post(executor, [shared, make = std::move(make)]() mutable {
              Response r;
              try {
                r = make();
              } catch (const std::exception& e) {
                spdlog::error("making a response: {}", e.what());
                r = error_response(500, "internal", "internal error; see the server log");
              }
              std::move (*shared)(std::move(r));
            });
          });
        },
        asio::use_awaitable);
  }

  asio::awaitable<void> serve(beast::tcp_stream stream) {
    beast::flat_buffer buffer;
    bool unread_body = false;
    for (;;) {
      bhttp::request_parser<bhttp::string_body> parser;
      parser.body_limit(options.body_limit);
      stream.expires_after(std::chrono::seconds(options.idle_timeout_seconds));
      auto [ec, bytes] = co_await bhttp::async_read_header(stream, buffer, parser, asio::as_tuple(asio::use_awaitable));
      // A Content-Length above the limit is refused while reading the header.
      if (ec && ec != bhttp::error::body_limit) break;
      ++busy;
      struct Done {
        std::atomic<int>& busy;
        ~Done() { --busy; }
      } done{busy};
      stream.expires_after(std::chrono::seconds(options.request_timeout_seconds));
      Response response;
      bool readable = true;
      if (!ec && parser.get()[bhttp::field::expect] == "100-continue") {
        bhttp::response<bhttp::empty_body> cont{bhttp::status::continue_, 11};
        co_await bhttp::async_write(stream, cont, asio::as_tuple(asio::use_awaitable));
      }
      if (!ec) {
        std::tie(ec, bytes) = co_await bhttp::async_read(stream, buffer, parser, asio::as_tuple(asio::use_awaitable));
      }
      if (ec == bhttp::error::body_limit) {
        response = error_response(413, "payload_too_large",
                                  "the request body is larger than " + std::to_string(options.body_limit) + " bytes");
        readable = false;
        unread_body = true;
      } else if (ec) {
        if (ec != bhttp::error::end_of_stream) {
          auto bad = error_response(400, "bad_request", "malformed HTTP request");
          co_await write(stream, bad, 11, false);
        }
        break;
      }
      const auto started = std::chrono::steady_clock::now();
      Request request;
      const auto& in = parser.get();
      if (readable && !translate(in, stream.socket(), request)) {
        response = error_response(400, "bad_request", "malformed request target");
        readable = false;
      }
      std::optional<Response> ready;
      if (readable && from_memory) ready = from_memory(request);
      std::function<void(Respond)> start;
      if (readable && !ready && async) start = async(request);
      if (ready) {
        response = std::move(*ready);
      } else if (start) {
        response = co_await wait_for(std::move(start));
      } else if (readable) {
        // Run the handler on the worker pool; resume here when it is done.
        response = co_await asio::co_spawn(
            workers,
            [this, &request]() -> asio::awaitable<Response> {
              try {
                co_return handler(request);
              } catch (const std::exception& e) {
                spdlog::error("request {} {} {}: {}", request.request_id, request.method, request.path, e.what());
                co_return error_response(500, "internal", "internal error; see the server log");
              }
            },
            asio::use_awaitable);
      }
      const bool keep_alive = readable && in.keep_alive() && !stopping;
      const int status = response.status;
      const auto write_ec = co_await write(stream, response, in.version(), keep_alive);
      const auto micros =
          std::chrono::duration_cast<std::chrono::microseconds>(std::chrono::steady_clock::now() - started).count();
      spdlog::info("{} {} {} {} {} {:.3f}ms", request.request_id, request.remote_address, request.method,
                   request.target.empty() ? std::string(in.target()) : request.target, status,
                   static_cast<double>(micros) / 1000.0);
      if (write_ec || !keep_alive) break;
    }
    boost::system::error_code ignored;
    stream.socket().shutdown(tcp::socket::shutdown_send, ignored);
    if (unread_body) {
      // Lingering close: closing with unread data would reset the connection
      // and the client could lose our 413 answer. Discard what is still
      // coming for a moment (bounded in time and size), then close.
      stream.expires_after(std::chrono::seconds(2));
      std::array<char, 16384> sink;
      std::size_t drained = 0;
      while (drained < (16u << 20)) {
        auto [read_ec, n] = co_await stream.async_read_some(asio::buffer(sink), asio::as_tuple(asio::use_awaitable));
        if (read_ec) break;
        drained += n;
      }
    }
  }

  asio::awaitable<void> accept_loop() {
    for (std::size_t next = 0;; ++next) {
      asio::io_context& loop = *loops[next % loops.size()];
      auto [ec, socket] = co_await acceptor.async_accept(loop, asio::as_tuple(asio::use_awaitable));
      if (ec) {
        if (stopping || ec == asio::error::operation_aborted) co_return;
        continue;  // e.g. too many open files: keep serving the others
      }
      asio::co_spawn(loop, serve(beast::tcp_stream(std::move(socket))), asio::detached);
    }
  }

  void begin_stop() {
    if (stopping.exchange(true)) return;
    spdlog::info("shutting down: no new connections; finishing requests in flight");
    boost::system::error_code ignored;
    acceptor.close(ignored);
    signals.cancel(ignored);
  }
};

Server::Server(ServerOptions options, RequestHandler handler, MemoryHandler from_memory, AsyncHandler async)
    : impl_(std::make_unique<Impl>(std::move(options), std::move(handler), std::move(from_memory), std::move(async))) {}

Server::~Server() {
  impl_->workers.join();
}

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
  // The other loops wait for connections until the stop.
  std::vector<asio::executor_work_guard<asio::io_context::executor_type>> idle;
  std::vector<std::thread> threads;
  for (std::size_t i = 1; i < s.loops.size(); ++i) {
    idle.push_back(asio::make_work_guard(*s.loops[i]));
    threads.emplace_back([&s, i] { s.loops[i]->run(); });
  }
  // Idle keep-alive connections would keep run() from returning: after a
  // stop, wait until no request is being answered (at most 30 s), then end
  // the loop, which closes the idle ones.
  std::thread reaper([&s] {
    while (!s.stopping) std::this_thread::sleep_for(std::chrono::milliseconds(20));
    for (int i = 0; i < 1500 && s.busy > 0; ++i) std::this_thread::sleep_for(std::chrono::milliseconds(20));
    for (auto& loop : s.loops) loop->stop();
  });
  s.io.run();
  for (auto& t : threads) t.join();
  reaper.join();
}

void Server::stop() {
  asio::post(impl_->io, [this] { impl_->begin_stop(); });
}

}  // namespace cxm::http
