#include "http/router.h"

namespace cxm::http {

std::vector<std::string> split_path(const std::string& path) {
  std::vector<std::string> out;
  std::size_t at = 0;
  while (at < path.size()) {
    if (path[at] == '/') {
      ++at;
      continue;
    }
    std::size_t end = path.find('/', at);
    if (end == std::string::npos) end = path.size();
    out.push_back(path.substr(at, end - at));
    at = end;
  }
  return out;
}

Router::Router(ErrorMapper on_error) : on_error_(std::move(on_error)) {}

void Router::on_io_thread(const std::string& method, const std::string& pattern, Handler handler) {
  routes_.push_back(
      Route{method, pattern, split_path(pattern), RunsOn::io_thread, std::move(handler), {}, {}});
}

void Router::on_worker(const std::string& method, const std::string& pattern, Handler handler) {
  routes_.push_back(
      Route{method, pattern, split_path(pattern), RunsOn::worker, std::move(handler), {}, {}});
}

void Router::deferred(const std::string& method, const std::string& pattern,
                      DeferredHandler handler) {
  routes_.push_back(
      Route{method, pattern, split_path(pattern), RunsOn::deferred, {}, std::move(handler), {}});
}

void Router::stream(const std::string& method, const std::string& pattern, StreamHandler handler) {
  routes_.push_back(
      Route{method, pattern, split_path(pattern), RunsOn::stream, {}, {}, std::move(handler)});
}

void Router::set_fallback(Handler handler, RunsOn runs_on) {
  fallback_ = std::move(handler);
  fallback_runs_on_ = runs_on == RunsOn::worker ? RunsOn::worker : RunsOn::io_thread;
}

bool Router::match_path(const Route& route, const std::vector<std::string>& path,
                        PathParams& params) {
  if (route.segments.size() != path.size()) return false;
  params.clear();
  for (std::size_t i = 0; i < path.size(); ++i) {
    const std::string& s = route.segments[i];
    if (s.size() > 2 && s.front() == '{' && s.back() == '}') {
      params[s.substr(1, s.size() - 2)] = path[i];
    } else if (s != path[i]) {
      return false;
    }
  }
  return true;
}

Router::Match Router::match(const Request& request) const {
  const auto path = split_path(request.path);
  Match m;
  bool path_known = false;
  for (const auto& route : routes_) {
    if (!match_path(route, path, m.params)) continue;
    path_known = true;
    if (route.method != request.method) continue;
    m.runs_on = route.runs_on;
    if (route.runs_on == RunsOn::deferred) {
      m.deferred = &route.deferred;
    } else if (route.runs_on == RunsOn::stream) {
      m.stream = &route.stream;
    } else {
      m.handler = &route.handler;
    }
    return m;
  }
  m.params.clear();
  if (path_known) {
    m.answer = error_response(405, "method_not_allowed", request.method + " is not allowed here");
  } else if (fallback_) {
    m.handler = &fallback_;
    m.runs_on = fallback_runs_on_;
  } else {
    m.answer = error_response(404, "not_found", "no such resource: " + request.path);
  }
  return m;
}

Response Router::run(const Match& match, const Request& request) const {
  if (match.answer) return *match.answer;
  try {
    return (*match.handler)(request, match.params);
  } catch (...) {
    return on_error_(std::current_exception(), request);
  }
}

void Router::start(const Match& match, Exchange& exchange,
                   std::function<void(Response)> finish) const {
  if (match.answer) return finish(*match.answer);
  std::optional<Handling> handling;
  try {
    handling.emplace((*match.deferred)(exchange));
  } catch (...) {  // the coroutine could not even be made
    return finish(on_error_(std::current_exception(), exchange.request));
  }
  std::move(*handling).start(exchange.request, on_error_, std::move(finish));
}

StreamReply Router::open(const Match& match, const Request& request) const {
  if (match.answer) return StreamReply{match.answer, {}, {}, {}};
  try {
    return (*match.stream)(request, match.params);
  } catch (...) {
    return StreamReply{on_error_(std::current_exception(), request), {}, {}, {}};
  }
}

std::vector<std::pair<std::string, std::string>> Router::routes() const {
  std::vector<std::pair<std::string, std::string>> out;
  for (const auto& r : routes_) out.emplace_back(r.method, r.pattern);
  return out;
}

}  // namespace cxm::http
