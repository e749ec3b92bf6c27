#include "http/message.h"

#include <gtest/gtest.h>

#include <nlohmann/json.hpp>

#include "http/router.h"

namespace cxm::http {
namespace {

// A message quoting what a client sent that is not UTF-8 (here a decoded
// path "/%ff") still makes an error body, the byte replaced: found by
// fuzz/fuzz_http_request.cpp, where serializing it threw.
TEST(ErrorResponse, ReplacesBytesThatAreNotUtf8) {
  Response r;
  ASSERT_NO_THROW(r = error_response(404, "not_found",
                                     "no such resource: /\xff\xe2"
                                     "D"));
  EXPECT_EQ(r.status, 404);
  const auto body = nlohmann::json::parse(r.body);
  EXPECT_EQ(body["error"]["code"], "not_found");
  EXPECT_EQ(body["error"]["message"],
            "no such resource: /\xEF\xBF\xBD\xEF\xBF\xBD"
            "D");
}

// A router without a fallback answers such a path 404 instead of throwing
// out of match() (outside every handler's try).
TEST(ErrorResponse, ARouterAnswersAPathThatIsNotUtf8) {
  Router router([](std::exception_ptr, const Request&) {
    return error_response(500, "internal", "internal error");
  });
  router.on_io_thread("GET", "/api/health",
                      [](const Request&, const PathParams&) { return Response{}; });
  Request request;
  request.method = "GET";
  request.path = "/api/\xff";
  Router::Match match;
  ASSERT_NO_THROW(match = router.match(request));
  ASSERT_TRUE(match.answer);
  EXPECT_EQ(match.answer->status, 404);
}

}  // namespace
}  // namespace cxm::http
