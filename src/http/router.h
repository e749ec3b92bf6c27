// Maps method + path pattern ("/api/cycles/{cycle}/report") to a handler.
#pragma once

#include <functional>
#include <map>
#include <string>
#include <vector>

#include "http/message.h"

namespace cxm::http {

using PathParams = std::map<std::string, std::string>;
using Handler = std::function<Response(const Request&, const PathParams&)>;

class Router {
 public:
  void add(const std::string& method, const std::string& pattern, Handler handler);

  // 404 for an unknown path, 405 for a known path with another method.
  Response dispatch(const Request& request) const;

  // Every registered (method, pattern), for the OpenAPI completeness test.
  std::vector<std::pair<std::string, std::string>> routes() const;

 private:
  struct Route {
    std::string method;
    std::string pattern;
    std::vector<std::string> segments;
    Handler handler;
  };
  static bool match(const Route& route, const std::vector<std::string>& path, PathParams& params);
  std::vector<Route> routes_;
};

// Splits "/a/b/c" into {"a", "b", "c"}.
std::vector<std::string> split_path(const std::string& path);

}  // namespace cxm::http
