#include "http/static_site.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <stdexcept>

namespace cxm::http {
namespace {

std::string header(const Response& r, const std::string& name) {
  const auto it = std::find_if(r.headers.begin(), r.headers.end(),
                               [&](const auto& h) { return h.first == name; });
  return it == r.headers.end() ? "" : it->second;
}

Request get(const std::string& path, std::map<std::string, std::string> headers = {}) {
  Request r;
  r.method = "GET";
  r.path = path;
  r.target = path;
  r.headers = std::move(headers);
  return r;
}

class StaticSiteTest : public ::testing::Test {
 protected:
  StaticSite site{{
      {"/index.html", "text/html; charset=utf-8", "<html>app</html>", "", "\"i1\"", false},
      {"/assets/app-1a2b.js", "text/javascript; charset=utf-8", "plain js", "GZIPPED", "\"a1\"",
       true},
  }};
};

TEST_F(StaticSiteTest, ServesAFileWithItsTypeAndImmutableCaching) {
  const auto r = site.serve(get("/assets/app-1a2b.js"));
  ASSERT_TRUE(r);
  EXPECT_EQ(r->status, 200);
  EXPECT_EQ(r->content_type, "text/javascript; charset=utf-8");
  EXPECT_EQ(r->body, "plain js");
  EXPECT_EQ(header(*r, "Cache-Control"), "public, max-age=31536000, immutable");
  EXPECT_EQ(header(*r, "Content-Encoding"), "");
}

TEST_F(StaticSiteTest, CompressesOnlyForClientsThatAcceptGzip) {
  EXPECT_EQ(site.serve(get("/assets/app-1a2b.js", {{"accept-encoding", "br, gzip"}}))->body,
            "GZIPPED");
  EXPECT_EQ(header(*site.serve(get("/assets/app-1a2b.js", {{"accept-encoding", "gzip"}})),
                   "Content-Encoding"),
            "gzip");
  EXPECT_EQ(site.serve(get("/assets/app-1a2b.js", {{"accept-encoding", "gzip;q=0, br"}}))->body,
            "plain js");
  EXPECT_EQ(site.serve(get("/assets/app-1a2b.js", {{"accept-encoding", "gzip;q=0.5"}}))->body,
            "GZIPPED");
  EXPECT_EQ(site.serve(get("/assets/app-1a2b.js", {{"accept-encoding", "identity"}}))->body,
            "plain js");
  EXPECT_EQ(site.serve(get("/assets/app-1a2b.js", {{"accept-encoding", ""}}))->body, "plain js");
}

TEST_F(StaticSiteTest, BrowserRoutesFallBackToTheIndexPage) {
  for (const char* path :
       {"/", "/orgs/x", "/cycles/x/results", "/r/0123", "/index.html", "/apix"}) {
    const auto r = site.serve(get(path));
    ASSERT_TRUE(r) << path;
    EXPECT_EQ(r->body, "<html>app</html>") << path;
    EXPECT_EQ(header(*r, "Cache-Control"), "no-cache") << path;
    EXPECT_NE(header(*r, "Content-Security-Policy"), "") << path;
    EXPECT_EQ(header(*r, "Referrer-Policy"), "no-referrer") << path;
  }
}

TEST_F(StaticSiteTest, LeavesTheApiAndOtherMethodsAlone) {
  EXPECT_FALSE(site.serve(get("/api")));
  EXPECT_FALSE(site.serve(get("/api/health")));
  EXPECT_FALSE(site.serve(get("/api/unknown/route")));
  Request post = get("/");
  post.method = "POST";
  EXPECT_FALSE(site.serve(post));
}

TEST_F(StaticSiteTest, HeadIsAnsweredLikeGet) {
  // The server leaves out the body of a HEAD answer; the headers match GET's.
  Request head = get("/assets/app-1a2b.js");
  head.method = "HEAD";
  const auto r = site.serve(head);
  ASSERT_TRUE(r);
  EXPECT_EQ(r->status, 200);
  EXPECT_EQ(r->content_type, "text/javascript; charset=utf-8");
  EXPECT_EQ(r->body, "plain js");
}

TEST_F(StaticSiteTest, AMissingAssetIsA404NotThePage) {
  const auto r = site.serve(get("/assets/old-build.js"));
  ASSERT_TRUE(r);
  EXPECT_EQ(r->status, 404);
}

TEST_F(StaticSiteTest, AMatchingEtagGivesNotModified) {
  const auto r = site.serve(get("/assets/app-1a2b.js", {{"if-none-match", "\"a1\""}}));
  EXPECT_EQ(r->status, 304);
  EXPECT_EQ(r->body, "");
  EXPECT_EQ(site.serve(get("/assets/app-1a2b.js", {{"if-none-match", "\"zz\""}}))->status, 200);
}

TEST(StaticSite, NeedsAnIndexPage) {
  EXPECT_THROW(StaticSite({{"/a.js", "text/javascript", "x", "", "\"e\"", true}}),
               std::invalid_argument);
}

}  // namespace
}  // namespace cxm::http
