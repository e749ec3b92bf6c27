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

void Router::add(const std::string& method, const std::string& pattern, Handler handler) {
  routes_.push_back(Route{method, pattern, split_path(pattern), std::move(handler)});
}

bool Router::match(const Route& route, const std::vector<std::string>& path, PathParams& params) {
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

Response Router::dispatch(const Request& request) const {
  const auto path = split_path(request.path);
  PathParams params;
  bool path_known = false;
  for (const auto& route : routes_) {
    if (!match(route, path, params)) continue;
    path_known = true;
    if (route.method == request.method) return route.handler(request, params);
  }
  if (path_known) return error_response(405, "method_not_allowed", request.method + " is not allowed here");
  return error_response(404, "not_found", "no such resource: " + request.path);
}

std::vector<std::pair<std::string, std::string>> Router::routes() const {
  std::vector<std::pair<std::string, std::string>> out;
  for (const auto& r : routes_) out.emplace_back(r.method, r.pattern);
  return out;
}

}  // namespace cxm::http
