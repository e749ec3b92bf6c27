#include "http/request_head.h"

#include <gtest/gtest.h>

namespace cxm::http {
namespace {

namespace bhttp = boost::beast::http;

bhttp::request<bhttp::string_body> beast_request(const std::string& target) {
  bhttp::request<bhttp::string_body> in{bhttp::verb::put, target, 11};
  in.set("X-Forwarded-For", "203.0.113.5");
  in.set("Content-Type", "application/json");
  in.body() = R"({"a":1})";
  return in;
}

TEST(TranslateRequest, DecodesThePathAndTheQuery) {
  auto in = beast_request("/api/cycles/c%201/report?role=exec%20utive&lang=de&lang=fr&flag");
  Request out;
  ASSERT_TRUE(translate_request(in, out));
  EXPECT_EQ(out.method, "PUT");
  EXPECT_EQ(out.target, "/api/cycles/c%201/report?role=exec%20utive&lang=de&lang=fr&flag");
  EXPECT_EQ(out.path, "/api/cycles/c 1/report");
  EXPECT_EQ(out.query_value("role"), "exec utive");
  EXPECT_EQ(out.query_value("lang"), "fr");  // the last of a repeated name
  EXPECT_EQ(out.query_value("flag"), "");
  EXPECT_EQ(out.query_value("none"), std::nullopt);
}

TEST(TranslateRequest, LowerCasesHeaderNamesAndMovesTheBody) {
  auto in = beast_request("/api/health");
  Request out;
  ASSERT_TRUE(translate_request(in, out));
  EXPECT_EQ(out.header("x-forwarded-for"), "203.0.113.5");
  EXPECT_EQ(out.header("content-type"), "application/json");
  EXPECT_EQ(out.body, R"({"a":1})");
  EXPECT_TRUE(out.remote_address.empty());  // the server's to fill
}

TEST(TranslateRequest, RefusesATargetThatIsNotOriginForm) {
  for (const char* target : {"http://example.org/api/health", "*", "api/health", "/a b"}) {
    auto in = beast_request(target);
    Request out;
    EXPECT_FALSE(translate_request(in, out)) << target;
  }
}

}  // namespace
}  // namespace cxm::http
