// The HTTP server's own behaviour (framing, keep-alive, timeouts, the three
// ways a request is answered), in process, with a raw socket client so that
// every byte on the wire is visible.
#include "http/server.h"

#include <arpa/inet.h>
#include <gtest/gtest.h>
#include <netinet/in.h>
#include <poll.h>
#include <sys/resource.h>
#include <sys/socket.h>
#include <unistd.h>

#include <atomic>
#include <chrono>
#include <condition_variable>
#include <mutex>
#include <optional>
#include <string>
#include <thread>

namespace cxm::http {
namespace {

using namespace std::chrono_literals;

// A server on a free loopback port, run on its own thread until destroyed.
// What a handler threw, as the API answers it: 500 with the error shape.
Response internal_error(std::exception_ptr, const Request&) {
  return error_response(500, "internal", "internal error; see the server log");
}

// A router sending every request to `handler` on a worker.
std::unique_ptr<Router> router_for(std::function<Response(Request&)> handler) {
  auto router = std::make_unique<Router>(internal_error);
  router->set_fallback(
      [handler](const Request& request, const PathParams&) {
        return handler(const_cast<Request&>(request));
      },
      RunsOn::worker);
  return router;
}

class RunningServer {
 public:
  RunningServer(ServerOptions options, std::function<Response(Request&)> handler)
      : RunningServer(options, router_for(std::move(handler))) {}
  RunningServer(ServerOptions options, std::unique_ptr<Router> router)
      : router_(std::move(router)), server_((options.port = 0, options), *router_) {
    port_ = server_.listen();
    thread_ = std::thread([this] { server_.run(); });
  }
  ~RunningServer() {
    server_.stop();
    thread_.join();
  }
  std::uint16_t port() const { return port_; }
  Server& server() { return server_; }

 private:
  std::unique_ptr<Router> router_;
  Server server_;
  std::uint16_t port_ = 0;
  std::thread thread_;
};

// A blocking client socket with a receive timeout, so a test fails instead
// of hanging.
class Client {
 public:
  // Connects at once, or with `later` only when connect() is called (the
  // socket is made now: connecting then takes no new descriptor).
  explicit Client(std::uint16_t port, bool later = false) : port_(port) {
    fd_ = ::socket(AF_INET, SOCK_STREAM, 0);
    if (fd_ < 0) ADD_FAILURE() << "socket";
    timeval timeout{10, 0};
    setsockopt(fd_, SOL_SOCKET, SO_RCVTIMEO, &timeout, sizeof timeout);
    if (!later) connect();
  }
  void connect() {
    sockaddr_in address{};
    address.sin_family = AF_INET;
    address.sin_port = htons(port_);
    address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    if (::connect(fd_, reinterpret_cast<sockaddr*>(&address), sizeof address) != 0)
      ADD_FAILURE() << "connect";
  }
  ~Client() { ::close(fd_); }

  void send(const std::string& data) {
    std::size_t sent = 0;
    while (sent < data.size()) {
      const auto n = ::send(fd_, data.data() + sent, data.size() - sent, MSG_NOSIGNAL);
      if (n <= 0) return;
      sent += static_cast<std::size_t>(n);
    }
  }

  // One response: the head up to the blank line, then Content-Length bytes
  // of body. nullopt when the connection ends first.
  std::optional<std::string> response() {
    std::size_t end;
    while ((end = pending_.find("\r\n\r\n")) == std::string::npos) {
      if (!fill()) return std::nullopt;
    }
    std::string head = pending_.substr(0, end + 4);
    std::size_t length = 0;
    const auto at = head.find("Content-Length: ");
    if (at != std::string::npos) length = std::stoul(head.substr(at + 16));
    while (pending_.size() < head.size() + length) {
      if (!fill()) return std::nullopt;
    }
    std::string whole = pending_.substr(0, head.size() + length);
    pending_.erase(0, whole.size());
    return whole;
  }

