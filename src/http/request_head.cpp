#include "http/request_head.h"

#include <boost/url/parse.hpp>
#include <cctype>

namespace cxm::http {

bool translate_request(boost::beast::http::request<boost::beast::http::string_body>& in,
                       Request& out) {
  out.method = std::string(in.method_string());
  out.target = std::string(in.target());
  const auto parsed = boost::urls::parse_origin_form(in.target());
  if (!parsed) return false;
  out.path = std::string(parsed->path());
  for (const auto& param : parsed->params())
    out.query[std::string(param.key)] = std::string(param.value);
  for (const auto& field : in) {
    std::string name(field.name_string());
    for (auto& c : name) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    out.headers[name] = std::string(field.value());
  }
  out.body = std::move(in.body());
  return true;
}

}  // namespace cxm::http
