// libFuzzer target: any bytes as what a client sends on a connection,
// parsed by Beast's request parser as the server does (body limit, the
// whole message at once), turned into our Request (http/request_head.h),
// routed through a Router holding every route of openapi.json, and read
// for its cookies, its client address behind trusted proxies
// (http/client_address.h) and its address block. Never a crash; the
// decoded path starts with '/', a match is exactly one of a handler or an
// answer, path parameters are whole non-empty segments, and the client
// address is the peer's unless the peer is a trusted proxy.
#include <boost/asio/buffer.hpp>
#include <boost/beast/http/error.hpp>
#include <boost/beast/http/parser.hpp>
#include <boost/beast/http/string_body.hpp>
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <fstream>
#include <nlohmann/json.hpp>
#include <sstream>
#include <string>

#include "http/client_address.h"
#include "http/request_head.h"
#include "http/router.h"

namespace {

using namespace cxm::http;
namespace bhttp = boost::beast::http;

struct Setup {
  Router router{[](std::exception_ptr, const Request&) {
    return error_response(500, "internal", "handler failed");
  }};
  TrustedProxies proxies;
  Setup() {
    std::ifstream in(CXM_FUZZ_OPENAPI_FILE);
    std::stringstream text;
    text << in.rdbuf();
    const auto doc = nlohmann::json::parse(text.str());
    std::size_t routes = 0;
    for (const auto& [pattern, methods] : doc.at("paths").items()) {
      for (const auto& [method, operation] : methods.items()) {
        std::string upper = method;
        for (auto& c : upper) c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
        router.on_io_thread(upper, pattern, [](const Request& r, const PathParams& params) {
          Response response;
          response.body = r.path;
          for (const auto& [name, value] : params) response.body += name + "=" + value;
          return response;
        });
        ++routes;
      }
    }
    if (routes < 50) std::abort();  // the file was not read
    std::string error;
    proxies = *TrustedProxies::parse("10.0.0.0/8, ::1, 2001:db8::/32, 192.168.1.1", error);
  }
};

const char* const kPeers[] = {"127.0.0.1", "10.1.2.3",    "::ffff:10.0.0.7", "2001:db8::1",
                              "::1",       "192.168.1.1", "203.0.113.9",     ""};

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  static const Setup setup;
  bhttp::request_parser<bhttp::string_body> parser;
  parser.body_limit(64 * 1024);
  parser.eager(true);
  boost::beast::error_code ec;
  std::size_t used = 0;
  while (!parser.is_done() && used < size) {
    const std::size_t n = parser.put(boost::asio::buffer(data + used, size - used), ec);
    if (ec) return 0;  // malformed (400), too large (413) or incomplete (the client's turn)
    if (n == 0) break;
    used += n;
  }
  if (!parser.is_done()) return 0;

  Request request;
  if (!translate_request(parser.get(), request)) return 0;  // 400
  if (request.path.empty() || request.path.front() != '/') std::abort();
  request.remote_address = kPeers[size % (sizeof kPeers / sizeof *kPeers)];

  const auto match = setup.router.match(request);
  const int ways = (match.handler != nullptr) + (match.deferred != nullptr) +
                   (match.stream != nullptr) + match.answer.has_value();
  if (ways != 1) std::abort();
  for (const auto& [name, value] : match.params) {
    if (value.empty() || value.find('/') != std::string::npos) std::abort();
  }
  const Response response = setup.router.run(match, request);
  if (response.status != 200 && response.status != 404 && response.status != 405) std::abort();

  (void)request.cookie("cxm_session");
  (void)request.cookie("cxm_claim");
  (void)request.query_value("lang");

  const std::string client = client_address(request, setup.proxies);
  if (!setup.proxies.contains(request.remote_address) && client != request.remote_address)
    std::abort();
  const std::string block = address_block(client);
  if (block.empty() != client.empty()) std::abort();
  (void)forwarded_https(request, setup.proxies);
  // An operator's --trusted-proxies list is text too.
  if (const auto forwarded = request.header("x-forwarded-for")) {
    std::string error;
    const auto parsed = TrustedProxies::parse(*forwarded, error);
    if (parsed.has_value() == !error.empty()) std::abort();
  }
  return 0;
}