  // True when the server closes the connection within `limit` without
  // sending anything more.
  bool closed_within(std::chrono::milliseconds limit) {
    pollfd p{fd_, POLLIN, 0};
    if (::poll(&p, 1, static_cast<int>(limit.count())) <= 0) return false;
    char byte;
    return ::recv(fd_, &byte, 1, 0) == 0;
  }

  // Everything received up to and including `marker`; nullopt when the
  // connection ends (or the receive timeout passes) first.
  std::optional<std::string> until(const std::string& marker) {
    std::size_t at;
    while ((at = pending_.find(marker)) == std::string::npos) {
      if (!fill()) return std::nullopt;
    }
    std::string whole = pending_.substr(0, at + marker.size());
    pending_.erase(0, whole.size());
    return whole;
  }

  // Asks the kernel for a small receive buffer (before much arrives), so
  // that a client that does not read falls behind soon.
  void shrink_receive_buffer() {
    int size = 4096;
    setsockopt(fd_, SOL_SOCKET, SO_RCVBUF, &size, sizeof size);
  }

  // Only a response's head, for responses that have no body.
  std::optional<std::string> head() {
    std::size_t end;
    while ((end = pending_.find("\r\n\r\n")) == std::string::npos) {
      if (!fill()) return std::nullopt;
    }
    std::string whole = pending_.substr(0, end + 4);
    pending_.erase(0, whole.size());
    return whole;
  }

