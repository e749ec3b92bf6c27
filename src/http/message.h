// HTTP requests and responses as plain values, so that handlers never see
// Boost.Beast (which stays inside server.cpp).
#pragma once

#include <map>
#include <memory>
#include <optional>
#include <string>
#include <utility>
#include <vector>

namespace cxm::http {

struct Request {
  std::string method;  // "GET", "POST", ...
  std::string target;  // as received, e.g. "/api/cycles/x/report?role=executive"
  std::string path;    // decoded path without the query
  std::map<std::string, std::string> query;    // decoded query parameters
  std::map<std::string, std::string> headers;  // lower-case names
  std::string body;
  std::string remote_address;
  std::string request_id;

  std::optional<std::string> header(const std::string& lower_case_name) const;
  std::optional<std::string> cookie(const std::string& name) const;
  std::optional<std::string> query_value(const std::string& name) const;
};

struct Response {
  int status = 200;
  std::string content_type = "application/json";
  std::string body;
  // When set, sent instead of `body` without copying it (cached documents).
  std::shared_ptr<const std::string> shared_body;
  std::vector<std::pair<std::string, std::string>> headers;  // extra headers, e.g. Set-Cookie
};

// A JSON error body {"error":{"code","message"}} with the given status;
// bytes of `message` that are not UTF-8 become U+FFFD.
Response error_response(int status, const std::string& code, const std::string& message);

}  // namespace cxm::http
