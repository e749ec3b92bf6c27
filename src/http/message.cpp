#include "http/message.h"

#include <nlohmann/json.hpp>

namespace cxm::http {

std::optional<std::string> Request::header(const std::string& name) const {
  const auto it = headers.find(name);
  if (it == headers.end()) return std::nullopt;
  return it->second;
}

std::optional<std::string> Request::cookie(const std::string& name) const {
  const auto all = header("cookie");
  if (!all) return std::nullopt;
  std::size_t at = 0;
  while (at < all->size()) {
    std::size_t end = all->find(';', at);
    if (end == std::string::npos) end = all->size();
    std::string pair = all->substr(at, end - at);
    const auto first = pair.find_first_not_of(' ');
    if (first != std::string::npos) pair = pair.substr(first);
    const auto eq = pair.find('=');
    if (eq != std::string::npos && pair.substr(0, eq) == name) return pair.substr(eq + 1);
    at = end + 1;
  }
  return std::nullopt;
}

std::optional<std::string> Request::query_value(const std::string& name) const {
  const auto it = query.find(name);
  if (it == query.end()) return std::nullopt;
  return it->second;
}

Response error_response(int status, const std::string& code, const std::string& message) {
  Response r;
  r.status = status;
  // A message may quote what a client sent (a decoded path, an id), which
  // need not be UTF-8: such bytes become U+FFFD instead of an exception.
  r.body = nlohmann::json{{"error", {{"code", code}, {"message", message}}}}.dump(
      -1, ' ', false, nlohmann::json::error_handler_t::replace);
  return r;
}

}  // namespace cxm::http