 private:
  bool fill() {
    char chunk[4096];
    const auto n = ::recv(fd_, chunk, sizeof chunk, 0);
    if (n <= 0) return false;
    pending_.append(chunk, static_cast<std::size_t>(n));
    return true;
  }
  std::uint16_t port_;
  int fd_ = -1;
  std::string pending_;
};

std::string body_of(const std::string& response) {
  return response.substr(response.find("\r\n\r\n") + 4);
}

// Echoes the method, path and body; a few paths answer specially.
Response echo(Request& request) {
  Response r;
  r.content_type = "text/plain";
  if (request.path == "/not-modified") {
    r.status = 304;
    return r;
  }
  if (request.path == "/throws") throw std::runtime_error("boom");
  if (request.path == "/headers") {
    r.headers.emplace_back("Cache-Control", "public, max-age=60");
    r.headers.emplace_back("Set-Cookie", "a=1");
    r.headers.emplace_back("Set-Cookie", "b=2");
    r.headers.emplace_back("X-Note", "first\r\nX-Injected: yes");
  }
  if (request.path == "/slow") std::this_thread::sleep_for(300ms);
  r.body = request.method + " " + request.path + " " + request.body;
  return r;
}

ServerOptions quick_options() {
  ServerOptions options;
  options.io_threads = 2;
  options.worker_threads = 2;
  options.body_limit = 1024;
  options.idle_timeout_seconds = 1;
  options.request_timeout_seconds = 1;
  return options;
}

TEST(HttpServer, KeepAliveAndPipelinedRequestsAreAnsweredInOrder) {
  RunningServer running(quick_options(), echo);
  Client client(running.port());
  client.send("GET /one HTTP/1.1\r\nHost: x\r\n\r\n");
  const auto first = client.response();
  ASSERT_TRUE(first);
  EXPECT_EQ(first->rfind("HTTP/1.1 200 OK\r\n", 0), 0u) << *first;
  EXPECT_NE(first->find("Content-Type: text/plain\r\n"), std::string::npos);
  EXPECT_NE(first->find("X-Content-Type-Options: nosniff\r\n"), std::string::npos);
  EXPECT_EQ(first->find("Connection:"), std::string::npos);
  EXPECT_EQ(body_of(*first), "GET /one ");
  client.send(
      "POST /two HTTP/1.1\r\nHost: x\r\nContent-Length: 5\r\n\r\nhello"
      "GET /three HTTP/1.1\r\nHost: x\r\n\r\n");
  const auto second = client.response();
  const auto third = client.response();
  ASSERT_TRUE(second && third);
  EXPECT_EQ(body_of(*second), "POST /two hello");
  EXPECT_EQ(body_of(*third), "GET /three ");
}

TEST(HttpServer, Http10ClosesUnlessAskedToKeepAlive) {
  RunningServer running(quick_options(), echo);
  Client once(running.port());
  once.send("GET /a HTTP/1.0\r\n\r\n");
  const auto response = once.response();
  ASSERT_TRUE(response);
  EXPECT_EQ(response->rfind("HTTP/1.0 200 OK\r\n", 0), 0u) << *response;
  EXPECT_TRUE(once.closed_within(2000ms));

  Client kept(running.port());
  kept.send("GET /a HTTP/1.0\r\nConnection: keep-alive\r\n\r\n");
  const auto first = kept.response();
  ASSERT_TRUE(first);
  EXPECT_NE(first->find("Connection: keep-alive\r\n"), std::string::npos);
  kept.send("GET /b HTTP/1.0\r\n\r\n");
  const auto second = kept.response();
  ASSERT_TRUE(second);
  EXPECT_EQ(body_of(*second), "GET /b ");
}

TEST(HttpServer, ConnectionCloseIsHonoured) {
  RunningServer running(quick_options(), echo);
  Client client(running.port());
  client.send("GET /a HTTP/1.1\r\nConnection: close\r\n\r\n");
  const auto response = client.response();
  ASSERT_TRUE(response);
  EXPECT_NE(response->find("Connection: close\r\n"), std::string::npos);
  EXPECT_TRUE(client.closed_within(2000ms));
}

TEST(HttpServer, HeadAndNotModifiedSendNoBody) {
  RunningServer running(quick_options(), echo);
  Client client(running.port());
  client.send("HEAD /page HTTP/1.1\r\n\r\n");
  const auto head = client.head();
  ASSERT_TRUE(head);
  // The length of what GET would send ("HEAD /page "), and nothing after.
  EXPECT_NE(head->find("Content-Length: 11\r\n"), std::string::npos) << *head;
  client.send("GET /not-modified HTTP/1.1\r\n\r\n");
  const auto not_modified = client.head();
  ASSERT_TRUE(not_modified);
  EXPECT_EQ(not_modified->rfind("HTTP/1.1 304 Not Modified\r\n", 0), 0u) << *not_modified;
  EXPECT_EQ(not_modified->find("Content-Length"), std::string::npos);
  // The next response follows directly: no stray body bytes in between.
  client.send("GET /after HTTP/1.1\r\n\r\n");
  const auto after = client.response();
  ASSERT_TRUE(after);
  EXPECT_EQ(after->rfind("HTTP/1.1 200 OK\r\n", 0), 0u) << *after;
  EXPECT_EQ(body_of(*after), "GET /after ");
}

TEST(HttpServer, ExpectContinueGetsAnInterimResponse) {
  RunningServer running(quick_options(), echo);
  Client client(running.port());
  client.send("PUT /x HTTP/1.1\r\nContent-Length: 3\r\nExpect: 100-continue\r\n\r\n");
  const auto interim = client.response();
  ASSERT_TRUE(interim);
  EXPECT_EQ(*interim, "HTTP/1.1 100 Continue\r\n\r\n");
  client.send("abc");
  const auto final_response = client.response();
  ASSERT_TRUE(final_response);
  EXPECT_EQ(body_of(*final_response), "PUT /x abc");
}

TEST(HttpServer, BodyAboveTheLimitIsRefusedWith413) {
  RunningServer running(quick_options(), echo);
  Client client(running.port());
  client.send("POST /x HTTP/1.1\r\nContent-Length: 5000\r\n\r\n" + std::string(5000, 'a'));
  const auto response = client.response();
  ASSERT_TRUE(response);
  EXPECT_EQ(response->rfind("HTTP/1.1 413 ", 0), 0u) << *response;
  EXPECT_NE(body_of(*response).find("\"payload_too_large\""), std::string::npos);
  EXPECT_TRUE(client.closed_within(5000ms));
}

TEST(HttpServer, MalformedRequestsGet400) {
  RunningServer running(quick_options(), echo);
  Client garbage(running.port());
  garbage.send("NOT HTTP AT ALL\r\n\r\n");
  const auto response = garbage.response();
  ASSERT_TRUE(response);
  EXPECT_EQ(response->rfind("HTTP/1.1 400 ", 0), 0u) << *response;
  EXPECT_TRUE(garbage.closed_within(2000ms));

  Client bad_target(running.port());
  bad_target.send("GET http://[bad HTTP/1.1\r\n\r\n");
  const auto target = bad_target.response();
  ASSERT_TRUE(target);
  EXPECT_EQ(target->rfind("HTTP/1.1 400 ", 0), 0u) << *target;
}

TEST(HttpServer, AnIdleOrSlowConnectionIsClosedAfterItsTimeout) {
  RunningServer running(quick_options(), echo);
  Client idle(running.port());
  Client slow_header(running.port());
  slow_header.send("GET / HTTP/1.1\r\nHost:");
  Client slow_body(running.port());
  slow_body.send("POST / HTTP/1.1\r\nContent-Length: 10\r\n\r\nabc");
  // Timeouts of 1 s, checked once a second: closed within a few seconds,
  // with nothing sent.
  EXPECT_TRUE(idle.closed_within(5000ms));
  EXPECT_TRUE(slow_header.closed_within(5000ms));
  EXPECT_TRUE(slow_body.closed_within(5000ms));
}

TEST(HttpServer, AnActiveConnectionOutlivesTheTimeout) {
  RunningServer running(quick_options(), echo);
  Client client(running.port());
  for (int i = 0; i < 9; ++i) {
    client.send("GET /tick HTTP/1.1\r\n\r\n");
    ASSERT_TRUE(client.response()) << "request " << i;
    std::this_thread::sleep_for(250ms);  // over 2 s in all, each gap well below 1 s
  }
}

TEST(HttpServer, HandlerHeadersReplaceDefaultsAndCannotSplitTheResponse) {
  RunningServer running(quick_options(), echo);
  Client client(running.port());
  client.send("GET /headers HTTP/1.1\r\n\r\n");
  const auto response = client.response();
  ASSERT_TRUE(response);
  EXPECT_NE(response->find("Cache-Control: public, max-age=60\r\n"), std::string::npos);
  EXPECT_EQ(response->find("no-store"), std::string::npos);
  EXPECT_NE(response->find("Set-Cookie: a=1\r\n"), std::string::npos);
  EXPECT_NE(response->find("Set-Cookie: b=2\r\n"), std::string::npos);
  EXPECT_EQ(response->find("\r\nX-Injected"), std::string::npos) << *response;
  EXPECT_NE(response->find("X-Note: first  X-Injected: yes\r\n"), std::string::npos);
}

TEST(HttpServer, AHandlerThatThrowsGets500) {
  RunningServer running(quick_options(), echo);
  Client client(running.port());
  client.send("GET /throws HTTP/1.1\r\n\r\n");
  const auto response = client.response();
  ASSERT_TRUE(response);
  EXPECT_EQ(response->rfind("HTTP/1.1 500 ", 0), 0u);
  EXPECT_NE(body_of(*response).find("\"internal\""), std::string::npos);
}

// A deferred handler that waits for a callback from a thread of its own
// (as the database writer calls back), without holding an I/O thread.
struct LaterAwaiter {
  std::thread& finisher;
  bool await_ready() const noexcept { return false; }
  void await_suspend(std::coroutine_handle<> h) {
    // Once the new thread resumes `h`, the coroutine may finish and free
    // its frame, this awaiter with it: nothing here may touch a member
    // after the thread starts (ThreadSanitizer saw the assignment below
    // race with the frame's deletion when it went through `finisher`).
    std::thread& out = finisher;
    out = std::thread([h] {
      std::this_thread::sleep_for(50ms);
      h.resume();  // resumes on this thread
    });
  }
  void await_resume() const noexcept {}
};

TEST(HttpServer, EachRouteRunsWhereItDeclares) {
  std::thread::id io_thread, deferred_end, deferred_worker, worker_thread;
  std::thread finisher;
  auto router = std::make_unique<Router>(internal_error);
  router->on_io_thread("GET", "/memory", [&](const Request&, const PathParams&) {
    io_thread = std::this_thread::get_id();
    Response r;
    r.shared_body = std::make_shared<const std::string>("from memory");
    return r;
  });
  router->deferred("PUT", "/deferred/{id}", [&](Exchange& ex) -> Handling {
    co_await ex.to_worker();  // e.g. a cache miss looked up
    deferred_worker = std::this_thread::get_id();
    co_await LaterAwaiter{finisher};  // e.g. the writer's commit
    co_await ex.to_io_thread();
    deferred_end = std::this_thread::get_id();
    Response r;
    r.status = 201;
    r.body = "later " + ex.params.at("id");
    co_return r;
  });
  router->deferred("PUT", "/fails", [](Exchange& ex) -> Handling {
    co_await ex.to_worker();
    throw std::runtime_error("a refusal");
  });
  router->on_worker("GET", "/worker", [&](const Request&, const PathParams&) {
    worker_thread = std::this_thread::get_id();
    Response r;
    r.body = "from a worker";
    return r;
  });
  RunningServer running(quick_options(), std::move(router));
  Client client(running.port());
  client.send("GET /memory HTTP/1.1\r\n\r\n");
  const auto memory = client.response();
  ASSERT_TRUE(memory);
  EXPECT_EQ(body_of(*memory), "from memory");
  client.send("PUT /deferred/7 HTTP/1.1\r\n\r\n");
  const auto deferred = client.response();
  ASSERT_TRUE(deferred);
  EXPECT_EQ(deferred->rfind("HTTP/1.1 201 Created\r\n", 0), 0u);
  EXPECT_EQ(body_of(*deferred), "later 7");
  finisher.join();
  client.send("PUT /fails HTTP/1.1\r\n\r\n");
  const auto failed = client.response();
  ASSERT_TRUE(failed);
  EXPECT_EQ(failed->rfind("HTTP/1.1 500 ", 0), 0u);
  client.send("GET /worker HTTP/1.1\r\n\r\n");
  const auto worker = client.response();
  ASSERT_TRUE(worker);
  EXPECT_EQ(body_of(*worker), "from a worker");
  client.send("DELETE /worker HTTP/1.1\r\n\r\n");
  const auto wrong_method = client.response();
  ASSERT_TRUE(wrong_method);
  EXPECT_EQ(wrong_method->rfind("HTTP/1.1 405 ", 0), 0u);
  // Same connection, same loop thread; the blocking parts elsewhere.
  EXPECT_EQ(deferred_end, io_thread);
  EXPECT_NE(deferred_worker, io_thread);
  EXPECT_NE(worker_thread, io_thread);
}

// Issue 21: a deferred handler awaiting work that calls back from a thread
// of its own (the database writer's commit) continues on its I/O thread at
// once (Exchange::after): the calling-back thread only posts it there and
// never runs the handler, which needs no hop of its own.
TEST(HttpServer, AnAwaitedCallbackResumesTheHandlerOnItsIoThread) {
  std::thread::id io_thread, after_write, writer_thread;
  std::thread writer;
  auto router = std::make_unique<Router>(internal_error);
  router->on_io_thread("GET", "/memory", [&](const Request&, const PathParams&) {
    io_thread = std::this_thread::get_id();
    Response r;
    r.body = "from memory";
    return r;
  });
  router->deferred("PUT", "/written/{id}", [&](Exchange& ex) -> Handling {
    std::string committed;
    auto write = [&](Exchange::Resume resume) {
      // As the writer: its thread reports the outcome, then calls back.
      writer = std::thread([&committed, &writer_thread, resume] {
        std::this_thread::sleep_for(50ms);
        writer_thread = std::this_thread::get_id();
        committed = "written";
        resume();
      });
    };
    co_await ex.after(write);
    after_write = std::this_thread::get_id();
    Response r;
    r.status = 201;
    r.body = committed + " " + ex.params.at("id");
    co_return r;
  });
  RunningServer running(quick_options(), std::move(router));
  Client client(running.port());
  client.send("GET /memory HTTP/1.1\r\n\r\n");
  ASSERT_TRUE(client.response());
  client.send("PUT /written/7 HTTP/1.1\r\n\r\n");
  const auto written = client.response();
  ASSERT_TRUE(written);
  EXPECT_EQ(written->rfind("HTTP/1.1 201 Created\r\n", 0), 0u);
  EXPECT_EQ(body_of(*written), "written 7");
  writer.join();
  EXPECT_EQ(after_write, io_thread);
  EXPECT_NE(after_write, writer_thread);
}

// CPU time of this whole process (all threads).
double cpu_seconds() {
  rusage usage{};
  getrusage(RUSAGE_SELF, &usage);
  return static_cast<double>(usage.ru_utime.tv_sec + usage.ru_stime.tv_sec) +
         static_cast<double>(usage.ru_utime.tv_usec + usage.ru_stime.tv_usec) / 1e6;
}

TEST(HttpServer, OutOfFileDescriptorsPausesAcceptingAndRecovers) {
  RunningServer running(quick_options(), echo);
  Client first(running.port());
  first.send("GET /a HTTP/1.1\r\n\r\n");
  ASSERT_TRUE(first.response());
  rlimit saved{};
  getrlimit(RLIMIT_NOFILE, &saved);
  // The next client's socket is made first; then no descriptor at all is
  // left (the limit is the lowest free one), so the server cannot accept
  // the connection. (Allowing one descriptor for the client to take raced
  // with anything else in the process that took it first.)
  auto waiting = std::make_unique<Client>(running.port(), true);
  const int next = ::dup(0);
  ::close(next);
  rlimit tight = saved;
  tight.rlim_cur = static_cast<rlim_t>(next);
  ASSERT_EQ(setrlimit(RLIMIT_NOFILE, &tight), 0);
  waiting->connect();
  const double before = cpu_seconds();
  std::this_thread::sleep_for(500ms);
  const double spent = cpu_seconds() - before;
  // Accepting keeps failing; a loop that retried at once would burn a core.
  EXPECT_LT(spent, 0.25) << "CPU seconds spent while descriptors ran out";
  // The connection it has goes on being served.
  first.send("GET /b HTTP/1.1\r\n\r\n");
  const auto served = first.response();
  ASSERT_TRUE(served);
  EXPECT_EQ(body_of(*served), "GET /b ");
  // With descriptors back, the waiting client is accepted and answered.
  ASSERT_EQ(setrlimit(RLIMIT_NOFILE, &saved), 0);
  waiting->send("GET /c HTTP/1.1\r\n\r\n");
  const auto late = waiting->response();
  ASSERT_TRUE(late);
  EXPECT_EQ(body_of(*late), "GET /c ");
}

TEST(HttpServer, StopFinishesTheRequestInFlight) {
  auto running = std::make_unique<RunningServer>(quick_options(), echo);
  Client client(running->port());
  client.send("GET /slow HTTP/1.1\r\n\r\n");
  std::this_thread::sleep_for(100ms);  // the handler is sleeping now
  running->server().stop();
  const auto response = client.response();
  ASSERT_TRUE(response);
  EXPECT_EQ(body_of(*response), "GET /slow ");
  EXPECT_NE(response->find("Connection: close\r\n"), std::string::npos);
  running.reset();  // run() has returned: the destructor joins
}

// What the stream tests share: the route's handler hands the open stream
// over and reports its end.
struct StreamProbe {
  std::mutex mutex;
  std::condition_variable changed;
  std::shared_ptr<Stream> stream;
  int opened = 0, closed = 0;

  std::unique_ptr<Router> router() {
    auto r = std::make_unique<Router>(internal_error);
    r->stream("GET", "/events/{who}", [this](const Request&, const PathParams& params) {
      StreamReply reply;
      if (params.at("who") == "nobody") {
        reply.answer = error_response(401, "unauthorized", "sign in first");
        return reply;
      }
      reply.headers.emplace_back("X-Who", params.at("who"));
      reply.opened = [this](std::shared_ptr<Stream> s) {
        std::lock_guard lock(mutex);
        stream = std::move(s);
        ++opened;
        changed.notify_all();
      };
      reply.closed = [this] {
        std::lock_guard lock(mutex);
        ++closed;
        changed.notify_all();
      };
      return reply;
    });
    r->on_io_thread("GET", "/plain", [](const Request&, const PathParams&) {
      Response plain;
      plain.body = "plain";
      return plain;
    });
    return r;
  }
  // Waits (at most 10 s) until `count` streams were opened (or closed).
  bool wait_opened(int count) {
    std::unique_lock lock(mutex);
    return changed.wait_for(lock, 10s, [&] { return opened >= count; });
  }
  bool wait_closed(int count) {
    std::unique_lock lock(mutex);
    return changed.wait_for(lock, 10s, [&] { return closed >= count; });
  }
  std::shared_ptr<Stream> current() {
    std::lock_guard lock(mutex);
    return stream;
  }
};

TEST(HttpServer, StreamsEventsFromAnyThreadUntilTheClientLeaves) {
  StreamProbe probe;
  ServerOptions options = quick_options();
  options.stream_heartbeat_seconds = 1;
  RunningServer running(options, probe.router());
  {
    Client client(running.port());
    client.send("GET /events/ann HTTP/1.1\r\nHost: x\r\n\r\n");
    const auto head = client.head();
    ASSERT_TRUE(head);
    EXPECT_EQ(head->rfind("HTTP/1.1 200 OK\r\n", 0), 0u) << *head;
    EXPECT_NE(head->find("Content-Type: text/event-stream\r\n"), std::string::npos) << *head;
    EXPECT_NE(head->find("X-Who: ann\r\n"), std::string::npos) << *head;
    EXPECT_NE(head->find("Connection: close\r\n"), std::string::npos) << *head;
    EXPECT_EQ(head->find("Content-Length"), std::string::npos) << *head;
    ASSERT_TRUE(probe.wait_opened(1));
    // Events from other threads arrive in order, while the stream is idle
    // (longer than the request timeout) in between.
    std::thread([&] { EXPECT_TRUE(probe.current()->send("data: one\n\n")); }).join();
    EXPECT_EQ(client.until("\n\n"), "data: one\n\n");
    std::this_thread::sleep_for(1500ms);
    std::thread([&] {
      EXPECT_TRUE(probe.current()->send("event: two\n"));
      EXPECT_TRUE(probe.current()->send("data: 2\n\n"));
    }).join();
    auto next = client.until("data: 2\n\n");
    ASSERT_TRUE(next);
    // The quiet second passed in between brought a heartbeat comment.
    EXPECT_EQ(*next, ":\n\nevent: two\ndata: 2\n\n");
    EXPECT_EQ(client.until(":\n\n"), ":\n\n");  // and another, a second later
    EXPECT_EQ(probe.closed, 0);
  }  // the client leaves
  ASSERT_TRUE(probe.wait_closed(1));
  EXPECT_FALSE(probe.current()->is_open());
  EXPECT_FALSE(probe.current()->send("data: late\n\n"));
}

TEST(HttpServer, AStreamHandlerCanAnswerInsteadAndTheConnectionGoesOn) {
  StreamProbe probe;
  RunningServer running(quick_options(), probe.router());
  Client client(running.port());
  client.send("GET /events/nobody HTTP/1.1\r\nHost: x\r\n\r\n");
  const auto refused = client.response();
  ASSERT_TRUE(refused);
  EXPECT_EQ(refused->rfind("HTTP/1.1 401 ", 0), 0u) << *refused;
  EXPECT_NE(body_of(*refused).find("\"unauthorized\""), std::string::npos);
  client.send("GET /plain HTTP/1.1\r\nHost: x\r\n\r\n");
  const auto plain = client.response();
  ASSERT_TRUE(plain);
  EXPECT_EQ(body_of(*plain), "plain");
  EXPECT_EQ(probe.opened, 0);
}

TEST(HttpServer, TheServerSideEndsAStream) {
  StreamProbe probe;
  RunningServer running(quick_options(), probe.router());
  Client client(running.port());
  client.send("GET /events/ann HTTP/1.1\r\nHost: x\r\n\r\n");
  ASSERT_TRUE(client.head());
  ASSERT_TRUE(probe.wait_opened(1));
  probe.current()->send("data: bye\n\n");
  probe.current()->close();
  EXPECT_EQ(client.until("\n\n"), "data: bye\n\n");  // what was sent before close() still goes out
  EXPECT_TRUE(client.closed_within(5s));
  EXPECT_TRUE(probe.wait_closed(1));
}

// A stream ends by itself after its lifetime (in its last tenth), without
// the handler or the client doing anything; the client reconnects.
TEST(HttpServer, AStreamEndsAfterItsLifetime) {
  StreamProbe probe;
  ServerOptions options = quick_options();
  options.stream_lifetime_seconds = 1;
  RunningServer running(options, probe.router());
  Client client(running.port());
  const auto started = std::chrono::steady_clock::now();
  client.send("GET /events/ann HTTP/1.1\r\nHost: x\r\n\r\n");
  ASSERT_TRUE(client.head());
  ASSERT_TRUE(probe.wait_opened(1));
  probe.current()->send("data: hello\n\n");
  EXPECT_EQ(client.until("\n\n"), "data: hello\n\n");
  EXPECT_TRUE(client.closed_within(5s));
  const auto lived = std::chrono::steady_clock::now() - started;
  EXPECT_GE(lived, 850ms);
  EXPECT_LT(lived, 3s);
  EXPECT_TRUE(probe.wait_closed(1));
}

TEST(HttpServer, StoppingTheServerEndsOpenStreams) {
  StreamProbe probe;
  auto running = std::make_unique<RunningServer>(quick_options(), probe.router());
  Client first(running->port()), second(running->port());
  first.send("GET /events/a HTTP/1.1\r\nHost: x\r\n\r\n");
  second.send("GET /events/b HTTP/1.1\r\nHost: x\r\n\r\n");
  ASSERT_TRUE(first.head() && second.head());
  ASSERT_TRUE(probe.wait_opened(2));
  const auto started = std::chrono::steady_clock::now();
  running->server().stop();
  EXPECT_TRUE(first.closed_within(5s));
  EXPECT_TRUE(second.closed_within(5s));
  running.reset();  // run() has returned
  EXPECT_LT(std::chrono::steady_clock::now() - started, 5s);
  EXPECT_EQ(probe.closed, 2);
}

// A client that stops reading is cut off once the events it has not taken
// pass the limit, instead of the server keeping them without end.
TEST(HttpServer, AStreamWhoseClientFallsTooFarBehindIsEnded) {
  StreamProbe probe;
  ServerOptions options = quick_options();
  options.stream_backlog_limit = 64 * 1024;
  RunningServer running(options, probe.router());
  Client client(running.port());
  client.shrink_receive_buffer();
  client.send("GET /events/slow HTTP/1.1\r\nHost: x\r\n\r\n");
  ASSERT_TRUE(client.head());
  ASSERT_TRUE(probe.wait_opened(1));
  const std::string event = "data: " + std::string(8000, 'x') + "\n\n";
  std::size_t sent = 0;
  while (probe.current()->send(event) && sent < (256u << 20)) sent += event.size();
  EXPECT_LT(sent, 256u << 20) << "never cut off";
  EXPECT_FALSE(probe.current()->is_open());
  EXPECT_TRUE(probe.wait_closed(1));  // after the write timeout at the latest
}

}  // namespace
}  // namespace cxm::http
